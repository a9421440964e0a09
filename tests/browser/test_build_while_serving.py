"""A full `python -m ingest` + `python -m warehouse.build` into the directory the running app reads,
while a client keeps requesting views and callback endpoints over loopback HTTP: no request may
fail (no 5xx, no traceback, no "warehouse not available" notice)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import REPO, router_payload, start_server, stop_server
from tests.conftest import pipeline_env

pytestmark = pytest.mark.browser

PAGES = ["/", "/substances", "/overdoses", "/alcohol", "/survey-rounds", "/explorer", "/quality", "/sources"]
BAD_TEXT = ("Traceback", "Internal Server Error", "The warehouse is not available", "could not be opened",
            "could not be read")


ALCOHOL_CALLBACK = {
    "output": "..alcohol-graph.figure...alcohol-source.children...alcohol-measure.options..."
              "alcohol-share-link.href...alcohol-share-link.children..",
    "outputs": [{"id": "alcohol-graph", "property": "figure"}, {"id": "alcohol-source", "property": "children"},
                {"id": "alcohol-measure", "property": "options"}, {"id": "alcohol-share-link", "property": "href"},
                {"id": "alcohol-share-link", "property": "children"}],
    "inputs": [{"id": "alcohol-measure", "property": "value", "value": "share"},
               {"id": "alcohol-geo", "property": "value", "value": "municip_nor4601"},
               {"id": "alcohol-events", "property": "value", "value": ["on"]}],
    "changedPropIds": ["alcohol-measure.value"],
    "state": [{"id": "alcohol-lang", "property": "data", "value": "en"}],
}


def _request(base: str, path: str, payload: dict | None = None) -> tuple[int, str]:
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(base + path, data=data, method="POST" if data else "GET",
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_build_while_serving(app_warehouse, tmp_path):
    warehouse_dir = tmp_path / "wh"
    warehouse_dir.mkdir()
    shutil.copy(app_warehouse, warehouse_dir / "warehouse.duckdb")  # something to serve from the start
    # served as `make serve` serves it: gunicorn, 2 workers, each with its own readers
    server, base = start_server(warehouse_dir / "warehouse.duckdb", tmp_path / "server.log", workers=2)
    failures: list[str] = []
    result: dict = {}

    def build():
        penv = pipeline_env(warehouse_dir)
        for module in ("ingest", "warehouse.build"):
            proc = subprocess.run([sys.executable, "-m", module], cwd=REPO, env=penv, capture_output=True,
                                  text=True, timeout=900)
            result[module] = proc
            if proc.returncode != 0:
                return

    try:
        before = (warehouse_dir / "warehouse.duckdb").stat().st_ino
        builder = threading.Thread(target=build, daemon=True)
        builder.start()
        requests = 0
        deadline = time.monotonic() + 900
        while (builder.is_alive() or requests < 40) and time.monotonic() < deadline and requests < 5000:
            for path in PAGES:
                for what, (status, body) in (("GET " + path, _request(base, path)),
                                             ("router " + path, _request(base, "/_dash-update-component",
                                                                         router_payload(path)))):
                    requests += 1
                    if status >= 400 or any(bad in body for bad in BAD_TEXT):
                        failures.append(f"{what}: HTTP {status} {body[:300]}")
            status, body = _request(base, "/_dash-update-component", ALCOHOL_CALLBACK)
            requests += 1
            if status != 200 or any(bad in body for bad in BAD_TEXT):
                failures.append(f"alcohol callback: HTTP {status} {body[:300]}")
        builder.join(timeout=60)
        for module in ("ingest", "warehouse.build"):
            assert module in result and result[module].returncode == 0, (
                result.get(module) and result[module].stdout[-2000:] + result[module].stderr[-2000:])
        assert (warehouse_dir / "warehouse.duckdb").stat().st_ino != before, "the build did not publish"
        assert requests >= 40
        # after the publish the app serves the new file
        status, body = _request(base, "/_dash-update-component", router_payload("/sources"))
        assert status == 200 and "cdc_wonder" in body
        assert not failures, f"{len(failures)} of {requests} requests failed:\n" + "\n".join(failures[:10])
    finally:
        stop_server(server)
