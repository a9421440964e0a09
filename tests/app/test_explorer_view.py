"""Explorer (issue 11): series keys with commas round-trip, a valid year range, compare mode, the
Table tab as the chart's text alternative, every control in the share link."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from tests.app.test_callbacks import post_callback, render_page
from tests.app.test_new_views import explorer_callback


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
