"""Long (tidy) delimited files: one record per line, the columns named in the spec."""
from __future__ import annotations

import polars as pl

from ingest.parsers.csv_wide import parse_wide_csv
from ingest.parsers.text_table import decode, read_text_table, text_options, type_columns
from ingest.registry import SourceSpec


def parse_long_csv(data: bytes, spec: SourceSpec) -> pl.DataFrame:
    text = decode(data, spec.encoding)
    if spec.is_wide:
        # a csv spec with id_columns + value_columns is wide: unpivoted exactly like wide_csv
        return parse_wide_csv(data, spec)
    headers = [c.name for c in spec.columns]
    frame = read_text_table(text, spec.delimiter, headers, **text_options(spec))
    return type_columns(frame, list(spec.columns), spec.missing_values, spec.decimal, spec.markers)
