"""One parser per file format. Each takes the file's bytes and its spec and returns a typed polars
frame whose columns are the raw table's columns plus `source_row`, or raises FileRejected."""
from __future__ import annotations

from collections.abc import Callable

import polars as pl

from ingest.parsers.csv_long import parse_long_csv
from ingest.parsers.csv_wide import parse_wide_csv
from ingest.parsers.jsonstat import parse_jsonstat
from ingest.parsers.ssb_statbank import parse_ssb_statbank
from ingest.parsers.xlsx import parse_xlsx
from ingest.registry import SourceSpec

Parser = Callable[[bytes, SourceSpec], pl.DataFrame]

PARSERS: dict[str, Parser] = {
    "csv": parse_long_csv,
    "wide_csv": parse_wide_csv,
    "ssb_statbank_csv": parse_ssb_statbank,
    "jsonstat2": parse_jsonstat,
    "xlsx": parse_xlsx,
}


def parse(data: bytes, spec: SourceSpec) -> pl.DataFrame:
    return PARSERS[spec.format](data, spec)
