-- Trend-panel and survey free-text signals in the harmonised long form: one row per signal of
-- every load (vintage), indicator trend_signal_<measure>, value = direction (-2..+2).
-- The panel's own qualifier (long_term, covid_special, several, mentioned, ...) is not one of the
-- harmonised qualifiers: it describes the panel, not the number, so it goes into `detail` with
-- the Norwegian wording, and the qualifier is `exact` (the direction is as reported).
with

signals as (
    select * from {{ ref('stg_trend_panel__signals') }}
),

substance_map as (
    select source_label, substance_id
    from {{ ref('substance_labels') }}
    where source_id = 'trend_panel'
),

geo_map as (
    select source_label, geo_code
    from {{ ref('geography_labels') }}
    where source_id = 'trend_panel'
)

select
    -- e.g. "covid_special: Sterk økning i bruk av alkohol (n=29)"; concat propagates null, so
    -- the "(n=...)" part disappears when the report gives no count
    {{ dbt.concat(["'trend_signal_'", 'signals.measure']) }} as indicator_id,
    geo_map.geo_code,
    {{ classify_period('signals.period_start', 'signals.period_end') }} as period_type,
    signals.period_start,
    signals.period_end,
    substance_map.substance_id,
    'all' as sex,
    'all' as age_group,
    -- which panel said it (fore_var_trend_panel, korus_rapid_survey): part of the grain
    signals.panel_id as breakdown,
    cast(signals.direction as double precision) as value,
    cast(null as double precision) as value_low,
    cast(null as double precision) as value_high,
    'exact' as qualifier,
    cast(null as double precision) as numerator,
    cast(null as double precision) as denominator,
    'direction' as unit,
    false as is_provisional,
    signals.loaded_at as vintage,
    -- e.g. "covid_special: Sterk økning i bruk av alkohol (n=29)"; concat propagates null, so
    -- the "(n=...)" part disappears when the report gives no count
    {{ dbt.concat([
        'signals.panel_qualifier', "': '", 'signals.wording_nb',
        "coalesce(" ~ dbt.concat(["' (n='", "cast(signals.region_respondents as " ~ dbt.type_string() ~ ")", "')'"]) ~ ", '')"
    ]) }} as detail,
    'trend_panel' as source_id,
    signals.load_id,
    signals.source_file,
    signals.source_row,
    cast(null as integer) as source_column
from signals
left join substance_map
    on signals.substance_label = substance_map.source_label
left join geo_map
    on signals.geography_label = geo_map.source_label
