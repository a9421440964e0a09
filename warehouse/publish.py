"""Publishing a finished build: readers never see a half-written warehouse.

The build database is copied next to the published file (warehouse.duckdb.tmp), flushed to disk
and renamed over it. A rename within one directory is atomic: a reader opening warehouse.duckdb
gets either the old complete file or the new complete file, and a reader that already has the
old one open keeps reading it. A run killed mid-copy leaves only the .tmp file, which the next
run removes under the run lock (warehouse.connection.clean_temporaries).
"""
from __future__ import annotations

from pathlib import Path

from warehouse.connection import atomic_copy, open_build


def publish(build_db: Path, published_db: Path) -> None:
    con = open_build(build_db)
    try:
        con.execute("checkpoint")  # fold the write-ahead log into the file before copying it
    finally:
        con.close()
    atomic_copy(build_db, published_db)
