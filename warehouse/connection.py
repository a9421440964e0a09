"""Opening the warehouse files.

The DuckDB Python package (2.0) writes a newer storage format than the DuckDB CLI on PyPI (1.5)
can read. Analysts open the published file with that CLI and with other tools, so every file this
project creates is created in the 1.5 storage format; DuckDB keeps a file's format when it is
reopened, so dbt writing into the same file later does not change it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

STORAGE_COMPATIBILITY = "v1.5.0"


def open_build(path: Path, seed_from: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the build database for writing.

    When the build file is missing but a published warehouse exists, the build starts from a copy
    of it: the raw tables and the load history are state that a fresh build must not forget.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() and seed_from is not None and seed_from.exists():
        shutil.copyfile(seed_from, path)
    return duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A short-lived read-only connection: many readers may hold one at once."""
    return duckdb.connect(str(path), read_only=True)
