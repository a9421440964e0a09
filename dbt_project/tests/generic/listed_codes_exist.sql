{#
  Every code in a `separator`-separated list column (former_codes, successor_code: 'a|b|c') exists
  as `field` in `to`, and the list does not name the row's own `self_column` (a code is never its
  own predecessor or successor). Counts the listed codes found in `to` against the number listed,
  so one unknown code in a list fails the row. Rows with a null list pass.
#}
{% test listed_codes_exist(model, column_name, to, field, self_column=none, separator='|') %}
{%- set sep = "'" ~ separator ~ "'" -%}
{%- set padded_list = dbt.concat([sep, 'child.' ~ column_name, sep]) -%}
select child.*
from {{ model }} as child
where child.{{ column_name }} is not null
  and (
      length(child.{{ column_name }}) - length(replace(child.{{ column_name }}, {{ sep }}, '')) + 1
      <> (
          select count(*)
          from {{ to }} as parent
          where {{ dbt.position(dbt.concat([sep, 'parent.' ~ field, sep]), padded_list) }} > 0
      )
      {%- if self_column %}
      or {{ dbt.position(dbt.concat([sep, 'child.' ~ self_column, sep]), padded_list) }} > 0
      {%- endif %}
  )
{% endtest %}
