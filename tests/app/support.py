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


def visible_text(node) -> str:
    """The visible words of a rendered layout (JSON-decoded): children only, so title attributes
    (hover text) and dropdown options are left out."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return " ".join(visible_text(n) for n in node)
    if isinstance(node, dict) and node.get("type") != "Dropdown":
        return visible_text(node.get("props", {}).get("children"))
    return ""


def warehouse_copy(app_warehouse: Path, tmp_path_factory, name: str, statements: list[str]) -> Path:
    """A copy of the test warehouse changed by some SQL statements (e.g. a view replaced by a table)."""
    import shutil

    import duckdb

    path = tmp_path_factory.mktemp(name) / "warehouse.duckdb"
    shutil.copy(app_warehouse, path)
    con = duckdb.connect(str(path))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()
    return path
