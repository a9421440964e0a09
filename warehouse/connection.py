"""Opening the warehouse files, and keeping them whole when a run is killed.

The DuckDB Python package (2.0) writes a newer storage format than the DuckDB CLI on PyPI (1.5)
can read. Analysts open the published file with that CLI and with other tools, so every file this
project creates is created in the 1.5 storage format; DuckDB keeps a file's format when it is
reopened, so dbt writing into the same file later does not change it.

Crash safety (a run may be killed at any instruction):

* every file a run writes whole (the seed copy of the published file into build.duckdb, the
  publish copy) is written under a temporary name, flushed to disk and renamed into place, so
  the real name only ever holds a complete file;
* `prepare_build` (called under the run lock, see warehouse/lock.py) removes temporaries a
  killed run left, and checks that build.duckdb opens and is as long as its own header says;
  a broken one is rebuilt from the published file (or from data/raw when there is none);
* changes inside build.duckdb (ingest, dbt) go through DuckDB's write-ahead log, which makes
  them all-or-nothing per transaction.

Readers of the published file: see `open_published_reader`.
"""
from __future__ import annotations

import os
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb

STORAGE_COMPATIBILITY = "v1.5.0"
TEMP_SUFFIX = ".tmp"
# DuckDB's file layout: one file header and two database headers of 4 KiB each, then the blocks.
# Used only as a lower bound on a complete file's size (a shorter file was cut off).
_DUCKDB_HEADER_BYTES = 3 * 4096
# Words in DuckDB's errors that mean "the bytes on disk are not a whole database" (as opposed to
# "someone else has it open" or "no permission", where deleting the file would be wrong).
_CORRUPTION_SIGNS = ("could not read enough bytes", "not a valid duckdb database file", "checksum",
                     "corrupt", "failed to deserialize", "replaying wal", "wal file", "truncated",
                     "serialization error", "unexpected end")


def _fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` survive a power cut (the rename is in the directory's data)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_copy(src: Path, dst: Path) -> None:
    """Copy src to dst so that dst is, at every moment, either absent/old or a complete copy."""
    tmp = dst.with_name(dst.name + TEMP_SUFFIX)
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())
    os.replace(tmp, dst)
    _fsync_dir(dst.parent)


def temporaries(warehouse_dir: Path) -> list[Path]:
    """Temporary files of this project's runs in warehouse_dir (and their DuckDB WALs)."""
    names = []
    for base in ("build.duckdb", "warehouse.duckdb"):
        names += [base + TEMP_SUFFIX, base + TEMP_SUFFIX + ".wal"]
    return [warehouse_dir / n for n in names if (warehouse_dir / n).exists()]


def clean_temporaries(warehouse_dir: Path, out: TextIO | None = None) -> list[Path]:
    """Remove what a killed run left half-written. Call only under the run lock: a live run's
    temporaries are then impossible."""
    removed = []
    for path in temporaries(warehouse_dir):
        path.unlink(missing_ok=True)
        removed.append(path)
    if removed and out is not None:
        print(f"removed {', '.join(p.name for p in removed)} left by an interrupted run", file=out, flush=True)
    return removed


class BuildFileUnusable(RuntimeError):
    """build.duckdb cannot be opened for a reason that deleting it would not fix (a lock, rights)."""


def _looks_corrupt(err: BaseException) -> bool:
    if isinstance(err, duckdb.SerializationException):
        return True
    text = str(err).lower()
    if "lock" in text or "permission" in text:
        return False
    return any(sign in text for sign in _CORRUPTION_SIGNS)


def database_problem(path: Path, read_only: bool = False) -> str | None:
    """Why `path` is not a whole DuckDB database, or None when it is (or seems to be).

    Opening reads the headers and the catalogue; a file cut short behind those is caught by
    comparing its length with the block count the header declares. Reading every block would
    catch more but costs a full scan of tens of millions of rows: too much for every run.
    `read_only` for the published file: readers may have it open, and it is never written."""
    try:
        if read_only:
            con = duckdb.connect(str(path), read_only=True)
        else:
            con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    except duckdb.Error as err:
        if _looks_corrupt(err):
            return f"{err.__class__.__name__}: {err}"
        raise BuildFileUnusable(f"{err}") from err
    try:
        con.execute("select count(*) from duckdb_tables()").fetchall()
        _, _, block_size, total_blocks, *_ = con.execute("pragma database_size").fetchall()[0]
    except duckdb.Error as err:
        if _looks_corrupt(err):
            return f"{err.__class__.__name__}: {err}"
        raise BuildFileUnusable(f"{err}") from err
    finally:
        con.close()
    expected = _DUCKDB_HEADER_BYTES + int(total_blocks) * int(block_size)
    actual = path.stat().st_size
    if actual < expected:
        return f"the file is {actual:,} bytes but its header declares {expected:,} (truncated)"
    return None


def _remove_database(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def prepare_build(build_db: Path, published_db: Path, out: TextIO | None = None) -> None:
    """Make build.duckdb a whole database to continue from. Call only under the run lock.

    * temporaries of killed runs are removed;
    * a build.duckdb that cannot be read is removed, with a message;
    * a missing build.duckdb starts as a copy of the published file (its raw tables and load
      history are state a new build must not forget), or empty when nothing is published: ingest
      then loads everything in data/raw again.
    """
    out = out or sys.stdout
    build_db.parent.mkdir(parents=True, exist_ok=True)
    clean_temporaries(build_db.parent, out)
    if build_db.exists():
        problem = database_problem(build_db)
        if problem is None:
            return
        source = (f"a copy of {published_db.name}" if published_db.exists()
                  else f"the files in data/raw (no {published_db.name} yet)")
        print(f"{build_db.name} is damaged ({problem}), probably by an interrupted run: "
              f"rebuilding it from {source}", file=out, flush=True)
        _remove_database(build_db)
    else:
        # a WAL without its database belongs to a file that is gone: never replay it into a new one
        _remove_database(build_db)
    if published_db.exists():
        problem = database_problem(published_db, read_only=True)
        if problem is not None:  # cannot happen through publish(); someone copied a file by hand?
            print(f"{published_db.name} cannot be read ({problem}): starting {build_db.name} from the files "
                  f"in data/raw instead", file=out, flush=True)
            return
        print(f"starting {build_db.name} from a copy of {published_db.name}", file=out, flush=True)
        atomic_copy(published_db, build_db)


def open_build(path: Path, seed_from: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the build database for writing.

    When the build file is missing but a published warehouse exists, the build starts from a copy
    of it (copied under a temporary name and renamed, so a kill mid-copy leaves no half file).
    Runs go through `prepare_build` first, under the run lock; this is the plain opener."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() and seed_from is not None and seed_from.exists():
        atomic_copy(seed_from, path)
    return duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A short-lived read-only connection: many readers may hold one at once.

    For one-shot processes (checks, scripts). DuckDB hands every connect() to a path that this
    process already has open the same database instance, so a long-lived process would keep
    reading a file that has since been replaced: such processes use open_published_reader."""
    return duckdb.connect(str(path), read_only=True)


# --------------------------------------------------------------------------------------------
# Readers of the published file in a long-lived process (the Dash app)
# --------------------------------------------------------------------------------------------

FileIdentity = tuple[int, int, int, int, int]
ALIAS = "wh"


def file_identity(path: Path) -> FileIdentity:
    """What changes when publish renames a new file over `path`: the inode (a new file), and its
    mtime, ctime and size in case the file system reuses an inode number."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)


@dataclass
class _Instance:
    identity: FileIdentity
    con: duckdb.DuckDBPyConnection
    users: int = 0


_readers: dict[str, _Instance] = {}
_readers_lock = threading.Lock()


def _open_instance(path: Path) -> duckdb.DuckDBPyConnection:
    # duckdb.connect(path) would hand back the instance this process already has for the path
    # (still reading the file that was replaced); an in-memory instance per file identity that
    # ATTACHes the file opens whatever the path names now. Replacement scans are off: a query
    # must never read a Python variable that happens to share a missing view's name.
    con = duckdb.connect(":memory:", config={"python_enable_replacements": False})
    try:
        con.execute(f"attach '{str(path).replace(chr(39), chr(39) * 2)}' as {ALIAS} (read_only)")
    except BaseException:
        con.close()
        raise
    return con


def _release(key: str, inst: _Instance) -> None:
    with _readers_lock:
        inst.users -= 1
        close = inst.users == 0
        if close and _readers.get(key) is inst:
            del _readers[key]
    if close:
        # The last reader is done: close, so an idle app holds no handle on the file (a writer, or
        # a read-write DBeaver session, can open it) and a replaced file's inode can go.
        inst.con.close()


@contextmanager
def open_published_reader(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the file `path` names at the moment of the call.

    Calls that overlap share one DuckDB instance per file identity (inode, mtime, ctime, size),
    each with its own cursor (about 0.5 ms instead of about 20 ms to open the file); the instance
    is closed when its last cursor is, so an idle process holds nothing open. A call checks the
    identity first: once publish has renamed a new file over `path`, a call opens the new file
    even while calls on the old one are still running (they finish on the old file, consistently;
    its instance is closed after them). So a call that starts after publish() returned reads the
    new file.

    Raises FileNotFoundError when there is no file, duckdb.Error when it cannot be opened."""
    key = str(Path(path).absolute())
    with _readers_lock:
        inst = _readers.get(key)
        identity = file_identity(Path(key))
        if inst is None or inst.identity != identity:
            # Opening under the lock: threads arriving meanwhile wait for this one open (~20 ms)
            # and share it, instead of each opening the file themselves.
            for _ in range(5):
                con = _open_instance(Path(key))
                after = file_identity(Path(key))
                if after == identity:
                    break
                # replaced again between stat and attach: we may hold either file, so look again
                con.close()
                identity = after
            else:
                raise duckdb.IOException(f"{key} keeps being replaced; try again")
            # an instance of a replaced file is no longer handed out; its running calls close it
            inst = _readers[key] = _Instance(identity, con)
        inst.users += 1
        try:
            cur = inst.con.cursor()
        except BaseException:
            inst.users -= 1
            raise
    try:
        try:
            cur.execute(f"use {ALIAS}")  # so queries name publish.x, meta.x as in the file itself
            yield cur
        finally:
            cur.close()
    finally:
        _release(key, inst)


def open_reader_count() -> int:
    """How many reader instances this process has open (tests: an idle process has none)."""
    with _readers_lock:
        return len(_readers)
