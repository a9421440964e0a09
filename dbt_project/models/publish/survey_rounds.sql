-- What the Dash survey view reads. The counts are answers of municipal key informants about
-- drug scenes, not counts of people in care, so no small-number suppression applies here.
select
    survey_round, survey_monday, reference_start, reference_end,
    geo_code, geo_name, geo_level, question_id, question_nb, question_en,
    yes_count, respondents, reported_pct, share_pct, share_low_pct, share_high_pct,
    qualifier, pct_check, source_id, source_label, source_file, source_row
from {{ ref('mart_survey_rounds') }}
