"""Helpers shared by the app and browser test fixtures."""
from __future__ import annotations

import os
from pathlib import Path

import pytest


def resolve_app_warehouse(request) -> Path:
    """The published warehouse the app tests read.

    Default: the lead's session fixture `warehouse_path` (tests/conftest.py builds the real pipeline
    into a temporary directory). For a fast loop against an already built file set
    TRENDVAKT_TEST_WAREHOUSE=/path/to/warehouse.duckdb.
    """
    override = os.environ.get("TRENDVAKT_TEST_WAREHOUSE", "").strip()
    if override:
        path = Path(override)
        if not path.is_file():
            pytest.fail(f"TRENDVAKT_TEST_WAREHOUSE={override} does not exist")
        return path
    return request.getfixturevalue("warehouse_path")
