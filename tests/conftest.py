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


def _build_bundled(warehouse_dir: Path) -> dict:
    """Ingest + build of the bundled data into `warehouse_dir`; the two steps' outputs as plain data."""
    env = pipeline_env(warehouse_dir)
    steps = {}
    for name, module in (("ingest", "ingest"), ("build", "warehouse.build")):
        done = run_step(module, env)
        steps[name] = {"args": done.args, "returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
        if done.returncode != 0:
            break
    return steps


def _shared_build(root: Path) -> tuple[Path, dict]:
    """One build of the bundled data for every xdist worker of the session: the first worker to get
    the lock builds, the others wait for it and read the same files. Two builds side by side on a
    two-core machine cost each other minutes, and every test only reads the result or copies it.
    fcntl.flock (stdlib) rather than a lock package: the lock lives as long as the holding process,
    so a worker that dies mid-build never leaves the others waiting on a stale lock file."""
    import fcntl
    import json

    warehouse_dir, outcome = root / "bundled-warehouse", root / "bundled-warehouse.json"
    with open(root / "bundled-warehouse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not outcome.exists():
                if warehouse_dir.exists():  # a build cut off by a dead worker: start clean
                    import shutil
                    shutil.rmtree(warehouse_dir)
                warehouse_dir.mkdir()
                outcome.write_text(json.dumps(_build_bundled(warehouse_dir)), encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return warehouse_dir, json.loads(outcome.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_pipeline(tmp_path_factory, request) -> dict:
    """Ingest + build + publish of the bundled data; returns the paths and the step outputs.

    Under xdist every worker gets the same build (see _shared_build); alone, a build of its own."""
    worker = getattr(request.config, "workerinput", None)
    if worker is None:
        warehouse_dir = tmp_path_factory.mktemp("warehouse")
        steps = _build_bundled(warehouse_dir)
    else:  # the workers' base temp dirs share a parent that lives as long as the session
        warehouse_dir, steps = _shared_build(tmp_path_factory.getbasetemp().parent)
    done = {name: subprocess.CompletedProcess(**step) for name, step in steps.items()}
    ingest, build = done["ingest"], done.get("build")
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert build is not None and build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    return {"dir": warehouse_dir, "env": pipeline_env(warehouse_dir), "ingest": ingest, "build": build,
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
