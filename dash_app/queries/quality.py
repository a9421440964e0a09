"""Data quality (publish.load_status, publish.rejections, publish.quality_results) and the source
catalogue with its coverage."""
from __future__ import annotations

import pandas as pd

from dash_app.queries.connection import _frame, cached


@cached
def load_status() -> pd.DataFrame:
    return _frame("select * from publish.load_status", requires=("load_status",))


@cached
def rejections() -> pd.DataFrame:
    return _frame("select * from publish.rejections", requires=("rejections",))


@cached
def quality_results() -> pd.DataFrame:
    return _frame("select * from publish.quality_results", requires=("quality_results",))


@cached
def source_coverage() -> pd.DataFrame:
    """publish.sources with first/last period, observations and indicators from publish.observations."""
    return _frame(
        """
        with cov as (
            select source_id, min(period_start) as first_period, max(period_end) as last_period,
                   cast(count(*) as bigint) as n_observations,
                   cast(count(distinct indicator_id) as bigint) as n_indicators,
                   max(vintage) as vintage
            from publish.observations group by source_id
        )
        select s.source_id, s.publisher, s.title, s.citation, s.licence, s.url,
               cov.first_period, cov.last_period, coalesce(cov.n_observations, 0) as n_observations,
               coalesce(cov.n_indicators, 0) as n_indicators, cov.vintage
        from publish.sources s left join cov using (source_id)
        order by s.source_id
        """
    )
