"""Codes of the dbt catalogue seeds (indicators, geographies, substances), read from the seed files
themselves: the spec checks (ingest/registry.py) and the observation mapping (ingest/observations.py)
must know the same codes as the marts."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"


@lru_cache(maxsize=None)
def catalogue_codes(table: str) -> frozenset[str]:
    """Codes of a catalogue seed (its first column)."""
    with (CATALOGUE_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return frozenset(row[0] for row in list(csv.reader(fh))[1:] if row)
