{#
  A yes-count can never exceed the number who answered. Rows where either count is missing
  cannot be checked and pass.
#}
{% test yes_within_respondents(model, column_name, respondents_column) %}
select *
from {{ model }}
where {{ column_name }} is not null
  and {{ respondents_column }} is not null
  and ({{ column_name }} < 0 or {{ column_name }} > {{ respondents_column }})
{% endtest %}
