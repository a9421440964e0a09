"""`make serve` serves for real: the Makefile's command (`make -s serve-cmd`, run with this
interpreter as PY) starts gunicorn (its `Server` header) with the configured number of worker
processes; a burst of first requests to fresh workers, and two requests at once, are all answered."""
from __future__ import annotations

import json
import re
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.app.support import resolve_app_warehouse
from tests.browser.conftest import router_payload, serve_command, start_server, stop_server

WORKERS = 2


@pytest.fixture(scope="module")
def served(request, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "server.log"
    proc, base = start_server(resolve_app_warehouse(request), log, workers=WORKERS)
    try:
        yield proc, base, log
    finally:
        stop_server(proc)


def _children(pid: int) -> list[int]:
    """Live child processes of `pid`, from /proc/<child>/stat (its 4th field is the parent's pid)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        state, ppid = text[text.rindex(")") + 2:].split()[:2]  # the name may hold spaces and parens
        if int(ppid) == pid and state != "Z":
            found.append(int(stat.parent.name))
    return sorted(found)


def _request(url: str, payload: dict | None = None) -> tuple[int, dict[str, str], str]:
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=60) as response:
        return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


def test_the_makefile_serves_with_gunicorn():
    command = serve_command(8050, workers=WORKERS)
    assert command[1:4] == ["-m", "gunicorn", "--config"], command
    assert "dash_app/gunicorn_conf.py" in command and command[-1] == "dash_app.app:server", command
    assert command[command.index("--workers") + 1] == str(WORKERS), command


def _all_at_once(calls) -> list:
    """Run the calls in threads released together; their results (or exceptions), in order."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # reported by the caller's assertion
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    return results


def test_a_burst_of_first_requests_is_answered(served):
    """Right after the start (one worker has served the readiness probe, the other nothing yet):
    the scripts of the page and its content callback, all at once. Dash sets itself up on a
    process's first requests without a lock; unless each worker is set up before it takes requests
    (gunicorn_conf.post_worker_init) a thread of a fresh worker answers 500 ("dash is not a
    registered library") or lacks the page router's callback."""
    _, base, log = served
    from dash_app.app import server  # the page's script addresses, without a request that warms a worker

    index = server.test_client().get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', index)
    assert scripts, index[:2000]
    calls = [lambda src=src: _request(base + src)[0] for src in scripts]
    calls += [lambda: _request(base + "/_dash-update-component", router_payload("/sources"))[0]] * 4
    results = _all_at_once(calls)
    assert results == [200] * len(calls), (results, log.read_text()[-3000:])


def test_root_answers_from_gunicorn(served):
    _, base, log = served
    status, headers, body = _request(base + "/")
    assert status == 200
    assert "gunicorn" in headers.get("Server", "").lower(), (headers, log.read_text()[-2000:])
    assert "trendvakt" in body


def test_the_configured_number_of_workers_run(served):
    proc, _, log = served
    deadline = time.monotonic() + 30  # the workers are forked right after the master is ready
    while len(workers := _children(proc.pid)) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers) == WORKERS, (workers, log.read_text()[-2000:])
    for pid in workers:
        assert "gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes().decode().replace("\0", " ")


@pytest.mark.parametrize("what", ["page", "its content callback"])
def test_two_requests_at_once_are_both_answered(served, what):
    """The page /overdoses itself, then its content (the router callback, which reads the warehouse),
    each requested twice at the same moment."""
    _, base, log = served
    if what == "page":
        url, payload = base + "/overdoses?lang=en", None
    else:
        url, payload = base + "/_dash-update-component", router_payload("/overdoses")

    def fetch():
        status, _, body = _request(url, payload)
        return status if "Traceback" not in body else body[:500]

    results = _all_at_once([fetch, fetch])
    assert results == [200, 200], (results, log.read_text()[-2000:])
