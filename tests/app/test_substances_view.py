"""Substances (issue 11): the index is computed on the series the other measures show, with the
chosen base year, and said; a Table tab is the chart's text alternative; every control in the link."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.app.test_callbacks import render_page, substances_callback
from tests.app.test_explorer_view import _dropdown, _table_text


def _line(figure: dict, name: str) -> dict[str, float]:
    trace = next(t for t in figure["data"] if t.get("name") == name and t.get("mode") == "lines+markers")
    return {x[:4]: y for x, y in zip(trace["x"], trace["y"]) if y is not None}


def test_index_is_the_rate_series_to_the_chosen_base_year(client):
    rate = _line(substances_callback(client, measure="rate")["substances-graph"]["figure"], "Heroin")
    response = substances_callback(client, measure="index", base=2005)
    index = _line(response["substances-graph"]["figure"], "Heroin")
    assert response["substances-base"]["value"] == 2005  # the chosen base year, not the first common year
    assert index["2005"] == pytest.approx(100)
    assert set(index) == set(rate)  # the same years: the same data set as "Per 100,000"
    for year, value in rate.items():
        assert index[year] == pytest.approx(value * 100 / rate["2005"])
    note = response["substances-note"]["children"]
    assert "Per 100,000" in note and "2005 = 100" in note
    assert 1999 in [o["value"] for o in response["substances-base"]["options"]]
    assert "base=2005" in response["substances-share-link"]["href"]


def test_index_base_year_from_the_address_bar(client):
    text = render_page(client, "/substances", "?geo=nation_usa&substances=heroin,cocaine&measure=index&base=2010")
    assert _dropdown(text, "substances-base")["value"] == 2010
    assert "2010 = 100" in text


def test_table_tab_is_the_chart_in_words(client):
    for lang, yes_no in (("nb", {"Ja", "Nei"}), ("en", {"Yes", "No"})):
        response = substances_callback(client, measure="count", lang=lang, tab="table")
        heads, rows = _table_text(response["substances-table-box"]["children"])
        assert heads[0] == ("Rusmiddel" if lang == "nb" else "Substance")
        assert all("_" not in h for h in heads)
        prov = heads.index("Foreløpig" if lang == "nb" else "Provisional")
        assert {r[prov] for r in rows} <= yes_no
        assert ("Heroin" in {r[0] for r in rows})
        figure = response["substances-graph"]["figure"]
        drawn = sorted(v for t in figure["data"] if t.get("name") in ("Heroin", "Psychostimulants",
                                                                       "Sentralstimulerende")
                       and t.get("mode") == "lines+markers" for v in t["y"] if v is not None)
        assert len(rows) >= len(drawn) > 0
        assert "tab=table" in response["substances-share-link"]["href"]
    text = render_page(client, "/substances", "?tab=table")
    tabs = _dropdown(text, "substances-tabs")
    assert tabs["value"] == "table" and [c["props"]["label"] for c in tabs["children"]] == ["Figur", "Tabell"]


def test_every_control_is_in_the_share_link(client):
    response = substances_callback(client, geo="nation_usa", substances=["heroin", "cocaine"], measure="index",
                                   base=2010, panel="municip_nor4601", events=(), tab="table")
    query = parse_qs(urlsplit(response["substances-share-link"]["href"]).query)
    assert query == {"geo": ["nation_usa"], "substances": ["heroin,cocaine"], "measure": ["index"], "base": ["2010"],
                     "panel": ["municip_nor4601"], "events": ["off"], "tab": ["table"], "lang": ["en"]}
    text = render_page(client, "/substances", "?" + urlsplit(response["substances-share-link"]["href"]).query)
    for cid, value in [("substances-geo", "nation_usa"), ("substances-checklist", ["heroin", "cocaine"]),
                       ("substances-measure", "index"), ("substances-base", 2010),
                       ("substances-panel", "municip_nor4601"), ("substances-events", []),
                       ("substances-tabs", "table")]:
        assert _dropdown(text, cid)["value"] == value, cid
