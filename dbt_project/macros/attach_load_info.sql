{#
    Ends a staging model: the rows of `relation` (a CTE of the raw table, renamed) with when their
    load happened and whether it is the newest load of its file. Every raw table carries load_id,
    so every staging model ends the same way; vintages are chosen downstream from these columns.

    Rows of a withdrawn load (its file was removed from data/raw afterwards: stg_meta__load_log)
    are left out: a file taken back leaves every mart at the next build, and a bad file's rows do
    not keep failing the build's tests. Its history stays in meta.load_log and in the raw table.

    Rows that another active file of the same source overrides by the spec's `supersedes:` rule
    (meta.superseded_rows, recomputed by ingest whenever the source's active files change) are
    left out here, so no model downstream counts a key twice. They stay in the raw table and in
    meta.superseded_rows. Rows of wide files are cells: a model whose rows carry source_column
    matches it too, so a correction of one cell leaves the other cells of the line in place.
#}
{% macro attach_load_info(relation) %}
{%- set has_source_column = 'source_column' in (model.raw_code or '') -%}
loads as (
    -- only `loaded` loads wrote rows; an `unchanged` log row repeats an earlier load_id
    select load_id, loaded_at, is_latest_load, is_withdrawn from {{ ref('stg_meta__load_log') }}
    where status = 'loaded'
),

superseded as (
    select load_id, source_row, source_column from {{ source('ingest_lifecycle', 'superseded_rows') }}
)

select
    {{ relation }}.*,
    loads.loaded_at,
    coalesce(loads.is_latest_load, false) as is_latest_load
from {{ relation }}
left join loads on {{ relation }}.load_id = loads.load_id
where not coalesce(loads.is_withdrawn, false)
  and not exists (
    select 1 from superseded
    where superseded.load_id = {{ relation }}.load_id
      and superseded.source_row = {{ relation }}.source_row
      {%- if has_source_column %}
      and (superseded.source_column is null or superseded.source_column = {{ relation }}.source_column)
      {%- endif %}
)
{% endmacro %}
