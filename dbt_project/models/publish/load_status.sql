-- Data-quality view: one row per source file ingest has seen, with its last verdict and the
-- vintage currently published. status, message, last_loaded_at, last_load_id = the file's newest
-- ingest run (loaded, unchanged or rejected); vintage, rows_loaded, load_id = its newest `loaded` load, whose rows are the ones published (a
-- later rejected run does not replace them). A file removed from data/raw keeps its row here with
-- status `removed` and nothing published (its history stays in meta.load_log).
with

load_log as (
    select * from {{ ref('stg_meta__load_log') }}
),

sources as (
    select source_id, source_label from {{ ref('dim_source') }}
),

last_run as (
    select * from (
        select
            load_log.*,
            row_number() over (partition by source_file order by started_at desc, finished_at desc, run_id desc) as recency
        from load_log
    ) as ranked
    where recency = 1
),

current_load as (
    select source_file, load_id, loaded_at, rows_loaded
    from load_log
    where is_latest_load
),

-- warnings the ingest checks found in each load: the Data quality view says "loaded with N
-- warnings" in the page's language and lists each check, instead of the English message
warnings_per_load as (
    select load_id, cast(count(*) as integer) as n_warnings
    from {{ source('meta_quality', 'quality_results') }}
    where layer = 'ingest' and status = 'warn'
    group by load_id
),

loads_per_file as (
    select
        source_file,
        cast(sum(case when status = 'loaded' then 1 else 0 end) as integer) as n_vintages,
        cast(sum(case when status = 'rejected' then 1 else 0 end) as integer) as n_rejected_runs
    from load_log
    group by source_file
),

per_file as (
select
    last_run.source_id,
    sources.source_label,
    last_run.source_file,
    last_run.status,
    last_run.message,
    coalesce(last_run.finished_at, last_run.started_at) as last_loaded_at,
    current_load.loaded_at as vintage,
    current_load.rows_loaded as rows_loaded,
    current_load.load_id as load_id,
    last_run.load_id as last_load_id,
    last_run.run_id as last_run_id,
    loads_per_file.n_vintages,
    loads_per_file.n_rejected_runs,
    coalesce(warnings_per_load.n_warnings, 0) as n_warnings,
    case
        when last_run.status = 'removed' then 'removed'
        when last_run.status = 'rejected' and current_load.load_id is not null then 'rejected_previous_vintage_published'
        when last_run.status = 'rejected' then 'rejected_nothing_published'
        else 'published'
    end as publication_status,
    -- the traffic light of this file: red when its newest file was refused (what is published is
    -- an older vintage, or nothing), amber when it loaded with warnings or left data/raw
    case
        when last_run.status = 'rejected' then 'red'
        when last_run.status = 'removed' then 'amber'
        when last_run.status = 'loaded' and last_run.message is not null then 'amber'
        else 'green'
    end as file_status
from last_run
left join current_load on last_run.source_file = current_load.source_file
left join loads_per_file on last_run.source_file = loads_per_file.source_file
left join sources on last_run.source_id = sources.source_id
left join warnings_per_load on last_run.load_id = warnings_per_load.load_id
-- A removed file of no registered source (a stray file, or a source whose spec was removed with
-- its files) has nothing to show and no source to show it under: it leaves the view, its history
-- stays in meta.load_log. Kept, it would fail the source tests of every later build.
where not (last_run.status = 'removed' and sources.source_id is null)
),

-- a source is as red as its worst file; the reason names that file and what happened to it
worst as (
    select
        source_id,
        max(case file_status when 'red' then 3 when 'amber' then 2 else 1 end) as severity,
        arg_max(
            source_file || ': ' || case
                when status = 'rejected' and publication_status = 'rejected_previous_vintage_published'
                    then 'the newest file was rejected, its last good vintage is published'
                when status = 'rejected' then 'the file was rejected and nothing of it is published'
                when status = 'removed' then 'removed from data/raw, its rows left the marts'
                else 'loaded with warnings: ' || coalesce(message, '')
            end,
            case file_status when 'red' then 3 when 'amber' then 2 else 1 end
        ) as reason
    from per_file
    group by source_id
)

select
    per_file.*,
    case worst.severity when 3 then 'red' when 2 then 'amber' else 'green' end as source_status,
    case when worst.severity > 1 then worst.reason end as source_status_reason
from per_file
left join worst on per_file.source_id is not distinct from worst.source_id

