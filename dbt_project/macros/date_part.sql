{#
  Year/month/day of a date. dbt-core ships no cross-database date_part macro, so this is one,
  dispatched like dbt's own (adapter.dispatch) so an adapter that lacks ANSI `extract` can get
  its own implementation without touching the models.
#}
{% macro date_part(datepart, date_expr) -%}
    {{ return(adapter.dispatch('date_part', 'trendvakt')(datepart, date_expr)) }}
{%- endmacro %}

{% macro default__date_part(datepart, date_expr) -%}
    extract({{ datepart }} from {{ date_expr }})
{%- endmacro %}
