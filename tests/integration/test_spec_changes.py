"""Changing a spec is a supported change: a new vintage when the spec changes, reload on demand,
a rejected file that leaves its source on its last good vintage while the rest is published, a
source removed with its spec, and a failing dbt test named with its model and source.

The extra source is Scotland's drug-related deaths as NRS publishes them (a long CSV with a
`year` and a `deaths` column), loaded through its own spec under TRENDVAKT_EXTRA_SPECS.
"""
from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.conftest import DATA_RAW, pipeline_env, run_step

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# National Records of Scotland, drug-related deaths 2017-2021 (the bundled trend table's figures)
DEATHS = "year,deaths\n2017,934\n2018,1187\n2019,1280\n2020,1339\n2021,1330\n"
# the same file re-issued with a typing slip in 2021: a negative count is refused at ingest
BAD_DEATHS = "year,deaths\n2017,934\n2018,1187\n2019,1280\n2020,1339\n2021,-1330\n"
# two rows for 2019: ingest lets it through (no key declared), the marts' uniqueness test does not
TWICE_2019 = "year,deaths\n2019,1280\n2019,1264\n"

SPEC = """
id: nrs_extra
title: Drug-related deaths in Scotland (test copy)
label: NRS (test copy)
publisher: National Records of Scotland
citation: National Records of Scotland, drug-related deaths, trend table.
licence: Open Government Licence v3.0
format: csv
file_pattern: "nrs_extra/*.csv"
target_table: raw.nrs_extra__deaths
columns:
  - {name: year, type: integer, required: true}
  - {name: deaths, type: integer, required: true}
expectations:
  - type: expect_column_values_to_be_between
    kwargs: {column: deaths, min_value: 0}
    why: Deaths are never negative.
indicators:
  - {indicator_id: drug_related_deaths_extra, name_nb: Narkotikarelaterte dødsfall (test),
     name_en: Drug-related deaths (test), unit: deaths, definition_en: NRS definition (test copy)}
observations:
  - indicator: {value: drug_related_deaths_extra}
    geography: {value: nation_sco}
    period: {type: year, year: year}
    value: {column: deaths}
    unit: {value: UNIT}
"""


def setup_source(root, data_dir, spec_text=SPEC.replace("UNIT", "deaths")) -> dict:
    (data_dir / "nrs_extra").mkdir(parents=True)
    (data_dir / "nrs_extra" / "deaths.csv").write_text(DEATHS, encoding="utf-8")
    specs = root / "specs"
    specs.mkdir()
    (specs / "nrs_extra.yml").write_text(spec_text, encoding="utf-8")
    env = pipeline_env(root / "wh", data_dir)
    env["TRENDVAKT_EXTRA_SPECS"] = str(specs)
    return {"env": env, "spec": specs / "nrs_extra.yml", "build_db": root / "wh" / "build.duckdb",
            "published": root / "wh" / "warehouse.duckdb"}


def query(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def ingest(env, *args):
    import subprocess
    import sys

    from tests.conftest import REPO
    return subprocess.run([sys.executable, "-m", "ingest", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=600)


def test_an_edited_spec_reloads_its_files_and_force_reloads_on_demand(tmp_path):
    data = tmp_path / "raw"
    data.mkdir()
    s = setup_source(tmp_path, data)
    first = ingest(s["env"])
    assert first.returncode == 0, first.stdout + first.stderr
    assert "loaded 5 rows into nrs_extra" in first.stdout

    # a comment or a new citation changes no row: nothing to reload
    s["spec"].write_text("# the NRS trend table\n" + SPEC.replace("UNIT", "deaths").replace(
        "trend table.", "trend table, 2022 edition."), encoding="utf-8")
    unchanged = ingest(s["env"])
    assert unchanged.returncode == 0 and "deaths.csv: unchanged" in unchanged.stdout, unchanged.stdout

    # a change to how rows are read is a new vintage of the same bytes, and ingest says why
    s["spec"].write_text(SPEC.replace("UNIT", "persons"), encoding="utf-8")
    edited = ingest(s["env"])
    assert edited.returncode == 0, edited.stdout + edited.stderr
    assert "nrs_extra/deaths.csv: loaded 5 rows" in edited.stdout
    assert "reloaded: its spec nrs_extra.yml changed since load" in edited.stdout
    again = ingest(s["env"])
    assert "deaths.csv: unchanged" in again.stdout, again.stdout

    forced = ingest(s["env"], "--force", "nrs_extra")
    assert forced.returncode == 0 and "reloaded on request (FORCE=nrs_extra)" in forced.stdout, forced.stdout
    loads = query(s["build_db"], "select count(*) from meta.load_log where source_file = 'nrs_extra/deaths.csv' "
                                 "and status = 'loaded'")
    assert loads == [(3,)]
    units = query(s["build_db"], "select distinct unit from raw.declared_observations where load_id = ("
                                 "select load_id from meta.load_log where status = 'loaded' order by run_id desc limit 1)")
    assert units == [("persons",)]

    unknown = ingest(s["env"], "--force", "nrs_extr")
    assert unknown.returncode == 2
    assert "FORCE names no source: nrs_extr" in unknown.stderr and "nrs_extra" in unknown.stderr
    assert "Traceback" not in unknown.stdout + unknown.stderr


@pytest.mark.slow
def test_a_rejected_file_keeps_its_last_good_vintage_a_removed_source_leaves_and_a_failed_test_is_named(tmp_path):
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    s = setup_source(tmp_path, data)
    env, published, build_db = s["env"], s["published"], s["build_db"]
    first = run_step("warehouse.build", env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]

    # the source's file is re-issued with an error
    (data / "nrs_extra" / "deaths.csv").write_text(BAD_DEATHS, encoding="utf-8")
    red = run_step("warehouse.build", env)
    assert red.returncode == 0, red.stdout[-3000:] + red.stderr[-3000:]
    assert "deaths.csv: REJECTED" in red.stdout
    assert "published with the last good vintage" in red.stderr
    status = query(published, "select distinct source_status, source_status_reason from publish.load_status "
                              "where source_id = 'nrs_extra'")
    assert status == [("red", "nrs_extra/deaths.csv: the newest file was rejected, its last good vintage is published")]
    others = query(published, "select distinct source_status from publish.load_status where source_id <> 'nrs_extra'")
    assert others == [("green",)]
    kept = query(published, "select value from marts.fct_observations where source_id = 'nrs_extra' "
                            "and is_latest_vintage and year(period_start) = 2021")
    assert kept == [(1330,)]

    strict = run_step("warehouse.build", {**env, "TRENDVAKT_STRICT": "1"})
    assert strict.returncode == 1, strict.stdout[-3000:] + strict.stderr[-3000:]
    assert f"published {published}" in strict.stdout and "STRICT: exiting 1" in strict.stderr

    # the source goes: spec and file; its rows leave the marts, its history stays, the build is green
    s["spec"].unlink()
    shutil.rmtree(data / "nrs_extra")
    gone = run_step("warehouse.build", env)
    assert gone.returncode == 0, gone.stdout[-3000:] + gone.stderr[-3000:]
    assert query(published, "select count(*) from marts.fct_observations where source_id = 'nrs_extra'") == [(0,)]
    assert query(published, "select count(*) from publish.load_status where source_label is null") == [(0,)]
    history = query(build_db, "select distinct status from meta.load_log where source_file = 'nrs_extra/deaths.csv' "
                              "order by 1")
    assert history == [("loaded",), ("rejected",), ("removed",)]

    # a file that breaks a test of the marts: the summary names the test, its model and the
    # source behind it, and what was skipped because of it is counted as skipped
    s["spec"].write_text(SPEC.replace("UNIT", "deaths"), encoding="utf-8")
    (data / "nrs_extra").mkdir()
    (data / "nrs_extra" / "twice.csv").write_text(TWICE_2019, encoding="utf-8")
    failed = run_step("warehouse.build", env)
    out = failed.stdout + failed.stderr
    assert failed.returncode == 1, out[-3000:]
    assert "Traceback" not in out
    failed_lines = [line for line in failed.stderr.splitlines() if line.strip().startswith("FAILED")]
    assert failed_lines and len(failed_lines) <= 5, failed.stderr[-3000:]
    assert any("on model " in line and "raw.declared_observations" in line for line in failed_lines), failed_lines
    assert "skipped because a node they depend on failed" in failed.stdout
