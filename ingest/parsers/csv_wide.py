"""Wide delimited files: id columns, then one column per series or per period (OWID, Eurostat, NRS).

Turned long at ingest so that every number keeps its own line and column for lineage; the column
header is kept verbatim (trimmed) and mapped to the vocabulary later, where the mapping is visible.

Options under `value_columns` in the spec:
  header_as / value_as  names of the long columns that receive the header and the cell
  type                  type of the cells (double, integer)
  flags: true           cells carry trailing flag letters after a space, Eurostat style ("1164 p",
                        ": c"); the letters go to a `flag` column
  markers               cell text that stands for "no number" and what it means, e.g.
                        {":": not_available}; such cells give a row with a null value and `status`
                        (the older form; top-level `markers:` fill `<value_as>_marker` instead)
  headers: period       every value column is headed by a period text (2017 Q1, 2019/20), kept verbatim
"""
from __future__ import annotations

import polars as pl

from ingest.parsers.text_table import (
    MAX_PROBLEMS, ROW, decode, find_header, read_text_table, text_options, type_columns, typed_expression, expected_text,
)
from ingest.parsers.periods import parse_period_text
from ingest.problems import FileRejected, Problem
from ingest.registry import SourceSpec

CELL = "__cell"


def parse_wide_csv(data: bytes, spec: SourceSpec) -> pl.DataFrame:
    text = decode(data, spec.encoding)
    id_headers = [c.name for c in spec.id_columns]
    options = text_options(spec)
    frame = read_text_table(text, spec.delimiter, id_headers, **options)
    position = {h: i + 1 for i, h in enumerate(h for h in frame.columns if h != ROW)}
    header_line = find_header(text, options["skip_lines"], options["header_pattern"], spec.id)[1] + 1
    return unpivot_wide(frame, spec, position, header_line)


def unpivot_wide(frame: pl.DataFrame, spec: SourceSpec, position: dict[str, int],
                 header_row: int = 1) -> pl.DataFrame:
    """A text frame (id columns, one column per series or period, ROW) -> one row per cell.
    Shared by wide_csv and by csv/xlsx specs with id_columns + value_columns; `position` gives
    each header's column number in the file (`source_column`), `header_row` the header's line or row."""
    id_headers = [c.name for c in spec.id_columns]
    series_headers = [h for h in frame.columns if h not in id_headers and h != ROW]
    vc = spec.value_columns
    if len(series_headers) < int(vc.get("min_count", 1)):
        raise FileRejected([Problem("missing_column", "the file has no value columns besides its id columns",
                                    row=header_row)])
    if vc.get("headers") == "period":
        _check_period_headers(series_headers, position, header_row)
    ids = type_columns(frame.select([ROW] + id_headers), list(spec.id_columns), spec.missing_values, spec.decimal)

    header_as, value_as = vc["header_as"], vc["value_as"]
    markers: dict = vc.get("markers") or {}
    long = frame.select([ROW] + series_headers).unpivot(
        index=ROW, on=series_headers, variable_name=header_as, value_name=CELL)
    cell = pl.col(CELL).str.strip_chars()
    if vc.get("flags"):
        value_text = cell.str.extract(r"^(\S+)", 1)
        flag = cell.str.extract(r"^\S+\s+(\S.*)$", 1)
    else:
        value_text, flag = cell, pl.lit(None, dtype=pl.String)
    # markers of the spec (top-level `markers:`, ingest/markers.py) and the older per-file
    # value_columns.markers (text -> status) are both cells that keep their row without a number
    spec_markers = list(spec.markers)
    is_marker = value_text.is_in(list(markers) + spec_markers) if markers or spec_markers else pl.lit(False)
    is_missing = value_text.is_null() | value_text.is_in(list(spec.missing_values))
    number_text = pl.when(is_marker | is_missing).then(None).otherwise(value_text)
    long = long.with_columns(
        typed_expression(number_text, vc["type"], spec.decimal).alias(value_as),
        number_text.alias("__number_text"),
        flag.alias("flag"),
        (value_text.replace_strict(markers, default=None, return_dtype=pl.String) if markers
         else pl.lit(None, dtype=pl.String)).alias("status"),
        is_missing.alias("__missing"), is_marker.alias("__marker"),
        (pl.when(value_text.is_in(spec_markers)).then(value_text).otherwise(None) if spec_markers
         else pl.lit(None, dtype=pl.String)).alias(f"{value_as}_marker"),
    )
    bad = long.filter(pl.col("__number_text").is_not_null() & pl.col(value_as).is_null())
    if bad.height:
        raise FileRejected([
            Problem("wrong_type", f"expected {expected_text(vc['type'])}", row=line, column=header, value=raw)
            for line, header, raw in bad.select(ROW, header_as, CELL).head(MAX_PROBLEMS).iter_rows()
        ])
    # An empty cell means "no number published": no row. A marker is a published statement
    # ("not available", "confidential") and keeps its row, with a null value and its status.
    long = long.filter(~pl.col("__missing") | pl.col("__marker"))
    long = long.with_columns(
        pl.col(header_as).replace_strict(position, return_dtype=pl.Int32).alias("source_column"),
        pl.col(ROW).alias("source_row"),
    ).join(ids, on="source_row", how="left")
    columns = [name for name, _ in spec.table_columns]
    return long.select(columns + ["source_row"]).sort(["source_row", "source_column"])


def _check_period_headers(headers: list[str], position: dict[str, int], header_row: int) -> None:
    """`value_columns.headers: period`: every value column's header is a period text (2017 Q1,
    2019/20, Jan-Mar 2021, 2021-W05 ...). The header is kept verbatim in header_as; the observation
    mapping reads it with the same ingest/parsers/periods.py, so a header refused here is one the
    mapping could not place in time."""
    problems = []
    for header in headers:
        if not header.strip():
            problems.append(Problem("unmapped_header", "a value column has no header: with value_columns.headers: "
                                    "period every column besides the id columns is headed by a period",
                                    row=header_row, column=f"column {position.get(header, '?')}", value=header))
        elif parse_period_text(header) is None:
            problems.append(Problem("unmapped_header", "this value column's header is not a period text (e.g. 2017, "
                                    "2017 Q1, 2019/20, Jan-Mar 2021, 2021-03, 2021-W05): value_columns.headers: period "
                                    "wants one in every column besides the id columns", row=header_row, column=header,
                                    value=header))
    if problems:
        raise FileRejected(problems[:MAX_PROBLEMS])
