{#
  Use a model's custom schema verbatim (staging, intermediate, marts, publish, catalogue) instead
  of dbt's default "<target_schema>_<custom>". The schema names are part of the contract with
  the Dash app and analysts (docs/contracts.md), so they must not depend on the target.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
