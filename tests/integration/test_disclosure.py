"""The disclosure check fails the build when a publish view lets a small count out.

A copy of the project (code and dbt project) and of data/raw is built in a temporary directory:
1. a raw row is edited so that Bergen's 2015 count of resident overdose deaths reads 2 instead
   of 17. With the views as they are, the build passes and publish.observations hides it
   (primary suppression under FHI's rule).
2. The copy's publish.observations is then broken the way a careless edit would break it (the
   primary rule dropped): the build must exit non-zero, name the disclosure test, record the
   failure, and leave the published warehouse.duckdb byte for byte as it was.
3. Same with only the secondary suppression turned off: a hidden male or female count could be
   recovered from the shown total, and the build must fail again.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DATA_RAW, REPO, pipeline_env

pytestmark = pytest.mark.integration

CODE_DIRS = ("ingest", "warehouse", "expectations", "dbt_project")
IGNORE = shutil.ignore_patterns("__pycache__", "target", "logs", "dbt_packages", "*.duckdb", "*.duckdb.wal",
                                "dbt_target", "dbt_logs", "dbt_docs", "*.tmp")
REPORT_FILE = "report_figures"
PLANTED_FIGURE = "DR07"  # Bergen kommune, overdose_deaths_residents, 2015: 17 as published


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(module: str, root: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    # cwd = the copy, so `python -m` imports the copy's packages and build.py runs the copy's dbt project
    env = {**env, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-m", module], cwd=root, env=env, capture_output=True, text=True,
                          timeout=900)


def plant_small_death_count(data_dir: Path) -> None:
    (path,) = sorted((data_dir / REPORT_FILE).glob("*.csv"))
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    for row in rows[1:]:
        if row and row[0] == PLANTED_FIGURE:
            assert row[header.index("indicator")] == "overdose_deaths_residents"
            assert row[header.index("value")] == "17"
            row[header.index("value")] = "2"
            break
    else:  # pragma: no cover - the bundled file changed
        raise AssertionError(f"{PLANTED_FIGURE} not found in {path}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found exactly once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("project")
    for name in CODE_DIRS:
        shutil.copytree(REPO / name, root / name, ignore=IGNORE)
    data_dir = root / "data" / "raw"
    shutil.copytree(DATA_RAW, data_dir)
    plant_small_death_count(data_dir)
    warehouse_dir = root / "warehouse_out"
    env = pipeline_env(warehouse_dir, data_dir)
    ingest = run("ingest", root, env)
    assert ingest.returncode == 0, ingest.stdout[-3000:] + ingest.stderr[-3000:]
    build = run("warehouse.build", root, env)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return {"root": root, "env": env, "published": warehouse_dir / "warehouse.duckdb",
            "build_db": warehouse_dir / "build.duckdb"}


def published_planted_row(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select value, value_low, value_high, is_suppressed, suppression_reason, suppression_rule "
            "from publish.observations where indicator_id = 'overdose_deaths_residents' "
            "and geo_code = 'municip_nor4601' and period_start = date '2015-01-01'"
        ).fetchone()
    finally:
        con.close()


def failing_checks(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select check_name from meta.quality_results where status = 'fail' and run_id = "
            "(select max(run_id) from meta.quality_results where layer = 'dbt')"
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def test_planted_small_count_is_suppressed_by_the_views(project):
    value, low, high, suppressed, reason, rule = published_planted_row(project["published"])
    assert (value, low, high) == (None, None, None)
    assert suppressed is True and reason == "primary" and rule == "fhi_cod_under_4"


@pytest.mark.parametrize(
    ("old", "new", "expected_check"),
    [
        pytest.param(
            # the primary rule forgotten: every number goes out as it came in
            "or {{ is_below_rule(", "or false and {{ is_below_rule(", "shown_below_rule", id="primary-rule-dropped"),
        pytest.param(
            # secondary suppression turned off: a hidden sex or age cell = total - the others
            "'tested_count', 'suppression_rule') }}", "'tested_count', 'suppression_rule', rounds=0) }}",
            "recoverable_by_subtraction", id="secondary-suppression-dropped"),
    ],
)
def test_build_fails_and_keeps_published_warehouse_when_a_view_leaks(project, old, new, expected_check):
    view = project["root"] / "dbt_project" / "models" / "publish" / "observations.sql"
    published = project["published"]
    before = sha(published)
    original = edit(view, old, new)
    try:
        build = run("warehouse.build", project["root"], project["env"])
    finally:
        view.write_text(original, encoding="utf-8")

    assert build.returncode != 0, build.stdout[-3000:]
    assert "assert_publish_disclosure_safe" in build.stderr + build.stdout
    assert "was left as it was" in build.stderr
    assert sha(published) == before
    assert "test.trendvakt.assert_publish_disclosure_safe" in failing_checks(project["build_db"])
    # the leak is in the build file, as planted, so the check really saw it ...
    con = duckdb.connect(str(project["build_db"]), read_only=True)
    try:
        compiled = (project["env"]["TRENDVAKT_WAREHOUSE_DIR"] + "/dbt_target/compiled/trendvakt/tests/"
                    "assert_publish_disclosure_safe.sql")
        violations = con.execute(Path(compiled).read_text(encoding="utf-8")).fetchall()
    finally:
        con.close()
    assert expected_check in {v[1] for v in violations}
    # ... and the published file still hides the planted count
    assert published_planted_row(published)[3] is True
