-- CDC WONDER age-adjusted death rates per 100,000 in the harmonised long form: one row per year
-- and drug-class series of every load (empty cells dropped: no published number).
with

rates as (
    select * from {{ ref('stg_cdc_wonder__death_rates') }}
    where value is not null
),

series_map as (
    select source_label, indicator_id, substance_id
    from {{ ref('cdc_series') }}
),

geo_map as (
    select source_label, geo_code
    from {{ ref('geography_labels') }}
    where source_id = 'cdc_wonder'
)

select
    series_map.indicator_id,
    geo_map.geo_code,
    'year' as period_type,
    cast({{ dbt.concat(['cast(rates.year as ' ~ dbt.type_string() ~ ')', "'-01-01'"]) }} as date) as period_start,
    cast({{ dbt.concat(['cast(rates.year as ' ~ dbt.type_string() ~ ')', "'-12-31'"]) }} as date) as period_end,
    series_map.substance_id,
    'all' as sex,
    'all' as age_group,
    'all' as breakdown,
    rates.value,
    cast(null as double precision) as value_low,
    cast(null as double precision) as value_high,
    'exact' as qualifier,
    cast(null as double precision) as numerator,
    cast(null as double precision) as denominator,
    'per_100k' as unit,
    -- CDC WONDER final data (not the VSRR provisional counts)
    false as is_provisional,
    rates.loaded_at as vintage,
    cast(null as {{ dbt.type_string() }}) as detail,
    'cdc_wonder' as source_id,
    rates.load_id,
    rates.source_file,
    rates.source_row,
    rates.source_column
from rates
left join series_map
    on rates.series_label = series_map.source_label
left join geo_map
    on rates.entity_label = geo_map.source_label
