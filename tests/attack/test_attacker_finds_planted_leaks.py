"""The attacker itself is tested: on small published schemas with one leak planted through each
route it recovers the hidden count, and on a properly protected table it recovers nothing.

The schemas carry only the columns the attacker reads; the values are invented but shaped like
the bundled Eurostat and FHI series (deaths by country, sex and age band; a Norwegian county by
quarter)."""
from __future__ import annotations

import math

import duckdb
import numpy as np
import pytest
import statsmodels.api as sm

from tests.attack.attacker import attack

SERIES_COLUMNS = """
    source_id varchar, indicator_id varchar, geo_code varchar, period_type varchar, period_start varchar,
    period_end varchar, year integer, substance_id varchar, sex varchar, age_group varchar, breakdown varchar,
    unit varchar, value double, value_low double, value_high double, qualifier varchar, is_suppressed boolean,
    population double, rate_per_100k double, rate_low double, rate_high double, index_base_year integer,
    index_value double, rolling_3y_sum double, change_from_previous double, change_from_previous_pct double
"""


def _warehouse(tmp_path, rows, trend_stats=(), segments=(), substance_trends=()):
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema publish")
    con.execute("create table publish.indicators (indicator_id varchar, suppress_below integer, suppression_rule varchar)")
    con.execute("insert into publish.indicators values ('deaths', 4, 'fhi_cod_under_4'), ('vsrr', 10, 'cdc_nchs_1_to_9')")
    con.execute(f"create table publish.indicator_series ({SERIES_COLUMNS})")
    cols = [c.split()[0] for c in SERIES_COLUMNS.replace("\n", " ").split(",") if c.strip()]
    for row in rows:
        full = {c: row.get(c) for c in cols}
        con.execute(f"insert into publish.indicator_series values ({', '.join('?' * len(cols))})", list(full.values()))
    con.execute(f"create table publish.substance_trends ({SERIES_COLUMNS})")
    for row in substance_trends:
        full = {c: row.get(c) for c in cols}
        con.execute(f"insert into publish.substance_trends values ({', '.join('?' * len(cols))})", list(full.values()))
    con.execute("""create table publish.trend_stats (indicator_id varchar, geo_code varchar, substance_id varchar,
        sex varchar, age_group varchar, breakdown varchar, unit varchar, first_year integer, last_year integer,
        n_years integer, apc double, apc_low double, apc_high double, apc_model varchar)""")
    for t in trend_stats:
        con.execute("insert into publish.trend_stats values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(t))
    con.execute("""create table publish.trend_segments (indicator_id varchar, geo_code varchar, substance_id varchar,
        sex varchar, age_group varchar, breakdown varchar, unit varchar, segment_no integer, start_year integer,
        end_year integer, apc double)""")
    for s in segments:
        con.execute("insert into publish.trend_segments values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(s))
    con.close()
    return path


def cell(geo, year, value, *, sex="all", age="all", hidden=False, indicator="deaths", period=None, **extra):
    start, end, ptype = period or (f"{year}-01-01", f"{year}-12-31", "year")
    row = {"source_id": "src", "indicator_id": indicator, "geo_code": geo, "period_type": ptype,
           "period_start": start, "period_end": end, "year": year, "substance_id": "all", "sex": sex,
           "age_group": age, "breakdown": "all", "unit": "deaths", "qualifier": "exact", "is_suppressed": hidden,
           "value": None if hidden else value}
    row.update(extra)
    return row


def test_a_count_shown_by_one_view_and_hidden_by_another_is_found(tmp_path):
    rows = [cell("nation_cyp", 2017, 3, hidden=True)]
    found = attack(_warehouse(tmp_path, rows, substance_trends=[cell("nation_cyp", 2017, 3)]))
    assert [f.route for f in found] == ["direct"]
    assert "nation_cyp" in found[0].cell and "count 3" in found[0].detail


def test_an_eu_total_minus_its_shown_members_gives_the_hidden_one(tmp_path):
    members = {code: 40 + i for i, code in enumerate(sorted(
        {"aut", "bel", "bgr", "hrv", "cze", "dnk", "est", "fin", "fra", "deu", "grc", "hun", "irl", "ita", "lva",
         "ltu", "lux", "nld", "pol", "prt", "rou", "svk", "svn", "esp", "swe", "mlt"}))}
    members["cyp"] = 2
    rows = [cell(f"nation_{c}", 2017, v, hidden=(c == "cyp")) for c, v in members.items()]
    rows.append(cell("union_eu27_2020", 2017, sum(members.values())))
    found = attack(_warehouse(tmp_path, rows))
    assert any("nation_cyp" in f.cell and f.route == "subtraction" and "= 2" in f.detail for f in found), found


def test_a_year_minus_its_shown_quarters_gives_the_hidden_quarter(tmp_path):
    quarters = [("2021-01-01", "2021-03-31", 9), ("2021-04-01", "2021-06-30", 2),
                ("2021-07-01", "2021-09-30", 11), ("2021-10-01", "2021-12-31", 7)]
    rows = [cell("county_nor46", 2021, v, hidden=(v == 2), period=(s, e, "quarter")) for s, e, v in quarters]
    rows.append(cell("county_nor46", 2021, 29))
    found = attack(_warehouse(tmp_path, rows))
    assert any("2021-04-01" in f.cell and "= 2" in f.detail for f in found), found


def test_age_bands_and_sex_chain_is_followed_through_a_complement(tmp_path):
    # 15-29 female is the primary (2); its complement 15-29 male (9) is pinned by the sex total of
    # 15-29, which is shown: the chain gives both away.
    rows = [
        cell("nation_nor", 2020, 2, sex="female", age="15-29", hidden=True),
        cell("nation_nor", 2020, 9, sex="male", age="15-29", hidden=True),
        cell("nation_nor", 2020, 11, sex="all", age="15-29"),
        cell("nation_nor", 2020, 30, sex="female", age="30-44"),
        cell("nation_nor", 2020, 32, sex="female", age="all"),
    ]
    found = attack(_warehouse(tmp_path, rows))
    assert any("female|15-29" in f.cell for f in found), found


def test_rates_indexes_changes_and_rolling_sums_give_hidden_counts_away(tmp_path):
    rows = [
        cell("municip_nor4601", 2015, 2, hidden=True, population=285000.0, rate_per_100k=2 / 285000 * 1e5),
        cell("municip_nor4601", 2016, 3, hidden=True, index_base_year=2017, index_value=3 / 17 * 100),
        cell("municip_nor4601", 2017, 17),
        cell("municip_nor4601", 2018, 2, hidden=True, change_from_previous=2 - 17),
        cell("municip_nor4601", 2019, 20),
        cell("municip_nor4601", 2020, 21),
        cell("municip_nor4601", 2021, 1, hidden=True, rolling_3y_sum=20 + 21 + 1),
    ]
    found = attack(_warehouse(tmp_path, rows))
    years = {f.cell.split("|")[4][:4] for f in found}
    assert years == {"2015", "2016", "2018", "2021"}, found


def _poisson_fit(years, counts):
    t = np.array(years, dtype=float) - years[0]
    fit = sm.GLM(np.array(counts, dtype=float), sm.add_constant(t), family=sm.families.Poisson()).fit()
    b, se = fit.params[1], fit.bse[1]
    z = 1.959963984540054
    return 100 * math.expm1(b), 100 * math.expm1(b - z * se), 100 * math.expm1(b + z * se)


def test_a_poisson_trend_fit_gives_away_a_hidden_year(tmp_path):
    years = list(range(2010, 2018))
    counts = [20, 22, 2, 25, 27, 30, 31, 35]
    rows = [cell("nation_isl", y, v, hidden=(v == 2)) for y, v in zip(years, counts)]
    apc, lo, hi = _poisson_fit(years, counts)
    stats_row = ("deaths", "nation_isl", "all", "all", "all", "all", "deaths", 2010, 2017, 8, apc, lo, hi, "poisson")
    found = attack(_warehouse(tmp_path, rows, trend_stats=[stats_row]))
    assert any("2012-01-01" in f.cell for f in found), found


def test_a_fully_hidden_series_with_one_death_is_exposed_by_its_fit(tmp_path):
    years = list(range(2010, 2018))
    counts = [0, 0, 0, 1, 0, 0, 0, 0]
    rows = [cell("nation_lie", y, v, hidden=True) for y, v in zip(years, counts)]
    apc, lo, hi = _poisson_fit(years, counts)
    stats_row = ("deaths", "nation_lie", "all", "all", "all", "all", "deaths", 2010, 2017, 8, apc, lo, hi, "poisson")
    found = attack(_warehouse(tmp_path, rows, trend_stats=[stats_row]))
    assert len(found) == 8, found   # the total is 1: every year is known to be 0 or 1


def test_a_protected_table_gives_nothing_away(tmp_path):
    # each hidden count shares every relation with another hidden cell and enough slack:
    # female 15-29 (2) with male 15-29 (9) under the 15-29 total (hidden too), and with female
    # 30-44 (8) under the female total; male 15-29 with male 30-44 (10) under the male total.
    rows = [
        cell("nation_nor", 2020, 2, sex="female", age="15-29", hidden=True),
        cell("nation_nor", 2020, 9, sex="male", age="15-29", hidden=True),
        cell("nation_nor", 2020, 11, sex="all", age="15-29", hidden=True),
        cell("nation_nor", 2020, 8, sex="female", age="30-44", hidden=True),
        cell("nation_nor", 2020, 10, sex="male", age="30-44", hidden=True),
        cell("nation_nor", 2020, 18, sex="all", age="30-44"),
        cell("nation_nor", 2020, 10, sex="female", age="all"),
        cell("nation_nor", 2020, 19, sex="male", age="all"),
        cell("nation_nor", 2020, 29, sex="all", age="all"),
    ]
    assert attack(_warehouse(tmp_path, rows)) == []


@pytest.mark.parametrize("shown", [0, 10])
def test_cdc_rule_shows_zero_and_ten(tmp_path, shown):
    rows = [cell("state_usa_vt", 2015, shown, indicator="vsrr")]
    assert attack(_warehouse(tmp_path, rows)) == []
