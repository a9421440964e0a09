-- All sources in the harmonised long form, with the observation key. One row per published
-- number of the current load of each file.
-- observation_id = source_id:source_file:source_row:indicator_id[:source_column]; the column
-- part separates the series of a wide file (one file line holds nine CDC series).
{% set parts = [
    ref('int_report_figures_observations'),
    ref('int_korus_rapid_survey_observations'),
    ref('int_trend_panel_observations'),
    ref('int_cdc_wonder_observations'),
] %}
{% set columns = [
    'indicator_id', 'geo_code', 'period_type', 'period_start', 'period_end', 'substance_id',
    'sex', 'age_group', 'value', 'value_low', 'value_high', 'qualifier', 'numerator',
    'denominator', 'unit', 'is_provisional', 'vintage', 'detail', 'source_id', 'load_id',
    'source_file', 'source_row', 'source_column',
] %}

with

unioned as (
    {% for part in parts %}
    select {{ columns | join(', ') }} from {{ part }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    {{ dbt.concat([
        'source_id', "':'", 'source_file', "':'",
        'cast(source_row as ' ~ dbt.type_string() ~ ')', "':'", 'indicator_id',
        "coalesce(" ~ dbt.concat(["':'", "cast(source_column as " ~ dbt.type_string() ~ ")"]) ~ ", '')"
    ]) }} as observation_id,
    unioned.*
from unioned
