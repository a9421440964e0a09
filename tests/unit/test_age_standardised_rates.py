"""Age-standardised rates of marts.mart_age_standardised_rates, checked by hand.

The model file is imported by path (as dbt loads it). The expected numbers are computed here from
the bundled raw files (Eurostat hlth_cd_aro and SSB/FHI population by age) with Fay & Feuer's
(1997) formulas written out with the chi-square distribution, not the model's gamma calls.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

import duckdb
import pytest
from scipy.stats import chi2

from tests.dbt_python_models import load_model

REPO = Path(__file__).resolve().parents[2]
ESP_FILE = REPO / "dbt_project" / "seeds" / "european_standard_population_2013.csv"
EUROSTAT_DIR = REPO / "data" / "raw" / "eurostat_cod"
POPULATION_DIR = REPO / "data" / "raw" / "population"


asr = load_model("marts/mart_age_standardised_rates.py")

EUROSTAT_AGES = {"Y_LT15": "0-14", "Y15-29": "15-29", "Y30-44": "30-44", "Y45-64": "45-64", "Y_GE65": "65+"}


@pytest.fixture(scope="module")
def esp() -> list[tuple[int, int | None, float]]:
    with ESP_FILE.open(encoding="utf-8") as fh:
        return [(int(r["age_start"]), int(r["age_end"]) if r["age_end"] else None, float(r["weight"]))
                for r in csv.DictReader(fh)]


def _eurostat_norway(icd10: str, year: int) -> dict[str, float]:
    """Deaths of residents of Norway, both sexes, by Eurostat age band and TOTAL, as in the file."""
    (path,) = sorted(EUROSTAT_DIR.glob("*.csv"))
    out = {}
    with path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader)]
        col = header.index(str(year))
        for r in reader:
            if r[2] == "T" and r[4] == icd10 and r[5] == "TOT_RESID" and r[6] == "NO" and r[col].strip() != ":":
                out[EUROSTAT_AGES.get(r[3], "all" if r[3] == "TOTAL" else r[3])] = float(r[col])
    return out


def _norway_population(year: int) -> dict[int, float]:
    """Population of Norway on 1 January by single year of age: the municipalities summed."""
    (path,) = sorted(POPULATION_DIR.glob("*.csv.gz"))
    rows = duckdb.sql(f"select age, sum(pop_jan1) from read_csv('{path}') where year = {year} group by age").fetchall()
    return {int(a): float(p) for a, p in rows}


def test_esp_2013_seed_is_the_eurostat_table(esp):
    assert sum(w for _, _, w in esp) == 100000
    assert [w for _, _, w in esp][:3] == [5000, 5500, 5500] and esp[-1] == (95, None, 200)


def test_esp_weights_summed_into_eurostat_bands(esp):
    bands = [asr.parse_band(b) for b in ["0-14", "15-29", "30-44", "45-64", "65+"]]
    # 0-14: 5000 + 5500 + 5500; 15-29: 5500 + 6000 + 6000; 30-44: 6500 + 7000 + 7000;
    # 45-64: 7000 + 7000 + 6500 + 6000; 65+: 5500 + 5000 + 4000 + 2500 + 1500 + 800 + 200
    assert asr.standard_weights(bands, esp) == [16000, 17500, 20500, 26500, 19500]
    # a band that cuts an ESP band (0-12 ends inside 10-14) cannot be standardised
    assert asr.standard_weights([(0, 12), (13, None)], esp) is None


def test_norway_alcohol_2021_asr_by_fay_feuer_formula(esp):
    """Norway, alcohol use disorder deaths (F10) of residents, 2021: 0, 1, 2, 45, 87 in the five
    Eurostat bands (total 135), population of 1 January 2021."""
    deaths = _eurostat_norway("F10", 2021)
    assert deaths == {"0-14": 0, "15-29": 1, "30-44": 2, "45-64": 45, "65+": 87, "all": 135}
    single = _norway_population(2021)
    limits = {"0-14": (0, 14), "15-29": (15, 29), "30-44": (30, 44), "45-64": (45, 64), "65+": (65, 200)}
    pops = {b: sum(p for a, p in single.items() if lo <= a <= hi) for b, (lo, hi) in limits.items()}
    assert sum(pops.values()) == 5391369  # Norway's population on 1 January 2021 (as in mart_indicator_series)
    std = {"0-14": 16000, "15-29": 17500, "30-44": 20500, "45-64": 26500, "65+": 19500}

    # Fay & Feuer (1997), written with chi-square quantiles: w_i = standard share / population
    w = {b: std[b] / 100000 / pops[b] for b in std}
    y = sum(w[b] * deaths[b] for b in std)
    v = sum(w[b] ** 2 * deaths[b] for b in std)
    wm = max(w.values())
    lower = v / (2 * y) * chi2.ppf(0.025, 2 * y ** 2 / v)
    upper = (v + wm ** 2) / (2 * (y + wm)) * chi2.ppf(0.975, 2 * (y + wm) ** 2 / (v + wm ** 2))

    band_rows = [(b, deaths[b], "exact") for b in ["65+", "0-14", "45-64", "15-29", "30-44"]]  # any order
    row = asr.standardise(band_rows, deaths["all"], single, esp)

    assert row["asr_status"] == "ok" and row["age_bands"] == "0-14,15-29,30-44,45-64,65+"
    assert row["asr_per_100k"] == pytest.approx(1e5 * y, rel=1e-12)
    assert row["asr_low"] == pytest.approx(1e5 * lower, rel=1e-9)
    assert row["asr_high"] == pytest.approx(1e5 * upper, rel=1e-9)
    assert row["crude_rate_per_100k"] == pytest.approx(1e5 * 135 / 5391369)
    # the numbers, so a change shows: ASR 2.67 (2.24-3.16) against a crude 2.50 per 100,000
    assert row["asr_per_100k"] == pytest.approx(2.666, abs=0.001)
    assert (round(row["asr_low"], 2), round(row["asr_high"], 2)) == (2.24, 3.16)


def test_no_deaths_gives_a_zero_lower_limit(esp):
    bands = [("0-14", 0.0, "exact"), ("15+", 0.0, "exact")]
    single = {a: 1000.0 for a in range(0, 100)}
    row = asr.standardise(bands, 0.0, single, esp)
    assert row["asr_status"] == "ok" and row["asr_per_100k"] == 0 and row["asr_low"] == 0
    # upper = w_M / 2 * chi2(0.975, 2): w_M the larger standard share per person
    wm = max(16000 / 100000 / 15000, 84000 / 100000 / 85000)
    assert row["asr_high"] == pytest.approx(1e5 * wm / 2 * chi2.ppf(0.975, 2))


def test_norway_f10_2018_bands_that_do_not_add_up_get_no_asr(esp):
    """Eurostat printed 0 for bands it did not have: Norway F10 2018 bands 0, 0, 0, 0, 92 against
    a total of 149. An ASR over them would claim nobody aged 30-64 died."""
    deaths = _eurostat_norway("F10", 2018)
    assert sum(v for b, v in deaths.items() if b != "all") == 92 and deaths["all"] == 149
    band_rows = [(b, v, "exact") for b, v in deaths.items() if b != "all"]
    row = asr.standardise(band_rows, deaths["all"], _norway_population(2018), esp)
    assert row["asr_status"] == "bands_do_not_add_to_total" and row["asr_per_100k"] is None


def test_norway_2016_without_middle_bands_gets_no_asr(esp):
    """2016: Eurostat has no 30-44 and 45-64 band for Norway (':' in the file)."""
    deaths = _eurostat_norway("TOXICO", 2016)
    assert set(deaths) == {"0-14", "15-29", "65+", "all"}
    band_rows = [(b, v, "exact") for b, v in deaths.items() if b != "all"]
    row = asr.standardise(band_rows, deaths["all"], _norway_population(2016), esp)
    assert row["asr_status"] == "bands_do_not_cover_all_ages" and row["asr_per_100k"] is None


def test_a_withheld_band_gets_no_asr(esp):
    band_rows = [("0-14", 0.0, "exact"), ("15-64", None, "suppressed"), ("65+", 4.0, "exact")]
    row = asr.standardise(band_rows, None, {a: 10.0 for a in range(100)}, esp)
    assert row["asr_status"] == "band_not_available"


def test_band_coverage():
    assert asr.covers_all_ages([(15, 29), (0, 14), (30, None)])
    assert not asr.covers_all_ages([(0, 14), (30, None)])           # 15-29 missing
    assert not asr.covers_all_ages([(0, 14), (10, 29), (30, None)])  # overlap
    assert not asr.covers_all_ages([(0, 14), (15, 64)])             # no open top band
    assert asr.parse_band("65+") == (65, None) and asr.parse_band("all") is None
