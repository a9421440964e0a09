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


def _load(tmp_path: Path, fmt: str, name: str, data: bytes):
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
                        frozenset({"nrs_sex_test_deaths"}))
    return con, outcome


@pytest.mark.parametrize("fmt,name,data", [
    ("csv", "deaths.csv", ROWS.encode()),
])
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
