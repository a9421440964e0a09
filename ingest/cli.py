"""`make ingest`: load every new or changed file under data/raw/ into warehouse/build.duckdb.

Prints one line per file (loaded / unchanged / rejected and why / removed) and a summary; exits 1 when any
file was rejected, so a pipeline stops before building on incomplete data.
"""
from __future__ import annotations

import argparse
import os
import sys

from ingest.loader import DataDirMissing, FileOutcome, RunSummary, UnknownSource, run_ingest, spec_label
from ingest.problems import SpecError
from warehouse.connection import open_build, prepare_build
from warehouse.lock import EXIT_BUSY, LockBusy, warehouse_lock
from warehouse.paths import resolve_paths


def _print_progress(i: int, n: int, o: FileOutcome) -> None:
    label = f"[{i}/{n}] {o.source_file}"
    if o.status == "loaded":
        rate = o.rows / o.seconds if o.seconds else 0
        print(f"{label}: loaded {o.rows:,} rows into {o.source_id} ({o.seconds:.1f} s, {rate:,.0f} rows/s)")
    elif o.status == "unchanged":
        print(f"{label}: unchanged since load {o.load_id}, skipped")
    elif o.status in ("removed", "held_back"):
        print(f"[{i}/{n}] {o.note}")
    else:
        print(f"{label}: REJECTED, nothing loaded")
        for p in o.problems[:10]:
            print(f"      - {p.describe(o.source_file)}")
        if len(o.problems) > 10:
            print(f"      ... and {len(o.problems) - 10} more (see meta.rejections)")
    for w in o.warnings:
        print(f"      warning: {w}")
    sys.stdout.flush()


def _print_summary(summary: RunSummary) -> None:
    for err in summary.spec_errors:
        print(f"spec error in {spec_label(err)}: {err}", file=sys.stderr)
    print(
        f"ingest run {summary.run_id}: {summary.count('loaded')} loaded, "
        f"{summary.count('unchanged')} unchanged, {summary.count('rejected')} rejected"
        + (f", {summary.count('removed')} removed" if summary.count("removed") else "")
        + (f", {summary.count('held_back')} held back" if summary.count("held_back") else "")
        + (f"; {len(summary.spec_errors)} spec error(s)" if summary.spec_errors else "")
    )
    if summary.count("loaded") == 0 and summary.count("rejected") == 0 and summary.count("removed") == 0:
        print("nothing changed: no loading work done")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check"]:  # `python -m ingest check SPEC`: try a spec, write nothing
        from ingest.check import main as check_main
        return check_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--wait", action="store_true",
                        help="wait for a running build or ingest instead of exiting (also TRENDVAKT_WAIT=1)")
    parser.add_argument("--force", action="append", default=[], metavar="SOURCE_ID[,SOURCE_ID]",
                        help="reload these sources' files even if unchanged, as new vintages (make ingest FORCE=...; "
                             "also TRENDVAKT_FORCE)")
    args = parser.parse_args(argv)
    force = frozenset(i.strip() for item in [*args.force, os.environ.get("TRENDVAKT_FORCE", "")]
                      for i in item.split(",") if i.strip())
    paths = resolve_paths()
    try:
        # The run lock (warehouse/lock.py) for the whole ingest; reentrant, so inside
        # `python -m warehouse.build` this is the build's own lock.
        with warehouse_lock(paths.warehouse_dir, "ingest", wait=True if args.wait else None):
            try:
                # under the lock: leftovers of a killed run are cleaned, a damaged build file rebuilt
                prepare_build(paths.build_db, paths.published_db)
                con = open_build(paths.build_db)
            except Exception as err:  # a build file open elsewhere, no rights: say so, no traceback
                print(f"cannot open {paths.build_db}: {err}", file=sys.stderr)
                return 2
            try:
                summary = run_ingest(con, paths.data_dir, report=_print_progress, force=force)
            except UnknownSource as err:
                print(f"cannot ingest: {err}", file=sys.stderr)
                return 2
            except DataDirMissing as err:
                print(f"cannot ingest: {err}", file=sys.stderr)
                return 2
            except SpecError as err:
                print(f"source spec error: {err}", file=sys.stderr)
                return 2
            finally:
                con.close()
    except LockBusy as busy:
        print(f"cannot ingest now: {busy}", file=sys.stderr)
        return EXIT_BUSY
    except KeyboardInterrupt:  # the file being loaded was rolled back; the ones before it stay loaded
        print("ingest interrupted: files loaded so far stay loaded, the one in progress was not", file=sys.stderr)
        return 130
    _print_summary(summary)
    if not summary.ok:
        what = " and ".join(w for w, bad in (("some specs are invalid", summary.spec_errors),
                                             ("some files were rejected", summary.count("rejected"))) if bad)
        print(f"{what}: fix them (see above or meta.rejections) and run make ingest again; "
              "everything else was loaded", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
