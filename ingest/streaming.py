"""Big delimited files (gzip or plain) streamed by DuckDB's own CSV reader.

Rows never pass through Python: DuckDB reads, types and inserts them in chunks, so memory stays
flat whatever the file's size. Records that do not fit the header are caught by the reader's
`store_rejects` (with the line); cells are typed in SQL by the parsed path's text rules; then the
validation layer (ingest/validation.py) and the suite's rules run as SQL (expectations/sql_checks.py).
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import duckdb

from ingest.parsers.text_table import MAX_PROBLEMS, decode, expected_text
from ingest.problems import FileRejected, Problem, SpecError
from ingest.registry import NUMERIC_TYPES, SourceSpec
from ingest.validation import INTEGER_TEXT, NUMBER_TEXT, out_of_range_reason

STAGING_TABLE = "incoming_stream"


def _header_line(path: Path, encoding: str, skip: int) -> str:
    """The header: the file's line skip + 1 (the lines above it are a preamble, options.skip_lines)."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            for _ in range(skip):
                fh.readline(65536)
            head = fh.readline(65536)
    except (OSError, EOFError) as err:  # truncated or not really gzip
        raise FileRejected([Problem("unreadable_file", f"the file cannot be decompressed: {err}")]) from None
    if not head.strip() and skip:
        raise FileRejected([Problem("missing_header", f"line {skip + 1}, below the {skip} skipped line(s) "
                                    "(options.skip_lines), is not a header", row=skip + 1)])
    return decode(head, encoding).rstrip("\r\n")


def _skip_lines(spec: SourceSpec) -> int:
    """options.skip_lines of a streamed file. header_pattern would need the file read line by line
    before DuckDB reads it, which is what streaming avoids, so csv_large takes a line count only."""
    skip = spec.options.get("skip_lines", 0)
    if isinstance(skip, bool) or not isinstance(skip, int) or skip < 0:
        raise SpecError(f"{spec.id}: options.skip_lines must be a whole number of lines (>= 0), not {skip!r}")
    if spec.options.get("header_pattern") is not None:
        raise SpecError(f"{spec.id}: options.header_pattern is not read for csv_large (a streamed file is not "
                        "searched line by line); give the preamble's length with options.skip_lines: N")
    return skip


def _check_header(path: Path, spec: SourceSpec, skip: int = 0) -> None:
    line = skip + 1
    header = [h.strip().strip('"') for h in _header_line(path, spec.encoding, skip).split(spec.delimiter)]
    expected = [c.name for c in spec.columns]
    if header != expected:
        missing = [h for h in expected if h not in header]
        if len(header) == 1 and len(expected) > 1:
            reason = f"the header has one column only ({header[0][:60]!r}): is the delimiter '{spec.delimiter}'?"
            raise FileRejected([Problem("wrong_delimiter", reason, row=line)])
        reason = (f"the header must be exactly: {', '.join(expected)} (found: {', '.join(header)})"
                  if not missing else f"expected column is not in the header (found: {', '.join(header)})")
        raise FileRejected([Problem("missing_column", reason, row=line, column=missing[0] if missing else None)])


def _typed_sql(column, decimal: str, markers: list[str] = ()) -> tuple[str, str | None]:
    """SQL typing a text cell of the staging table by the parsed path's text rules
    (ingest/validation.py): the typed expression, and a predicate true for text that does not
    fit (None when any text fits). DuckDB's own CSV typing is not used for numbers: it rounds
    12.5 into an INTEGER column to 13 and reads '1e400' as inf without a word. `markers` (number
    columns of a spec with markers) are texts without a number, like the column's missing texts."""
    raw = _q(column.name)
    text = f"trim({raw})"
    missing = [*column.missing, *(markers if column.type in NUMERIC_TYPES else ())]
    if missing:
        text = f"(case when {text} in ({', '.join(_lit(m) for m in missing)}) then null else {text} end)"
    if column.type in ("integer", "bigint"):
        ok = f"regexp_full_match({text}, {_lit(INTEGER_TEXT)})"
        return f"(case when {ok} then try_cast({text} as BIGINT) end)", f"not {ok}"
    if column.type == "double":
        number = f"replace({text}, {_lit(decimal)}, '.')" if decimal != "." else text
        ok = f"regexp_full_match({number}, {_lit(NUMBER_TEXT)})"
        return f"(case when {ok} then cast({number} as DOUBLE) end)", f"not {ok}"
    if column.type in ("date", "timestamp"):
        fmt = column.format or ("%Y-%m-%d" if column.type == "date" else "%Y-%m-%d %H:%M:%S")
        parsed = f"try_strptime({text}, {_lit(fmt)})"
        typed = f"cast({parsed} as DATE)" if column.type == "date" else parsed
        return typed, f"{parsed} is null"
    if column.type == "boolean":
        low = f"lower({text})"
        typed = f"(case when {low} in ('true', 'yes', '1') then true when {low} in ('false', 'no', '0') then false end)"
        return typed, f"{typed} is null"
    return raw, None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _glob_escaped(path: Path) -> str:
    """The path as a pattern that matches only itself. DuckDB's readers expand *, ? and [..] in a
    path as a glob, so `callouts[4].csv` would read `callouts4.csv`; each such character is put in
    a one-character class ([*], [?], [[], []]), which DuckDB matches literally."""
    return re.sub(r"([*?\[\]])", r"[\1]", str(path))


def stream_into_staging(con: duckdb.DuckDBPyConnection, path: Path, spec: SourceSpec) -> int:
    """Create temp table incoming_stream (the raw table's columns + source_row); returns its rows.

    DuckDB reads every cell as text into a first temp table (structural errors, such as a record
    with too few fields, are caught by its `store_rejects`); the cells are then typed in SQL by
    the same text rules as the parsed path, and every cell that does not fit is reported."""
    skip = _skip_lines(spec)
    _check_header(path, spec, skip)
    columns = "{" + ", ".join(f"{_lit(c.name)}: 'VARCHAR'" for c in spec.columns) + "}"
    nulls = "[" + ", ".join(_lit(m) for m in spec.missing_values) + "]"
    text_table = f"{STAGING_TABLE}_text"
    con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
    try:
        con.execute(f"""
            create or replace temp table {text_table} as
            select *, cast(ordinality + 1 + {skip} as integer) as source_row
            from read_csv(?, header = true, delim = ?, quote = '"', columns = {columns},
                          nullstr = {nulls}, store_rejects = true, auto_detect = false,
                          skip = {skip}, encoding = ?) with ordinality
        """, [_glob_escaped(path), spec.delimiter, spec.encoding.lower().replace("iso-8859-1", "latin-1")])
    except duckdb.Error as err:
        message = str(err).splitlines()[0]
        raise FileRejected([Problem("unreadable_table", f"DuckDB cannot read the file as declared: {message}")]) from None
    rejects = con.sql("""
        select line, column_name, error_type, csv_line from reject_errors order by line limit 20
    """).fetchall()
    if rejects:
        raise FileRejected([
            Problem("wrong_type" if kind == "CAST" else str(kind).lower(),
                    f"DuckDB could not read this record as declared ({kind}): a truncated line, a stray "
                    "delimiter or an open quote", row=int(line), column=column, value=(csv_line or "")[:120])
            for line, column, kind, csv_line in rejects
        ])
    typed, marker_columns, checks = [], [], []
    markers = list(spec.markers)
    for c in spec.columns:
        expression, bad = _typed_sql(c, spec.decimal, markers)
        typed.append(f"{expression} as {_q(c.target)}")
        # a marker's text (ingest/markers.py) goes to <target>_marker, after the typed columns as in
        # SourceSpec.table_columns; a required number given as a marker is said, only not as a number
        is_marker = "false"
        if markers and c.type in NUMERIC_TYPES:
            marker = f"(case when trim({_q(c.name)}) in ({', '.join(_lit(m) for m in markers)}) then trim({_q(c.name)}) end)"
            marker_columns.append(f"{marker} as {_q(c.target + '_marker')}")
            is_marker = f"{marker} is not null"
        if bad is not None:
            expected = expected_text(c.type) + (f" in the format {c.format}" if c.format else "")
            checks.append((c, "wrong_type", f"expected {expected}", f"{_q(c.name)} is not null and ({bad})"))
        if c.type in ("integer", "bigint"):
            # text that is a whole number but does not fit BIGINT (the integer range is a typed rule)
            checks.append((c, "integer_out_of_range", out_of_range_reason("bigint"),
                           f"{_q(c.name)} is not null and not ({bad}) and {expression} is null"))
        if c.required:
            checks.append((c, "required_value_missing", "a value is required here",
                           f"{expression} is null and not coalesce({bad or 'false'}, false) and not {is_marker}"))
    # one pass counts every rule's failures; only a failing rule is read again for its lines
    counts = con.execute("select " + ", ".join(f"count(*) filter (where {predicate})" for *_, predicate in checks)
                         + f" from {text_table}").fetchall()[0] if checks else ()
    problems = []
    for (c, check, reason, predicate), failures in zip(checks, counts):
        if failures:
            for line, value in con.execute(f"select source_row, {_q(c.name)} from {text_table} where {predicate} "
                                           f"order by source_row limit {MAX_PROBLEMS}").fetchall():
                problems.append(Problem(check, reason, row=line, column=c.name, value=value))
    if problems:
        raise FileRejected(problems)
    con.execute(f"create or replace temp table {STAGING_TABLE} as "
                f"select {', '.join(typed + marker_columns)}, source_row from {text_table}")
    con.execute(f"drop table {text_table}")
    return con.execute(f"select count(*) from {STAGING_TABLE}").fetchall()[0][0]
