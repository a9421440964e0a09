{# A period never ends before it starts. Rows with a missing date pass (unspecified periods). #}
{% test period_start_not_after_end(model, start_column='period_start', end_column='period_end') %}
select *
from {{ model }}
where {{ start_column }} is not null
  and {{ end_column }} is not null
  and {{ start_column }} > {{ end_column }}
{% endtest %}
