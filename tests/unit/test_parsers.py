"""Parsers on the real bundled files: values asserted here can be read in the files themselves."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ingest.parsers import parse
from ingest.problems import FileRejected
from ingest.registry import load_registry

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
SPECS = {s.id: s for s in load_registry()}


def read(source_id: str, name: str) -> pl.DataFrame:
    return parse((RAW / source_id / name).read_bytes(), SPECS[source_id])


def test_cdc_wonder_wide_file_becomes_one_row_per_number():
    df = read("cdc_wonder", "owid_us_cdc_wonder_overdose_death_rates_by_drug_1999_2020.csv")
    # 22 years x 9 drug-class columns, no empty cells in this file
    assert df.height == 22 * 9
    heroin = df.filter(pl.col("series") == "Heroin (CDC WONDER (2017))").sort("year")
    assert heroin["value"].to_list()[17:19] == [4.9, 4.9]  # 2016, 2017: the peak
    assert heroin.filter(pl.col("year") == 2020)["value"].item() == 4.1
    stim = df.filter((pl.col("series") == "Psychostimulants death rates (US CDC WONDER)") & (pl.col("year") == 2020))
    assert stim["value"].item() == 7.5
    # lineage: 2020 is the last line (23), heroin is the 7th column of the header
    row = heroin.filter(pl.col("year") == 2020).row(0, named=True)
    assert (row["source_row"], row["source_column"]) == (23, 7)


def test_report_figures_keep_bounds_as_bounds():
    df = read("report_figures", "seed_figures.csv")
    assert df.height == 76
    dr01 = df.filter(pl.col("figure_id") == "DR01").row(0, named=True)
    # "i underkant av 30 personer": a bound, not a value
    assert dr01["value"] is None and dr01["value_high"] == 29 and dr01["qualifier"] == "below"
    dr03 = df.filter(pl.col("figure_id") == "DR03").row(0, named=True)
    assert (dr03["value_low"], dr03["value_high"], dr03["qualifier"]) == (31, 36, "range")
    assert df.filter(pl.col("figure_id") == "AL01")["value"].item() == 4468468
    assert df.schema["period_start"] == pl.Date


def test_survey_rounds_counts_and_reference_period():
    df = read("korus_rapid_survey", "survey_rounds_korus_2021.csv")
    row = df.filter((pl.col("round") == "2021-W04") & (pl.col("region") == "Norge")
                    & (pl.col("question") == "overdose_known")).row(0, named=True)
    assert (row["yes_count"], row["respondents"], row["reported_pct"]) == (10, 89, 10.0)
    assert str(row["reference_start"]) == "2021-01-11" and row["source_row"] == 3


def test_trend_signals_direction_is_integer():
    df = read("trend_panel", "trend_panel_signals.csv")
    assert df.height == 28
    heroin = df.filter((pl.col("substance") == "heroin") & (pl.col("measure") == "availability_and_use"))
    assert heroin["direction"].to_list() == [-1]
    assert df.schema["direction"] == pl.Int64


def test_text_in_a_number_column_names_line_column_and_value():
    original = (RAW / "korus_rapid_survey" / "survey_rounds_korus_2021.csv").read_text(encoding="utf-8")
    lines = original.splitlines()
    lines[2] = lines[2].replace(",10,89,10,", ",ti,89,10,", 1)
    with pytest.raises(FileRejected) as err:
        parse("\n".join(lines).encode("utf-8"), SPECS["korus_rapid_survey"])
    problem = err.value.problems[0]
    assert (problem.check, problem.row, problem.column, problem.value) == ("wrong_type", 3, "yes_count", "ti")


def test_latin1_file_is_rejected_as_wrong_encoding():
    original = (RAW / "trend_panel" / "trend_panel_signals.csv").read_text(encoding="utf-8")
    with pytest.raises(FileRejected) as err:
        parse(original.encode("latin-1"), SPECS["trend_panel"])
    assert err.value.problems[0].check == "wrong_encoding"
    assert err.value.problems[0].row == 3  # the first 'ø' is on line 3


def test_semicolon_file_is_rejected_as_wrong_delimiter():
    original = (RAW / "trend_panel" / "trend_panel_signals.csv").read_text(encoding="utf-8")
    header, *rest = original.splitlines()
    with pytest.raises(FileRejected) as err:
        parse("\n".join([header.replace(",", ";")] + rest).encode("utf-8"), SPECS["trend_panel"])
    assert err.value.problems[0].check == "wrong_delimiter"


def test_renamed_column_is_named_in_the_rejection():
    original = (RAW / "report_figures" / "seed_figures.csv").read_text(encoding="utf-8")
    renamed = original.replace("value_high", "upper", 1)
    with pytest.raises(FileRejected) as err:
        parse(renamed.encode("utf-8"), SPECS["report_figures"])
    assert [(p.check, p.column) for p in err.value.problems] == [("missing_column", "value_high")]


def test_empty_and_binary_files_are_rejected():
    for data, check in [(b"", "empty_file"), (b"\x89PNG\r\n\x1a\n\x00\x00", "binary_file")]:
        with pytest.raises(FileRejected) as err:
            parse(data, SPECS["cdc_wonder"])
        assert err.value.problems[0].check == check
