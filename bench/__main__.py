"""`make bench`: how fast ingest is, as ratios against baselines measured in the same run.

Absolute seconds depend on the machine and whatever else it is doing; a ratio against a
baseline taken minutes apart on the same machine says what the project's own code costs. Nothing
here is asserted: benchmarks inform, tests decide.

  1. streamed CSV (population, 754,508 rows, gzip): trendvakt's checked, transactional load vs a
     bare DuckDB read_csv into a table;
  2. parsed CSV (Eurostat, 92,880 cells): trendvakt's line-aware parser and typing vs polars.read_csv;
  3. peak memory of loading the population file in a fresh process vs the same process
     importing everything and loading nothing, and vs the file's size;
  4. the Dash app's view callbacks: server time through the Flask app vs the DuckDB time of the
     queries behind them (bench/callbacks.py).

`python -m bench` runs every section; `python -m bench ingest` or `python -m bench callbacks` one.
Results with a goal (section 4) are merged into bench/results/latest.json, a list of
{"goal", "measured", "baseline", "ratio", "target", "unit", "pass"} (a goal written again replaces
its old entry).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from ingest.loader import run_ingest
from ingest.parsers import parse
from ingest.registry import load_registry
from warehouse.connection import open_build

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
POPULATION = next((RAW / "population").glob("*.csv.gz"))
EUROSTAT = next((RAW / "eurostat_cod").glob("*.csv"))
REPEATS = 3
RESULTS = REPO / "bench" / "results" / "latest.json"


def best_of(fn) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_streamed() -> tuple[float, float]:
    def baseline():
        con = duckdb.connect()
        con.execute(f"create table t as select * from read_csv('{POPULATION}', header = true)")
        con.close()

    def ours():
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "raw"
            (data / "population").mkdir(parents=True)
            os.link(POPULATION, data / "population" / POPULATION.name)
            con = open_build(Path(tmp) / "build.duckdb")
            summary = run_ingest(con, data)
            con.close()
            assert summary.ok

    return best_of(baseline), best_of(ours)


def bench_parsed() -> tuple[float, float]:
    spec = next(s for s in load_registry() if s.id == "eurostat_cod")
    data = EUROSTAT.read_bytes()
    return best_of(lambda: pl.read_csv(data, infer_schema=False)), best_of(lambda: parse(data, spec))


PEAK = """
import resource, sys, tempfile, os
from pathlib import Path
from ingest.loader import run_ingest
from warehouse.connection import open_build
load = sys.argv[1] == "load"
with tempfile.TemporaryDirectory() as tmp:
    con = open_build(Path(tmp) / "build.duckdb")
    if load:
        data = Path(tmp) / "raw"; (data / "population").mkdir(parents=True)
        os.link(sys.argv[2], data / "population" / Path(sys.argv[2]).name)
        run_ingest(con, data)
    con.close()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_kib(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", PEAK, mode, str(POPULATION)], cwd=REPO, capture_output=True,
                         text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def bench_ingest() -> None:
    print(f"trendvakt bench (best of {REPEATS}; ratios > 1 mean trendvakt is slower than the baseline)\n")
    base, ours = bench_streamed()
    print(f"streamed CSV  population 754,508 rows  DuckDB read_csv {base:6.2f} s   trendvakt ingest {ours:6.2f} s"
          f"   ratio {ours / base:5.2f}   ({754508 / ours:,.0f} rows/s)")
    base, ours = bench_parsed()
    print(f"parsed CSV    Eurostat 11,610 lines    polars.read_csv {base:6.2f} s   trendvakt parser {ours:6.2f} s"
          f"   ratio {ours / base:5.2f}")
    idle = statistics.median(peak_kib("idle") for _ in range(2))
    loaded = statistics.median(peak_kib("load") for _ in range(2))
    size_kib = POPULATION.stat().st_size / 1024
    print(f"peak memory   population load {loaded / 1024:6.1f} MiB, same process loading nothing "
          f"{idle / 1024:6.1f} MiB: +{(loaded - idle) / 1024:.1f} MiB for a {size_kib / 1024:.1f} MiB file "
          f"({(loaded - idle) / size_kib:.1f} x file size)")


def write_results(results: list[dict], path: Path = RESULTS) -> None:
    """Merge results into path: entries of other goals (other sections) are kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = []
    goals = {r["goal"] for r in results}
    merged = [r for r in kept if isinstance(r, dict) and r.get("goal") not in goals] + results
    path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def bench_callbacks() -> None:
    from bench import callbacks
    from dash_app import config

    if not config.warehouse_path().is_file():
        print(f"view callbacks: skipped, no published warehouse at {config.warehouse_path()}")
        return
    results = callbacks.run()
    callbacks.report(results)
    write_results(results)
    print(f"written to {RESULTS.relative_to(REPO)}")


SECTIONS = {"ingest": bench_ingest, "callbacks": bench_callbacks}


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or list(SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        print(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    for i, name in enumerate(names):
        if i:
            print()
        SECTIONS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
