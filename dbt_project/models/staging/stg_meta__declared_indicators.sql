-- Indicators introduced by source specs (ingest/sources/*.yml `indicators:`), renamed/cast only.
with

source as (
    select * from {{ source('meta', 'declared_indicators') }}
),

renamed as (
    select
        cast(indicator_id as varchar) as indicator_id,
        cast(name_nb as varchar) as name_nb,
        cast(name_en as varchar) as name_en,
        cast(unit as varchar) as unit,
        cast(definition_en as varchar) as definition_en,
        cast(source_id as varchar) as source_id,
        cast(suppress_below as integer) as suppress_below
    from source
)

select * from renamed
