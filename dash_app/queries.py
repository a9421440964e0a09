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
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:  # e.g. the file is being replaced or is not a DuckDB file
        raise WarehouseUnavailable(
            f"The warehouse at {path} could not be opened ({exc.__class__.__name__}: {exc}). "
            "If a build is running, wait for it to finish and reload; otherwise run `make build`."
        ) from exc
    try:
        # Never let a missing view fall back to a Python variable of the same name (replacement scan).
        con.execute("set python_enable_replacements = false")
        yield con
    finally:
        con.close()


def _frame(sql: str, params: dict | None = None) -> pd.DataFrame:
    with _connect() as con:
        try:
            return con.execute(sql, params or {}).df()
        except duckdb.CatalogException as exc:
            raise WarehouseUnavailable(
                f"The warehouse at {_path()} lacks a published view the app needs ({exc}). "
                "Run `make build` to publish it."
            ) from exc


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


def alcohol_sales(geo_code: str | None = None) -> pd.DataFrame:
    """On-premise sales in litres by beverage group and year (all places, or one)."""
    return _frame(
        """
        select geo_code, geo_name, year, period_start, period_end, substance_id,
               beverage_name_nb, beverage_name_en, litres, share_of_total_pct,
               change_from_previous_pct, qualifier, source_id, source_label, source_file, source_row
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
