-- One row per file per ingest run (meta.load_log), with the vintage bookkeeping of each load:
--   is_latest_load  the newest *loaded* load of the file, if the file is still there: the load
--                   whose rows are current (a later `unchanged` run re-uses it; a later `rejected`
--                   run must not hide it; a later `removed` event ends it)
--   superseded_at   when the load stopped being current: loaded_at of the file's next `loaded`
--                   load or `removed` event; null while current.
--   is_withdrawn    the file was removed from data/raw after this load: the data engineer took
--                   the file back, so its rows leave staging and every mart (attach_load_info),
--                   even those of earlier versions (a bad file is often bad in every version, and
--                   its rows must not keep failing the build). The history stays here and in raw.
-- An `unchanged` run writes no rows and logs the load_id of the earlier load it matched, and a
-- `removed` event logs the load_id of the file's last verdict, so load_id is unique only among
-- `loaded` rows; staging models join `where status = 'loaded'`.
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
        -- The vintage of a load's rows: when they were committed (for `removed`: when ingest
        -- found the file gone, the moment its rows stopped being current).
        cast(coalesce(finished_at, started_at) as timestamp) as loaded_at
    from source
),

vintages as (
    -- the events that change which rows of a file are current, in order: each `loaded` load is
    -- ended by the next one, or by the file's removal. A file has one event per run, and run_id
    -- (a microsecond timestamp) orders them where loaded_at (seconds) ties.
    select
        load_id,
        run_id,
        status,
        lead(loaded_at) over (partition by source_file order by loaded_at, run_id, load_id) as superseded_at
    from renamed
    where status in ('loaded', 'removed')
),

removals as (
    select source_file, max(run_id) as last_removed_run_id
    from renamed
    where status = 'removed'
    group by source_file
)

select
    renamed.load_id, renamed.run_id, renamed.source_id, renamed.source_file, renamed.sha256,
    renamed.status, renamed.rows_loaded, renamed.started_at, renamed.finished_at, renamed.message,
    renamed.loaded_at,
    vintages.superseded_at,
    coalesce(renamed.status = 'loaded' and vintages.superseded_at is null, false) as is_latest_load,
    coalesce(renamed.status = 'loaded' and renamed.run_id < removals.last_removed_run_id, false) as is_withdrawn
from renamed
left join vintages
    on renamed.load_id = vintages.load_id
   and renamed.run_id = vintages.run_id
   and renamed.status = 'loaded'
   and vintages.status = 'loaded'
left join removals on renamed.source_file = removals.source_file
