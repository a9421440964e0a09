"""Explorer: any indicator by geography and period, as chart and table; CSV with a metadata header."""
from datetime import datetime

import pandas as pd
from dash import dcc, html, Input, no_update, Output, State

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
from dash_app.components.series import _missing, prepare, relevant_events, series_figure, with_caption
from dash_app.i18n import column_label, t, unit_label
from dash_app.state import choose_many, choose_one

PATH = "/explorer"
NAV = "nav.explorer"
PREFIX = "explorer"  # component ids of this view start with "explorer-"


def view_params(state: dict, show_events: bool, tab: str = "chart") -> dict:
    return {"indicator": state["indicator"], "geo": state["geos"], "series": state["series"], "ptype": state["ptype"],
            "from": state["start"], "to": state["end"], "events": None if show_events else "off",
            "tab": tab_of(tab) if tab_of(tab) != "chart" else None}


def years_note(state: dict, lang: str) -> str:
    return t("exs.years_swapped", lang, a=state["start"], b=state["end"]) if state.get("swapped") else ""


def layout(indicator=None, geo=None, series=None, ptype=None, events=None, tab=None, lang=None, **params):
    lang = i18n.lang_of(lang)
    show = events_on(events)
    try:
        state = explorer_state(indicator, geo, series, ptype, params.get("from"), params.get("to"))
        names = queries.names()
        fig, sources, tbl, notes = explorer_output(state, lang, show)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "explorer", t("ex.title", lang))
    c = explorer_controls(state, lang, names)
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
                            options=[{"label": f"{indicator_label(r, lang)} ({r['indicator_id']})",
                                      "value": r["indicator_id"]} for r in state["indicators"].to_dict("records")])),
                        control(t("places", lang), dcc.Dropdown(
                            id="explorer-geo", multi=True, className="tv-dropdown tv-dropdown-wide",
                            value=state["geos"], options=c["geo_options"])),
                    ], className="tv-controls"),
                    html.P(t("exs.compare_hint", lang), className="tv-hint"),
                    html.Div([
                        control(t("ex.series", lang), dcc.Dropdown(
                            id="explorer-series", clearable=False, className="tv-dropdown tv-dropdown-wide",
                            value=state["series"], options=c["series_options"])),
                        control(t("ex.period_type", lang), dcc.Dropdown(
                            id="explorer-ptype", clearable=False, className="tv-dropdown tv-dropdown-small",
                            value=state["ptype"], options=c["ptype_options"])),
                        control(t("ex.years", lang), html.Div([
                            dcc.Dropdown(id="explorer-from", clearable=False, value=state["start"],
                                         options=c["from_options"], className="tv-dropdown tv-dropdown-small"),
                            html.Span("–"),
                            dcc.Dropdown(id="explorer-to", clearable=False, value=state["end"],
                                         options=c["to_options"], className="tv-dropdown tv-dropdown-small"),
                        ], className="tv-range")),
                    ], className="tv-controls"),
                    html.P(years_note(state, lang), id="explorer-years-note", className="tv-hint"),
                    events_toggle("explorer", show, lang),
                    chart_tabs("explorer", dcc.Loading(dcc.Graph(id="explorer-graph", figure=fig, config=GRAPH_CONFIG)),
                               html.Div(tbl, id="explorer-table-box"), lang, tab),
                    html.Div(sources, id="explorer-source"),
                ],
                className="tv-card",
            ),
            actions("explorer", PATH, view_params(state, show, tab), lang),
        ],
        lang, "explorer",
    )


def choose_exact(value, allowed, default):
    """One value of `allowed`, compared whole: a series key holds commas (Eurostat breakdowns such as
    "deaths in the country, all residences"), so it must not go through the comma-splitting parser
    of list parameters (state.choose_one)."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    allowed = list(allowed)
    if isinstance(value, str) and value in allowed:
        return value
    return default if default in allowed else (allowed[0] if allowed else None)


def series_key(row) -> str:
    return "|".join(str(row[c]) for c in ("substance_id", "sex", "age_group", "breakdown"))


def series_key_label(key: str, lang: str, names: dict) -> str:
    sid, sex, age, breakdown = (key.split("|") + ["", "", "", ""])[:4]
    parts = [substance_label(sid, lang, names)]
    if sex != "all":
        parts.append({"male": "menn" if lang == "nb" else "men", "female": "kvinner" if lang == "nb" else "women"}
                     .get(sex, sex))
    if age != "all":
        parts.append(age)
    if breakdown not in ("all", "None", ""):
        parts.append(i18n.breakdown(breakdown, lang))
    return " · ".join(parts)


def explorer_state(indicator=None, geo=None, series=None, ptype=None, start=None, end=None) -> dict:
    indicators = queries.explorer_indicators()
    indicator = choose_one(indicator, indicators["indicator_id"],
                           "drug_dependence_deaths" if "drug_dependence_deaths" in set(indicators["indicator_id"])
                           else None)
    opts = queries.explorer_options(indicator) if indicator else pd.DataFrame(
        columns=["geo_code", "geo_name", "period_type", "substance_id", "sex", "age_group", "breakdown", "n_rows",
                 "first_year", "last_year"])
    opts = opts.assign(key=[series_key(r) for r in opts.to_dict("records")]) if not opts.empty else opts.assign(key=[])
    geo_codes = list(dict.fromkeys(opts["geo_code"]))
    default_geo = [g for g in ("nation_nor", "municip_nor4601") if g in geo_codes] or geo_codes[:1]
    geos = choose_many(geo, geo_codes, default_geo) or default_geo
    sub = opts[opts["geo_code"].isin(geos)]
    keys = sub.groupby("key")["n_rows"].sum().sort_values(ascending=False)
    all_key = [k for k in keys.index if k.split("|")[1:3] == ["all", "all"]]
    key = choose_exact(series, list(keys.index), all_key[0] if all_key else (keys.index[0] if len(keys) else None))
    ptypes = list(dict.fromkeys(sub[sub["key"] == key]["period_type"])) if key else []
    ptype = choose_one(ptype, ptypes, "year" if "year" in ptypes else (ptypes[0] if ptypes else None))
    years = sub[(sub["key"] == key) & (sub["period_type"] == ptype)]
    lo = int(years["first_year"].min()) if len(years) else None
    hi = int(years["last_year"].max()) if len(years) else None
    y_from = choose_one(start, [str(y) for y in range(lo, hi + 1)], str(lo)) if lo is not None else None
    y_to = choose_one(end, [str(y) for y in range(lo, hi + 1)], str(hi)) if hi is not None else None
    swapped = bool(y_from and y_to and int(y_from) > int(y_to))
    if swapped:
        y_from, y_to = y_to, y_from
    return {"indicators": indicators, "indicator": indicator, "options": opts, "geos": geos, "geo_codes": geo_codes,
            "keys": list(keys.index), "series": key, "ptypes": ptypes, "ptype": ptype, "min_year": lo,
            "max_year": hi, "start": int(y_from) if y_from else None, "end": int(y_to) if y_to else None,
            "view": indicators["view"].iloc[0] if len(indicators) else "observations", "swapped": swapped}


def explorer_rows(state: dict) -> pd.DataFrame:
    if not state["indicator"] or not state["series"]:
        return pd.DataFrame(columns=EXPLORER_COLUMNS)
    sid, sex, age, breakdown = state["series"].split("|", 3)
    return queries.series_rows(state["indicator"], state["geos"], state["ptype"], sid, sex, age, breakdown,
                               state["start"], state["end"])


EXPLORER_TABLE = ["geo_label", "period", "value", "value_low", "value_high", "qualifier", "is_provisional",
                  "is_suppressed", "rate_per_100k", "unit"]


def explorer_output(state: dict, lang: str, show_events: bool):
    names = queries.names()
    rows = explorer_rows(state)
    if not rows.empty:
        rows = rows.assign(geo_label=[geo_label(c, names, lang) for c in rows["geo_code"]])
    ind_row = state["indicators"][state["indicators"]["indicator_id"] == state["indicator"]]
    ind_name = indicator_label(ind_row.iloc[0].to_dict(), lang) if len(ind_row) else ""
    unit = str(ind_row["unit"].iloc[0]) if len(ind_row) else ""
    meta_threshold = rows["suppress_below"].max() if "suppress_below" in rows else None
    data = prepare(rows, series_col="geo_code", label_fn=lambda r: r["geo_label"], unit_label=unit_label(unit, lang))
    events = relevant_events(safe_events(), state["geos"]) if show_events else None
    title = ind_name + (f" · {series_key_label(state['series'], lang, names)}" if state["series"] else "")
    fig = series_figure(data, lang=lang, title=title, y_title=unit_label(unit, lang), events=events,
                        suppress_below=meta_threshold if meta_threshold is not None else _threshold(state),
                        height=500)
    shown = rows.assign(period=[p for p in prepare(rows, series_col="geo_code", label_fn=lambda r: "")["period"]]
                        if not rows.empty else [])
    headers = [(c, column_label(c, lang)) for c in EXPLORER_TABLE]
    tbl = html.Div([html.P(t("ex.rows_shown", lang, n=len(rows), m=min(len(rows), 500)), className="tv-hint"),
                    frame_table(shown.sort_values(["geo_code", "period_start"]) if not shown.empty else shown,
                               headers, "explorer-table", lang)])
    notes = [html.P(t("ex.fallback", lang), className="tv-hint tv-not-published", id="explorer-fallback")] \
        if state["view"] != "indicator_series" else []
    if not rows.empty and rows["is_suppressed"].fillna(False).any():
        notes.append(html.P(t("suppressed_note", lang), className="tv-hint"))
    sources = source_note(rows, None if not rows.empty else [], lang=lang)
    with_caption(fig, text_of(sources), None, lang)  # a saved PNG still names its source and date
    return fig, sources, tbl, notes


def _threshold(state: dict):
    try:
        return queries.indicator_metadata(state["indicator"]).get("suppress_below") if state["indicator"] else None
    except queries.WarehouseUnavailable:
        return None


def explorer_controls(state: dict, lang: str, names: dict) -> dict:
    """Options of the Explorer controls that depend on the chosen indicator (layout and callback)."""
    years = list(range(state["min_year"], state["max_year"] + 1)) if state["min_year"] is not None else []
    return {
        "geo_options": [{"label": geo_label(g, names, lang),
                         "value": g} for g in state["geo_codes"]],
        "series_options": [{"label": series_key_label(k, lang, names), "value": k} for k in state["keys"]],
        "ptype_options": [{"label": i18n.period_type(p, lang), "value": p} for p in state["ptypes"]],
        "year_options": [{"label": str(y), "value": y} for y in years],
        # To is never before From: the years outside the range are offered but disabled
        "from_options": [{"label": str(y), "value": y, "disabled": state["end"] is not None and y > state["end"]}
                         for y in years],
        "to_options": [{"label": str(y), "value": y, "disabled": state["start"] is not None and y < state["start"]}
                       for y in years],
    }


EXPLORER_COLUMNS = ["indicator_id", "geo_code", "geo_name", "period_type", "period_start", "period_end", "year",
                    "substance_id", "sex", "age_group", "breakdown", "value", "value_low", "value_high", "qualifier",
                    "is_provisional", "is_suppressed", "unit", "rate_per_100k", "rate_low", "rate_high",
                    "index_value", "vintage", "source_id", "source_file", "source_row"]


def metadata_lines(rows: pd.DataFrame, meta: dict, params: dict, lang: str) -> list[str]:
    """The lines an explorer CSV starts with (as `# ` comments): definition, unit, source, citation,
    licence, vintage, suppression rule, the selection and where the rows come from, labelled in the
    page language. Texts the catalogue holds only in English (the definition, the rule's description)
    are quoted as the source wrote them rather than half translated."""
    name = meta.get(f"name_{lang}") or meta.get("name_en") or meta.get("indicator_id") or params.get("indicator")
    definition = meta.get("definition_en") or meta.get("definition")
    definition = t("csvmeta.as_written", lang, text=f"«{definition}»" if lang == "nb" else definition) \
        if definition else t("csvmeta.no_definition", lang)
    rule = meta.get("suppression_rule")
    below = None if _missing(meta.get("suppress_below")) else int(meta["suppress_below"])
    described = meta.get("suppression_rule_description")
    if described and lang != "nb":
        rule = f"{rule}: {described}" if rule else described
    elif below is not None:
        rule = f"{rule}: {t('csvmeta.suppress_below', lang, n=below)}" if rule else t("csvmeta.suppress_below", lang,
                                                                                         n=below)
    srcs = meta.get("sources") or []
    view = rows["view"].iloc[0] if "view" in rows and len(rows) else ""
    lines = [
        (t("csvmeta.export", lang), name),
        (t("csvmeta.indicator", lang), meta.get("indicator_id") or params.get("indicator")),
        (t("csvmeta.definition", lang), definition),
        (t("csvmeta.unit", lang), unit_label(meta.get("unit"), lang) if meta.get("unit") else ""),
        (t("csvmeta.source", lang), "; ".join(f"{s.get('publisher')}: {s.get('title')}" for s in srcs)),
        (t("csvmeta.citation", lang), "; ".join(str(s.get("citation") or "") for s in srcs)),
        (t("csvmeta.licence", lang), "; ".join(str(s.get("licence") or "") for s in srcs)),
        (t("csvmeta.url", lang), "; ".join(str(s.get("url") or "") for s in srcs)),
        (t("csvmeta.vintage", lang), meta.get("vintage") or ""),
        (t("csvmeta.suppression", lang), rule or t("csvmeta.none", lang)),
        (t("csvmeta.selection", lang), share_link(PATH, params)[0]),  # the address that reopens this view
        (None, t("csvmeta.lineage", lang, meta=meta.get("catalogue", ""), rows=f"publish.{view}")),
        (t("csvmeta.exported", lang), f"{datetime.now():%Y-%m-%d %H:%M}"),
    ]
    return [(f"{label}: {value}" if label else str(value)).replace("\n", " ") for label, value in lines]


def register(app) -> None:
    @app.callback(
        Output("explorer-geo", "options"),
        Output("explorer-geo", "value"),
        Output("explorer-series", "options"),
        Output("explorer-series", "value"),
        Output("explorer-ptype", "options"),
        Output("explorer-ptype", "value"),
        Output("explorer-from", "options"),
        Output("explorer-from", "value"),
        Output("explorer-to", "options"),
        Output("explorer-to", "value"),
        Output("explorer-years-note", "children"),
        Input("explorer-indicator", "value"),
        Input("explorer-from", "value"),
        Input("explorer-to", "value"),
        State("explorer-geo", "value"),
        State("explorer-series", "value"),
        State("explorer-ptype", "value"),
        State("explorer-lang", "data"),
        prevent_initial_call=True,
    )
    def update_explorer_controls(indicator, start, end, geos, series, ptype, lang):
        """A new indicator offers its places, series and years; a From after To is swapped (and said),
        and each year list disables the years that would make the range empty."""
        lang = i18n.lang_of(lang)
        try:
            state = explorer_state(indicator, geos or [], series, ptype, start, end)
            c = explorer_controls(state, lang, queries.names())
        except queries.WarehouseUnavailable:
            return (no_update,) * 11
        return (c["geo_options"], state["geos"], c["series_options"], state["series"], c["ptype_options"],
                state["ptype"], c["from_options"], state["start"], c["to_options"], state["end"],
                years_note(state, lang))

    @app.callback(
        Output("explorer-graph", "figure"),
        Output("explorer-source", "children"),
        Output("explorer-table-box", "children"),
        Output("explorer-notes", "children"),
        Output("explorer-share-link", "href"),
        Output("explorer-share-link", "children"),
        Input("explorer-indicator", "value"),
        Input("explorer-geo", "value"),
        Input("explorer-series", "value"),
        Input("explorer-ptype", "value"),
        Input("explorer-from", "value"),
        Input("explorer-to", "value"),
        Input("explorer-events", "value"),
        Input("explorer-tabs", "value"),
        State("explorer-lang", "data"),
        prevent_initial_call=True,
    )
    def update_explorer(indicator, geos, series, ptype, start, end, events, tab, lang):
        lang = i18n.lang_of(lang)
        show = events_on(events)
        try:
            state = explorer_state(indicator, geos or [], series, ptype, start, end)
            fig, sources, tbl, notes = explorer_output(state, lang, show)
        except queries.WarehouseUnavailable as exc:
            return unavailable_figure(exc, lang), unavailable_notice(exc, lang), "", "", no_update, no_update
        href, text = share_link(PATH, {**view_params(state, show, tab), "lang": lang})
        return fig, sources, tbl, notes, href, text

    @app.callback(
        Output("explorer-download", "data"),
        Input("explorer-download-button", "n_clicks"),
        State("explorer-indicator", "value"),
        State("explorer-geo", "value"),
        State("explorer-series", "value"),
        State("explorer-ptype", "value"),
        State("explorer-from", "value"),
        State("explorer-to", "value"),
        State("explorer-lang", "data"),
        prevent_initial_call=True,
    )
    def download_explorer(n_clicks, indicator, geos, series, ptype, start, end, lang):
        if not n_clicks:
            return no_update
        lang = i18n.lang_of(lang)
        state = explorer_state(indicator, geos or [], series, ptype, start, end)
        rows = explorer_rows(state)
        meta = queries.indicator_metadata(state["indicator"]) if state["indicator"] else {}
        # the metadata comment lines stay; the rows go through the shared planner-wording writer
        preamble = metadata_lines(rows, meta, {**view_params(state, True), "lang": lang}, lang)
        return csv_download(rows[[c for c in EXPLORER_COLUMNS if c in rows.columns]], lang, "explorer", preamble)
