"""Hostile URL parameters: every parameter of every view gets injection strings. The view must
answer normally (HTTP 200, no traceback) and no SQL text DuckDB receives may contain the string:
user input reaches the warehouse only as bound parameters."""
from __future__ import annotations

from urllib.parse import urlencode

import duckdb
import pytest

from dash_app import queries
from tests.app.test_callbacks import post_callback, render_page

INJECTIONS = [
    "'; drop table x; --",
    "<script>alert('x')</script>",
    "../../etc/passwd",
    "Bergen ø æ å 🙂 \u202e مرحبا",
    "heroin" + "A" * 5000,
]

VIEW_PARAMS = {
    "/": ["lang"],
    "/substances": ["geo", "substances", "measure", "base", "panel", "events", "tab", "lang"],
    "/overdoses": ["geo", "mode", "events", "tab", "lang"],
    "/alcohol": ["measure", "geo", "events", "lang"],
    "/survey-rounds": ["level", "lang"],
    "/explorer": ["indicator", "geo", "series", "ptype", "from", "to", "events", "tab", "lang"],
    "/quality": ["source", "lang"],
    "/sources": ["sort", "lang"],
}


class RecordingConnection:
    """Wraps a DuckDB connection and records every SQL text it is asked to run."""

    def __init__(self, con, log):
        self._con, self._log = con, log

    def execute(self, sql, *args, **kwargs):
        self._log.append(sql)
        return self._con.execute(sql, *args, **kwargs)

    def sql(self, sql, *args, **kwargs):
        self._log.append(sql)
        return self._con.sql(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


@pytest.fixture()
def sql_log(monkeypatch):
    log: list[str] = []
    real_connect = duckdb.connect

    def connect(*args, **kwargs):
        return RecordingConnection(real_connect(*args, **kwargs), log)

    monkeypatch.setattr(queries.duckdb, "connect", connect)
    # a request opens DuckDB only on a cache miss: empty the cache so every look-up runs its SQL here
    queries.clear_cache()
    return log


def _check(text: str, sql_log: list[str], needle: str):
    assert "Traceback" not in text and "Internal Server Error" not in text
    assert sql_log, "no SQL was recorded: the wrapper is not in the path"
    probe = needle[:40]
    for sql in sql_log:
        assert probe not in sql, f"user input in SQL text: {sql[:300]}"


@pytest.mark.parametrize("path", list(VIEW_PARAMS))
@pytest.mark.parametrize("needle", INJECTIONS, ids=["sql", "script", "path", "unicode", "long"])
def test_every_url_parameter_is_bound_never_built_into_sql(client, sql_log, path, needle):
    assert client.get(path + "?" + urlencode({"x": needle})).status_code == 200
    for param in VIEW_PARAMS[path]:
        sql_log.clear()
        queries.clear_cache()
        text = render_page(client, path, "?" + urlencode({param: needle}))
        _check(text, sql_log, needle)
        assert "<script>" not in text  # Dash escapes text; the raw tag never comes back as markup


@pytest.mark.parametrize("needle", INJECTIONS[:3])
def test_callbacks_bind_hostile_values(client, sql_log, needle):
    from tests.app.test_new_views import explorer_callback
    from tests.app.test_callbacks import substances_callback

    responses = [
        explorer_callback(client, needle, [needle], needle, needle, needle, needle, lang=needle),
        substances_callback(client, geo=needle, substances=[needle], measure=needle, base=needle, panel=needle,
                            lang=needle),
        post_callback(client, [("quality-sections", "children"), ("quality-share-link", "href"),
                               ("quality-share-link", "children")],
                      [("quality-source", "value", needle)], state=[("quality-lang", "data", needle)]),
    ]
    for response in responses:
        _check(str(response), sql_log, needle)


def test_queries_bind_parameters_directly(sql_log):
    for needle in INJECTIONS:
        sql_log.clear()
        assert queries.series_rows(needle, [needle], needle, needle, needle, needle, needle).empty
        assert queries.explorer_options(needle).empty
        assert queries.substance_deaths(needle).empty
        for fn in (queries.overdose, lambda v: queries.trend_stats([v], [v])):
            try:
                assert fn([needle]).empty
            except queries.NotYetPublished:
                pass
        meta = queries.indicator_metadata(needle)
        assert meta.get("vintage") is None
        _check("", sql_log, needle)
