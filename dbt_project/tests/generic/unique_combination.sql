{#
  The listed columns together identify a row (dbt_utils.unique_combination_of_columns, which we
  cannot install: the package hub is unreachable from the build machines).
#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
