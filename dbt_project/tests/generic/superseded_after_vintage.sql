{#
  A vintage is superseded only by a later load: superseded_at, when set, is after the row's own
  vintage (loaded_at). Also: a row is the latest vintage exactly when it is not superseded.
#}
{% test superseded_after_vintage(model, column_name, vintage_column='vintage', latest_column='is_latest_vintage') %}
select *
from {{ model }}
where ({{ column_name }} is not null and {{ column_name }} <= {{ vintage_column }})
   or ({{ latest_column }} and {{ column_name }} is not null)
   or (not {{ latest_column }} and {{ column_name }} is null)
{% endtest %}
