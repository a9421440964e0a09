"""Substances: US death rates and trend-panel signals (publish.substance_trends), and the death
series of a place (publish.indicator_series)."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dash_app.queries.connection import _as_list, _frame, cached
from dash_app.queries.series import DEATH_INDICATORS, SERIES_VIEW, _SERIES_SELECT, series_view

DEATH_RATE_INDICATOR = "overdose_death_rate"
SIGNAL_PREFIX = "trend_signal_"


@cached
def available_substances(indicator_id: str = DEATH_RATE_INDICATOR) -> pd.DataFrame:
    """Substances that have data for an indicator: the choices offered by the substance checklist."""
    return _frame(
        """
        select substance_id,
               min(substance_name_en) as substance_name_en,
               min(substance_name_nb) as substance_name_nb,
               min(substance_group) as substance_group,
               cast(count(*) as bigint) as n_rows
        from publish.substance_trends
        where indicator_id = $indicator_id
        group by substance_id
        order by substance_id
        """,
        {"indicator_id": indicator_id},
    )


@cached
def death_rates(substances: Iterable[str] | str | None) -> pd.DataFrame:
    """US overdose death rates per 100,000, one row per substance and year."""
    return _frame(
        """
        select substance_id, substance_name_en, substance_name_nb, geo_code, geo_name,
               year, period_start, period_end, value, value_low, value_high, unit, qualifier,
               source_id, source_label, source_file, source_row
        from publish.substance_trends
        where indicator_id = $indicator_id
          and list_contains(cast($substances as varchar[]), substance_id)
        order by substance_id, period_start
        """,
        {"indicator_id": DEATH_RATE_INDICATOR, "substances": _as_list(substances)},
    )


@cached
def signal_geographies() -> pd.DataFrame:
    """Geographies that have trend-panel signals (Bergen, survey regions), most signals first."""
    return _frame(
        """
        select geo_code, min(geo_name) as geo_name, cast(count(*) as bigint) as n_signals
        from publish.substance_trends
        where starts_with(indicator_id, $prefix)
        group by geo_code
        order by n_signals desc, geo_code
        """,
        {"prefix": SIGNAL_PREFIX},
    )


@cached
def trend_signals(geo_codes: Iterable[str] | str | None) -> pd.DataFrame:
    """Direction signals (-2..+2) with their time spans and Norwegian wording for the given places."""
    return _frame(
        """
        select indicator_id, indicator_name_en, indicator_name_nb, geo_code, geo_name,
               substance_id, substance_name_en, substance_name_nb, substance_group,
               period_type, period_start, period_end, value as direction, qualifier, detail,
               source_id, source_label, source_file, source_row
        from publish.substance_trends
        where starts_with(indicator_id, $prefix)
          and list_contains(cast($geo_codes as varchar[]), geo_code)
        order by geo_code, substance_id, period_start, indicator_id
        """,
        {"prefix": SIGNAL_PREFIX, "geo_codes": _as_list(geo_codes)},
    )


@cached
def death_geographies() -> pd.DataFrame:
    """Places with overdose/drug death series (all sexes and ages): the Substances geography choices."""
    view = series_view()
    geo_name = "min(geo_name)" if view == SERIES_VIEW else "cast(null as varchar)"  # min: the same answer every run
    return _frame(
        f"""
        select geo_code, {geo_name} as geo_name, cast(count(distinct substance_id) as bigint) as n_substances,
               cast(count(*) as bigint) as n_rows, string_agg(distinct indicator_id, ',' order by indicator_id) as indicators
        from publish.{view}
        where list_contains(cast($indicators as varchar[]), indicator_id)
          and sex = 'all' and age_group = 'all' and period_start is not null
        group by geo_code
        order by n_substances desc, geo_code
        """,
        {"indicators": list(DEATH_INDICATORS)},
    )


@cached
def substance_deaths(geo_code: str | None) -> pd.DataFrame:
    """Every death series (all sexes and ages) of one place, all substances."""
    view = series_view()
    return _frame(
        f"""
        select {_SERIES_SELECT[view]}
        from publish.{view}
        where list_contains(cast($indicators as varchar[]), indicator_id)
          and geo_code = $geo_code and sex = 'all' and age_group = 'all' and period_start is not null
        order by indicator_id, substance_id, period_start
        """,
        {"indicators": list(DEATH_INDICATORS), "geo_code": geo_code},
    ).assign(view=view)
