-- Observations that ingest mapped from a source spec's `observations:` block, every load (each
-- load is a vintage; fct_observations marks the latest). The rows are already harmonised, so this
-- model only adds the vintage and fixes the column order. It names no source: a source added
-- later by spec alone flows through here into fct_observations with no model change (its geo
-- codes, substances and indicators are checked by the relationship tests on the fact).
with

declared as (
    select * from {{ ref('stg_ingest__declared_observations') }}
)

select
    indicator_id,
    geo_code,
    period_type,
    period_start,
    period_end,
    substance_id,
    sex,
    age_group,
    breakdown,
    value,
    value_low,
    value_high,
    qualifier,
    numerator,
    denominator,
    unit,
    is_provisional,
    loaded_at as vintage,
    detail,
    source_id,
    load_id,
    source_file,
    source_row,
    source_column
from declared
