{#
  Period type of a [start, end] span as printed by a source:
    unspecified  no dates (e.g. "on average 260 a year", period not stated)
    point        start = end (a stock at a date: "at the end of 2015")
    year         1 January .. 31 December of one year
    irregular    any other span ("2015 from April", "2016 until August", 2002-2017)
  Survey rounds are typed survey_round by their own model, not here.
  Written with the dispatched date_part macro (macros/date_part.sql) so it runs on any adapter.
#}
{% macro classify_period(start_col, end_col) -%}
case
    when {{ start_col }} is null and {{ end_col }} is null then 'unspecified'
    when {{ start_col }} = {{ end_col }} then 'point'
    when {{ date_part('month', start_col) }} = 1
     and {{ date_part('day', start_col) }} = 1
     and {{ date_part('month', end_col) }} = 12
     and {{ date_part('day', end_col) }} = 31
     and {{ date_part('year', start_col) }} = {{ date_part('year', end_col) }}
        then 'year'
    else 'irregular'
end
{%- endmacro %}
