-- The source catalogue: ingest's registry (meta.sources) plus the short citation printed under
-- charts (seed source_citations). Left join: a source without a short label falls back to
-- "publisher: title".
with

sources as (
    select * from {{ ref('stg_meta__sources') }}
),

citations as (
    select * from {{ ref('source_citations') }}
)

select
    cast(sources.source_id as varchar) as source_id,
    cast(sources.publisher as varchar) as publisher,
    cast(sources.title as varchar) as title,
    cast(sources.citation as varchar) as citation,
    cast(sources.licence as varchar) as licence,
    cast(sources.url as varchar) as url,
    cast(coalesce(citations.source_label,
                  {{ dbt.concat(['sources.publisher', "': '", 'sources.title']) }}) as varchar) as source_label,
    cast(sources.file_format as varchar) as file_format,
    cast(sources.file_pattern as varchar) as file_pattern,
    cast(sources.target_table as varchar) as target_table,
    cast(sources.description as varchar) as description
from sources
left join citations
    on sources.source_id = citations.source_id
