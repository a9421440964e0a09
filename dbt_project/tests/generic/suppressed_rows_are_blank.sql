{#
  Suppression means blank, not zero and not leaked: a suppressed row shows no value, bounds or
  numerator, and no unsuppressed row of a rule-bound indicator shows a number below the rule.
#}
{% test suppressed_rows_are_blank(model) %}
select *
from {{ model }}
where (is_suppressed and (value is not null or value_low is not null
                          or value_high is not null or numerator is not null))
   or (not is_suppressed and suppress_below is not null
       and coalesce(value, value_high, value_low) < suppress_below)
{% endtest %}
