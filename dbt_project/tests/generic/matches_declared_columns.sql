{#
  The table has exactly the columns its YAML declares, in that order, with the declared
  data_type: a contract check for models dbt cannot enforce contracts on (Python models).
  Types are compared by DuckDB's information_schema name (varchar -> VARCHAR, integer -> INTEGER,
  double -> DOUBLE). Returns one row per column that is missing, extra, misplaced or mistyped.
#}
{% test matches_declared_columns(model) %}
{%- set node = [] -%}
{%- if execute -%}
{%- set node = (graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                | selectattr('alias', 'equalto', model.identifier) | list) -%}
{%- endif -%}
{%- set declared = node[0].columns.values() | list if node else [] -%}
with declared as (
    {%- for col in declared %}
    select {{ loop.index }} as position, lower('{{ col.name }}') as column_name,
           upper('{{ col.data_type }}') as data_type
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
    {%- if not declared %}select null as position, null as column_name, null as data_type where false{% endif %}
),
actual as (
    select ordinal_position as position, lower(column_name) as column_name, upper(data_type) as data_type
    from information_schema.columns
    where table_schema = '{{ model.schema }}' and table_name = '{{ model.identifier }}'
)
select coalesce(declared.column_name, actual.column_name) as column_name,
       declared.position as declared_position, actual.position as actual_position,
       declared.data_type as declared_type, actual.data_type as actual_type
from declared
full outer join actual on declared.column_name = actual.column_name
where declared.column_name is null or actual.column_name is null
   or declared.position <> actual.position or declared.data_type <> actual.data_type
{% endtest %}
