"""The Overdoses view (issue 11, problems 2 and 3, its table tab and its share link), through the
Flask test client against the published warehouse.

Bergen's published overdose deaths are bounds in 2009-2010 ('i underkant av 30', stored as
deaths_high 29), a range 31-36 in 2011-2014 and 17 in 2015; the Helse Bergen ambulance area's
callouts per death are known only as ranges (710 / 36-31 in 2011, 442 / 36-31 in 2014); Norway's
deaths in publish.overdose are Eurostat's drug-dependence deaths (TOXICO), another definition.
"""
from __future__ import annotations

import json
import re

import pytest

from tests.app.test_callbacks import post_callback, render_page

BERGEN, AREA, NORWAY = "municip_nor4601", "ambulancearea_nor_helse_bergen", "nation_nor"
OUTPUTS = [("overdoses-graph", "figure"), ("overdoses-source", "children"), ("overdoses-table-box", "children"),
           ("overdoses-share-link", "href"), ("overdoses-share-link", "children")]


@pytest.fixture()
def bergen_published(client):
    from dash_app import queries

    if "overdose" not in queries.published_views():
        pytest.fail("publish.overdose is not in the test warehouse")
    places = set(queries.overdose_geographies()["geo_code"])
    assert {BERGEN, AREA, NORWAY} <= places, places


def overdoses(client, geos, mode, events=("on",), tab="chart", lang="en") -> dict:
    return post_callback(client, OUTPUTS,
                         [("overdoses-geo", "value", geos), ("overdoses-mode", "value", mode),
                          ("overdoses-events", "value", list(events)), ("overdoses-tabs", "value", tab)],
                         state=[("overdoses-lang", "data", lang)])


def hovers(figure: dict, name_prefix: str = "") -> list[str]:
    return [h for t in figure["data"] if str(t.get("name", "")).startswith(name_prefix)
            for h in (t.get("hovertext") or []) if h]


def cells(response: dict) -> list[list[str]]:
    """The table's rows as lists of cell texts (header row first)."""
    box = response["overdoses-table-box"]["children"]
    tbl = box["props"]["children"]["props"]["children"]
    head, body = tbl[0], tbl[1]
    rows = [[c["props"]["children"] for c in head["props"]["children"]["props"]["children"]]]
    rows += [[c["props"]["children"] for c in tr["props"]["children"]] for tr in body["props"]["children"]]
    return rows


def test_callouts_per_death_are_drawn_as_ranges_by_default(client, bergen_published):
    """2a: the default places in 'callouts per death' mode show the published ranges, not 'No data'."""
    figure = overdoses(client, None, "ratio")["overdoses-graph"]["figure"]
    texts = json.dumps(figure.get("layout", {}).get("annotations", []))
    assert "No data" not in texts
    hover = " | ".join(hovers(figure))
    assert "2011: 19.7–22.9" in hover and "2014: 12.3–14.3" in hover, hover
    ys = [y for t in figure["data"] for y in (t.get("y") or []) if y is not None]
    assert any(abs(y - 710 / 36) < 0.01 for y in ys) and any(abs(y - 710 / 31) < 0.01 for y in ys)


def test_rate_mode_keeps_bergens_bound_years_as_bounded_rates(client, bergen_published):
    """2b: rates of a bounded count are bounded rates: every year 2009-2015 is drawn for Bergen."""
    figure = overdoses(client, [BERGEN], "rates")["overdoses-graph"]["figure"]
    hover = hovers(figure, "Bergen")
    years = {int(m) for h in hover for m in re.findall(r"<br>(20\d\d): ", h)}
    assert years == set(range(2009, 2016)), hover
    ranges = [h for h in hover if "2011: " in h]
    assert ranges and re.search(r"2011: \d+\.\d–\d+\.\d", ranges[0]), ranges
    assert any("2009: below" in h for h in hover), hover


def test_under_30_is_drawn_up_to_30_and_hovered_under_30(client, bergen_published):
    """2c: 'i underkant av 30' (stored as 29, the largest count allowed) reads 'under 30', never 29."""
    nb = overdoses(client, [BERGEN], "counts", lang="nb")["overdoses-graph"]["figure"]
    caps = [t for t in nb["data"] if str(t.get("name", "")).endswith(" under")]  # named in the page language
    assert caps and set(caps[0]["y"]) == {30.0}
    assert all("under 30" in h for h in caps[0]["hovertext"]) and "29" not in json.dumps(caps[0]["hovertext"])
    bars = [t for t in nb["data"] if t.get("mode") == "lines" and 0.0 in (t.get("y") or [])]
    assert bars and 30.0 in bars[0]["y"] and 29.0 not in bars[0]["y"]
    en = overdoses(client, [BERGEN], "counts", lang="en")["overdoses-graph"]["figure"]
    assert any("2009: below 30" in h for h in hovers(en, "Bergen"))


def test_eurostat_drug_dependence_deaths_get_their_own_labelled_panel(client, bergen_published):
    """3: Norway's Eurostat drug-dependence deaths are never on Bergen's overdose-deaths axis."""
    figure = overdoses(client, [BERGEN, NORWAY], "counts")["overdoses-graph"]["figure"]
    axis_of = {}
    for t in figure["data"]:
        if t.get("hovertext") and t.get("name") in ("Bergen", "Norway", "Norge"):
            axis_of.setdefault(t["name"], set()).add(t.get("yaxis", "y"))
    norway = axis_of.get("Norway") or axis_of.get("Norge")
    assert norway and axis_of["Bergen"] and not (norway & axis_of["Bergen"]), axis_of
    titles = [a["text"] for a in figure["layout"]["annotations"]]
    assert "Overdose deaths, residents" in titles and "Deaths from drug dependence (Eurostat)" in titles
    assert all("Deaths from drug dependence" in h for h in hovers(figure, "Nor"))
    rates = overdoses(client, [BERGEN, NORWAY], "rates")
    assert "drug dependence" in json.dumps(rates["overdoses-source"]["children"])  # the definition is named


def test_table_tab_is_the_charts_text_alternative_in_the_pages_language(client, bergen_published):
    page = render_page(client, "/overdoses", "")
    assert '"overdoses-tabs"' in page and '"Figur"' in page and '"Tabell"' in page
    nb = overdoses(client, [BERGEN, AREA], "counts", lang="nb")
    rows = cells(nb)
    assert rows[0] == ["Sted", "År", "Mål for dødsfall", "Dødsfall", "Ambulanseutrykninger", "Skjult"]
    bergen = {r[1]: r for r in rows[1:] if r[0] == "Bergen"}
    assert bergen["2009"][3] == "under 30" and bergen["2011"][3] == "31–36" and bergen["2015"][3] == "17"
    assert bergen["2009"][5] == "Nei"
    text = " | ".join(c for r in rows for c in r)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text  # no snake_case
    assert "False" not in text and "True" not in text and "below" not in text
    ratio_nb = cells(overdoses(client, [AREA], "ratio", lang="nb"))
    assert ratio_nb[0] == ["Sted", "År", "Utrykninger per dødsfall"]
    assert ["2011", "19,7–22,9"] == ratio_nb[1][1:] and ["2014", "12,3–14,3"] == ratio_nb[2][1:]
    en = cells(overdoses(client, [BERGEN], "counts", lang="en"))
    assert en[0][:4] == ["Place", "Year", "Deaths measure", "Deaths"] and en[1][-1] == "No"
    assert "Ambulance callouts" not in en[0]  # no callouts for Bergen municipality: no empty column
    rates_en = cells(overdoses(client, [BERGEN], "rates", lang="en"))
    assert [r[3] for r in rates_en[1:] if r[1] == "2009"][0].startswith("under ")


def test_share_link_carries_every_control_and_reproduces_the_state(client, bergen_published):
    response = overdoses(client, [BERGEN, NORWAY], "rates", events=(), tab="table", lang="nb")
    href = response["overdoses-share-link"]["href"]
    assert href.startswith("/overdoses?")
    query = href.split("?", 1)[1]
    assert f"geo={BERGEN},{NORWAY}" in query and "mode=rates" in query and "events=off" in query
    assert "tab=table" in query and "lang=nb" in query
    page = render_page(client, "/overdoses", "?" + query)
    assert f'"value": ["{BERGEN}", "{NORWAY}"]' in page and '"value": "rates"' in page
    assert '"value": "table"' in page and '"id": "overdoses-events"' in page
    events = re.search(r'"id": "overdoses-events"[^}]*"value": (\[[^\]]*\])', page) or \
        re.search(r'"value": (\[[^\]]*\])[^{}]*"id": "overdoses-events"', page)
    assert events and events.group(1) == "[]", page[:300]
    default = overdoses(client, [BERGEN], "counts")["overdoses-share-link"]["href"]
    assert "tab=" not in default and "events=" not in default
