"""The numbers of issue 9 that were wrong in meaning, on the warehouse built from the bundled data.

Uses the session's built warehouse (tests/conftest.py: built_warehouse_dir; set
TRENDVAKT_TEST_BUILT_DIR to a directory built with `make build WAREHOUSE_DIR=...` for a fast loop).
"""
from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(built_warehouse_dir):
    c = duckdb.connect(str(built_warehouse_dir / "warehouse.duckdb"), read_only=True)
    yield c
    c.close()


def test_non_resident_deaths_in_bergen_have_no_rate(con):
    """Overdose deaths of non-residents in Bergen 2014 (7) were divided by Bergen's residents."""
    rows = con.execute("""select year, population, rate_per_100k, rate_low, rate_high
                      from marts.mart_indicator_series
                      where indicator_id = 'overdose_deaths_nonresidents' and geo_code = 'municip_nor4601'""").fetchall()
    assert len(rows) == 5
    assert all(pop is not None for _, pop, *_ in rows)  # the population is there, the rate is not
    assert all(row[2:] == (None, None, None) for row in rows)


def test_eurostat_all_residences_has_no_rate_but_residents_do(con):
    rates = dict(con.execute("""select breakdown, rate_per_100k from marts.mart_indicator_series
                            where indicator_id = 'drug_dependence_deaths' and geo_code = 'nation_nor'
                              and sex = 'all' and age_group = 'all' and year = 2021""").fetchall())
    assert rates["deaths in the country, all residences"] is None
    assert rates["residents, deaths in the country"] == pytest.approx(100000 * 18 / 5391369)


def test_scotland_five_year_average_has_no_rolling_sum_and_no_trend_statistics(con):
    rolling = con.execute("""select count(*), count(rolling_3y_sum) from marts.mart_indicator_series
                         where indicator_id = 'drug_related_deaths_nrs_avg5'""").fetchone()
    assert rolling[0] == 22 and rolling[1] == 0
    stats = dict(con.execute("""select indicator_id, count(*) from publish.trend_stats
                            where geo_code = 'nation_sco' group by 1""").fetchall())
    assert "drug_related_deaths_nrs_avg5" not in stats
    assert stats["drug_related_deaths_nrs"] == 2  # the published and the consistent series


def test_us_psychostimulants_have_no_spurious_2005_2008_decline(con):
    segs = con.execute("""select start_year, end_year, apc from publish.trend_segments
                      where indicator_id = 'overdose_death_rate' and substance_id = 'psychostimulants'
                      order by segment_no""").fetchall()
    assert [(s, e) for s, e, _ in segs] == [(1999, 2010), (2010, 2018), (2018, 2020)]
    assert all(apc > 0 for *_, apc in segs)
    model = con.execute("""select apc_model from publish.trend_stats where indicator_id = 'overdose_death_rate'
                       and substance_id = 'psychostimulants'""").fetchone()[0]
    assert model == "wls_log"


def test_eu27_age_0_14_drug_deaths_get_no_apc(con):
    row = con.execute("""select apc, apc_model, n_joinpoints, not_estimable_reason from marts.mart_trend_stats
                     where indicator_id = 'drug_dependence_deaths' and geo_code = 'union_eu27_2020'
                       and sex = 'all' and age_group = '0-14' and breakdown = 'residents, deaths in the country'""").fetchone()
    assert row == (None, "not_estimable", None, "nearly_all_zero")
    assert con.execute("""select count(*) from publish.trend_segments s join marts.mart_trend_stats t
                      using (indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit)
                      where t.apc_model = 'not_estimable'""").fetchone()[0] == 0


def test_count_segments_hold_ten_events(con):
    """Every published segment of a count series holds at least 10 events (its end years included)."""
    short = con.execute("""
        select s.indicator_id, s.geo_code, s.sex, s.age_group, s.breakdown, s.segment_no, sum(o.value) as events
        from marts.mart_trend_segments s
        join marts.mart_trend_stats t using (indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit)
        join marts.fct_observations o
          on o.indicator_id = s.indicator_id and o.geo_code = s.geo_code and o.substance_id = s.substance_id
         and o.sex = s.sex and o.age_group = s.age_group and o.breakdown = s.breakdown and o.unit = s.unit
         and o.is_latest_vintage and o.period_type = 'year' and o.qualifier in ('exact', 'estimated')
         and extract(year from o.period_start) between s.start_year and s.end_year
        where t.apc_model in ('poisson', 'quasi_poisson')
        group by all having sum(o.value) < 10""").fetchall()
    assert short == []


def test_norway_asr_is_computed_but_not_published_while_a_band_is_suppressed(con):
    """Norway 2020-2021 (alcohol F10, drug dependence): all five bands add up to the total, so
    the mart has an ASR; each year has a band of 1-3 deaths (or 0) that publish.observations
    hides, so publish.age_standardised_rates must not show it (the ASR would reveal the band)."""
    ok = con.execute("""select indicator_id, year from marts.mart_age_standardised_rates
                    where geo_code = 'nation_nor' and asr_status = 'ok' order by 1, 2""").fetchall()
    assert ok == [("alcohol_use_disorder_deaths", 2020), ("alcohol_use_disorder_deaths", 2021),
                  ("drug_dependence_deaths", 2020), ("drug_dependence_deaths", 2021)]
    status = dict(con.execute("""select year, asr_status from marts.mart_age_standardised_rates
                             where geo_code = 'nation_nor' and indicator_id = 'alcohol_use_disorder_deaths'""").fetchall())
    # 2018: the 45-64 band Eurostat left at 0 (bands 92 of 147) is loaded as not available
    assert status[2016] == "bands_do_not_cover_all_ages" and status[2018] == "band_not_available"

    leaks = con.execute("""
        select a.indicator_id, a.year, o.age_group
        from publish.age_standardised_rates a
        join publish.observations o
          on o.indicator_id = a.indicator_id and o.geo_code = a.geo_code and o.sex = a.sex
         and o.breakdown = a.breakdown and o.substance_id = a.substance_id and o.source_id = a.source_id
         and o.period_type = 'year' and extract(year from o.period_start) = a.year
         and list_contains(string_split(a.age_bands, ','), o.age_group)
        where o.is_suppressed or o.value is null""").fetchall()
    assert leaks == []
    hidden = con.execute("""select count(*) from publish.observations where geo_code = 'nation_nor' and sex = 'all'
                        and indicator_id = 'drug_dependence_deaths' and breakdown = 'residents, deaths in the country'
                        and extract(year from period_start) = 2021 and age_group <> 'all' and is_suppressed""").fetchone()[0]
    published = con.execute("""select count(*) from publish.age_standardised_rates where geo_code = 'nation_nor'
                           and indicator_id = 'drug_dependence_deaths' and year = 2021""").fetchone()[0]
    assert hidden > 0 and published == 0
