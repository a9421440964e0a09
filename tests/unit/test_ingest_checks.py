"""The Great Expectations suites at the ingest boundary, on real rows with one thing broken."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from expectations.runner import load_suite, validate
from ingest.parsers import parse
from ingest.registry import load_registry

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
SPECS = {s.id: s for s in load_registry()}


def survey() -> pl.DataFrame:
    return parse((RAW / "korus_rapid_survey" / "survey_rounds_korus_2021.csv").read_bytes(), SPECS["korus_rapid_survey"])


def failing(frame: pl.DataFrame, source_id: str) -> dict[str, object]:
    return {r.check_name: r for r in validate(frame, load_suite("ingest", source_id)) if not r.success}


def test_bundled_survey_passes_with_one_warning_for_10_of_89():
    failed = failing(survey(), "korus_rapid_survey")
    assert list(failed) == ["expect_column_values_to_be_between(pct_gap)"]
    warning = failed["expect_column_values_to_be_between(pct_gap)"]
    assert warning.severity == "warning" and warning.rows == (3,)  # line 3: W04 overdose_known 10 of 89


def test_yes_above_respondents_is_an_error_naming_the_line():
    frame = survey().with_columns(
        pl.when(pl.col("source_row") == 2).then(150).otherwise(pl.col("yes_count")).alias("yes_count"))
    failed = failing(frame, "korus_rapid_survey")
    check = failed["expect_column_pair_values_a_to_be_greater_than_b(respondents)"]
    assert check.severity == "error" and check.rows == (2,)


def test_duplicate_round_is_an_error():
    frame = survey()
    failed = failing(pl.concat([frame, frame.head(1)]), "korus_rapid_survey")
    assert "expect_compound_columns_to_be_unique(survey,round,region,question)" in failed


def test_exact_figure_without_value_is_an_error():
    figures = parse((RAW / "report_figures" / "seed_figures.csv").read_bytes(), SPECS["report_figures"])
    broken = figures.with_columns(
        pl.when(pl.col("figure_id") == "DR07").then(None).otherwise(pl.col("value")).alias("value"))
    failed = failing(broken, "report_figures")
    assert failed["expect_column_values_to_not_be_null(value)"].rows == (8,)
    assert len(failed) == 1


def test_future_period_is_an_error():
    signals = parse((RAW / "trend_panel" / "trend_panel_signals.csv").read_bytes(), SPECS["trend_panel"])
    future = signals.with_columns(
        pl.when(pl.col("source_row") == 2).then(pl.date(2099, 1, 1)).otherwise(pl.col("period_start")).alias("period_start"))
    failed = failing(future, "trend_panel")
    assert failed["expect_column_values_to_be_between(period_start)"].rows == (2,)
