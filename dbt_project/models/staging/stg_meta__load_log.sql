-- One row per file per ingest run (meta.load_log), with the vintage bookkeeping of each load:
--   is_latest_load  the newest *loaded* load of the file: the load whose rows are current (a later
--                   `unchanged` run re-uses it; a later `rejected` run must not hide it)
--   superseded_at   loaded_at of the next `loaded` load of the same file; null while current.
-- An `unchanged` run writes no rows and logs the load_id of the earlier load it matched, so
-- load_id is unique only among `loaded` rows; staging models join `where status = 'loaded'`.
with

source as (
    select * from {{ source('meta', 'load_log') }}
),

renamed as (
    select
        cast(load_id as varchar) as load_id,
        cast(run_id as varchar) as run_id,
        cast(source_id as varchar) as source_id,
        cast(source_file as varchar) as source_file,
        cast(sha256 as varchar) as sha256,
        cast(status as varchar) as status,
        cast(rows_loaded as bigint) as rows_loaded,
        cast(started_at as timestamp) as started_at,
        cast(finished_at as timestamp) as finished_at,
        cast(message as varchar) as message,
        -- The vintage of a load's rows: when they were committed.
        cast(coalesce(finished_at, started_at) as timestamp) as loaded_at
    from source
),

vintages as (
    -- successive `loaded` loads of one file: each is superseded by the next one
    select
        load_id,
        lead(loaded_at) over (partition by source_file order by loaded_at, load_id) as superseded_at
    from renamed
    where status = 'loaded'
)

select
    renamed.load_id, renamed.run_id, renamed.source_id, renamed.source_file, renamed.sha256,
    renamed.status, renamed.rows_loaded, renamed.started_at, renamed.finished_at, renamed.message,
    renamed.loaded_at,
    vintages.superseded_at,
    coalesce(renamed.status = 'loaded' and vintages.superseded_at is null, false) as is_latest_load
from renamed
left join vintages
    on renamed.load_id = vintages.load_id
   and renamed.status = 'loaded'
