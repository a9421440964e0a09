{#
  The reports contradict themselves in places: week 4 printed "10 av 89" as "10 prosent"
  (11.2 %). Those rows are kept as printed, and this check lists them for a person to look at.
  Severity warn: a known disagreement in a published report must not stop the build, but it
  must be visible in every build's results (meta.quality_results). Expected today: 1 row.
#}
{{ config(severity='warn') }}

select
    survey_round, geo_code, question_id, yes_count, respondents, reported_pct, share_pct,
    source_file, source_row
from {{ ref('mart_survey_rounds') }}
where pct_check = 'inconsistent'
