"""The Data quality view's traffic lights (publish.load_status.source_status): one line per source,
red first, with its reason, readable without colour (the status word is written out)."""
from __future__ import annotations

import pandas as pd

from dash_app.pages.quality import source_status_list


def _texts(component) -> list[str]:
    """Every string under a Dash component, depth first."""
    children = getattr(component, "children", component)
    if isinstance(children, str):
        return [children]
    if children is None:
        return []
    if not isinstance(children, (list, tuple)):
        children = [children]
    return [t for c in children for t in _texts(c)]


def test_each_source_once_red_first_with_its_reason():
    loads = pd.DataFrame([
        {"source_id": "fhi_dodsfall", "source_label": "FHI", "source_status": "green", "source_status_reason": None},
        {"source_id": "nrs_extra", "source_label": "NRS", "source_status": "red",
         "source_status_reason": "nrs_extra/deaths.csv: the newest file was rejected, its last good vintage is published"},
        {"source_id": "nrs_extra", "source_label": "NRS", "source_status": "red",
         "source_status_reason": "nrs_extra/deaths.csv: the newest file was rejected, its last good vintage is published"},
        {"source_id": "ssb_alkohol", "source_label": None, "source_status": "amber",
         "source_status_reason": "1 warning at ingest"},
    ])
    listing = source_status_list(loads, "en")
    items = listing.children
    assert [i.to_plotly_json()["props"]["data-source"] for i in items] == ["nrs_extra", "ssb_alkohol", "fhi_dodsfall"]
    assert [i.children[0].className for i in items] == ["tv-light tv-light-red", "tv-light tv-light-amber",
                                                        "tv-light tv-light-green"]
    first = "".join(_texts(items[0]))
    assert first.startswith("red NRS") and "its last good vintage is published" in first
    # no label: the source id stands in; no reason for a green source
    assert "ssb_alkohol" in "".join(_texts(items[1]))
    assert "".join(_texts(items[2])) == "green FHI"
    assert "rød" in "".join(_texts(source_status_list(loads, "nb")))


def test_no_loads_yet_says_so():
    empty = source_status_list(pd.DataFrame(columns=["source_id", "source_status"]), "en")
    assert "No source has been loaded yet." in _texts(empty)
