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
        # a node skipped because something upstream failed is not a failure of its own: counted
        # apart, so one failing test does not read as hundreds
        verdict = {"success": "pass", "pass": "pass", "warn": "warn", "skipped": "skipped"}.get(status, "fail")
        rows.append({
            "check_name": unique_id,
            "target": kind,
            "severity": "warning" if status == "warn" else "error",
            "status": verdict,
            "failures": r.get("failures") or (0 if verdict in ("pass", "skipped") else 1),
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


def failure_lineage(manifest_path: Path, unique_id: str) -> tuple[str | None, list[str]]:
    """The model a dbt test checks and the raw tables it is built from, from dbt's manifest: a
    failing test is then reported with the sources (and so the specs) a person has to look at."""
    if not manifest_path.exists():
        return None, []
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes, sources = manifest.get("nodes", {}), manifest.get("sources", {})
    node = nodes.get(unique_id, {})
    model = node.get("attached_node") or next(
        (n for n in node.get("depends_on", {}).get("nodes", []) if n.startswith("model.")), None)
    tables, seen, todo = set(), set(), [model or unique_id]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in sources:
            src = sources[current]
            tables.add(f"{src.get('schema')}.{src.get('identifier') or src.get('name')}")
            continue
        todo += nodes.get(current, {}).get("depends_on", {}).get("nodes", [])
    return (model.split(".")[-1] if model else None), sorted(tables)

