-- Geographies introduced by source specs (ingest/sources/*.yml `geographies:`), renamed/cast only.
with

source as (
    select * from {{ source('meta', 'declared_geographies') }}
),

renamed as (
    select
        cast(geo_code as varchar) as geo_code,
        cast(geo_level as varchar) as geo_level,
        cast(name_nb as varchar) as name_nb,
        cast(name_en as varchar) as name_en,
        cast(parent_code as varchar) as parent_code,
        cast(valid_from_year as integer) as valid_from_year,
        cast(valid_to_year as integer) as valid_to_year,
        cast(source_id as varchar) as source_id
    from source
)

select * from renamed
