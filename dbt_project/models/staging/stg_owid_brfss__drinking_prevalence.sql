-- BRFSS drinking prevalence (OWID copy, melted to long at ingest), every load kept; rename/cast
-- only. Observations come from raw.declared_observations.
with

source as (
    select * from {{ source('raw', 'owid_brfss__drinking_prevalence') }}
),

renamed as (
    select
        trim(entity) as entity_label,
        cast("year" as integer) as year,
        series as series_label,
        cast(value as double) as value,
        cast(source_column as integer) as source_column,
        load_id,
        source_file,
        cast(source_row as integer) as source_row
    from source
),

loads as (
    -- only `loaded` loads wrote rows; an `unchanged` log row repeats an earlier load_id
    select load_id, loaded_at, is_latest_load from {{ ref('stg_meta__load_log') }}
    where status = 'loaded'
)

select
    renamed.*,
    loads.loaded_at,
    coalesce(loads.is_latest_load, false) as is_latest_load
from renamed
left join loads on renamed.load_id = loads.load_id
