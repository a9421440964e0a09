{#
    Ends a staging model: the rows of `relation` (a CTE of the raw table, renamed) with when their
    load happened and whether it is the newest load of its file. Every raw table carries load_id,
    so every staging model ends the same way; vintages are chosen downstream from these columns.
#}
{% macro attach_load_info(relation) %}
loads as (
    -- only `loaded` loads wrote rows; an `unchanged` log row repeats an earlier load_id
    select load_id, loaded_at, is_latest_load from {{ ref('stg_meta__load_log') }}
    where status = 'loaded'
)

select
    {{ relation }}.*,
    loads.loaded_at,
    coalesce(loads.is_latest_load, false) as is_latest_load
from {{ relation }}
left join loads on {{ relation }}.load_id = loads.load_id
{% endmacro %}
