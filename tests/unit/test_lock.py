"""The run lock (warehouse/lock.py), with real processes holding it: no mocks, no fixed sleeps
(every wait is for a line a process prints or for a process to end)."""
from __future__ import annotations

import datetime as dt
import io
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from warehouse.lock import LOCK_NAME, Holder, LockBusy, busy_message, read_lock, warehouse_lock

REPO = Path(__file__).resolve().parents[2]

# A process that takes the lock, says "held", and keeps it until its stdin closes (or it is killed).
# With "child" it starts a grandchild that inherits the locked descriptor, as dbt does, and exits.
HOLDER = r"""
import subprocess, sys
from pathlib import Path
from warehouse.lock import warehouse_lock, held_fd
wh = Path(sys.argv[1])
with warehouse_lock(wh, "build", wait=False, command="test holder"):
    if len(sys.argv) > 2 and sys.argv[2] == "child":
        child = subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()"],
                                 pass_fds=(held_fd(wh),))
        print("held", child.pid, flush=True)
        import os
        os._exit(0)  # dies without releasing, like a killed build whose dbt goes on
    print("held", flush=True)
    sys.stdin.read()
print("released", flush=True)
"""


def start_holder(wh: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(wh), *extra], cwd=REPO, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # blocks until the lock is taken
    assert line.startswith("held"), line
    return proc, line


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_the_holder_is_written_into_the_lock_file_and_cleared_on_release(tmp_path):
    with warehouse_lock(tmp_path, "build", wait=False, command="make build") as lock_path:
        holder = read_lock(tmp_path)
        assert lock_path == (tmp_path / LOCK_NAME).resolve()
        assert holder is not None
        assert (holder.pid, holder.host, holder.command, holder.kind) == (os.getpid(), socket.gethostname(),
                                                                          "make build", "build")
        assert abs((dt.datetime.now(dt.timezone.utc) - holder.started).total_seconds()) < 60
    assert (tmp_path / LOCK_NAME).read_text() == ""  # released cleanly: nothing left to take over


def test_a_second_process_is_refused_with_the_holders_pid_host_and_start(tmp_path):
    proc, _ = start_holder(tmp_path)
    try:
        with pytest.raises(LockBusy) as busy:
            with warehouse_lock(tmp_path, "ingest", wait=False):
                pass
        message = str(busy.value)
        since = busy.value.holder.started.astimezone().strftime("%H:%M:%S")
        assert f"another build (PID {proc.pid} on {socket.gethostname()}, test holder) is running since {since}" \
            in message
        assert "WAIT=1" in message
    finally:
        stop(proc)
    assert proc.stdout.readline().strip() == "released"
    with warehouse_lock(tmp_path, "ingest", wait=False):  # free again
        pass


def test_the_lock_is_reentrant_within_one_process(tmp_path):
    with warehouse_lock(tmp_path, "build", wait=False, command="outer"):
        with warehouse_lock(tmp_path, "ingest", wait=False, command="inner"):
            assert read_lock(tmp_path).command == "outer"
        assert read_lock(tmp_path).command == "outer"  # the inner exit did not release it
    assert read_lock(tmp_path) is None


def test_a_lock_left_by_a_killed_process_is_taken_over_with_a_message(tmp_path):
    proc, _ = start_holder(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    left = read_lock(tmp_path)
    assert left is not None and left.pid == proc.pid  # the file still names the dead run
    out = io.StringIO()
    with warehouse_lock(tmp_path, "build", wait=False, out=out):
        assert read_lock(tmp_path).pid == os.getpid()
    said = out.getvalue()
    assert f"taking over the lock left by build (PID {proc.pid}" in said
    assert "no longer running" in said


def test_a_lock_file_naming_a_dead_pid_without_a_holder_is_taken_over(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(dead.stdout)
    stale = Holder(pid=pid, host=socket.gethostname(), started=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
                   command="make build")
    (tmp_path / LOCK_NAME).write_text(stale.to_line())
    out = io.StringIO()
    with warehouse_lock(tmp_path, "ingest", wait=False, out=out):
        pass
    assert f"PID {pid}" in out.getvalue() and "2026-01-02" in out.getvalue()  # not today: with the date


def test_wait_blocks_until_the_holder_is_done_then_takes_the_lock(tmp_path):
    proc, _ = start_holder(tmp_path)
    got = threading.Event()
    out = io.StringIO()
    errors: list[BaseException] = []

    def waiter():
        try:
            with warehouse_lock(tmp_path, "build", wait=True, out=out):
                got.set()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=waiter)
    thread.start()
    try:
        # the waiter announces itself once it has found the lock taken
        deadline_ok = _wait_for(lambda: "waiting for another build" in out.getvalue(), 30)
        assert deadline_ok, out.getvalue()
        assert not got.is_set()  # still held by the other process
    finally:
        stop(proc)
    thread.join(timeout=30)
    assert not errors, errors
    assert got.is_set()
    assert f"PID {proc.pid}" in out.getvalue()


def test_a_child_that_inherited_the_lock_keeps_it_after_its_parent_died(tmp_path):
    proc, line = start_holder(tmp_path, "child")
    child_pid = int(line.split()[1])
    proc.wait(timeout=30)  # the parent has exited; its child (like dbt) still runs
    try:
        with pytest.raises(LockBusy) as busy:
            with warehouse_lock(tmp_path, "build", wait=False):
                pass
        assert f"PID {proc.pid} has exited but a process it started (dbt) still holds the lock" in str(busy.value)
    finally:
        os.kill(child_pid, signal.SIGKILL)
    # once the child is gone the lock is free: waiting returns as soon as the kernel drops it
    with warehouse_lock(tmp_path, "build", wait=True, out=io.StringIO()):
        pass


def test_the_busy_message_without_readable_details_still_says_what_to_do(tmp_path):
    message = busy_message(tmp_path / LOCK_NAME, None)
    assert "another run holds" in message and "WAIT=1" in message


def test_cli_refuses_while_a_build_runs_and_exits_75(tmp_path):
    """`python -m ingest` and `python -m warehouse.build` check the lock before touching anything."""
    proc, _ = start_holder(tmp_path)
    env = {**os.environ, "TRENDVAKT_WAREHOUSE_DIR": str(tmp_path), "TRENDVAKT_WAREHOUSE": str(tmp_path / "warehouse.duckdb")}
    env.pop("TRENDVAKT_WAIT", None)
    try:
        for module in ("ingest", "warehouse.build"):
            result = subprocess.run([sys.executable, "-m", module], cwd=REPO, env=env, capture_output=True,
                                    text=True, timeout=120)
            assert result.returncode == 75, result.stdout + result.stderr
            assert f"another build (PID {proc.pid} on {socket.gethostname()}, test holder)" in result.stderr
            assert "Traceback" not in result.stderr
        assert not (tmp_path / "build.duckdb").exists()  # nothing was opened or seeded
    finally:
        stop(proc)


def _wait_for(condition, timeout: float) -> bool:
    done = threading.Event()
    deadline = dt.datetime.now() + dt.timedelta(seconds=timeout)
    while not condition():
        if dt.datetime.now() > deadline:
            return False
        done.wait(0.02)  # polling a condition, not sleeping for an assumed duration
    return True
