"""Alcohol and Sources views: the Chart/Table tabs (the chart's values in the page language), the
modebar without cloud upload, the caption (source and date) burned into the figures, and events
drawn above the plot on the Alcohol chart."""
from __future__ import annotations

import json
import re

import pytest

from tests.app.test_callbacks import post_callback, render_page

NB_NUMBER = re.compile(r"^\d{1,3}([\u00a0 ]\d{3})+(,\d+)?$")  # Babel: no-break space between thousands
EN_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def find(node, component_id):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        node = node.get("props", {}).get("children")
    if isinstance(node, list):
        for child in node:
            hit = find(child, component_id)
            if hit is not None:
                return hit
    elif isinstance(node, dict):
        return find(node, component_id)
    return None


def strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return strings(node.get("props", {}).get("children"))
    if isinstance(node, list):
        return [s for child in node for s in strings(child)]
    return []


def cells(text: str, table_id: str) -> list[str]:
    """The strings inside the table `table_id` in a rendered (JSON) layout."""
    return strings(find(json.loads(text), table_id))


@pytest.mark.parametrize("lang,tabs,number", [("nb", ("Figur", "Tabell"), NB_NUMBER),
                                              ("en", ("Chart", "Table"), EN_NUMBER)])
def test_alcohol_has_a_table_tab_in_the_page_language(client, lang, tabs, number):
    text = render_page(client, "/alcohol", f"?geo=municip_nor4601&lang={lang}")
    assert '"id": "alcohol-tabs"' in text and '"id": "alcohol-graph"' in text
    for label in tabs:
        assert f'"label": "{label}"' in text
    values = cells(text, "alcohol-table")
    assert values, "the table tab holds the chart's values"
    big = [v for v in values if len(v.replace(" ", "").replace("\u00a0", "").replace(",", "").replace(".", "")) > 4
           and v.replace(" ", "").replace("\u00a0", "").replace(",", "").replace(".", "").isdigit()]
    assert big and all(number.match(v) for v in big), big[:5]
    assert "4\u00a0468\u00a0468" in values if lang == "nb" else "4,468,468" in values  # beer, Bergen, 2007
    assert not any("_" in v for v in values)  # no snake_case headers or ids
    assert ("År" if lang == "nb" else "Year") in values


def test_alcohol_table_follows_the_measure(client):
    response = post_callback(client, [("alcohol-table-box", "children")],
                             [("alcohol-measure", "value", "share"), ("alcohol-geo", "value", "municip_nor4601")],
                             state=[("alcohol-lang", "data", "nb")])
    text = json.dumps(response["alcohol-table-box"]["children"], ensure_ascii=False)
    assert "88,2" in text  # beer's share of litres in 2007, decimal comma
    assert "Andel av totale liter (%)" in text


def test_alcohol_figure_has_caption_config_and_events_above_the_plot(client):
    text = render_page(client, "/alcohol", "?geo=municip_nor4601&lang=nb")
    assert '"showSendToCloud": false' in text and '"showEditInChartStudio": false' in text
    assert '"filename": "trendvakt"' in text
    response = post_callback(
        client, [("alcohol-graph", "figure"), ("alcohol-source", "children"), ("alcohol-measure", "options"),
                 ("alcohol-share-link", "href"), ("alcohol-share-link", "children")],
        [("alcohol-measure", "value", "litres"), ("alcohol-geo", "value", "municip_nor4601"),
         ("alcohol-events", "value", ["on"])], state=[("alcohol-lang", "data", "nb")])
    layout = response["alcohol-graph"]["figure"]["layout"]
    caption = [a for a in layout["annotations"] if a.get("name") == "caption"]
    assert caption and "Kilde:" in caption[0]["text"] and re.search(r"\d{4}-\d\d-\d\d", caption[0]["text"])
    assert layout["title"]["text"].startswith("Alkohol")
    # Bergen's sales end in 2015, before the first event: no event line outside the data's years
    assert not [a for a in layout["annotations"] if a.get("name") == "event"] and not layout.get("shapes")


@pytest.mark.parametrize("lang,tabs,headers", [("nb", ("Figur", "Tabell"), ("Kilde", "Første periode")),
                                               ("en", ("Chart", "Table"), ("Source", "First period"))])
def test_sources_has_a_table_tab_in_the_page_language(client, lang, tabs, headers):
    text = render_page(client, "/sources", f"?lang={lang}")
    assert '"id": "sources-tabs"' in text and '"id": "sources-graph"' in text and '"id": "sources-table"' in text
    for label in (*tabs, ):
        assert f'"label": "{label}"' in text
    values = cells(text, "sources-values")
    assert set(headers) <= set(values)
    number = NB_NUMBER if lang == "nb" else EN_NUMBER
    big = [v for v in values if v.replace(" ", "").replace("\u00a0", "").replace(",", "").isdigit() and len(v) > 4]
    assert big and all(number.match(v) for v in big), big[:5]
    response = post_callback(client, [("sources-values-box", "children")], [("sources-sort", "value", "n_observations")],
                             state=[("sources-lang", "data", lang)])
    assert "sources-values" in json.dumps(response, ensure_ascii=False)
