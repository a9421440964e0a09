{#
  Puts a printed number into value / value_low / value_high according to its qualifier, so that
  a bound or a range is never read as a number:
    below   "just under 30"       -> value null, value_high = the bound (29 as transcribed)
    above   "over 6000"           -> value null, value_low  = the bound
    range   "between 31 and 36"   -> value null, value_low, value_high
    others  (exact, approx, ...)  -> value as given, bounds as given
  The transcription sometimes puts the bound in `value` (NA02 "over 6000" has value=6000 and no
  value_low); the coalesce moves it to the bound column. No midpoint is ever invented.
  Returns three select-list expressions named value, value_low, value_high.
#}
{% macro harmonise_bounds(qualifier, value, value_low, value_high) -%}
    case when {{ qualifier }} in ('below', 'above', 'range') then null else {{ value }} end as value,
    case
        when {{ qualifier }} = 'above' then coalesce({{ value_low }}, {{ value }})
        when {{ qualifier }} = 'below' then null
        else {{ value_low }}
    end as value_low,
    case
        when {{ qualifier }} = 'below' then coalesce({{ value_high }}, {{ value }})
        when {{ qualifier }} = 'above' then null
        else {{ value_high }}
    end as value_high
{%- endmacro %}
