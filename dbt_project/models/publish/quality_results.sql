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
),

-- the Norwegian note, lines and values of each result (meta.quality_notes), one row per result
-- even if two results of a run shared their whole key
notes as (
    select
        run_id, load_id, layer, check_name, target, details,
        any_value(details_nb) as details_nb,
        any_value(source_rows) as source_rows,
        any_value(sample_values) as sample_values
    from {{ source('meta_quality', 'quality_notes') }}
    group by all
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
    notes.details_nb,
    notes.source_rows,
    notes.sample_values,
    results.recorded_at,
    results.status <> 'pass' as needs_attention
from results
left join notes
    on results.run_id = notes.run_id
    and results.layer = notes.layer
    and results.check_name = notes.check_name
    and results.load_id is not distinct from notes.load_id
    and results.target is not distinct from notes.target
    and results.details is not distinct from notes.details
where (results.layer in ('dbt', 'marts') and results.run_id = (select run_id from latest_build))
   or (results.layer = 'ingest' and results.load_id in (select load_id from current_loads))
