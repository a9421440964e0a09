"""The Overview, Overdoses, Explorer, Data quality and Sources views, and the planned publish views.

`future_warehouse` is a copy of the test warehouse to which the views planned in docs/contracts.md
(publish.indicator_series, trend_stats, overdose, indicators, load_status, rejections,
quality_results) are added with the contract's columns, so the app is shown to work the moment the
other engineers publish them.
"""
from __future__ import annotations

import csv
import io
import json
import shutil

import duckdb
import pytest

from tests.app.test_callbacks import post_callback, render_page
from tests.app.test_i18n import offending_words, published_names  # noqa: F401 (published_names is a fixture)

PLANNED = {
    "indicator_series": """
        select o.indicator_id, o.indicator_name_nb, o.indicator_name_en, o.unit, o.geo_code,
               coalesce(n.geo_name, o.geo_code) as geo_name, 'x' as geo_level, o.period_type, o.period_start,
               o.period_end, cast(year(o.period_start) as integer) as year, o.substance_id,
               o.substance_id as substance_name_nb, o.substance_id as substance_name_en, 'g' as substance_group,
               o.sex, o.age_group, o.breakdown, o.value, o.value_low, o.value_high, o.qualifier, o.is_provisional,
               false as is_estimated, o.is_suppressed, o.numerator, o.denominator, 100000.0 as population,
               o.value as rate_per_100k, o.value * 0.9 as rate_low, o.value * 1.1 as rate_high,
               false as rate_unreliable, 2016 as index_base_year, 100.0 as index_value,
               cast(null as double) as rolling_3y_sum, cast(null as double) as change_from_previous,
               cast(null as double) as change_from_previous_pct, o.vintage, o.source_id,
               'label ' || o.source_id as source_label, o.source_file, o.source_row
        from publish.observations o
        left join (select geo_code, any_value(geo_name) as geo_name from publish.substance_trends group by 1) n
          using (geo_code)
        where o.period_start is not null""",
    "trend_stats": """
        select distinct indicator_id, geo_code, substance_id, sex, age_group, breakdown, 2000 as first_year,
               2020 as last_year, 21 as n_years, 3.5 as apc, 1.0 as apc_low, 6.0 as apc_high, 'loglinear' as apc_model,
               0 as n_joinpoints, '' as joinpoint_years, 'increasing' as mk_trend, 0.01 as mk_p_value,
               0.5 as sens_slope, 'increasing' as direction
        from publish.observations""",
    "overdose": """
        select * from (values
          ('municip_nor4601', 'Bergen', 2011, null, 31.0, 36.0, 'range', null, null, null, 700.0, 245.0, null,
           'report_figures', 'report_figures', false),
          ('municip_nor4601', 'Bergen', 2014, 33.0, null, null, 'exact', 11.9, 8.2, 16.7, 442.0, 159.0, 13.4,
           'report_figures', 'report_figures', false),
          ('municip_nor4601', 'Bergen', 2015, null, null, null, 'exact', null, null, null, 400.0, 140.0, null,
           'report_figures', 'report_figures', true),
          ('city_usa_tempe', 'Tempe', 2017, null, null, null, null, null, null, null, 438.0, 230.0, null,
           null, 'tempe_ems', false)
        ) as v(geo_code, geo_name, year, deaths, deaths_low, deaths_high, deaths_qualifier, death_rate_per_100k,
               death_rate_low, death_rate_high, callouts, callout_rate_per_100k, callouts_per_death,
               deaths_source_id, callouts_source_id, is_suppressed)""",
    "indicators": """
        select indicator_id, any_value(indicator_name_nb) as name_nb, any_value(indicator_name_en) as name_en,
               any_value(unit) as unit, 'Definition of ' || indicator_id as definition_en,
               any_value(source_id) as source_id, max(suppress_below) as suppress_below,
               'counts under 4 are blanked' as suppression_rule
        from publish.observations group by indicator_id""",
    "load_status": "select source_id, source_file, status, finished_at, rows_loaded from meta.load_log",
    "rejections": """select 'cdc_vsrr' as source_id, 'cdc_vsrr/bad.csv' as source_file, 3 as source_row,
                            'not a number' as reason, 'type_check' as check_name""",
    "quality_results": """(select *, 'x' as dummy from meta.quality_results)
                          union all
                          (select run_id, load_id, 'marts', 'made_up_check', 'publish.observations cdc_vsrr', 'error',
                                  'fail', 2, 'two rows fail', recorded_at, 'x' from meta.quality_results limit 1)""",
}


@pytest.fixture(scope="module")
def future_warehouse(app_warehouse, tmp_path_factory):
    path = tmp_path_factory.mktemp("future") / "warehouse.duckdb"
    shutil.copy(app_warehouse, path)
    con = duckdb.connect(str(path))
    try:
        for view, sql in PLANNED.items():
            con.execute(f"drop view if exists publish.{view}")
            con.execute(f"create or replace table publish.{view} as {sql}")
    finally:
        con.close()
    return path


@pytest.fixture()
def future(monkeypatch, future_warehouse):
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(future_warehouse))
    return future_warehouse


# ------------------------------------------------------------------ today's warehouse


def test_overview_has_a_card_per_key_indicator_linking_to_detail(client):
    text = render_page(client, "/", "?lang=en")
    assert text.count('"tv-card tv-kpi"') >= 5
    assert "/explorer?indicator=overdose_deaths_residents&geo=municip_nor4601&lang=en" in text
    from dash_app import queries

    if not {"trend_stats", "load_status", "quality_results"} <= queries.published_views():
        assert "not yet published" in text  # trend / freshness / quality until the views exist
    else:
        assert "Trend:" in text and "Load time" in text and "Quality checks" in text
    nb = render_page(client, "/", "")
    assert "Dataperiode" in nb and "Lastet inn" in nb


def test_planned_views_show_a_not_yet_published_notice(client):
    from dash_app import queries

    missing = {"overdose", "load_status"} - queries.published_views()
    if "overdose" in missing:
        text = render_page(client, "/overdoses", "?lang=en")
        assert "These figures are not yet published" in text and "make build" not in text
    if "load_status" in missing:
        text = render_page(client, "/quality", "?lang=en")
        assert "These figures are not yet published" in text
        assert "tv-not-published" in text


EXPLORER_OUTPUTS = [("explorer-graph", "figure"), ("explorer-source", "children"), ("explorer-table-box", "children"),
                    ("explorer-notes", "children"), ("explorer-share-link", "href"), ("explorer-share-link", "children")]


def explorer_callback(client, indicator, geos, series=None, ptype=None, start=None, end=None, lang="en", tab="chart"):
    return post_callback(
        client, EXPLORER_OUTPUTS,
        [("explorer-indicator", "value", indicator), ("explorer-geo", "value", geos),
         ("explorer-series", "value", series), ("explorer-ptype", "value", ptype), ("explorer-from", "value", start),
         ("explorer-to", "value", end), ("explorer-events", "value", ["on"]), ("explorer-tabs", "value", tab)],
        state=[("explorer-lang", "data", lang)],
    )


def test_explorer_draws_bounds_as_bounds(client):
    response = explorer_callback(client, "overdose_deaths_residents", ["municip_nor4601"])
    figure = response["explorer-graph"]["figure"]
    names = [t.get("name") for t in figure["data"]]
    assert any(str(n).startswith("Upper bound") for n in names)
    assert any(str(n).startswith("Range") for n in names)
    # "below 29" is a bar from 0 to 29, never a point at 29 on the line
    bars = [t for t in figure["data"] if t.get("mode") == "lines" and 29.0 in (t.get("y") or [])]
    assert bars and 0.0 in bars[0]["y"]
    line = [t for t in figure["data"] if t.get("mode") == "lines+markers" and t.get("name") == "Bergen"]
    assert all(29.0 not in (t.get("y") or []) for t in line)
    assert "/explorer?indicator=overdose_deaths_residents&geo=municip_nor4601" in response["explorer-share-link"]["href"]


def test_explorer_marks_suppressed_values(client):
    from dash_app import queries

    opts = queries.explorer_options("drug_dependence_deaths")
    geos = opts[(opts["sex"] == "all") & (opts["age_group"] == "all")]["geo_code"].unique().tolist()
    frame = queries.series_rows("drug_dependence_deaths", geos, "year", "all", "all", "all", None)
    hit = frame[frame["is_suppressed"]].iloc[0]
    series = f"all|all|all|{hit['breakdown']}"
    figure = explorer_callback(client, "drug_dependence_deaths", [hit["geo_code"]], series)["explorer-graph"]["figure"]
    supp = [t for t in figure["data"] if t.get("legendgroup") == "suppressed"]
    assert supp and supp[0]["name"].startswith("Suppressed")
    assert all(y and y > 0 for t in supp for y in t["y"])  # drawn at the threshold, not at zero
    assert "fewer than" in " ".join(supp[0]["hovertext"])


def test_explorer_csv_has_a_metadata_header(client):
    response = post_callback(
        client, [("explorer-download", "data")], [("explorer-download-button", "n_clicks", 1)],
        state=[("explorer-indicator", "value", "overdose_deaths_residents"), ("explorer-geo", "value", ["municip_nor4601"]),
               ("explorer-series", "value", None), ("explorer-ptype", "value", None), ("explorer-from", "value", None),
               ("explorer-to", "value", None), ("explorer-lang", "data", "en")],
    )
    data = response["explorer-download"]["data"]
    assert data["filename"].startswith("trendvakt_explorer_") and data["filename"].endswith(".csv")
    lines = data["content"].lstrip("\ufeff").splitlines()
    header = [ln for ln in lines if ln.startswith("# ")]
    for key in ("definition:", "unit: deaths", "source:", "citation:", "licence:", "vintage:", "suppression rule:"):
        assert any(ln.startswith("# " + key) for ln in header), key
    rule = next(ln for ln in header if ln.startswith("# suppression rule:"))
    assert "4" in rule or "below" in rule or "under" in rule, rule
    rows = list(csv.DictReader(io.StringIO("\n".join(ln for ln in lines if not ln.startswith("# ")))))
    assert rows and {r["Qualifier"] for r in rows} >= {"below", "range"}


def test_explorer_csv_metadata_speaks_norwegian_in_nb(client, published_names):  # noqa: F811 (fixture)
    response = post_callback(
        client, [("explorer-download", "data")], [("explorer-download-button", "n_clicks", 1)],
        state=[("explorer-indicator", "value", "overdose_deaths_residents"), ("explorer-geo", "value", ["municip_nor4601"]),
               ("explorer-series", "value", None), ("explorer-ptype", "value", None), ("explorer-from", "value", None),
               ("explorer-to", "value", None), ("explorer-lang", "data", "nb")],
    )
    data = response["explorer-download"]["data"]
    header = [ln[2:] for ln in data["content"].lstrip("\ufeff").splitlines() if ln.startswith("# ")]
    labels = [ln.split(":", 1)[0] for ln in header]
    assert {"definisjon", "enhet", "kilde", "sitering", "lisens", "årgang", "skjermingsregel", "utvalg"} <= set(labels)
    rule = next(ln for ln in header if ln.startswith("skjermingsregel:"))
    assert "tall under 4 er skjult" in rule, rule
    # the labels and the rule are Norwegian; the publisher's own titles and citations are proper names
    # and the definition is quoted as the source wrote it
    own = [ln for ln in header if not ln.startswith(("kilde:", "sitering:", "lisens:", "adresse:", "trendvakt-uttrekk:"))]
    assert not offending_words(own, "nb", published_names), own


def test_explorer_indicator_change_updates_controls(client):
    response = post_callback(
        client,
        [("explorer-geo", "options"), ("explorer-geo", "value"), ("explorer-series", "options"),
         ("explorer-series", "value"), ("explorer-ptype", "options"), ("explorer-ptype", "value"),
         ("explorer-from", "options"), ("explorer-from", "value"), ("explorer-to", "options"), ("explorer-to", "value"),
         ("explorer-years-note", "children")],
        [("explorer-indicator", "value", "drug_related_deaths_nrs"), ("explorer-from", "value", None),
         ("explorer-to", "value", None)],
        state=[("explorer-geo", "value", ["nation_nor"]), ("explorer-series", "value", None),
               ("explorer-ptype", "value", None), ("explorer-lang", "data", "en")],
    )
    assert response["explorer-geo"]["value"] == ["nation_sco"]
    assert response["explorer-from"]["value"] <= 1996 + 1


def test_sources_view_lists_coverage_and_sorts(client):
    text = render_page(client, "/sources", "?lang=en")
    for sid in ("cdc_wonder", "eurostat_cod", "scotland_nrs", "report_figures"):
        assert sid in text
    response = post_callback(client, [("sources-graph", "figure"), ("sources-table-box", "children"),
                                      ("sources-share-link", "href"), ("sources-share-link", "children")],
                             [("sources-sort", "value", "n_observations")], state=[("sources-lang", "data", "en")])
    assert response["sources-share-link"]["href"] == "/sources?sort=n_observations&lang=en"
    from dash_app import queries

    order = response["sources-graph"]["figure"]["layout"]["yaxis"]["categoryarray"]
    cov = queries.source_coverage()
    assert order[-1] == cov.sort_values("n_observations", ascending=False)["source_id"].iloc[0]  # top of the chart


def test_quality_callback_filters_by_source(client):
    response = post_callback(client, [("quality-sections", "children"), ("quality-share-link", "href"),
                                      ("quality-share-link", "children")],
                             [("quality-source", "value", "cdc_vsrr")], state=[("quality-lang", "data", "en")])
    assert response["quality-share-link"]["href"] == "/quality?source=cdc_vsrr&lang=en"


def test_overview_and_substances_in_norwegian(client):
    text = render_page(client, "/substances", "?lang=nb")
    assert "Rusmiddelgrupper" in text and "Vis hendelser" in text


# ------------------------------------------------------------------ once the planned views exist


def test_views_work_once_the_planned_views_are_published(client, future):
    for path in ("/", "/substances", "/overdoses", "/explorer", "/quality", "/sources"):
        text = render_page(client, path, "?lang=en")
        assert "not yet published" not in text.replace("publish.indicator_series is not yet", ""), path
        assert "Traceback" not in text
    overview = render_page(client, "/", "?lang=en")
    assert "increasing" in overview and "annual change +3.5%" in overview
    assert "Quality checks" in overview and "Load time" in overview


def test_overdoses_view_with_published_overdose(client, future):
    text = render_page(client, "/overdoses", "?lang=en")
    assert '"overdoses-graph"' in text and '"overdose-table"' in text
    outputs = [("overdoses-graph", "figure"), ("overdoses-source", "children"), ("overdoses-table-box", "children"),
               ("overdoses-share-link", "href"), ("overdoses-share-link", "children")]
    for mode in ("counts", "rates", "ratio"):
        response = post_callback(client, outputs,
                                 [("overdoses-geo", "value", ["municip_nor4601", "city_usa_tempe"]),
                                  ("overdoses-mode", "value", mode), ("overdoses-events", "value", ["on"]),
                                  ("overdoses-tabs", "value", "chart")],
                                 state=[("overdoses-lang", "data", "en")])
        figure = response["overdoses-graph"]["figure"]
        assert figure["data"], mode
        names = [t.get("name") for t in figure["data"]]
        assert "Bergen" in names
        if mode == "counts":
            assert any(str(n).startswith("Range") for n in names)  # 2011: 31–36 deaths is a range
            assert any(str(n).startswith("Suppressed") for n in names)
        if mode == "ratio":
            ys = [y for t in figure["data"] for y in (t.get("y") or []) if y is not None]
            assert 13.4 in ys
        assert response["overdoses-share-link"]["href"].startswith(
            f"/overdoses?geo=municip_nor4601,city_usa_tempe&mode={mode}")


def test_explorer_uses_indicator_series_once_published(client, future):
    text = render_page(client, "/explorer", "?indicator=overdose_death_rate&geo=nation_usa&lang=en")
    assert "explorer-fallback" not in text
    response = post_callback(
        client, [("explorer-download", "data")], [("explorer-download-button", "n_clicks", 1)],
        state=[("explorer-indicator", "value", "overdose_death_rate"), ("explorer-geo", "value", ["nation_usa"]),
               ("explorer-series", "value", None), ("explorer-ptype", "value", None), ("explorer-from", "value", None),
               ("explorer-to", "value", None), ("explorer-lang", "data", "en")],
    )
    content = response["explorer-download"]["data"]["content"]
    assert "# definition: Definition of overdose_death_rate" in content
    assert "# suppression rule: counts under 4 are blanked" in content
    assert "Rate per 100,000" in content.splitlines()[13]


def test_quality_view_once_published(client, future):
    text = render_page(client, "/quality", "?lang=en")
    assert '"quality-loads"' in text and '"quality-rejections"' in text and '"quality-checks"' in text
    assert "not a number" in text and "made_up_check" in text and "tv-row-flag" in text


def test_substance_rates_from_indicator_series(client, future):
    from tests.app.test_callbacks import substances_callback

    response = substances_callback(client, geo="nation_sco", substances=["all"], measure="rate")
    assert response["substances-note"]["children"] == ""
    assert json.dumps(response["substances-graph"]["figure"]["data"])
