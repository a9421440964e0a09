-- Data-quality view: every rejected file or row with the reason, newest first in the app.
-- Files taken out of data/raw since leave the view (their rejections stay in meta.rejections):
-- a person can act only on files that are still there, and a stray file that matched no source
-- would otherwise keep a row without a source in every later build.
with

latest_event as (
    select source_file, status
    from (
        select
            source_file,
            status,
            row_number() over (partition by source_file order by run_id desc, finished_at desc) as recency
        from {{ ref('stg_meta__load_log') }}
    ) as ranked
    where recency = 1
)

select
    rejections.recorded_at,
    rejections.source_id,
    rejections.source_file,
    rejections.source_row,
    rejections.source_column,
    rejections.value,
    rejections.check_name,
    rejections.reason,
    rejections.reason_nb,
    rejections.load_id
from {{ source('meta_quality', 'rejections') }} as rejections
left join latest_event on rejections.source_file = latest_event.source_file
where coalesce(latest_event.status, '') <> 'removed'
    -- a spec error is a verdict of one ingest run on a spec: only the latest run's still stand
    and (rejections.check_name <> 'spec_error'
         or split_part(rejections.load_id, '-', 1) = (select max(run_id) from {{ ref('stg_meta__load_log') }}))
