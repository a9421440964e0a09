"""Explorer: any indicator by geography and period, as chart and table; CSV with a metadata header."""
import dash
from dash import dcc, html

from dash_app import figures_pages as fp
from dash_app import i18n, queries, render
from dash_app.components.page import GRAPH_CONFIG, actions, control, events_on, events_toggle, page, unavailable_page

dash.register_page(__name__, path="/explorer", name="Explorer", order=5, title="trendvakt · Explorer",
                   description="Any indicator by geography and period")

PATH = "/explorer"


def view_params(state: dict, show_events: bool) -> dict:
    return {"indicator": state["indicator"], "geo": state["geos"], "series": state["series"], "ptype": state["ptype"],
            "from": state["start"], "to": state["end"], "events": None if show_events else "off"}


def layout(indicator=None, geo=None, series=None, ptype=None, events=None, lang=None, **params):
    lang = i18n.lang_of(lang)
    t = i18n.t
    show = events_on(events)
    try:
        state = render.explorer_state(indicator, geo, series, ptype, params.get("from"), params.get("to"))
        names = queries.names()
        fig, sources, tbl, notes = render.explorer_output(state, lang, show)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "explorer", t("ex.title", lang))
    c = render.explorer_controls(state, lang, names)
    return page(
        [
            html.H1(t("ex.title", lang)),
            html.P(t("ex.lead", lang), className="tv-lead"),
            html.Div(notes, id="explorer-notes"),
            html.Section(
                [
                    html.Div([
                        control(t("ex.indicator", lang), dcc.Dropdown(
                            id="explorer-indicator", clearable=False, className="tv-dropdown tv-dropdown-wide",
                            value=state["indicator"],
                            options=[{"label": f"{fp.indicator_label(r, lang)} ({r['indicator_id']})",
                                      "value": r["indicator_id"]} for r in state["indicators"].to_dict("records")])),
                        control(t("places", lang), dcc.Dropdown(
                            id="explorer-geo", multi=True, className="tv-dropdown tv-dropdown-wide",
                            value=state["geos"], options=c["geo_options"])),
                    ], className="tv-controls"),
                    html.Div([
                        control(t("ex.series", lang), dcc.Dropdown(
                            id="explorer-series", clearable=False, className="tv-dropdown tv-dropdown-wide",
                            value=state["series"], options=c["series_options"])),
                        control(t("ex.period_type", lang), dcc.Dropdown(
                            id="explorer-ptype", clearable=False, className="tv-dropdown tv-dropdown-small",
                            value=state["ptype"], options=c["ptype_options"])),
                        control(t("ex.years", lang), html.Div([
                            dcc.Dropdown(id="explorer-from", clearable=False, value=state["start"],
                                         options=c["year_options"], className="tv-dropdown tv-dropdown-small"),
                            html.Span("–"),
                            dcc.Dropdown(id="explorer-to", clearable=False, value=state["end"],
                                         options=c["year_options"], className="tv-dropdown tv-dropdown-small"),
                        ], className="tv-range")),
                    ], className="tv-controls"),
                    events_toggle("explorer", show, lang),
                    dcc.Loading(dcc.Graph(id="explorer-graph", figure=fig, config=GRAPH_CONFIG)),
                    html.Div(sources, id="explorer-source"),
                    html.Details([html.Summary(t("ex.table", lang)), html.Div(tbl, id="explorer-table-box")],
                                 className="tv-details", open=True),
                ],
                className="tv-card",
            ),
            actions("explorer", PATH, view_params(state, show), lang),
        ],
        lang, "explorer",
    )
