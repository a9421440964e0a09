"""Server time of every view callback of the Dash app, through the real Flask app.

Each callback is found in `app.callback_map` (no page or callback module is imported by name) and
POSTed to /_dash-update-component exactly as the browser does, with input and state values taken
from its page's initial layout (the page registry's layout function, called with no URL
parameters). Page loads are timed too: the pages router callback with each page's path.

Per callback:

* cold: the cache of query results emptied first (the first request after a publish); reported
  separately, it is also where the baseline comes from;
* measured: the median server time of REPEATS warm requests (what a planner waits for while
  clicking around);
* baseline: the time spent inside DuckDB (execute/df, counted by dash_app.queries) by the queries
  behind the callback, i.e. during the cold request: every query it runs, once (a warm request runs
  none: its answers come from the cache);
* rerun: the same statements run again on one reader that has just run them (best of RERUNS): the
  DuckDB time without a fresh instance's first reads, to show how much of the baseline that is
  (informative; pass is judged on the baseline, as the goal says);
* pass: measured <= 150 ms and measured <= 1.5 x baseline.
"""
from __future__ import annotations

import statistics
import time

TARGET_MS = 150.0
TARGET_RATIO = 1.5
TARGET = f"≤{TARGET_MS:.0f} ms and ≤{TARGET_RATIO}x"
REPEATS = 5
RERUNS = 3
ROUTER_INPUT = "url"  # the dcc.Location the router (dash_app/app.py) listens to


def _outputs(key: str) -> tuple[str, object]:
    """The `output` string and `outputs` payload of a callback_map key."""
    def split(spec: str) -> dict:
        cid, prop = spec.rsplit(".", 1)
        return {"id": cid, "property": prop}

    if key.startswith("..") and key.endswith(".."):
        return key, [split(s) for s in key[2:-2].split("...")]
    return key, split(key)


def _layout_values(layout) -> dict[tuple[str, str], object]:
    """{(component id, property): value} of every component with a string id in a layout."""
    values: dict[tuple[str, str], object] = {}
    components = [layout] + list(layout._traverse()) if hasattr(layout, "_traverse") else []
    for comp in components:
        cid = getattr(comp, "id", None)
        if not isinstance(cid, str):
            continue
        for prop in getattr(comp, "_prop_names", []):
            values[(cid, prop)] = getattr(comp, prop, None)
    return values


def _page_layouts() -> dict[str, dict]:
    from dash_app.pages import PAGES

    return {mod.PATH: _layout_values(mod.layout(lang="nb")) for mod in PAGES}


def _payload(key: str, spec: dict, values: dict) -> dict:
    output, outputs = _outputs(key)

    def items(deps):
        return [{"id": d["id"], "property": d["property"], "value": values.get((d["id"], d["property"]))}
                for d in deps]

    inputs = items(spec["inputs"])
    return {"output": output, "outputs": outputs, "inputs": inputs, "state": items(spec.get("state", [])),
            "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs]}


def discover(app) -> list[tuple[str, dict]]:
    """(goal name, payload) for every server-side callback that belongs to a view, and a page load
    (router callback) for every page."""
    layouts = _page_layouts()
    jobs = []
    for key, spec in app.callback_map.items():
        if "callback" not in spec:  # clientside
            continue
        input_ids = {d["id"] for d in spec["inputs"]}
        if input_ids == {ROUTER_INPUT}:
            if "page-content" not in key:
                continue  # the navigation bar: no data
            for path in layouts:
                jobs.append((f"page load {path}", _payload(key, spec, {(ROUTER_INPUT, "pathname"): path,
                                                                      (ROUTER_INPUT, "search"): ""})))
            continue
        ids = input_ids | {d["id"] for d in spec.get("state", [])}
        path = next((p for p, values in layouts.items() if all(any(k[0] == i for k in values) for i in ids)), None)
        if path is None:
            continue
        values = dict(layouts[path])
        downloads = [d for d in spec["inputs"] if d["property"] == "n_clicks"]
        if downloads and len(downloads) == len(spec["inputs"]):
            for d in downloads:  # a download button, clicked once
                values[(d["id"], "n_clicks")] = 1
        first_output = _outputs(key)[1]
        first_output = first_output[0] if isinstance(first_output, list) else first_output
        jobs.append((f"callback {path} → {first_output['id']}.{first_output['property']}"
                     + (f" (+{key.count('...')} more)" if key.startswith("..") else ""),
                     _payload(key, spec, values)))
    return jobs


def _post(client, payload) -> float:
    start = time.perf_counter()
    response = client.post("/_dash-update-component", json=payload)
    elapsed = time.perf_counter() - start
    if response.status_code not in (200, 204):
        raise RuntimeError(f"{payload['output']}: HTTP {response.status_code}: "
                           f"{response.get_data(as_text=True)[:300]}")
    return elapsed


def _rerun(statements) -> float:
    """Seconds to run these statements on one reader outside any request, best of RERUNS after one
    run that warms the reader."""
    from dash_app import queries

    with queries._connect() as con:
        def once():
            start = time.perf_counter()
            for sql, params in statements:
                con.execute(sql, params).df()  # as dash_app.queries runs them
            return time.perf_counter() - start

        once()
        return min(once() for _ in range(RERUNS))


def run(repeats: int = REPEATS) -> list[dict]:
    from dash_app import queries
    from dash_app.app import create_app

    app = create_app()
    queries.install(app.server)  # idempotent; create_app may already do it
    client = app.server.test_client()
    client.get("/")  # the pages router is registered on the first request
    results = []
    for goal, payload in discover(app):
        _post(client, payload)  # warm-up of Python code paths (imports, figure templates)
        queries.clear_cache()
        s = queries.reset_stats(record=True)
        cold = _post(client, payload)
        baseline = s.duckdb_seconds
        cold_connect = s.connect_seconds
        statements = list(s.statements)
        warm = []
        for _ in range(repeats):
            queries.reset_stats()
            warm.append(_post(client, payload))
        measured = statistics.median(warm) * 1000
        base_ms = baseline * 1000
        ratio = measured / base_ms if base_ms > 0 else float("inf")
        results.append({"goal": goal, "measured": round(measured, 1), "baseline": round(base_ms, 1),
                        "ratio": round(ratio, 2), "target": TARGET, "unit": "ms",
                        "pass": bool(measured <= TARGET_MS and ratio <= TARGET_RATIO),
                        "cold": round(cold * 1000, 1), "cold_connect": round(cold_connect * 1000, 1),
                        "queries": len(statements), "rerun": round(_rerun(statements) * 1000, 1)})
    return results


def report(results: list[dict]) -> None:
    print(f"view callbacks: median of {REPEATS} warm requests through the Flask test client; baseline = DuckDB "
          f"time (execute/df) of the queries behind the callback, in its cold request\n")
    width = max(len(r["goal"]) for r in results)
    print(f"{'goal':{width}}  {'measured':>9}  {'baseline':>9}  {'ratio':>6}  {'cold':>8}  {'queries':>7}  "
          f"{'rerun':>8}  target            pass")
    for r in results:
        print(f"{r['goal']:{width}}  {r['measured']:7.1f}ms  {r['baseline']:7.1f}ms  {r['ratio']:6.2f}  "
              f"{r['cold']:6.1f}ms  {r.get('queries', 0):7d}  {r.get('rerun', 0):6.1f}ms  {r['target']:16}  "
              f"{'yes' if r['pass'] else 'NO'}")
    print(f"\n{sum(r['pass'] for r in results)} of {len(results)} pass")
