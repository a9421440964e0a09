{#
  Units whose values are counts of events, so that a rate per 100,000 population with an exact
  Poisson interval makes sense (marts.mart_indicator_series, intermediate.int_poisson_event_counts).
  Persons in a register, litres, needles and the like are counted too, but they are not events
  that happen to a population at risk, so they get no rate.
#}
{% macro rate_units() -%}
('deaths', 'callouts', 'admissions')
{%- endmacro %}

{#
  Units whose values cannot be summed over areas (a share, a rate, a direction). Everything else
  is a count or an amount and is summed when municipalities merge and weighted when one splits.
#}
{% macro non_additive_units() -%}
('percent', 'per_100k', 'direction')
{%- endmacro %}
