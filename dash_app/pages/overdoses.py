"""Overdoses: deaths against ambulance callouts for Bergen and comparators (publish.overdose)."""
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html, Input, no_update, Output, State
from plotly.subplots import make_subplots

from dash_app import i18n, queries
from dash_app.components.labels import geo_label
from dash_app.components.notes import share_link, source_note, unavailable_notice
from dash_app.components.page import (
    actions,
    control,
    events_on,
    events_toggle,
    GRAPH_CONFIG,
    page,
    safe_events,
    unavailable_figure,
    unavailable_page,
)
from dash_app.components.series import (
    add_events,
    add_legend_keys,
    draw_series,
    empty_figure,
    prepare,
    relevant_events,
    series_figure,
)
from dash_app.components.tables import table
from dash_app.components.theme import base_layout
from dash_app.i18n import t
from dash_app.state import choose_many, choose_one

PATH = "/overdoses"
NAV = "nav.overdoses"
PREFIX = "overdoses"  # component ids of this view start with "overdoses-"


def layout(geo=None, mode=None, events=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    show = events_on(events)
    try:
        state = overdose_state(geo, mode)
        fig, sources, tbl = overdose_output(state, lang, show)
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
                                                geo_label(r.geo_code, names)) + f" ({r.first_year}–{r.last_year})",
                                      "value": r.geo_code} for r in state["places"].itertuples()])),
                        control(t("od.show", lang), dcc.RadioItems(
                            id="overdoses-mode", value=state["mode"], inline=True, className="tv-radio",
                            options=[{"label": " " + t(f"od.{m}", lang), "value": m} for m in OVERDOSE_MODES])),
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


def overdose_state(geos=None, mode=None) -> dict:
    places = queries.overdose_geographies()
    default = places[places["n_callouts"] > 0]["geo_code"].tolist()[:3] or places["geo_code"].tolist()[:3]
    if "municip_nor4601" in set(places["geo_code"]) and "municip_nor4601" not in default:
        default = ["municip_nor4601", *default][:3]
    chosen = choose_many(geos, places["geo_code"], default) or default
    return {"places": places, "geos": chosen, "mode": choose_one(mode, OVERDOSE_MODES, "counts")}


OVERDOSE_TABLE = [("geo_name", "Place"), ("year", "Year"), ("deaths", "Deaths"), ("deaths_qualifier", "Qualifier"),
                  ("deaths_low", "Low"), ("deaths_high", "High"), ("death_rate_per_100k", "Deaths per 100k"),
                  ("callouts", "Callouts"), ("callout_rate_per_100k", "Callouts per 100k"),
                  ("callouts_per_death", "Callouts per death"), ("is_suppressed", "Suppressed")]


def overdose_output(state: dict, lang: str, show_events: bool):
    names = queries.names()
    frame = queries.overdose(state["geos"])
    events = relevant_events(safe_events(), state["geos"]) if show_events else None
    fig = overdose_figure(frame, state["mode"], lang=lang, names=names, events=events)
    ids = [c for c in ("deaths_source_id", "callouts_source_id") if c in frame]
    src_ids = list(dict.fromkeys(s for c in ids for s in frame[c].dropna().astype(str)))
    return fig, source_note(None, src_ids or None, lang=lang), table(frame, OVERDOSE_TABLE, "overdose-table", lang=lang)


OVERDOSE_MODES = ("counts", "rates", "ratio")


def overdose_figure(frame: pd.DataFrame, mode: str, *, lang: str, names: dict, events=None) -> go.Figure:
    """Deaths (top) against ambulance callouts (bottom) per place; or the callouts-per-death ratio."""

    if frame.empty:
        return empty_figure(t("no_data", lang), t("od.title", lang))
    base = frame.copy()
    base["period_start"] = pd.to_datetime(base["year"].astype(int).astype(str) + "-01-01")
    base["period_end"] = pd.to_datetime(base["year"].astype(int).astype(str) + "-12-31")
    base["period_type"] = "year"
    base["geo_label"] = [r.geo_name if isinstance(r.geo_name, str) and r.geo_name else geo_label(r.geo_code, names)
                         for r in base.itertuples()]
    label = lambda r: r["geo_label"]  # noqa: E731
    sup = base["is_suppressed"] if "is_suppressed" in base else False
    if mode == "ratio":
        data = prepare(base.assign(qualifier="exact", is_suppressed=False), series_col="geo_code", label_fn=label,
                       y="callouts_per_death", low="callouts_per_death", high="callouts_per_death")
        data = data[data["y"].notna()]
        return series_figure(data, lang=lang, title=t("callouts_per_death", lang), y_title=t("callouts_per_death", lang),
                             events=events)
    if mode == "rates":
        deaths = prepare(base.assign(qualifier="exact", is_suppressed=sup), series_col="geo_code", label_fn=label,
                         y="death_rate_per_100k", low="death_rate_low", high="death_rate_high")
        calls = prepare(base.assign(qualifier="exact", is_suppressed=False), series_col="geo_code", label_fn=label,
                        y="callout_rate_per_100k", low="callout_rate_per_100k", high="callout_rate_per_100k")
        titles = (t("deaths_per_100k", lang), t("callouts", lang) + " " + t("measure.rate", lang).lower())
    else:
        deaths = prepare(base.assign(qualifier=base["deaths_qualifier"].fillna("exact"), is_suppressed=sup),
                         series_col="geo_code", label_fn=label, y="deaths", low="deaths_low", high="deaths_high")
        calls = prepare(base.assign(qualifier="exact", is_suppressed=False), series_col="geo_code", label_fn=label,
                        y="callouts", low="callouts", high="callouts")
        titles = (t("deaths", lang), t("callouts", lang))
    deaths = deaths[deaths["y"].notna() | deaths["qualifier"].isin(["below", "above", "range"]) | deaths["is_suppressed"]]
    calls = calls[calls["y"].notna()]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, subplot_titles=titles)
    geos = list(dict.fromkeys(base["geo_code"]))
    order = {g: i for i, g in enumerate(geos)}
    keys: set = set()
    for g in geos:  # same style for a place in both panels
        draw_series(fig, deaths[deaths["series"] == g], lang=lang, row=1, col=1, legend_done=keys,
                    start_index=order[g], ci=(mode == "rates"))
        draw_series(fig, calls[calls["series"] == g], lang=lang, row=2, col=1, legend_done=keys,
                    show_legend=deaths[deaths["series"] == g].empty, start_index=order[g])

    add_legend_keys(fig, keys, lang)
    lo, hi = base["period_start"].min(), base["period_end"].max()
    x_range = [lo - pd.Timedelta(days=120), hi + pd.Timedelta(days=120)]
    add_events(fig, events, lang, x_range)
    fig.update_xaxes(type="date", range=x_range)
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(**base_layout(height=640, hovermode="closest", margin=dict(l=70, r=20, t=90, b=40)))
    return fig


def register(app) -> None:
    @app.callback(
        Output("overdoses-graph", "figure"),
        Output("overdoses-source", "children"),
        Output("overdoses-table-box", "children"),
        Output("overdoses-share-link", "href"),
        Output("overdoses-share-link", "children"),
        Input("overdoses-geo", "value"),
        Input("overdoses-mode", "value"),
        Input("overdoses-events", "value"),
        State("overdoses-lang", "data"),
        prevent_initial_call=True,
    )
    def update_overdoses(geos, mode, events, lang):
        lang = i18n.lang_of(lang)
        show = events_on(events)
        try:
            state = overdose_state(geos or [], mode)
            fig, sources, tbl = overdose_output(state, lang, show)
        except queries.WarehouseUnavailable as exc:
            return unavailable_figure(exc, lang), unavailable_notice(exc, lang), "", no_update, no_update
        href, text = share_link(PATH, {"geo": state["geos"], "mode": state["mode"],
                                                 "events": None if show else "off", "lang": lang})
        return fig, sources, tbl, href, text

    @app.callback(
        Output("overdoses-download", "data"),
        Input("overdoses-download-button", "n_clicks"),
        State("overdoses-geo", "value"),
        prevent_initial_call=True,
    )
    def download_overdoses(n_clicks, geos):
        if not n_clicks:
            return no_update
        state = overdose_state(geos or [], None)
        return dcc.send_data_frame(queries.overdose(state["geos"]).to_csv, "trendvakt_overdoses.csv", index=False)
