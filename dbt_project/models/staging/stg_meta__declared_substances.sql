-- Substances introduced by source specs (ingest/sources/*.yml `substances:`), renamed/cast only.
with

source as (
    select * from {{ source('meta', 'declared_substances') }}
),

renamed as (
    select
        cast(substance_id as varchar) as substance_id,
        cast(parent_id as varchar) as parent_id,
        cast(substance_group as varchar) as substance_group,
        cast(name_nb as varchar) as name_nb,
        cast(name_en as varchar) as name_en,
        cast(source_id as varchar) as source_id
    from source
)

select * from renamed
