-- Population on 1 January in today's borders: the population observations (SSB, 2020 borders)
-- re-expressed through int_indicator_series_current_borders (Sandefjord 3804 -> 3907; Ålesund
-- 1507 -> 1508/1580 with FHI's 0.5/0.5 weighting, flagged is_estimated). The denominator of
-- every rate in marts.mart_indicator_series and of per-capita sales in marts.mart_alcohol_sales.
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
    qualifier,
    is_estimated,
    source_id,
    source_file,
    source_row
from population
