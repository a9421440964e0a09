"""All SQL of the Dash app.

Rules kept by every function here:

* it opens a short-lived, read-only connection and closes it before returning, so `make build` can
  atomically replace the warehouse file between two requests (DuckDB allows one writer or many
  readers, never both);
* user input reaches DuckDB only as bound parameters (`$name`), never through string formatting;
* it reads only the `publish` schema, the contract between dbt and the app (docs/contracts.md);
* it returns a pandas DataFrame (or a plain value for one-value look-ups).

When the warehouse cannot be read, `WarehouseUnavailable` is raised with a message a person can act
on; the pages turn it into a friendly notice instead of a stack trace.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from dash_app import config

DEATH_RATE_INDICATOR = "overdose_death_rate"
SIGNAL_PREFIX = "trend_signal_"


class WarehouseUnavailable(RuntimeError):
    """The published warehouse is missing, incomplete or cannot be opened right now."""


class NotYetPublished(WarehouseUnavailable):
    """A publish view the app can use (docs/contracts.md, "Planned") is not in this warehouse yet."""

    def __init__(self, view: str):
        self.view = view
        super().__init__(f"publish.{view} is not yet published: run make build, then reload the page.")


def _path() -> Path:
    return config.warehouse_path()


@contextmanager
def _connect() -> Iterator[duckdb.DuckDBPyConnection]:
    path = _path()
    if not path.is_file():
        raise WarehouseUnavailable(
            f"No published warehouse at {path}. Run `make build` (or set TRENDVAKT_WAREHOUSE "
            "to a built warehouse.duckdb) and reload the page."
        )
    # A cursor on the file as published right now (warehouse/connection.py): a request that starts
    # after a publish reads the new file, never a DuckDB instance this process kept of the old one.
    # Replacement scans (a missing view falling back to a Python variable) are off there.
    from contextlib import ExitStack

    from warehouse.connection import open_published_reader

    with ExitStack() as stack:
        try:
            con = stack.enter_context(open_published_reader(path))
        except (duckdb.Error, OSError) as exc:  # e.g. the file is being replaced or is not a DuckDB file
            raise WarehouseUnavailable(
                f"The warehouse at {path} could not be opened ({exc.__class__.__name__}: {exc}). "
                "If a build is running, wait for it to finish and reload; otherwise run `make build`."
            ) from exc
        yield con


def _publish_views(con) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'publish'"
    ).fetchall()
    return {r[0] for r in rows}


def _frame(sql: str, params: dict | None = None, requires: Iterable[str] = ()) -> pd.DataFrame:
    """Run one query on a fresh read-only connection. `requires`: publish views that must exist
    (NotYetPublished names the first missing one)."""
    with _connect() as con:
        if requires:
            present = _publish_views(con)
            for view in requires:
                if view not in present:
                    raise NotYetPublished(view)
        try:
            return con.execute(sql, params or {}).df()
        except duckdb.CatalogException as exc:
            raise WarehouseUnavailable(
                f"The warehouse at {_path()} lacks a published view the app needs ({exc}). "
                "Run `make build` to publish it."
            ) from exc
        except duckdb.IOException as exc:  # the file was swapped under a lazy read
            raise WarehouseUnavailable(f"The warehouse could not be read right now ({exc}); reload.") from exc


def published_views() -> set[str]:
    """Names of the views in the publish schema of the current warehouse."""
    with _connect() as con:
        return _publish_views(con)


def view_columns(view: str) -> set[str]:
    """Column names of one publish view (empty when it does not exist)."""
    frame = _frame(
        "select column_name from information_schema.columns where table_schema = 'publish' and table_name = $v",
        {"v": view},
    )
    return set(frame["column_name"])


def _as_list(values: Iterable[str] | str | None) -> list[str]:
    """Normalise a control value (None, one string or many) to a list of strings."""
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values if v is not None]


# --------------------------------------------------------------------------------------------
# Substances: US death rates and trend-panel signals (publish.substance_trends)
# --------------------------------------------------------------------------------------------

def available_substances(indicator_id: str = DEATH_RATE_INDICATOR) -> pd.DataFrame:
    """Substances that have data for an indicator: the choices offered by the substance checklist."""
    return _frame(
        """
        select substance_id,
               any_value(substance_name_en) as substance_name_en,
               any_value(substance_name_nb) as substance_name_nb,
               any_value(substance_group) as substance_group,
               cast(count(*) as bigint) as n_rows
        from publish.substance_trends
        where indicator_id = $indicator_id
        group by substance_id
        order by substance_id
        """,
        {"indicator_id": indicator_id},
    )


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


def signal_geographies() -> pd.DataFrame:
    """Geographies that have trend-panel signals (Bergen, survey regions), most signals first."""
    return _frame(
        """
        select geo_code, any_value(geo_name) as geo_name, cast(count(*) as bigint) as n_signals
        from publish.substance_trends
        where starts_with(indicator_id, $prefix)
        group by geo_code
        order by n_signals desc, geo_code
        """,
        {"prefix": SIGNAL_PREFIX},
    )


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


# --------------------------------------------------------------------------------------------
# Alcohol (publish.alcohol_sales)
# --------------------------------------------------------------------------------------------

def alcohol_geographies() -> pd.DataFrame:
    return _frame(
        """
        select geo_code, any_value(geo_name) as geo_name, min(year) as first_year, max(year) as last_year
        from publish.alcohol_sales
        group by geo_code
        order by geo_code
        """
    )


ALCOHOL_NEW_COLUMNS = ("pure_alcohol_litres", "litres_per_capita_15plus",
                       "pure_alcohol_per_capita_15plus", "assumed_abv")


def alcohol_sales(geo_code: str | None = None) -> pd.DataFrame:
    """Sales by beverage group and year (all places, or one). The columns planned in the contract
    (pure alcohol, per capita 15+) are read when the view has them and are null otherwise."""
    present = view_columns("alcohol_sales")
    # Column names come from the constant list above, checked against the catalogue: no user input.
    extra = ", ".join(c if c in present else f"cast(null as double) as {c}" for c in ALCOHOL_NEW_COLUMNS)
    return _frame(
        f"""
        select geo_code, geo_name, year, period_start, period_end, substance_id,
               beverage_name_nb, beverage_name_en, litres, share_of_total_pct,
               change_from_previous_pct, {extra}, qualifier, source_id, source_label, source_file, source_row
        from publish.alcohol_sales
        where $geo_code is null or geo_code = $geo_code
        order by geo_code, substance_id, year
        """,
        {"geo_code": geo_code},
    )


# --------------------------------------------------------------------------------------------
# Survey rounds (publish.survey_rounds)
# --------------------------------------------------------------------------------------------

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


def survey_questions() -> pd.DataFrame:
    return _frame(
        """
        select question_id, any_value(question_en) as question_en, any_value(question_nb) as question_nb
        from publish.survey_rounds
        group by question_id
        order by question_id
        """
    )


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


# --------------------------------------------------------------------------------------------
# Sources (publish.sources and the source_label carried by every published row)
# --------------------------------------------------------------------------------------------

def sources(source_ids: Iterable[str] | str | None = None) -> pd.DataFrame:
    """The source catalogue; all sources when `source_ids` is None."""
    ids = None if source_ids is None else _as_list(source_ids)
    return _frame(
        """
        select source_id, publisher, title, citation, licence, url
        from publish.sources
        where $ids is null or list_contains(cast($ids as varchar[]), source_id)
        order by source_id
        """,
        {"ids": ids},
    )


def source_label(source_id: str) -> str | None:
    """The human-readable label of a source, as carried by the published rows.

    Falls back to "publisher: title" from publish.sources; None for an unknown source id.
    """
    frame = _frame(
        """
        with labels as (
            select source_id, source_label from publish.substance_trends where source_id = $id
            union all
            select source_id, source_label from publish.alcohol_sales where source_id = $id
            union all
            select source_id, source_label from publish.survey_rounds where source_id = $id
        ),
        label as (
            select min(source_label) as source_label from labels where source_label is not null
        )
        select coalesce(
                   (select source_label from label),
                   (select publisher || ': ' || title from publish.sources where source_id = $id)
               ) as label
        """,
        {"id": source_id},
    )
    value = frame["label"].iloc[0] if len(frame) else None
    return None if value is None or pd.isna(value) else str(value)


# --------------------------------------------------------------------------------------------
# Events (publish.events)
# --------------------------------------------------------------------------------------------

def events() -> pd.DataFrame:
    """Dated events for chart annotations."""
    return _frame(
        "select event_date, event_id, label_nb, label_en, geo_code from publish.events order by event_date"
    )


# --------------------------------------------------------------------------------------------
# Indicator series (publish.indicator_series, falling back to publish.observations)
# --------------------------------------------------------------------------------------------

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


def explorer_indicators() -> pd.DataFrame:
    """Indicators with at least one dated row: the choices of the Explorer."""
    view = series_view()
    return _frame(
        f"""
        select indicator_id, any_value(indicator_name_nb) as indicator_name_nb,
               any_value(indicator_name_en) as indicator_name_en, any_value(unit) as unit,
               cast(count(*) as bigint) as n_rows
        from publish.{view}
        where period_start is not null
        group by indicator_id
        order by indicator_id
        """
    ).assign(view=view)


def explorer_options(indicator_id: str) -> pd.DataFrame:
    """Distinct geography, period type and series keys of one indicator, with their year span."""
    view = series_view()
    geo_name = "any_value(geo_name)" if view == SERIES_VIEW else "cast(null as varchar)"
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


def death_geographies() -> pd.DataFrame:
    """Places with overdose/drug death series (all sexes and ages): the Substances geography choices."""
    view = series_view()
    geo_name = "any_value(geo_name)" if view == SERIES_VIEW else "cast(null as varchar)"
    return _frame(
        f"""
        select geo_code, {geo_name} as geo_name, cast(count(distinct substance_id) as bigint) as n_substances,
               cast(count(*) as bigint) as n_rows, string_agg(distinct indicator_id, ',') as indicators
        from publish.{view}
        where list_contains(cast($indicators as varchar[]), indicator_id)
          and sex = 'all' and age_group = 'all' and period_start is not null
        group by geo_code
        order by n_substances desc, geo_code
        """,
        {"indicators": list(DEATH_INDICATORS)},
    )


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


def names() -> dict[str, dict[str, str]]:
    """Names from the catalogues carried by the publish views: {'geo': {code: name}, 'substance_nb':
    {id: name}, 'substance_en': {id: name}}. Places without a published name keep their code."""
    views = published_views()
    geo_parts = [f"select geo_code, geo_name from publish.{v}"
                 for v in ("indicator_series", "overdose", "substance_trends", "alcohol_sales", "survey_rounds")
                 if v in views]
    sub_parts = []
    if "indicator_series" in views:
        sub_parts.append("select substance_id, substance_name_nb as nb, substance_name_en as en "
                         "from publish.indicator_series")
    if "substance_trends" in views:
        sub_parts.append("select substance_id, substance_name_nb, substance_name_en from publish.substance_trends")
    if "alcohol_sales" in views:
        sub_parts.append("select substance_id, beverage_name_nb, beverage_name_en from publish.alcohol_sales")
    out = {"geo": {}, "substance_nb": {}, "substance_en": {}}
    if geo_parts:
        frame = _frame("select geo_code, min(geo_name) as geo_name from (" + " union all ".join(geo_parts)
                       + ") where geo_name is not null group by geo_code")
        out["geo"] = dict(zip(frame["geo_code"], frame["geo_name"]))
    if sub_parts:
        frame = _frame("select substance_id, min(nb) as nb, min(en) as en from (select * from ("
                       + " union all ".join(sub_parts) + ") as u(substance_id, nb, en)) group by substance_id")
        out["substance_nb"] = {k: v for k, v in zip(frame["substance_id"], frame["nb"]) if isinstance(v, str)}
        out["substance_en"] = {k: v for k, v in zip(frame["substance_id"], frame["en"]) if isinstance(v, str)}
    return out


# --------------------------------------------------------------------------------------------
# Trend statistics (publish.trend_stats, publish.trend_segments)
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Overdoses (publish.overdose)
# --------------------------------------------------------------------------------------------

def overdose_geographies() -> pd.DataFrame:
    """Places in publish.overdose; those with both deaths and callouts first."""
    return _frame(
        """
        select geo_code, any_value(geo_name) as geo_name, cast(count(deaths) as bigint) as n_deaths,
               cast(count(callouts) as bigint) as n_callouts,
               cast(count(callouts_per_death) as bigint) as n_both, min(year) as first_year, max(year) as last_year
        from publish.overdose
        group by geo_code
        order by n_both desc, n_callouts desc, geo_code
        """,
        requires=("overdose",),
    )


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


# --------------------------------------------------------------------------------------------
# Metadata for CSV headers (publish.indicators, publish.sources)
# --------------------------------------------------------------------------------------------

def indicator_metadata(indicator_id: str) -> dict:
    """Definition, unit, source, citation, licence, vintage and suppression rule of one indicator.

    From publish.indicators when it is published; otherwise names, unit and threshold are taken
    from publish.observations and the definition is reported as not yet published."""
    views = published_views()
    if "indicators" in views:
        cat = _frame("select * from publish.indicators where indicator_id = $id", {"id": indicator_id})
    else:
        cat = _frame(
            """
            select indicator_id, any_value(indicator_name_nb) as name_nb, any_value(indicator_name_en) as name_en,
                   any_value(unit) as unit, cast(null as varchar) as definition_en, any_value(source_id) as source_id,
                   max(suppress_below) as suppress_below, cast(null as varchar) as suppression_rule
            from publish.observations where indicator_id = $id group by indicator_id
            """,
            {"id": indicator_id},
        )
    meta = {} if cat.empty else {k: (None if _isna(v) else v) for k, v in cat.iloc[0].to_dict().items()}
    vintage = _frame("select max(vintage) as vintage, string_agg(distinct source_id, ',') as source_ids "
                     "from publish.observations where indicator_id = $id", {"id": indicator_id})
    meta["vintage"] = None if vintage.empty or _isna(vintage["vintage"].iloc[0]) else str(vintage["vintage"].iloc[0])
    ids = [s for s in str(vintage["source_ids"].iloc[0] or "").split(",") if s] if not vintage.empty else []
    if meta.get("source_id") and meta["source_id"] not in ids:
        ids.insert(0, meta["source_id"])
    meta["sources"] = sources(ids).to_dict("records") if ids else []
    meta["catalogue"] = "publish.indicators" if "indicators" in views else "publish.observations"
    return meta


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# Data quality (publish.load_status, publish.rejections, publish.quality_results)
# --------------------------------------------------------------------------------------------

def load_status() -> pd.DataFrame:
    return _frame("select * from publish.load_status", requires=("load_status",))


def rejections() -> pd.DataFrame:
    return _frame("select * from publish.rejections", requires=("rejections",))


def quality_results() -> pd.DataFrame:
    return _frame("select * from publish.quality_results", requires=("quality_results",))


# --------------------------------------------------------------------------------------------
# Source catalogue with coverage
# --------------------------------------------------------------------------------------------

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
