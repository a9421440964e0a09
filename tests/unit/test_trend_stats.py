"""Trend statistics of marts.mart_trend_stats, checked against independent computations.

The functions live in the dbt Python model (dbt_project/models/marts/mart_trend_stats.py), which
dbt loads itself; here the file is imported by path. The model fits with statsmodels (GLM
Poisson, WLS) and tests with pymannkendall; every expected number below is computed in this file
without them: weighted least squares by its closed-form formulas, a brute-force joinpoint search
written out as loops, the Poisson likelihood maximised with scipy.optimize, and a hand-worked
Mann-Kendall / Sen example.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from tests.dbt_python_models import load_model

REPO = Path(__file__).resolve().parents[2]
CDC_DIR = REPO / "data" / "raw" / "cdc_wonder"
EUROSTAT_DIR = REPO / "data" / "raw" / "eurostat_cod"


ts = load_model("marts/mart_trend_stats.py")


def _cdc_series(prefix: str) -> tuple[np.ndarray, np.ndarray]:
    """A US overdose death rate per 100,000 by drug, 1999-2020 (CDC WONDER via OWID), as printed."""
    (path,) = sorted(CDC_DIR.glob("*.csv"))
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    column = next(c for c in rows[0] if c.lower().startswith(prefix))
    us = [r for r in rows if r["Entity"] == "United States"]
    years = np.array([int(r["Year"]) for r in us])
    rates = np.array([float(r[column]) for r in us])
    order = np.argsort(years)
    return years[order], rates[order]


@pytest.fixture(scope="module")
def heroin() -> tuple[np.ndarray, np.ndarray]:
    return _cdc_series("heroin")


@pytest.fixture(scope="module")
def psychostimulants() -> tuple[np.ndarray, np.ndarray]:
    return _cdc_series("psychostimulants")


def _wls_by_hand(t, logy, w):
    """Weighted least squares of logy on [1, t] by the closed-form formulas; the covariance uses
    max(1, weighted residual variance) as the model does (weights are absolute: 1 / variance)."""
    t = np.asarray(t, float)
    tw = (w * t).sum() / w.sum()
    yw = (w * logy).sum() / w.sum()
    sxx = (w * (t - tw) ** 2).sum()
    slope = float((w * (t - tw) * (logy - yw)).sum() / sxx)
    intercept = yw - slope * tw
    resid = logy - intercept - slope * t
    s2 = float((w * resid ** 2).sum() / (len(t) - 2))
    return slope, math.sqrt(max(1.0, s2) / sxx)


def _hinge_design(t, jps):
    t = np.asarray(t, float)
    return np.column_stack([np.ones(len(t)), t] + [np.clip(t - tau, 0, None) for tau in jps])


def _brute_force_joinpoints(years, values, weights=None, max_k=2, min_points=3):
    """Every 0, 1 and 2 joinpoint placement at observed years, each segment >= min_points years
    (joinpoint counted in both), continuous hinge fit on log(value) by numpy lstsq on
    sqrt(weight)-scaled rows (weights None: unweighted OLS); BIC n log(SSE_w / n) + (2 + 2k) log n
    picks k. Returns (joinpoint years, segment slopes)."""
    t = np.asarray(years, float)
    y = np.log(np.asarray(values, float))
    n = len(t)
    sw = np.ones(n) if weights is None else np.sqrt(np.asarray(weights, float))
    placements = {0: [()]}
    placements[1] = [(t[i],) for i in range(n) if i + 1 >= min_points and n - i >= min_points]
    placements[2] = [(t[i], t[j]) for i in range(n) for j in range(i + 1, n)
                     if i + 1 >= min_points and j - i + 1 >= min_points and n - j >= min_points]
    results = {}
    for k in range(max_k + 1):
        best = None
        for jps in placements[k]:
            X = _hinge_design(t, jps)
            beta, *_ = np.linalg.lstsq(X * sw[:, None], y * sw, rcond=None)
            sse = float((((y - X @ beta) * sw) ** 2).sum())
            if best is None or sse < best[0]:
                best = (sse, jps, beta)
        sse, jps, beta = best
        results[k] = (n * math.log(sse / n) + (2 + 2 * k) * math.log(n), jps, beta)
    k = min(results, key=lambda kk: results[kk][0])
    _, jps, beta = results[k]
    slopes = [float(beta[1] + beta[2:2 + s].sum()) for s in range(k + 1)]
    return tuple(int(j) for j in jps), slopes


def _poisson_mle_by_scipy(years, counts):
    """Poisson log-linear fit by maximising the log-likelihood with scipy.optimize (not IRLS,
    not statsmodels); covariance = inverse Fisher information (X' diag(mu) X)^-1; Pearson
    dispersion chi2 / (n - 2)."""
    t = np.asarray(years, float) - years[0]
    X = np.column_stack([np.ones(len(t)), t])
    y = np.asarray(counts, float)

    def nll(beta):
        eta = X @ beta
        return float(np.exp(eta).sum() - (y * eta).sum())

    def grad(beta):
        return X.T @ (np.exp(X @ beta) - y)

    start = np.array([math.log(y.mean()), 0.0])
    res = optimize.minimize(nll, start, jac=grad, method="BFGS", options={"gtol": 1e-12, "maxiter": 10000})
    mu = np.exp(X @ res.x)
    cov = np.linalg.inv((X.T * mu) @ X)
    phi = float(((y - mu) ** 2 / mu).sum() / (len(y) - 2))
    return res.x, cov, phi


# --------------------------------------------------------------------------------------------
# Weights from the printed precision
# --------------------------------------------------------------------------------------------

def test_printed_step_is_the_finest_decimal_in_the_series():
    assert ts.printed_step([0.2, 0.5, 7.5, 12.0]) == pytest.approx(0.1)
    assert ts.printed_step([1.25, 3.0]) == pytest.approx(0.01)
    assert ts.printed_step([12.0, 300.0]) == pytest.approx(1.0)
    # weights are 1 / var(log y) under rounding: 12 y^2 / q^2; 0.4 weighs (0.4 / 7.5)^2 of 7.5
    w = ts.rounding_weights([0.4, 7.5])
    assert w == pytest.approx([12 * 0.16 / 0.01, 12 * 56.25 / 0.01])


def test_heroin_series_is_the_published_one(heroin):
    years, rates = heroin
    assert years[0] == 1999 and years[-1] == 2020 and len(years) == 22
    assert rates[0] == pytest.approx(0.7) and rates.max() == pytest.approx(4.9)


def test_heroin_apc_matches_weighted_least_squares_by_hand(heroin):
    years, rates = heroin
    w = 12 * rates ** 2 / 0.1 ** 2  # printed to one decimal
    slope, se = _wls_by_hand(years - years[0], np.log(rates), w)
    q = stats.t.ppf(0.975, len(years) - 2)
    expected = [100 * math.expm1(b) for b in (slope, slope - q * se, slope + q * se)]

    row = ts.series_stats(years, rates, "per_100k")

    assert row["apc_model"] == "wls_log" and row["value_step"] == pytest.approx(0.1)
    assert [row["apc"], row["apc_low"], row["apc_high"]] == pytest.approx(expected, rel=1e-9)
    # the number itself, so a change of method shows up here: +11.3 % a year (7.8 .. 14.9); the
    # unweighted fit said +12.7 %, pulled by the 0.7s of 1999-2006 printed to one decimal
    assert row["apc"] == pytest.approx(11.31, abs=0.01)
    assert row["apc_low"] == pytest.approx(7.82, abs=0.01)
    assert row["apc_high"] == pytest.approx(14.92, abs=0.01)
    assert row["direction"] == "increasing"


def test_heroin_joinpoints_match_weighted_brute_force_search(heroin):
    years, rates = heroin
    expected_jps, expected_slopes = _brute_force_joinpoints(years, rates, ts.rounding_weights(rates))

    fit = ts.joinpoint_fit(years, rates, "wls")
    row = ts.series_stats(years, rates, "per_100k")

    assert fit["joinpoints"] == expected_jps
    assert [s["slope"] for s in fit["segments"]] == pytest.approx(expected_slopes, rel=1e-8, abs=1e-12)
    # flat until 2007, then +25 % a year to 2016, then falling
    assert expected_jps == (2007, 2016)
    assert row["n_joinpoints"] == 2 and row["joinpoint_years"] == "2007,2016"
    seg = fit["segments"]
    assert [(s["start_year"], s["end_year"]) for s in seg] == [(1999, 2007), (2007, 2016), (2016, 2020)]
    assert seg[1]["apc"] == pytest.approx(100 * math.expm1(expected_slopes[1]), rel=1e-8)
    assert seg[1]["apc_low"] > 20 and seg[2]["apc"] < 0
    for s in seg:
        assert s["apc_low"] <= s["apc"] <= s["apc_high"]


def test_psychostimulants_2005_2008_decline_was_rounding_noise(psychostimulants):
    """Issue 9: US psychostimulant death rates printed 0.5, 0.5, 0.4, 0.4 (2005-2008) made the
    unweighted log-OLS joinpoint fit find a -10.7 %/yr segment 2005-2008. Weighted by the
    rounding variance, 0.4 (really 0.35..0.45) counts for what it is: no declining segment."""
    years, rates = psychostimulants
    assert list(rates[6:10]) == [0.5, 0.5, 0.4, 0.4]

    # the old method, written out here: unweighted brute force finds the spurious decline
    old_jps, old_slopes = _brute_force_joinpoints(years, rates)
    assert old_jps == (2005, 2008)
    assert 100 * math.expm1(old_slopes[1]) == pytest.approx(-10.7, abs=0.05)

    expected_jps, expected_slopes = _brute_force_joinpoints(years, rates, ts.rounding_weights(rates))
    row = ts.series_stats(years, rates, "per_100k")

    assert row["joinpoint_years"] == ",".join(str(j) for j in expected_jps) == "2010,2018"
    apcs = [row[f"seg{k}_apc"] for k in (1, 2, 3)]
    assert apcs == pytest.approx([100 * math.expm1(b) for b in expected_slopes], rel=1e-8)
    assert min(apcs) > 0  # +7.0, +27.1, +39.1 %/yr: rising throughout
    assert row["seg1_start_year"] == 1999 and row["seg1_end_year"] == 2010


# --------------------------------------------------------------------------------------------
# Counts: Poisson, minimum events, nearly-all-zero series
# --------------------------------------------------------------------------------------------

def test_joinpoint_candidates_keep_three_points_per_segment():
    years = list(range(2000, 2008))  # 8 years
    one = ts.candidate_joinpoints(years, 1)
    two = ts.candidate_joinpoints(years, 2)
    assert one == [(2002,), (2003,), (2004,), (2005,)]
    assert two == [(2002, 2004), (2002, 2005), (2003, 2005)]
    assert ts.candidate_joinpoints(list(range(2000, 2006)), 2) == []


def test_count_segments_need_ten_events():
    years = list(range(2000, 2008))
    counts = [1, 1, 2, 3, 5, 8, 9, 12]
    # first segment 2000..2002 holds 4 events, 2000..2004 holds 12: only joinpoints from 2004 on
    assert ts.candidate_joinpoints(years, 1, values=counts, min_events=10) == [(2004,), (2005,)]
    fit = ts.joinpoint_fit(years, counts, "poisson")
    for seg in fit["segments"]:
        held = sum(c for y, c in zip(years, counts) if seg["start_year"] <= y <= seg["end_year"])
        assert held >= ts.MIN_SEGMENT_EVENTS


def test_poisson_apc_matches_scipy_likelihood_maximum():
    years = np.arange(2010, 2022)
    counts = np.array([20, 12, 18, 26, 18, 27, 18, 25, 31, 22, 35, 30], dtype=float)
    beta, cov, phi = _poisson_mle_by_scipy(years, counts)
    assert phi > 1  # overdispersed: the interval is widened by phi
    b, se = beta[1], math.sqrt(cov[1, 1] * phi)
    q = stats.t.ppf(0.975, len(years) - 2)

    row = ts.series_stats(years, counts, "deaths")

    assert row["apc_model"] == "quasi_poisson"
    assert row["dispersion"] == pytest.approx(phi, rel=1e-5)
    assert row["apc"] == pytest.approx(100 * math.expm1(b), rel=1e-6)
    assert row["apc_low"] == pytest.approx(100 * math.expm1(b - q * se), rel=1e-5)
    assert row["apc_high"] == pytest.approx(100 * math.expm1(b + q * se), rel=1e-5)
    assert row["total_events"] == 282


def test_poisson_without_overdispersion_uses_normal_interval():
    years = np.arange(2000, 2008)
    counts = np.array([10, 11, 12, 14, 15, 17, 18, 20], dtype=float)
    beta, cov, phi = _poisson_mle_by_scipy(years, counts)
    assert phi <= 1
    row = ts.series_stats(years, counts, "deaths")
    assert row["apc_model"] == "poisson"
    assert row["apc_low"] == pytest.approx(100 * math.expm1(beta[1] - 1.959964 * math.sqrt(cov[1, 1])), rel=1e-5)


def test_all_zero_counts_are_not_estimable():
    row = ts.series_stats(np.arange(2015, 2021), np.zeros(6), "deaths")
    assert row["apc_model"] == "not_estimable" and row["apc"] is None
    assert row["not_estimable_reason"] == "nearly_all_zero"
    assert row["mk_trend"] == "no_trend" and row["direction"] == "no_trend"


def test_eu27_age_0_14_one_death_gets_no_apc():
    """Issue 9: EU27 drug-dependence deaths (TOXICO) of residents aged 0-14, 2016-2021, are
    0, 0, 0, 0, 1, 0 in the bundled Eurostat file; the Poisson fit called that +87.7 %/yr."""
    (path,) = sorted(EUROSTAT_DIR.glob("*.csv"))
    with path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader)]
        (row,) = [r for r in reader if r[:7] == ["A", "NR", "T", "Y_LT15", "TOXICO", "TOT_RESID", "EU27_2020"]]
    values = {int(h): float(v) for h, v in zip(header[7:], row[7:]) if v.strip() != ":"}
    years = np.array([y for y in sorted(values) if y <= 2021])
    counts = np.array([values[y] for y in years])
    assert list(counts) == [0, 0, 0, 0, 1, 0]
    # what the Poisson fit gives (independently, by scipy): the spurious +87.7 %
    beta, _, _ = _poisson_mle_by_scipy(years, counts)
    assert 100 * math.expm1(beta[1]) == pytest.approx(87.7, abs=0.05)

    out = ts.series_stats(years, counts, "deaths")

    assert out["apc"] is None and out["apc_model"] == "not_estimable"
    assert out["not_estimable_reason"] == "nearly_all_zero"
    assert out["n_joinpoints"] is None and out["seg1_apc"] is None


def test_nearly_all_zero_rule():
    assert ts.is_nearly_all_zero([0, 0, 0, 3, 5, 9]) is False   # median 1.5
    assert ts.is_nearly_all_zero([0, 0, 0, 0, 5, 9])            # median 0: four years of six without a death
    assert ts.is_nearly_all_zero([0, 0, 0, 1, 2, 3, 4]) is False  # median 1
    assert ts.is_nearly_all_zero([0.4, 0.4, 0.4, 0.6, 2, 3])      # a split municipality's shares: median 0.5


def test_too_few_events_in_all_gets_no_apc():
    row = ts.series_stats(np.arange(2015, 2021), np.array([1, 2, 1, 1, 2, 1.0]), "deaths")
    assert row["apc"] is None and row["not_estimable_reason"] == "too_few_events"


# --------------------------------------------------------------------------------------------
# Mann-Kendall and Sen
# --------------------------------------------------------------------------------------------

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


def test_sens_slope_counts_a_gap_year_as_two_steps():
    # 2000, 2001, 2003: slopes (2-1)/1, (4-1)/3, (4-2)/2 = 1, 1, 1 -> 1 (not 1.5 per index step)
    assert ts.sens_slope([2000, 2001, 2003], [1, 2, 4]) == pytest.approx(1.0)


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


# --------------------------------------------------------------------------------------------
# The model's frame and selection
# --------------------------------------------------------------------------------------------

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


def test_scotland_five_year_average_gets_no_trend_statistics():
    """Issue 9: the NRS five-year moving average was modelled as Poisson counts and tested with
    Mann-Kendall. _select leaves out every series the scope seed marks is_derived_average; the
    annual NRS counts beside it stay."""
    con = duckdb.connect()
    con.execute("""create table fct as select * from (values
        ('drug_related_deaths_nrs_avg5', 'all', 309.2, 2000),
        ('drug_related_deaths_nrs_avg5', 'all', 322.8, 2001),
        ('drug_related_deaths_nrs', 'all', 292.0, 2000),
        ('drug_related_deaths_nrs', 'all', 332.0, 2001)) v(indicator_id, breakdown, value, yr)""")
    con.execute("""create table fct_observations as select
        indicator_id, 'nation_sco' as geo_code, 'all' as substance_id, 'all' as sex, 'all' as age_group,
        breakdown, 'deaths' as unit, 'year' as period_type, make_date(yr, 1, 1) as period_start,
        make_date(yr, 12, 31) as period_end, value, 'exact' as qualifier, true as is_latest_vintage,
        timestamp '2022-01-01' as vintage, 'scotland_nrs' as source_id, indicator_id || yr as observation_id,
        'l1' as load_id from fct""")
    con.execute("""create table counted as select 'x' as load_id, 'x' as indicator_id, 'x' as geo_code,
        'year' as period_type, date '2000-01-01' as period_start, date '2000-12-31' as period_end,
        false as is_period_incomplete""")
    con.execute("""create table scope as select * from (values
        ('drug_related_deaths_nrs_avg5', 'all', true, true)) v(indicator_id, breakdown, is_derived_average,
        numerator_in_resident_population)""")
    picked = ts._select(con.table("fct_observations"), con.table("counted"), con.table("scope"))
    assert sorted(set(picked["indicator_id"])) == ["drug_related_deaths_nrs"]
    assert len(picked) == 2
