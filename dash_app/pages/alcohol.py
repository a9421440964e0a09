"""Alcohol: sales by beverage group: litres, shares, pure alcohol and per capita 15+ when published."""
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html, Input, no_update, Output, State
from plotly.subplots import make_subplots

from dash_app import i18n, queries
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
from dash_app.components.series import _fmt_int, _fmt_pct, _missing, empty_figure, relevant_events
from dash_app.components.theme import base_layout, SERIES_COLOURS, SERIES_DASHES
from dash_app.i18n import t
from dash_app.state import choose_one

PATH = "/alcohol"
NAV = "nav.alcohol"
PREFIX = "alcohol"  # component ids of this view start with "alcohol-"


DEFAULT_GEO = "municip_nor4601"


def layout(measure=None, geo=None, events=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    show = events_on(events)
    try:
        places = queries.alcohol_geographies()
        place = choose_one(geo, places["geo_code"], DEFAULT_GEO)
        fig, sources, offered, shown = alcohol_render(place, measure, lang, show)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "alcohol", t("alc.title", lang))
    missing = [] if len(offered) > 2 else [html.P(t("alc.new_missing", lang), className="tv-hint tv-not-published",
                                                  id="alcohol-new-missing")]
    return page(
        [
            html.H1(t("alc.title", lang)),
            html.P(t("alc.lead", lang), className="tv-lead"),
            html.Section(
                [
                    html.Div([
                        control(t("place", lang), dcc.Dropdown(
                            id="alcohol-geo", clearable=False, className="tv-dropdown", value=place,
                            options=[{"label": f"{r.geo_name} ({r.first_year}–{r.last_year})", "value": r.geo_code}
                                     for r in places.itertuples()])),
                        control(t("measure", lang), dcc.RadioItems(
                            id="alcohol-measure", options=alcohol_measure_options(offered, lang), value=shown, inline=True,
                            className="tv-radio")),
                    ], className="tv-controls"),
                    *missing,
                    events_toggle("alcohol", show, lang),
                    dcc.Loading(dcc.Graph(id="alcohol-graph", figure=fig, config=GRAPH_CONFIG)),
                    html.Div(sources, id="alcohol-source"),
                ],
                className="tv-card",
            ),
            actions("alcohol", PATH, {"measure": shown, "geo": place, "events": None if show else "off"}, lang),
        ],
        lang, "alcohol",
    )


ALCOHOL_MEASURES = {"litres": "Litres sold", "share": "Share of total litres"}


# measure -> (column, i18n key); the last three exist once publish.alcohol_sales has the new columns.
ALCOHOL_COLUMNS = {"litres": ("litres", "alc.litres"), "share": ("share_of_total_pct", "alc.share"),
                   "pure": ("pure_alcohol_litres", "alc.pure"),
                   "litres_pc": ("litres_per_capita_15plus", "alc.litres_pc"),
                   "pure_pc": ("pure_alcohol_per_capita_15plus", "alc.pure_pc")}


def alcohol_measures(sales: pd.DataFrame) -> list[str]:
    """Measures with at least one value in the published rows."""
    return [m for m, (col, _) in ALCOHOL_COLUMNS.items() if col in sales and sales[col].notna().any()] or ["litres"]


def add_year_events(fig: go.Figure, events, lang: str, first: int, last: int) -> None:
    """Event lines on an axis of whole years (x = year + fraction of the year)."""
    if events is None or len(events) == 0:
        return
    for ev in events.itertuples():
        when = pd.Timestamp(ev.event_date)
        x = when.year + (when.day_of_year - 1) / 365.0 - 0.5  # year ticks sit at the middle of their year
        if not (first - 0.5 <= x <= last + 0.5):
            continue
        label = (ev.label_nb if lang == "nb" else ev.label_en) or ev.event_id
        fig.add_vline(x=x, line=dict(color="#000", width=1, dash="dash"), opacity=0.5)
        fig.add_annotation(x=x, y=1, xref="x", yref="paper", text=label if len(label) < 44 else label[:42] + "…",
                           showarrow=False, textangle=-90, xanchor="right", yanchor="top",
                           font=dict(size=11, color="#333"), bgcolor="rgba(255,255,255,0.75)")


def alcohol_figure(sales: pd.DataFrame, measure: str = "litres", lang: str = "en", events=None) -> go.Figure:
    """One measure by beverage group (one panel each, own scale) or each group's share of the total."""
    from dash_app.i18n import t

    if sales.empty:
        return empty_figure(t("no_data", lang), t("alc.title", lang))
    geo = ", ".join(dict.fromkeys(sales["geo_name"].astype(str)))
    first, last = int(sales["year"].min()), int(sales["year"].max())
    groups = sales.groupby("substance_id")["beverage_name_nb" if lang == "nb" else "beverage_name_en"].first()
    column, label_key = ALCOHOL_COLUMNS.get(measure, ALCOHOL_COLUMNS["litres"])
    measure_label = t(label_key, lang)
    # Biggest group first.
    order = sales.groupby("substance_id")["litres"].sum().sort_values(ascending=False).index.tolist()
    colours = {sid: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, sid in enumerate(order)}

    if measure == "share":
        fig = go.Figure()
        for sid in order:
            part = sales[sales["substance_id"] == sid].sort_values("year")
            fig.add_trace(go.Bar(
                x=part["year"].astype(int).tolist(), y=part["share_of_total_pct"].tolist(),
                name=str(groups[sid]), marker=dict(color=colours[sid], line=dict(color="white", width=0.5)),
                text=[_fmt_pct(v) for v in part["share_of_total_pct"]], textposition="inside",
                insidetextanchor="middle",
                customdata=[_fmt_int(v) for v in part["litres"]],
                hovertemplate=f"<b>{groups[sid]}</b> %{{x}}<br>%{{y:.1f}}% of litres sold"
                              "<br>%{customdata} litres<extra></extra>",
            ))
        fig.update_layout(**base_layout(
            barmode="stack", height=480, uniformtext=dict(minsize=11, mode="hide"),
            title=dict(text=f"{t('alc.title', lang)}, {geo}: {measure_label.lower()}, {first}–{last}"),
            margin=dict(l=70, r=30, t=100, b=50),
            xaxis=dict(title=t("year", lang), dtick=1), yaxis=dict(title=measure_label + " (%)", range=[0, 100]),
        ))
        return fig

    fig = make_subplots(rows=len(order), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[f"{groups[sid]}" for sid in order])
    symbols = ["circle", "square", "diamond", "triangle-up"]
    for i, sid in enumerate(order, start=1):
        part = sales[sales["substance_id"] == sid].sort_values("year")
        change = [("" if _missing(v) else f"<br>{float(v):+.1f}% " + ("fra året før" if lang == "nb" else
                                                                       "on previous year"))
                  for v in part["change_from_previous_pct"]]
        values = part[column] if column in part else part["litres"]
        fmt = (lambda v: "–" if _missing(v) else f"{float(v):.2f}") if "per_capita" in column else _fmt_int
        fig.add_trace(go.Scatter(
            x=part["year"].astype(int).tolist(), y=values.tolist(), name=str(groups[sid]),
            mode="lines+markers", line=dict(color=colours[sid], width=3, dash=SERIES_DASHES[(i - 1) % len(SERIES_DASHES)]),
            marker=dict(size=8, symbol=symbols[(i - 1) % len(symbols)]),
            customdata=list(zip([fmt(v) for v in values], change)),
            hovertemplate=f"<b>{groups[sid]}</b> %{{x}}<br>%{{customdata[0]}} {measure_label.lower()}%{{customdata[1]}}"
                          "<extra></extra>",
        ), row=i, col=1)
        fig.update_yaxes(rangemode="tozero", tickformat="~s" if "per_capita" not in column else None, row=i, col=1)
    fig.update_xaxes(dtick=1)
    fig.update_xaxes(title_text=t("year", lang), row=len(order), col=1)
    add_year_events(fig, events, lang, first, last)
    fig.update_layout(**base_layout(
        height=220 * len(order) + 120,
        title=dict(text=f"{t('alc.title', lang)}, {geo}, {first}–{last}: {measure_label.lower()}"
                        + (" (hvert panel har egen skala)" if lang == "nb" else " (each panel has its own scale)")),
        margin=dict(l=70, r=30, t=110, b=50),
        showlegend=False,
    ))

    return fig


def alcohol_render(geo_code: str | None, measure: str | None, lang: str, show_events: bool):
    """(figure, source note, measures offered, chosen measure) for one place."""

    sales = queries.alcohol_sales(geo_code)
    offered = alcohol_measures(sales)
    measure = choose_one(measure, offered, "litres")
    events = relevant_events(safe_events(), [geo_code]) if show_events else None
    fig = alcohol_figure(sales, measure, lang, events)
    return fig, source_note(sales, ["report_figures"] if sales.empty else None, lang=lang), offered, measure


def alcohol_measure_options(offered, lang: str) -> list[dict]:

    return [{"label": " " + t(ALCOHOL_COLUMNS[m][1], lang), "value": m} for m in offered]


def register(app) -> None:
    @app.callback(
        Output("alcohol-graph", "figure"),
        Output("alcohol-source", "children"),
        Output("alcohol-measure", "options"),
        Output("alcohol-share-link", "href"),
        Output("alcohol-share-link", "children"),
        Input("alcohol-measure", "value"),
        Input("alcohol-geo", "value"),
        Input("alcohol-events", "value"),
        State("alcohol-lang", "data"),
        prevent_initial_call=True,
    )
    def update_alcohol(measure, geo_code, events, lang):
        lang = i18n.lang_of(lang)
        show = events_on(events)
        try:
            places = queries.alcohol_geographies()
            geo_code = geo_code if geo_code in set(places["geo_code"]) else None
            fig, sources, offered, shown = alcohol_render(geo_code, measure, lang, show)
        except queries.WarehouseUnavailable as exc:
            return unavailable_figure(exc, lang), unavailable_notice(exc, lang), no_update, no_update, no_update
        href, text = share_link(PATH, {"measure": shown, "geo": geo_code,
                                               "events": None if show else "off", "lang": lang})
        return fig, sources, alcohol_measure_options(offered, lang), href, text

    @app.callback(
        Output("alcohol-download", "data"),
        Input("alcohol-download-button", "n_clicks"),
        State("alcohol-geo", "value"),
        prevent_initial_call=True,
    )
    def download_alcohol(n_clicks, geo_code):
        if not n_clicks:
            return no_update
        places = set(queries.alcohol_geographies()["geo_code"])
        return dcc.send_data_frame(queries.alcohol_sales(geo_code if geo_code in places else None).to_csv,
                                   "trendvakt_alcohol.csv", index=False)
