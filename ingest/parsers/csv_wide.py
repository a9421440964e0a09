"""Wide delimited files: id columns, then one column per series (OWID, Eurostat, NRS shapes).

Turned long at ingest so that every number keeps its own line and column for lineage; the series
header is kept verbatim and mapped to the vocabulary in dbt, where the mapping is visible.
"""
from __future__ import annotations

import polars as pl

from ingest.parsers.text_table import ROW, decode, read_text_table, type_columns
from ingest.problems import FileRejected, Problem
from ingest.registry import Column, SourceSpec


def parse_wide_csv(data: bytes, spec: SourceSpec) -> pl.DataFrame:
    text = decode(data, spec.encoding)
    id_headers = [c.name for c in spec.id_columns]
    frame = read_text_table(text, spec.delimiter, id_headers)
    series_headers = [h for h in frame.columns if h not in id_headers and h != ROW]
    vc = spec.value_columns
    if len(series_headers) < int(vc.get("min_count", 1)):
        raise FileRejected([Problem("missing_column", "the file has no value columns besides its id columns", row=1)])
    position = {h: i + 1 for i, h in enumerate(h for h in frame.columns if h != ROW)}
    # Type every series column with the same rules as a long file, so a bad cell names its column.
    value_cols = [Column(name=h, type=vc["type"], target=h) for h in series_headers]
    typed = type_columns(frame, list(spec.id_columns) + value_cols, spec.missing_values, spec.decimal)
    id_targets = [c.target for c in spec.id_columns]
    long = typed.unpivot(index=id_targets + ["source_row"], on=series_headers,
                         variable_name=vc["header_as"], value_name=vc["value_as"])
    # An empty cell in a wide file means "no number published" for that series and year: no row.
    long = long.filter(pl.col(vc["value_as"]).is_not_null())
    long = long.with_columns(
        pl.col(vc["header_as"]).replace_strict(position, return_dtype=pl.Int32).alias("source_column")
    )
    columns = [name for name, _ in spec.table_columns]
    return long.select(columns + ["source_row"]).sort(["source_row", "source_column"])
