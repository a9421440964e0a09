"""Observations through the loader with a real DuckDB: zero-match warnings, csv_large.

The files imitate National Records of Scotland's drug-related deaths by year and sex
(drug-related-deaths-21-tables, table 1: year, sex, deaths), Scotland only.
"""
from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from ingest.loader import DECLARED_OBSERVATIONS_DDL, ensure_raw_table, load_file
from ingest.registry import load_spec
from warehouse.meta_schema import ensure_meta

SPEC = """
id: nrs_sex_test
title: Drug-related deaths by sex (test)
publisher: National Records of Scotland
citation: NRS drug-related deaths 2021, table 1 (test copy).
licence: Open Government Licence v3.0
format: {format}
file_pattern: "nrs_sex_test/*"
target_table: raw.nrs_sex_test__deaths
encoding: utf-8
delimiter: ","
decimal: "."
missing_values: [""]
key: [year, sex]
columns:
  - {{name: year, type: integer, required: true}}
  - {{name: sex, type: varchar, required: true}}
  - {{name: deaths, type: integer}}
indicators:
  - {{indicator_id: nrs_sex_test_deaths, name_nb: Dødsfall (test), name_en: Deaths (test), unit: deaths,
     definition_en: Drug-related deaths (test).}}
observations:
  - where: "sex = 'Persons'"
    indicator: {{value: nrs_sex_test_deaths}}
    geography: {{value: nation_sco}}
    period: {{type: year, year: year}}
    value: {{column: deaths}}
    unit: {{value: deaths}}
  - where: "sex = 'Males'"
    indicator: {{value: nrs_sex_test_deaths}}
    geography: {{value: nation_sco}}
    sex: {{value: male}}
    period: {{type: year, year: year}}
    value: {{column: deaths}}
    unit: {{value: deaths}}
"""
ROWS = "year,sex,deaths\n2019,Persons,1264\n2020,Persons,1339\n2020,Females,332\n2021,Persons,1330\n"


def _load(tmp_path: Path, fmt: str, name: str, data: bytes, declared=frozenset({"nrs_sex_test_deaths"})):
    spec_path = tmp_path / "nrs_sex_test.yml"
    spec_path.write_text(SPEC.format(format=fmt), encoding="utf-8")
    spec = load_spec(spec_path)
    folder = tmp_path / "raw" / "nrs_sex_test"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    ensure_meta(con)
    ensure_raw_table(con, spec)
    con.execute(DECLARED_OBSERVATIONS_DDL)
    outcome = load_file(con, folder / name, f"nrs_sex_test/{name}", spec, "run1",
                        declared)
    return con, outcome


# mtime=0 and explicit ids: gzip writes the current second into its header, so two xdist workers
# collecting a second apart would see different test ids and refuse to run
@pytest.mark.parametrize("fmt,name,data", [
    ("csv_large", "deaths.csv.gz", gzip.compress(ROWS.encode(), mtime=0)),
    ("csv", "deaths.csv", ROWS.encode()),
], ids=["csv_large", "csv"])
def test_a_block_matching_nothing_warns_and_is_recorded(tmp_path, fmt, name, data):
    con, outcome = _load(tmp_path, fmt, name, data)
    assert outcome.status == "loaded", outcome.problems
    (warning,) = [w for w in outcome.warnings if w.startswith("observations_block_matches_rows")]
    assert "block 2" in warning and "sex = 'Males'" in warning and "nrs_sex_test" in warning
    rows = con.execute("select severity, status, details from meta.quality_results "
                       "where check_name = 'observations_block_matches_rows'").fetchall()
    assert [(s, st) for s, st, _ in rows] == [("warn", "warn")]
    assert "block 2" in rows[0][2]
    # block 1 still maps its three rows
    got = con.execute("select year(period_start), value, sex from raw.declared_observations "
                      "order by period_start").fetchall()
    assert got == [(2019, 1264.0, "all"), (2020, 1339.0, "all"), (2021, 1330.0, "all")]


def test_csv_large_in_small_batches_maps_the_same(tmp_path, monkeypatch):
    # one row a batch: block 1 matches nothing in the Females batch, but something in the file
    monkeypatch.setattr("ingest.load_paths.STREAM_BATCH_ROWS", 1)
    con, outcome = _load(tmp_path, "csv_large", "deaths.csv.gz", gzip.compress(ROWS.encode()))
    assert outcome.status == "loaded", outcome.problems
    assert [w for w in outcome.warnings if "block 1" in w] == []
    assert len([w for w in outcome.warnings if "block 2" in w]) == 1
    assert con.execute("select count(*) from raw.declared_observations").fetchone() == (3,)


def test_csv_large_rejects_an_implausible_year(tmp_path):
    data = gzip.compress((ROWS + "1820,Persons,3\n").encode())
    con, outcome = _load(tmp_path, "csv_large", "deaths.csv.gz", data)
    assert outcome.status == "rejected"
    # the validation layer's year rule sees the year column first; observations' own range check
    # (tests/unit/test_observations_periods.py) covers periods it cannot see, e.g. quarter texts
    assert {(p.row, p.value) for p in outcome.problems} == {(6, "1820")}
    # the rolled-back load leaves neither raw rows nor observations
    assert con.execute("select count(*) from raw.nrs_sex_test__deaths").fetchone() == (0,)
    assert con.execute("select count(*) from raw.declared_observations").fetchone() == (0,)


def test_csv_large_observation_problem_rolls_back_the_load(tmp_path):
    # the indicator is not declared to the loader: every mapped row has an unknown code
    con, outcome = _load(tmp_path, "csv_large", "deaths.csv.gz", gzip.compress(ROWS.encode()), frozenset())
    assert outcome.status == "rejected"
    assert {p.row for p in outcome.problems if p.check == "unknown_code"} == {2, 3, 5}
    assert con.execute("select count(*) from raw.nrs_sex_test__deaths").fetchone() == (0,)
    assert con.execute("select count(*) from raw.declared_observations").fetchone() == (0,)


def test_declared_geography_and_substance_are_valid_codes(tmp_path):
    """Spec `geographies:`/`substances:` reach meta.declared_* through sync_sources, and a spec's
    observations may then use them (before, police_oslo and nitazenes were unknown codes)."""
    import dataclasses

    from ingest.loader import sync_sources

    spec_path = tmp_path / "nrs_sex_test.yml"
    spec_path.write_text(SPEC.format(format="csv").replace("nation_sco", "police_oslo").replace(
        "    unit: {value: deaths}\n", "    unit: {value: deaths}\n    substance: {value: nitazenes}\n", 1),
        encoding="utf-8")
    spec = load_spec(spec_path)
    # the codes are declared on the spec object, not in SPEC, so the other tests' spec stays as it is
    declaring = dataclasses.replace(
        spec,
        geographies=({"code": "police_oslo", "level": "police_district", "name_nb": "Oslo politidistrikt",
                      "name_en": "Oslo police district", "parent": "nation_nor", "valid_from": 2016},),
        substances=({"substance_id": "nitazenes", "name_nb": "Nitazener", "name_en": "Nitazenes",
                     "parent": "opioids", "group": "opioids"},))
    folder = tmp_path / "nrs_sex_test"
    folder.mkdir()
    (folder / "deaths.csv").write_bytes(ROWS.encode())
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_meta(con)
    ensure_raw_table(con, spec)
    con.execute(DECLARED_OBSERVATIONS_DDL)
    sync_sources(con, [declaring])
    assert con.execute("select geo_code, geo_level, parent_code, valid_from_year, valid_to_year, source_id "
                       "from meta.declared_geographies").fetchall() == [
        ("police_oslo", "police_district", "nation_nor", 2016, None, "nrs_sex_test")]
    assert con.execute("select substance_id, parent_id, substance_group from meta.declared_substances"
                       ).fetchall() == [("nitazenes", "opioids", "opioids")]
    outcome = load_file(con, folder / "deaths.csv", "nrs_sex_test/deaths.csv", spec, "run1",
                        frozenset({"nrs_sex_test_deaths"}))
    assert outcome.status == "loaded", outcome.problems
    assert con.execute("select geo_code, substance_id, value from raw.declared_observations "
                       "where year(period_start) = 2020").fetchall() == [("police_oslo", "nitazenes", 1339.0)]
