"""The two ways a file's rows reach its raw table, inside the loader's transaction.

    parsed_load    small and medium files: parsed in Python (polars), checked with Great
                   Expectations on the frame, written in one transaction
    streamed_load  big files (csv_large): read by DuckDB into a temp table, checked in SQL,
                   copied into raw

Both leave the transaction open on success (the loader commits it together with the
bookkeeping) and roll it back on any failure.
"""
from __future__ import annotations

import duckdb
import polars as pl

from expectations.runner import load_suite, validate
from expectations.sql_checks import validate_table
from ingest.observations import map_observations
from ingest.parsers import parse
from ingest.problems import FileRejected, Problem
from ingest.registry import SourceSpec
from ingest.streaming import STAGING_TABLE, stream_into_staging


def _problems_and_warnings(results) -> tuple[list[Problem], list[str]]:
    problems, warnings = [], []
    for r in results:
        if r.success:
            continue
        if r.severity == "error":
            rows = r.rows or (None,)
            for i, row in enumerate(rows):
                value = r.values[i] if i < len(r.values) else None
                problems.append(Problem(r.check_name, r.why or r.check_name, row=row, column=r.column, value=value))
        else:
            where = f" (lines {', '.join(map(str, r.rows))})" if r.rows else ""
            warnings.append(f"{r.check_name}: {r.failures} row(s) break the rule. {r.why}{where}")
    return problems, warnings


def _insert_frame(con, table: str, frame: pl.DataFrame, load_id: str, relative: str) -> None:
    batch = frame.with_columns(pl.lit(load_id).alias("load_id"), pl.lit(relative).alias("source_file"))
    con.register("incoming_batch", batch.to_arrow())
    try:
        con.execute(f"insert into {table} by name select * from incoming_batch")
    finally:
        con.unregister("incoming_batch")


def known_municipal_codes(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Municipality and county codes of FHI's code history, once it is loaded: any of them is a
    valid geography for a declared source (dim_geography is built from the same table)."""
    exists = con.execute("select count(*) from information_schema.tables where table_schema = 'raw' "
                         "and table_name = 'fhi_locations__municipalities'").fetchall()[0][0]
    if not exists:
        return frozenset()
    rows = con.execute("""
        select municip_code from raw.fhi_locations__municipalities
        union select county_code from raw.fhi_locations__municipalities where county_code is not null
    """).fetchall()
    return frozenset(code for (code,) in rows)


def suite_for(spec: SourceSpec) -> dict | None:
    """The source's suite in expectations/suites/ingest/, plus any checks written in its spec."""
    suite = load_suite("ingest", spec.id)
    if spec.expectations:
        suite = dict(suite or {"name": f"ingest.{spec.id}"})
        suite["expectations"] = list(suite.get("expectations", [])) + list(spec.expectations)
    return suite


def parsed_load(con, path, spec, load_id, relative, extra_indicators, checks, outcome) -> int:
    """Parse in Python (polars), check with Great Expectations, write in one transaction."""
    frame = parse(path.read_bytes(), spec)
    suite = suite_for(spec)
    checks += validate(frame, suite) if suite else []
    problems, outcome.warnings = _problems_and_warnings(checks)
    if problems:
        raise FileRejected(problems)
    observations = (map_observations(frame, spec.id, list(spec.observations), extra_indicators,
                                     known_municipal_codes(con)) if spec.observations else None)
    con.begin()
    try:
        _insert_frame(con, spec.target_table, frame, load_id, relative)
        if observations is not None:
            _insert_frame(con, "raw.declared_observations", observations, load_id, relative)
    except BaseException:
        con.rollback()
        raise
    return frame.height  # the transaction is committed by _finish_load with the bookkeeping


def streamed_load(con, path, spec, load_id, relative, extra_indicators, checks, outcome) -> int:
    """Let DuckDB read the file into a temp table, check it in SQL, then copy it into raw."""
    con.begin()
    try:
        rows = stream_into_staging(con, path, spec)
        suite = suite_for(spec)
        checks += validate_table(con, STAGING_TABLE, suite) if suite else []
        problems, outcome.warnings = _problems_and_warnings(checks)
        if problems:
            raise FileRejected(problems)
        con.execute(f"insert into {spec.target_table} by name "
                    f"select *, ? as load_id, ? as source_file from {STAGING_TABLE}", [load_id, relative])
        con.execute(f"drop table {STAGING_TABLE}")
    except BaseException:
        con.rollback()
        raise
    return rows
