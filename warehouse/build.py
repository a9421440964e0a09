"""`make build` after ingest: dbt build, checks on the published views, then an atomic publish.

The published warehouse is replaced only when every error-severity check passed; otherwise the
last good warehouse stays where it is and this exits non-zero with the failing checks listed.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from warehouse.connection import open_build
from warehouse.paths import Paths, resolve_paths
from warehouse.publish import publish
from warehouse.quality import dbt_results, record, run_mart_suites


def run_dbt(paths: Paths) -> int:
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "TRENDVAKT_BUILD_DB": str(paths.build_db)}
    project = paths.dbt_project_dir
    cmd = [str(dbt), "build", "--project-dir", str(project), "--profiles-dir", str(project),
           "--target-path", str(paths.warehouse_dir / "dbt_target"), "--log-path", str(paths.warehouse_dir / "dbt_logs")]
    if not sys.stdout.isatty():
        cmd.append("--no-use-colors")  # escape codes make CI logs and captured output unreadable
    return subprocess.call(cmd, env=env, cwd=project.parent)


def build(paths: Paths) -> int:
    if not paths.build_db.exists():
        print(f"{paths.build_db} does not exist: run make ingest first", file=sys.stderr)
        return 2
    run_id = "build-" + dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    dbt_code = run_dbt(paths)
    dbt_rows = dbt_results(paths.warehouse_dir / "dbt_target" / "run_results.json")
    mart_rows = run_mart_suites(paths.build_db) if dbt_code == 0 else []
    con = open_build(paths.build_db)
    try:
        record(con, run_id, "dbt", dbt_rows)
        record(con, run_id, "marts", mart_rows)
    finally:
        con.close()
    failed = [r for r in dbt_rows + mart_rows if r["status"] == "fail"]
    warned = [r for r in dbt_rows + mart_rows if r["status"] == "warn"]
    print(f"checks: {len(dbt_rows) + len(mart_rows)} run, {len(failed)} failed, {len(warned)} warnings")
    for r in warned:
        print(f"  warning  {r['check_name']}: {r['details'] or ''}"[:300])
    if dbt_code != 0 or failed:
        for r in failed:
            print(f"  FAILED   {r['check_name']} ({r['target']}): {r['details'] or ''}"[:400], file=sys.stderr)
        print(f"build failed: {paths.published_db} was left as it was", file=sys.stderr)
        return 1
    publish(paths.build_db, paths.published_db)
    print(f"published {paths.published_db}")
    return 0


def main() -> int:
    return build(resolve_paths())


if __name__ == "__main__":
    sys.exit(main())
