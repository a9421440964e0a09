"""Trend statistics of marts.mart_trend_stats, checked against independent computations.

The functions live in the dbt Python model (dbt_project/models/marts/mart_trend_stats.py), which
dbt loads itself; here the file is imported by path. Every expected number below is computed
in this file without the model's code: numpy least squares on log(rate), a brute-force joinpoint
search written out as loops, statsmodels' GLM for the Poisson fit, and a hand-worked
Mann-Kendall / Sen example.
"""
from __future__ import annotations

import csv
import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

REPO = Path(__file__).resolve().parents[2]
MODEL_FILE = REPO / "dbt_project" / "models" / "marts" / "mart_trend_stats.py"
CDC_DIR = REPO / "data" / "raw" / "cdc_wonder"


def _load_model():
    spec = importlib.util.spec_from_file_location("mart_trend_stats", MODEL_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ts = _load_model()


@pytest.fixture(scope="module")
def heroin() -> tuple[np.ndarray, np.ndarray]:
    """US heroin overdose death rates per 100,000, 1999-2020 (CDC WONDER via OWID)."""
    (path,) = sorted(CDC_DIR.glob("*.csv"))
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    column = next(c for c in rows[0] if c.lower().startswith("heroin"))
    years = np.array([int(r["Year"]) for r in rows if r["Entity"] == "United States"])
    rates = np.array([float(r[column]) for r in rows if r["Entity"] == "United States"])
    order = np.argsort(years)
    return years[order], rates[order]


def _ols_log_slope(years, values):
    """Slope of log(value) on year and its standard error, by the textbook formulas."""
    t = np.asarray(years, float)
    y = np.log(np.asarray(values, float))
    tc = t - t.mean()
    slope = float((tc * (y - y.mean())).sum() / (tc ** 2).sum())
    intercept = y.mean() - slope * t.mean()
    resid = y - (intercept + slope * t)
    s2 = float((resid ** 2).sum() / (len(t) - 2))
    return slope, math.sqrt(s2 / (tc ** 2).sum())


def test_heroin_series_is_the_published_one(heroin):
    years, rates = heroin
    assert years[0] == 1999 and years[-1] == 2020 and len(years) == 22
    assert rates[0] == pytest.approx(0.7) and rates.max() == pytest.approx(4.9)


def test_heroin_apc_matches_least_squares_on_log_rate(heroin):
    years, rates = heroin
    slope, se = _ols_log_slope(years, rates)
    q = stats.t.ppf(0.975, len(years) - 2)
    expected = [100 * (math.exp(b) - 1) for b in (slope, slope - q * se, slope + q * se)]

    row = ts.series_stats(years, rates, "per_100k")

    assert row["apc_model"] == "ols_log"
    assert [row["apc"], row["apc_low"], row["apc_high"]] == pytest.approx(expected, rel=1e-9)
    # the number itself, so a change of method shows up here: +12.7 % a year (10.4 .. 15.0)
    assert row["apc"] == pytest.approx(12.69, abs=0.01)
    assert row["apc_low"] == pytest.approx(10.40, abs=0.01)
    assert row["apc_high"] == pytest.approx(15.02, abs=0.01)
    assert row["direction"] == "increasing"


def _brute_force_joinpoints(years, values, max_k=2, min_points=3):
    """Every 0, 1 and 2 joinpoint placement at observed years, each segment >= min_points years
    (joinpoint counted in both), continuous hinge fit on log(value) by numpy lstsq; BIC with
    2 + 2k parameters picks k. Returns (joinpoint years, segment slopes)."""
    t = np.asarray(years, float)
    y = np.log(np.asarray(values, float))
    n = len(t)
    results = {}
    placements = {0: [()]}
    placements[1] = [(t[i],) for i in range(n) if i + 1 >= min_points and n - i >= min_points]
    placements[2] = [(t[i], t[j]) for i in range(n) for j in range(i + 1, n)
                     if i + 1 >= min_points and j - i + 1 >= min_points and n - j >= min_points]
    for k in range(max_k + 1):
        best = None
        for jps in placements[k]:
            X = np.column_stack([np.ones(n), t] + [np.clip(t - tau, 0, None) for tau in jps])
            beta, *_ = np.linalg.lstsq(X, y, rcond=None)
            sse = float(((y - X @ beta) ** 2).sum())
            if best is None or sse < best[0]:
                best = (sse, jps, beta)
        sse, jps, beta = best
        bic = n * math.log(sse / n) + (2 + 2 * k) * math.log(n)
        results[k] = (bic, jps, beta)
    k = min(results, key=lambda kk: results[kk][0])
    _, jps, beta = results[k]
    slopes = [float(beta[1] + beta[2:2 + s].sum()) for s in range(k + 1)]
    return tuple(int(j) for j in jps), slopes


def test_heroin_joinpoints_match_brute_force_search(heroin):
    years, rates = heroin
    expected_jps, expected_slopes = _brute_force_joinpoints(years, rates)

    fit = ts.joinpoint_fit(years, rates, "ols")
    row = ts.series_stats(years, rates, "per_100k")

    assert fit["joinpoints"] == expected_jps
    assert [s["slope"] for s in fit["segments"]] == pytest.approx(expected_slopes, rel=1e-8)
    # flat until 2007, then +24 % a year to 2016, then falling
    assert expected_jps == (2007, 2016)
    assert row["n_joinpoints"] == 2 and row["joinpoint_years"] == "2007,2016"
    seg = fit["segments"]
    assert [(s["start_year"], s["end_year"]) for s in seg] == [(1999, 2007), (2007, 2016), (2016, 2020)]
    assert seg[1]["apc"] == pytest.approx(100 * (math.exp(expected_slopes[1]) - 1), rel=1e-8)
    assert seg[1]["apc_low"] > 20 and seg[2]["apc"] < 0
    for s in seg:
        assert s["apc_low"] <= s["apc"] <= s["apc_high"]


def test_joinpoint_candidates_keep_three_points_per_segment():
    years = list(range(2000, 2008))  # 8 years
    one = ts.candidate_joinpoints(years, 1)
    two = ts.candidate_joinpoints(years, 2)
    assert one == [(2002,), (2003,), (2004,), (2005,)]
    assert two == [(2002, 2004), (2002, 2005), (2003, 2005)]
    assert ts.candidate_joinpoints(list(range(2000, 2006)), 2) == []


def test_poisson_apc_matches_statsmodels_quasi_poisson():
    sm = pytest.importorskip("statsmodels.api")
    years = np.arange(2010, 2022)
    counts = np.array([20, 12, 18, 26, 18, 27, 18, 25, 31, 22, 35, 30], dtype=float)
    X = sm.add_constant(years - years[0])
    glm = sm.GLM(counts, X, family=sm.families.Poisson()).fit(scale="X2")
    assert glm.scale > 1  # overdispersed: the interval is widened
    b, se = glm.params[1], glm.bse[1]
    q = stats.t.ppf(0.975, len(years) - 2)

    row = ts.series_stats(years, counts, "deaths")

    assert row["apc_model"] == "quasi_poisson"
    assert row["dispersion"] == pytest.approx(glm.scale, rel=1e-6)
    assert row["apc"] == pytest.approx(100 * math.expm1(b), rel=1e-7)
    assert row["apc_low"] == pytest.approx(100 * math.expm1(b - q * se), rel=1e-6)
    assert row["apc_high"] == pytest.approx(100 * math.expm1(b + q * se), rel=1e-6)


def test_poisson_without_overdispersion_uses_normal_interval():
    sm = pytest.importorskip("statsmodels.api")
    years = np.arange(2000, 2008)
    counts = np.array([10, 11, 12, 14, 15, 17, 18, 20], dtype=float)
    glm = sm.GLM(counts, sm.add_constant(years - 2000), family=sm.families.Poisson()).fit()
    row = ts.series_stats(years, counts, "deaths")
    assert row["apc_model"] == "poisson"
    b, se = glm.params[1], glm.bse[1]
    assert row["apc_low"] == pytest.approx(100 * math.expm1(b - 1.959964 * se), rel=1e-5)


def test_all_zero_counts_are_not_estimable():
    row = ts.series_stats(np.arange(2015, 2021), np.zeros(6), "deaths")
    assert row["apc_model"] == "not_estimable" and row["apc"] is None
    assert row["mk_trend"] == "no_trend" and row["direction"] == "no_trend"


def test_mann_kendall_and_sen_by_hand():
    # x = 1, 3, 2, 5, 5, 4 (years 1..6). Signs of x_j - x_i over i < j:
    #   from 1: + + + + +  (5)   from 3: - + + +  (2)   from 2: + + +  (3)
    #   from 5: 0 -  (-1)        from 5: -  (-1)                  S = 8
    # Var(S) = [n(n-1)(2n+5) - sum t(t-1)(2t+5)] / 18 = [6*5*17 - 2*1*9] / 18 = 492 / 18
    # Z = (S - 1) / sqrt(Var) = 7 / 5.22813 = 1.33891; p = 2 (1 - Phi(Z)) = 0.18060
    # Sen: the 15 pairwise slopes sorted -1 -1 -.5 0 .25 .5 .6 [2/3] 2/3 1 1 4/3 1.5 2 3 -> 2/3
    x = [1, 3, 2, 5, 5, 4]
    mk = ts.mann_kendall(x)
    assert mk["s"] == 8
    assert mk["var_s"] == pytest.approx(492 / 18)
    assert mk["z"] == pytest.approx(7 / math.sqrt(492 / 18))
    assert mk["z"] == pytest.approx(1.33891, abs=1e-5)
    assert mk["p_value"] == pytest.approx(0.18060, abs=1e-5)
    assert mk["trend"] == "no_trend"
    assert ts.sens_slope(range(1, 7), x) == pytest.approx(2 / 3)


def test_mann_kendall_s_agrees_with_kendalls_tau(heroin):
    years, rates = heroin
    tau_b, _ = stats.kendalltau(years, rates)
    n = len(rates)
    n0 = n * (n - 1) / 2
    _, counts = np.unique(rates, return_counts=True)
    ties_y = float((counts * (counts - 1) / 2).sum())
    s_from_tau = tau_b * math.sqrt(n0 * (n0 - ties_y))  # tau_b = S / sqrt(n0 (n0 - n_ties))
    mk = ts.mann_kendall(rates)
    assert mk["s"] == round(s_from_tau)
    assert mk["trend"] == "increasing" and mk["p_value"] < 1e-5


def test_compute_groups_series_and_requires_six_years():
    rows = []
    for year, v in zip(range(2000, 2010), [5, 6, 7, 9, 10, 12, 14, 15, 18, 20]):
        rows.append(("a", "nation_nor", "all", "all", "all", "all", "per_100k", year, float(v)))
    for year in range(2000, 2005):  # only 5 years: left out
        rows.append(("b", "nation_nor", "all", "all", "all", "all", "per_100k", year, 1.0))
    frame = pd.DataFrame(rows, columns=ts.SERIES_KEY + ["year", "value"])
    out = ts.compute(frame)
    assert list(out["indicator_id"]) == ["a"]
    assert list(out.columns) == list(ts.OUTPUT_COLUMNS)
    assert out.loc[0, "n_years"] == 10 and out.loc[0, "direction"] == "increasing"
