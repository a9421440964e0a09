"""dash_app.queries (dash_app/queries/) against the published warehouse: shapes, real values, bound parameters."""
from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from dash_app import queries

US_SUBSTANCES = {"all", "heroin", "opioids", "opioid_analgesics", "synthetic_opioids", "psychostimulants",
                 "cocaine", "benzodiazepines", "antidepressants"}
BERGEN = "municip_nor4601"
INJECTIONS = [
    "heroin'; drop view publish.sources; --",
    "' or 1=1 --",
    "x') or ('1'='1",
    "heroin\" or \"1\"=\"1",
    "$substances",
]


def value_at(frame: pd.DataFrame, substance: str, year: int) -> float:
    row = frame[(frame["substance_id"] == substance) & (frame["year"] == year)]
    assert len(row) == 1, f"{substance} {year}: {len(row)} rows"
    return float(row["value"].iloc[0])


def test_available_substances_come_from_the_data():
    frame = queries.available_substances()
    assert set(frame["substance_id"]) == US_SUBSTANCES
    assert frame["substance_name_en"].notna().all()
    assert frame["substance_id"].is_unique


def test_death_rates_shape_and_values():
    frame = queries.death_rates(["heroin", "psychostimulants", "cocaine"])
    assert set(frame["substance_id"]) == {"heroin", "psychostimulants", "cocaine"}
    for sid, part in frame.groupby("substance_id"):
        assert sorted(part["year"].astype(int)) == list(range(1999, 2021)), sid
    assert (frame["unit"] == "per_100k").all()
    assert (frame["geo_code"] == "nation_usa").all()
    assert value_at(frame, "heroin", 2016) == pytest.approx(4.9)
    assert value_at(frame, "psychostimulants", 2020) == pytest.approx(7.5)
    assert frame["source_label"].notna().all() and frame["source_row"].notna().all()


def test_heroin_peaks_2016_2017_and_falls_while_psychostimulants_rise():
    frame = queries.death_rates(["heroin", "psychostimulants"])
    heroin = frame[frame["substance_id"] == "heroin"].set_index("year")["value"]
    stim = frame[frame["substance_id"] == "psychostimulants"].set_index("year")["value"]
    assert int(heroin.idxmax()) in (2016, 2017)
    assert heroin[2020] < heroin.max()
    assert int(stim.idxmax()) == 2020
    assert stim[2020] > stim[2017]


def test_death_rates_of_nothing_is_an_empty_frame_with_columns():
    frame = queries.death_rates([])
    assert frame.empty and {"substance_id", "year", "value"} <= set(frame.columns)
    assert queries.death_rates(None).empty


def test_trend_signals_for_bergen():
    frame = queries.trend_signals([BERGEN])
    assert len(frame) > 0
    assert (frame["geo_code"] == BERGEN).all()
    assert frame["indicator_id"].str.startswith("trend_signal_").all()
    assert frame["direction"].between(-2, 2).all()
    assert (frame["period_end"] >= frame["period_start"]).all()
    assert frame["detail"].notna().all()
    heroin_long = frame[(frame["substance_id"] == "heroin") & (frame["period_start"] == pd.Timestamp("2002-01-01"))]
    assert len(heroin_long) == 1
    assert heroin_long["direction"].iloc[0] == -1
    assert "heroin" in heroin_long["detail"].iloc[0]
    alcohol = frame[frame["substance_id"] == "alcohol"]
    assert alcohol["direction"].max() == 2


def test_signal_geographies_offer_bergen_and_regions():
    frame = queries.signal_geographies()
    assert BERGEN in set(frame["geo_code"])
    assert frame["geo_name"].notna().all()
    assert frame["geo_code"].is_unique


def test_alcohol_sales_values():
    frame = queries.alcohol_sales()
    assert set(frame["substance_id"]) == {"alcohol_beer", "alcohol_wine", "alcohol_spirits"}
    assert len(frame) == 27
    assert sorted(frame["year"].astype(int).unique()) == list(range(2007, 2016))
    beer_2007 = frame[(frame["substance_id"] == "alcohol_beer") & (frame["year"] == 2007)]
    assert float(beer_2007["litres"].iloc[0]) == 4468468
    shares = frame.groupby("year")["share_of_total_pct"].sum()
    assert shares.between(99.9, 100.1).all()
    assert queries.alcohol_sales(BERGEN).shape == frame.shape
    assert queries.alcohol_geographies()["geo_code"].tolist() == [BERGEN]


def test_survey_rounds_national_wilson_and_checks():
    frame = queries.survey_rounds("nation")
    assert set(frame["survey_round"]) == {"2021-W04", "2021-W06"}
    assert (frame["geo_level"] == "nation").all()
    w04 = frame[(frame["survey_round"] == "2021-W04") & (frame["question_id"] == "overdose_known")].iloc[0]
    assert int(w04["yes_count"]) == 10 and int(w04["respondents"]) == 89
    assert w04["reported_pct"] == 10
    assert w04["pct_check"] == "inconsistent"
    assert w04["share_pct"] == pytest.approx(100 * 10 / 89, abs=0.01)  # published rounded to 2 decimals
    assert w04["share_low_pct"] < w04["share_pct"] < w04["share_high_pct"]
    with_n = frame[frame["respondents"].notna()]
    assert with_n["share_low_pct"].notna().all()
    assert frame[frame["respondents"].isna()]["share_pct"].isna().all()


def test_survey_rounds_regional_have_counts_but_no_respondents():
    frame = queries.survey_rounds("georegion")
    assert len(frame) > 0
    assert frame["respondents"].isna().all()
    assert frame["share_pct"].isna().all()
    assert frame["yes_count"].notna().sum() > 0
    assert set(queries.survey_levels()["geo_level"]) == {"nation", "georegion"}


def test_survey_questions():
    frame = queries.survey_questions()
    assert frame["question_id"].is_unique
    assert {"overdose_known", "covid_known_in_scene"} <= set(frame["question_id"])
    assert frame["question_en"].notna().all()


def test_sources_and_labels():
    catalogue = queries.sources()
    assert {"cdc_wonder", "report_figures", "korus_rapid_survey", "trend_panel"} <= set(catalogue["source_id"])
    assert len(queries.sources(["cdc_wonder"])) == 1
    label = queries.source_label("cdc_wonder")
    assert label and "CDC" in label
    assert queries.source_label("no_such_source") is None


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_text_is_data(text):
    assert queries.death_rates([text]).empty
    assert queries.death_rates(["heroin", text])["substance_id"].unique().tolist() == ["heroin"]
    assert queries.trend_signals([text]).empty
    assert queries.alcohol_sales(text).empty
    assert queries.survey_rounds(text).empty
    assert queries.sources([text]).empty
    assert queries.source_label(text) is None
    # the catalogue is still there
    assert len(queries.sources()) >= 4


def test_missing_warehouse_raises_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(tmp_path / "nope.duckdb"))
    with pytest.raises(queries.WarehouseUnavailable, match="^No data have been published yet"):
        queries.death_rates(["heroin"])


def test_warehouse_without_publish_schema_raises_a_clear_error(monkeypatch, tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(empty))
    with pytest.raises(queries.WarehouseUnavailable, match="published data are missing"):
        queries.alcohol_sales()


def test_connections_are_read_only_and_closed(monkeypatch, tmp_path, app_warehouse):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(app_warehouse, copy)
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(copy))
    assert len(queries.death_rates(["heroin"])) == 22
    # A writer can open the file right after a query: the app holds no connection.
    writer = duckdb.connect(str(copy))
    writer.close()
    # The file can be replaced between two requests (what the publish step does).
    replacement = tmp_path / "next.duckdb"
    shutil.copyfile(app_warehouse, replacement)
    replacement.replace(copy)
    assert len(queries.death_rates(["heroin"])) == 22
