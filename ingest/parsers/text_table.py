"""Shared steps of the delimited-text parsers: decode, read the table, type the columns.

Every value is first read as text and typed afterwards, column by column, so that a bad cell is
reported with its line and column instead of failing the whole read with a generic error.
"""
from __future__ import annotations

import csv
import io
import re

import polars as pl

from ingest.problems import FileRejected, Problem, SpecError
from ingest.registry import Column
from ingest.validation import INTEGER_TEXT, NUMBER_TEXT, find_nul, out_of_range_reason

MAX_PROBLEMS = 20  # per file: enough to fix the file, short enough to read
ROW = "__line"    # internal column: the line number of each record


def decode(data: bytes, encoding: str) -> str:
    if not data.strip():
        raise FileRejected([Problem("empty_file", "the file is empty")])
    nul = find_nul(data)  # the whole file, not a head sniff: a NUL on line 90,000 is as wrong
    if nul is not None:
        raise FileRejected([nul])
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise FileRejected([Problem(
            "wrong_encoding",
            f"the file is not valid {encoding} (byte {data[err.start:err.start + 1]!r} at offset {err.start}); "
            "save it as the encoding the spec declares, or change the spec",
            row=line,
        )]) from None


def text_options(spec) -> dict:
    """The spec's options that shape how a delimited text table is found (read_text_table's keywords)."""
    opts = spec.options
    return {"strip_headers": bool(opts.get("strip_headers")), "skip_lines": opts.get("skip_lines", 0),
            "header_pattern": opts.get("header_pattern"), "where": spec.id}


def find_header(text: str, skip_lines: object = 0, header_pattern: str | None = None,
                where: str = "spec") -> tuple[str, int]:
    """The text from the header line on, and how many lines came before it.

    Publishers put a preamble above the table (WHO GHO's indicator-name line, a title and a
    "Source:" line in ONS and Statistics Norway CSVs): `skip_lines: N` ignores N leading lines,
    `header_pattern: <regex>` takes the first line (after the skipped ones) that the regex finds as
    the header. The lines before are counted, so that source_row stays the file's own line number.
    """
    if isinstance(skip_lines, bool) or not isinstance(skip_lines, int) or skip_lines < 0:
        raise SpecError(f"{where}: options.skip_lines must be a whole number of lines (>= 0), not {skip_lines!r}")
    pattern = None
    if header_pattern is not None:
        try:
            pattern = re.compile(str(header_pattern))
        except re.error as err:
            raise SpecError(f"{where}: options.header_pattern {header_pattern!r} is not a regular expression: {err}") from None
    if not skip_lines and pattern is None:
        return text, 0
    # lines end at "\n" (a "\r\n" ends there too), as the csv reader counts them
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the final line break does not begin a line
    index = skip_lines
    if pattern is not None:
        index = next((i for i in range(skip_lines, len(lines)) if pattern.search(lines[i].rstrip("\r"))), None)
        if index is None:
            after = f" after the {skip_lines} skipped line(s)" if skip_lines else ""
            raise FileRejected([Problem("missing_header", f"no line{after} matches options.header_pattern "
                                        f"{header_pattern!r}: the header is not where the spec expects it",
                                        value=str(header_pattern))])
    if index >= len(lines):
        raise FileRejected([Problem("empty_file", f"the file has {len(lines)} line(s), all of them before the header "
                                    f"(options.skip_lines: {skip_lines})", row=len(lines))])
    return text[sum(len(line) + 1 for line in lines[:index]):], index


def read_text_table(text: str, delimiter: str, expected_headers: list[str],
                    strip_headers: bool = False, skip_lines: object = 0, header_pattern: str | None = None,
                    where: str = "spec") -> pl.DataFrame:
    """All cells as text, with the line number of every record in ROW.

    strip_headers: some publishers leave spaces around header cells (Eurostat's "2016 ", NRS's
    "Drug-related deaths "); the spec names the columns without them.
    skip_lines / header_pattern: a preamble above the header (find_header); line numbers stay the file's.
    """
    text, before = find_header(text, skip_lines, header_pattern, where)
    header_line = before + 1
    first_line = text.splitlines()[0] if text else ""
    other = {";": ",", ",": ";", "\t": ";"}.get(delimiter)
    if len(expected_headers) > 1 and delimiter not in first_line and other and other in first_line:
        reason = f"the header is split by '{other}', the spec says '{delimiter}': wrong delimiter (or wrong spec)"
        raise FileRejected([Problem("wrong_delimiter", reason, row=header_line)])
    header, rows, lines = _split_records(text, delimiter, before)
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise FileRejected([Problem("duplicate_column", f"the header names column(s) {dupes} twice", row=header_line)])
    frame = pl.DataFrame({h: [r[i] for r in rows] for i, h in enumerate(header)},
                         schema={h: pl.String for h in header})
    if strip_headers:
        stripped = [c.strip() for c in frame.columns]
        if len(set(stripped)) == len(stripped):
            frame = frame.rename(dict(zip(frame.columns, stripped)))
    missing = [h for h in expected_headers if h not in frame.columns]
    if missing:
        raise FileRejected([
            Problem("missing_column", f"expected column '{h}' is not in the header (found: {', '.join(frame.columns)})",
                    row=header_line, column=h)
            for h in missing
        ])
    return frame.with_columns(pl.Series(ROW, lines, dtype=pl.Int64))


def _split_records(text: str, delimiter: str, before: int = 0) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, records and the line each record starts on (`before`: lines above the header).

    Python's csv reader is used rather than a faster one because it knows which line every
    record starts on, also when a quoted field spans lines, and it lets a record with the wrong
    number of fields (a truncated file, a stray delimiter) be reported with its line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, lines, problems = [], [], []
    try:
        header = next(reader, None)
        if not header or header == [""]:
            raise FileRejected([Problem("empty_file", "the file has no header line", row=before + 1)])
        previous_end = reader.line_num
        for fields in reader:
            start, previous_end = before + previous_end + 1, reader.line_num
            if not fields or fields == [""]:
                continue  # a blank line is not a record
            if len(fields) != len(header):
                problems.append(Problem(
                    "wrong_field_count",
                    f"this line has {len(fields)} fields, the header has {len(header)}: "
                    "a truncated line, a stray delimiter or an unquoted delimiter inside a value", row=start))
                continue
            rows.append(fields)
            lines.append(start)
    except csv.Error as err:
        raise FileRejected([Problem("unreadable_table", f"the file cannot be read as delimited text: {err}",
                                    row=before + reader.line_num)]) from None
    if problems:
        raise FileRejected(problems[:MAX_PROBLEMS])
    if not rows:
        raise FileRejected([Problem("no_rows", "the file has a header but no data rows", row=before + 2)])
    return header, rows, lines


# the text rules live in ingest/validation.py, shared with the streamed path's SQL
_NUMBER = NUMBER_TEXT
_INTEGER = INTEGER_TEXT


def typed_expression(col: pl.Expr, kind: str, decimal: str, fmt: str | None = None) -> pl.Expr:
    """The text expression `col` cast to `kind`; text that does not fit becomes null."""
    text = col.str.strip_chars()
    if kind in ("integer", "bigint"):
        # strict=False: a whole number beyond Int64 becomes null (reported as out of range), not a crash
        return pl.when(text.str.contains(_INTEGER)).then(text).otherwise(None).cast(pl.Int64, strict=False)
    if kind == "double":
        if decimal != ".":
            text = text.str.replace_all(decimal, ".", literal=True)
        return pl.when(text.str.contains(_NUMBER)).then(text).otherwise(None).cast(pl.Float64, strict=False)
    if kind == "date":
        return text.str.to_date(fmt or "%Y-%m-%d", strict=False)
    if kind == "timestamp":
        # naive timestamps in UTC: DuckDB's TIMESTAMP has no zone, and UTC keeps order and weeks right
        parsed = text.str.to_datetime(fmt or "%Y-%m-%d %H:%M:%S", strict=False)
        return parsed.dt.convert_time_zone("UTC").dt.replace_time_zone(None) if fmt and "z" in fmt else parsed
    if kind == "boolean":
        lowered = text.str.to_lowercase()
        return (pl.when(lowered.is_in(["true", "yes", "1"])).then(True)
                .when(lowered.is_in(["false", "no", "0"])).then(False).otherwise(None))
    return col


def expected_text(kind: str) -> str:
    return _EXPECTED[kind]


_EXPECTED = {
    "integer": "a whole number", "bigint": "a whole number", "double": "a number",
    "date": "a date (YYYY-MM-DD)", "timestamp": "a timestamp", "boolean": "true/false",
}


NUMERIC = ("integer", "bigint", "double")


def type_columns(frame: pl.DataFrame, columns: list[Column], missing_values: tuple[str, ...],
                 decimal: str, markers: dict | None = None) -> pl.DataFrame:
    """Cast text cells to the spec's types; every cell that does not fit is a problem.

    markers (ingest/markers.py): in a number column, a cell whose text is a marker has no number
    and its text goes to `<target>_marker`, so the mapping can say what it means."""
    problems: list[Problem] = []
    typed = {}
    for column in columns:
        raw = pl.col(column.name)
        as_null = raw.is_null() | raw.str.strip_chars().is_in(list(missing_values) + list(column.missing))
        is_marker = pl.lit(False)
        if markers and column.type in NUMERIC:
            is_marker = raw.str.strip_chars().is_in(list(markers)).fill_null(False)
            typed[f"{column.target}_marker"] = frame.select(
                pl.when(is_marker).then(raw.str.strip_chars()).otherwise(None))[column.name]
        cleaned = pl.when(as_null | is_marker).then(None).otherwise(raw)
        typed_expr = typed_expression(cleaned, column.type, decimal, column.format)
        check = frame.select(
            pl.col(ROW), raw.alias("raw"), (as_null | is_marker).alias("is_missing"), typed_expr.alias("typed"),
            # a required number given as a marker is said, only not as a number
            (as_null & ~is_marker).alias("is_absent"),
        )
        if column.type != "varchar":
            bad = check.filter(~pl.col("is_missing") & pl.col("typed").is_null())
            if column.format:
                expected = f"{_EXPECTED[column.type]} in the format {column.format}"
            else:
                expected = _EXPECTED[column.type]
            integer = column.type in ("integer", "bigint")
            for line, value in bad.select(ROW, "raw").head(MAX_PROBLEMS).iter_rows():
                if integer and value is not None and re.fullmatch(_INTEGER, value.strip()):
                    problems.append(Problem("integer_out_of_range", out_of_range_reason(column.type), row=line,
                                            column=column.name, value=value))
                else:
                    problems.append(Problem("wrong_type", f"expected {expected}", row=line,
                                            column=column.name, value=value))
        if column.required:
            for (line,) in check.filter(pl.col("is_absent")).select(ROW).head(MAX_PROBLEMS).iter_rows():
                problems.append(Problem("required_value_missing", "a value is required here", row=line, column=column.name))
        typed[column.target] = check["typed"]
    if problems:
        raise FileRejected(problems[:MAX_PROBLEMS])
    return pl.DataFrame({**typed, "source_row": frame[ROW]})
