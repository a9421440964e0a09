"""Where trendvakt keeps its files.

Everything is relative to the repository, and every location can be moved with an environment
variable, so tests can run the whole pipeline in a temporary directory without touching the
developer's warehouse.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    data_dir: Path       # data/raw: one folder per source, files as published
    warehouse_dir: Path  # holds build.duckdb (work in progress) and warehouse.duckdb (published)

    @property
    def build_db(self) -> Path:
        return self.warehouse_dir / "build.duckdb"

    @property
    def published_db(self) -> Path:
        return self.warehouse_dir / "warehouse.duckdb"

    @property
    def dbt_project_dir(self) -> Path:
        return REPO_ROOT / "dbt_project"


def resolve_paths() -> Paths:
    data_dir = Path(os.environ.get("TRENDVAKT_DATA_DIR", REPO_ROOT / "data" / "raw"))
    warehouse_dir = Path(os.environ.get("TRENDVAKT_WAREHOUSE_DIR", REPO_ROOT / "warehouse"))
    return Paths(data_dir=data_dir.resolve(), warehouse_dir=warehouse_dir.resolve())
