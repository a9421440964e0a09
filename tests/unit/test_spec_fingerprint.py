"""A spec's fingerprint in meta.load_log.spec_sha256: what changes it, and an old build file
(meta.load_log without the column, loads made before fingerprints were kept) keeps working.

The spec is the integration tests' one: a long CSV in the shape of National Records of Scotland's
drug-related deaths trend table (a `year` and a `deaths` column)."""
from __future__ import annotations

import datetime as dt

import duckdb

from ingest.loader import load_file, sha256_of
from ingest.registry import load_spec
from tests.integration.test_spec_changes import SPEC as SPEC_TEMPLATE
from warehouse.meta_schema import ensure_meta

# the spec of the integration tests (one spec, so the two cannot drift apart)
SPEC = SPEC_TEMPLATE.replace("UNIT", "deaths")

# meta.load_log as build files written before spec fingerprints were kept have it
OLD_LOAD_LOG = """
create table meta.load_log (
    load_id varchar not null, run_id varchar not null, source_id varchar, source_file varchar not null,
    sha256 varchar not null, status varchar not null, rows_loaded bigint not null,
    started_at timestamp not null, finished_at timestamp not null, message varchar)
"""


def _spec(tmp_path, text):
    path = tmp_path / "nrs_extra.yml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def test_comments_and_descriptive_keys_keep_the_fingerprint_reading_keys_change_it(tmp_path):
    base = _spec(tmp_path, SPEC).fingerprint
    assert len(base) == 64
    assert _spec(tmp_path, "# re-issued 2022\n" + SPEC.replace("trend table.", "2022 table.")).fingerprint == base
    assert _spec(tmp_path, SPEC.replace("unit: {value: deaths}", "unit: {value: persons}")).fingerprint != base
    assert _spec(tmp_path, SPEC + "missing_values: ['..']\n").fingerprint != base


def test_an_old_build_file_gains_the_column_and_its_loads_adopt_todays_spec(tmp_path):
    data = tmp_path / "raw" / "nrs_extra"
    data.mkdir(parents=True)
    csv = data / "deaths.csv"
    csv.write_text("year,deaths\n2020,1339\n2021,1330\n", encoding="utf-8")
    sha = sha256_of(csv)
    spec = _spec(tmp_path, SPEC)
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("create schema meta")
    con.execute(OLD_LOAD_LOG)
    when = dt.datetime(2026, 1, 5, 9, 0)
    con.execute("insert into meta.load_log values ('old-load', '20260105T090000', 'nrs_extra', "
                "'nrs_extra/deaths.csv', ?, 'loaded', 2, ?, ?, null)", [sha, when, when])

    ensure_meta(con)   # the migration: additive, the old row is kept
    columns = [r[0] for r in con.execute("describe meta.load_log").fetchall()]
    assert columns[-1] == "spec_sha256"
    assert con.execute("select load_id, spec_sha256 from meta.load_log").fetchall() == [("old-load", None)]

    # the same bytes under a load without a fingerprint: unchanged, and today's spec is recorded
    outcome = load_file(con, csv, "nrs_extra/deaths.csv", spec, "20260201T090000")
    assert (outcome.status, outcome.load_id) == ("unchanged", "old-load")
    assert con.execute("select spec_sha256 from meta.load_log where status = 'loaded'").fetchall() == [
        (spec.fingerprint,)]
    assert con.execute("select spec_sha256 from meta.load_log where status = 'unchanged'").fetchall() == [
        (spec.fingerprint,)]
    ensure_meta(con)   # running the migration again changes nothing
    assert len(con.execute("describe meta.load_log").fetchall()) == len(columns)
