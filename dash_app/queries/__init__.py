"""All SQL of the Dash app, grouped by domain; `from dash_app import queries; queries.X(...)`.

Rules kept by every function here:

* it reads through a read-only cursor on the published file: one per Flask request (on a server
  that went through `queries.install(server)`), closed at request teardown, else a short-lived one
  closed before the function returns; so the build can atomically replace the warehouse file
  between two requests (DuckDB allows one writer or many readers, never both), and a request that
  starts after a publish reads the new file (connection.py);
* its result is cached on its arguments and the identity of the published file, so a publish
  invalidates every cached result at once; callers get copies and may change them;
* user input reaches DuckDB only as bound parameters (`$name`), never through string formatting;
* it reads only the `publish` schema, the contract between dbt and the app (docs/contracts.md);
* it returns a pandas DataFrame (or a plain value for one-value look-ups).

When the warehouse cannot be read, `WarehouseUnavailable` is raised with a message for planners
(what happened and what to expect, no commands; `exc.detail` has the technical cause); the pages
turn it into a friendly notice (in Norwegian or English) instead of a stack trace. A planned publish
view that is missing raises `NotYetPublished`, whose `.view` names it.

Modules: connection (readers, cache, errors, counters), deaths, overdoses, alcohol, survey, series
(indicator series, Explorer, trend statistics), quality (load status, rejections, checks, source
coverage), catalogue (names, sources, source labels, events, indicator metadata).
"""
from __future__ import annotations

import duckdb  # noqa: F401  (tests patch queries.duckdb.connect)
import pandas as pd  # noqa: F401

from dash_app import config  # noqa: F401
from dash_app.queries.alcohol import ALCOHOL_NEW_COLUMNS, alcohol_geographies, alcohol_sales
from dash_app.queries.catalogue import events, indicator_metadata, names, source_label, sources
from dash_app.queries.connection import (
    CACHE,
    NotYetPublished,
    Stats,
    WarehouseUnavailable,
    _as_list,
    _connect,
    _frame,
    _isna,
    _path,
    _publish_views,
    cached,
    clear_cache,
    install,
    published_views,
    reset_stats,
    stats,
    view_columns,
)
from dash_app.queries.deaths import (
    DEATH_RATE_INDICATOR,
    SIGNAL_PREFIX,
    available_substances,
    death_geographies,
    death_rates,
    signal_geographies,
    substance_deaths,
    trend_signals,
)
from dash_app.queries.overdoses import overdose, overdose_geographies
from dash_app.queries.quality import load_status, quality_results, rejections, source_coverage
from dash_app.queries.series import (
    _SERIES_SELECT,
    DEATH_INDICATORS,
    FALLBACK_VIEW,
    SERIES_VIEW,
    explorer_indicators,
    explorer_options,
    key_series,
    series_rows,
    series_view,
    trend_stats,
)
from dash_app.queries.survey import survey_levels, survey_questions, survey_rounds

__all__ = [
    "ALCOHOL_NEW_COLUMNS", "CACHE", "DEATH_INDICATORS", "DEATH_RATE_INDICATOR", "FALLBACK_VIEW", "SERIES_VIEW",
    "SIGNAL_PREFIX", "NotYetPublished", "Stats", "WarehouseUnavailable", "alcohol_geographies", "alcohol_sales",
    "available_substances", "cached", "clear_cache", "death_geographies", "death_rates", "events",
    "explorer_indicators", "explorer_options", "indicator_metadata", "install", "key_series", "load_status",
    "names", "overdose", "overdose_geographies", "published_views", "quality_results", "rejections",
    "reset_stats", "series_rows", "series_view", "signal_geographies", "source_coverage", "source_label",
    "sources", "stats", "substance_deaths", "survey_levels", "survey_questions", "survey_rounds",
    "trend_signals", "trend_stats", "view_columns",
]
