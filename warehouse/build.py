"""`make build`: ingest, dbt build, checks on the published views, then an atomic publish.

One process under one lock (warehouse/lock.py) from the first byte of ingest to the publish, so a
second `make build` or `make ingest` can neither write between this build's dbt steps nor publish
over it: it says who is running and exits, or waits with WAIT=1.

The published warehouse is replaced only when every error-severity check passed; otherwise the
last good warehouse stays where it is and this exits non-zero with the failing checks listed, each
with the model it checks and the sources behind it. A file ingest rejects does not stop the
build: its source keeps its last good vintage, marked red in publish.load_status; --strict
(STRICT=1) then exits 1 after publishing.

    python -m warehouse.build [--wait] [--skip-ingest] [--strict] [--force SOURCE_ID[,...]] [--force SOURCE_ID[,...]]

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
from warehouse.meta_schema import ensure_meta
from warehouse.paths import Paths, resolve_paths
from warehouse.publish import publish
from warehouse.quality import dbt_results, failure_lineage, record, run_mart_suites


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


def _failure_lines(paths: Paths, failed: list[dict]) -> list[str]:
    """One line per failed check naming the model it checks and the sources (specs) behind it."""
    from ingest.registry import load_registry

    try:
        spec_of = {s.target_table: s for s in load_registry()}
    except Exception:  # noqa: BLE001 - a broken spec was already reported by ingest; names only
        spec_of = {}
    manifest = paths.warehouse_dir / "dbt_target" / "manifest.json"
    lines = []
    for r in failed:
        line = f"  FAILED   {r['check_name']} ({r['target']})"
        if r["check_name"].startswith("test."):
            model, tables = failure_lineage(manifest, r["check_name"])
            # a raw table of one spec names that spec; raw.declared_observations (every spec's
            # mapped observations) and other tables are named as they are
            origins = [f"{spec_of[t].id} ({spec_of[t].spec_path.name if spec_of[t].spec_path else 'spec'})"
                       if t in spec_of else t for t in tables]
            if model:
                line += f" on model {model}"
            if origins:
                line += " from " + ", ".join(origins)
        lines.append(f"{line}: {r['details'] or ''}"[:600])
    return lines


def build(paths: Paths, ingest: bool = True, strict: bool = False, force: tuple[str, ...] = ()) -> int:
    """The whole build; call under the run lock.

    A rejected file does not stop the build: its source keeps its last good vintage (ingest
    leaves the earlier load active), the rest is built and published, and publish.load_status
    shows the source red. strict=True (STRICT=1) makes such a build exit 1, after publishing."""
    rejected = False
    if ingest:
        from ingest.cli import main as ingest_main  # takes the lock this process already holds

        step("ingest")
        # --force goes on to ingest as it came (ingest checks the ids and says which are unknown)
        code = ingest_main([arg for ids in force for arg in ("--force", ids)])
        sys.stdout.flush()
        if code == 1:  # files (or specs) rejected, everything else loaded
            rejected = True
            print("[build] ingest rejected some files: building with those sources' last good vintage", flush=True)
        elif code != 0:
            print(f"build stopped after ingest: {paths.published_db} was left as it was", file=sys.stderr)
            return code
    else:
        prepare_build(paths.build_db, paths.published_db)
        if not paths.build_db.exists():
            print(f"{paths.build_db} does not exist: run make ingest first", file=sys.stderr)
            return 2
        # a build file from an older trendvakt gets the bookkeeping columns dbt's meta sources read
        # (ingest does this itself; --skip-ingest must too)
        con = open_build(paths.build_db)
        try:
            ensure_meta(con)
        finally:
            con.close()
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
    skipped = [r for r in dbt_rows if r["status"] == "skipped"]
    ran = len(dbt_rows) + len(mart_rows) - len(skipped)
    print(f"checks: {ran} run, {len(failed)} failed, {len(warned)} warnings"
          + (f", {len(skipped)} skipped because a node they depend on failed" if skipped else ""))
    for r in warned:
        print(f"  warning  {r['check_name']}: {r['details'] or ''}"[:300])
    if dbt_code != 0 or failed:
        for line in _failure_lines(paths, failed):
            print(line, file=sys.stderr)
        print(f"build failed: {paths.published_db} was left as it was", file=sys.stderr)
        return 1
    step("publish")
    publish(paths.build_db, paths.published_db)
    print(f"published {paths.published_db}", flush=True)
    if rejected:
        print("published with the last good vintage of each source whose new file was rejected "
              "(red in publish.load_status and the Data quality view)"
              + ("; STRICT: exiting 1" if strict else "; STRICT=1 makes this exit 1"), file=sys.stderr)
        return 1 if strict else 0
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
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a rejected file left a source on its last good vintage, after publishing "
                             "(also TRENDVAKT_STRICT=1, make build STRICT=1)")
    parser.add_argument("--force", action="append", default=[], metavar="SOURCE_ID[,SOURCE_ID]",
                        help="reload these sources' files as new vintages even if unchanged "
                             "(make build FORCE=...; also TRENDVAKT_FORCE)")
    args = parser.parse_args(argv)
    strict = args.strict or os.environ.get("TRENDVAKT_STRICT", "").strip() not in ("", "0")
    paths = resolve_paths()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        with warehouse_lock(paths.warehouse_dir, "build", wait=True if args.wait else None):
            return build(paths, ingest=not args.skip_ingest, strict=strict, force=tuple(args.force))
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
