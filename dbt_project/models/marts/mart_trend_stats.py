"""Trend statistics per yearly series (dbt Python model, run in-process by dbt-duckdb).

Grain: one row per series = indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit,
over the latest vintage of marts.fct_observations, period_type year, value not null, qualifier
exact or estimated, not a partly covered year (int_tempe_ems_callouts_counted.is_period_incomplete:
the period runs past the last incident in the file), at least MIN_YEARS distinct years.
A derived average (seeds/series_statistical_scope.csv, is_derived_average: the NRS five-year
moving average) gets no row: it is not a count (no Poisson model), its consecutive values share
four of five years (a Mann-Kendall p-value assumes independent values), and the annual series it
is computed from carries the trend statistics.

Per series (docs/statistics.md explains each choice):
- APC (annual percent change, 100 * (exp(b) - 1)) with a 95 % interval from a log-linear model
  log E[y] = a + b * year, each observation weighted by its variance:
  * counts: a Poisson GLM (statsmodels), quasi-Poisson (covariance scaled by Pearson chi2 / df)
    when that ratio is above 1. The Poisson likelihood weights a year by its expected count, so
    var(log y) ~ 1 / count.
  * rates, shares and amounts: weighted least squares on log(y) (statsmodels WLS) with
    var(log y_i) = q^2 / (12 y_i^2), the variance of rounding to the printed step q (0.1 for a
    rate printed to one decimal): a rate printed as 0.4 can be anything from 0.35 to 0.45, a
    quarter of its value, while 7.5 is known to 1 %. The residual variance scales the
    covariance (never below the rounding variance alone).
  apc_model says which: poisson, quasi_poisson, wls_log; not_estimable when the fit is
  impossible (a zero or negative value in a log series, a fit that does not converge) or not
  meaningful: a count series that is nearly all zero (median count below 1: at least half its
  years without an event), or with fewer than MIN_SEGMENT_EVENTS events in all.
- A joinpoint-style segmented fit: continuous piecewise-linear in log scale with 0, 1 or 2
  joinpoints at observed years, every segment holding at least MIN_SEGMENT_POINTS years (a
  joinpoint year counts in both segments it joins) and, for counts, at least MIN_SEGMENT_EVENTS
  events, found by exhaustive grid search; the number of joinpoints is chosen by BIC (p = 2 + 2k
  parameters: a joinpoint's location counts as one). For counts the BIC is computed on the
  Poisson deviance divided by the dispersion of the largest model (quasi-likelihood BIC), so
  overdispersion does not buy joinpoints; for WLS on the weighted residual sum of squares.
  Segment APCs with 95 % intervals are conditional on the chosen joinpoints (t with the residual
  df for WLS and quasi-Poisson, normal for Poisson); they are carried here as seg1_* .. seg3_*
  and unpivoted by marts.mart_trend_segments. No segmented fit where there is no APC.
- Mann-Kendall test (pymannkendall.original_test: S, tie-corrected variance, continuity-corrected
  Z, two-sided p) and Sen's slope (scipy.stats.theilslopes against the year, value units per year,
  so a gap year is not counted as one step).

The functions below take plain arrays, so tests can import this file by path
(tests/unit/test_trend_stats.py) and compare them with independent computations.
"""
from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pymannkendall
import statsmodels.api as sm
from scipy import stats
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

MIN_YEARS = 6
MIN_SEGMENT_POINTS = 3
# A count segment (and a whole count series) needs this many events: below it a Poisson APC
# rests on a handful of deaths and one death more or less swings it by tens of percent.
MIN_SEGMENT_EVENTS = 10
# "Nearly all zero": the median count is below 1 (at least half the years without an event).
# EU27 drug-dependence deaths at age 0-14, 2016-2021 (0, 0, 0, 0, 1, 0), got +87.7 %/yr from one
# death; now no APC.
MAX_JOINPOINTS = 2
ALPHA = 0.05
# Units counted in events or people: Poisson. Everything else (per_100k, percent, litres, ...) is
# modelled as log-linear WLS weighted by the printed precision.
COUNT_UNITS = {"deaths", "callouts", "admissions", "persons", "patients", "needles", "syringes",
               "sheets", "households"}
SERIES_KEY = ["indicator_id", "geo_code", "substance_id", "sex", "age_group", "breakdown", "unit"]


# --------------------------------------------------------------------------------------------
# Weights
# --------------------------------------------------------------------------------------------

def printed_step(values, max_decimals: int = 6) -> float:
    """The step the values were printed to: 0.1 when the most precise value has one decimal.

    A value's decimals are the fewest with which it prints unchanged (the source gives numbers,
    not their formatting); the series' step is the finest over its values, so a 0.5 beside a
    0.45 makes the step 0.01 for both."""
    decimals = 0
    for v in np.asarray(values, dtype=float):
        for d in range(max_decimals + 1):
            scaled = v * 10 ** d
            if abs(scaled - round(scaled)) <= 1e-6 * max(1.0, abs(scaled)):
                break
        decimals = max(decimals, d)
    return 10.0 ** -decimals


def rounding_weights(values, step: float | None = None) -> np.ndarray:
    """1 / var(log y) when y is known only to its printed step: var(y) = step^2 / 12 (uniform
    rounding error), var(log y) = var(y) / y^2 (delta method)."""
    y = np.asarray(values, dtype=float)
    q = printed_step(y) if step is None else step
    return 12.0 * y ** 2 / q ** 2


def is_nearly_all_zero(values) -> bool:
    y = np.asarray(values, dtype=float)
    return bool(np.median(y) < 1)


# --------------------------------------------------------------------------------------------
# Model fits
# --------------------------------------------------------------------------------------------

def _design(t: np.ndarray, joinpoints: tuple[float, ...]) -> np.ndarray:
    cols = [np.ones_like(t), t]
    for tau in joinpoints:
        cols.append(np.maximum(t - tau, 0.0))
    return np.column_stack(cols)


def _apc(slope: float) -> float:
    return 100.0 * math.expm1(slope)


def _interval(est: float, se: float, df: int | None) -> tuple[float, float]:
    q = stats.t.ppf(1 - ALPHA / 2, df) if df else stats.norm.ppf(1 - ALPHA / 2)
    return est - q * se, est + q * se


def _fit_wls(X: np.ndarray, y: np.ndarray, weights: np.ndarray) -> dict | None:
    n, p = X.shape
    if n - p <= 0 or np.any(y <= 0):
        return None
    res = sm.WLS(np.log(y), X, weights=weights).fit()
    # The weights are absolute (1 / rounding variance): the residual variance can widen the
    # interval (model misfit, sampling noise) but not make it narrower than rounding allows.
    scale = max(1.0, float(res.scale))
    return {"beta": np.asarray(res.params), "cov": np.asarray(res.cov_params(scale=scale)),
            "df": int(res.df_resid), "sse": float(res.ssr), "n": n, "p": p, "dispersion": None,
            "model": "wls_log", "ci_df": int(res.df_resid)}


def _fit_poisson(X: np.ndarray, y: np.ndarray) -> dict | None:
    n, p = X.shape
    if y.sum() <= 0 or n - p <= 0:
        return None
    with warnings.catch_warnings():
        # a segment of zeros drives the fit towards -inf: reported below as not estimable
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            res = sm.GLM(y, X, family=sm.families.Poisson()).fit(maxiter=100, tol=1e-10)
        except (np.linalg.LinAlgError, ValueError, OverflowError):
            return None
    mu = np.asarray(res.mu)
    if not res.converged or not np.all(np.isfinite(res.params)) or mu.min() < 1e-8:
        return None
    df = int(res.df_resid)
    phi = float(res.pearson_chi2) / df
    cov = np.asarray(res.cov_params())
    if phi > 1.0:
        return {"beta": np.asarray(res.params), "cov": cov * phi, "df": df, "deviance": float(res.deviance),
                "pearson_chi2": float(res.pearson_chi2), "n": n, "p": p, "dispersion": phi,
                "model": "quasi_poisson", "ci_df": df}
    return {"beta": np.asarray(res.params), "cov": cov, "df": df, "deviance": float(res.deviance),
            "pearson_chi2": float(res.pearson_chi2), "n": n, "p": p, "dispersion": phi,
            "model": "poisson", "ci_df": None}


def fit_loglinear(years, values, model: str, joinpoints: tuple[float, ...] = (),
                  weights=None) -> dict | None:
    """Fit log E[y] = a + b t + sum d_k (t - tau_k)+ ; model 'poisson' (counts) or 'wls' (log y,
    weights = 1 / var(log y), by default from the printed step: rounding_weights).

    Returns the fit with one entry per segment (start, end, slope, apc, apc_low, apc_high) and the
    statistics for model choice, or None when the model cannot be estimated.
    """
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    X = _design(t - t[0], tuple(tau - t[0] for tau in joinpoints))
    if model == "poisson":
        fit = _fit_poisson(X, y)
    else:
        if np.any(y <= 0):
            return None
        w = rounding_weights(y) if weights is None else np.asarray(weights, dtype=float)
        fit = _fit_wls(X, y, w)
    if fit is None:
        return None
    beta, cov = fit["beta"], fit["cov"]
    bounds = [t[0], *joinpoints, t[-1]]
    segments = []
    for k in range(len(bounds) - 1):
        a = np.zeros(len(beta))
        a[1: 2 + k] = 1.0  # slope of segment k = b + d_1 + ... + d_k
        slope = float(a @ beta)
        se = float(math.sqrt(max(a @ cov @ a, 0.0)))
        lo, hi = _interval(slope, se, fit["ci_df"])
        segments.append({"segment_no": k + 1, "start_year": int(bounds[k]), "end_year": int(bounds[k + 1]),
                         "slope": slope, "apc": _apc(slope), "apc_low": _apc(lo), "apc_high": _apc(hi)})
    fit["segments"] = segments
    fit["joinpoints"] = tuple(int(j) for j in joinpoints)
    return fit


def candidate_joinpoints(years, k: int, min_points: int = MIN_SEGMENT_POINTS, values=None,
                         min_events: float = 0) -> list[tuple[int, ...]]:
    """Every placement of k joinpoints at observed years leaving >= min_points years per segment
    and, when values are given, >= min_events in each segment (its end years included)."""
    years = [int(y) for y in years]
    n = len(years)
    v = None if values is None else np.asarray(values, dtype=float)
    out = []
    for idx in itertools.combinations(range(n), k):
        cuts = [0, *idx, n - 1]
        pairs = list(zip(cuts[:-1], cuts[1:]))
        if not all(b - a + 1 >= min_points for a, b in pairs):
            continue
        if v is not None and not all(v[a: b + 1].sum() >= min_events for a, b in pairs):
            continue
        out.append(tuple(years[i] for i in idx))
    return out


def _criterion(fit: dict, n: int, k: int, phi: float) -> float:
    p = 2 + 2 * k
    if fit["model"] == "wls_log":
        return n * math.log(max(fit["sse"], 1e-300) / n) + p * math.log(n)
    return fit["deviance"] / phi + p * math.log(n)


def joinpoint_fit(years, values, model: str, max_joinpoints: int = MAX_JOINPOINTS,
                  min_points: int = MIN_SEGMENT_POINTS, weights=None) -> dict | None:
    """Best segmented fit: for each k the joinpoints with the least weighted SSE / deviance;
    k by BIC. Count segments need MIN_SEGMENT_EVENTS events each."""
    if model == "poisson":
        counts, min_events = values, MIN_SEGMENT_EVENTS
    else:
        counts, min_events = None, 0
    best_by_k: dict[int, dict] = {}
    for k in range(max_joinpoints + 1):
        cands = [()] if k == 0 else candidate_joinpoints(years, k, min_points, counts, min_events)
        best = None
        for jps in cands:
            fit = fit_loglinear(years, values, model, jps, weights)
            if fit is None:
                continue
            loss = fit["deviance"] if model == "poisson" else fit["sse"]
            if best is None or loss < best[0] - 1e-12:
                best = (loss, fit)
        if best is not None:
            best_by_k[k] = best[1]
    if not best_by_k:
        return None
    n = len(years)
    phi = 1.0
    if model == "poisson":
        largest = best_by_k[max(best_by_k)]
        phi = max(1.0, largest["pearson_chi2"] / largest["df"])
    scored = {k: _criterion(f, n, k, phi) for k, f in best_by_k.items()}
    k_best = min(scored, key=lambda k: (scored[k], k))
    chosen = best_by_k[k_best]
    chosen["bic"] = scored[k_best]
    return chosen


def mann_kendall(values) -> dict:
    """Mann-Kendall test (pymannkendall.original_test) with tie correction."""
    x = np.asarray(values, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all values tied: var(S) = 0, S = 0
        res = pymannkendall.original_test(x, alpha=ALPHA)
    z = float(res.z) if np.isfinite(res.z) else 0.0
    p = float(res.p) if np.isfinite(res.p) else 1.0
    trend = {"increasing": "increasing", "decreasing": "decreasing"}.get(res.trend, "no_trend")
    return {"s": int(res.s), "var_s": float(res.var_s), "z": z, "p_value": p, "trend": trend}


def sens_slope(years, values) -> float:
    """Sen's slope against the year (scipy.stats.theilslopes: median of pairwise slopes)."""
    return float(stats.theilslopes(np.asarray(values, dtype=float), np.asarray(years, dtype=float))[0])


def series_stats(years, values, unit: str) -> dict:
    """Everything mart_trend_stats stores for one series (years sorted ascending)."""
    model = "poisson" if unit in COUNT_UNITS else "wls"
    y = np.asarray(values, dtype=float)
    note = None
    if model == "poisson" and is_nearly_all_zero(y):
        note = "nearly_all_zero"
    elif model == "poisson" and y.sum() < MIN_SEGMENT_EVENTS:
        note = "too_few_events"
    elif model == "wls" and np.any(y <= 0):
        note = "zero_or_negative_value"
    overall = seg = None
    if note is None:
        overall = fit_loglinear(years, y, model)
        seg = joinpoint_fit(years, y, model) if overall is not None else None
        if overall is None:
            note = "fit_failed"
    mk = mann_kendall(y)
    row = {
        "first_year": int(years[0]), "last_year": int(years[-1]), "n_years": len(years),
        "apc": None, "apc_low": None, "apc_high": None,
        "apc_model": "not_estimable", "dispersion": None,
        "n_joinpoints": None, "joinpoint_years": None,
        "mk_trend": mk["trend"], "mk_s": int(mk["s"]), "mk_z": mk["z"], "mk_p_value": mk["p_value"],
        "sens_slope": sens_slope(years, y),
    }
    if overall is not None:
        s = overall["segments"][0]
        row.update(apc=s["apc"], apc_low=s["apc_low"], apc_high=s["apc_high"],
                   apc_model=overall["model"], dispersion=overall.get("dispersion"))
    segments = []
    if seg is not None:
        row["n_joinpoints"] = len(seg["joinpoints"])
        row["joinpoint_years"] = ",".join(str(j) for j in seg["joinpoints"]) or None
        segments = seg["segments"]
    for k in range(MAX_JOINPOINTS + 1):
        s = segments[k] if k < len(segments) else {}
        for col in ("start_year", "end_year", "apc", "apc_low", "apc_high"):
            row[f"seg{k + 1}_{col}"] = s.get(col)
    if row["apc_low"] is not None and row["apc_low"] > 0:
        row["direction"] = "increasing"
    elif row["apc_high"] is not None and row["apc_high"] < 0:
        row["direction"] = "decreasing"
    else:
        row["direction"] = "no_trend"
    row["not_estimable_reason"] = note
    row["total_events"] = float(y.sum()) if model == "poisson" else None
    row["value_step"] = printed_step(y) if model == "wls" else None
    return row


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------

OUTPUT_COLUMNS = {
    **{c: "string" for c in SERIES_KEY},
    "first_year": "Int32", "last_year": "Int32", "n_years": "Int32",
    "apc": "float64", "apc_low": "float64", "apc_high": "float64", "apc_model": "string",
    "dispersion": "float64", "n_joinpoints": "Int32", "joinpoint_years": "string",
    "mk_trend": "string", "mk_s": "Int32", "mk_z": "float64", "mk_p_value": "float64",
    "sens_slope": "float64", "direction": "string",
    **{f"seg{k}_{c}": ("Int32" if c.endswith("year") else "float64")
       for k in range(1, MAX_JOINPOINTS + 2) for c in ("start_year", "end_year", "apc", "apc_low", "apc_high")},
    # added after the segment columns so the earlier column order stays as it was
    "not_estimable_reason": "string", "total_events": "float64", "value_step": "float64",
}


def compute(observations):
    """observations: data frame with SERIES_KEY, year, value (one row per series and year)."""
    import pandas as pd

    rows = []
    for key, grp in observations.sort_values("year").groupby(SERIES_KEY, sort=True, dropna=False):
        if grp["year"].nunique() < MIN_YEARS:
            continue
        years = grp["year"].to_numpy(dtype=int)
        values = grp["value"].to_numpy(dtype=float)
        row = dict(zip(SERIES_KEY, key))
        row.update(series_stats(years, values, row["unit"]))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    return frame.astype(OUTPUT_COLUMNS)


def model(dbt, session):
    dbt.config(materialized="table")
    return compute(_select(dbt.ref("fct_observations"), dbt.ref("int_tempe_ems_callouts_counted"),
                           dbt.ref("series_statistical_scope")))


# The int model's columns that identify its row in fct_observations (with source_id = 'tempe_ems').
INCOMPLETE_KEY = ["load_id", "indicator_id", "geo_code", "period_type", "period_start", "period_end"]


def _select(fct, counted, scope):
    """Latest vintage, yearly, exact/estimated values; one value per series and year (when two
    sources give the same series and year, the newest vintage wins, then the first source_id).
    `counted` is int_tempe_ems_callouts_counted: a year it flags is_period_incomplete (the period
    runs past the last incident in the file, so only part of it is counted) would bend the trend
    and is left out (anti-join on the load and the row's grain; the flag is not in the fact).
    `scope` is seeds/series_statistical_scope: a derived average is left out (anti-join)."""
    incomplete = counted.filter("is_period_incomplete").project(", ".join(INCOMPLETE_KEY)).set_alias("incomplete")
    condition = " and ".join(
        ["fct.source_id = 'tempe_ems'"] + [f"fct.{c} = incomplete.{c}" for c in INCOMPLETE_KEY]
    )
    averages = scope.filter("is_derived_average").project("indicator_id, breakdown").set_alias("averages")
    filtered = fct.filter(
        "is_latest_vintage and period_type = 'year' and value is not null "
        "and qualifier in ('exact', 'estimated')"
    ).set_alias("fct").join(incomplete, condition, how="anti").join(
        averages, "fct.indicator_id = averages.indicator_id and fct.breakdown = averages.breakdown", how="anti"
    ).project(
        "indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit, "
        "cast(extract(year from period_start) as integer) as year, value, vintage, source_id, observation_id, "
        "row_number() over (partition by indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit, "
        "extract(year from period_start) order by vintage desc, source_id, observation_id) as pick"
    )
    return filtered.filter("pick = 1").project(
        "indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit, year, value"
    ).df()
