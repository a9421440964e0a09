"""`python -m ingest check SPEC`: try a spec on its files without touching the warehouse.

Validates the spec, finds its files under data/raw (TRENDVAKT_DATA_DIR), parses each and maps its
observations, and prints rows parsed, the first observations and every problem, so a spec can be
written and corrected before the first `make ingest`. Only an in-memory DuckDB is used.
"""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import polars as pl

from ingest.problems import FileRejected, SpecError
from ingest.registry import load_registry_report, load_spec
from warehouse.meta_schema import ensure_meta
from warehouse.paths import resolve_paths


# the columns a person checks a mapping by; the rest (numerator, detail, ...) would wrap the table
SHOWN = ["indicator_id", "geo_code", "substance_id", "sex", "age_group", "period_start", "period_end",
         "value", "qualifier", "source_row"]


def _check_file(path: Path, relative: str, spec, extra_indicators) -> bool:
    from ingest.load_paths import _mapping_options
    from ingest.observations import map_observations
    from ingest.parsers import parse
    from ingest.validation import check_frame, scan_bytes

    data = path.read_bytes()
    problems = scan_bytes(data, spec)
    con = duckdb.connect(":memory:")  # the checks' SQL needs a database; nothing is kept
    ensure_meta(con)
    try:
        try:
            frame = parse(data, spec)
        except FileRejected as rejected:
            problems += rejected.problems
            frame = None
        if frame is not None:
            print(f"{relative}: {frame.height:,} rows parsed")
            problems += check_frame(con, frame, spec)
            if spec.observations:
                try:
                    # the same arguments as a real load (markers, earliest year), against an empty
                    # database: codes that only a loaded code list knows are reported as unknown
                    options = _mapping_options(con, spec, extra_indicators)
                    options["extra_geographies"] |= frozenset(g["code"] for g in spec.geographies)
                    options["extra_substances"] |= frozenset(g["substance_id"] for g in spec.substances)
                    obs = map_observations(frame, spec.id, list(spec.observations), **options)
                    print(f"  {obs.height:,} observations; the first 10:")
                    shown = [c for c in SHOWN if c in obs.columns]
                    with pl.Config(tbl_rows=10, tbl_cols=-1, fmt_str_lengths=24, tbl_width_chars=220,
                                   tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
                        print(obs.select(shown).head(10))
                    if frame.height and not obs.height:
                        print("  warning: the observations blocks map no row of this file")
                except FileRejected as rejected:
                    problems += rejected.problems
    finally:
        con.close()
    for p in problems[:20]:
        print(f"  problem: {p.describe(relative)}")
    if len(problems) > 20:
        print(f"  ... and {len(problems) - 20} more problems")
    return not problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ingest check SPEC.yml", file=sys.stderr)
        return 2
    spec_path = Path(argv[0])
    if not spec_path.is_file():
        print(f"cannot check: {spec_path} is not a file", file=sys.stderr)
        return 2
    try:
        spec = load_spec(spec_path)
    except SpecError as err:
        print(f"spec error in {spec_path}: {err}")
        return 1
    others, _ = load_registry_report()
    extra_indicators = frozenset(i["indicator_id"] for s in [*others, spec] for i in s.indicators)
    data_dir = resolve_paths().data_dir
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and spec.matches(p.relative_to(data_dir).as_posix()))
    print(f"spec {spec_path}: valid; {len(files)} file(s) under {data_dir} match {spec.file_pattern!r}")
    ok = True
    for path in files:
        try:
            ok &= _check_file(path, path.relative_to(data_dir).as_posix(), spec, extra_indicators)
        except SpecError as err:  # a spec error only a file reveals (e.g. a parser option)
            print(f"  spec error: {err}")
            ok = False
    if not files:
        print("warning: no file to try the spec on")
    return 0 if ok else 1
