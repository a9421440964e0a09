"""Alcohol: sales by beverage group: litres, shares, pure alcohol and per capita 15+ when published."""
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html, Input, no_update, Output, State

from dash_app import i18n, queries
from dash_app.components.downloads import csv_download
from dash_app.components.labels import geo_label
from dash_app.components.notes import share_link, source_note, unavailable_notice
from dash_app.components.page import (
    actions,
    chart_tabs,
    control,
    events_on,
    events_toggle,
    GRAPH_CONFIG,
    page,
    safe_events,
    unavailable_figure,
    text_of,
    unavailable_page,
    values_table,
)
from dash_app.components.series import (
    _missing,
    add_events,
    empty_figure,
    format_number,
    legend_above,
    relevant_events,
    with_caption,
)
from dash_app.components.theme import base_layout, figure_of, SERIES_COLOURS, SERIES_DASHES, subplot_layout
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
        values = alcohol_table(queries.alcohol_sales(place), shown, lang)
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
                            options=[{"label": f"{geo_label(r.geo_code, queries.names(), lang)} ({r.first_year}–{r.last_year})", "value": r.geo_code}
                                     for r in places.itertuples()])),
                        control(t("measure", lang), dcc.RadioItems(
                            id="alcohol-measure", options=alcohol_measure_options(offered, lang), value=shown, inline=True,
                            className="tv-radio")),
                    ], className="tv-controls"),
                    *missing,
                    events_toggle("alcohol", show, lang),
                    chart_tabs("alcohol", dcc.Loading(dcc.Graph(id="alcohol-graph", figure=fig, config=GRAPH_CONFIG)),
                               html.Div(values, id="alcohol-table-box"), lang),
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


def year_x(when: pd.Timestamp) -> float:
    """An event date on an axis of whole years (year ticks sit at the middle of their year)."""
    return when.year + (when.day_of_year - 1) / 365.0 - 0.5


def add_year_events(fig: go.Figure, events, lang: str, first: int, last: int, band_offset: int = 0) -> int:
    """Event lines on an axis of whole years, labels in the band above the plot (series.add_events)."""
    if events is None or len(events) == 0:
        return 0
    return add_events(fig, events, lang, [first - 0.5, last + 0.5], x_of=year_x, band_offset=band_offset)


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

    # Traces and layout are written as dicts and made a figure once (theme.figure_of); event lines go
    # on the figure after, as series.add_events draws them.
    parts = {sid: part.sort_values("year") for sid, part in sales.groupby("substance_id", sort=False)}
    if measure == "share":
        traces = []
        for sid in order:
            part = parts[sid]
            traces.append(dict(
                type="bar", x=part["year"].astype(int).tolist(), y=part["share_of_total_pct"].tolist(),
                name=str(groups[sid]), marker=dict(color=colours[sid], line=dict(color="white", width=0.5)),
                text=[format_number(v, lang, 1) + " %" for v in part["share_of_total_pct"]], textposition="inside",
                insidetextanchor="middle",
                customdata=[list(c) for c in zip([format_number(v, lang, 1) for v in part["share_of_total_pct"]],
                                                 [format_number(v, lang, 0) for v in part["litres"]])],
                hovertemplate=f"<b>{groups[sid]}</b> %{{x}}<br>%{{customdata[0]}} % "
                              + ("av liter solgt" if lang == "nb" else "of litres sold")
                              + "<br>%{customdata[1]} " + ("liter" if lang == "nb" else "litres") + "<extra></extra>",
            ))
        fig = figure_of(traces, base_layout(
            barmode="stack", height=480, uniformtext=dict(minsize=11, mode="hide"),
            title=dict(text=f"{t('alc.title', lang)}, {geo}: {measure_label.lower()}, {first}–{last}"),
            margin=dict(l=70, r=30, t=100, b=50),
            xaxis=dict(title=dict(text=t("year", lang)), dtick=1),
            yaxis=dict(title=dict(text=measure_label + " (%)"), range=[0, 100]),
        ))
        legend_above(fig, add_year_events(fig, events, lang, first, last), 480)
        return fig

    layout = subplot_layout(rows=len(order), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                            subplot_titles=tuple(f"{groups[sid]}" for sid in order))
    symbols = ["circle", "square", "diamond", "triangle-up"]
    traces = []
    for i, sid in enumerate(order, start=1):
        part = parts[sid]
        change = [("" if _missing(v) else f"<br>{'+' if float(v) > 0 else ''}{format_number(v, lang, 1)} % "
                   + ("fra året før" if lang == "nb" else "on previous year"))
                  for v in part["change_from_previous_pct"]]
        values = part[column] if column in part else part["litres"]
        digits = 2 if "per_capita" in column else 0
        fmt = lambda v: format_number(v, lang, digits)  # noqa: E731
        suffix = "" if i == 1 else str(i)
        traces.append(dict(
            type="scatter", x=part["year"].astype(int).tolist(), y=values.tolist(), name=str(groups[sid]),
            mode="lines+markers", line=dict(color=colours[sid], width=3, dash=SERIES_DASHES[(i - 1) % len(SERIES_DASHES)]),
            marker=dict(size=8, symbol=symbols[(i - 1) % len(symbols)]),
            customdata=[list(c) for c in zip([fmt(v) for v in values], change)],
            hovertemplate=f"<b>{groups[sid]}</b> %{{x}}<br>%{{customdata[0]}} {measure_label.lower()}%{{customdata[1]}}"
                          "<extra></extra>",
            xaxis=f"x{suffix}", yaxis=f"y{suffix}",
        ))
        yaxis = layout.setdefault(f"yaxis{suffix}", {})
        yaxis["rangemode"] = "tozero"
        if "per_capita" not in column:
            yaxis["tickformat"] = "~s"
    for key, axis in layout.items():
        if key.startswith("xaxis"):
            axis["dtick"] = 1
    layout.setdefault("xaxis" + ("" if len(order) == 1 else str(len(order))), {})["title"] = dict(text=t("year", lang))
    layout.update(base_layout(
        height=220 * len(order) + 120,
        title=dict(text=f"{t('alc.title', lang)}, {geo}, {first}–{last}: {measure_label.lower()}"
                        + (" (hvert panel har egen skala)" if lang == "nb" else " (each panel has its own scale)")),
        margin=dict(l=70, r=30, t=110, b=50),
        showlegend=False,
    ))
    fig = figure_of(traces, layout)
    lanes = add_year_events(fig, events, lang, first, last, band_offset=22)  # over the first panel's title
    if lanes:
        fig.update_layout(margin=dict(t=110 + 17 * lanes + 22))
    return fig


TABLE_HEADERS = {"year": ("År", "Year"), "group": ("Drikkegruppe", "Beverage group"),
                 "change": ("Endring fra året før (%)", "Change from previous year (%)"),
                 "litres": ("Liter solgt", "Litres sold"), "estimate": ("Anslag", "Estimate")}


def alcohol_table(sales: pd.DataFrame, measure: str, lang: str):
    """The chart's values as a table: one row per year and beverage group, numbers in the page language."""
    li = 0 if lang == "nb" else 1
    if sales.empty:
        return html.P(t("no_data", lang), className="tv-hint")
    column, label_key = ALCOHOL_COLUMNS.get(measure, ALCOHOL_COLUMNS["litres"])
    column = column if column in sales else "litres"
    name_col = "beverage_name_nb" if lang == "nb" else "beverage_name_en"
    digits = 2 if "per_capita" in column else 1 if column == "share_of_total_pct" else None
    headers = [TABLE_HEADERS["year"][li], TABLE_HEADERS["group"][li], t(label_key, lang)]
    if measure == "share":
        headers[-1] += " (%)"
        headers.append(TABLE_HEADERS["litres"][li])
    else:
        headers.append(TABLE_HEADERS["change"][li])
    rows = []
    for r in sales.sort_values(["year", name_col]).to_dict("records"):
        row = [str(int(r["year"])), str(r.get(name_col) or r.get("beverage_name_en") or r["substance_id"]),
               format_number(r.get(column), lang, digits)]
        row.append(format_number(r.get("litres"), lang, 0) if measure == "share"
                   else format_number(r.get("change_from_previous_pct"), lang, 1))
        rows.append(row)
    return values_table(rows, headers, "alcohol-table", caption=t("alc.title", lang) + ", "
                        + ", ".join(dict.fromkeys(sales["geo_name"].astype(str))))


def alcohol_render(geo_code: str | None, measure: str | None, lang: str, show_events: bool):
    """(figure, source note, measures offered, chosen measure) for one place."""

    sales = queries.alcohol_sales(geo_code)
    offered = alcohol_measures(sales)
    measure = choose_one(measure, offered, "litres")
    events = relevant_events(safe_events(), [geo_code]) if show_events else None
    fig = alcohol_figure(sales, measure, lang, events)
    note = source_note(sales, ["report_figures"] if sales.empty else None, lang=lang)
    with_caption(fig, text_of(note), None, lang)
    return fig, note, offered, measure


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
        Output("alcohol-table-box", "children"),
        Input("alcohol-measure", "value"),
        Input("alcohol-geo", "value"),
        State("alcohol-lang", "data"),
        prevent_initial_call=True,
    )
    def update_alcohol_table(measure, geo_code, lang):
        lang = i18n.lang_of(lang)
        try:
            places = set(queries.alcohol_geographies()["geo_code"])
            sales = queries.alcohol_sales(geo_code if geo_code in places else None)
        except queries.WarehouseUnavailable as exc:
            return unavailable_notice(exc, lang)
        return alcohol_table(sales, choose_one(measure, alcohol_measures(sales), "litres"), lang)

    @app.callback(
        Output("alcohol-download", "data"),
        Input("alcohol-download-button", "n_clicks"),
        State("alcohol-geo", "value"),
        State("alcohol-lang", "data"),
        prevent_initial_call=True,
    )
    def download_alcohol(n_clicks, geo_code, lang=None):
        if not n_clicks:
            return no_update
        places = set(queries.alcohol_geographies()["geo_code"])
        return csv_download(queries.alcohol_sales(geo_code if geo_code in places else None), lang, "alcohol")
