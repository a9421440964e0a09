"""One run at a time: the advisory lock held for a whole `make ingest` and a whole `make build`.

DuckDB lets one process write a file, but dbt-duckdb opens and closes the build file for every
node, so DuckDB's own lock leaves gaps in which a second run slips in (its ingest then writes
between the first build's dbt steps, and both may publish). This lock spans the whole run.

How it works:

* `<warehouse_dir>/build.lock` is locked with flock(2). The kernel drops the lock when the last
  descriptor of the holder closes, so a run killed with -9 never leaves a lock that blocks the
  next one; "stale" can only mean the file still names the dead run, and the next run says so and
  takes it over.
* The holder writes who it is into the file, one JSON line:
  {"pid": 1234, "host": "box", "started": "2026-11-29T14:02:11+00:00", "command": "make build",
   "kind": "build"}
  so a blocked run can say "another build (PID 1234 on box, make build) is running since
  14:02:11". The file is emptied on a clean release; it is never deleted while in use (deleting a
  flock file lets two runs hold two different files).
* dbt runs as a child process that inherits the locked descriptor: if the Python process dies
  while dbt is still writing, the lock stays held until dbt is gone too.
* A run that is blocked exits with EXIT_BUSY, or waits for the holder when `wait` is true
  (TRENDVAKT_WAIT=1, `make build WAIT=1`).
* Reentrant within one process: `python -m warehouse.build` holds the lock and calls the ingest
  step, which asks for the same lock and gets it without a second flock.

Why not the `filelock` package: its UnixFileLock opens the lock file with O_TRUNC before it tries
flock, so every blocked contender would wipe the holder's PID, host and start time, which is
exactly what the blocked run must print.

flock is advisory and local: it does not protect a warehouse directory shared between hosts over
a network file system that does not implement it.
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

LOCK_NAME = "build.lock"
EXIT_BUSY = 75  # EX_TEMPFAIL (sysexits.h): try again later
WAIT_ENV = "TRENDVAKT_WAIT"


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock, as written into the lock file."""
    pid: int
    host: str
    started: dt.datetime
    command: str
    kind: str = "build"

    def to_line(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "started": self.started.isoformat(timespec="seconds"),
                           "command": self.command, "kind": self.kind}) + "\n"

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            d = json.loads(text)
            return cls(pid=int(d["pid"]), host=str(d["host"]), started=dt.datetime.fromisoformat(d["started"]),
                       command=str(d.get("command") or "?"), kind=str(d.get("kind") or "build"))
        except (ValueError, KeyError, TypeError):
            return None

    def since(self) -> str:
        """Local wall-clock time the run started; with the date when that was not today."""
        local = self.started.astimezone()
        if local.date() == dt.datetime.now().astimezone().date():
            return local.strftime("%H:%M:%S")
        return local.strftime("%Y-%m-%d %H:%M:%S")

    def describe(self) -> str:
        return f"{self.kind} (PID {self.pid} on {self.host}, {self.command})"

    def is_local_and_dead(self) -> bool:
        return self.host == socket.gethostname() and not pid_alive(self.pid)


class LockBusy(RuntimeError):
    """Another run holds the lock (and we were told not to wait)."""

    def __init__(self, message: str, holder: Holder | None):
        super().__init__(message)
        self.holder = holder


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def wait_requested() -> bool:
    return os.environ.get(WAIT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def default_command(kind: str) -> str:
    """How a person would recognise the run: make sets MAKELEVEL for the commands it starts."""
    if os.environ.get("MAKELEVEL"):
        return f"make {kind}"
    return "python -m " + ("ingest" if kind == "ingest" else "warehouse.build")


def _read_holder(fd: int) -> Holder | None:
    try:
        return Holder.parse(os.pread(fd, 4096, 0).decode("utf-8", "replace").strip())
    except OSError:
        return None


def _read_holder_settled(fd: int, patience: float = 1.0) -> Holder | None:
    """The holder may have taken the lock a moment ago and not yet written its line: look again
    for up to `patience` seconds before giving up on the details."""
    deadline = time.monotonic() + patience
    while True:
        holder = _read_holder(fd)
        if holder is not None or time.monotonic() >= deadline:
            return holder
        time.sleep(0.05)


def busy_message(lock_path: Path, holder: Holder | None) -> str:
    if holder is None:
        return (f"another run holds {lock_path} (its details could not be read); wait for it to finish, "
                f"or run again with WAIT=1 (TRENDVAKT_WAIT=1) to wait for it")
    msg = f"another {holder.describe()} is running since {holder.since()}"
    if holder.is_local_and_dead():
        msg += f"; PID {holder.pid} has exited but a process it started (dbt) still holds the lock"
    return msg + "; wait for it to finish, or run again with WAIT=1 (TRENDVAKT_WAIT=1) to wait for it"


# lock file path -> [descriptor, depth]: the reentrant holds of this process
_held: dict[Path, list[int]] = {}


def held_fd(warehouse_dir: Path) -> int | None:
    """The locked descriptor of this process for warehouse_dir, to hand to child processes."""
    entry = _held.get((Path(warehouse_dir) / LOCK_NAME).resolve())
    return entry[0] if entry else None


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    fst = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (fst.st_dev, fst.st_ino)


def _acquire(lock_path: Path, kind: str, command: str, wait: bool, out: TextIO) -> int:
    announced_wait = False
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as err:
                if err.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                holder = _read_holder_settled(fd)
                if not wait:
                    raise LockBusy(busy_message(lock_path, holder), holder) from None
                if not announced_wait:
                    who = f"another {holder.describe()}, running since {holder.since()}" if holder else "another run"
                    print(f"waiting for {who} to finish (WAIT=1) ...", file=out, flush=True)
                    announced_wait = True
                fcntl.flock(fd, fcntl.LOCK_EX)  # blocks until the holder is done
            if not _same_file(fd, lock_path):
                # the file was removed or replaced between our open and our flock: the lock we
                # hold is on a file nobody else will look at; start again on the current one
                os.close(fd)
                continue
            previous = _read_holder(fd)
            if previous is not None and previous.pid != os.getpid():
                state = ("which is no longer running" if previous.is_local_and_dead()
                         else "which no longer holds it")
                print(f"taking over the lock left by {previous.describe()}, started {previous.since()}, "
                      f"{state} (killed?)", file=out, flush=True)
            if announced_wait:
                print("the other run finished; going on", file=out, flush=True)
            me = Holder(pid=os.getpid(), host=socket.gethostname(),
                        started=dt.datetime.now(dt.timezone.utc).replace(microsecond=0), command=command, kind=kind)
            os.ftruncate(fd, 0)
            os.pwrite(fd, me.to_line().encode("utf-8"), 0)
            os.fsync(fd)
            return fd
        except BaseException:
            try:
                os.close(fd)
            except OSError:
                pass
            raise


def _release(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)  # an empty file means: nobody holds it, nothing to take over
    finally:
        os.close(fd)  # closing the last descriptor drops the flock


@contextmanager
def warehouse_lock(warehouse_dir: Path, kind: str, *, wait: bool | None = None, command: str | None = None,
                   out: TextIO | None = None) -> Iterator[Path]:
    """Hold the run lock of warehouse_dir for the duration of the block.

    Raises LockBusy when another run holds it and `wait` is false (default: TRENDVAKT_WAIT)."""
    warehouse_dir = Path(warehouse_dir)
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    lock_path = (warehouse_dir / LOCK_NAME).resolve()
    entry = _held.get(lock_path)
    if entry is not None:
        entry[1] += 1
        try:
            yield lock_path
        finally:
            entry[1] -= 1
        return
    fd = _acquire(lock_path, kind, command or default_command(kind), wait_requested() if wait is None else wait,
                  out or sys.stderr)
    _held[lock_path] = [fd, 1]
    try:
        yield lock_path
    finally:
        del _held[lock_path]
        _release(fd)


def read_lock(warehouse_dir: Path) -> Holder | None:
    """Who the lock file names (the holder, or a run that was killed), without locking."""
    try:
        return Holder.parse((Path(warehouse_dir) / LOCK_NAME).read_text(encoding="utf-8").strip())
    except OSError:
        return None
