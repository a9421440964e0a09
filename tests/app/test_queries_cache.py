"""dash_app.queries' cache and readers against the real published warehouse (no mocks).

* a cached answer equals an uncached one, and changing a returned frame does not change the cache;
* a publish (os.replace of another file over the published path) makes the next call read the new
  file; a request already running stays on the file it started with;
* one reader a request, however many queries the request runs; none left open after it;
* outside a request every call still works, on a short-lived reader.
"""
from __future__ import annotations

import os
import shutil

import duckdb
import pandas as pd
import pytest

from dash_app import queries
from tests.app.test_callbacks import render_page
from warehouse.connection import open_reader_count

NEW_TITLE = "A title written by the cache test"
SOURCE = "cdc_wonder"


def _retitled_copy(src, dst, title: str = NEW_TITLE):
    """A copy of the published file whose publish.sources carries another title for SOURCE."""
    shutil.copyfile(src, dst)
    con = duckdb.connect(str(dst))
    try:
        con.execute(
            "create or replace view publish.sources as select source_id, publisher, "
            f"case when source_id = '{SOURCE}' then '{title}' else title end as title, citation, licence, url "
            "from marts.dim_source"
        )
        con.execute("create or replace table publish.cache_test_marker as select 1 as marker")
    finally:
        con.close()
    return dst


def _title(frame: pd.DataFrame) -> str:
    return frame.loc[frame["source_id"] == SOURCE, "title"].iloc[0]


@pytest.fixture()
def published_copy(tmp_path, monkeypatch, app_warehouse):
    """The app reads a copy of the test warehouse that the test may replace."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(app_warehouse, path)
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(path))
    queries.clear_cache()
    yield path
    queries.clear_cache()


CALLS = [
    ("names", ()), ("published_views", ()), ("sources", ()), ("sources", ([SOURCE],)), ("events", ()),
    ("death_rates", (["heroin", "cocaine"],)), ("trend_signals", (("municip_nor4601",),)),
    ("alcohol_sales", ("municip_nor4601",)), ("survey_rounds", ("nation",)), ("explorer_indicators", ()),
    ("series_rows", ("overdose_deaths_residents", ["municip_nor4601"])), ("death_geographies", ()),
    ("source_label", (SOURCE,)), ("indicator_metadata", ("overdose_death_rate",)), ("source_coverage", ()),
]


@pytest.mark.parametrize("name, args", CALLS, ids=[f"{n}{i}" for i, (n, _) in enumerate(CALLS)])
def test_cached_answers_equal_uncached_ones(name, args):
    fn = getattr(queries, name)
    first, second, fresh = fn(*args), fn(*args), fn.uncached(*args)
    for value in (first, second):
        if isinstance(fresh, pd.DataFrame):
            pd.testing.assert_frame_equal(value, fresh)
        else:
            assert value == fresh


def test_callers_may_change_what_they_get(published_copy):
    frame = queries.sources()
    frame.loc[frame["source_id"] == SOURCE, "title"] = "changed by a caller"
    del frame["url"]
    names = queries.names()
    names["geo"].clear()
    again = queries.sources()
    assert _title(again) != "changed by a caller" and "url" in again.columns
    assert queries.names()["geo"]
    assert queries.stats().hits >= 2


def test_the_second_call_is_answered_by_the_cache(published_copy):
    queries.names()
    stats = queries.reset_stats()
    queries.names()
    assert (stats.hits, stats.misses, stats.connections, stats.queries) == (1, 0, 0, 0)


def test_a_publish_makes_the_next_call_read_the_new_file(published_copy, tmp_path):
    old = _title(queries.sources())
    assert old != NEW_TITLE and "cache_test_marker" not in queries.published_views()
    label = queries.source_label(SOURCE)
    _retitled_copy(published_copy, tmp_path / "next.duckdb")
    os.replace(tmp_path / "next.duckdb", published_copy)  # what publish does
    assert _title(queries.sources()) == NEW_TITLE
    assert _title(queries.sources([SOURCE])) == NEW_TITLE
    assert "cache_test_marker" in queries.published_views()
    assert queries.source_label(SOURCE) == label  # unchanged data answer the same
    # and again: a third file is read as soon as it is in place
    _retitled_copy(published_copy, tmp_path / "third.duckdb", title="A third title")
    os.replace(tmp_path / "third.duckdb", published_copy)
    assert _title(queries.sources()) == "A third title"


def test_a_request_stays_on_its_file_and_the_next_request_reads_the_new_one(published_copy, tmp_path,
                                                                            dash_app_instance):
    server = dash_app_instance.server
    queries.install(server)
    old = _title(queries.sources())
    _retitled_copy(published_copy, tmp_path / "next.duckdb")
    with server.test_request_context("/"):
        before = queries.sources()
        os.replace(tmp_path / "next.duckdb", published_copy)
        # the request's reader has the old file open: its answers stay of one file
        assert _title(before) == old
        assert _title(queries.sources()) == old
        assert "cache_test_marker" not in queries.published_views()
    with server.test_request_context("/"):
        assert _title(queries.sources()) == NEW_TITLE
        assert "cache_test_marker" in queries.published_views()
    assert open_reader_count() == 0


def test_one_reader_for_a_whole_request(published_copy, client, dash_app_instance):
    queries.install(dash_app_instance.server)
    client.get("/substances")  # registers the router callback
    queries.clear_cache()
    stats = queries.reset_stats()
    text = render_page(client, "/substances", "?lang=en")
    assert '"substances-graph"' in text
    assert stats.misses >= 3 and stats.queries >= 3, stats  # several queries ran on the warehouse
    assert stats.connections == 1, stats
    assert open_reader_count() == 0  # closed at request teardown
    # a warm request: answered by the cache, still on one reader at most
    stats = queries.reset_stats()
    assert render_page(client, "/substances", "?lang=en") == text
    assert stats.misses == 0 and stats.queries == 0 and stats.connections <= 1, stats
    assert open_reader_count() == 0


def test_queries_outside_a_request_use_short_lived_readers(published_copy):
    stats = queries.reset_stats()
    frame = queries.death_rates(["heroin"])
    assert len(frame) == 22
    assert stats.connections == 1 and stats.misses == 1
    assert open_reader_count() == 0
    # a writer can open the file right after: nothing is held open
    duckdb.connect(str(published_copy)).close()
    with queries._connect() as con:
        assert con.execute("select count(*) from publish.sources").fetchone()[0] >= 4
    assert open_reader_count() == 0


def test_a_missing_warehouse_is_not_cached(published_copy, tmp_path, monkeypatch):
    assert len(queries.sources()) >= 4
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(tmp_path / "missing.duckdb"))
    with pytest.raises(queries.WarehouseUnavailable) as info:
        queries.sources()
    assert str(info.value) == "No data have been published yet."
    assert "make" not in str(info.value)
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(published_copy))
    assert len(queries.sources()) >= 4
