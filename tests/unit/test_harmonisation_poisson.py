"""The exact Poisson limits model (dbt_project/models/intermediate/int_poisson_exact_limits.py).

Pins the worked example in dbt_project/README.md: 17 events -> 9.903 .. 27.218, so Bergen's 2015
rate 17 / 275,112 * 100,000 = 6.18 has the interval 3.60 .. 9.89 per 100,000.
"""
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

MODEL = Path(__file__).resolve().parents[2] / "dbt_project/models/intermediate/int_poisson_exact_limits.py"


class _Rel:
    def __init__(self, frame):
        self._frame = frame

    def df(self):
        return self._frame.copy()


class _Dbt:
    def __init__(self, frame):
        self._frame = frame

    def config(self, **kwargs):
        pass

    def ref(self, name):
        assert name == "int_poisson_event_counts"
        return _Rel(self._frame)


def _limits(counts):
    spec = importlib.util.spec_from_file_location("int_poisson_exact_limits", MODEL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.model(_Dbt(pd.DataFrame({"events": counts})), None)
    return out.set_index("events")


def test_garwood_limits_for_17_and_zero():
    limits = _limits([0.0, 17.0, 5.95])
    assert limits.loc[17.0, "lower_limit"] == pytest.approx(9.9031, abs=1e-4)
    assert limits.loc[17.0, "upper_limit"] == pytest.approx(27.2186, abs=1e-4)
    assert limits.loc[0.0, "lower_limit"] == 0.0
    assert limits.loc[0.0, "upper_limit"] == pytest.approx(3.6889, abs=1e-4)
    # a fractional (split-weighted) count gets limits around it
    assert limits.loc[5.95, "lower_limit"] < 5.95 < limits.loc[5.95, "upper_limit"]
    rate = 17 / 275112 * 100000
    assert rate == pytest.approx(6.1793, abs=1e-4)
    assert limits.loc[17.0, "lower_limit"] / 275112 * 100000 == pytest.approx(3.5997, abs=1e-4)
    assert limits.loc[17.0, "upper_limit"] / 275112 * 100000 == pytest.approx(9.8937, abs=1e-4)
