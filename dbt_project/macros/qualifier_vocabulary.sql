{#
  The one vocabulary of `qualifier` (how to read a number), used by every accepted_values test on
  a qualifier column (fct_observations, the intermediate series, the publish views), so a new
  qualifier is added in one place (vars.qualifiers in dbt_project.yml, which ingest reads too):
    exact, approx, estimated (imputed or flagged e by the publisher), below/above/range (bounds,
    value null), derived_from_total (a regional count = national total minus the other regions),
    derived (computed here from counts), average_unspecified_period, suppressed (withheld by the
    publisher, value null), not_available (the publisher had no number: value null; e.g. an
    age band printed as 0 whose group does not add up, int_observations_age_bands_checked),
    not_aggregable (a share/rate/direction of merged areas that cannot be recomputed).
#}
{% macro qualifier_vocabulary() -%}
{{ return(var('qualifiers')) }}
{%- endmacro %}
