{#
  Every row satisfies `expression` (a SQL boolean over the row; rows where it is null pass, so
  write `x is null or ...` only when null must fail). Attached to the column the rule is about,
  so coverage counts it for that column. (dbt_utils.expression_is_true, which we cannot install.)
#}
{% test expression_is_true(model, column_name, expression) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
