"""Trend statistics per yearly series (dbt Python model, run in-process by dbt-duckdb).

Grain: one row per series = indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit,
over the latest vintage of marts.fct_observations, period_type year, value not null, qualifier
exact or estimated, not a partly covered year (int_tempe_ems_callouts_counted.is_period_incomplete:
the period runs past the last incident in the file), at least MIN_YEARS distinct years.

Per series:
- APC (annual percent change, 100 * (exp(b) - 1)) with a 95 % interval from a log-linear model
  log E[y] = a + b * year: a Poisson GLM for counts (quasi-Poisson, covariance scaled by Pearson
  chi2 / df, when that ratio is above 1) and OLS on log(y) for rates, shares and other amounts
  (apc_model says which: poisson, quasi_poisson, ols_log; not_estimable when the fit is impossible,
  e.g. all zeros, or a zero in an OLS series).
- A joinpoint-style segmented fit: continuous piecewise-linear in log scale with 0, 1 or 2
  joinpoints at observed years, every segment holding at least MIN_SEGMENT_POINTS years (a
  joinpoint year counts in both segments it joins), found by exhaustive grid search; the number of
  joinpoints is chosen by BIC (p = 2 + 2k parameters: a joinpoint's location counts as one). For
  counts the BIC is computed on the Poisson deviance divided by the dispersion of the largest
  model (quasi-likelihood BIC), so overdispersion does not buy joinpoints. Segment APCs with 95 %
  intervals are conditional on the chosen joinpoints (t with the residual df for OLS and
  quasi-Poisson, normal for Poisson); they are carried here as seg1_* .. seg3_* and unpivoted by
  marts.mart_trend_segments.
- Mann-Kendall test (S, tie-corrected variance, continuity-corrected Z, two-sided p) and Sen's
  slope (median of pairwise slopes, value units per year).

The functions below use numpy and scipy only, so tests can import this file by path
(tests/unit/test_trend_stats.py) and compare them with independent computations.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import stats

MIN_YEARS = 6
MIN_SEGMENT_POINTS = 3
MAX_JOINPOINTS = 2
ALPHA = 0.05
# Units counted in events or people: Poisson. Everything else (per_100k, percent, litres, ...) is
# modelled as log-linear OLS.
COUNT_UNITS = {"deaths", "callouts", "admissions", "persons", "patients", "needles", "syringes",
               "sheets", "households"}
SERIES_KEY = ["indicator_id", "geo_code", "substance_id", "sex", "age_group", "breakdown", "unit"]


# --------------------------------------------------------------------------------------------
# Model fits
# --------------------------------------------------------------------------------------------

def _ols(X: np.ndarray, y: np.ndarray) -> dict | None:
    n, p = X.shape
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    sse = float(resid @ resid)
    df = n - p
    if df <= 0:
        return None
    sigma2 = sse / df
    cov = sigma2 * np.linalg.inv(X.T @ X)
    return {"beta": beta, "cov": cov, "df": df, "sse": sse, "n": n, "p": p, "dispersion": None,
            "dist": "t"}


def _poisson(X: np.ndarray, y: np.ndarray, max_iter: int = 100, tol: float = 1e-10) -> dict | None:
    """Poisson GLM with log link by iteratively reweighted least squares."""
    n, p = X.shape
    if y.sum() <= 0 or n - p <= 0:
        return None
    mu = y + 0.5
    eta = np.log(mu)
    beta = None
    dev_old = np.inf
    for _ in range(max_iter):
        z = eta + (y - mu) / mu
        w = mu
        XtW = X.T * w
        try:
            beta = np.linalg.solve(XtW @ X, XtW @ z)
        except np.linalg.LinAlgError:
            return None
        eta = X @ beta
        if not np.all(np.isfinite(eta)) or eta.max() > 700:
            return None
        mu = np.exp(eta)
        dev = _poisson_deviance(y, mu)
        if abs(dev - dev_old) <= tol * (abs(dev) + 0.1):
            break
        dev_old = dev
    else:
        return None
    if mu.min() < 1e-8:  # a segment of zeros drives the fit to -inf: not estimable
        return None
    df = n - p
    pearson = float(np.sum((y - mu) ** 2 / mu))
    cov = np.linalg.inv((X.T * mu) @ X)
    return {"beta": beta, "cov": cov, "df": df, "deviance": dev, "pearson_chi2": pearson, "n": n,
            "p": p, "mu": mu}


def _poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2.0 * np.sum(term - (y - mu)))


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


def fit_loglinear(years, values, model: str, joinpoints: tuple[float, ...] = ()) -> dict | None:
    """Fit log E[y] = a + b t + sum d_k (t - tau_k)+ ; model 'poisson' (counts) or 'ols' (log y).

    Returns the fit with one entry per segment (start, end, slope, apc, apc_low, apc_high) and the
    statistics for model choice, or None when the model cannot be estimated.
    """
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    X = _design(t - t[0], tuple(tau - t[0] for tau in joinpoints))
    if model == "ols":
        if np.any(y <= 0):
            return None
        fit = _ols(X, np.log(y))
        if fit is None:
            return None
        fit["model"] = "ols_log"
        ci_df = fit["df"]
    else:
        fit = _poisson(X, y)
        if fit is None:
            return None
        phi = fit["pearson_chi2"] / fit["df"]
        if phi > 1.0:
            fit["cov"] = fit["cov"] * phi
            fit["model"] = "quasi_poisson"
            ci_df = fit["df"]
        else:
            fit["model"] = "poisson"
            ci_df = None
        fit["dispersion"] = phi
    beta, cov = fit["beta"], fit["cov"]
    bounds = [t[0], *joinpoints, t[-1]]
    segments = []
    for k in range(len(bounds) - 1):
        a = np.zeros(len(beta))
        a[1: 2 + k] = 1.0  # slope of segment k = b + d_1 + ... + d_k
        slope = float(a @ beta)
        se = float(math.sqrt(max(a @ cov @ a, 0.0)))
        lo, hi = _interval(slope, se, ci_df)
        segments.append({"segment_no": k + 1, "start_year": int(bounds[k]), "end_year": int(bounds[k + 1]),
                         "slope": slope, "apc": _apc(slope), "apc_low": _apc(lo), "apc_high": _apc(hi)})
    fit["segments"] = segments
    fit["joinpoints"] = tuple(int(j) for j in joinpoints)
    return fit


def candidate_joinpoints(years, k: int, min_points: int = MIN_SEGMENT_POINTS) -> list[tuple[int, ...]]:
    """Every placement of k joinpoints at observed years leaving >= min_points years per segment."""
    years = [int(y) for y in years]
    n = len(years)
    out = []
    for idx in itertools.combinations(range(n), k):
        cuts = [0, *idx, n - 1]
        if all(cuts[i + 1] - cuts[i] + 1 >= min_points for i in range(len(cuts) - 1)):
            out.append(tuple(years[i] for i in idx))
    return out


def _criterion(fit: dict, n: int, k: int, model: str, phi: float) -> float:
    p = 2 + 2 * k
    if model == "ols":
        return n * math.log(max(fit["sse"], 1e-300) / n) + p * math.log(n)
    return fit["deviance"] / phi + p * math.log(n)


def joinpoint_fit(years, values, model: str, max_joinpoints: int = MAX_JOINPOINTS,
                  min_points: int = MIN_SEGMENT_POINTS) -> dict | None:
    """Best segmented fit: for each k the joinpoints with the least SSE/deviance; k by BIC."""
    best_by_k: dict[int, dict] = {}
    for k in range(max_joinpoints + 1):
        cands = [()] if k == 0 else candidate_joinpoints(years, k, min_points)
        best = None
        for jps in cands:
            fit = fit_loglinear(years, values, model, jps)
            if fit is None:
                continue
            loss = fit["sse"] if model == "ols" else fit["deviance"]
            if best is None or loss < best[0] - 1e-12:
                best = (loss, fit)
        if best is not None:
            best_by_k[k] = best[1]
    if not best_by_k:
        return None
    n = len(years)
    phi = 1.0
    if model != "ols":
        largest = best_by_k[max(best_by_k)]
        phi = max(1.0, largest["pearson_chi2"] / largest["df"])
    scored = {k: _criterion(f, n, k, model, phi) for k, f in best_by_k.items()}
    k_best = min(scored, key=lambda k: (scored[k], k))
    chosen = best_by_k[k_best]
    chosen["bic"] = scored[k_best]
    return chosen


def mann_kendall(values) -> dict:
    """Mann-Kendall test with tie correction; Sen's slope for equally spaced years."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    s = 0
    for i in range(n - 1):
        s += int(np.sign(x[i + 1:] - x[i]).sum())
    _, counts = np.unique(x, return_counts=True)
    var_s = (n * (n - 1) * (2 * n + 5) - float(np.sum(counts * (counts - 1) * (2 * counts + 5)))) / 18.0
    if var_s <= 0:
        z = 0.0
    elif s > 0:
        z = (s - 1) / math.sqrt(var_s)
    elif s < 0:
        z = (s + 1) / math.sqrt(var_s)
    else:
        z = 0.0
    p = float(2.0 * stats.norm.sf(abs(z)))
    trend = "increasing" if (p < ALPHA and z > 0) else "decreasing" if (p < ALPHA and z < 0) else "no_trend"
    return {"s": s, "var_s": var_s, "z": z, "p_value": p, "trend": trend}


def sens_slope(years, values) -> float:
    t = np.asarray(years, dtype=float)
    x = np.asarray(values, dtype=float)
    i, j = np.triu_indices(len(x), k=1)
    return float(np.median((x[j] - x[i]) / (t[j] - t[i])))


def series_stats(years, values, unit: str) -> dict:
    """Everything mart_trend_stats stores for one series (years sorted ascending)."""
    model = "poisson" if unit in COUNT_UNITS else "ols"
    overall = fit_loglinear(years, values, model)
    seg = joinpoint_fit(years, values, model)
    mk = mann_kendall(values)
    row = {
        "first_year": int(years[0]), "last_year": int(years[-1]), "n_years": len(years),
        "apc": None, "apc_low": None, "apc_high": None,
        "apc_model": "not_estimable", "dispersion": None,
        "n_joinpoints": None, "joinpoint_years": None,
        "mk_trend": mk["trend"], "mk_s": int(mk["s"]), "mk_z": mk["z"], "mk_p_value": mk["p_value"],
        "sens_slope": sens_slope(years, values),
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
    return compute(_select(dbt.ref("fct_observations"), dbt.ref("int_tempe_ems_callouts_counted")))


# The int model's columns that identify its row in fct_observations (with source_id = 'tempe_ems').
INCOMPLETE_KEY = ["load_id", "indicator_id", "geo_code", "period_type", "period_start", "period_end"]


def _select(fct, counted):
    """Latest vintage, yearly, exact/estimated values; one value per series and year (when two
    sources give the same series and year, the newest vintage wins, then the first source_id).
    `counted` is int_tempe_ems_callouts_counted: a year it flags is_period_incomplete (the period
    runs past the last incident in the file, so only part of it is counted) would bend the trend
    and is left out (anti-join on the load and the row's grain; the flag is not in the fact)."""
    incomplete = counted.filter("is_period_incomplete").project(", ".join(INCOMPLETE_KEY)).set_alias("incomplete")
    condition = " and ".join(
        ["fct.source_id = 'tempe_ems'"] + [f"fct.{c} = incomplete.{c}" for c in INCOMPLETE_KEY]
    )
    filtered = fct.filter(
        "is_latest_vintage and period_type = 'year' and value is not null "
        "and qualifier in ('exact', 'estimated')"
    ).set_alias("fct").join(incomplete, condition, how="anti").project(
        "indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit, "
        "cast(extract(year from period_start) as integer) as year, value, vintage, source_id, observation_id, "
        "row_number() over (partition by indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit, "
        "extract(year from period_start) order by vintage desc, source_id, observation_id) as pick"
    )
    return filtered.filter("pick = 1").project(
        "indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit, year, value"
    ).df()
