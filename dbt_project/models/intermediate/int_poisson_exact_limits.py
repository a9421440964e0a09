"""Exact (Garwood) Poisson 95 % limits for each distinct event count.

DuckDB has no inverse chi-square, so the limits are computed here with scipy and joined back in
SQL (marts.mart_indicator_series). For an observed count k:

    lower = chi2.ppf(0.025, 2k) / 2        (0 when k = 0)
    upper = chi2.ppf(0.975, 2k + 2) / 2

Both are event counts; divide by the population and multiply by 100,000 for a rate interval.
A fractional count (a split municipality's weighted share) uses the same formula with a
non-integer degree of freedom, the continuous (gamma) generalisation.
Grain: one row per distinct count.
"""
from scipy.stats import chi2


def model(dbt, session):
    dbt.config(materialized="table")
    counts = dbt.ref("int_poisson_event_counts").df()
    k = counts["events"].astype(float)
    counts["lower_limit"] = [0.0 if x == 0 else float(chi2.ppf(0.025, 2 * x) / 2) for x in k]
    counts["upper_limit"] = [float(chi2.ppf(0.975, 2 * x + 2) / 2) for x in k]
    counts["confidence_level"] = 0.95
    counts["method"] = "exact Poisson (Garwood), scipy.stats.chi2.ppf"
    return counts
