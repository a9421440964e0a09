"""The views through the Flask test client: page GETs, the page router, and each view's callbacks
posted to /_dash-update-component (no page module is imported from the tests)."""
from __future__ import annotations

import json

import pytest

PAGES = ["/", "/substances", "/alcohol", "/survey-rounds"]


def post_callback(client, outputs: list[tuple[str, str]], inputs: list[tuple[str, str, object]],
                  state: list[tuple[str, str, object]] = ()) -> dict:
    """POST one callback the way the browser does; returns {component_id: {prop: value}}."""
    if len(outputs) == 1:
        output = f"{outputs[0][0]}.{outputs[0][1]}"
        outputs_payload = {"id": outputs[0][0], "property": outputs[0][1]}
    else:
        output = ".." + "...".join(f"{cid}.{prop}" for cid, prop in outputs) + ".."
        outputs_payload = [{"id": cid, "property": prop} for cid, prop in outputs]
    payload = {
        "output": output,
        "outputs": outputs_payload,
        "inputs": [{"id": cid, "property": prop, "value": value} for cid, prop, value in inputs],
        "changedPropIds": [f"{cid}.{prop}" for cid, prop, _ in inputs],
        "state": [{"id": cid, "property": prop, "value": value} for cid, prop, value in state],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    body = response.get_json()
    return body["response"]


def render_page(client, path: str, search: str = "") -> str:
    """Run the pages router callback for a URL; returns the rendered layout as JSON text."""
    client.get(path)  # the router callback is registered on the first request
    response = post_callback(
        client,
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", path), ("_pages_location", "search", search)],
    )
    return json.dumps(response["_pages_content"]["children"], ensure_ascii=False)


def trace_names(figure: dict) -> list[str]:
    return [t.get("name") for t in figure["data"] if t.get("showlegend", True) is not False]


@pytest.mark.parametrize("path", PAGES)
def test_page_get_returns_200(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"_dash-config" in response.data


def test_layout_has_navigation_to_every_view(client):
    client.get("/")
    layout = json.dumps(client.get("/_dash-layout").get_json())
    for href in ("/substances", "/alcohol", "/survey-rounds"):
        assert f'"href": "{href}"' in layout


@pytest.mark.parametrize("path, expected_ids", [
    ("/substances", ["substances-checklist", "substances-rates-graph", "substances-signals-graph"]),
    ("/alcohol", ["alcohol-measure", "alcohol-graph"]),
    ("/survey-rounds", ["survey-level", "survey-graph", "survey-table"]),
])
def test_router_renders_each_view(client, path, expected_ids):
    rendered = render_page(client, path)
    for component_id in expected_ids:
        assert f'"{component_id}"' in rendered
    assert "Source" in rendered


def test_view_state_comes_from_the_query_string(client):
    rendered = json.loads(render_page(client, "/substances", "?substances=heroin,antidepressants&geo=georegion_nor5"))
    text = json.dumps(rendered, ensure_ascii=False)
    assert '"value": ["antidepressants", "heroin"]' in text
    assert '"value": "georegion_nor5"' in text or "georegion_nor5" not in text  # region may be absent
    survey = render_page(client, "/survey-rounds", "?level=georegion")
    assert "cannot be computed" in survey


def test_unknown_query_values_are_dropped(client):
    text = render_page(client, "/substances", "?substances=heroin,'%20or%201=1--")
    assert '"value": ["heroin"]' in text


def test_substances_death_rate_callback(client):
    response = post_callback(
        client,
        [("substances-rates-graph", "figure"), ("substances-rates-source", "children")],
        [("substances-checklist", "value", ["heroin", "psychostimulants"])],
    )
    figure = response["substances-rates-graph"]["figure"]
    assert sorted(trace_names(figure)) == ["Heroin", "Psychostimulants"]
    heroin = next(t for t in figure["data"] if t["name"] == "Heroin")
    points = dict(zip(heroin["x"], heroin["y"]))
    assert points[2016] == pytest.approx(4.9)
    assert max(points, key=points.get) in (2016, 2017)
    stim = next(t for t in figure["data"] if t["name"] == "Psychostimulants")
    assert dict(zip(stim["x"], stim["y"]))[2020] == pytest.approx(7.5)
    note = json.dumps(response["substances-rates-source"]["children"], ensure_ascii=False)
    assert "Source" in note and "CDC" in note


def test_substances_signals_callback(client):
    response = post_callback(
        client,
        [("substances-signals-graph", "figure"), ("substances-signals-source", "children")],
        [("substances-geo", "value", "municip_nor4601")],
    )
    figure = response["substances-signals-graph"]["figure"]
    names = trace_names(figure)
    assert any(n.startswith("Increase") for n in names)
    assert any(n.startswith("Decrease") for n in names)
    hover = " ".join(h for t in figure["data"] for h in (t.get("hovertext") or []))
    assert "nedgang i tilgjengelighet og bruk av heroin" in hover
    assert figure["layout"]["xaxis"]["type"] == "date"


def test_substances_empty_and_injection_selection(client):
    for value in ([], ["x' or 1=1 --"]):
        response = post_callback(
            client,
            [("substances-rates-graph", "figure"), ("substances-rates-source", "children")],
            [("substances-checklist", "value", value)],
        )
        assert response["substances-rates-graph"]["figure"]["data"] == []


def test_substances_share_link_callback(client):
    response = post_callback(
        client,
        [("substances-share-link", "href"), ("substances-share-link", "children")],
        [("substances-checklist", "value", ["heroin", "cocaine"]), ("substances-geo", "value", "municip_nor4601")],
    )
    assert response["substances-share-link"]["href"] == "/substances?substances=heroin,cocaine&geo=municip_nor4601"


@pytest.mark.parametrize("measure", ["litres", "share"])
def test_alcohol_callback(client, measure):
    response = post_callback(
        client,
        [("alcohol-graph", "figure"), ("alcohol-source", "children")],
        [("alcohol-measure", "value", measure), ("alcohol-geo", "value", "municip_nor4601")],
    )
    figure = response["alcohol-graph"]["figure"]
    names = {t["name"] for t in figure["data"]}
    assert len(names) == 3
    assert any(n.lower().startswith("beer") or n.lower().startswith("øl") for n in names)
    beer = next(t for t in figure["data"] if t["name"].lower().startswith(("beer", "øl")))
    if measure == "litres":
        assert all(t["type"] == "scatter" for t in figure["data"])
        assert dict(zip(beer["x"], beer["y"]))[2007] == 4468468
    else:
        assert all(t["type"] == "bar" for t in figure["data"])
        assert figure["layout"]["barmode"] == "stack"
        assert 0 < dict(zip(beer["x"], beer["y"]))[2007] < 100
    assert "Source" in json.dumps(response["alcohol-source"]["children"], ensure_ascii=False)


def test_survey_national_callback(client):
    response = post_callback(
        client,
        [("survey-graph", "figure"), ("survey-details", "children")],
        [("survey-level", "value", "nation")],
    )
    figure = response["survey-graph"]["figure"]
    with_ci = [t for t in figure["data"] if t.get("error_x")]
    assert {t["legendgroup"] for t in with_ci} == {"2021-W04", "2021-W06"}
    labels = " ".join(str(x) for t in figure["data"] for x in (t.get("text") or []))
    assert "10 of n = 89" in labels
    assert "⚠" in labels  # the inconsistent W04 row is flagged on the chart
    details = json.dumps(response["survey-details"]["children"], ensure_ascii=False)
    assert "does not match" in details and "10 of 89" in details
    assert "Source" in details


def test_survey_regional_callback(client):
    response = post_callback(
        client,
        [("survey-graph", "figure"), ("survey-details", "children")],
        [("survey-level", "value", "georegion")],
    )
    figure = response["survey-graph"]["figure"]
    assert figure["data"] and all(t["type"] == "bar" for t in figure["data"])
    assert len({t["name"] for t in figure["data"]}) == 5
    assert not any(t.get("error_x") for t in figure["data"])
    details = json.dumps(response["survey-details"]["children"], ensure_ascii=False)
    assert "cannot be computed" in details


def test_download_callback_returns_csv(client):
    response = post_callback(
        client,
        [("alcohol-download", "data")],
        [("alcohol-download-button", "n_clicks", 1)],
        state=[("alcohol-geo", "value", "municip_nor4601")],
    )
    data = response["alcohol-download"]["data"]
    assert data["filename"] == "trendvakt_alcohol.csv"
    assert "4468468" in data["content"]


def test_missing_warehouse_shows_a_friendly_message(client, monkeypatch, tmp_path):
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(tmp_path / "missing.duckdb"))
    for path in ("/substances", "/alcohol", "/survey-rounds"):
        assert client.get(path).status_code == 200
        rendered = render_page(client, path)
        assert "make build" in rendered and "not available" in rendered
    response = post_callback(
        client,
        [("alcohol-graph", "figure"), ("alcohol-source", "children")],
        [("alcohol-measure", "value", "litres"), ("alcohol-geo", "value", "municip_nor4601")],
    )
    assert "make build" in json.dumps(response, ensure_ascii=False)


def test_create_app_twice_keeps_one_registration(dash_app_instance, client):
    import dash

    from dash_app.app import create_app

    before = {k: p["path"] for k, p in dash.page_registry.items()}
    second = create_app()
    after = {k: p["path"] for k, p in dash.page_registry.items()}
    assert after == before
    assert len(set(after.values())) == len(after)
    assert set(second.callback_map) == set(dash_app_instance.callback_map) - {
        k for k in dash_app_instance.callback_map if "_pages" in k
    } or set(second.callback_map) <= set(dash_app_instance.callback_map)
    # both apps still serve
    assert second.server.test_client().get("/substances").status_code == 200
    assert client.get("/survey-rounds").status_code == 200
    assert render_page(second.server.test_client(), "/alcohol").count('"alcohol-graph"') == 1
