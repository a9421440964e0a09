"""The generic loader: every file under data/raw/ goes through the same steps.

    find its source spec -> hash -> skip if this exact content is loaded -> parse -> expectations
    -> write raw rows, load log and file registry in ONE transaction

A file is loaded whole or not at all. A rejected file is recorded (meta.rejections, with line,
column and value) and the run goes on with the next file.

Across the files of a source, a key (the spec's `key:`) counts once. A file that repeats a key of
another *active* file of its source (active: the newest loaded version of a file still on disk) is
rejected, naming both files, unless the spec says which file wins (`supersedes: by_file_name` or
`by_load_order`): then meta.superseded_rows lists the losing rows and staging leaves them out.
A file that disappears from data/raw gets a `removed` event: its rows stop being current.
"""
from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.load_paths import parsed_load, streamed_load
from ingest.problems import FileRejected, Problem, SpecError
from ingest.registry import SPEC_DIR, STREAMING_FORMATS, SourceSpec, load_registry_report, source_for
from warehouse.meta_schema import ensure_meta, record_check

IGNORED_SUFFIXES = {".md", ".txt"}  # notes a data engineer may keep beside the files
# a folder with one of these endings was meant to be a file (`x.csv/`): reported, not descended into
DATA_SUFFIXES = {".csv", ".gz", ".xlsx", ".json", ".tsv", ".zst", ".zip"}
REMOVED_MESSAGE = "removed since the last run, its rows leave the marts at the next build"

# The active load of each file of a source: its newest `loaded` load, unless a later `removed`
# event ended it. A rejected run does not end it (the earlier version stays published); run_id
# is a microsecond timestamp and a file has one event per run, so it orders a file's history.
ACTIVE_LOADS_SQL = """
    select load_id, source_file, run_id from (
        select load_id, source_file, run_id, status,
               row_number() over (partition by source_file order by run_id desc, finished_at desc) as recency
        from meta.load_log
        where source_id = ? and status in ('loaded', 'removed')
    ) as history
    where recency = 1 and status = 'loaded'
"""

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
    status: str                 # loaded / unchanged / rejected / removed
    rows: int = 0
    seconds: float = 0.0
    load_id: str | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # one line for a person, for outcomes whose status alone says too little (removed)
    note: str | None = None


class DataDirMissing(SpecError):
    """data/raw (TRENDVAKT_DATA_DIR) is not a folder: refusing to run, because every file ingest
    knows would otherwise count as removed and leave the marts."""


@dataclass(frozen=True)
class Found:
    """An entry under data/raw that ingest must give a verdict on."""
    path: Path
    relative: str                      # as stored in meta; bytes that are not UTF-8 shown as \\xNN
    refusal: Problem | None = None     # set when the entry cannot be a data file at all


@dataclass
class RunSummary:
    run_id: str
    outcomes: list[FileOutcome]
    spec_errors: list[SpecError] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return self.count("rejected") == 0 and not self.spec_errors


def _printable(relative: str) -> str:
    """The path as text that can be stored and printed: undecodable bytes of a non-UTF-8 name
    (which Python keeps as lone surrogates) become \\xNN."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def _refusal(path: Path, root: Path, relative: str) -> Problem | None:
    """Why this entry cannot be read as a data file, or None. Nothing here opens the file, so a
    named pipe cannot block the run."""
    if relative != _printable(relative):
        return Problem("file_name_not_utf8", "the file name is not valid UTF-8 (shown with \\x escapes): "
                       "rename the file so its name can be recorded and traced")
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return Problem("broken_symlink", f"the symbolic link points to {os.readlink(path)}, which does not exist")
        except (OSError, RuntimeError) as err:  # a loop: RuntimeError before Python 3.13, then OSError ELOOP
            why = (getattr(err, "strerror", None) if isinstance(err, OSError) and err.errno != errno.ELOOP
                   else "it leads back to itself (a loop of links)")
            return Problem("unreadable_file", f"the symbolic link cannot be followed: {why or err}")
        if not target.is_relative_to(root):
            return Problem("symlink_outside_data_dir",
                           f"the symbolic link points outside data/raw (to {target}): refused; copy the file into "
                           "data/raw so that what was loaded stays where it can be checked")
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return Problem("unreadable_file", f"the file cannot be read: {err.strerror or err}")
    if stat.S_ISDIR(mode):
        return Problem("not_a_file", "this is a folder named like a data file: put the data file itself here")
    if not stat.S_ISREG(mode):
        kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        return Problem("not_a_file", f"this is {kind}, not a regular file: refused")
    return None


def discover(data_dir: Path, specs: list[SourceSpec] = ()) -> list[Found]:
    """Every entry under data_dir that ingest gives a verdict on, in path order: regular files,
    and entries that look like data files but cannot be read as one (each with its refusal).
    Hidden entries and notes (.md, .txt) are skipped; symbolic links to folders are not followed."""
    root = data_dir.resolve()
    found: list[Found] = []

    def visit(folder: Path) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: os.fsencode(e.name))
        except OSError as err:
            relative = _printable(folder.relative_to(data_dir).as_posix())
            found.append(Found(folder, relative, Problem("unreadable_file", f"the folder cannot be listed: {err.strerror or err}")))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            relative = path.relative_to(data_dir).as_posix()
            if entry.is_dir(follow_symlinks=False):
                if Path(entry.name).suffix.lower() in DATA_SUFFIXES or any(s.matches(relative) for s in specs):
                    found.append(Found(path, _printable(relative), _refusal(path, root, relative)))
                else:
                    visit(path)
                continue
            if path.suffix in IGNORED_SUFFIXES:
                continue
            found.append(Found(path, _printable(relative), _refusal(path, root, relative)))

    visit(data_dir)
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def sync_sources(con: duckdb.DuckDBPyConnection, specs: list[SourceSpec], keep: frozenset[str] = frozenset()) -> None:
    """meta.sources and meta.declared_indicators/_geographies/_substances mirror the registry, so the
    catalogues in the marts follow the specs. `keep`: ids of sources whose spec is broken this run:
    their rows stay as the last good spec wrote them, since their earlier loads stay published."""
    held = sorted(keep) or [""]
    for table in ("sources", "declared_indicators", "declared_geographies", "declared_substances"):
        con.execute(f"delete from meta.{table} where source_id not in (select unnest(?))", [held])
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
        for geo in s.geographies:
            con.execute(
                "insert into meta.declared_geographies values (?, ?, ?, ?, ?, ?, ?, ?)",
                [geo["code"], geo["level"], geo["name_nb"], geo["name_en"], geo.get("parent"),
                 geo.get("valid_from"), geo.get("valid_to"), s.id],
            )
        for sub in s.substances:
            con.execute(
                "insert into meta.declared_substances values (?, ?, ?, ?, ?, ?)",
                [sub["substance_id"], sub.get("parent"), sub.get("group"), sub["name_nb"], sub["name_en"], s.id],
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
        # the rule in both languages and the offending lines apart, so the Data quality view writes
        # "1 row breaks the rule (line 3)" in the page's language
        record_check(con, run_id, load_id, "ingest", r.check_name, target, r.severity, r.status, r.failures, r.why,
                     now, details_nb=r.why_nb, source_rows=r.rows)


def _load_id(run_id: str, spec: SourceSpec | None, sha: str, relative: str) -> str:
    # The path's hash keeps two files of one run apart even when their bytes are the same (a copy
    # saved under another name): each load must have its own rows to compare and to supersede.
    where = hashlib.sha256(relative.encode("utf-8")).hexdigest()[:6]
    return f"{run_id}-{spec.id if spec else 'unmatched'}-{(sha or 'unread')[:10]}-{where}"


def load_file(con: duckdb.DuckDBPyConnection, path: Path, relative: str, spec: SourceSpec | None,
              run_id: str, extra_indicators: frozenset[str] = frozenset(),
              refusal: Problem | None = None, force: bool = False) -> FileOutcome:
    """Load one file as a new vintage, or record it unchanged: same bytes AND same spec as its
    newest loaded version. force=True (`make ingest FORCE=source_id`) reloads it regardless."""
    started = time.perf_counter()
    started_at = _now()
    sha, size = "", 0   # stay empty for an entry whose content could not be read
    if refusal is None:
        try:
            size = path.stat().st_size
            sha = sha256_of(path)
        except OSError as err:  # permissions, a file that vanished, an I/O error: a verdict, not a traceback
            refusal = Problem("unreadable_file", f"the file cannot be read: {err.strerror or err}")
    if refusal is None and size == 0:
        refusal = Problem("empty_file", "the file is empty (0 bytes): nothing to load")
    load_id = _load_id(run_id, spec, sha, relative)
    outcome = FileOutcome(relative, spec.id if spec else None, "rejected", load_id=load_id)

    if spec is not None and refusal is None:
        # Unchanged means: the same bytes as the file's NEWEST loaded version, still current. A
        # file that goes A -> B -> A is loaded again on the way back, so A is the latest vintage
        # again; so is a file that was removed and put back.
        # (duckdb 2.0: a result must be read to its end before the connection does other work.)
        latest = con.execute(
            "select sha256, load_id, status from meta.load_log where source_file = ? "
            "and status in ('loaded', 'removed') order by run_id desc, finished_at desc limit 1",
            [relative],
        ).fetchall()
        seen = (latest[0][1],) if latest and latest[0][2] == "loaded" and latest[0][0] == sha else None
        fingerprint = spec.fingerprint
        if seen and force:
            outcome.warnings.append(f"reloaded on request (FORCE={spec.id}): same content as load {seen[0]}")
            seen = None
        if seen:
            earlier = con.execute("select spec_sha256 from meta.load_log where load_id = ? and status = 'loaded'",
                                  [seen[0]]).fetchall()
            if not earlier or earlier[0][0] is None:
                # a load made before spec fingerprints were kept: its spec is taken to be today's,
                # recorded so that the next edit of the spec is noticed
                con.execute("update meta.load_log set spec_sha256 = ? where load_id = ? and status = 'loaded'",
                            [fingerprint, seen[0]])
            elif earlier[0][0] != fingerprint:
                name = spec.spec_path.name if spec.spec_path else spec.id
                outcome.warnings.append(f"reloaded: its spec {name} changed since load {seen[0]}")
                seen = None
        if seen:
            outcome.status, outcome.load_id = "unchanged", seen[0]
            con.execute("update meta.file_registry set last_seen = ? where source_file = ? and sha256 = ?",
                        [started_at, relative, sha])
            con.execute("insert into meta.load_log values (?, ?, ?, ?, ?, 'unchanged', 0, ?, ?, ?, ?)",
                        [seen[0], run_id, spec.id, relative, sha, started_at, _now(),
                         "same content as an earlier load: nothing to do", fingerprint])
            outcome.seconds = time.perf_counter() - started
            return outcome

    checks: list = []
    try:
        if refusal is not None:
            raise FileRejected([refusal])
        if spec is None:
            raise FileRejected([Problem("no_source", "no source spec in ingest/sources/ matches this path; "
                                        "add a spec or move the file to its source's folder")])
        write = streamed_load if spec.format in STREAMING_FORMATS else parsed_load
        try:
            outcome.rows = write(con, path, spec, load_id, relative, extra_indicators, checks, outcome)
        except OSError as err:  # the file became unreadable while it was read (both paths roll back)
            raise FileRejected([Problem("unreadable_file", f"the file cannot be read: {err.strerror or err}")]) from None
        outcome.status = "loaded"
        try:
            repeated = _repeated_keys(con, spec, load_id, relative)
        except BaseException:
            con.rollback()  # never leave the written rows in an open transaction
            raise
        if repeated and not spec.supersedes:
            con.rollback()  # the rows written above must not stay: the file is rejected whole
            raise FileRejected(repeated)
    except FileRejected as rejected:
        outcome.status, outcome.rows = "rejected", 0
        outcome.problems = rejected.problems
        _record_rejection(con, outcome, sha, size, started_at, checks)
        outcome.seconds = time.perf_counter() - started
        return outcome
    _finish_load(con, outcome, spec, run_id, sha, size, started_at, checks)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _key_text(alias: str, spec: SourceSpec) -> str:
    parts = ", ".join(f"coalesce(cast({alias}.\"{k}\" as varchar), 'NULL')" for k in spec.key)
    return f"concat_ws(', ', {parts})"


def _key_match(left: str, right: str, spec: SourceSpec) -> str:
    # NULL key cells are equal to each other here, as they are for a group by
    return " and ".join(f'{left}."{k}" is not distinct from {right}."{k}"' for k in spec.key)


def _repeated_keys(con, spec: SourceSpec, load_id: str, relative: str, sample: int = 5) -> list[Problem]:
    """Rows of this load (written, not yet committed) whose key is also in another active file of
    the source. One hash join on the key columns, restricted to the active loads, so it stays
    cheap for sources of millions of rows."""
    if not spec.key:
        return []
    keys = ", ".join(spec.key)
    rows = con.execute(f"""
        with others as (
            select load_id, source_file from ({ACTIVE_LOADS_SQL}) as active where source_file <> ?
        )
        select others.source_file, n.source_row, o.source_row, {_key_text('n', spec)} as key_values,
               count(distinct n.source_row) over () as repeats
        from {spec.target_table} as n
        join {spec.target_table} as o on {_key_match('n', 'o', spec)}
        join others on o.load_id = others.load_id
        where n.load_id = ?
        order by n.source_row, others.source_file, o.source_row
        limit {sample}
    """, [spec.id, relative, load_id]).fetchall()
    problems = []
    for other_file, line, other_line, key_values, repeats in rows:
        problems.append(Problem(
            "key_repeated_across_files",
            f"the key ({keys}) = ({key_values}) is already loaded from {other_file}, line {other_line}, a current "
            f"file of {spec.id}; {repeats} row(s) of this file repeat keys of other files. Both loaded would count "
            "them twice: remove the repeated rows or one of the files, or declare in the source's spec which "
            "file wins (supersedes: by_file_name or supersedes: by_load_order)",
            row=line, column=keys, value=key_values))
    return problems


def refresh_superseded(con, spec: SourceSpec) -> None:
    """Recompute meta.superseded_rows for a source when its set of active loads or its rule has
    changed (meta.supersede_state holds what they were). Runs inside the caller's transaction.

    Among the rows of the active loads that share a key, the row of the winning load counts and
    the others are superseded: by_file_name, the file whose path sorts last wins; by_load_order,
    the latest load (run, then path: the order ingest loads files in) wins."""
    active = con.execute(ACTIVE_LOADS_SQL + " order by load_id", [spec.id]).fetchall()
    signature = f"{spec.supersedes}|" + ",".join(load_id for load_id, _, _ in active)
    state = con.execute("select signature from meta.supersede_state where source_id = ?", [spec.id]).fetchall()
    if (state and state[0][0] == signature) or (not state and not spec.supersedes):
        return
    con.execute("delete from meta.superseded_rows where source_id = ?", [spec.id])
    con.execute("delete from meta.supersede_state where source_id = ?", [spec.id])
    if not spec.supersedes:
        return
    keys = ", ".join(f'"{k}"' for k in spec.key)
    has_column = "source_column" in [name for name, _ in spec.table_columns]
    order = "source_file desc" if spec.supersedes == "by_file_name" else "run_id desc, source_file desc"
    now = _now()
    con.execute(f"""
        insert into meta.superseded_rows
        with active as ({ACTIVE_LOADS_SQL}),
        candidates as (
            select t.load_id, active.source_file, active.run_id, t.source_row,
                   {"t.source_column" if has_column else "cast(null as integer)"} as source_column,
                   {_key_text('t', spec)} as key_values, {", ".join(f't."{k}"' for k in spec.key)}
            from {spec.target_table} as t join active on t.load_id = active.load_id
        ),
        contested as (
            select {keys} from candidates group by {keys} having min(load_id) <> max(load_id)
        ),
        ranked as (
            select candidates.*,
                   first_value(load_id) over w as winner_load_id,
                   first_value(source_file) over w as winner_file,
                   first_value(source_row) over w as winner_row
            from candidates join contested on {_key_match('candidates', 'contested', spec)}
            window w as (partition by {", ".join(f'candidates."{k}"' for k in spec.key)}
                         order by {order}, source_row)
        )
        select ? as source_id, load_id, source_file, source_row, source_column, key_values,
               winner_load_id, winner_file, winner_row, ? as rule, ? as computed_at
        from ranked
        where load_id <> winner_load_id
    """, [spec.id, spec.id, spec.supersedes, now])
    con.execute("insert into meta.supersede_state values (?, ?, ?, ?)", [spec.id, spec.supersedes, signature, now])


def _finish_load(con, outcome: FileOutcome, spec, run_id, sha, size, started_at, checks) -> None:
    """Bookkeeping in the same transaction as the rows, then commit: all or nothing."""
    try:
        _record_quality(con, run_id, outcome.load_id, spec.target_table, checks)
        con.execute("insert into meta.load_log values (?, ?, ?, ?, ?, 'loaded', ?, ?, ?, ?, ?)",
                    [outcome.load_id, run_id, spec.id, outcome.source_file, sha, outcome.rows, started_at, _now(),
                     "; ".join(outcome.warnings) or None, spec.fingerprint])
        _register(con, outcome.source_file, spec.id, sha, size, started_at, "loaded", outcome.load_id)
        # the load just logged is now its file's active load: which rows count is decided before commit
        refresh_superseded(con, spec)
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


# named columns: a file made before reason_nb was appended takes the same insert once migrated
REJECTION_INSERT = ("insert into meta.rejections (load_id, source_id, source_file, source_row, source_column, value, "
                    "check_name, reason, recorded_at, reason_nb) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _record_rejection(con, outcome: FileOutcome, sha, size, started_at, results) -> None:
    now = _now()
    con.begin()
    for p in outcome.problems:
        con.execute(REJECTION_INSERT, [outcome.load_id, outcome.source_id, outcome.source_file, p.row, p.column,
                                       p.value, p.check, p.reason, now, p.reason_nb])
    _record_quality(con, outcome.load_id.split("-")[0], outcome.load_id, outcome.source_file, results)
    con.execute("insert into meta.load_log values (?, ?, ?, ?, ?, 'rejected', 0, ?, ?, ?, null)",
                [outcome.load_id, outcome.load_id.split("-")[0], outcome.source_id, outcome.source_file, sha,
                 started_at, now, outcome.problems[0].describe(outcome.source_file)])
    _register(con, outcome.source_file, outcome.source_id, sha, size, started_at, "rejected", outcome.load_id)
    con.commit()


def record_removals(con, on_disk: set[str], run_id: str, specs: list[SourceSpec]) -> list[FileOutcome]:
    """A file ingest has a verdict on (loaded, unchanged or rejected) that is no longer under
    data/raw gets a `removed` event: its rows stop being current (stg_meta__load_log ends its load
    there) and its history stays. Each removal commits on its own, with the superseded rows of
    its source recomputed."""
    latest = con.execute("""
        select source_file, source_id, sha256, load_id from (
            select *, row_number() over (partition by source_file order by run_id desc, finished_at desc) as recency
            from meta.load_log
        ) as history
        where recency = 1 and status <> 'removed'
        order by source_file
    """).fetchall()
    by_id = {s.id: s for s in specs}
    outcomes = []
    for source_file, source_id, sha, load_id in latest:
        if source_file in on_disk:
            continue
        now = _now()
        con.begin()
        try:
            con.execute("insert into meta.load_log values (?, ?, ?, ?, ?, 'removed', 0, ?, ?, ?, null)",
                        [load_id, run_id, source_id, source_file, sha, now, now, REMOVED_MESSAGE])
            con.execute("update meta.file_registry set status = 'removed' where source_file = ?", [source_file])
            if source_id in by_id:
                refresh_superseded(con, by_id[source_id])
            con.commit()
        except BaseException:
            con.rollback()
            raise
        outcomes.append(FileOutcome(source_file, source_id, "removed", load_id=load_id,
                                    note=f"{source_file}: {REMOVED_MESSAGE}"))
    return outcomes


class UnknownSource(SpecError):
    """FORCE named a source id that no spec has."""


def run_ingest(con: duckdb.DuckDBPyConnection, data_dir: Path,
               report: Callable[[int, int, FileOutcome], None] | None = None,
               force: frozenset[str] = frozenset()) -> RunSummary:
    if not data_dir.is_dir():
        raise DataDirMissing(f"the data folder {data_dir} does not exist or is not a folder "
                             "(TRENDVAKT_DATA_DIR); nothing was changed")
    ensure_meta(con)
    specs, broken = load_registry_report()
    spec_errors = [b.error for b in broken]
    known = {s.id for s in specs} | {b.source_id for b in broken if b.source_id}
    unknown = sorted(force - known)
    if unknown:
        raise UnknownSource(f"FORCE names no source: {', '.join(unknown)} (sources: {', '.join(sorted(known))})")
    sync_sources(con, specs, keep=frozenset(b.source_id for b in broken if b.source_id))
    # Every registered source has its raw table, empty until a file loads, so that dbt can build
    # even when a source's only file was rejected.
    for spec in specs:
        ensure_raw_table(con, spec)
    con.execute(DECLARED_OBSERVATIONS_DDL)
    extra_indicators = declared_indicator_ids(specs)
    run_id = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    found = discover(data_dir, specs)
    removed = record_removals(con, {f.relative for f in found}, run_id, specs)
    # a spec whose rule changed (or a run that crashed before its refresh) is brought up to date
    for spec in specs:
        con.begin()
        try:
            refresh_superseded(con, spec)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    matched, held_back = {}, {}
    for f in found:
        try:
            matched[f.relative] = source_for(f.relative, specs)
        except SpecError as err:  # two specs claim the file: neither loads it until one is narrowed
            spec_errors.append(err)
            matched[f.relative], held_back[f.relative] = None, str(err).split(":")[0]
            continue
        owner = next((b for b in broken if b.matches(f.relative)), None)
        if matched[f.relative] is None and owner is not None:
            held_back[f.relative] = owner.spec_path.name
    _record_spec_errors(con, run_id, spec_errors)
    found.sort(key=lambda f: (0 if matched[f.relative] and matched[f.relative].role == "dimension" else 1, f.relative))
    total = len(removed) + len(found)
    outcomes = []
    for i, outcome in enumerate(removed, start=1):
        outcomes.append(outcome)
        if report:
            report(i, total, outcome)
    for i, f in enumerate(found, start=len(removed) + 1):
        if f.relative in held_back:
            # its spec is broken: the file waits, and its earlier load (if any) stays published
            outcome = FileOutcome(f.relative, None, "held_back",
                                  note=f"{f.relative}: not loaded: its spec {held_back[f.relative]} is invalid")
            outcomes.append(outcome)
            if report:
                report(i, total, outcome)
            continue
        spec = matched[f.relative]
        outcome = load_file(con, f.path, f.relative, spec, run_id, extra_indicators, f.refusal,
                            force=spec is not None and spec.id in force)
        outcomes.append(outcome)
        if report:
            report(i, total, outcome)
    return RunSummary(run_id, outcomes, spec_errors)


def spec_label(err: SpecError) -> str:
    """The spec as a person finds it: its path under the repository, else its file name."""
    path = err.spec_path
    if path is None:
        return "spec"
    try:
        return Path(path).resolve().relative_to(SPEC_DIR.parent.parent).as_posix()
    except ValueError:
        return str(path)


def _record_spec_errors(con, run_id: str, errors: list[SpecError]) -> None:
    """Each spec error in meta.rejections (check_name spec_error), beside the files' rejections."""
    if not errors:
        return
    now = _now()
    con.begin()
    for err in errors:
        # the source id the spec gives itself, else its file name: publish.rejections names a source
        source_id = err.source_id or (Path(err.spec_path).stem if err.spec_path else "spec")
        con.execute(REJECTION_INSERT, [f"{run_id}-spec", source_id, spec_label(err), None, err.key, None,
                                       "spec_error", str(err), now, None])
    con.commit()
