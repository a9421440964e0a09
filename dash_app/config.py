"""Runtime settings of the Dash app, read from the environment at call time.

Reading at call time (not import time) lets tests and `python -m dash_app` point the same code at
another warehouse file without reloading modules.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "warehouse.duckdb"


def warehouse_path() -> Path:
    """The published warehouse file: env `TRENDVAKT_WAREHOUSE`, else `<repo>/warehouse/warehouse.duckdb`."""
    value = os.environ.get("TRENDVAKT_WAREHOUSE", "").strip()
    return Path(value).expanduser() if value else DEFAULT_WAREHOUSE


def host() -> str:
    return os.environ.get("TRENDVAKT_HOST", "").strip() or "127.0.0.1"


def port() -> int:
    value = os.environ.get("TRENDVAKT_PORT", "").strip()
    return int(value) if value else 8050
