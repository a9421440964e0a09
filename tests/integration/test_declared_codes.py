"""A spec declares a geography (a police district) and a substance of its own: both reach the
dimensions and its observation reaches the fact table, with no seed row and no dbt change.

The file is modelled on Politiet's quarterly seizure statistics ("Beslag av narkotika", by
police district and quarter: one row per district, substance and quarter, with the count and a
status column where small numbers are printed as "<5"). The numbers are made up for the test.
"""
from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.conftest import DATA_RAW, pipeline_env, run_step

pytestmark = pytest.mark.integration

CSV = ("distrikt,stoff,kvartal,beslag,status\n"
       "Oslo,Nitazener,2023 Q1,17,\n"
       "Oslo,Nitazener,2023 Q2,,<5\n")

SPEC = """
id: politiet_beslag_test
title: Drug seizures by police district and quarter (test)
label: Politiet, seizures (test)
publisher: Politiet
citation: Politiet, beslag av narkotika etter politidistrikt og kvartal (test copy).
licence: NLOD 2.0
description: Quarterly seizures of drugs by police district (test).
format: csv
file_pattern: "politiet_beslag_test/*.csv"
target_table: raw.politiet_beslag_test__seizures
key: [distrikt, stoff, kvartal]
columns:
  - {name: distrikt, type: varchar, required: true}
  - {name: stoff, type: varchar, required: true}
  - {name: kvartal, type: varchar, required: true}
  - {name: beslag, type: integer}
  - {name: status, type: varchar}
indicators:
  - {indicator_id: politiet_test_seizures, name_nb: Beslag (test), name_en: Seizures (test), unit: seizures,
     definition_en: Seizures registered in the quarter (test).}
geographies:
  - {code: police_oslo_test, level: police_district, name_nb: Oslo politidistrikt, name_en: Oslo police district,
     parent: nation_nor, valid_from: 2016, valid_to: null}
substances:
  - {substance_id: nitazenes_test, name_nb: Nitazener, name_en: Nitazenes, parent: opioids, group: opioids}
observations:
  - indicator: {value: politiet_test_seizures}
    geography: {column: distrikt, map: {Oslo: police_oslo_test}}
    substance: {column: stoff, map: {Nitazener: nitazenes_test}}
    period: {type: quarter, column: kvartal}
    value: {column: beslag}
    qualifier: {expr: "CASE WHEN status = '<5' THEN 'below' ELSE 'exact' END"}
    value_high: {expr: "CASE WHEN status = '<5' THEN 5 END"}
    unit: {value: seizures}
"""


def test_declared_geography_and_substance_reach_the_marts(tmp_path):
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    (data / "politiet_beslag_test").mkdir()
    (data / "politiet_beslag_test" / "beslag.csv").write_text(CSV, encoding="utf-8")
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "politiet_beslag_test.yml").write_text(SPEC, encoding="utf-8")
    env = pipeline_env(tmp_path / "wh", data)
    env["TRENDVAKT_EXTRA_SPECS"] = str(specs)

    ingest = run_step("ingest", env)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert "loaded 2 rows into politiet_beslag_test" in ingest.stdout
    build = run_step("warehouse.build", env)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]

    con = duckdb.connect(str(tmp_path / "wh" / "warehouse.duckdb"), read_only=True)
    try:
        geo = con.execute("select geo_level, parent_code, valid_from_year, valid_to_year, defined_in "
                          "from marts.dim_geography where geo_code = 'police_oslo_test'").fetchall()
        sub = con.execute("select parent_id, substance_group, name_en from marts.dim_substance "
                          "where substance_id = 'nitazenes_test'").fetchall()
        obs = con.execute("""
            select period_type, period_start, period_end, qualifier, value, value_high
            from marts.fct_observations
            where source_id = 'politiet_beslag_test' and geo_code = 'police_oslo_test'
              and substance_id = 'nitazenes_test'
            order by period_start
        """).fetchall()
    finally:
        con.close()
    assert geo == [("police_district", "nation_nor", 2016, None, "source_spec")]
    assert sub == [("opioids", "opioids", "Nitazenes")]
    import datetime as dt
    assert obs == [
        ("quarter", dt.date(2023, 1, 1), dt.date(2023, 3, 31), "exact", 17.0, None),
        ("quarter", dt.date(2023, 4, 1), dt.date(2023, 6, 30), "below", None, 5.0),
    ]
