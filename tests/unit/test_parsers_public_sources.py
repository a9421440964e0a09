"""Parsers (and the declarative mapping) on the public bundled files: values read in the files."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

from ingest.loader import declared_indicator_ids
from ingest.observations import map_observations
from ingest.parsers import parse
from ingest.registry import load_registry
from ingest.streaming import STAGING_TABLE, stream_into_staging

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
SPECS = {s.id: s for s in load_registry()}
DECLARED = declared_indicator_ids(list(SPECS.values()))


def parsed(source_id: str) -> pl.DataFrame:
    (path,) = (RAW / source_id).iterdir()
    return parse(path.read_bytes(), SPECS[source_id])


def mapped(source_id: str) -> pl.DataFrame:
    spec = SPECS[source_id]
    return map_observations(parsed(source_id), source_id, list(spec.observations), DECLARED)


def test_eurostat_norway_drug_dependence_deaths_by_year():
    obs = mapped("eurostat_cod").filter(
        (pl.col("geo_code") == "nation_nor") & (pl.col("indicator_id") == "drug_dependence_deaths")
        & (pl.col("sex") == "all") & (pl.col("age_group") == "all")
        & (pl.col("breakdown") == "deaths in the country, all residences")).sort("period_start")
    by_year = {d.year: v for d, v in obs.select("period_start", "value").iter_rows()}
    # line 8061 of the file: A,NR,T,TOTAL,TOXICO,TOT_IN,NO,20 ,18 ,26 ,18 ,27 ,18 ,: ,:
    assert by_year == {2016: 20, 2017: 18, 2018: 26, 2019: 18, 2020: 27, 2021: 18}
    assert set(obs["source_row"]) == {8061}


def test_eurostat_trailing_spaces_flags_and_markers():
    df = parsed("eurostat_cod")
    assert "2016" in set(df["year"])  # header "2016 " trimmed
    confidential = df.filter(pl.col("flag") == "c")
    assert confidential.height > 0 and confidential["value"].null_count() == confidential.height
    assert set(confidential["status"]) == {"not_available"}
    # a confidential cell becomes a suppressed observation, never a zero
    obs = mapped("eurostat_cod")
    suppressed = obs.filter(pl.col("qualifier") == "suppressed")
    assert suppressed.height > 0 and suppressed["value"].null_count() == suppressed.height


def test_cdc_vsrr_provisional_twelve_month_counts():
    obs = mapped("cdc_vsrr")
    us = obs.filter((pl.col("geo_code") == "nation_usa") & (pl.col("indicator_id") == "overdose_deaths")
                    & (pl.col("substance_id") == "all"))
    assert us["is_provisional"].all()
    row = us.filter(pl.col("period_end") == dt.date(2015, 1, 31)).row(0, named=True)
    assert row["period_start"] == dt.date(2014, 2, 1) and row["period_type"] == "twelve_months_ending"
    raw = parsed("cdc_vsrr").filter((pl.col("state") == "US") & (pl.col("year") == 2015)
                                    & (pl.col("month") == "January")
                                    & (pl.col("indicator") == "Number of Drug Overdose Deaths"))
    assert row["value"] == raw["data_value"].item() and row["source_row"] == raw["source_row"].item()
    predicted = obs.filter(pl.col("indicator_id") == "overdose_deaths_predicted")
    # every reported overdose count (all states, all drug classes) comes with CDC's prediction
    assert predicted.height == obs.filter(pl.col("indicator_id") == "overdose_deaths").height


def test_scotland_nrs_deaths_and_likely_range():
    obs = mapped("scotland_nrs")
    deaths = obs.filter((pl.col("indicator_id") == "drug_related_deaths_nrs") & (pl.col("breakdown") == "all"))
    assert {d.year: v for d, v in deaths.select("period_start", "value").iter_rows()}[2021] == 1330
    avg = obs.filter((pl.col("indicator_id") == "drug_related_deaths_nrs_avg5")
                     & (pl.col("period_start") == dt.date(2018, 1, 1))).row(0, named=True)
    assert (avg["value"], round(avg["value_low"], 2), round(avg["value_high"], 2)) == (1121.6, 1055.96, 1187.24)


def test_tempe_ems_incidents_per_year():
    df = parsed("tempe_ems")
    assert df.height == 3780
    per_year = dict(df.group_by(pl.col("incident_at").dt.year()).len().iter_rows())
    assert per_year[2017] == 438 and sum(per_year.values()) == 3780
    first = df.filter(pl.col("objectid") == 1).row(0, named=True)
    assert first["incident_at"] == dt.datetime(2017, 1, 3) and first["narcan_given"] is None  # NULL
    assert first["source_row"] == 2


def test_brfss_binge_drinking():
    obs = mapped("owid_brfss").filter(pl.col("indicator_id") == "binge_drinking_pct")
    assert {d.year: v for d, v in obs.select("period_start", "value").iter_rows()}[2016] == 16.9


def test_population_streams_through_duckdb(tmp_path):
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    try:
        (path,) = (RAW / "population").iterdir()
        assert stream_into_staging(con, path, SPECS["population"]) == 754_508
        bergen = con.execute(f"select cast(sum(population) as bigint) from {STAGING_TABLE} "
                             "where municipality_code = '4601' and year = 2020").fetchall()
        first = con.execute(f"select year, municipality_code, age, population, source_row from {STAGING_TABLE} "
                            "where source_row = 2").fetchall()
    finally:
        con.close()
    assert bergen == [(283_929,)]
    assert first == [(2005, "0301", 0, 8420, 2)]
