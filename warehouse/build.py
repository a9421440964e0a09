"""`make build`: ingest, dbt build, checks on the published views, then an atomic publish.

One process under one lock (warehouse/lock.py) from the first byte of ingest to the publish, so a
second `make build` or `make ingest` can neither write between this build's dbt steps nor publish
over it: it says who is running and exits, or waits with WAIT=1.

The published warehouse is replaced only when ingest rejected nothing and every error-severity
check passed; otherwise the last good warehouse stays where it is and this exits non-zero with
the failing checks listed.

    python -m warehouse.build [--wait] [--skip-ingest]

Progress lines start with "[build]" (the crash-safety tests follow the phases through them).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

from warehouse.connection import BuildFileUnusable, open_build, prepare_build
from warehouse.lock import EXIT_BUSY, LockBusy, held_fd, warehouse_lock
from warehouse.paths import Paths, resolve_paths
from warehouse.publish import publish
from warehouse.quality import dbt_results, record, run_mart_suites


def step(text: str) -> None:
    print(f"[build] {text}", flush=True)  # flushed: dbt writes to the same stdout right after


def run_dbt(paths: Paths) -> int:
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "TRENDVAKT_BUILD_DB": str(paths.build_db)}
    project = paths.dbt_project_dir
    cmd = [str(dbt), "build", "--project-dir", str(project), "--profiles-dir", str(project),
           "--target-path", str(paths.warehouse_dir / "dbt_target"), "--log-path", str(paths.warehouse_dir / "dbt_logs")]
    if not sys.stdout.isatty():
        cmd.append("--no-use-colors")  # escape codes make CI logs and captured output unreadable
    # dbt inherits the locked descriptor: should this process die while dbt still writes the
    # build file, the lock stays held until dbt is gone too.
    lock_fd = held_fd(paths.warehouse_dir)
    return subprocess.call(cmd, env=env, cwd=project.parent, pass_fds=(lock_fd,) if lock_fd is not None else ())


def build(paths: Paths, ingest: bool = True) -> int:
    """The whole build; call under the run lock."""
    if ingest:
        from ingest.cli import main as ingest_main  # takes the lock this process already holds

        step("ingest")
        code = ingest_main([])
        sys.stdout.flush()
        if code != 0:
            print(f"build stopped after ingest: {paths.published_db} was left as it was", file=sys.stderr)
            return code
    else:
        prepare_build(paths.build_db, paths.published_db)
        if not paths.build_db.exists():
            print(f"{paths.build_db} does not exist: run make ingest first", file=sys.stderr)
            return 2
    run_id = "build-" + dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    run_results = paths.warehouse_dir / "dbt_target" / "run_results.json"
    run_results.unlink(missing_ok=True)  # never read the verdicts of an earlier, interrupted dbt run
    step("dbt build")
    dbt_code = run_dbt(paths)
    step("checks")
    dbt_rows = dbt_results(run_results)
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
    step("publish")
    publish(paths.build_db, paths.published_db)
    print(f"published {paths.published_db}", flush=True)
    return 0


def _terminate(signum, frame):
    # SIGTERM unwinds like Ctrl-C: the dbt child is killed (subprocess.call does so on any
    # exception) and the lock file is emptied, instead of the process vanishing mid-step.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse.build", description=__doc__.splitlines()[0])
    parser.add_argument("--wait", action="store_true",
                        help="wait for a running build or ingest instead of exiting (also TRENDVAKT_WAIT=1)")
    parser.add_argument("--skip-ingest", action="store_true",
                        help="build from build.duckdb as it is, without loading data/raw first")
    args = parser.parse_args(argv)
    paths = resolve_paths()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        with warehouse_lock(paths.warehouse_dir, "build", wait=True if args.wait else None):
            return build(paths, ingest=not args.skip_ingest)
    except LockBusy as busy:
        print(f"cannot build now: {busy}", file=sys.stderr)
        return EXIT_BUSY
    except BuildFileUnusable as err:
        print(f"cannot build: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"build interrupted: {paths.published_db} was left as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
