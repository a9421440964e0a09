-- One row per file per ingest run. Adds is_latest_load: the newest *loaded* load of each file,
-- which is the load whose rows are current (a later `unchanged` run re-uses it; a later
-- `rejected` run must not hide it).
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

ranked as (
    select
        *,
        -- successful loads first, newest first: rank 1 is the current load when it is `loaded`
        row_number() over (
            partition by source_file
            order by case when status = 'loaded' then 0 else 1 end, loaded_at desc, load_id desc
        ) as load_rank
    from renamed
)

select
    load_id, run_id, source_id, source_file, sha256, status, rows_loaded,
    started_at, finished_at, message, loaded_at,
    (load_rank = 1 and status = 'loaded') as is_latest_load
from ranked
