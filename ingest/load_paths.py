"""The two ways a file's rows reach its raw table, inside the loader's transaction.

    parsed_load    small and medium files: parsed in Python (polars), validated, checked with
                   Great Expectations on the frame, written in one transaction
    streamed_load  big files (csv_large): read by DuckDB into a temp table, validated and
                   checked in SQL, copied into raw

Both run the one validation layer (ingest/validation.py) with the same rules: the byte scan of
the file, then the same SQL over the typed rows (the parsed frame is registered in DuckDB).

Both leave the transaction open on success (the loader commits it together with the
bookkeeping) and roll it back on any failure.
"""
from __future__ import annotations

import duckdb
import polars as pl

from expectations.runner import CheckResult, load_suite, validate
from expectations.sql_checks import validate_table
from ingest.observations import map_observations
from ingest.parsers import parse
from ingest.problems import FileRejected, Problem
from ingest.registry import SourceSpec
from ingest.streaming import STAGING_TABLE, stream_into_staging
from ingest.validation import check_frame, check_table, scan_bytes, scan_file


def _problems_and_warnings(results) -> tuple[list[Problem], list[str]]:
    problems, warnings = [], []
    for r in results:
        if r.success:
            continue
        if r.severity == "error":
            rows = r.rows or (None,)
            for i, row in enumerate(rows):
                value = r.values[i] if i < len(r.values) else None
                problems.append(Problem(r.check_name, r.why or r.check_name, row=row, column=r.column, value=value,
                                        reason_nb=r.why_nb or None))
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


def _without_rows(frame: pl.DataFrame, problems: list[Problem]) -> pl.DataFrame:
    """The frame minus the rows the validation layer flagged: the suite and the observation
    mapping then still report their own problems (all problems of a file are collected), but
    never see a value they cannot represent (a date in year 0, an inf) and fail on it."""
    bad = sorted({p.row for p in problems if p.row is not None})
    return frame.filter(~pl.col("source_row").is_in(bad)) if bad else frame


def _declared(con, column: str, table: str) -> frozenset[str]:
    """Codes the specs declare (meta.declared_*, filled by loader.sync_sources before any load):
    valid for every spec's observations, as a declared indicator is."""
    return frozenset(r[0] for r in con.execute(f"select {column} from meta.{table}").fetchall())


def _mapping_options(con, spec: SourceSpec, extra_indicators) -> dict:
    """map_observations' arguments that come from the spec and the warehouse (both load paths)."""
    return {"extra_indicators": extra_indicators,
            "extra_geographies": known_municipal_codes(con) | _declared(con, "geo_code", "declared_geographies"),
            "extra_substances": _declared(con, "substance_id", "declared_substances"),
            "earliest_year": int(spec.plausible.get("earliest_year", 1900)),
            "markers": spec.markers}


ZERO_MATCH_CHECK = "observations_block_matches_rows"


def _note_zero_matches(spec, file_rows: int, empty_blocks: list, observations, checks, outcome) -> None:
    """A block that matched nothing, or observations that yield nothing from a file with rows, is
    not an error (a file may lack one breakdown) but is worth a look: a warning printed by the CLI,
    and a 'warn' row in meta.quality_results (through `checks`, which the loader records)."""
    notes = [(f"spec {spec.id}: observations block {no} matched no row of the file (where: {where!r})",
              f"kildebeskrivelsen {spec.id}: observasjonsblokk {no} traff ingen rad i filen (where: {where!r})")
             for no, where in empty_blocks]
    if file_rows and observations is not None and observations.height == 0 and not notes:
        notes.append((f"spec {spec.id}: observations yield no row from a file with {file_rows} rows",
                      f"kildebeskrivelsen {spec.id}: observasjonene gir ingen rad fra en fil med {file_rows} rader"))
    for note, note_nb in notes:
        outcome.warnings.append(f"{ZERO_MATCH_CHECK}: {note}")
        checks.append(CheckResult(check_name=ZERO_MATCH_CHECK, severity="warn", success=False, failures=0,
                                  rows=(), values=(), column=None, why=note, why_nb=note_nb))


def parsed_load(con, path, spec, load_id, relative, extra_indicators, checks, outcome) -> int:
    """Parse in Python (polars), validate (ingest/validation.py), check with Great Expectations,
    map the observations, and write in one transaction."""
    data = path.read_bytes()
    problems = scan_bytes(data, spec)
    try:
        frame = parse(data, spec)
    except FileRejected as rejected:
        raise FileRejected(problems + rejected.problems) from None
    problems += check_frame(con, frame, spec)
    clean = _without_rows(frame, problems)
    suite = suite_for(spec)
    checks += validate(clean, suite) if suite and clean.height else []
    suite_problems, suite_warnings = _problems_and_warnings(checks)
    outcome.warnings += suite_warnings
    problems += suite_problems
    observations = None
    if spec.observations:
        empty_blocks: list = []
        try:
            observations = map_observations(_without_rows(clean, suite_problems), spec.id, list(spec.observations),
                                            **_mapping_options(con, spec, extra_indicators), empty_blocks=empty_blocks)
        except FileRejected as rejected:
            problems += rejected.problems
        _note_zero_matches(spec, clean.height, empty_blocks, observations, checks, outcome)
    if problems:
        raise FileRejected(problems)
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
    # the same byte scan as the parsed path, streamed (and decompressed) in chunks
    problems = scan_file(path, spec)
    if any(p.check == "unreadable_file" for p in problems):
        raise FileRejected(problems)
    con.begin()
    try:
        try:
            rows = stream_into_staging(con, path, spec)
        except FileRejected as rejected:
            raise FileRejected(problems + rejected.problems) from None
        # the same rules as the parsed path, as the same SQL, over the whole staging table
        problems += check_table(con, STAGING_TABLE, spec)
        suite = suite_for(spec)
        checks += validate_table(con, STAGING_TABLE, suite) if suite else []
        suite_problems, suite_warnings = _problems_and_warnings(checks)
        outcome.warnings += suite_warnings
        problems += suite_problems
        if problems:
            raise FileRejected(problems)
        con.execute(f"insert into {spec.target_table} by name "
                    f"select *, ? as load_id, ? as source_file from {STAGING_TABLE}", [load_id, relative])
        con.execute(f"drop table {STAGING_TABLE}")
        if spec.observations:
            _streamed_observations(con, spec, load_id, relative, rows, extra_indicators, checks, outcome)
    except BaseException:
        con.rollback()
        raise
    return rows


STREAM_BATCH_ROWS = 250_000


def _streamed_observations(con, spec, load_id, relative, file_rows, extra_indicators, checks, outcome) -> None:
    """Map a streamed load's rows (read back from its raw table) into raw.declared_observations.

    Read back in Arrow batches and mapped with the same polars code as parsed files, rather than
    rewritten as SQL: one mapping and one set of checks for both paths, and a batch bounds the
    memory the input takes. The mapped batches are kept until the reader is exhausted because a
    DuckDB connection runs one query at a time (a cursor would not see this uncommitted load).
    """
    options = _mapping_options(con, spec, extra_indicators)
    reader = con.sql(f"select * exclude (load_id, source_file) from {spec.target_table} "
                         "where load_id = ? order by source_row", params=[load_id]).to_arrow_reader(STREAM_BATCH_ROWS)
    pieces, problems, empties, batches = [], [], {}, 0
    for batch in reader:
        frame = pl.from_arrow(batch)
        if not frame.height:
            continue
        batches += 1
        empty_blocks: list = []
        try:
            pieces.append(map_observations(frame, spec.id, list(spec.observations), **options,
                                           empty_blocks=empty_blocks))
        except FileRejected as rejected:
            problems += rejected.problems
            if len(problems) >= 20:  # enough to act on; the rest of a broken big file adds nothing
                break
        for block in empty_blocks:
            empties[block] = empties.get(block, 0) + 1
    if problems:
        raise FileRejected(problems[:20])
    observations = pl.concat(pieces) if pieces else pl.DataFrame()
    # a block matched nothing in the file only when it matched nothing in every batch
    _note_zero_matches(spec, file_rows, [b for b, n in empties.items() if n == batches], observations, checks, outcome)
    for piece in pieces:
        if piece.height:
            _insert_frame(con, "raw.declared_observations", piece, load_id, relative)
