"""Indicator series (publish.indicator_series, falling back to publish.observations): the Explorer,
the Overview cards, trend statistics (publish.trend_stats)."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dash_app.queries.connection import _as_list, _frame, cached, published_views


SERIES_VIEW = "indicator_series"


FALLBACK_VIEW = "observations"


DEATH_INDICATORS = ("overdose_death_rate", "overdose_deaths", "drug_related_deaths_nrs",
                    "drug_dependence_deaths", "overdose_deaths_residents")

# The same columns from either view; what only indicator_series has is null on the fallback.


_SERIES_SELECT = {
    SERIES_VIEW: """
        indicator_id, indicator_name_nb, indicator_name_en, unit, geo_code, geo_name, period_type,
        period_start, period_end, year, substance_id, substance_name_nb, substance_name_en, sex, age_group,
        breakdown, value, value_low, value_high, qualifier, is_provisional, is_suppressed,
        rate_per_100k, rate_low, rate_high, rate_unreliable, index_value, vintage,
        source_id, source_label, source_file, source_row""",
    FALLBACK_VIEW: """
        indicator_id, indicator_name_nb, indicator_name_en, unit, geo_code, cast(null as varchar) as geo_name,
        period_type, period_start, period_end, cast(year(period_start) as integer) as year, substance_id,
        cast(null as varchar) as substance_name_nb, cast(null as varchar) as substance_name_en, sex, age_group,
        breakdown, value, value_low, value_high, qualifier, is_provisional, is_suppressed,
        cast(null as double) as rate_per_100k, cast(null as double) as rate_low, cast(null as double) as rate_high,
        cast(null as boolean) as rate_unreliable, cast(null as double) as index_value, vintage,
        source_id, cast(null as varchar) as source_label, source_file, source_row""",
}


def series_view() -> str:
    """'indicator_series' once it is published, else 'observations'."""
    return SERIES_VIEW if SERIES_VIEW in published_views() else FALLBACK_VIEW


@cached
def explorer_indicators() -> pd.DataFrame:
    """Indicators with at least one dated row: the choices of the Explorer."""
    view = series_view()
    return _frame(
        f"""
        select indicator_id, min(indicator_name_nb) as indicator_name_nb,
               min(indicator_name_en) as indicator_name_en, min(unit) as unit,
               cast(count(*) as bigint) as n_rows
        from publish.{view}
        where period_start is not null
        group by indicator_id
        order by indicator_id
        """
    ).assign(view=view)


@cached
def explorer_options(indicator_id: str) -> pd.DataFrame:
    """Distinct geography, period type and series keys of one indicator, with their year span."""
    view = series_view()
    geo_name = "min(geo_name)" if view == SERIES_VIEW else "cast(null as varchar)"
    return _frame(
        f"""
        select geo_code, {geo_name} as geo_name, period_type, substance_id, sex, age_group, breakdown,
               cast(count(*) as bigint) as n_rows,
               cast(min(year(period_start)) as integer) as first_year,
               cast(max(year(period_start)) as integer) as last_year
        from publish.{view}
        where indicator_id = $indicator_id and period_start is not null
        group by geo_code, period_type, substance_id, sex, age_group, breakdown
        order by geo_code, period_type, substance_id, sex, age_group, breakdown
        """,
        {"indicator_id": indicator_id},
    )


@cached
def series_rows(indicator_id: str, geo_codes, period_type: str | None = None, substance_id: str | None = None,
                sex: str | None = None, age_group: str | None = None, breakdown: str | None = None,
                year_from: int | None = None, year_to: int | None = None) -> pd.DataFrame:
    """Rows of one indicator for some places; every filter is a bound parameter (None: no filter)."""
    view = series_view()
    return _frame(
        f"""
        select {_SERIES_SELECT[view]}
        from publish.{view}
        where indicator_id = $indicator_id
          and list_contains(cast($geo_codes as varchar[]), geo_code)
          and period_start is not null
          and ($period_type is null or period_type = $period_type)
          and ($substance_id is null or substance_id = $substance_id)
          and ($sex is null or sex = $sex)
          and ($age_group is null or age_group = $age_group)
          and ($breakdown is null or breakdown = $breakdown)
          and ($year_from is null or year(period_start) >= $year_from)
          and ($year_to is null or year(period_start) <= $year_to)
        order by geo_code, substance_id, period_start
        """,
        {"indicator_id": indicator_id, "geo_codes": _as_list(geo_codes), "period_type": period_type,
         "substance_id": substance_id, "sex": sex, "age_group": age_group, "breakdown": breakdown,
         "year_from": None if year_from is None else int(year_from),
         "year_to": None if year_to is None else int(year_to)},
    ).assign(view=view)


@cached
def key_series(keys: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Rows (all sexes and ages) of (indicator_id, geo_code) pairs, for the Overview cards."""
    view = series_view()
    wanted = [f"{i}|{g}" for i, g in keys]
    return _frame(
        f"""
        select {_SERIES_SELECT[view]}
        from publish.{view}
        where list_contains(cast($keys as varchar[]), indicator_id || '|' || geo_code)
          and sex = 'all' and age_group = 'all' and period_start is not null
        order by indicator_id, geo_code, substance_id, breakdown, period_start
        """,
        {"keys": wanted},
    ).assign(view=view)


@cached
def trend_stats(indicator_ids, geo_codes=None) -> pd.DataFrame:
    """Trend statistics of the series of some indicators (and places)."""
    geos = None if geo_codes is None else _as_list(geo_codes)
    return _frame(
        """
        select * from publish.trend_stats
        where list_contains(cast($ids as varchar[]), indicator_id)
          and ($geos is null or list_contains(cast($geos as varchar[]), geo_code))
        """,
        {"ids": _as_list(indicator_ids), "geos": geos},
        requires=("trend_stats",),
    )
