"""Age-standardised death rates (direct method, European Standard Population 2013) with Fay-Feuer
gamma intervals, for every yearly death series that has an age breakdown and a population by age.

Grain: one row per series-year = source_id, indicator_id, geo_code, substance_id, sex, breakdown,
year, over the latest vintage of marts.fct_observations (unit deaths, period_type year) whose
age bands (age_group other than `all`) exist and whose geography has a population by single
year of age (staging.stg_population__municipality_age: Norway, nation_nor = sum of the
municipalities, and the municipalities in 2020 borders; 1 January of the same year, as the crude
rates in mart_indicator_series). The population has no sex, so only sex `all` is standardised.
Left out: series whose numerator is not part of the resident population and derived averages
(seeds/series_statistical_scope.csv).

Direct method: ASR = sum_j W_j d_j / n_j over the series' age bands j, where d_j is the band's
deaths, n_j its population and W_j the ESP 2013 weight of the band: the sum of the weights of the
ESP 5-year bands inside it (0-14 = 0-4 + 5-9 + 10-14 = 16,000 of 100,000). Per 100,000.

Fay & Feuer (1997, Statistics in Medicine 16:791-801) 95 % interval, with w_j = W_j / sum W and
y = sum w_j d_j / n_j, v = sum w_j^2 d_j / n_j^2, w_M = max_j w_j / n_j:
    lower = Gamma^-1(alpha/2;   shape y^2 / v,                   scale v / y)          (0 if y = 0)
    upper = Gamma^-1(1-alpha/2; shape (y + w_M)^2 / (v + w_M^2), scale (v + w_M^2) / (y + w_M))
(scipy.stats.gamma; tests/unit/test_age_standardised_rates.py recomputes it with chi2).

No ASR (asr_status says why; asr columns null) when the bands do not give the age distribution:
  bands_do_not_cover_all_ages   the bands leave ages out or overlap (Norway 2016-2017: no 30-44
                                and 45-64 band);
  band_not_available            a band's count is missing, withheld or not exact/estimated;
  bands_do_not_add_to_total     the bands' sum differs from the series' `all` count (Eurostat
                                printed 0 for bands it did not have: Norway F10 2018, bands 92 vs
                                total 149);
  bands_not_aligned_with_standard  a series band cuts an ESP 5-year band;
  no_population                 a band has no population.
A partial ASR over the bands that exist is never given: it would standardise to a different
population than the one it claims.
"""
from __future__ import annotations

import re

import numpy as np
from scipy import stats

ALPHA = 0.05
STANDARD = "ESP2013"
METHOD = "direct; Fay-Feuer gamma interval (scipy.stats.gamma)"
SERIES = ["source_id", "indicator_id", "geo_code", "substance_id", "sex", "breakdown", "year"]

_BAND = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)|(\+))\s*$")


def parse_band(label: str) -> tuple[int, int | None] | None:
    """'15-29' -> (15, 29); '65+' -> (65, None); anything else -> None."""
    m = _BAND.match(label or "")
    if not m:
        return None
    start = int(m.group(1))
    end = int(m.group(2)) if m.group(2) is not None else None
    if end is not None and end < start:
        return None
    return start, end


def covers_all_ages(bands: list[tuple[int, int | None]]) -> bool:
    """The bands, sorted, run from 0 without gap or overlap and end with an open band."""
    ordered = sorted(bands)
    expected = 0
    for i, (start, end) in enumerate(ordered):
        if start != expected:
            return False
        if end is None:
            return i == len(ordered) - 1
        expected = end + 1
    return False


def standard_weights(bands: list[tuple[int, int | None]], esp) -> list[float] | None:
    """ESP weight of each series band: the sum of the ESP bands inside it; None when an ESP band
    straddles two series bands. `esp`: rows of (age_start, age_end or None, weight)."""
    out = [0.0] * len(bands)
    for e_start, e_end, weight in esp:
        home = None
        for i, (start, end) in enumerate(bands):
            inside_low = e_start >= start
            inside_high = end is None or (e_end is not None and e_end <= end)
            if inside_low and inside_high:
                home = i
                break
        if home is None:
            return None
        out[home] += float(weight)
    return out


def fay_feuer(deaths, population, weights, alpha: float = ALPHA) -> tuple[float, float, float]:
    """Directly standardised rate and its Fay-Feuer gamma interval, all per 100,000."""
    d = np.asarray(deaths, dtype=float)
    n = np.asarray(population, dtype=float)
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    y = float(np.sum(w * d / n))
    v = float(np.sum(w ** 2 * d / n ** 2))
    wm = float(np.max(w / n))
    lower = 0.0 if y == 0 else float(stats.gamma.ppf(alpha / 2, y ** 2 / v, scale=v / y))
    upper = float(stats.gamma.ppf(1 - alpha / 2, (y + wm) ** 2 / (v + wm ** 2), scale=(v + wm ** 2) / (y + wm)))
    return 1e5 * y, 1e5 * lower, 1e5 * upper


def band_population(single_years, bands: list[tuple[int, int | None]]) -> list[float]:
    """Population of each band from {age: persons} (the top single year, e.g. 105, is open)."""
    out = []
    for start, end in bands:
        out.append(float(sum(p for age, p in single_years.items() if age >= start and (end is None or age <= end))))
    return out


def standardise(band_rows, total, single_years, esp) -> dict:
    """One series-year. band_rows: list of (age_group, value, qualifier); total: the `all`
    value or None; single_years: {age: persons} or empty; esp: (start, end, weight) rows."""
    order = sorted(band_rows, key=lambda r: (parse_band(r[0]) or (10 ** 6, None))[0])
    labels = [r[0] for r in order]
    row = {"age_bands": ",".join(labels), "n_bands": len(order), "deaths": None, "population": None,
           "crude_rate_per_100k": None, "asr_per_100k": None, "asr_low": None, "asr_high": None}
    bands = [parse_band(label) for label in labels]
    if any(b is None for b in bands) or not covers_all_ages(bands):
        return {**row, "asr_status": "bands_do_not_cover_all_ages"}
    values = [r[1] for r in order]
    if any(v is None or np.isnan(v) for v in values) or any(r[2] not in ("exact", "estimated") for r in order):
        return {**row, "asr_status": "band_not_available"}
    deaths = float(sum(values))
    row["deaths"] = deaths
    if total is not None and not np.isnan(total) and abs(total - deaths) > 1e-9:
        return {**row, "asr_status": "bands_do_not_add_to_total"}
    weights = standard_weights(bands, esp)
    if weights is None:
        return {**row, "asr_status": "bands_not_aligned_with_standard"}
    pops = band_population(single_years, bands) if single_years else []
    if not pops or min(pops) <= 0:
        return {**row, "asr_status": "no_population"}
    asr, low, high = fay_feuer(values, pops, weights)
    row.update(population=float(sum(pops)), crude_rate_per_100k=1e5 * deaths / sum(pops),
               asr_per_100k=asr, asr_low=low, asr_high=high, asr_status="ok")
    return row


OUTPUT_COLUMNS = {
    "source_id": "string", "indicator_id": "string", "geo_code": "string", "substance_id": "string",
    "sex": "string", "breakdown": "string", "year": "Int32", "standard_population": "string",
    "age_bands": "string", "n_bands": "Int32", "deaths": "float64", "population": "float64",
    "crude_rate_per_100k": "float64", "asr_per_100k": "float64", "asr_low": "float64", "asr_high": "float64",
    "confidence_level": "float64", "method": "string", "asr_status": "string",
    "population_is_estimated": "boolean",
}


def compute(cells, population, esp_rows):
    """cells: one row per series-year and age_group (SERIES + age_group, value, qualifier);
    population: geo_code, year, age, persons, is_imputed; esp_rows: (start, end, weight)."""
    import pandas as pd

    pop = {}
    imputed = {}
    for (geo, year), grp in population.groupby(["geo_code", "year"]):
        pop[(geo, int(year))] = dict(zip(grp["age"].astype(int), grp["persons"].astype(float)))
        imputed[(geo, int(year))] = bool(grp["is_imputed"].any())
    rows = []
    for key, grp in cells.groupby(SERIES, sort=True, dropna=False):
        bands = grp[grp["age_group"] != "all"]
        if bands.empty:
            continue
        totals = grp.loc[grp["age_group"] == "all", "value"]
        total = float(totals.iloc[0]) if len(totals) and pd.notna(totals.iloc[0]) else None
        band_rows = [(r.age_group, None if pd.isna(r.value) else float(r.value), r.qualifier)
                     for r in bands.itertuples()]
        record = dict(zip(SERIES, key))
        single = pop.get((record["geo_code"], int(record["year"])), {})
        record.update(standardise(band_rows, total, single, esp_rows))
        record.update(standard_population=STANDARD, confidence_level=1 - ALPHA, method=METHOD,
                      population_is_estimated=imputed.get((record["geo_code"], int(record["year"]))))
        rows.append(record)
    frame = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    return frame.astype(OUTPUT_COLUMNS)


def model(dbt, session):
    dbt.config(materialized="table")
    fct = dbt.ref("fct_observations")
    scope = dbt.ref("series_statistical_scope")
    esp = dbt.ref("european_standard_population_2013").order("age_start").fetchall()
    esp_rows = [(int(a), None if b is None else int(b), float(w)) for _, a, b, w in esp]
    stg = dbt.ref("stg_population__municipality_age").filter("is_latest_load")

    nation = stg.aggregate(
        "'nation_nor' as geo_code, year, age, cast(sum(population) as double) as persons, "
        "bool_or(is_imputed) as is_imputed", "year, age")
    municipalities = stg.aggregate(
        "geo_code, year, age, cast(sum(population) as double) as persons, bool_or(is_imputed) as is_imputed",
        "geo_code, year, age")
    population = nation.union(municipalities)

    excluded = scope.filter("is_derived_average or not numerator_in_resident_population").project(
        "indicator_id, breakdown").set_alias("excluded")
    latest = fct.filter(
        "is_latest_vintage and period_type = 'year' and unit = 'deaths' and sex = 'all'"
    ).set_alias("fct").join(
        excluded, "fct.indicator_id = excluded.indicator_id and fct.breakdown = excluded.breakdown", how="anti"
    ).project(
        "source_id, indicator_id, geo_code, substance_id, sex, breakdown, "
        "cast(extract(year from period_start) as integer) as year, age_group, value, qualifier, "
        "row_number() over (partition by source_id, indicator_id, geo_code, substance_id, sex, breakdown, "
        "extract(year from period_start), age_group order by vintage desc, observation_id) as pick"
    ).filter("pick = 1")
    # only series-years that have at least one age band, in a geography with a population by age
    with_bands = latest.filter("age_group <> 'all'").project("geo_code").distinct().set_alias("b")
    geos = population.project("geo_code").distinct().set_alias("g")
    wanted = with_bands.join(geos, "b.geo_code = g.geo_code").project("b.geo_code as geo_code").set_alias("w")
    cells = latest.set_alias("c").join(wanted, "c.geo_code = w.geo_code", how="semi").project(
        "source_id, indicator_id, geo_code, substance_id, sex, breakdown, year, age_group, value, qualifier").df()
    pop = population.set_alias("p").join(wanted, "p.geo_code = w.geo_code", how="semi").df()
    return compute(cells, pop, esp_rows)
