-- All sources in the harmonised long form, every vintage, with the observation keys:
--   observation_key  the published number across vintages: a hash of source_id, indicator_id,
--                    geo_code, period_type, period_start, period_end, substance_id, sex,
--                    age_group, breakdown (the grain without the load)
--   observation_id   the number in one vintage: load_id:observation_key
--   superseded_at    loaded_at of the next `loaded` load of the same file (stg_meta__load_log);
--                    null while this load is the newest, then is_latest_vintage is true.
-- Sources mapped declaratively by ingest come in through int_declared_observations, which names
-- no source: a new spec-only source needs no change here.
{% set parts = [
    ref('int_report_figures_observations'),
    ref('int_korus_rapid_survey_observations'),
    ref('int_trend_panel_observations'),
    ref('int_cdc_wonder_observations'),
    ref('int_tempe_ems_callouts_counted'),
    ref('int_population_municipality_year'),
    ref('int_declared_observations'),
] %}
{% set columns = [
    'indicator_id', 'geo_code', 'period_type', 'period_start', 'period_end', 'substance_id',
    'sex', 'age_group', 'breakdown', 'value', 'value_low', 'value_high', 'qualifier', 'numerator',
    'denominator', 'unit', 'is_provisional', 'vintage', 'detail', 'source_id', 'load_id',
    'source_file', 'source_row', 'source_column',
] %}
{% set key_columns = [
    'source_id', 'indicator_id', 'geo_code', 'period_type', 'period_start', 'period_end',
    'substance_id', 'sex', 'age_group', 'breakdown',
] %}
{% set key_parts = [] %}
{% for col in key_columns %}
    {% if not loop.first %}{% do key_parts.append("'|'") %}{% endif %}
    {% do key_parts.append("coalesce(cast(unioned." ~ col ~ " as " ~ dbt.type_string() ~ "), '')") %}
{% endfor %}

with

unioned as (
    {% for part in parts %}
    select {{ columns | join(', ') }} from {{ part }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

loads as (
    select load_id, superseded_at
    from {{ ref('stg_meta__load_log') }}
    where status = 'loaded'
),

keyed as (
    select
        {{ dbt.hash(dbt.concat(key_parts)) }} as observation_key,
        unioned.*,
        loads.superseded_at
    from unioned
    left join loads on unioned.load_id = loads.load_id
)

select
    {{ dbt.concat(['load_id', "':'", 'observation_key']) }} as observation_id,
    keyed.*,
    superseded_at is null as is_latest_vintage
from keyed
