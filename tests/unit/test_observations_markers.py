"""Marker cells (spec `markers:`) become qualifiers and bounds in observations.

The frames are what a parser hands over for a spec with markers: the number column is null where
the cell held a marker, and `<column>_marker` keeps the marker text (as in SSB's ".." / ":" cells
and suppressed small counts written "<5")."""
import polars as pl
import pytest

from ingest.observations import map_observations
from ingest.problems import FileRejected

MARKERS = {"..": {"qualifier": "not_available"}, ":": {"qualifier": "suppressed"},
           "-": {"qualifier": "exact", "value": 0}, "<5": {"qualifier": "below", "value_high": 5}}
BLOCK = {"indicator": {"value": "overdose_deaths_residents"}, "geography": {"value": "nation_nor"},
         "period": {"type": "year", "year": "year"}, "value": {"column": "deaths"}, "unit": {"value": "count"}}
FRAME = pl.DataFrame({"year": [2019, 2020, 2021, 2022, 2023],
                      "deaths": [12.0, None, None, None, None],
                      "deaths_marker": [None, "..", ":", "-", "<5"],
                      "source_row": [2, 3, 4, 5, 6]})


def test_markers_give_qualifier_value_and_bounds():
    out = map_observations(FRAME, "t", [BLOCK], markers=MARKERS)
    assert out.select("qualifier", "value", "value_low", "value_high").rows() == [
        ("exact", 12.0, None, None), ("not_available", None, None, None), ("suppressed", None, None, None),
        ("exact", 0.0, None, None), ("below", None, None, 5.0)]


def test_a_block_qualifier_wins_over_the_marker():
    out = map_observations(FRAME.filter(pl.col("deaths_marker") == "<5"), "t",
                           [{**BLOCK, "qualifier": {"value": "approx"}, "value_high": {"value": 4}}], markers=MARKERS)
    assert out.select("qualifier", "value", "value_high").rows() == [("approx", None, 4.0)]


def test_marker_without_entry_is_reported():
    with pytest.raises(FileRejected) as err:
        map_observations(FRAME, "t", [BLOCK], markers={"..": {"qualifier": "not_available"}})
    rows = {p.row for p in err.value.problems if p.reason == "unknown qualifier"}
    assert rows == {4, 5, 6}


def test_no_marker_column_keeps_old_behaviour():
    plain = FRAME.drop("deaths_marker").filter(pl.col("deaths").is_not_null())
    out = map_observations(plain, "t", [BLOCK], markers=MARKERS)
    assert out.select("qualifier", "value").rows() == [("exact", 12.0)]
