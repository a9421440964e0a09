-- Population on 1 January in today's borders: the population observations (SSB, 2020 borders)
-- re-expressed through int_indicator_series_current_borders (Sandefjord 3804 -> 3907; Ålesund
-- 1507 -> 1508/1580 by the split's weight, whole persons by the largest remainder, flagged
-- is_estimated). The denominator of every rate in marts.mart_indicator_series and of per-capita
-- sales in marts.mart_alcohol_sales.
-- is_complete is false for a total over an incomplete set of municipalities (Norway 2005, without
-- 1160 Vindafjord and 1576 Aure: a lower bound, qualifier above); its persons are null, so no rate
-- is computed over a population that is silently too low (persons_low keeps the partial sum).
-- Grain: one row per geo_code, year and age group (all, 15+).
with

population as (
    select * from {{ ref('int_indicator_series_current_borders') }}
    where indicator_id = 'population'
      and period_type = 'point'
      and sex = 'all'
      and breakdown = 'all'
)

select
    geo_code,
    year,
    age_group,
    value as persons,
    coalesce(value, value_low) as persons_low,
    qualifier <> 'above' and value is not null as is_complete,
    qualifier,
    is_estimated,
    source_id,
    source_file,
    source_row
from population
