"""Data quality: per source the last load, vintage, freshness, rejected files with reasons, failing checks."""
import dash
from dash import dcc, html

from dash_app import i18n, queries, render
from dash_app.components.page import actions, control, page, unavailable_page
from dash_app.state import choose_one

dash.register_page(__name__, path="/quality", name="Data quality", order=6, title="trendvakt · Data quality",
                   description="Loads, rejections and failing checks per source")

PATH = "/quality"


def layout(source=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    try:
        catalogue = queries.sources()
        chosen = choose_one(source, ["all", *catalogue["source_id"]], "all")
        sections = render.quality_sections(chosen, lang)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "quality", t("dq.title", lang))
    return page(
        [
            html.H1(t("dq.title", lang)),
            html.P(t("dq.lead", lang), className="tv-lead"),
            html.Div(control(t("dq.source", lang), dcc.Dropdown(
                id="quality-source", clearable=False, className="tv-dropdown", value=chosen,
                options=[{"label": "Alle kilder" if lang == "nb" else "All sources", "value": "all"}]
                + [{"label": f"{r.source_id} ({r.publisher})"[:80], "value": r.source_id}
                   for r in catalogue.itertuples()])), className="tv-controls"),
            html.Div(sections, id="quality-sections"),
            actions("quality", PATH, {"source": None if chosen == "all" else chosen}, lang, download=False),
        ],
        lang, "quality",
    )
