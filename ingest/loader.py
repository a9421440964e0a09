"""The generic loader: every file under data/raw/ goes through the same steps.

    find its source spec -> hash -> skip if this exact content is loaded -> parse -> expectations
    -> write raw rows, load log and file registry in ONE transaction

A file is loaded whole or not at all. A rejected file is recorded (meta.rejections, with line,
column and value) and the run goes on with the next file.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.load_paths import parsed_load, streamed_load
from ingest.problems import FileRejected, Problem
from ingest.registry import STREAMING_FORMATS, SourceSpec, load_registry, source_for
from warehouse.meta_schema import ensure_meta

IGNORED_SUFFIXES = {".md", ".txt"}  # notes a data engineer may keep beside the files

# Observations of every source mapped by its spec (ingest/observations.py), in the harmonised form.
DECLARED_OBSERVATIONS_DDL = """
create table if not exists raw.declared_observations (
    source_id varchar not null, indicator_id varchar not null, geo_code varchar not null,
    substance_id varchar not null, sex varchar not null, age_group varchar not null,
    breakdown varchar not null, period_type varchar not null, period_start date not null,
    period_end date not null, value double, value_low double, value_high double,
    qualifier varchar not null, numerator double, denominator double, unit varchar not null,
    is_provisional boolean not null, detail varchar,
    source_row integer not null, source_column integer,
    load_id varchar not null, source_file varchar not null
)
"""


@dataclass
class FileOutcome:
    source_file: str
    source_id: str | None
    status: str                 # loaded / unchanged / rejected
    rows: int = 0
    seconds: float = 0.0
    load_id: str | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class RunSummary:
    run_id: str
    outcomes: list[FileOutcome]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return self.count("rejected") == 0


def discover(data_dir: Path) -> list[Path]:
    return sorted(
        p for p in data_dir.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.suffix not in IGNORED_SUFFIXES
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def sync_sources(con: duckdb.DuckDBPyConnection, specs: list[SourceSpec]) -> None:
    """meta.sources and meta.declared_indicators mirror the registry, so the catalogues in the
    marts follow the specs."""
    con.execute("delete from meta.sources")
    con.execute("delete from meta.declared_indicators")
    for s in specs:
        con.execute(
            "insert into meta.sources by name select ? as source_id, ? as publisher, ? as title, ? as citation, "
            "? as licence, ? as url, ? as format, ? as file_pattern, ? as target_table, ? as description, "
            "? as short_label",
            [s.id, s.publisher, s.title, s.citation, s.licence, s.url, s.format, s.file_pattern,
             s.target_table, " ".join((s.description or "").split()) or s.title, s.label or s.title],
        )
        for ind in s.indicators:
            con.execute(
                "insert into meta.declared_indicators values (?, ?, ?, ?, ?, ?, ?)",
                [ind["indicator_id"], ind["name_nb"], ind["name_en"], ind["unit"], ind.get("definition_en"),
                 s.id, ind.get("suppress_below")],
            )


def declared_indicator_ids(specs: list[SourceSpec]) -> frozenset[str]:
    return frozenset(ind["indicator_id"] for s in specs for ind in s.indicators)


def ensure_raw_table(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> None:
    cols = ", ".join(f'"{name}" {kind}' for name, kind in spec.table_columns)
    con.execute(
        f"create table if not exists {spec.target_table} "
        f"({cols}, load_id varchar not null, source_file varchar not null, source_row integer not null)"
    )


def _record_quality(con, run_id: str, load_id: str, target: str, results) -> None:
    now = _now()
    for r in results:
        details = r.why
        if r.rows:
            details += f" Lines: {', '.join(map(str, r.rows))}."
        con.execute(
            "insert into meta.quality_results values (?, ?, 'ingest', ?, ?, ?, ?, ?, ?, ?)",
            [run_id, load_id, r.check_name, target, r.severity, r.status, r.failures, details, now],
        )


def load_file(con: duckdb.DuckDBPyConnection, path: Path, relative: str, spec: SourceSpec | None,
              run_id: str, extra_indicators: frozenset[str] = frozenset()) -> FileOutcome:
    started = time.perf_counter()
    started_at = _now()
    sha = sha256_of(path)
    size = path.stat().st_size
    load_id = f"{run_id}-{spec.id if spec else 'unmatched'}-{sha[:10]}"
    outcome = FileOutcome(relative, spec.id if spec else None, "rejected", load_id=load_id)

    if spec is not None:
        # Unchanged means: the same bytes as the file's NEWEST loaded version. A file that goes
        # A -> B -> A is loaded again on the way back, so A is the latest vintage again.
        # (duckdb 2.0: a result must be read to its end before the connection does other work.)
        latest = con.execute(
            "select sha256, load_id from meta.load_log where source_file = ? and status = 'loaded' "
            "order by finished_at desc, load_id desc limit 1",
            [relative],
        ).fetchall()
        seen = (latest[0][1],) if latest and latest[0][0] == sha else None
        if seen:
            outcome.status, outcome.load_id = "unchanged", seen[0]
            con.execute("update meta.file_registry set last_seen = ? where source_file = ? and sha256 = ?",
                        [started_at, relative, sha])
            con.execute("insert into meta.load_log values (?, ?, ?, ?, ?, 'unchanged', 0, ?, ?, ?)",
                        [seen[0], run_id, spec.id, relative, sha, started_at, _now(),
                         "same content as an earlier load: nothing to do"])
            outcome.seconds = time.perf_counter() - started
            return outcome

    checks: list = []
    try:
        if spec is None:
            raise FileRejected([Problem("no_source", "no source spec in ingest/sources/ matches this path; "
                                        "add a spec or move the file to its source's folder")])
        write = streamed_load if spec.format in STREAMING_FORMATS else parsed_load
        outcome.rows = write(con, path, spec, load_id, relative, extra_indicators, checks, outcome)
        outcome.status = "loaded"
    except FileRejected as rejected:
        outcome.problems = rejected.problems
        _record_rejection(con, outcome, sha, size, started_at, checks)
        outcome.seconds = time.perf_counter() - started
        return outcome
    _finish_load(con, outcome, spec, run_id, sha, size, started_at, checks)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _finish_load(con, outcome: FileOutcome, spec, run_id, sha, size, started_at, checks) -> None:
    """Bookkeeping in the same transaction as the rows, then commit: all or nothing."""
    try:
        _record_quality(con, run_id, outcome.load_id, spec.target_table, checks)
        con.execute("insert into meta.load_log values (?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?)",
                    [outcome.load_id, run_id, spec.id, outcome.source_file, sha, outcome.rows, started_at, _now(),
                     "; ".join(outcome.warnings) or None])
        _register(con, outcome.source_file, spec.id, sha, size, started_at, "loaded", outcome.load_id)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _register(con, relative, source_id, sha, size, when, status, load_id) -> None:
    con.execute(
        """
        insert into meta.file_registry values (?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (source_file, sha256) do update
           set last_seen = excluded.last_seen, status = excluded.status, last_load_id = excluded.last_load_id
        """,
        [relative, source_id, sha, size, when, when, status, load_id],
    )


def _record_rejection(con, outcome: FileOutcome, sha, size, started_at, results) -> None:
    now = _now()
    con.begin()
    for p in outcome.problems:
        con.execute("insert into meta.rejections values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [outcome.load_id, outcome.source_id, outcome.source_file, p.row, p.column, p.value,
                     p.check, p.reason, now])
    _record_quality(con, outcome.load_id.split("-")[0], outcome.load_id, outcome.source_file, results)
    con.execute("insert into meta.load_log values (?, ?, ?, ?, ?, 'rejected', 0, ?, ?, ?)",
                [outcome.load_id, outcome.load_id.split("-")[0], outcome.source_id, outcome.source_file, sha,
                 started_at, now, outcome.problems[0].describe(outcome.source_file)])
    _register(con, outcome.source_file, outcome.source_id, sha, size, started_at, "rejected", outcome.load_id)
    con.commit()


def run_ingest(con: duckdb.DuckDBPyConnection, data_dir: Path,
               report: Callable[[int, int, FileOutcome], None] | None = None) -> RunSummary:
    ensure_meta(con)
    specs = load_registry()
    sync_sources(con, specs)
    # Every registered source has its raw table, empty until a file loads, so that dbt can build
    # even when a source's only file was rejected.
    for spec in specs:
        ensure_raw_table(con, spec)
    con.execute(DECLARED_OBSERVATIONS_DDL)
    extra_indicators = declared_indicator_ids(specs)
    run_id = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    files = [(path, path.relative_to(data_dir).as_posix()) for path in discover(data_dir)]
    matched = {relative: source_for(relative, specs) for _, relative in files}
    files.sort(key=lambda f: (0 if matched[f[1]] and matched[f[1]].role == "dimension" else 1, f[1]))
    outcomes = []
    for i, (path, relative) in enumerate(files, start=1):
        outcome = load_file(con, path, relative, matched[relative], run_id, extra_indicators)
        outcomes.append(outcome)
        if report:
            report(i, len(files), outcome)
    return RunSummary(run_id, outcomes)
