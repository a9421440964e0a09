"""A data engineer adds a source by writing one spec: no Python, no dbt model.

The file is an SSB Statistikkbanken semicolon export (ISO-8859-1, CRLF, title line, two header
rows, decimal comma, footnote) holding real numbers: Scotland's drug-related deaths 2017-2021
as published by National Records of Scotland (the same figures as the bundled NRS file), with
2022 not yet published ("...").
"""
from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.conftest import DATA_RAW, pipeline_env, run_step

pytestmark = pytest.mark.integration

EXPORT = (
    '"Narkotikarelaterte dødsfall, etter land, år og statistikkvariabel"\r\n'
    "\r\n"
    '" ";"2017";"2018";"2019";"2020";"2021";"2022"\r\n'
    '" ";"Dødsfall";"Dødsfall";"Dødsfall";"Dødsfall";"Dødsfall";"Dødsfall"\r\n'
    '"Skottland";934;1187;1280;1339;1330;...\r\n'
    "\r\n"
    '"Kilde: National Records of Scotland."\r\n'
).encode("latin-1")

SPEC = """
id: nrs_statbank_export
title: Drug-related deaths in Scotland, semicolon export
label: NRS, semicolon export (test)
publisher: National Records of Scotland
citation: National Records of Scotland, drug-related deaths, re-exported as an SSB-style table.
licence: Open Government Licence v3.0
description: Annual drug-related deaths in Scotland, as a Statistikkbanken-style semicolon export.
format: ssb_statbank_csv
file_pattern: "nrs_statbank_export/*.csv"
target_table: raw.nrs_statbank_export__deaths
encoding: iso-8859-1
delimiter: ";"
decimal: ","
options: {header_rows: 2, label_columns: 1, header_names: [period, statistic], label_names: [category]}
key: [category, year, statistic]
columns:
  - {name: category, type: varchar, required: true}
  - {name: period, as: year, type: integer, required: true}
  - {name: statistic, type: varchar}
  - {name: value, type: double}
  - {name: status, type: varchar}
indicators:
  - indicator_id: drug_related_deaths_export
    name_nb: Narkotikarelaterte dødsfall (eksport)
    name_en: Drug-related deaths (export)
    unit: deaths
    definition_en: Drug-related deaths registered in the year (NRS definition), from the export.
expectations:
  - type: expect_column_values_to_be_between
    kwargs: {column: value, min_value: 0}
    why: Deaths are never negative.
observations:
  - where: "status is null or status <> 'not_yet_available'"
    indicator: {value: drug_related_deaths_export}
    geography:
      column: category
      map: {Skottland: nation_sco}
    period: {type: year, year: year}
    value: {column: value}
    unit: {value: deaths}
"""


def test_a_source_added_by_spec_alone_reaches_the_fact_table(tmp_path):
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    (data / "nrs_statbank_export").mkdir()
    (data / "nrs_statbank_export" / "narkotikadodsfall_skottland.csv").write_bytes(EXPORT)
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "nrs_statbank_export.yml").write_text(SPEC, encoding="utf-8")
    env = pipeline_env(tmp_path / "wh", data)
    env["TRENDVAKT_EXTRA_SPECS"] = str(specs)

    ingest = run_step("ingest", env)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert "loaded 6 rows into nrs_statbank_export" in ingest.stdout
    build = run_step("warehouse.build", env)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]

    con = duckdb.connect(str(tmp_path / "wh" / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute("""
            select year(period_start), value, geo_code, source_file, source_row, source_column
            from marts.fct_observations
            where source_id = 'nrs_statbank_export' and is_latest_vintage
            order by 1
        """).fetchall()
        indicator = con.execute(
            "select name_en from marts.dim_indicator where indicator_id = 'drug_related_deaths_export'").fetchall()
    finally:
        con.close()
    assert [(r[0], r[1]) for r in rows] == [(2017, 934), (2018, 1187), (2019, 1280), (2020, 1339), (2021, 1330)]
    assert {r[2] for r in rows} == {"nation_sco"}
    assert rows[0][3:] == ("nrs_statbank_export/narkotikadodsfall_skottland.csv", 5, 2)
    assert indicator == [("Drug-related deaths (export)",)]
