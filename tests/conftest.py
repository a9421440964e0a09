"""Shared fixtures: the real pipeline, run once per test session into a temporary directory.

Nothing here is mocked: ingest, dbt and the publish step run as the Makefile runs them, as
subprocesses, against the bundled files in data/raw/.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA_RAW = REPO / "data" / "raw"

# The provenance part of a throw-away source spec in tests; the test adds format-specific keys.
SPEC_HEAD = """\
id: {id}
title: test source
publisher: test
citation: test
licence: test
format: {format}
file_pattern: "{id}/*"
target_table: raw.{id}__test
"""


def pipeline_env(warehouse_dir: Path, data_dir: Path = DATA_RAW) -> dict[str, str]:
    env = {**os.environ, "TRENDVAKT_WAREHOUSE_DIR": str(warehouse_dir), "TRENDVAKT_DATA_DIR": str(data_dir)}
    env["TRENDVAKT_WAREHOUSE"] = str(warehouse_dir / "warehouse.duckdb")
    return env


def run_step(module: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="session")
def built_pipeline(tmp_path_factory) -> dict:
    """Ingest + build + publish of the bundled data; returns the paths and the step outputs."""
    warehouse_dir = tmp_path_factory.mktemp("warehouse")
    env = pipeline_env(warehouse_dir)
    ingest = run_step("ingest", env)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    build = run_step("warehouse.build", env)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    return {"dir": warehouse_dir, "env": env, "ingest": ingest, "build": build,
            "published": warehouse_dir / "warehouse.duckdb", "build_db": warehouse_dir / "build.duckdb"}


@pytest.fixture(scope="session")
def warehouse_path(built_pipeline) -> Path:
    """The published warehouse.duckdb built from the bundled data."""
    return built_pipeline["published"]


@pytest.fixture(scope="session")
def built_warehouse_dir(request) -> Path:
    """A built warehouse directory (warehouse.duckdb, build.duckdb) for tests to copy, never to write.

    Default: the session's `built_pipeline`. For a fast loop set TRENDVAKT_TEST_BUILT_DIR to a
    directory built earlier with `make build WAREHOUSE_DIR=...` from the bundled data."""
    override = os.environ.get("TRENDVAKT_TEST_BUILT_DIR", "").strip()
    if override:
        path = Path(override)
        if not (path / "warehouse.duckdb").is_file() or not (path / "build.duckdb").is_file():
            pytest.fail(f"TRENDVAKT_TEST_BUILT_DIR={override} holds no built warehouse")
        return path
    return request.getfixturevalue("built_pipeline")["dir"]
