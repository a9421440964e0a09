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

loads_per_file as (
    select
        source_file,
        cast(sum(case when status = 'loaded' then 1 else 0 end) as integer) as n_vintages,
        cast(sum(case when status = 'rejected' then 1 else 0 end) as integer) as n_rejected_runs
    from load_log
    group by source_file
)

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
    case
        when last_run.status = 'removed' then 'removed'
        when last_run.status = 'rejected' and current_load.load_id is not null then 'rejected_previous_vintage_published'
        when last_run.status = 'rejected' then 'rejected_nothing_published'
        else 'published'
    end as publication_status
from last_run
left join current_load on last_run.source_file = current_load.source_file
left join loads_per_file on last_run.source_file = loads_per_file.source_file
left join sources on last_run.source_id = sources.source_id
-- A removed file of no registered source (a stray file, or a source whose spec was removed with
-- its files) has nothing to show and no source to show it under: it leaves the view, its history
-- stays in meta.load_log. Kept, it would fail the source tests of every later build.
where not (last_run.status = 'removed' and sources.source_id is null)
