"""Observation period forms read through ingest/parsers/periods.py, and the plausible range."""
from datetime import date

import polars as pl
import pytest

from ingest.observations import map_observations
from ingest.problems import FileRejected

BASE = {"indicator": {"value": "overdose_deaths_residents"}, "geography": {"value": "nation_nor"},
        "value": {"column": "n"}, "unit": {"value": "count"}}


def frame(**cols):
    n = len(next(iter(cols.values())))
    return pl.DataFrame({**cols, "n": [float(i) for i in range(n)], "source_row": list(range(2, n + 2))})


def periods(df, period, **kw):
    out = map_observations(df, "t", [{**BASE, "period": period}], **kw)
    return list(zip(out["period_type"], out["period_start"], out["period_end"]))


def test_quarter_column_mixed_spellings():
    df = frame(q=["2017 Q1", "2017K2", "Q3 2017", "Jul-Sep 2017", "2017 Q1"])
    assert periods(df, {"type": "quarter", "column": "q"}) == [
        ("quarter", date(2017, 1, 1), date(2017, 3, 31)), ("quarter", date(2017, 4, 1), date(2017, 6, 30)),
        ("quarter", date(2017, 7, 1), date(2017, 9, 30)), ("quarter", date(2017, 7, 1), date(2017, 9, 30)),
        ("quarter", date(2017, 1, 1), date(2017, 3, 31))]


def test_year_plus_month_name_and_week_number():
    df = frame(y=[2021, 2021], m=["mars", "12"], w=[5, 53])
    assert periods(df, {"type": "month", "year": "y", "month": "m"}) == [
        ("month", date(2021, 3, 1), date(2021, 3, 31)), ("month", date(2021, 12, 1), date(2021, 12, 31))]
    with pytest.raises(FileRejected) as err:  # 2021 has no week 53
        periods(df, {"type": "iso_week", "year": "y", "week": "w"})
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "w")]


def test_constant_expr_and_financial_year_start():
    df = frame(fy=["2019/20"])
    assert periods(df, {"type": "year", "value": 2021}) == [("year", date(2021, 1, 1), date(2021, 12, 31))]
    assert periods(df, {"type": "quarter", "value": "2021 Q1"}) == [("quarter", date(2021, 1, 1), date(2021, 3, 31))]
    assert periods(df, {"type": "financial_year", "column": "fy", "start_month": 7}) == [
        ("financial_year", date(2019, 7, 1), date(2020, 6, 30))]
    assert periods(df, {"type": "month", "expr": "concat(substr(fy, 1, 4), '-02')"}) == [
        ("month", date(2019, 2, 1), date(2019, 2, 28))]


def test_period_before_earliest_year_names_the_spec_field():
    df = frame(year=[1850, 2000])
    with pytest.raises(FileRejected) as err:
        map_observations(df, "t", [{**BASE, "period": {"type": "year", "year": "year"}}], earliest_year=1950)
    (problem,) = [p for p in err.value.problems if p.check == "implausible_period"]
    assert (problem.row, problem.column, problem.value) == (2, "observations[0].period.year", "1850")
    # the default 1900 lets 2000 and 1950 through
    assert len(periods(frame(year=[1950, 2000]), {"type": "year", "year": "year"})) == 2
