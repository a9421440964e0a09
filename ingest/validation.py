"""The one validation layer every file goes through, whatever its format or load path.

    scan_bytes / scan_file   the file as bytes: NUL bytes anywhere, a last record cut short
    TEXT RULES               how a cell's text becomes a typed value (shared by the polars
                             parsers and the streamed path's SQL): ASCII digits only, whole
                             numbers in integer columns, integers within their type
    check_table              the typed rows, as SQL run by DuckDB over a table: the parsed path
                             registers its polars frame, the streamed path (csv_large) points at
                             its staging table, so both paths run the very same statements
                             (set-based, no Python per row: a 10M-row file costs one counting pass,
                             and a second look only for the rules that fail)

Every failure is a Problem naming line, column, value and rule (its `check`); all rules run and
all problems of a file are collected before the file is rejected.

Spec fields read here (see ingest/registry.py):
    plausible: {earliest_year: 1950, year_columns: [...], future: [...]}
    codes: {municipality_code: fhi_locations}
    value_columns: {..., headers: year}  or  value_columns: {..., series: [...]}   (wide_csv)
    options: {final_line_break: optional}
"""
from __future__ import annotations

import datetime as dt
import gzip
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb

from ingest.problems import Problem
from ingest.registry import Column, SourceSpec

SAMPLE = 20  # problems shown per rule and file: enough to fix it, short enough to read

# --- text rules: one definition, used by the polars parsers and by the SQL of csv_large ------
# [0-9], not \d: polars' (Rust) \d accepts other scripts' digits ('１２' full-width), which its
# cast then cannot read (a traceback before); DuckDB's RE2 reads the same pattern the same way.
INTEGER_TEXT = r"^[+-]?[0-9]+$"
NUMBER_TEXT = r"^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$"
INTEGER_RANGE = {"integer": (-2**31, 2**31 - 1), "bigint": (-2**63, 2**63 - 1)}
# A double keeps 15-17 significant digits: a value of 10^15 or more in a double column has lost
# digits (a 20-digit id or a pasted number), and no count or rate in this domain is that large.
MAX_DOUBLE = 1e15

TEXT_FORMATS = {"csv", "wide_csv", "ssb_statbank_csv", "csv_large", "jsonstat2"}
DELIMITED_FORMATS = {"csv", "wide_csv", "ssb_statbank_csv", "csv_large"}
ISO_WEEK = r"^[0-9]{4}-W[0-9]{2}$"


def out_of_range_reason(kind: str) -> str:
    low, high = INTEGER_RANGE[kind]
    return f"the whole number does not fit the column's type {kind} ({low}..{high})"


# --- bytes -------------------------------------------------------------------------------------

def _chunks_scan(chunks: Iterable[bytes], final_break: bool) -> list[Problem]:
    """NUL bytes and the last record, over the file's (decompressed) bytes in chunks.

    bytes.find is memchr: a 1 GB file costs about a second, so the whole file is scanned, not a
    head sniff (a NUL byte on line 90,000 would otherwise pass as a character of a value).
    """
    problems: list[Problem] = []
    line, last, size = 1, b"", 0
    for chunk in chunks:
        if not chunk:
            continue
        at = chunk.find(b"\x00")
        if at >= 0 and not problems:
            where = line + chunk.count(b"\n", 0, at)
            problems.append(Problem("binary_file", f"the file contains NUL bytes (first at byte {size + at}): it is "
                                    "binary or damaged, not a text table", row=where))
        line += chunk.count(b"\n")
        size += len(chunk)
        last = chunk[-1:]
    if size and final_break and last not in (b"\n", b"\r"):
        problems.append(Problem(
            "truncated_record",
            "the file does not end with a line break: its last record may be cut short (an interrupted "
            "download or copy); if the publisher writes files so, set options.final_line_break: optional",
            row=line))
    return problems


def _final_break(spec: SourceSpec) -> bool:
    return spec.format in DELIMITED_FORMATS and spec.options.get("final_line_break", "required") != "optional"


def scan_bytes(data: bytes, spec: SourceSpec) -> list[Problem]:
    if spec.format not in TEXT_FORMATS:
        return []
    return _chunks_scan([data], _final_break(spec))


def _file_chunks(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            yield chunk


def scan_file(path: Path, spec: SourceSpec) -> list[Problem]:
    """scan_bytes for a file too big to hold: read (and decompressed) in 1 MiB chunks."""
    if spec.format not in TEXT_FORMATS:
        return []
    try:
        return _chunks_scan(_file_chunks(path), _final_break(spec))
    except (OSError, EOFError, zlib.error) as err:  # truncated or not really gzip
        return [Problem("unreadable_file", f"the file cannot be decompressed, it ends before the end of gzip "
                        f"data or is not gzip at all (an interrupted download?): {err}")]


def find_nul(data: bytes) -> Problem | None:
    """The NUL-byte rule for the parsers' own decode step (same rule and wording as the scan)."""
    problems = _chunks_scan([data], final_break=False)
    return problems[0] if problems else None


# --- typed rows, in SQL --------------------------------------------------------------------------

def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                       [schema, name]).fetchall()[0][0] > 0


def code_list_sql(con: duckdb.DuckDBPyConnection, code_list: str) -> str | None:
    """A subquery of the codes of a code list, or None while the list is not loaded yet."""
    if code_list == "fhi_locations" and _table_exists(con, "raw", "fhi_locations__municipalities"):
        # every municipality and county code FHI's history knows, current or not (a series in
        # 2020 borders uses codes that no longer exist today), as FHI writes it (municip_nor0301,
        # county_nor03) and as the publishers do (0301, 03)
        return ("select code from raw.fhi_locations__municipalities, "
                "unnest([municip_code, county_code, regexp_extract(municip_code, '[0-9]+$'), "
                "regexp_extract(county_code, '[0-9]+$')]) as t(code) where code is not null and code <> ''")
    return None


def year_columns(spec: SourceSpec) -> list[tuple[str, str]]:
    """(target, published name) of the columns holding a calendar year."""
    declared = spec.plausible.get("year_columns")
    columns = [*spec.columns, *spec.id_columns]
    if declared is not None:
        return [(c.target, c.name) for c in columns if c.target in declared or c.name in declared]
    return [(c.target, c.name) for c in columns if c.type in ("integer", "bigint") and
            (c.target == "year" or c.target.startswith("year_") or c.target.endswith("_year"))]


def _allows_future(spec: SourceSpec, column) -> bool:
    allowed = spec.plausible.get("future") or []
    return column.target in allowed or column.name in allowed


def _rules(con, spec: SourceSpec) -> list[tuple[str, str, str, str, str]]:
    """(check, reason, column shown, predicate true for a bad row, value shown) for every rule."""
    today = dt.date.today()
    earliest = int(spec.plausible.get("earliest_year", spec.DEFAULT_EARLIEST_YEAR))
    rules = []
    wide = spec.format == "wide_csv"
    columns = list(spec.id_columns if wide else spec.columns)
    if wide:  # the long value column, typed as value_columns.type
        vc = spec.value_columns
        columns.append(Column(name=vc["value_as"], type=vc["type"], target=vc["value_as"]))
    for c in columns:
        col, shown = _q(c.target), f"cast({_q(c.target)} as varchar)"
        name = _lit(c.name)
        if wide and c.target == spec.value_columns["value_as"]:
            name = _q(spec.value_columns["header_as"])  # a wide file's cell is named by its header
        if c.type == "double":
            rules.append(("non_finite_number", "not a finite number (inf or nan; a number such as 1e400 "
                          "overflows to inf): write the number, or leave the cell empty", name,
                          f"(isinf({col}) or isnan({col}))", shown))
            rules.append(("too_many_digits", f"a number of {len(str(int(MAX_DOUBLE)))} or more digits "
                          "cannot be stored exactly as a double and is no plausible count or rate "
                          "(an id or two numbers run together?)", name, f"abs({col}) >= {MAX_DOUBLE!r}", shown))
        if c.type == "integer":
            low, high = INTEGER_RANGE["integer"]
            rules.append(("integer_out_of_range", out_of_range_reason("integer"), name,
                          f"({col} < {low} or {col} > {high})", shown))
        if c.type in ("date", "timestamp"):
            day = f"cast({col} as date)"
            rules.append(("implausible_date", f"a date before {earliest} is a typo here (the source's "
                          f"earliest plausible year is {earliest}; a spec can lower it with "
                          "plausible.earliest_year)", name, f"year({day}) < {earliest}", shown))
            if not _allows_future(spec, c):
                rules.append(("future_period", f"the date lies in the future (after {today.isoformat()}): a "
                              "period cannot have been observed yet", name, f"{day} > date '{today.isoformat()}'",
                              shown))
        if c.type == "varchar":  # any text that is written as an ISO week must be a real one
            year = f"try_cast(left({col}, 4) as integer)"
            week = f"try_cast(right({col}, 2) as integer)"
            rules.append(("invalid_iso_week", "not a valid ISO week: weeks run 01..52, and 53 only in a year "
                          "that has 53 ISO weeks (2020, 2026, ...)", name,
                          f"regexp_full_match({col}, '{ISO_WEEK}') and ({year} < {earliest} or {year} > "
                          f"{today.year} or {week} < 1 or {week} > weekofyear(make_date({year}, 12, 28)))", shown))
    for target, published in year_columns(spec):
        kind = next((c.type for c in columns if c.target == target), "varchar")
        year = _q(target) if kind in ("integer", "bigint") else f"try_cast({_q(target)} as bigint)"
        allow = any(_allows_future(spec, c) for c in columns if c.target == target)
        rules.append(("implausible_year", f"a year before {earliest} is a typo here (the source's earliest "
                      f"plausible year is {earliest}; a spec can lower it with plausible.earliest_year)",
                      _lit(published), f"{year} < {earliest}", f"cast({_q(target)} as varchar)"))
        if not allow:
            rules.append(("future_period", f"the year {today.year + 1} or later has not begun: a period cannot "
                          "have been observed yet", _lit(published), f"{year} > {today.year}",
                          f"cast({_q(target)} as varchar)"))
    for column, code_list in spec.codes.items():
        codes = code_list_sql(con, code_list)
        target = next((c.target for c in columns if column in (c.target, c.name)), column)
        if codes is not None:
            rules.append(("unknown_code", f"not a code in {code_list}'s code history: a typo, or a code "
                          "that never existed", _lit(column),
                          f"{_q(target)} is not null and {_q(target)} not in ({codes})", _q(target)))
    if wide:
        header = _q(spec.value_columns["header_as"])
        headers = spec.value_columns.get("headers")
        series = spec.wide_series
        if headers == "year":
            year = f"try_cast(trim({header}) as integer)"
            rules.append(("unmapped_header", f"a value column's header must be a year from {earliest} to "
                          f"{today.year}: this column maps to no period", header,
                          f"{year} is null or {year} < {earliest} or {year} > {today.year}", header))
        elif series:
            known = ", ".join(_lit(s) for s in series)
            rules.append(("unmapped_header", "this value column is not a series the spec declares "
                          "(value_columns.series or an observations map): a new or renamed series must be "
                          "added to the spec before its numbers can be loaded", header,
                          f"{header} not in ({known})", header))
    return rules


def check_table(con: duckdb.DuckDBPyConnection, table: str, spec: SourceSpec) -> list[Problem]:
    """Every rule over a typed table (the raw table's columns + source_row): all problems, each
    rule's first SAMPLE offending cells. One pass over the table counts every rule's failures;
    only a failing rule is read again, for its lines."""
    rules = _rules(con, spec)
    if not rules:
        return []
    counts = con.execute("select " + ", ".join(f"count(*) filter (where coalesce({predicate}, false))"
                                               for _, _, _, predicate, _ in rules) + f" from {table}").fetchall()[0]
    problems: list[Problem] = []
    for (check, reason, column, predicate, shown), failures in zip(rules, counts):
        if not failures:
            continue
        sql = (f"select source_row, {column} as col, {shown} as shown from {table} "
               f"where coalesce({predicate}, false) order by source_row limit {SAMPLE}")
        for row, col, value in con.execute(sql).fetchall():
            problems.append(Problem(check, reason, row=int(row), column=str(col), value=value))
    return problems


def check_frame(con: duckdb.DuckDBPyConnection, frame, spec: SourceSpec) -> list[Problem]:
    """check_table for a parsed polars frame: DuckDB reads the frame through Arrow, no copy."""
    view = "incoming_validation"
    con.register(view, frame.to_arrow())
    try:
        return check_table(con, view, spec)
    finally:
        con.unregister(view)
