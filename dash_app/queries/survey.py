"""Survey rounds (publish.survey_rounds)."""
from __future__ import annotations

import pandas as pd

from dash_app.queries.connection import _frame, cached


@cached
def survey_levels() -> pd.DataFrame:
    """Geography levels present in the survey rounds ('nation', 'georegion'), nation first."""
    return _frame(
        """
        select geo_level, cast(count(*) as bigint) as n_rows,
               cast(count(respondents) as bigint) as n_with_respondents
        from publish.survey_rounds
        group by geo_level
        order by case geo_level when 'nation' then 0 else 1 end, geo_level
        """
    )


@cached
def survey_questions() -> pd.DataFrame:
    return _frame(
        """
        select question_id, min(question_en) as question_en, min(question_nb) as question_nb
        from publish.survey_rounds
        group by question_id
        order by question_id
        """
    )


@cached
def survey_rounds(geo_level: str | None = None) -> pd.DataFrame:
    """Survey rows with counts, shares and Wilson 95% intervals for one geography level (or all)."""
    return _frame(
        """
        select survey_round, survey_monday, reference_start, reference_end, geo_code, geo_name,
               geo_level, question_id, question_nb, question_en, yes_count, respondents,
               reported_pct, share_pct, share_low_pct, share_high_pct, qualifier, pct_check,
               source_id, source_label, source_file, source_row
        from publish.survey_rounds
        where $geo_level is null or geo_level = $geo_level
        order by survey_round, geo_level, geo_name, question_id
        """,
        {"geo_level": geo_level},
    )
