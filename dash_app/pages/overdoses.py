"""Overdoses: deaths against ambulance callouts for Bergen and comparators (publish.overdose).

Each deaths indicator gets its own panel: Bergen's overdose deaths (Cause of Death Registry as
cited in the reports), CDC's overdose deaths, NRS drug-related deaths and Eurostat's drug-dependence
(TOXICO) deaths are counted under different definitions, so they are never drawn as one measure.
Deaths known only as a bound (Bergen 2009-2014) stay bounds in every mode: their rates and the
callouts per death computed from them are bounds too.
"""

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html, Input, no_update, Output, State
from plotly.subplots import make_subplots

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
    text_of,
    unavailable_figure,
    unavailable_page,
)
from dash_app.components.series import (
    _missing,
    add_events,
    add_legend_keys,
    BOUND_QUALIFIERS,
    draw_series,
    empty_figure,
    fit_width,
    format_number as fmt,
    legend_above,
    prepare,
    relevant_events,
    series_figure,
    title_band,
    with_caption,
)
from dash_app.components.tables import table
from dash_app.components.theme import base_layout
from dash_app.i18n import t
from dash_app.state import choose_many, choose_one

PATH = "/overdoses"
NAV = "nav.overdoses"
PREFIX = "overdoses"  # component ids of this view start with "overdoses-"

OVERDOSE_MODES = ("counts", "rates", "ratio")
TABS = ("chart", "table")

# The deaths indicators of publish.overdose, in panel order, with a planner's name and definition
# (publish.indicators carries the definition in English only).
DEATH_INDICATORS = {
    "overdose_deaths_residents": (
        "Overdosedødsfall, bosatte", "Overdose deaths, residents",
        "Overdosedødsfall blant innbyggere, fra Dødsårsaksregisteret slik rapportene gjengir dem.",
        "Drug-induced (overdose) deaths of residents, from the Cause of Death Registry as cited in the reports."),
    "overdose_deaths": (
        "Overdosedødsfall (CDC)", "Drug overdose deaths (CDC)",
        "Dødsfall med overdose som underliggende dødsårsak (ICD-10 X40–X44, X60–X64, X85, Y10–Y14).",
        "Deaths with a drug overdose as underlying cause (ICD-10 X40–X44, X60–X64, X85, Y10–Y14)."),
    "drug_related_deaths_nrs": (
        "Narkotikarelaterte dødsfall (NRS-definisjon)", "Drug-related deaths (NRS definition)",
        "Dødsfall i Skottland der underliggende årsak er forgiftning eller misbruk/avhengighet (NRS-definisjonen).",
        "Deaths in Scotland where the underlying cause is drug poisoning or drug abuse/dependence (NRS definition)."),
    "drug_dependence_deaths": (
        "Dødsfall, narkotikaavhengighet (Eurostat)", "Deaths from drug dependence (Eurostat)",
        "Dødsfall med narkotikaavhengighet som underliggende årsak (ICD-10 F11–F16, F18–F19): ikke det samme "
        "som overdosedødsfall.",
        "Deaths with drug dependence as underlying cause (ICD-10 F11–F16, F18–F19): not the same as overdose "
        "deaths."),
}
UNKNOWN_DEATHS = "_deaths"  # rows without a deaths indicator id (an older warehouse)

def w(key: str, lang: str) -> str:
    """This view's own words (i18n keys "od.<key>")."""
    return t(f"od.{key}", lang)


def indicator_name(indicator_id, lang: str) -> str:
    entry = DEATH_INDICATORS.get(str(indicator_id))
    if entry is None:
        return t("deaths", lang)
    return entry[0] if i18n.lang_of(lang) == "nb" else entry[1]


def indicator_definition(indicator_id, lang: str) -> str | None:
    entry = DEATH_INDICATORS.get(str(indicator_id))
    if entry is None:
        return None
    return entry[2] if i18n.lang_of(lang) == "nb" else entry[3]


# ---------------------------------------------------------------------------------------- layout

def layout(geo=None, mode=None, events=None, tab=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    show = events_on(events)
    try:
        state = overdose_state(geo, mode, tab)
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
                            value=state["geos"], options=place_options(state["places"], names, lang))),
                        control(t("od.show", lang), dcc.RadioItems(
                            id="overdoses-mode", value=state["mode"], inline=True, className="tv-radio",
                            options=[{"label": " " + t(f"od.{m}", lang), "value": m} for m in OVERDOSE_MODES])),
                    ], className="tv-controls"),
                    events_toggle("overdoses", show, lang),
                    chart_tabs("overdoses", dcc.Loading(dcc.Graph(id="overdoses-graph", figure=fig, config=GRAPH_CONFIG)),
                               html.Div(tbl, id="overdoses-table-box"), lang, value=state["tab"]),
                    html.Div(sources, id="overdoses-source"),
                ],
                className="tv-card",
            ),
            actions("overdoses", PATH, link_params(state, show), lang),
        ],
        lang, "overdoses",
    )


def place_options(places: pd.DataFrame, names: dict, lang: str) -> list[dict]:
    out = []
    for r in places.itertuples():
        name = geo_label(r.geo_code, names, lang)
        out.append({"label": f"{name} ({r.first_year}–{r.last_year})", "value": r.geo_code})
    return out


def overdose_state(geos=None, mode=None, tab=None) -> dict:
    places = queries.overdose_geographies()
    default = places[places["n_callouts"] > 0]["geo_code"].tolist()[:3] or places["geo_code"].tolist()[:3]
    if "municip_nor4601" in set(places["geo_code"]) and "municip_nor4601" not in default:
        default = ["municip_nor4601", *default][:3]
    chosen = choose_many(geos, places["geo_code"], default) or default
    return {"places": places, "geos": chosen, "mode": choose_one(mode, OVERDOSE_MODES, "counts"),
            "tab": choose_one(tab, TABS, "chart")}


def link_params(state: dict, show_events: bool) -> dict:
    """Every control of the view, as the share link (and so the address bar) carries it."""
    return {"geo": state["geos"], "mode": state["mode"], "events": None if show_events else "off",
            "tab": None if state["tab"] == "chart" else state["tab"]}


def overdose_output(state: dict, lang: str, show_events: bool):
    names = queries.names()
    frame = queries.overdose(state["geos"])
    events = relevant_events(safe_events(), state["geos"]) if show_events else None
    fig = overdose_figure(frame, state["mode"], lang=lang, names=names, events=events)
    ids = [c for c in ("deaths_source_id", "callouts_source_id") if c in frame]
    src_ids = list(dict.fromkeys(s for c in ids for s in frame[c].dropna().astype(str)))
    note = [source_note(None, src_ids or None, lang=lang)]
    with_caption(fig, text_of(note[0]), None, lang)  # a saved PNG still names its source and date
    shown = definitions_note(frame, state["mode"], lang)
    if shown is not None:
        note.append(shown)
    return fig, note, overdose_table(frame, state["mode"], lang=lang, names=names)


def definitions_note(frame: pd.DataFrame, mode: str, lang: str):
    if mode == "ratio":
        return html.P(w("ratio_note", lang), className="tv-muted")
    items = [html.Li([html.Strong(indicator_name(i, lang) + ": "), indicator_definition(i, lang)])
             for i in death_indicators(frame) if indicator_definition(i, lang)]
    if not items:
        return None
    return html.Div([html.Span(w("definitions", lang) + ":"), html.Ul(items)], className="tv-muted tv-definitions")


# ---------------------------------------------------------------------------------- the numbers

def _base(frame: pd.DataFrame, names: dict, lang: str | None = None) -> pd.DataFrame:
    base = frame.copy()
    base["period_start"] = pd.to_datetime(base["year"].astype(int).astype(str) + "-01-01")
    base["period_end"] = pd.to_datetime(base["year"].astype(int).astype(str) + "-12-31")
    base["period_type"] = "year"
    base["geo_label"] = [geo_label(r.geo_code, names, lang)
                         for r in base.itertuples()]
    if "deaths_indicator_id" not in base:
        base["deaths_indicator_id"] = None
    base["deaths_indicator_id"] = base["deaths_indicator_id"].where(base["deaths_indicator_id"].notna(),
                                                                    UNKNOWN_DEATHS)
    base["is_suppressed"] = base["is_suppressed"].fillna(False).astype(bool) if "is_suppressed" in base else False
    return base


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(frame[name], errors="coerce") if name in frame else pd.Series(float("nan"), index=frame.index)


def death_values(base: pd.DataFrame, mode: str) -> pd.DataFrame:
    """value, low, high and qualifier of the deaths (counts) or death rates (rates) of each row.

    The warehouse stores 'below 30' as the largest count it allows (deaths_high = 29, see
    publish.overdose's contract); the chart kit draws and words a 'below' bound as 'under N', so the
    bound handed on is N = deaths_high + 1 (and its rate N / population)."""
    q = base["deaths_qualifier"].astype("string").fillna("exact") if "deaths_qualifier" in base else "exact"
    count_high = _col(base, "deaths_high")
    strict = (count_high + 1) / count_high.where(count_high > 0)
    if mode == "rates":
        y, low, high = _col(base, "death_rate_per_100k"), _col(base, "death_rate_low"), _col(base, "death_rate_high")
        high = high.where(q != "below", high * strict)
    else:
        y, low, high = _col(base, "deaths"), _col(base, "deaths_low"), _col(base, "deaths_high")
        high = high.where(q != "below", count_high + 1)
    out = pd.DataFrame({"v": y, "v_low": low, "v_high": high, "q": q}, index=base.index)
    out.loc[out["q"] == "suppressed", "q"] = "exact"
    return out


def ratio_values(base: pd.DataFrame) -> pd.DataFrame:
    """Callouts per death; where the deaths are a bound or range, the ratio's bounds."""
    y, low, high = _col(base, "callouts_per_death"), _col(base, "callouts_per_death_low"), \
        _col(base, "callouts_per_death_high")
    q = pd.Series("exact", index=base.index, dtype="string")
    bound = y.isna()
    q[bound & low.notna() & high.notna()] = "range"
    q[bound & low.notna() & high.isna()] = "above"
    q[bound & low.isna() & high.notna()] = "below"
    return pd.DataFrame({"v": y, "v_low": low, "v_high": high, "q": q}, index=base.index)


def callout_values(base: pd.DataFrame, mode: str) -> pd.DataFrame:
    y = _col(base, "callout_rate_per_100k" if mode == "rates" else "callouts")
    return pd.DataFrame({"v": y, "v_low": y, "v_high": y, "q": "exact"}, index=base.index)


def _drawn(values: pd.DataFrame, suppressed) -> pd.Series:
    """Rows with something to draw: a value, a bound, or a suppressed cell."""
    return values["v"].notna() | (values["q"].isin(BOUND_QUALIFIERS) & (values["v_low"].notna()
                                                                      | values["v_high"].notna())) | suppressed


def value_text(v, low, high, q, lang: str, suppressed: bool = False, ci: bool = False) -> str:
    """A drawn value in words: '17', 'under 30', '31–36', 'over 12,3', 'suppressed'."""
    if suppressed:
        return w("suppressed_value", lang)
    if q == "below" and not _missing(high):
        return f"{w('under', lang)} {fmt(high, lang)}"
    if q == "above" and not _missing(low):
        return f"{w('over', lang)} {fmt(low, lang)}"
    if q == "range" and not (_missing(low) or _missing(high)):
        return f"{fmt(low, lang)}–{fmt(high, lang)}"
    if _missing(v):
        return ""
    if ci and not (_missing(low) or _missing(high)) and (low != v or high != v):
        return f"{fmt(v, lang)} ({w('ci', lang)} {fmt(low, lang)}–{fmt(high, lang)})"
    return fmt(v, lang)


def death_indicators(frame: pd.DataFrame) -> list[str]:
    """The deaths indicators of the rows that have deaths, in panel order."""
    if frame.empty:
        return []
    col = frame["deaths_indicator_id"] if "deaths_indicator_id" in frame else pd.Series(None, index=frame.index)
    has = frame.get("deaths_qualifier", pd.Series(None, index=frame.index)).notna() | _col(frame, "deaths").notna()
    if "is_suppressed" in frame:
        has |= frame["is_suppressed"].fillna(False).astype(bool)
    ids = list(dict.fromkeys(col[has].where(col[has].notna(), UNKNOWN_DEATHS)))
    order = list(DEATH_INDICATORS)
    return sorted(ids, key=lambda i: order.index(i) if i in order else len(order))


# ----------------------------------------------------------------------------------- the figure

def _prepared(base: pd.DataFrame, values: pd.DataFrame, suppressed, indicator: str | None, lang: str):
    keep = _drawn(values, suppressed)
    rows = base[keep].assign(v=values["v"][keep], v_low=values["v_low"][keep], v_high=values["v_high"][keep],
                             qualifier=values["q"][keep],
                             is_suppressed=(suppressed[keep] if isinstance(suppressed, pd.Series) else False))
    data = prepare(rows, series_col="geo_code", label_fn=lambda r: r["geo_label"], y="v", low="v_low", high="v_high")
    if indicator and not data.empty:  # the hover names the measure, so two definitions are never confused
        name = indicator_name(indicator, lang)
        data["hover"] = [f"<b>{lab}</b><br><i>{name}</i><br>{per}: " for lab, per in zip(data["label"], data["period"])]
    return data


def overdose_figure(frame: pd.DataFrame, mode: str, *, lang: str, names: dict, events=None) -> go.Figure:
    """One panel per deaths indicator and one for ambulance callouts; or the callouts-per-death ratio."""

    if frame.empty:
        return empty_figure(t("no_data", lang), t("od.title", lang))
    base = _base(frame, names, lang)
    if mode == "ratio":
        data = _prepared(base, ratio_values(base), False, None, lang)
        title = t("callouts_per_death", lang)
        return series_figure(data, lang=lang, title=title, y_title=title, events=events)
    deaths = death_values(base, mode)
    calls = callout_values(base, mode)
    panels = []  # (title, y title, prepared data, ci)
    for ind in death_indicators(frame):
        part = base["deaths_indicator_id"] == ind
        data = _prepared(base[part], deaths[part], base["is_suppressed"][part], ind, lang)
        if not data.empty:
            y_title = w("deaths_rate", lang) if mode == "rates" else t("deaths", lang)
            panels.append((indicator_name(ind, lang), y_title, data, mode == "rates"))
    call_data = _prepared(base, calls, pd.Series(False, index=base.index), None, lang)
    if not call_data.empty:
        panels.append((t("callouts", lang), (w("callouts_rate", lang) if mode == "rates" else t("callouts", lang)),
                       call_data, False))
    if not panels:
        return empty_figure(t("no_data", lang), t("od.title", lang))
    n = len(panels)
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True, vertical_spacing=0.22 / n,
                        subplot_titles=[p[0] for p in panels])
    geos = list(dict.fromkeys(base["geo_code"]))
    order = {g: i for i, g in enumerate(geos)}
    keys: set = set()
    in_legend: set = set()
    for row, (_title, y_title, data, ci) in enumerate(panels, start=1):
        for g in geos:  # same style for a place in every panel, one legend entry per place
            part = data[data["series"] == g]
            if part.empty:
                continue
            draw_series(fig, part, lang=lang, row=row, col=1, legend_done=keys, show_legend=g not in in_legend,
                        start_index=order[g], ci=ci)
            in_legend.add(g)
        fig.update_yaxes(title_text=y_title, rangemode="tozero", row=row, col=1)

    add_legend_keys(fig, keys, lang)
    lo, hi = base["period_start"].min(), base["period_end"].max()
    x_range = [lo - pd.Timedelta(days=120), hi + pd.Timedelta(days=120)]
    band = title_band(panels[0][0])  # event labels and legend go above the first panel's title
    lanes = add_events(fig, events, lang, x_range, band_offset=band)
    fig.update_xaxes(type="date", range=x_range)
    height = 260 + 220 * n
    fig.update_layout(**base_layout(height=height, hovermode="closest", margin=dict(l=80, r=20, t=60, b=40)))
    legend_above(fig, lanes, height, band_offset=band)
    return fit_width(fig)


# ------------------------------------------------------------------------------------ the table

def overdose_table(frame: pd.DataFrame, mode: str, *, lang: str, names: dict):
    """The chart's text alternative: every drawn value, its qualifier in words, in the page's language."""
    columns, rows = table_rows(frame, mode, lang=lang, names=names)
    data = pd.DataFrame(rows, columns=[c for c, _ in columns])
    # a column with nothing drawn (no callout rates at all, say) would only be an empty stripe
    columns = [(c, h) for c, h in columns if c in ("place", "year") or (data[c] != "").any()] if rows else columns
    return table(data, columns, "overdose-table")


def table_rows(frame: pd.DataFrame, mode: str, *, lang: str, names: dict) -> tuple[list, list]:
    place, year = t("place", lang), t("year", lang)
    if mode == "ratio":
        columns = [("place", place), ("year", year), ("ratio", t("callouts_per_death", lang))]
    else:
        rate = mode == "rates"
        columns = [("place", place), ("year", year), ("measure", w("measure", lang)),
                   ("deaths", w("deaths_rate", lang) if rate else t("deaths", lang)),
                   ("callouts", w("callouts_rate", lang) if rate else t("callouts", lang)),
                   ("suppressed", w("suppressed", lang))]
    if frame.empty:
        return columns, []
    base = _base(frame, names, lang)
    rows = []
    if mode == "ratio":
        values = ratio_values(base)
        keep = _drawn(values, False)
        for (i, r), v in zip(base[keep].iterrows(), values[keep].itertuples()):
            rows.append((r["geo_label"], str(int(r["year"])), value_text(v.v, v.v_low, v.v_high, v.q, lang)))
        return columns, rows
    deaths, calls = death_values(base, mode), callout_values(base, mode)
    keep = _drawn(deaths, base["is_suppressed"]) | calls["v"].notna()
    has_deaths = _drawn(deaths, base["is_suppressed"])
    for i in base.index[keep]:
        r, d = base.loc[i], deaths.loc[i]
        sup = bool(r["is_suppressed"])
        deaths_text = value_text(d["v"], d["v_low"], d["v_high"], d["q"], lang, suppressed=sup,
                                 ci=(mode == "rates")) if has_deaths[i] else ""
        rows.append((r["geo_label"], str(int(r["year"])),
                     indicator_name(r["deaths_indicator_id"], lang) if has_deaths[i] else "",
                     deaths_text, value_text(calls.loc[i, "v"], None, None, "exact", lang),
                     w("yes" if sup else "no", lang) if has_deaths[i] else ""))
    return columns, rows


# -------------------------------------------------------------------------------- the callbacks

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
        Input("overdoses-tabs", "value"),
        State("overdoses-lang", "data"),
        prevent_initial_call=True,
    )
    def update_overdoses(geos, mode, events, tab, lang):
        lang = i18n.lang_of(lang)
        show = events_on(events)
        try:
            state = overdose_state(geos or [], mode, tab)
            fig, sources, tbl = overdose_output(state, lang, show)
        except queries.WarehouseUnavailable as exc:
            return unavailable_figure(exc, lang), unavailable_notice(exc, lang), "", no_update, no_update
        href, text = share_link(PATH, {**link_params(state, show), "lang": lang})
        return fig, sources, tbl, href, text

    @app.callback(
        Output("overdoses-download", "data"),
        Input("overdoses-download-button", "n_clicks"),
        State("overdoses-geo", "value"),
        State("overdoses-lang", "data"),
        prevent_initial_call=True,
    )
    def download_overdoses(n_clicks, geos, lang=None):
        if not n_clicks:
            return no_update
        state = overdose_state(geos or [], None)
        return csv_download(queries.overdose(state["geos"]), lang, "overdoses")
