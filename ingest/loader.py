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
import polars as pl

from expectations.runner import load_suite, validate
from ingest.parsers import parse
from ingest.problems import FileRejected, Problem
from ingest.registry import SourceSpec, load_registry, source_for
from warehouse.meta_schema import ensure_meta

IGNORED_SUFFIXES = {".md", ".txt"}  # notes a data engineer may keep beside the files


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
    """meta.sources mirrors the registry, so the catalogue in the marts follows the specs."""
    con.execute("delete from meta.sources")
    for s in specs:
        con.execute(
            "insert into meta.sources values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [s.id, s.publisher, s.title, s.citation, s.licence, s.url, s.format, s.file_pattern,
             s.target_table, " ".join((s.description or "").split()) or None],
        )


def ensure_raw_table(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> None:
    cols = ", ".join(f'"{name}" {kind}' for name, kind in spec.table_columns)
    con.execute(
        f"create table if not exists {spec.target_table} "
        f"({cols}, load_id varchar not null, source_file varchar not null, source_row integer not null)"
    )


def _check_batch(frame: pl.DataFrame, spec: SourceSpec) -> tuple[list[Problem], list, list[str]]:
    suite = load_suite("ingest", spec.id)
    if suite is None:
        return [], [], []
    results = validate(frame, suite)
    problems, warnings = [], []
    for r in results:
        if r.success:
            continue
        message = f"{r.check_name}: {r.failures} row(s) break the rule. {r.why}"
        if r.severity == "error":
            rows = r.rows or (None,)
            for i, row in enumerate(rows):
                value = r.values[i] if i < len(r.values) else None
                problems.append(Problem(r.check_name, r.why or r.check_name, row=row, column=r.column, value=value))
        else:
            where = f" (lines {', '.join(map(str, r.rows))})" if r.rows else ""
            warnings.append(message + where)
    return problems, results, warnings


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
              run_id: str) -> FileOutcome:
    started = time.perf_counter()
    started_at = _now()
    sha = sha256_of(path)
    size = path.stat().st_size
    load_id = f"{run_id}-{spec.id if spec else 'unmatched'}-{sha[:10]}"
    outcome = FileOutcome(relative, spec.id if spec else None, "rejected", load_id=load_id)

    if spec is not None:
        seen = con.execute(
            "select last_load_id from meta.file_registry where source_file = ? and sha256 = ? and status = 'loaded'",
            [relative, sha],
        ).fetchone()
        if seen:
            outcome.status, outcome.load_id = "unchanged", seen[0]
            con.execute("update meta.file_registry set last_seen = ? where source_file = ? and sha256 = ?",
                        [started_at, relative, sha])
            con.execute("insert into meta.load_log values (?, ?, ?, ?, ?, 'unchanged', 0, ?, ?, ?)",
                        [seen[0], run_id, spec.id, relative, sha, started_at, _now(),
                         "same content as an earlier load: nothing to do"])
            outcome.seconds = time.perf_counter() - started
            return outcome

    results = []
    try:
        if spec is None:
            raise FileRejected([Problem("no_source", "no source spec in ingest/sources/ matches this path; "
                                        "add a spec or move the file to its source's folder")])
        frame = parse(path.read_bytes(), spec)
        problems, results, outcome.warnings = _check_batch(frame, spec)
        if problems:
            raise FileRejected(problems)
        con.begin()
        try:
            batch = frame.with_columns(pl.lit(load_id).alias("load_id"), pl.lit(relative).alias("source_file"))
            con.register("incoming_batch", batch.to_arrow())
            con.execute(f"insert into {spec.target_table} by name select * from incoming_batch")
            con.unregister("incoming_batch")
            _record_quality(con, run_id, load_id, spec.target_table, results)
            finished = _now()
            con.execute("insert into meta.load_log values (?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?)",
                        [load_id, run_id, spec.id, relative, sha, frame.height, started_at, finished,
                         "; ".join(outcome.warnings) or None])
            _register(con, relative, spec.id, sha, size, started_at, "loaded", load_id)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        outcome.status, outcome.rows = "loaded", frame.height
    except FileRejected as rejected:
        outcome.problems = rejected.problems
        _record_rejection(con, outcome, sha, size, started_at, results)
    outcome.seconds = time.perf_counter() - started
    return outcome


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
    run_id = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    files = discover(data_dir)
    outcomes = []
    for i, path in enumerate(files, start=1):
        relative = path.relative_to(data_dir).as_posix()
        outcome = load_file(con, path, relative, source_for(relative, specs), run_id)
        outcomes.append(outcome)
        if report:
            report(i, len(files), outcome)
    return RunSummary(run_id, outcomes)
