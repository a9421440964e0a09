"""Period text -> (period_type, start, end).

Publishers write one period many ways: SSB writes 2017K1 and 2021M03, ONS writes 2019/20,
Eurostat 2021-W05, spreadsheets "Jan-Mar 2021" or "mars 2021". Observations, wide headers
(`headers: period`) and spec checks all need the same reading, so it lives here, in one place.

`parse_period_text(text, kind=None, start_month=4)` returns None for text it cannot read
(the caller names the file, row and column); with `kind` set only that type is accepted, so
"2019" is not silently taken for a year where a quarter was declared.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

KINDS = ("year", "quarter", "month", "iso_week", "financial_year", "span")

# English and Norwegian month names and abbreviations (lower case). Norwegian "mai", "okt", "des"
# differ from English; the rest overlap, which is why one table serves both.
_MONTHS: dict[str, int] = {}
for _no, (_en, _nb) in enumerate(zip(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"],
        ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
         "oktober", "november", "desember"]), start=1):
    for _name in (_en, _nb):
        _MONTHS[_name] = _no
        _MONTHS[_name[:3]] = _no
_MONTHS["sept"] = 9

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_Y = r"(?P<y>\d{4})"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("year", re.compile(rf"^{_Y}$")),
    # 2017 Q1, 2017Q1, 2017-Q1, 2017K1 (SSB kvartal)
    ("quarter", re.compile(rf"^{_Y}\s*[-_ ]?\s*[QK](?P<q>[1-4])$", re.I)),
    ("quarter", re.compile(rf"^[QK](?P<q>[1-4])\s*[-_ ]?\s*{_Y}$", re.I)),
    # Jan-Mar 2021: a three-month range that is a calendar quarter
    ("quarter", re.compile(rf"^(?P<m1>{_MONTH_RE})\.?\s*[-–]\s*(?P<m2>{_MONTH_RE})\.?\s+{_Y}$", re.I)),
    ("month", re.compile(rf"^{_Y}\s*(?:-|M)\s*(?P<m>\d{{1,2}})$", re.I)),
    ("month", re.compile(rf"^(?P<mn>{_MONTH_RE})\.?\s+{_Y}$", re.I)),
    # 2021-W05, 2021W05, 2021 week 5, 2021U05 (SSB uke)
    ("iso_week", re.compile(rf"^{_Y}\s*-?\s*(?:W|U|week\s*|uke\s*)(?P<w>\d{{1,2}})$", re.I)),
    # 2019/20, 2019-20, 2019/2020
    ("financial_year", re.compile(rf"^{_Y}\s*[/-]\s*(?P<y2>\d{{2}}|\d{{4}})$")),
    ("span", re.compile(rf"^{_Y}\s*[-–]\s*(?P<y2>\d{{4}})$")),
]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _build(kind: str, m: re.Match, start_month: int) -> tuple[date, date] | None:
    g = m.groupdict()
    year = int(g["y"])
    if kind == "year":
        return date(year, 1, 1), date(year, 12, 31)
    if kind == "quarter":
        if g.get("q"):
            q = int(g["q"])
        else:
            m1, m2 = _MONTHS[g["m1"].lower()], _MONTHS[g["m2"].lower()]
            # only a true calendar quarter: "Feb-Apr" is not one and must not be read as Q1
            if m1 % 3 != 1 or m2 != m1 + 2:
                return None
            q = (m1 + 2) // 3
        return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    if kind == "month":
        month = int(g["m"]) if g.get("m") else _MONTHS[g["mn"].lower()]
        if not 1 <= month <= 12:
            return None
        return date(year, month, 1), _month_end(year, month)
    if kind == "iso_week":
        week = int(g["w"])
        try:
            # fromisocalendar rejects week 53 in 52-week years, which is exactly the check wanted
            start = date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        return start, start + timedelta(days=6)
    if kind == "financial_year":
        y2 = g["y2"]
        second = int(y2) if len(y2) == 4 else (year // 100) * 100 + int(y2)
        if year % 100 == 99 and len(y2) == 2:
            second = (year // 100 + 1) * 100 + int(y2)
        if second != year + 1:
            return None
        if not 1 <= start_month <= 12:
            raise ValueError(f"start_month must be 1-12, not {start_month}")
        start = date(year, start_month, 1)
        end_month = start_month - 1 or 12
        end = _month_end(year + 1 if start_month > 1 else year, end_month)
        return start, end
    if kind == "span":
        second = int(g["y2"])
        if second < year:
            return None
        return date(year, 1, 1), date(second, 12, 31)
    return None


def parse_period_text(text, kind: str | None = None, start_month: int = 4
                      ) -> tuple[str, date, date] | None:
    """Read one period text; None when it is not a period (of `kind`, when given).

    With kind=None the type is guessed. "2019-20" is read as a financial year and "2015-2017" as
    a span: a four-digit second year that follows the first is ambiguous (2019/2020 financial year
    or span of two years), and with no kind it is read as a financial year only when written with
    a slash.
    """
    if text is None:
        return None
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown period type {kind!r}; one of {', '.join(KINDS)}")
    s = " ".join(str(text).split())
    if isinstance(text, int) or (isinstance(text, float) and text.is_integer()):
        s = str(int(text))
    for pkind, pattern in _PATTERNS:
        if kind is not None and pkind != kind:
            continue
        m = pattern.match(s)
        if not m:
            continue
        if kind is None and pkind == "financial_year" and len(m["y2"]) == 4 and "/" not in s:
            continue  # 2015-2016 without a declared kind: a span, see the docstring
        built = _build(pkind, m, start_month)
        if built is not None:
            return (pkind, *built)
    return None
