-- The source catalogue: ingest's registry (meta.sources), including the short citation printed
-- under charts (short_label: the spec's `label`, else its title).
with

sources as (
    select * from {{ ref('stg_meta__sources') }}
)

select
    cast(source_id as varchar) as source_id,
    cast(publisher as varchar) as publisher,
    cast(title as varchar) as title,
    cast(citation as varchar) as citation,
    cast(licence as varchar) as licence,
    cast(url as varchar) as url,
    cast(coalesce(short_label, {{ dbt.concat(['publisher', "': '", 'title']) }}) as varchar) as source_label,
    cast(file_format as varchar) as file_format,
    cast(file_pattern as varchar) as file_pattern,
    cast(target_table as varchar) as target_table,
    cast(description as varchar) as description
from sources
