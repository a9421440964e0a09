"""The Data quality view in Norwegian and English when something is wrong (issue 11): a rejected
file (a wrong encoding and a row an expectation refused) and a failing generic dbt test, recorded
the way ingest and the build record them, read in the page's language, with the lines and the
count in words of that language and no English sentence in the Norwegian page."""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from ingest.loader import REJECTION_INSERT
from ingest.problems import Problem
from tests.app.support import visible_text
from tests.app.test_callbacks import render_page
from tests.app.test_i18n import offending_words, published_names, visible_strings  # noqa: F401 (a fixture)
from warehouse.meta_schema import ensure_meta
from warehouse.quality import dbt_results, record

BAD_FILE = "scotland_nrs/scotland_nrs_drug_related_deaths_trend_1996_2021.csv"
GENERIC_TEST = "test.trendvakt.not_null_observations_value.1a2b3c"
LATEST = "build-99991231T235959"  # sorts after every real build: the view shows this build's checks


def _run_results(tmp_path):
    (tmp_path / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": GENERIC_TEST, "status": "fail", "failures": 2,
         "message": "Got 2 results, configured to fail if != 0"}]}))
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": {GENERIC_TEST: {
        "test_metadata": {"name": "not_null", "kwargs": {
            "column_name": "value", "model": "{{ get_where_subquery(ref('observations')) }}"}},
        "attached_node": "model.trendvakt.observations"}}}))
    return tmp_path / "run_results.json"


@pytest.fixture(scope="module")
def broken_warehouse(app_warehouse, tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    path = folder / "warehouse.duckdb"
    shutil.copy(app_warehouse, path)
    problems = [Problem("wrong_encoding", "the file is not valid UTF-8 (byte 0xe5 at offset 120)", row=4),
                Problem("expect_column_values_to_be_between(deaths)", "Death counts are never negative.", row=7,
                        column="deaths", value="-3", reason_nb="Antall dødsfall er aldri negativt.")]
    con = duckdb.connect(str(path))
    try:
        ensure_meta(con)  # the warehouse may be older than the columns: migrated as ingest would
        for p in problems:
            con.execute(REJECTION_INSERT, ["20261202T100000-scotland_nrs-abc", "scotland_nrs", BAD_FILE, p.row, p.column,
                                           p.value, p.check, p.reason, "2026-12-02 10:00:00", p.reason_nb])
        record(con, LATEST, "dbt", dbt_results(_run_results(folder)))
        columns = {r[0] for r in con.execute("select column_name from information_schema.columns where "
                                             "table_schema = 'publish' and table_name = 'quality_results'").fetchall()}
        if "details_nb" not in columns:
            # a test warehouse built before this change: its publish views are the old ones, so
            # they are replaced by what this change's views select (models/publish/*.sql)
            con.execute("create or replace view publish.quality_results as select r.layer, r.run_id, r.load_id, "
                        "r.check_name, r.target, r.severity, r.status, r.failures, r.details, n.details_nb, "
                        "n.source_rows, n.sample_values, r.recorded_at, r.status <> 'pass' as needs_attention "
                        "from meta.quality_results r left join meta.quality_notes n on r.run_id = n.run_id "
                        "and r.layer = n.layer and r.check_name = n.check_name and r.details = n.details "
                        f"where r.run_id = '{LATEST}'")
            con.execute("create or replace view publish.rejections as select recorded_at, source_id, source_file, "
                        "source_row, source_column, value, check_name, reason, reason_nb, load_id from meta.rejections")
        # the file's newest run was this rejection (the loader writes Problem.describe as the message)
        con.execute(f"""create or replace table publish.load_status_copy as
            select * replace (
                case when source_file = '{BAD_FILE}' then 'rejected' else status end as status,
                case when source_file = '{BAD_FILE}' then ? else message end as message,
                case when source_file = '{BAD_FILE}' then 'red' else file_status end as file_status,
                case when source_id = 'scotland_nrs' then 'red' else source_status end as source_status,
                case when source_file = '{BAD_FILE}' then 'rejected_previous_vintage_published'
                     else publication_status end as publication_status)
            from publish.load_status""", [problems[0].describe(BAD_FILE)])
        con.execute("drop view publish.load_status")
        con.execute("alter table publish.load_status_copy rename to load_status")
    finally:
        con.close()
    return path


@pytest.fixture()
def on_broken(monkeypatch, broken_warehouse):
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(broken_warehouse))


def test_the_norwegian_page_words_rejections_and_failing_tests(client, on_broken, published_names):
    layout = json.loads(render_page(client, "/quality", "?lang=nb"))
    visible = visible_text(layout)
    # the rejected file: its status and its first problem in words, in the loads table
    assert "den nyeste filen ble avvist" in visible and "Filen har en annen tegnkoding" in visible
    # each rejected row: the code's words or the expectation's own Norwegian sentence, with where
    assert "Antall dødsfall er aldri negativt." in visible and "rad 7, kolonne deaths" in visible
    assert "rad 4" in visible
    # the failing generic dbt test: worded from its arguments, with the count in Norwegian
    assert "2 rader bryter regelen: Kolonnen value i observations har en verdi i hver rad." in visible
    for english in ("Got 2 results", "not valid UTF-8", "Death counts are never negative"):
        assert english not in visible, english
    # and nothing else on the page in English: source titles are quoted as published, and column
    # names (value, deaths) are the names the file and the model give them, not words of a sentence
    bad = offending_words(visible_strings(layout), "nb", published_names + ["(deaths)", "kolonne deaths",
                                                                             "Kolonnen value"])
    assert not bad, bad


def test_the_english_page_keeps_the_specific_reasons(client, on_broken):
    visible = visible_text(json.loads(render_page(client, "/quality", "?lang=en")))
    assert "the file is not valid UTF-8 (byte 0xe5 at offset 120)" in visible
    assert "Death counts are never negative." in visible and "row 7, column deaths" in visible
    assert "2 rows break the rule: Column value of observations has a value in every row." in visible
    assert "Got 2 results" not in visible
    assert "Antall" not in visible and "tegnkoding" not in visible
