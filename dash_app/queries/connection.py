"""Connecting to the published warehouse, the cache of query results, and the errors a page shows.

One reader a request: inside a Flask request on a server that went through `install(server)`, the
first look-up pins the request to the published file as it is then (a file descriptor, see
EAGER_REQUEST_READER), the first cache miss opens one read-only cursor on that file (warehouse/
connection.py, `open_published_reader`) and every further query of that request uses it; both are
closed at request teardown, so an idle app holds no handle on the file. Outside a request (tests,
scripts) each top-level query function opens a short-lived reader and closes it before returning.

Cache: every public query function is memoised (`cached`) on its arguments and the identity of the
published file (device, inode, mtime, ctime, size). Publishing renames a new file over the old one
(os.replace), which changes the identity: the next look-up misses and reads the new file, and the
entries of the old file are dropped at once. A request keys its look-ups by the identity of the file
its reader has open, so a request never mixes the answers of two files, and a request that starts
after a publish reads the new file. Results are copied on the way out: callers may mutate them.

Instrumentation: `stats()` counts, for the current thread, the time spent inside DuckDB
(execute/df/fetchall), readers opened, cache hits and misses; `reset_stats()` zeroes it (bench/).
"""
from __future__ import annotations

import copy
import functools
import inspect
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dash_app import config

# How a request is pinned to one file. False (the default): at its first look-up the request opens a
# plain file descriptor on the published file (microseconds) and keys every look-up by that file's
# identity; DuckDB is opened only on a cache miss, on the path when it still names the pinned file,
# else on the descriptor (/proc/self/fd/N reads the replaced file's inode): a request never mixes two
# files, and a warm request skips the ~20-35 ms of creating and closing a DuckDB instance (duckdb 2.0
# here: connect 17-20 ms, close 4 ms), most of a cached callback's server time. True opens the reader
# at the first look-up even when every answer is cached (the earlier behaviour).
# tests/app/test_injection.py empties the cache so that each page it renders runs its SQL.
EAGER_REQUEST_READER = False
CACHE_SIZE = 512  # entries (results of one file); the largest frames are a few thousand rows
_G_KEY = "_trendvakt_reader"
_EXTENSION = "trendvakt_queries"


# --------------------------------------------------------------------------------------------
# Errors: messages for the people planning with the data (the pages translate them)
# --------------------------------------------------------------------------------------------

class WarehouseUnavailable(RuntimeError):
    """The published warehouse is missing, incomplete or cannot be opened right now.

    `str(exc)` is for planners; `exc.detail` says what went wrong technically (for logs)."""

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail


class NotYetPublished(WarehouseUnavailable):
    """A publish view the app can use (docs/contracts.md, "Planned") is not in this warehouse yet."""

    def __init__(self, view: str):
        self.view = view
        super().__init__(f"publish.{view} is not yet published; it appears after a later data update.",
                         detail=f"publish.{view} is missing from {config.warehouse_path()}")


UPDATING = "The data are being updated; try again in a minute."
NOTHING_PUBLISHED = "No data have been published yet."
INCOMPLETE = "Some of the published data are missing; try again after the next data update."


def _path() -> Path:
    return config.warehouse_path()


# --------------------------------------------------------------------------------------------
# Counters (per thread: a Flask request runs in one thread)
# --------------------------------------------------------------------------------------------

@dataclass
class Stats:
    duckdb_seconds: float = 0.0  # inside execute/df/fetchall
    connect_seconds: float = 0.0  # opening readers
    queries: int = 0
    connections: int = 0
    hits: int = 0
    misses: int = 0
    # (sql, params) of every statement run, in order, when asked for (reset_stats(record=True), the
    # bench): a server thread's counters live as long as the thread, so they do not keep SQL by default
    record: bool = False
    statements: list = field(default_factory=list)


_local = threading.local()


def stats() -> Stats:
    """The counters of the current thread (live object: read its fields after the work)."""
    s = getattr(_local, "stats", None)
    if s is None:
        s = _local.stats = Stats()
    return s


def reset_stats(record: bool = False) -> Stats:
    """Zero the current thread's counters; returns the fresh object. `record`: keep the statements."""
    _local.stats = Stats(record=record)
    return _local.stats


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------

def _identity(path: Path):
    from warehouse.connection import file_identity

    try:
        return file_identity(path)
    except FileNotFoundError as exc:
        raise WarehouseUnavailable(NOTHING_PUBLISHED, detail=f"no file at {path}") from exc
    except OSError as exc:
        raise WarehouseUnavailable(UPDATING, detail=f"{path}: {exc}") from exc


def _identity_of(st: os.stat_result):
    # the same fields, in the same order, as warehouse.connection.file_identity
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)


_FD_DIR = Path("/proc/self/fd")  # Linux: opening /proc/self/fd/N opens the inode N has open


class _Reader:
    """One scope of reading (a request, or one top-level call outside a request): the file's
    identity, and a cursor on that file opened on first need.

    A pinned reader (a request's) holds a file descriptor on the file from its first look-up, so the
    cursor it opens later reads that file even when publish has renamed another over the path."""

    def __init__(self, path: Path, pinned: bool = False):
        self.path = path
        self.pinned = pinned
        self.identity = None
        self.con: duckdb.DuckDBPyConnection | None = None
        self._stack = ExitStack()
        self._fd: int | None = None

    def key_identity(self):
        """The identity cache keys of this scope use: the pinned or open file, else the file now."""
        if self.identity is None:
            if self.pinned:
                self._pin()
            else:
                self.identity = _identity(self.path)
        return self.identity

    def _pin(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError as exc:
            raise WarehouseUnavailable(NOTHING_PUBLISHED, detail=f"no file at {self.path}") from exc
        except OSError as exc:
            raise WarehouseUnavailable(UPDATING, detail=f"{self.path}: {exc}") from exc
        self._fd = fd
        self.identity = _identity_of(os.fstat(fd))

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self.con is None:
            self._open()
        return self.con

    def _open(self) -> None:
        start = time.perf_counter()
        if self.identity is None:  # not pinned yet: whatever the path names now
            self.con, self.identity = self._open_path(self.path)
        else:
            con, identity = self._open_path(self.path)
            if identity != self.identity:  # publish replaced the file after this scope's first look-up
                self._stack.close()
                self._stack = ExitStack()
                pinned = _FD_DIR / str(self._fd) if self._fd is not None else None
                if pinned is None or not pinned.exists():
                    raise WarehouseUnavailable(UPDATING, detail=f"{self.path} was replaced during the request")
                con, identity = self._open_path(pinned)
                # the same inode (unlinking it by the rename changed its ctime, so not the whole identity);
                # cannot differ: the descriptor holds the inode
                if identity[:2] != self.identity[:2]:
                    raise WarehouseUnavailable(UPDATING, detail=f"{pinned} is not the pinned file")
            self.con = con
        s = stats()
        s.connections += 1
        s.connect_seconds += time.perf_counter() - start

    def _open_path(self, path: Path):
        """(cursor, identity of the file it reads), the cursor's closing pushed on self._stack."""
        from warehouse.connection import open_published_reader

        if not path.is_file():
            raise WarehouseUnavailable(NOTHING_PUBLISHED, detail=f"no file at {path}")
        for _ in range(5):
            before = _identity(path)
            stack = ExitStack()
            try:
                con = stack.enter_context(open_published_reader(path))
            except (duckdb.Error, OSError) as exc:  # being replaced, or not a DuckDB file
                stack.close()
                raise WarehouseUnavailable(UPDATING, detail=f"{path}: {exc.__class__.__name__}: {exc}") from exc
            # open_published_reader looked at the file between these two looks: when both agree,
            # the cursor reads the file of that identity.
            if _identity(path) == before:
                self._stack.enter_context(stack)
                return con, before
            stack.close()
        raise WarehouseUnavailable(UPDATING, detail=f"{path} keeps being replaced")

    def close(self) -> None:
        self.con = None
        try:
            self._stack.close()
        finally:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _request_reader() -> _Reader | None:
    """The reader of the current Flask request, when there is one and the server was installed."""
    try:
        from flask import current_app, g, has_request_context
    except ImportError:  # pragma: no cover - Flask comes with Dash
        return None
    if not has_request_context() or not current_app.extensions.get(_EXTENSION):
        return None
    reader = g.get(_G_KEY)
    path = _path()
    if reader is None or reader.path != path:
        if reader is not None:  # the warehouse setting changed mid-request (tests): start over
            reader.close()
        reader = _Reader(path, pinned=not EAGER_REQUEST_READER)
        setattr(g, _G_KEY, reader)
        if EAGER_REQUEST_READER:
            reader.connection()  # pin the request to the file as it is now
    return reader


def _close_request_reader(_exc=None) -> None:
    from flask import g

    reader = g.pop(_G_KEY, None)
    if reader is not None:
        reader.close()


def install(server) -> None:
    """Give every request of this Flask server one reader, closed at request teardown. Idempotent.
    Without it the app still works, with one short-lived reader per query function."""
    if server.extensions.get(_EXTENSION):
        return
    server.extensions[_EXTENSION] = True
    server.teardown_request(_close_request_reader)


@contextmanager
def _scope() -> Iterator[_Reader]:
    """The reader to use now: the request's, an enclosing call's (outside a request), or a new one
    closed when the outermost call returns."""
    reader = _request_reader()
    if reader is not None:
        yield reader
        return
    reader = getattr(_local, "reader", None)
    if reader is not None and reader.path == _path():
        yield reader
        return
    reader = _Reader(_path())
    _local.reader = reader
    try:
        yield reader
    finally:
        _local.reader = None
        reader.close()


@contextmanager
def _connect() -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the published file: the request's reader inside a request, else a
    short-lived one (on the file as published at the moment of the call)."""
    reader = _request_reader()
    if reader is not None:
        yield reader.connection()
        return
    reader = _Reader(_path())
    try:
        yield reader.connection()
    finally:
        reader.close()


# --------------------------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------------------------

class _Cache:
    """A bounded LRU of results of one file identity at a time: storing a result of another file
    drops everything else (publish replaced the file)."""

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict = OrderedDict()
        self._identity = None
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return default

    def put(self, key, identity, value) -> None:
        with self._lock:
            if identity != self._identity:
                self._data.clear()
                self._identity = identity
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._identity = None

    def __len__(self) -> int:
        return len(self._data)


CACHE = _Cache(CACHE_SIZE)
_MISSING = object()


def clear_cache() -> None:
    CACHE.clear()


def _freeze(value):
    """A hashable stand-in for an argument (lists and tuples alike); TypeError when there is none."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_freeze(v) for v in value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _freeze(value.item())
    hash(value)
    return value


def _copy(value):
    """A copy the caller may change without changing the cached value (copy.deepcopy of names()
    cost ~5 ms; this walk costs ~0.2 ms)."""
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=True)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, set):
        return set(value)
    if isinstance(value, (str, bytes, int, float, bool, type(None), tuple, frozenset)):
        return value
    return copy.deepcopy(value)


def cached(fn: Callable) -> Callable:
    """Memoise a query function on (its name, its arguments, the published file's identity)."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        # one pass over one-shot iterators (generators): the key and the call see the same values
        arguments = {k: (list(v) if isinstance(v, Iterator) else v) for k, v in bound.arguments.items()}
        try:
            frozen = tuple((k, _freeze(v)) for k, v in arguments.items())
        except TypeError:
            frozen = None
        with _scope() as reader:
            if frozen is None:
                return fn(**arguments)
            identity = reader.key_identity()
            value = CACHE.get((fn.__qualname__, frozen, identity), _MISSING)
            if value is not _MISSING:
                stats().hits += 1
                return _copy(value)
            stats().misses += 1
            value = fn(**arguments)
            identity = reader.key_identity()  # the file the answer came from
            CACHE.put((fn.__qualname__, frozen, identity), identity, value)
            return _copy(value)

    wrapper.uncached = fn
    return wrapper


# --------------------------------------------------------------------------------------------
# Running SQL
# --------------------------------------------------------------------------------------------

def _timed(run: Callable, sql: str = "", params: dict | None = None):
    s = stats()
    if s.record:
        s.statements.append((sql, dict(params or {})))
    start = time.perf_counter()
    try:
        return run()
    finally:
        s.duckdb_seconds += time.perf_counter() - start
        s.queries += 1


def _publish_views(con) -> set[str]:
    sql = "select table_name from information_schema.tables where table_schema = 'publish'"
    rows = _timed(lambda: con.execute(sql).fetchall(), sql)
    return {r[0] for r in rows}


@cached
def published_views() -> set[str]:
    """Names of the views in the publish schema of the current warehouse."""
    with _scope() as reader:
        return _publish_views(reader.connection())


def _frame(sql: str, params: dict | None = None, requires: Iterable[str] = ()) -> pd.DataFrame:
    """Run one query on the current reader. `requires`: publish views that must exist
    (NotYetPublished names the first missing one)."""
    with _scope() as reader:
        if requires:
            present = published_views()
            for view in requires:
                if view not in present:
                    raise NotYetPublished(view)
        con = reader.connection()
        try:
            return _timed(lambda: con.execute(sql, params or {}).df(), sql, params)
        except duckdb.CatalogException as exc:
            raise WarehouseUnavailable(INCOMPLETE, detail=f"{reader.path}: {exc}") from exc
        except duckdb.IOException as exc:  # the file was swapped under a lazy read
            raise WarehouseUnavailable(UPDATING, detail=f"{reader.path}: {exc}") from exc


@cached
def view_columns(view: str) -> set[str]:
    """Column names of one publish view (empty when it does not exist)."""
    frame = _frame(
        "select column_name from information_schema.columns where table_schema = 'publish' and table_name = $v",
        {"v": view},
    )
    return set(frame["column_name"])


def _as_list(values: Iterable[str] | str | None) -> list[str]:
    """Normalise a control value (None, one string or many) to a list of strings."""
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values if v is not None]


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


