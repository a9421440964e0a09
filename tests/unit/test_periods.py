"""Period texts -> dates. Every expected date below was checked by hand against a calendar
(ISO weeks against the ISO 8601 rule: week 1 holds the year's first Thursday)."""
from datetime import date

import pytest

from ingest.parsers.periods import parse_period_text


@pytest.mark.parametrize("text,expected", [
    ("2017", ("year", date(2017, 1, 1), date(2017, 12, 31))),
    (2017, ("year", date(2017, 1, 1), date(2017, 12, 31))),
    ("2017 Q1", ("quarter", date(2017, 1, 1), date(2017, 3, 31))),
    ("2017Q4", ("quarter", date(2017, 10, 1), date(2017, 12, 31))),
    ("Q2 2017", ("quarter", date(2017, 4, 1), date(2017, 6, 30))),
    ("2017K3", ("quarter", date(2017, 7, 1), date(2017, 9, 30))),
    ("Jan-Mar 2021", ("quarter", date(2021, 1, 1), date(2021, 3, 31))),
    ("Oct-Dec 2020", ("quarter", date(2020, 10, 1), date(2020, 12, 31))),
    ("2021-03", ("month", date(2021, 3, 1), date(2021, 3, 31))),
    ("2021M02", ("month", date(2021, 2, 1), date(2021, 2, 28))),
    ("2020M02", ("month", date(2020, 2, 1), date(2020, 2, 29))),
    ("March 2021", ("month", date(2021, 3, 1), date(2021, 3, 31))),
    ("mars 2021", ("month", date(2021, 3, 1), date(2021, 3, 31))),
    ("Mai 2019", ("month", date(2019, 5, 1), date(2019, 5, 31))),
    ("2021-W05", ("iso_week", date(2021, 2, 1), date(2021, 2, 7))),
    ("2021W01", ("iso_week", date(2021, 1, 4), date(2021, 1, 10))),
    ("2021 week 5", ("iso_week", date(2021, 2, 1), date(2021, 2, 7))),
    ("2021U05", ("iso_week", date(2021, 2, 1), date(2021, 2, 7))),
    ("2020-W53", ("iso_week", date(2020, 12, 28), date(2021, 1, 3))),
    ("2019/20", ("financial_year", date(2019, 4, 1), date(2020, 3, 31))),
    ("2019-20", ("financial_year", date(2019, 4, 1), date(2020, 3, 31))),
    ("2019/2020", ("financial_year", date(2019, 4, 1), date(2020, 3, 31))),
    ("1999/00", ("financial_year", date(1999, 4, 1), date(2000, 3, 31))),
    ("2015-2017", ("span", date(2015, 1, 1), date(2017, 12, 31))),
])
def test_guessed_kind(text, expected):
    assert parse_period_text(text) == expected


@pytest.mark.parametrize("text", [
    "2021-W53",      # 2021 has 52 ISO weeks
    "2021-13", "2021M00", "Feb-Apr 2021",  # not a month / not a calendar quarter
    "2019/21", "2017-2015", "Q5 2017", "abc", "", None,
])
def test_not_a_period(text):
    assert parse_period_text(text) is None


def test_declared_kind_is_strict():
    assert parse_period_text("2019", kind="quarter") is None
    assert parse_period_text("2017 Q1", kind="year") is None
    assert parse_period_text("2019-2020", kind="financial_year") == (
        "financial_year", date(2019, 4, 1), date(2020, 3, 31))
    # without a kind a dash with four digits is a span
    assert parse_period_text("2019-2020") == ("span", date(2019, 1, 1), date(2020, 12, 31))


def test_financial_year_start_month():
    # July-June (Australian style)
    assert parse_period_text("2019/20", kind="financial_year", start_month=7) == (
        "financial_year", date(2019, 7, 1), date(2020, 6, 30))
    # January start: the year itself
    assert parse_period_text("2019/20", kind="financial_year", start_month=1) == (
        "financial_year", date(2019, 1, 1), date(2019, 12, 31))


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown period type"):
        parse_period_text("2019", kind="fortnight")
