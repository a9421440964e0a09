{#
  Model-level: every row satisfies `expression` (a SQL boolean over the row; a null result
  passes, so write `x is null or ...` where that is meant). Returns the offending rows.
#}
{% test rows_satisfy(model, expression) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
