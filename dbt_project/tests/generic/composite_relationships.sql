{#
  Every non-null combination of `columns` in the model exists as `fields` in `to`.
  Used for fct_observations -> dim_period, whose key is (period_type, period_start, period_end);
  null dates are compared as equal (unspecified periods have no dates).
#}
{% test composite_relationships(model, columns, to, fields) %}
select child.*
from {{ model }} as child
where not exists (
    select 1
    from {{ to }} as parent
    where
    {%- for col in columns %}
        {% if not loop.first %}and {% endif -%}
        (child.{{ col }} = parent.{{ fields[loop.index0] }}
         or (child.{{ col }} is null and parent.{{ fields[loop.index0] }} is null))
    {%- endfor %}
)
{% endtest %}
