{#
  Harmonised value columns obey the qualifier: below/above/range rows carry bounds and no value
  (never an invented midpoint); value_low <= value_high when both exist.
#}
{% test bounds_consistent(model) %}
select *
from {{ model }}
where (qualifier in ('below', 'above', 'range') and value is not null)
   or (qualifier = 'below' and value_high is null)
   or (qualifier = 'above' and value_low is null)
   or (qualifier = 'range' and (value_low is null or value_high is null))
   or (value_low is not null and value_high is not null and value_low > value_high)
{% endtest %}
