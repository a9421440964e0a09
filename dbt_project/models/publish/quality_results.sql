-- Data-quality view: the checks behind what is published now. A view, not a table: build.py
-- appends the current build's dbt and mart results to meta.quality_results after dbt has run,
-- so only a view sees them. Rows: every check of the latest build (layers dbt and marts, the
-- newest build run_id) and the ingest checks of the loads whose rows are currently published.
with

results as (
    select * from {{ source('meta_quality', 'quality_results') }}
),

latest_build as (
    select max(run_id) as run_id from results where layer in ('dbt', 'marts')
),

current_loads as (
    select load_id from {{ ref('stg_meta__load_log') }} where is_latest_load
)

select
    results.layer,
    results.run_id,
    results.load_id,
    results.check_name,
    results.target,
    results.severity,
    results.status,
    results.failures,
    results.details,
    results.details_nb,
    results.source_rows,
    results.sample_values,
    results.recorded_at,
    results.status <> 'pass' as needs_attention
from results
where (results.layer in ('dbt', 'marts') and results.run_id = (select run_id from latest_build))
   or (results.layer = 'ingest' and results.load_id in (select load_id from current_loads))
