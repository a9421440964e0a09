"""The Substances index keeps the chosen base year; a substance without a value in it gets no index."""
import pandas as pd

from dash_app.pages.substances import index_to_base


def test_chosen_base_year_is_kept_and_a_missing_base_gives_no_index():
    frame = pd.DataFrame({"substance_id": ["a", "a", "a", "b", "b"], "year": [2000, 2001, 2002, 2001, 2002],
                          "value": [10.0, 20.0, 40.0, 5.0, 10.0], "value_low": None, "value_high": None})
    out, base = index_to_base(frame, "value", 2000)
    assert base == 2000  # not the first common year (2001)
    a = out[out["substance_id"] == "a"].set_index("year")["index"]
    assert list(a) == [100.0, 200.0, 400.0]
    assert out[out["substance_id"] == "b"]["index"].isna().all()
