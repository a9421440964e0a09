"""Shared steps of the delimited-text parsers: decode, read the table, type the columns.

Every value is first read as text and typed afterwards, column by column, so that a bad cell is
reported with its line and column instead of failing the whole read with a generic error.
"""
from __future__ import annotations


import polars as pl

from ingest.problems import FileRejected, Problem
from ingest.registry import Column

MAX_PROBLEMS = 20  # per file: enough to fix the file, short enough to read
ROW = "__line"    # internal column: the line number of each record


def decode(data: bytes, encoding: str) -> str:
    if not data.strip():
        raise FileRejected([Problem("empty_file", "the file is empty")])
    if b"\x00" in data[:8192]:
        raise FileRejected([Problem("binary_file", "the file contains NUL bytes: it is not a text table")])
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


def read_text_table(text: str, delimiter: str, expected_headers: list[str]) -> pl.DataFrame:
    """All cells as text, with the line number of every record in ROW."""
    first_line = text.splitlines()[0] if text else ""
    other = {";": ",", ",": ";", "\t": ";"}.get(delimiter)
    if len(expected_headers) > 1 and delimiter not in first_line and other and other in first_line:
        reason = f"the header is split by '{other}', the spec says '{delimiter}': wrong delimiter (or wrong spec)"
        raise FileRejected([Problem("wrong_delimiter", reason, row=1)])
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            separator=delimiter,
            infer_schema=False,
            has_header=True,
            raise_if_empty=True,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, pl.exceptions.ShapeError) as err:
        message = str(err).splitlines()[0]
        raise FileRejected([Problem("unreadable_table", f"the table cannot be read as delimited text: {message}")]) from None
    missing = [h for h in expected_headers if h not in frame.columns]
    if missing:
        raise FileRejected([
            Problem("missing_column", f"expected column '{h}' is not in the header (found: {', '.join(frame.columns)})", row=1, column=h)
            for h in missing
        ])
    # Line numbers assume one record per line, which holds for the published files we read
    # (quoted fields contain commas, not newlines); the header is line 1.
    return frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))


_NUMBER = r"^[+-]?(\d+([.]\d*)?|[.]\d+)([eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d+$"


def _typed(col: pl.Expr, kind: str, decimal: str) -> pl.Expr:
    text = col.str.strip_chars()
    if kind in ("integer", "bigint"):
        return pl.when(text.str.contains(_INTEGER)).then(text).otherwise(None).cast(pl.Int64)
    if kind == "double":
        if decimal != ".":
            text = text.str.replace_all(decimal, ".", literal=True)
        return pl.when(text.str.contains(_NUMBER)).then(text).otherwise(None).cast(pl.Float64)
    if kind == "date":
        return text.str.to_date("%Y-%m-%d", strict=False)
    if kind == "boolean":
        lowered = text.str.to_lowercase()
        return (pl.when(lowered.is_in(["true", "yes", "1"])).then(True)
                .when(lowered.is_in(["false", "no", "0"])).then(False).otherwise(None))
    return col


_EXPECTED = {
    "integer": "a whole number", "bigint": "a whole number", "double": "a number",
    "date": "a date (YYYY-MM-DD)", "boolean": "true/false",
}


def type_columns(frame: pl.DataFrame, columns: list[Column], missing_values: tuple[str, ...],
                 decimal: str) -> pl.DataFrame:
    """Cast text cells to the spec's types; every cell that does not fit is a problem."""
    problems: list[Problem] = []
    typed = {}
    for column in columns:
        raw = pl.col(column.name)
        as_null = raw.is_null() | raw.str.strip_chars().is_in(list(missing_values))
        cleaned = pl.when(as_null).then(None).otherwise(raw)
        typed_expr = _typed(cleaned, column.type, decimal)
        check = frame.select(
            pl.col(ROW), raw.alias("raw"), as_null.alias("is_missing"), typed_expr.alias("typed")
        )
        if column.type != "varchar":
            bad = check.filter(~pl.col("is_missing") & pl.col("typed").is_null())
            for line, value in bad.select(ROW, "raw").head(MAX_PROBLEMS).iter_rows():
                problems.append(Problem("wrong_type", f"expected {_EXPECTED[column.type]}", row=line,
                                        column=column.name, value=value))
        if column.required:
            for (line,) in check.filter(pl.col("is_missing")).select(ROW).head(MAX_PROBLEMS).iter_rows():
                problems.append(Problem("required_value_missing", "a value is required here", row=line, column=column.name))
        typed[column.target] = check["typed"]
    if problems:
        raise FileRejected(problems[:MAX_PROBLEMS])
    return pl.DataFrame({**typed, "source_row": frame[ROW]})
