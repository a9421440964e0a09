{#
  Wilson score interval for a binomial share, in percent (0-100).
    p = yes / n;  c = (p + z^2/(2n)) / (1 + z^2/n)
    h = z * sqrt(p(1-p)/n + z^2/(4n^2)) / (1 + z^2/n);  bounds c -/+ h
  Chosen over the normal (Wald) interval because the survey counts are small (0..13 of ~100):
  Wald gives negative lower bounds and zero-width intervals at 0 yes; Wilson stays inside [0, 1].
  Null when either count is missing or n = 0. z = 1.959964 gives 95 %.
  Only arithmetic and sqrt: portable across adapters.
#}
{% macro wilson_bound(yes_col, n_col, side, z=1.959964) -%}
{%- set zz = z * z -%}
case
    when {{ yes_col }} is null or {{ n_col }} is null or {{ n_col }} <= 0 then null
    else 100.0 * (
        (
            (cast({{ yes_col }} as double precision) / {{ n_col }}) + {{ zz }} / (2.0 * {{ n_col }})
        )
        {{ '-' if side == 'low' else '+' }} {{ z }} * sqrt(
            (cast({{ yes_col }} as double precision) / {{ n_col }})
                * (1.0 - cast({{ yes_col }} as double precision) / {{ n_col }}) / {{ n_col }}
            + {{ zz }} / (4.0 * {{ n_col }} * {{ n_col }})
        )
    ) / (1.0 + {{ zz }} / {{ n_col }})
end
{%- endmacro %}
