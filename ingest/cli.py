"""`make ingest`: load every new or changed file under data/raw/ into warehouse/build.duckdb.

Prints one line per file (loaded / unchanged / rejected and why) and a summary; exits 1 when any
file was rejected, so a pipeline stops before building on incomplete data.
"""
from __future__ import annotations

import argparse
import sys

from ingest.loader import FileOutcome, RunSummary, run_ingest
from ingest.problems import SpecError
from warehouse.connection import open_build
from warehouse.paths import resolve_paths


def _print_progress(i: int, n: int, o: FileOutcome) -> None:
    label = f"[{i}/{n}] {o.source_file}"
    if o.status == "loaded":
        rate = o.rows / o.seconds if o.seconds else 0
        print(f"{label}: loaded {o.rows:,} rows into {o.source_id} ({o.seconds:.1f} s, {rate:,.0f} rows/s)")
    elif o.status == "unchanged":
        print(f"{label}: unchanged since load {o.load_id}, skipped")
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
    print(
        f"ingest run {summary.run_id}: {summary.count('loaded')} loaded, "
        f"{summary.count('unchanged')} unchanged, {summary.count('rejected')} rejected"
    )
    if summary.count("loaded") == 0 and summary.count("rejected") == 0:
        print("nothing changed: no loading work done")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    paths = resolve_paths()
    try:
        con = open_build(paths.build_db, seed_from=paths.published_db)
    except Exception as err:  # a locked or corrupt build file: say so, no traceback
        print(f"cannot open {paths.build_db}: {err}", file=sys.stderr)
        return 2
    try:
        summary = run_ingest(con, paths.data_dir, report=_print_progress)
    except SpecError as err:
        print(f"source spec error: {err}", file=sys.stderr)
        return 2
    finally:
        con.close()
    _print_summary(summary)
    if not summary.ok:
        print("some files were rejected: fix them (see above or meta.rejections) and run make ingest again",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
