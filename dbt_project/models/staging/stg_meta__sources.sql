-- The source registry written by ingest, renamed/cast only.
with

source as (
    select * from {{ source('meta', 'sources') }}
),

renamed as (
    select
        cast(source_id as varchar) as source_id,
        cast(publisher as varchar) as publisher,
        cast(title as varchar) as title,
        cast(citation as varchar) as citation,
        cast(licence as varchar) as licence,
        cast(url as varchar) as url,
        cast(format as varchar) as file_format,
        cast(file_pattern as varchar) as file_pattern,
        cast(target_table as varchar) as target_table,
        cast(description as varchar) as description,
        -- short citation printed under charts (the spec's `label`, else its title)
        cast(short_label as varchar) as short_label
    from source
)

select * from renamed
