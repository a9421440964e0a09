"""Big delimited files (gzip or plain) streamed by DuckDB's own CSV reader.

Rows never pass through Python: DuckDB reads, types and inserts them in chunks, so memory stays
flat whatever the file's size. Cells that do not fit their type are caught by the reader's
`store_rejects` (with the line), and the suite's rules run as SQL (expectations/sql_checks.py).
"""
from __future__ import annotations

import gzip
from pathlib import Path

import duckdb

from ingest.parsers.text_table import decode
from ingest.problems import FileRejected, Problem
from ingest.registry import SourceSpec

DUCKDB_TYPES = {"varchar": "VARCHAR", "integer": "INTEGER", "bigint": "BIGINT", "double": "DOUBLE",
                "date": "DATE", "timestamp": "TIMESTAMP", "boolean": "BOOLEAN"}
STAGING_TABLE = "incoming_stream"


def _first_line(path: Path, encoding: str) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            head = fh.readline(65536)
    except (OSError, EOFError) as err:  # truncated or not really gzip
        raise FileRejected([Problem("unreadable_file", f"the file cannot be decompressed: {err}")]) from None
    return decode(head, encoding).rstrip("\r\n")


def _check_header(path: Path, spec: SourceSpec) -> None:
    header = [h.strip().strip('"') for h in _first_line(path, spec.encoding).split(spec.delimiter)]
    expected = [c.name for c in spec.columns]
    if header != expected:
        missing = [h for h in expected if h not in header]
        if len(header) == 1 and len(expected) > 1:
            reason = f"the header has one column only ({header[0][:60]!r}): is the delimiter '{spec.delimiter}'?"
            raise FileRejected([Problem("wrong_delimiter", reason, row=1)])
        reason = (f"the header must be exactly: {', '.join(expected)} (found: {', '.join(header)})"
                  if not missing else f"expected column is not in the header (found: {', '.join(header)})")
        raise FileRejected([Problem("missing_column", reason, row=1, column=missing[0] if missing else None)])


def stream_into_staging(con: duckdb.DuckDBPyConnection, path: Path, spec: SourceSpec) -> int:
    """Create temp table incoming_stream (the raw table's columns + source_row); returns its rows."""
    _check_header(path, spec)
    columns = "{" + ", ".join(f"'{c.name}': '{DUCKDB_TYPES[c.type]}'" for c in spec.columns) + "}"
    nulls = "[" + ", ".join("'" + m.replace("'", "''") + "'" for m in spec.missing_values) + "]"
    renamed = ", ".join(f'"{c.name}" as "{c.target}"' for c in spec.columns)
    con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
    try:
        con.execute(f"""
            create or replace temp table {STAGING_TABLE} as
            select {renamed}, cast(ordinality + 1 as integer) as source_row
            from read_csv(?, header = true, delim = ?, quote = '"', columns = {columns},
                          nullstr = {nulls}, store_rejects = true, auto_detect = false,
                          encoding = ?) with ordinality
        """, [str(path), spec.delimiter, spec.encoding.lower().replace("iso-8859-1", "latin-1")])
    except duckdb.Error as err:
        message = str(err).splitlines()[0]
        raise FileRejected([Problem("unreadable_table", f"DuckDB cannot read the file as declared: {message}")]) from None
    rejects = con.sql("""
        select line, column_name, error_type, csv_line from reject_errors order by line limit 20
    """).fetchall()
    if rejects:
        raise FileRejected([
            Problem("wrong_type" if kind == "CAST" else str(kind).lower(),
                    f"DuckDB could not read this cell as declared ({kind})", row=int(line),
                    column=column, value=(csv_line or "")[:120])
            for line, column, kind, csv_line in rejects
        ])
    problems = []
    for c in spec.columns:
        if c.required:
            for (line,) in con.sql(f'select source_row from {STAGING_TABLE} where "{c.target}" is null limit 5').fetchall():
                problems.append(Problem("required_value_missing", "a value is required here", row=line, column=c.name))
    if problems:
        raise FileRejected(problems)
    return con.execute(f"select count(*) from {STAGING_TABLE}").fetchall()[0][0]
