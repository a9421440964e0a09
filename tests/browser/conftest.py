"""A real app server in a subprocess for the browser tests, started as `make serve` starts it
(gunicorn with dash_app/gunicorn_conf.py), and a Chromium page (Debian's /usr/bin/chromium driven
by Playwright; no browser download is needed or attempted)."""
from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.app.support import resolve_app_warehouse

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def app_warehouse(request) -> Path:
    return resolve_app_warehouse(request)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise TimeoutError(f"app server did not answer at {url} within {timeout} s")


def serve_command(port: int, workers: int = 2) -> list[str]:
    """The command `make serve` runs (`make -s serve-cmd` prints it), on 127.0.0.1:port, with this
    interpreter as the Makefile's PY."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    printed = subprocess.run(["make", "-s", "--no-print-directory", "serve-cmd", f"PY={sys.executable}",
                              "HOST=127.0.0.1", f"PORT={port}", f"WORKERS={workers}"],
                             cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=True)
    return shlex.split(printed.stdout.strip())


def router_payload(path: str) -> dict:
    """The body of the router callback (dash_app/app.py) for `path` (?lang=en): what a browser posts
    to /_dash-update-component to get a view's content, the part that reads the warehouse."""
    return {"output": "..page-content.children...route.data...page-meta.data..",
            "outputs": [{"id": "page-content", "property": "children"}, {"id": "route", "property": "data"},
                        {"id": "page-meta", "property": "data"}],
            "inputs": [{"id": "url", "property": "pathname", "value": path},
                       {"id": "url", "property": "search", "value": "?lang=en"}],
            "changedPropIds": ["url.pathname"], "state": [{"id": "route", "property": "data", "value": None}]}


def start_server(warehouse: Path, log: Path, workers: int = 2) -> tuple[subprocess.Popen, str]:
    """`make serve`'s gunicorn on a free loopback port reading `warehouse`, in a process group of
    its own (stop it with stop_server); returns once `/` answers 200, with the base URL."""
    port = _free_port()
    env = {**os.environ, "TRENDVAKT_WAREHOUSE": str(warehouse), "PYTHONUNBUFFERED": "1"}
    with open(log, "w") as out:
        proc = subprocess.Popen(serve_command(port, workers), cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/", proc)
    except Exception as exc:
        stop_server(proc)
        pytest.fail(f"{exc}\n{log.read_text()[-3000:]}")
    return proc, base


def _exited_unreaped(pid: int, timeout: float) -> bool:
    """Wait until child `pid` has exited, leaving it a zombie: its pid, which is also its process
    group's id, cannot be given to another process while we still signal the group."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.1)
    return False


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the gunicorn master and its workers: TERM to its process group (a graceful shutdown),
    then KILL to whatever of the group is left, after the master exited or after 30 s."""
    if proc.returncode is None:  # not yet reaped, so the group id is still ours
        _signal_group(proc.pid, signal.SIGTERM)
        _exited_unreaped(proc.pid, 30)
        _signal_group(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.fixture(scope="session")
def app_server(app_warehouse, tmp_path_factory):
    """The app as `make serve` runs it (gunicorn, 2 workers) on a free port; yields its base URL;
    always stopped afterwards."""
    log = tmp_path_factory.mktemp("app_server") / "server.log"
    proc, base = start_server(app_warehouse, log, workers=2)
    try:
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    try:
        yield page
    finally:
        context.close()
