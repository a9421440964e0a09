"""The disclosure checks fail the build when anything published lets a small count out.

A copy of the project (code and dbt project) and of data/raw is built in a temporary directory,
with two planted inputs:
- Bergen's 2015 count of resident overdose deaths edited from 17 to 2 (FHI's rule hides it);
- a source of quarterly counts and their year total (tests/fixtures/disclosure: the shape of
  Police Scotland's quarterly report) whose Q1 = 2 would be the year minus the other quarters.
With the project as it is, that build passes and hides both (plus a complement for Q1).
Then one piece of the copy is broken at a time, the way a careless edit would break it, one per
route a count leaves by: a view that shows it, a geography total differenced against its
members, a year differenced against its quarters, and a trend fit over hidden cells. Each time the build must exit non-zero, name the failing check, record it
in meta.quality_results, and leave the published warehouse.duckdb byte for byte as it was.
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
FIXTURES = REPO / "tests" / "fixtures" / "disclosure"
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
    shutil.copy(FIXTURES / "police_scotland_quarterly.yml", root / "ingest" / "sources")
    (data_dir / "police_scotland_quarterly").mkdir()
    shutil.copy(FIXTURES / "police_scotland_suspected_drug_deaths_quarterly.csv", data_dir / "police_scotland_quarterly")
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
            "select value, value_low, value_high, is_suppressed, suppression_rule "
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


def quarters(db: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select period_type, strftime(period_start, '%m'), value, is_suppressed from publish.observations "
            "where indicator_id = 'suspected_drug_deaths_police' order by period_type, period_start").fetchall()
    finally:
        con.close()
    return {f"{t}-{m}": (v, s) for t, m, v, s in rows}


def test_planted_small_count_is_suppressed_by_the_views(project):
    value, low, high, suppressed, rule = published_planted_row(project["published"])
    assert (value, low, high) == (None, None, None)
    assert suppressed is True and rule == "fhi_cod_under_4"


def test_a_small_quarter_gets_a_complement_so_the_year_does_not_give_it_away(project):
    cells = quarters(project["published"])
    assert cells["quarter-01"] == (None, True)          # Q1 = 2, under the rule
    # the smallest quarter of at least the rule's width (Q3 = 28) is hidden with it; the year stays
    assert cells["quarter-07"] == (None, True)
    assert cells["quarter-04"] == (30.0, False) and cells["quarter-10"] == (31.0, False)
    assert cells["year-01"] == (91.0, False)


DECISIONS = Path("dbt_project/models/disclosure/int_disclosure_decisions.py")
ONE_ROUND = ("MAX_ROUNDS = 30", "MAX_ROUNDS = 1")


def greedy_ignores(kind: str) -> tuple[str, str]:
    """An edit of the complement step that forgets one hierarchy (its audit still knows it)."""
    return ("            for _, rtype, members in self.relations:\n",
            "            for rid, rtype, members in self.relations:\n"
            f"                if rid.startswith('{kind}:'):\n                    continue\n")


@pytest.mark.parametrize(
    ("edits", "expected_test", "expected_check"),
    [
        pytest.param(
            # a view that shows the count it should hide (publish.substance_trends before issue 9)
            [(Path("dbt_project/models/publish/substance_trends.sql"),
              ("{{ protected('value') }} as value,", "value,"))],
            "assert_publish_disclosure_safe", "shown_below_rule", id="view"),
        pytest.param(
            # complements chosen without the geography (Cyprus = EU27 - the other members)
            [(DECISIONS, greedy_ignores("geography")), (DECISIONS, ONE_ROUND)],
            "assert_disclosure_audit_protects_every_cell", None, id="geography-difference", marks=pytest.mark.slow),
        pytest.param(
            # complements chosen without time (Q1 = the year - the other quarters)
            [(DECISIONS, greedy_ignores("time")), (DECISIONS, ONE_ROUND)],
            "assert_disclosure_audit_protects_every_cell", None, id="quarter-year-difference", marks=pytest.mark.slow),
        pytest.param(
            # a trend fit published over a series with hidden cells
            [(Path("dbt_project/models/publish/trend_stats.sql"),
              ("where {{ series_fully_shown('stats') }}", "where true"))],
            "assert_publish_disclosure_safe", "fit_over_hidden_cells", id="trend-fit", marks=pytest.mark.slow),
    ],
)
def test_build_fails_and_keeps_published_warehouse_when_a_count_leaks(project, edits, expected_test, expected_check):
    published = project["published"]
    before = sha(published)
    originals = {}
    try:
        for relative, (old, new) in edits:
            path = project["root"] / relative
            text = edit(path, old, new)
            originals.setdefault(path, text)
        build = run("warehouse.build", project["root"], project["env"])
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")

    assert build.returncode != 0, build.stdout[-3000:]
    assert expected_test in build.stderr + build.stdout
    assert "was left as it was" in build.stderr
    assert sha(published) == before
    assert f"test.trendvakt.{expected_test}" in failing_checks(project["build_db"])
    # the leak is in the build file, as planted, so the check really saw it
    con = duckdb.connect(str(project["build_db"]), read_only=True)
    try:
        compiled = (project["env"]["TRENDVAKT_WAREHOUSE_DIR"] + f"/dbt_target/compiled/trendvakt/tests/"
                    f"{expected_test}.sql")
        violations = con.execute(Path(compiled).read_text(encoding="utf-8")).fetchall()
    finally:
        con.close()
    assert violations
    if expected_check:
        assert expected_check in {v[1] for v in violations}
    # ... and the published file still hides the planted counts
    assert published_planted_row(published)[3] is True
    assert quarters(published)["quarter-01"] == (None, True)
