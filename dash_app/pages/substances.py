"""Substances: deaths by substance group for a chosen geography (counts, rates, index) with the
trend panel's direction signals on the same time axis."""
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html, Input, no_update, Output, State
from plotly.subplots import make_subplots

from dash_app import i18n, queries
from dash_app.components.downloads import csv_download
from dash_app.components.labels import geo_label, indicator_label, substance_label
from dash_app.components.notes import share_link, source_note, unavailable_notice
from dash_app.components.page import (
    actions,
    chart_tabs,
    control,
    events_on,
    events_toggle,
    frame_table,
    GRAPH_CONFIG,
    page,
    safe_events,
    tab_of,
    text_of,
    unavailable_figure,
    unavailable_page,
)
from dash_app.components.series import (
    add_events,
    add_legend_keys,
    add_signals,
    direction_word,
    draw_series,
    empty_figure,
    fit_width,
    legend_above,
    period_label,
    prepare,
    relevant_events,
    split_detail,
    title_band,
    with_caption,
    wrap_label,
)
from dash_app.components.theme import base_layout
from dash_app.i18n import column_label, signal_word, t
from dash_app.state import choose_many, choose_one

PATH = "/substances"
PANEL_TITLE_CHARS = 22
NAV = "nav.substances"
PREFIX = "substances"  # component ids of this view start with "substances-"


def view_params(state: dict, show_events: bool, tab: str = "chart") -> dict:
    return {"geo": state["geo"], "substances": state["substances"], "measure": state["measure"],
            "base": state["base"], "panel": state["panel"], "events": None if show_events else "off",
            "tab": tab_of(tab) if tab_of(tab) != "chart" else None}


def base_options(state: dict, info: dict) -> list[dict]:
    """Base years: the years of the indexed series (all years of the geography for the other measures)."""
    return [{"label": str(y), "value": y} for y in (info.get("years") or state["years"])]


def layout(geo=None, substances=None, measure=None, base=None, panel=None, events=None, tab=None, lang=None,
           **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    show = events_on(events)
    try:
        state = substances_state(geo, substances, measure, base, panel)
        fig, sources, note, info = substances_output(state, lang, show)
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
                            options=[{"label": f"{geo_label(r.geo_code, names, lang)} ({r.n_substances})",
                                      "value": r.geo_code} for r in state["geos"].itertuples()])),
                        control(t("measure", lang), dcc.RadioItems(
                            id="substances-measure", value=state["measure"], inline=True, className="tv-radio",
                            options=[{"label": " " + t(f"measure.{m}", lang), "value": m} for m in MEASURES])),
                        control(t("subs.base", lang), dcc.Dropdown(
                            id="substances-base", className="tv-dropdown tv-dropdown-small",
                            value=info["base_year"] or state["base"], placeholder="–",
                            options=base_options(state, info))),
                        control(t("subs.panel", lang), dcc.Dropdown(
                            id="substances-panel", clearable=False, className="tv-dropdown", value=state["panel"],
                            options=[{"label": f"{geo_label(r.geo_code, names, lang)} ({r.n_signals})", "value": r.geo_code}
                                     for r in state["panels"].itertuples()])),
                    ], className="tv-controls"),
                    control(t("subs.substances", lang), dcc.Checklist(
                        id="substances-checklist", value=state["substances"], inline=True,
                        className="tv-checklist", options=substance_options(state, lang)), wide=True),
                    events_toggle("substances", show, lang),
                    html.P(note, id="substances-note", className="tv-hint tv-not-published" if note else "tv-hint"),
                    chart_tabs("substances", dcc.Loading(dcc.Graph(id="substances-graph", figure=fig, config=GRAPH_CONFIG)),
                               html.Div(info["table"], id="substances-table-box"), lang, tab),
                    html.P(t("subs.signals_hint", lang) + " " + t("events_hint", lang), className="tv-hint"),
                    html.Div(sources, id="substances-source"),
                ],
                className="tv-card",
            ),
            actions("substances", PATH, view_params(state, show, tab), lang),
        ],
        lang, "substances",
    )


DEFAULT_SUBSTANCES = ("heroin", "psychostimulants", "cocaine", "opioids")


DEFAULT_PANEL = "municip_nor4601"


def substances_state(geo=None, substances=None, measure=None, base=None, panel=None) -> dict:
    """Validate URL/control values against the marts; returns state plus the choices offered."""
    geos = queries.death_geographies()
    names = queries.names()
    geo = choose_one(geo, geos["geo_code"], "nation_usa")
    deaths = queries.substance_deaths(geo)
    available = list(dict.fromkeys(deaths["substance_id"]))
    default = [s for s in DEFAULT_SUBSTANCES if s in available] or available[:3]
    chosen = choose_many(substances, available, default)
    if substances is not None and not chosen:
        chosen = default
    has_rate = (deaths["unit"] == "per_100k").any() or deaths["rate_per_100k"].notna().any()
    measure = choose_one(measure, MEASURES, "rate" if has_rate else "count")
    years = sorted({int(y) for y in deaths["year"].dropna()})
    base_year = None
    if base is not None:
        wanted = choose_one(base, [str(y) for y in years], None)
        base_year = int(wanted) if wanted else None
    panels = queries.signal_geographies()
    panel = choose_one(panel, panels["geo_code"], DEFAULT_PANEL)
    return {"geo": geo, "geos": geos, "names": names, "deaths": deaths, "available": available,
            "substances": chosen, "measure": measure, "years": years, "base": base_year, "panel": panel,
            "panels": panels}


def substances_output(state: dict, lang: str, show_events: bool):
    names = state["names"]
    signals = queries.trend_signals([state["panel"]] if state["panel"] else [])
    events = relevant_events(safe_events(), [state["geo"], state["panel"]]) if show_events else None
    geo_name = geo_label(state["geo"], names, lang)
    fig, info = substances_figure(state["deaths"], state["substances"], state["measure"], lang=lang,
                                     geo_name=geo_name, names=names, signals=signals, events=events,
                                     base_year=state["base"])
    rows = info["rows"]
    sources = source_note(pd.concat([rows, signals], ignore_index=True) if not rows.empty else signals,
                          None if (not rows.empty or not signals.empty) else ["cdc_wonder"], lang=lang)
    notes = [t(info["note"], lang)] if info["note"] else []
    if state["measure"] == "index" and info["base_year"] is not None:
        drawn = info["drawn"]
        notes.append(t("exs.index_of", lang, measure=t(f"measure.{info['index_measure']}", lang),
                       indicator=indicator_label(drawn.iloc[0].to_dict(), lang), base=info["base_year"]))
        if info["no_base"]:
            notes.append(t("exs.no_base", lang, base=info["base_year"], names=", ".join(info["no_base"])))
    info["table"] = substances_table(info, lang, names)
    with_caption(fig, text_of(sources), None, lang)  # a saved PNG still names its source and date
    return fig, sources, " ".join(notes), info


def substances_table(info: dict, lang: str, names: dict):
    """The chart's text alternative: per substance and year the value drawn (count, rate or index)."""
    drawn = info.get("drawn")
    if drawn is None or drawn.empty:
        return html.P(t("no_data", lang), className="tv-hint")
    frame = drawn.assign(substance=[substance_label(r["substance_id"], lang, names, r) for r in drawn.to_dict("records")],
                         period=[period_label(r) for r in drawn.to_dict("records")])
    frame = frame.rename(columns={info["y"]: "_y", info["low"]: "_low", info["high"]: "_high"})
    columns = [("substance", t("exs.substance", lang)), ("period", column_label("period", lang)),
               ("_y", info["y_title"]), ("_low", column_label("value_low", lang)),
               ("_high", column_label("value_high", lang)), ("qualifier", column_label("qualifier", lang)),
               ("is_provisional", column_label("is_provisional", lang)),
               ("is_suppressed", column_label("is_suppressed", lang))]
    return frame_table(frame.loc[:, ~frame.columns.duplicated()], columns, "substances-table", lang)


def substance_options(state: dict, lang: str) -> list[dict]:
    return [{"label": " " + substance_label(s, lang, state["names"],
                                               state["deaths"][state["deaths"]["substance_id"] == s].iloc[0].to_dict()),
             "value": s} for s in state["available"]]


MEASURES = ("count", "rate", "index")


def _main_breakdown(frame: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, keep one breakdown: 'all' if present, else the one with most rows."""
    keep = []
    for _ind, part in frame.groupby("indicator_id"):
        counts = part["breakdown"].fillna("all").value_counts()
        best = "all" if "all" in counts.index else counts.index[0]
        keep.append(part[part["breakdown"].fillna("all") == best])
    return pd.concat(keep) if keep else frame


def substances_for_measure(deaths: pd.DataFrame, measure: str) -> tuple[pd.DataFrame, str, str | None]:
    """(rows, value column, note key) of the death series to plot for a measure.

    count: an indicator counted in deaths; rate: an indicator published per 100,000, else
    rate_per_100k of the counts (only in publish.indicator_series); index: the rows of "rate" if any,
    else those of "count" (the index never switches to a data set of its own)."""
    if deaths.empty:
        return deaths, "value", None
    deaths = _main_breakdown(deaths)
    per_100k = deaths[deaths["unit"] == "per_100k"]
    counted = deaths[deaths["unit"] == "deaths"]

    def richest(frame):
        if frame.empty:
            return frame
        best = frame.groupby("indicator_id")["substance_id"].nunique().sort_values(ascending=False).index[0]
        return frame[frame["indicator_id"] == best]

    if measure == "rate":
        if not per_100k.empty:
            return richest(per_100k), "value", None
        with_rate = counted[counted["rate_per_100k"].notna()]
        if not with_rate.empty:
            return richest(with_rate), "rate_per_100k", None
        return counted.iloc[0:0], "value", "subs.rate_missing"
    if measure == "index":
        # the same rows as "Per 100,000" shows (else as "Counts"), never a data set of its own
        rows, col, _ = substances_for_measure(deaths, "rate")
        if rows.empty:
            rows, col, _ = substances_for_measure(deaths, "count")
        return rows, col, None
    if counted.empty:
        return richest(per_100k), "value", None
    return richest(counted), "value", None


def index_base_measure(deaths: pd.DataFrame) -> str:
    """The measure whose figures the index is computed on: rates where published, else counts."""
    return "rate" if not substances_for_measure(deaths, "rate")[0].empty else "count"


def index_to_base(frame: pd.DataFrame, value_col: str, base_year: int | None) -> tuple[pd.DataFrame, int | None]:
    """Each substance's values divided by its value in the base year, × 100. The chosen base year is
    kept whenever a substance has a value in it (a substance without one gets no index); without a
    choice, the first year all substances share (else the first year)."""
    if frame.empty:
        return frame.assign(index=pd.Series(dtype=float)), base_year
    has_value = frame[frame[value_col].notna()]
    if base_year is None or base_year not in set(has_value["year"]):
        years = has_value.groupby("substance_id")["year"].apply(set)
        common = sorted(set.intersection(*years.tolist())) if len(years) else []
        base_year = common[0] if common else int(frame["year"].min())
    out = []
    for _sid, part in frame.groupby("substance_id"):
        base = part[(part["year"] == base_year) & part[value_col].notna()][value_col]
        base_value = float(base.iloc[0]) if len(base) else None
        part = part.copy()
        if base_value:
            factor = 100.0 / base_value
            part["index"] = part[value_col] * factor
            part["index_low"] = part.get("value_low") * factor if value_col == "value" else float("nan")
            part["index_high"] = part.get("value_high") * factor if value_col == "value" else float("nan")
        else:
            part["index"] = float("nan")
            part["index_low"] = part["index_high"] = float("nan")
        out.append(part)
    return pd.concat(out), base_year


def left_margin(tick_labels: list[str]) -> int:
    """The left margin the signal panel's substance names need (about 7.5 px a character at the tick
    font), set rather than left to plotly's automargin: the caption under the chart is placed from this
    margin to start at the figure's left edge, and automargin widens the margin after the fact."""
    longest = max((len(str(label)) for label in tick_labels), default=0)
    return max(60, 16 + round(7.5 * longest))


def substances_figure(deaths: pd.DataFrame, substances: list[str], measure: str, *, lang: str, geo_name: str,
                      names: dict, signals: pd.DataFrame | None = None, events=None,
                      base_year: int | None = None, suppress_below=None) -> tuple[go.Figure, dict]:
    """Deaths by substance (top) and trend-panel signals (bottom) on one time axis."""

    rows, col, note = substances_for_measure(deaths, measure)
    rows = rows[rows["substance_id"].isin(substances)] if not rows.empty else rows
    info = {"note": note, "indicator_id": None, "base_year": None, "rows": rows, "years": [],
            "no_base": [], "value_col": col}
    if measure == "index" and not rows.empty:
        info["years"] = sorted({int(y) for y in rows.loc[rows[col].notna(), "year"].dropna()})
        rows, base_year = index_to_base(rows, col, base_year)
        info["base_year"] = base_year
        info["no_base"] = [substance_label(sid, lang, names, part.iloc[0].to_dict())
                           for sid, part in rows.groupby("substance_id", sort=False) if part["index"].isna().all()]
        info["index_measure"] = index_base_measure(deaths)
        y, low, high = "index", "index_low", "index_high"
        y_title = t("index", lang) + f" ({base_year} = 100)"
    elif col == "rate_per_100k":
        y, low, high, y_title = "rate_per_100k", "rate_low", "rate_high", t("deaths_per_100k", lang)
    else:
        y, low, high = "value", "value_low", "value_high"
        y_title = t("deaths_per_100k", lang) if (not rows.empty and rows["unit"].iloc[0] == "per_100k") \
            else t("deaths", lang)
    if not rows.empty:
        info["indicator_id"] = str(rows["indicator_id"].iloc[0])
    info.update(y=y, low=low, high=high, y_title=y_title)
    order = {s: i for i, s in enumerate(substances)}
    rows = rows.assign(_o=rows["substance_id"].map(order)).sort_values(["_o", "period_start"]) if not rows.empty else rows
    info["drawn"] = rows
    data = prepare(rows, series_col="substance_id",
                   label_fn=lambda r: substance_label(r["substance_id"], lang, names, r),
                   y=y, low=low, high=high) if not rows.empty else prepare(rows, series_col="substance_id",
                                                                          label_fn=str)
    if not data.empty:
        data = data.assign(_o=data["series"].map(order)).sort_values(["_o", "x"], kind="stable").drop(columns="_o")
    ind_name = indicator_label(rows.iloc[0].to_dict(), lang) if not rows.empty else ""
    title = f"{ind_name}, {geo_name}" if ind_name else geo_name
    has_signals = signals is not None and not signals.empty
    if data.empty and not has_signals:
        return empty_figure(t(note, lang) if note else t("no_data", lang), title), info
    fig = make_subplots(rows=2 if has_signals else 1, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.68, 0.32] if has_signals else [1.0],
                        # panel titles start over the plot, right of the signal panel's substance names (about
                        # 130 px on a phone): 22 characters a line keep them inside a 390 px chart
                        subplot_titles=([wrap_label(title, PANEL_TITLE_CHARS), wrap_label(
                            t("subs.signals", lang) + ": " + ", ".join(dict.fromkeys(signals["geo_name"].astype(str))),
                            PANEL_TITLE_CHARS)] if has_signals else None))
    for panel_title in fig.layout.annotations:  # left-aligned like the survey's: a centred one leaves a phone too little
        panel_title.update(x=0, xanchor="left", align="left")
    keys = draw_series(fig, data, lang=lang, suppress_below=suppress_below, row=1, col=1) if not data.empty else set()
    add_legend_keys(fig, keys, lang)
    signal_names = add_signals(fig, signals, lang=lang, row=2) if has_signals else []
    xs = list(data["x"]) + ([pd.Timestamp(v) for v in signals["period_start"]] +
                            [pd.Timestamp(v) for v in signals["period_end"]] if has_signals else [])
    x_range = [min(xs) - pd.Timedelta(days=200), max(xs) + pd.Timedelta(days=200)]
    # with panels, event labels and the legend go above the first panel's title
    band = title_band(fig.layout.annotations[0].text) if has_signals else 0
    lanes = add_events(fig, events, lang, x_range, band_offset=band)
    fig.update_xaxes(type="date", range=x_range)
    fig.update_yaxes(title_text=y_title, rangemode="tozero", row=1, col=1)
    if data.empty:
        fig.add_annotation(text=t(note, lang) if note else t("no_data", lang), xref="x domain", yref="y domain",
                           x=0.5, y=0.5, showarrow=False, font=dict(size=14, color="#444"))
    height = 620 if has_signals else 480
    fig.update_layout(**base_layout(
        title=dict(text=title if not has_signals else None), height=height,
        hovermode="closest", margin=dict(l=left_margin(signal_names), r=20, t=60 if has_signals else 110, b=40),
    ))
    legend_above(fig, lanes, height, band_offset=band)

    fig.update_yaxes(automargin=True)
    return fit_width(fig), info


# Columns of the deaths rows that hold a measure; a download keeps only the one the chart shows.
MEASURE_COLUMNS = ("value", "value_low", "value_high", "rate_per_100k", "rate_low", "rate_high", "rate_unreliable",
                   "index_value", "index", "index_low", "index_high")


def download_frame(state: dict, lang: str) -> pd.DataFrame:
    """What "Download shown data" sends: the deaths rows drawn, with the chosen measure's columns only
    (count, rate or index with its base year), then the trend signals of the panel with their direction
    and kind in words beside the report's own wording."""
    _fig, _sources, _note, info = substances_output(state, lang, False)
    drawn = info.get("drawn")
    deaths = pd.DataFrame() if drawn is None else drawn.drop(columns=[c for c in ("_o",) if c in drawn.columns])
    if not deaths.empty:
        shown = {info["y"], info["low"], info["high"]} | ({"rate_unreliable"} if info["y"] == "rate_per_100k" else set())
        deaths = deaths.drop(columns=[c for c in MEASURE_COLUMNS if c in deaths.columns and c not in shown])
        if info["y"] == "index":
            deaths = deaths.assign(index_base_year=info["base_year"])
    signals = queries.trend_signals([state["panel"]] if state["panel"] else [])
    if not signals.empty:
        kinds = [split_detail(d, q) for d, q in zip(signals["detail"], signals["qualifier"])]
        signals = signals.assign(
            signal=[direction_word(d, lang) for d in signals["direction"]],
            signal_kind=[signal_word(kind, lang) for kind, _ in kinds],
            detail=[wording for _, wording in kinds],
        ).drop(columns=["qualifier"])
    return pd.concat([deaths.assign(record="deaths"), signals.assign(record="trend_signal")], ignore_index=True)


def register(app) -> None:
    @app.callback(
        Output("substances-graph", "figure"),
        Output("substances-source", "children"),
        Output("substances-note", "children"),
        Output("substances-checklist", "options"),
        Output("substances-checklist", "value"),
        Output("substances-base", "options"),
        Output("substances-base", "value"),
        Output("substances-share-link", "href"),
        Output("substances-share-link", "children"),
        Output("substances-table-box", "children"),
        Input("substances-geo", "value"),
        Input("substances-checklist", "value"),
        Input("substances-measure", "value"),
        Input("substances-base", "value"),
        Input("substances-panel", "value"),
        Input("substances-events", "value"),
        Input("substances-tabs", "value"),
        State("substances-lang", "data"),
        prevent_initial_call=True,
    )
    def update_substances(geo, substances, measure, base, panel, events, tab, lang):
        lang = i18n.lang_of(lang)
        show = events_on(events)
        try:
            state = substances_state(geo, substances or [], measure, base, panel)
            fig, sources, note, info = substances_output(state, lang, show)
        except queries.WarehouseUnavailable as exc:
            return (unavailable_figure(exc, lang), unavailable_notice(exc, lang), "", no_update, no_update,
                    no_update, no_update, no_update, no_update, "")
        href, text = share_link(PATH, {**view_params(state, show, tab), "lang": lang})
        return (fig, sources, note, substance_options(state, lang), state["substances"],
                base_options(state, info), info["base_year"] or state["base"], href, text, info["table"])

    @app.callback(
        Output("substances-download", "data"),
        Input("substances-download-button", "n_clicks"),
        State("substances-geo", "value"),
        State("substances-checklist", "value"),
        State("substances-measure", "value"),
        State("substances-panel", "value"),
        State("substances-lang", "data"),
        prevent_initial_call=True,
    )
    def download_substances(n_clicks, geo, substances, measure, panel, lang=None):
        if not n_clicks:
            return no_update
        lang = i18n.lang_of(lang)
        return csv_download(download_frame(substances_state(geo, substances or [], measure, None, panel), lang),
                            lang, "substances")
