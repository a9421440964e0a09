"""Publishing a finished build: readers never see a half-written warehouse.

The build database is copied next to the published file and renamed over it. A rename within one
directory is atomic: a reader opening warehouse.duckdb gets either the old complete file or the
new complete file, and a reader that already has the old one open keeps reading it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from warehouse.connection import open_build


def publish(build_db: Path, published_db: Path) -> None:
    con = open_build(build_db)
    try:
        con.execute("checkpoint")  # fold the write-ahead log into the file before copying it
    finally:
        con.close()
    staging = published_db.with_name(published_db.name + ".tmp")
    shutil.copyfile(build_db, staging)
    with open(staging, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(staging, published_db)
