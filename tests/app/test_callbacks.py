"""The views through the Flask test client: page GETs, the page router, and each view's callbacks
posted to /_dash-update-component (no page module is imported from the tests)."""
from __future__ import annotations

import json

import pytest

PAGES = ["/", "/substances", "/overdoses", "/alcohol", "/survey-rounds", "/explorer", "/quality", "/sources"]


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
    """Run the router callback for a URL; returns the rendered layout as JSON text."""
    client.get(path)  # the router callback is registered on the first request
    response = post_callback(
        client,
        [("page-content", "children"), ("route", "data"), ("page-meta", "data")],
        [("url", "pathname", path), ("url", "search", search)],
        [("route", "data", None)],
    )
    return json.dumps(response["page-content"]["children"], ensure_ascii=False)


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
    for href in PAGES:
        assert f'"href": "{href}?lang=nb"' in layout


def test_navigation_keeps_the_language_and_switches_it(client):
    response = post_callback(client, [("tv-header", "children"), ("tv-footer", "children")],
                             [("url", "pathname", "/alcohol"),
                              ("url", "search", "?geo=municip_nor4601&lang=en")])
    text = json.dumps(response, ensure_ascii=False)
    for href in PAGES:
        assert f'"href": "{href}?lang=en"' in text
    assert '"href": "/alcohol?geo=municip_nor4601&lang=nb"' in text  # the switch keeps the view's state
    assert "Norsk" in text and "Data quality" in text
    nb = json.dumps(post_callback(client, [("tv-header", "children"), ("tv-footer", "children")],
                                  [("url", "pathname", "/"), ("url", "search", "")]),
                    ensure_ascii=False)
    assert "Datakvalitet" in nb and "English" in nb


@pytest.mark.parametrize("path, expected_ids", [
    ("/", ["overview-cards"]),
    ("/substances", ["substances-checklist", "substances-geo", "substances-measure", "substances-graph",
                     "substances-panel", "substances-events"]),
    ("/overdoses", []),
    ("/alcohol", ["alcohol-measure", "alcohol-graph", "alcohol-events"]),
    ("/survey-rounds", ["survey-level", "survey-graph", "survey-table"]),
    ("/explorer", ["explorer-indicator", "explorer-geo", "explorer-series", "explorer-graph", "explorer-table"]),
    ("/quality", ["quality-source", "quality-sections"]),
    ("/sources", ["sources-sort", "sources-graph", "sources-table"]),
])
def test_router_renders_each_view(client, path, expected_ids):
    rendered = render_page(client, path, "?lang=en")
    for component_id in expected_ids:
        assert f'"{component_id}"' in rendered
    assert "Traceback" not in rendered
    if path == "/overdoses" and '"overdoses-graph"' not in rendered:
        assert "not yet published" in rendered and "make build" not in rendered
    if path not in ("/", "/quality") and "not yet published" not in rendered:
        assert "Source" in rendered


def test_view_state_comes_from_the_query_string(client):
    # values in the order the reader gave them (the first keeps the first colour); unknown ones dropped
    text = render_page(client, "/substances",
                       "?geo=nation_usa&substances=heroin,antidepressants&measure=index&panel=georegion_nor5&lang=en")
    assert '"value": ["heroin", "antidepressants"]' in text
    assert '"value": "index"' in text
    assert '"value": "georegion_nor5"' in text
    survey = render_page(client, "/survey-rounds", "?level=georegion&lang=en")
    assert "cannot be computed" in survey
    explorer = render_page(client, "/explorer", "?indicator=drug_related_deaths_nrs&geo=nation_sco&lang=en")
    assert '"value": "drug_related_deaths_nrs"' in explorer and '"value": ["nation_sco"]' in explorer


def test_unknown_query_values_are_dropped(client):
    text = render_page(client, "/substances", "?geo=nation_usa&substances=heroin,'%20or%201=1--")
    assert '"value": ["heroin"]' in text


SUBSTANCE_OUTPUTS = [("substances-graph", "figure"), ("substances-source", "children"), ("substances-note", "children"),
                     ("substances-checklist", "options"), ("substances-checklist", "value"),
                     ("substances-base", "options"), ("substances-base", "value"),
                     ("substances-share-link", "href"), ("substances-share-link", "children"),
                     ("substances-table-box", "children")]


def substances_callback(client, geo="nation_usa", substances=("heroin", "psychostimulants"), measure="rate",
                        base=None, panel="municip_nor4601", events=("on",), lang="en", tab="chart"):
    return post_callback(
        client, SUBSTANCE_OUTPUTS,
        [("substances-geo", "value", geo), ("substances-checklist", "value", list(substances)),
         ("substances-measure", "value", measure), ("substances-base", "value", base),
         ("substances-panel", "value", panel), ("substances-events", "value", list(events)),
         ("substances-tabs", "value", tab)],
        state=[("substances-lang", "data", lang)],
    )


def test_substances_death_rate_callback(client):
    response = substances_callback(client)
    figure = response["substances-graph"]["figure"]
    names = trace_names(figure)
    assert "Heroin" in names and "Psychostimulants" in names
    heroin = next(t for t in figure["data"] if t["name"] == "Heroin")
    points = dict(zip((x[:4] for x in heroin["x"]), heroin["y"]))
    assert points["2016"] == pytest.approx(4.9)
    stim = next(t for t in figure["data"] if t["name"] == "Psychostimulants")
    assert dict(zip((x[:4] for x in stim["x"]), stim["y"]))["2020"] == pytest.approx(7.5)
    note = json.dumps(response["substances-source"]["children"], ensure_ascii=False)
    assert "Source" in note and "CDC" in note
    # the trend-panel signals share the time axis (second row, same x axis type)
    assert any(str(n).startswith("Increase") for n in names) and any(str(n).startswith("Decrease") for n in names)
    assert figure["layout"]["xaxis"]["type"] == "date"
    hover = " ".join(h for t in figure["data"] for h in (t.get("hovertext") or []) if isinstance(h, str))
    assert "nedgang i tilgjengelighet og bruk av heroin" in hover
    # events drawn as vertical lines, and toggled off
    assert figure["layout"].get("shapes")
    off = substances_callback(client, events=())["substances-graph"]["figure"]
    assert not off["layout"].get("shapes")


def test_substances_counts_are_provisional_vsrr_and_index_is_100_at_base(client):
    counts = substances_callback(client, measure="count")["substances-graph"]["figure"]
    assert any(t["name"].startswith("Provisional") for t in counts["data"])
    assert any("open" in str(t.get("marker", {}).get("symbol", "")) for t in counts["data"])
    response = substances_callback(client, measure="index", base=2016)
    index = response["substances-graph"]["figure"]
    heroin = next(t for t in index["data"] if t["name"] == "Heroin")
    assert response["substances-base"]["value"] == 2016
    assert 100 in [round(v, 6) for v in heroin["y"] if v is not None]


def test_substances_other_geographies_come_from_the_data(client):
    text = render_page(client, "/substances", "?lang=en")
    for geo in ("nation_usa", "nation_sco", "nation_nor", "state_usa_ny"):
        assert f'"value": "{geo}"' in text
    scotland = substances_callback(client, geo="nation_sco", substances=["heroin"], measure="count")
    assert scotland["substances-checklist"]["value"] == ["all"]
    figure = scotland["substances-graph"]["figure"]
    assert any(t.get("name") == "All" or t.get("name") == "All substances" for t in figure["data"])
    rate = substances_callback(client, geo="nation_sco", substances=["all"], measure="rate")
    assert rate["substances-note"]["children"] in ("", "Rates for this geography are not yet published.")


def test_substances_empty_and_injection_selection(client):
    for value in ([], ["x' or 1=1 --"]):
        response = substances_callback(client, substances=value)
        assert response["substances-checklist"]["value"]  # falls back to the defaults


def test_substances_share_link_callback(client):
    response = substances_callback(client, substances=["heroin", "cocaine"], measure="count")
    href = response["substances-share-link"]["href"]
    assert href.startswith("/substances?geo=nation_usa&substances=heroin,cocaine&measure=count")
    assert "panel=municip_nor4601" in href and href.endswith("lang=en")


@pytest.mark.parametrize("measure", ["litres", "share"])
def test_alcohol_callback(client, measure):
    response = post_callback(
        client,
        [("alcohol-graph", "figure"), ("alcohol-source", "children"), ("alcohol-measure", "options"),
         ("alcohol-share-link", "href"), ("alcohol-share-link", "children")],
        [("alcohol-measure", "value", measure), ("alcohol-geo", "value", "municip_nor4601"),
         ("alcohol-events", "value", [])],
        state=[("alcohol-lang", "data", "en")],
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


SURVEY_OUTPUTS = [("survey-graph", "figure"), ("survey-details", "children"), ("survey-table-box", "children"),
                  ("survey-share-link", "href"), ("survey-share-link", "children")]


def test_survey_national_callback(client):
    response = post_callback(client, SURVEY_OUTPUTS,
                             [("survey-level", "value", "nation"), ("survey-tabs", "value", "chart")],
                             state=[("survey-lang", "data", "en")])
    figure = response["survey-graph"]["figure"]
    with_ci = [t for t in figure["data"] if t.get("error_x")]
    assert {t["legendgroup"] for t in with_ci} == {"2021-W04", "2021-W06"}
    labels = " ".join(str(x) for t in figure["data"] for x in (t.get("text") or []))
    assert "10 of 89" in labels
    assert "⚠" in labels  # the inconsistent W04 row is flagged on the chart
    details = json.dumps(response["survey-details"]["children"], ensure_ascii=False)
    assert "does not match" in details and "10 of 89" in details
    assert "Source" in details
    assert response["survey-share-link"]["href"].endswith("/survey-rounds?level=nation&lang=en")


def test_survey_regional_callback(client):
    response = post_callback(client, SURVEY_OUTPUTS,
                             [("survey-level", "value", "georegion"), ("survey-tabs", "value", "table")],
                             state=[("survey-lang", "data", "en")])
    figure = response["survey-graph"]["figure"]
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert bars and len(bars) == len(figure["data"])
    # one bar per region inside each question's panel, regions named in the page's language
    assert len({y for t in bars for y in t["y"]}) == 5
    assert not any(t.get("error_x") for t in figure["data"])
    details = json.dumps(response["survey-details"]["children"], ensure_ascii=False)
    assert "cannot be computed" in details
    assert "tab=table" in response["survey-share-link"]["href"]


def test_download_callback_returns_csv(client):
    response = post_callback(
        client,
        [("alcohol-download", "data")],
        [("alcohol-download-button", "n_clicks", 1)],
        state=[("alcohol-geo", "value", "municip_nor4601"), ("alcohol-lang", "data", "nb")],
    )
    data = response["alcohol-download"]["data"]
    assert data["filename"].startswith("trendvakt_alkohol_") and data["filename"].endswith(".csv")
    assert "4468468" in data["content"]


def test_missing_warehouse_shows_a_friendly_message(client, monkeypatch, tmp_path):
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(tmp_path / "missing.duckdb"))
    for path in PAGES:
        assert client.get(path).status_code == 200
        rendered = render_page(client, path, "?lang=en")
        # planners' words; the technical reason only inside the closed "Technical detail" element
        assert "cannot be read right now" in rendered, path
        visible = rendered.split("Technical detail")[0]
        assert "make build" not in visible and "duckdb" not in visible.lower(), path
    response = post_callback(
        client,
        [("alcohol-graph", "figure"), ("alcohol-source", "children"), ("alcohol-measure", "options"),
         ("alcohol-share-link", "href"), ("alcohol-share-link", "children")],
        [("alcohol-measure", "value", "litres"), ("alcohol-geo", "value", "municip_nor4601"),
         ("alcohol-events", "value", ["on"])],
        state=[("alcohol-lang", "data", "en")],
    )
    text = json.dumps(response, ensure_ascii=False)
    assert "cannot be read right now" in text and "make build" not in text.split("Technical detail")[0]


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
