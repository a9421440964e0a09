"""Overdoses: deaths and ambulance callouts (publish.overdose)."""
from __future__ import annotations

import pandas as pd

from dash_app.queries.connection import _as_list, _frame, cached


@cached
def overdose_geographies() -> pd.DataFrame:
    """Places in publish.overdose; those with both deaths and callouts first."""
    return _frame(
        """
        select geo_code, min(geo_name) as geo_name, cast(count(deaths) as bigint) as n_deaths,
               cast(count(callouts) as bigint) as n_callouts,
               cast(count(callouts_per_death) as bigint) as n_both, min(year) as first_year, max(year) as last_year
        from publish.overdose
        group by geo_code
        order by n_both desc, n_callouts desc, geo_code
        """,
        requires=("overdose",),
    )


@cached
def overdose(geo_codes) -> pd.DataFrame:
    return _frame(
        """
        select * from publish.overdose
        where list_contains(cast($geos as varchar[]), geo_code)
        order by geo_code, year
        """,
        {"geos": _as_list(geo_codes)},
        requires=("overdose",),
    )
