"""Overview: one card per key indicator (latest value, period, change, trend, freshness, quality)."""
import dash
import pandas as pd
from dash import html

from dash_app import i18n, queries
from dash_app.components.page import page, unavailable_page
from dash_app.panels import overview_card

dash.register_page(__name__, path="/", name="Overview", order=0, title="trendvakt",
                   description="Trend indicators for drug and alcohol monitoring in Norway")

# Which series are key is an editorial choice; the cards show only those with data in the warehouse.
KEY_CARDS = [
    {"indicator": "overdose_deaths_residents", "geo": "municip_nor4601", "path": "/overdoses", "nav": "nav.overdoses"},
    {"indicator": "overdose_callouts", "geo": "ambulancearea_nor_helse_bergen", "path": "/overdoses",
     "nav": "nav.overdoses"},
    {"indicator": "drug_dependence_deaths", "geo": "nation_nor", "path": "/substances", "nav": "nav.substances",
     "geo_param": True},
    {"indicator": "on_premise_sales_litres", "geo": "municip_nor4601", "path": "/alcohol", "nav": "nav.alcohol"},
    {"indicator": "drug_related_deaths_nrs", "geo": "nation_sco", "path": "/substances", "nav": "nav.substances",
     "geo_param": True},
    {"indicator": "overdose_death_rate", "geo": "nation_usa", "path": "/substances", "nav": "nav.substances",
     "geo_param": True},
    {"indicator": "naloxone_given_callouts", "geo": "city_usa_tempe", "path": "/explorer", "nav": "nav.explorer"},
]


def _optional(fn):
    try:
        return fn()
    except queries.NotYetPublished:
        return None


def layout(lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    try:
        rows = queries.key_series([(c["indicator"], c["geo"]) for c in KEY_CARDS])
        names = queries.names()
        stats = _optional(lambda: queries.trend_stats([c["indicator"] for c in KEY_CARDS]))
        loads = _optional(queries.load_status)
        quality = _optional(queries.quality_results)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "home", "trendvakt")
    now = pd.Timestamp.now()
    cards = []
    for spec in KEY_CARDS:
        part = rows[(rows["indicator_id"] == spec["indicator"]) & (rows["geo_code"] == spec["geo"])]
        card = overview_card(spec, part, lang=lang, names=names, stats=stats, loads=loads, quality=quality, now=now)
        if card is not None:
            cards.append(card)
    notes = []
    for value, view in ((stats, "trend_stats"), (loads, "load_status"), (quality, "quality_results")):
        if value is None:
            notes.append(html.Li(i18n.t("not_published", lang, view=view)))
    return page(
        [
            html.H1(i18n.t("nav.overview", lang)),
            html.P(i18n.t("tagline", lang), className="tv-lead"),
            html.Div(cards, className="tv-index-grid", id="overview-cards"),
            html.Ul(notes, className="tv-hint tv-not-published", id="overview-missing") if notes else None,
        ],
        lang, "home",
    )
