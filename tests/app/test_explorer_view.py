"""Explorer (issue 11): series keys with commas round-trip, a valid year range, compare mode, the
Table tab as the chart's text alternative, every control in the share link."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from tests.app.test_callbacks import post_callback, render_page
from tests.app.test_new_views import EXPLORER_OUTPUTS, explorer_callback


def _male_breakdown_key():
    """A real Eurostat series of drug_dependence_deaths for men, whose breakdown holds a comma."""
    from dash_app import queries

    opts = queries.explorer_options("drug_dependence_deaths")
    hit = opts[(opts["sex"] == "male") & (opts["age_group"] == "all") & opts["breakdown"].str.contains(",")
               & (opts["geo_code"] == "nation_nor")]
    assert not hit.empty, "the warehouse has no male drug-dependence series with a comma in its breakdown"
    row = hit.iloc[0]
    return row["geo_code"], f"{row['substance_id']}|male|all|{row['breakdown']}", row["breakdown"]


def _dropdown(layout_json: str, component_id: str) -> dict:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == component_id:
                found.append(node["props"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(json.loads(layout_json))
    assert found, component_id
    return found[0]


def test_series_with_a_comma_is_drawn_as_chosen_through_the_callback(client):
    from dash_app import queries

    geo, key, breakdown = _male_breakdown_key()
    response = explorer_callback(client, "drug_dependence_deaths", [geo], key)
    figure = response["explorer-graph"]["figure"]
    assert "men" in figure["layout"]["title"]["text"]  # the title names the chosen series
    male = queries.series_rows("drug_dependence_deaths", [geo], "year", "all", "male", "all", breakdown)
    both = queries.series_rows("drug_dependence_deaths", [geo], "year", "all", "all", "all", breakdown)
    drawn = sorted(v for t in figure["data"] if t.get("mode") == "lines+markers" for v in t["y"] if v is not None)
    assert drawn == sorted(float(v) for v in male["value"].dropna())
    assert drawn != sorted(float(v) for v in both["value"].dropna())
    href = response["explorer-share-link"]["href"]
    assert parse_qs(urlsplit(href).query)["series"] == [key]


def test_series_with_a_comma_round_trips_through_the_url(client):
    geo, key, _ = _male_breakdown_key()
    href = explorer_callback(client, "drug_dependence_deaths", [geo], key)["explorer-share-link"]["href"]
    text = render_page(client, "/explorer", "?" + urlsplit(href).query)
    assert _dropdown(text, "explorer-series")["value"] == key


CONTROL_OUTPUTS = [("explorer-geo", "options"), ("explorer-geo", "value"), ("explorer-series", "options"),
                   ("explorer-series", "value"), ("explorer-ptype", "options"), ("explorer-ptype", "value"),
                   ("explorer-from", "options"), ("explorer-from", "value"), ("explorer-to", "options"),
                   ("explorer-to", "value"), ("explorer-years-note", "children")]


def test_from_after_to_is_swapped_said_and_prevented(client):
    response = post_callback(
        client, CONTROL_OUTPUTS,
        [("explorer-indicator", "value", "drug_related_deaths_nrs"), ("explorer-from", "value", 2018),
         ("explorer-to", "value", 2017)],
        state=[("explorer-geo", "value", ["nation_sco"]), ("explorer-series", "value", None),
               ("explorer-ptype", "value", None), ("explorer-lang", "data", "en")],
    )
    assert (response["explorer-from"]["value"], response["explorer-to"]["value"]) == (2017, 2018)
    assert "swapped" in response["explorer-years-note"]["children"]
    disabled_to = {o["value"] for o in response["explorer-to"]["options"] if o.get("disabled")}
    disabled_from = {o["value"] for o in response["explorer-from"]["options"] if o.get("disabled")}
    assert 2016 in disabled_to and 2017 not in disabled_to  # To cannot be set before From
    assert 2019 in disabled_from and 2018 not in disabled_from
    # the same from the address bar, in Norwegian
    text = render_page(client, "/explorer", "?indicator=drug_related_deaths_nrs&geo=nation_sco&from=2018&to=2017")
    assert _dropdown(text, "explorer-from")["value"] == 2017 and _dropdown(text, "explorer-to")["value"] == 2018
    assert "byttet om" in text


def test_compare_two_places_distinct_styles_and_named_legend(client):
    # two municipalities of one indicator (the municipal population: Oslo and Stavanger)
    response = explorer_callback(client, "population", ["municip_nor0301", "municip_nor1103"])
    lines = [t for t in response["explorer-graph"]["figure"]["data"] if t.get("mode") == "lines+markers"
             and t.get("showlegend", True) is not False]
    names = {t["name"] for t in lines}
    assert any("Oslo" in n for n in names) and "Stavanger" in names, names
    styles = {(t["line"].get("color"), t["line"].get("dash")) for t in lines}
    assert len(styles) == len(lines) >= 2
    href = response["explorer-share-link"]["href"]
    assert parse_qs(urlsplit(href).query)["geo"] == ["municip_nor0301,municip_nor1103"]
    text = render_page(client, "/explorer", "?" + urlsplit(href).query)
    assert _dropdown(text, "explorer-geo")["value"] == ["municip_nor0301", "municip_nor1103"]


def _table_text(children) -> tuple[list[str], list[list[str]]]:
    rows = []

    def walk(node, out):
        if isinstance(node, dict):
            kind, props = node.get("type"), node.get("props", {})
            if kind in ("Th", "Td"):
                out.append((kind, props.get("children")))
                return
            walk(props.get("children"), out)
        elif isinstance(node, list):
            for v in node:
                walk(v, out)
    cells = []
    walk(children, cells)
    heads = [c for k, c in cells if k == "Th"]
    tds = [c for k, c in cells if k == "Td"]
    rows = [tds[i:i + len(heads)] for i in range(0, len(tds), len(heads))]
    return heads, rows


def test_table_tab_is_the_chart_in_words(client):
    for lang, yes_no, qual in (("nb", {"Ja", "Nei"}, "under"), ("en", {"Yes", "No"}, "below")):
        response = explorer_callback(client, "overdose_deaths_residents", ["municip_nor4601"], lang=lang, tab="table")
        heads, rows = _table_text(response["explorer-table-box"]["children"])
        assert heads and all("_" not in h and h == h.strip() for h in heads), heads
        assert ("Sted" if lang == "nb" else "Place") in heads
        assert ("Foreløpig" if lang == "nb" else "Provisional") in heads
        prov = heads.index("Foreløpig" if lang == "nb" else "Provisional")
        assert {r[prov] for r in rows} <= yes_no and {r[prov] for r in rows}
        flat = [c for r in rows for c in r]
        assert "False" not in flat and "True" not in flat and qual in flat
        assert not any(isinstance(c, str) and "_" in c for c in flat)
        # the values drawn: every point of the chart's line is a row of the table
        fig = response["explorer-graph"]["figure"]
        drawn = [v for t in fig["data"] if t.get("mode") == "lines+markers" for v in t["y"] if v is not None]
        value = heads.index("Verdi" if lang == "nb" else "Value")
        assert {int(v) for v in drawn} <= {int(r[value]) for r in rows if r[value]}
        assert "tab=table" in response["explorer-share-link"]["href"]
    text = render_page(client, "/explorer", "?indicator=overdose_deaths_residents&tab=table")
    tabs = _dropdown(text, "explorer-tabs")
    assert tabs["value"] == "table" and [c["props"]["label"] for c in tabs["children"]] == ["Figur", "Tabell"]


def test_every_control_is_in_the_share_link(client):
    geo, key, _ = _male_breakdown_key()
    response = post_callback(
        client, EXPLORER_OUTPUTS,
        [("explorer-indicator", "value", "drug_dependence_deaths"), ("explorer-geo", "value", [geo]),
         ("explorer-series", "value", key), ("explorer-ptype", "value", "year"), ("explorer-from", "value", 2017),
         ("explorer-to", "value", 2019), ("explorer-events", "value", []), ("explorer-tabs", "value", "table")],
        state=[("explorer-lang", "data", "en")],
    )
    query = parse_qs(urlsplit(response["explorer-share-link"]["href"]).query)
    assert query == {"indicator": ["drug_dependence_deaths"], "geo": [geo], "series": [key], "ptype": ["year"],
                     "from": ["2017"], "to": ["2019"], "events": ["off"], "tab": ["table"], "lang": ["en"]}
    text = render_page(client, "/explorer", "?" + urlsplit(response["explorer-share-link"]["href"]).query)
    for cid, prop, value in [("explorer-indicator", "value", "drug_dependence_deaths"), ("explorer-geo", "value", [geo]),
                             ("explorer-series", "value", key), ("explorer-from", "value", 2017),
                             ("explorer-to", "value", 2019), ("explorer-events", "value", []),
                             ("explorer-tabs", "value", "table")]:
        assert _dropdown(text, cid)[prop] == value, cid
