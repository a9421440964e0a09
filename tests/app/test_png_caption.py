"""Every view's chart carries its title, its source and the date in the figure itself, so the PNG the
modebar saves still says what it shows and where it comes from (issue 11: "PNG download with title,
source and date burned in"). Checked on the figure as the page first renders it, in both languages."""
from __future__ import annotations

import json
import re

import pytest

from tests.app.test_alcohol_sources_views import find
from tests.app.test_callbacks import render_page

# (path, the view's Graph id): every view that draws a chart
CHART_VIEWS = [("/substances", "substances-graph"), ("/overdoses", "overdoses-graph"), ("/alcohol", "alcohol-graph"),
               ("/survey-rounds", "survey-graph"), ("/explorer", "explorer-graph"), ("/sources", "sources-graph")]
SOURCE_WORD = {"nb": "Kilde:", "en": "Source:"}


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("path, graph_id", CHART_VIEWS)
def test_the_chart_names_its_title_source_and_date(client, path, graph_id, lang):
    tree = json.loads(render_page(client, path, f"?lang={lang}"))
    graph = find(tree, graph_id)
    assert graph is not None, f"{path}: no {graph_id} in the page"
    layout = graph["props"]["figure"]["layout"]
    titles = [layout.get("title", {}).get("text") or ""] + [
        a.get("text", "") for a in layout.get("annotations", []) if a.get("yref") == "paper" and a.get("y", 0) >= 1]
    assert any(t.strip() for t in titles), f"{path}: the figure has no title of its own"
    captions = [a["text"] for a in layout.get("annotations", []) if a.get("name") == "caption"]
    assert len(captions) == 1, f"{path} ({lang}): {len(captions)} caption annotations"
    text = captions[0].replace("<br>", " ")
    assert text.startswith(SOURCE_WORD[lang]) and len(text.split(":", 1)[1].strip()) > 10, text
    assert re.search(r"\d{4}-\d\d-\d\d · trendvakt", text), text
