"""Substances: deaths by substance group for a chosen geography (counts, rates, index) with the
trend panel's direction signals on the same time axis."""
import dash
from dash import dcc, html

from dash_app import figures_pages as fp
from dash_app import i18n, queries, render
from dash_app.components.page import GRAPH_CONFIG, actions, control, events_on, events_toggle, page, unavailable_page

dash.register_page(__name__, path="/substances", name="Substances", order=1,
                   title="trendvakt · Substances",
                   description="Deaths by drug class for a chosen geography and the trend panel's signals")

PATH = "/substances"


def view_params(state: dict, show_events: bool) -> dict:
    return {"geo": state["geo"], "substances": state["substances"], "measure": state["measure"],
            "base": state["base"], "panel": state["panel"], "events": None if show_events else "off"}


def layout(geo=None, substances=None, measure=None, base=None, panel=None, events=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    show = events_on(events)
    try:
        state = render.substances_state(geo, substances, measure, base, panel)
        fig, sources, note, info = render.substances_output(state, lang, show)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "substances", t("subs.title", lang))
    names = state["names"]
    return page(
        [
            html.H1(t("subs.title", lang)),
            html.P(t("subs.lead", lang), className="tv-lead"),
            html.Section(
                [
                    html.Div([
                        control(t("subs.geo", lang), dcc.Dropdown(
                            id="substances-geo", clearable=False, className="tv-dropdown", value=state["geo"],
                            options=[{"label": f"{fp.geo_label(r.geo_code, names)} ({r.n_substances})",
                                      "value": r.geo_code} for r in state["geos"].itertuples()])),
                        control(t("measure", lang), dcc.RadioItems(
                            id="substances-measure", value=state["measure"], inline=True, className="tv-radio",
                            options=[{"label": " " + t(f"measure.{m}", lang), "value": m} for m in fp.MEASURES])),
                        control(t("subs.base", lang), dcc.Dropdown(
                            id="substances-base", className="tv-dropdown tv-dropdown-small",
                            value=info["base_year"] or state["base"], placeholder="–",
                            options=[{"label": str(y), "value": y} for y in state["years"]])),
                        control(t("subs.panel", lang), dcc.Dropdown(
                            id="substances-panel", clearable=False, className="tv-dropdown", value=state["panel"],
                            options=[{"label": f"{r.geo_name} ({r.n_signals})", "value": r.geo_code}
                                     for r in state["panels"].itertuples()])),
                    ], className="tv-controls"),
                    control(t("subs.substances", lang), dcc.Checklist(
                        id="substances-checklist", value=state["substances"], inline=True,
                        className="tv-checklist", options=render.substance_options(state, lang)), wide=True),
                    events_toggle("substances", show, lang),
                    html.P(note, id="substances-note", className="tv-hint tv-not-published" if note else "tv-hint"),
                    dcc.Loading(dcc.Graph(id="substances-graph", figure=fig, config=GRAPH_CONFIG)),
                    html.P(t("subs.signals_hint", lang) + " " + t("events_hint", lang), className="tv-hint"),
                    html.Div(sources, id="substances-source"),
                ],
                className="tv-card",
            ),
            actions("substances", PATH, view_params(state, show), lang),
        ],
        lang, "substances",
    )
