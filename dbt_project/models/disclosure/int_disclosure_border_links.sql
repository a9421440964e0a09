-- Which observed cells a cell in today's borders is made of (int_indicator_series_current_borders):
-- a merged municipality is the sum of its former municipalities, a split part is the former one
-- times its weight. Each link is a linear relation an attacker can difference against
-- (today's Ålesund minus the shown parts = a hidden former municipality), so the audit and the
-- complement step use them like the sex, age, geography and time totals.
-- Grain: one row per current cell and part cell. Cells whose code did not change are left out.
with

observations as (
    select
        fct.*,
        cast({{ date_part('year', 'fct.period_start') }} as integer) as obs_year
    from {{ ref('fct_observations') }} as fct
    where fct.is_latest_vintage
),

borders as (
    select * from {{ ref('int_geography_current_borders') }}
),

cells as (
    select cell_key from {{ ref('int_disclosure_cells') }}
),

mapped as (
    select
        observations.*,
        borders.to_code,
        coalesce(borders.weight, 1.0) as weight
    from observations
    inner join borders
        on observations.geo_code = borders.from_code
        and coalesce(observations.obs_year, 9999) >= coalesce(borders.lookup_from_year, -9999)
        and coalesce(observations.obs_year, 9999) <= coalesce(borders.lookup_to_year, 9999)
    where borders.to_code <> observations.geo_code
),

linked as (
    select
        {{ disclosure_cell_key('current') }} as current_cell_key,
        {{ disclosure_cell_key('mapped') }} as part_cell_key,
        cast(mapped.weight as double) as weight
    from mapped
    cross join lateral (
        select
            mapped.source_id, mapped.indicator_id, mapped.to_code as geo_code, mapped.period_type,
            mapped.period_start, mapped.period_end, mapped.substance_id, mapped.sex, mapped.age_group,
            mapped.breakdown, mapped.unit
    ) as current
)

select linked.*
from linked
inner join cells as current_cells on linked.current_cell_key = current_cells.cell_key
inner join cells as part_cells on linked.part_cell_key = part_cells.cell_key
