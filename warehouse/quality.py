"""Collecting every check of a build into meta.quality_results.

dbt's own tests are read back from its run_results.json; Great Expectations suites on the
published views are run on data frames read through a read-only connection.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

from expectations.runner import SUITE_DIR, CheckResult, load_suite, validate
from warehouse.connection import open_readonly


def dbt_results(run_results: Path) -> list[dict]:
    """One row per dbt node that ran: tests keep their verdict, models and seeds their status."""
    if not run_results.exists():
        return []
    payload = json.loads(run_results.read_text(encoding="utf-8"))
    rows = []
    for r in payload.get("results", []):
        unique_id = r["unique_id"]
        kind = unique_id.split(".")[0]
        status = r["status"]  # pass / fail / warn / error / success / skipped
        verdict = {"success": "pass", "pass": "pass", "warn": "warn"}.get(status, "fail")
        rows.append({
            "check_name": unique_id,
            "target": kind,
            "severity": "warning" if status == "warn" else "error",
            "status": verdict,
            "failures": r.get("failures") or (0 if verdict == "pass" else 1),
            "details": (r.get("message") or "")[:2000] or None,
        })
    return rows


def record(con: duckdb.DuckDBPyConnection, run_id: str, layer: str, rows: list[dict]) -> None:
    now = dt.datetime.now().replace(microsecond=0)
    for r in rows:
        con.execute(
            "insert into meta.quality_results values (?, null, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, layer, r["check_name"], r["target"], r["severity"], r["status"], r["failures"],
             r["details"], now],
        )


def mart_suites() -> list[str]:
    return sorted(p.stem for p in (SUITE_DIR / "marts").glob("*.yml"))


def run_mart_suites(db: Path) -> list[dict]:
    """Validate each published view named by a suite in expectations/suites/marts/."""
    rows = []
    for name in mart_suites():
        suite = load_suite("marts", name)
        con = open_readonly(db)
        try:
            frame = con.sql(f"select * from {suite['table']}").pl()
        finally:
            con.close()
        results: list[CheckResult] = validate(frame, suite)
        for r in results:
            rows.append({
                "check_name": r.check_name, "target": suite["table"], "severity": r.severity,
                "status": r.status, "failures": r.failures,
                "details": r.why + (f" Offending values: {', '.join(r.values)}." if r.values and not r.success else ""),
            })
    return rows
