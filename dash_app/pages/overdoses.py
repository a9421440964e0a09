"""Overdoses: deaths against ambulance callouts for Bergen and comparators (publish.overdose)."""
import dash
from dash import dcc, html

from dash_app import figures_pages as fp
from dash_app import i18n, queries, render
from dash_app.components.page import GRAPH_CONFIG, actions, control, events_on, events_toggle, page, unavailable_page

dash.register_page(__name__, path="/overdoses", name="Overdoses", order=2, title="trendvakt · Overdoses",
                   description="Overdose deaths against ambulance callouts")

PATH = "/overdoses"


def layout(geo=None, mode=None, events=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    show = events_on(events)
    try:
        state = render.overdose_state(geo, mode)
        fig, sources, tbl = render.overdose_output(state, lang, show)
        names = queries.names()
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "overdoses", t("od.title", lang))
    return page(
        [
            html.H1(t("od.title", lang)),
            html.P(t("od.lead", lang), className="tv-lead"),
            html.Section(
                [
                    html.Div([
                        control(t("places", lang), dcc.Dropdown(
                            id="overdoses-geo", multi=True, className="tv-dropdown tv-dropdown-wide",
                            value=state["geos"],
                            options=[{"label": (r.geo_name if isinstance(r.geo_name, str) else
                                                fp.geo_label(r.geo_code, names)) + f" ({r.first_year}–{r.last_year})",
                                      "value": r.geo_code} for r in state["places"].itertuples()])),
                        control(t("od.show", lang), dcc.RadioItems(
                            id="overdoses-mode", value=state["mode"], inline=True, className="tv-radio",
                            options=[{"label": " " + t(f"od.{m}", lang), "value": m} for m in fp.OVERDOSE_MODES])),
                    ], className="tv-controls"),
                    events_toggle("overdoses", show, lang),
                    dcc.Loading(dcc.Graph(id="overdoses-graph", figure=fig, config=GRAPH_CONFIG)),
                    html.Div(sources, id="overdoses-source"),
                    html.Details([html.Summary(t("od.table", lang)), html.Div(tbl, id="overdoses-table-box")],
                                 className="tv-details", open=True),
                ],
                className="tv-card",
            ),
            actions("overdoses", PATH, {"geo": state["geos"], "mode": state["mode"],
                                        "events": None if show else "off"}, lang),
        ],
        lang, "overdoses",
    )
