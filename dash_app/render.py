"""What a view shows for a given state: queries + figures, shared by page layouts and callbacks.

Every function takes already-validated state (values chosen among those the marts offer) and
returns plain values (figures, components); WarehouseUnavailable propagates to the caller.
"""
from __future__ import annotations

import pandas as pd
from dash import html

from dash_app import figures_pages as fp
from dash_app import queries
from dash_app.components import source_note
from dash_app.components.page import safe_events
from dash_app.figures_series import prepare, relevant_events, series_figure
from dash_app.i18n import t, unit_label
from dash_app.panels import EXPLORER_COLUMNS, table
from dash_app.state import choose_many, choose_one

DEFAULT_SUBSTANCES = ("heroin", "psychostimulants", "cocaine", "opioids")
DEFAULT_PANEL = "municip_nor4601"


# --------------------------------------------------------------------------------------------
# Substances
# --------------------------------------------------------------------------------------------

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
    measure = choose_one(measure, fp.MEASURES, "rate" if has_rate else "count")
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
    geo_name = fp.geo_label(state["geo"], names)
    fig, info = fp.substances_figure(state["deaths"], state["substances"], state["measure"], lang=lang,
                                     geo_name=geo_name, names=names, signals=signals, events=events,
                                     base_year=state["base"])
    rows = info["rows"]
    sources = source_note(pd.concat([rows, signals], ignore_index=True) if not rows.empty else signals,
                          None if (not rows.empty or not signals.empty) else ["cdc_wonder"], lang=lang)
    note = t(info["note"], lang) if info["note"] else ""
    return fig, sources, note, info


def substance_options(state: dict, lang: str) -> list[dict]:
    return [{"label": " " + fp.substance_label(s, lang, state["names"],
                                               state["deaths"][state["deaths"]["substance_id"] == s].iloc[0].to_dict()),
             "value": s} for s in state["available"]]


# --------------------------------------------------------------------------------------------
# Overdoses
# --------------------------------------------------------------------------------------------

def overdose_state(geos=None, mode=None) -> dict:
    places = queries.overdose_geographies()
    default = places[places["n_callouts"] > 0]["geo_code"].tolist()[:3] or places["geo_code"].tolist()[:3]
    if "municip_nor4601" in set(places["geo_code"]) and "municip_nor4601" not in default:
        default = ["municip_nor4601", *default][:3]
    chosen = choose_many(geos, places["geo_code"], default) or default
    return {"places": places, "geos": chosen, "mode": choose_one(mode, fp.OVERDOSE_MODES, "counts")}


OVERDOSE_TABLE = [("geo_name", "Place"), ("year", "Year"), ("deaths", "Deaths"), ("deaths_qualifier", "Qualifier"),
                  ("deaths_low", "Low"), ("deaths_high", "High"), ("death_rate_per_100k", "Deaths per 100k"),
                  ("callouts", "Callouts"), ("callout_rate_per_100k", "Callouts per 100k"),
                  ("callouts_per_death", "Callouts per death"), ("is_suppressed", "Suppressed")]


def overdose_output(state: dict, lang: str, show_events: bool):
    names = queries.names()
    frame = queries.overdose(state["geos"])
    events = relevant_events(safe_events(), state["geos"]) if show_events else None
    fig = fp.overdose_figure(frame, state["mode"], lang=lang, names=names, events=events)
    ids = [c for c in ("deaths_source_id", "callouts_source_id") if c in frame]
    src_ids = list(dict.fromkeys(s for c in ids for s in frame[c].dropna().astype(str)))
    return fig, source_note(None, src_ids or None, lang=lang), table(frame, OVERDOSE_TABLE, "overdose-table", lang=lang)


# --------------------------------------------------------------------------------------------
# Explorer
# --------------------------------------------------------------------------------------------

def series_key(row) -> str:
    return "|".join(str(row[c]) for c in ("substance_id", "sex", "age_group", "breakdown"))


def series_key_label(key: str, lang: str, names: dict) -> str:
    sid, sex, age, breakdown = (key.split("|") + ["", "", "", ""])[:4]
    parts = [fp.substance_label(sid, lang, names)]
    if sex != "all":
        parts.append({"male": "menn" if lang == "nb" else "men", "female": "kvinner" if lang == "nb" else "women"}
                     .get(sex, sex))
    if age != "all":
        parts.append(age)
    if breakdown not in ("all", "None", ""):
        parts.append(breakdown)
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
    key = choose_one(series, list(keys.index), all_key[0] if all_key else (keys.index[0] if len(keys) else None))
    ptypes = list(dict.fromkeys(sub[sub["key"] == key]["period_type"])) if key else []
    ptype = choose_one(ptype, ptypes, "year" if "year" in ptypes else (ptypes[0] if ptypes else None))
    years = sub[(sub["key"] == key) & (sub["period_type"] == ptype)]
    lo = int(years["first_year"].min()) if len(years) else None
    hi = int(years["last_year"].max()) if len(years) else None
    y_from = choose_one(start, [str(y) for y in range(lo, hi + 1)], str(lo)) if lo is not None else None
    y_to = choose_one(end, [str(y) for y in range(lo, hi + 1)], str(hi)) if hi is not None else None
    if y_from and y_to and int(y_from) > int(y_to):
        y_from, y_to = y_to, y_from
    return {"indicators": indicators, "indicator": indicator, "options": opts, "geos": geos, "geo_codes": geo_codes,
            "keys": list(keys.index), "series": key, "ptypes": ptypes, "ptype": ptype, "min_year": lo,
            "max_year": hi, "start": int(y_from) if y_from else None, "end": int(y_to) if y_to else None,
            "view": indicators["view"].iloc[0] if len(indicators) else "observations"}


def explorer_rows(state: dict) -> pd.DataFrame:
    if not state["indicator"] or not state["series"]:
        return pd.DataFrame(columns=EXPLORER_COLUMNS)
    sid, sex, age, breakdown = state["series"].split("|", 3)
    return queries.series_rows(state["indicator"], state["geos"], state["ptype"], sid, sex, age, breakdown,
                               state["start"], state["end"])


EXPLORER_TABLE = [("geo_label", "geo"), ("period", "period"), ("value", "value"), ("value_low", "low"),
                  ("value_high", "high"), ("qualifier", "qualifier"), ("is_provisional", "provisional"),
                  ("is_suppressed", "suppressed"), ("rate_per_100k", "per 100k"), ("unit", "unit"),
                  ("source_file", "source file"), ("source_row", "row")]


def explorer_output(state: dict, lang: str, show_events: bool):
    names = queries.names()
    rows = explorer_rows(state)
    if not rows.empty:
        rows = rows.assign(geo_label=[g if isinstance(g, str) and g else fp.geo_label(c, names)
                                      for g, c in zip(rows["geo_name"], rows["geo_code"])])
    ind_row = state["indicators"][state["indicators"]["indicator_id"] == state["indicator"]]
    ind_name = fp.indicator_label(ind_row.iloc[0].to_dict(), lang) if len(ind_row) else ""
    unit = str(ind_row["unit"].iloc[0]) if len(ind_row) else ""
    meta_threshold = rows["suppress_below"].max() if "suppress_below" in rows else None
    data = prepare(rows, series_col="geo_code", label_fn=lambda r: r["geo_label"], unit_label=unit_label(unit, lang))
    events = relevant_events(safe_events(), state["geos"]) if show_events else None
    title = ind_name + (f" · {series_key_label(state['series'], lang, names)}" if state["series"] else "")
    fig = series_figure(data, lang=lang, title=title, y_title=unit.replace("_", " "), events=events,
                        suppress_below=meta_threshold if meta_threshold is not None else _threshold(state),
                        height=500)
    shown = rows.assign(period=[p for p in prepare(rows, series_col="geo_code", label_fn=lambda r: "")["period"]]
                        if not rows.empty else [])
    headers = [(c, t({"geo": "place", "period": "period", "value": "value", "unit": "unit"}.get(h, "x"), lang)
                if h in ("geo", "period", "value", "unit") else h) for c, h in EXPLORER_TABLE]
    tbl = html.Div([html.P(t("ex.rows_shown", lang, n=len(rows), m=min(len(rows), 500)), className="tv-hint"),
                    table(shown.sort_values(["geo_code", "period_start"]) if not shown.empty else shown, headers,
                          "explorer-table", lang=lang)])
    notes = [html.P(t("ex.fallback", lang), className="tv-hint tv-not-published", id="explorer-fallback")] \
        if state["view"] != "indicator_series" else []
    if not rows.empty and rows["is_suppressed"].fillna(False).any():
        notes.append(html.P(t("suppressed_note", lang), className="tv-hint"))
    return fig, source_note(rows, None if not rows.empty else [], lang=lang), tbl, notes


def _threshold(state: dict):
    try:
        return queries.indicator_metadata(state["indicator"]).get("suppress_below") if state["indicator"] else None
    except queries.WarehouseUnavailable:
        return None


# --------------------------------------------------------------------------------------------
# Data quality
# --------------------------------------------------------------------------------------------

LOAD_COLUMNS = ["source_id", "source_file", "status", "vintage", "last_load_id", "load_id", "rows_loaded",
                "started_at", "finished_at", "last_loaded_at", "last_seen", "sha256", "message"]
REJECTION_COLUMNS = ["source_id", "source_file", "source_row", "source_column", "value", "check_name", "reason",
                     "recorded_at", "message", "status"]
CHECK_COLUMNS = ["layer", "check_name", "target", "severity", "status", "failures", "details", "recorded_at"]


def _filter_source(frame, source):
    if source and source != "all" and "source_id" in frame.columns:
        return frame[frame["source_id"] == source]
    if source and source != "all" and not frame.empty:  # checks name their target, not always a source id
        text = frame.apply(lambda r: " ".join(str(v) for v in r.values), axis=1)
        return frame[text.str.contains(source, regex=False)]
    return frame


STATUS_ORDER = {"red": 0, "amber": 1, "green": 2}


def source_status_list(loads: pd.DataFrame, lang: str):
    """One line per source with its traffic light (publish.load_status.source_status) and, for an
    amber or red one, the reason: red first, so a source left on an old vintage is seen."""
    if loads.empty or "source_status" not in loads:
        return html.P(t("dq.no_status", lang), id="quality-status")
    per_source = (loads.drop_duplicates("source_id")
                  .assign(order=lambda f: f["source_status"].map(STATUS_ORDER))
                  .sort_values(["order", "source_id"]))
    items = []
    for r in per_source.itertuples():
        label = r.source_label if isinstance(r.source_label, str) else r.source_id
        reason = r.source_status_reason if isinstance(r.source_status_reason, str) else ""
        items.append(html.Li([
            html.Span(t(f"dq.status_{r.source_status}", lang), className=f"tv-light tv-light-{r.source_status}"),
            " ", html.Strong(label), html.Span(f" – {reason}" if reason else "", className="tv-muted"),
        ], **{"data-source": r.source_id, "data-status": r.source_status}))
    return html.Ul(items, id="quality-status", className="tv-status-list")


def quality_sections(source: str | None, lang: str):
    """Three sections (last loads, rejections, failing checks); each says so if its view is not published."""
    from dash_app.components import unavailable_notice
    from dash_app.panels import freshness

    out = []
    now = pd.Timestamp.now()
    try:
        out.append(html.Section([html.H2(t("dq.status", lang)), source_status_list(
            _filter_source(queries.load_status(), source), lang)], className="tv-card"))
    except queries.NotYetPublished as exc:
        out.append(html.Section([html.H2(t("dq.status", lang)), unavailable_notice(exc, lang)], className="tv-card"))
    try:
        loads = _filter_source(queries.load_status(), source)
        fresh = freshness(loads)
        if "source_id" in loads:
            loads = loads.assign(freshness=[
                "" if s not in fresh else t("days_ago", lang, d=max(0, (now - fresh[s]).days)) for s in loads["source_id"]])
        body = table(loads, [(c, c.replace("_", " ")) for c in [*LOAD_COLUMNS, "freshness"]] +
                     [(c, c.replace("_", " ")) for c in loads.columns if c not in LOAD_COLUMNS + ["freshness"]][:4],
                     "quality-loads", lang=lang)
    except queries.NotYetPublished as exc:
        body = unavailable_notice(exc, lang)
    out.append(html.Section([html.H2(t("dq.loads", lang)), body], className="tv-card"))
    try:
        rej = _filter_source(queries.rejections(), source)
        body = table(rej, [(c, c.replace("_", " ")) for c in REJECTION_COLUMNS], "quality-rejections", lang=lang) \
            if len(rej) else html.P(t("dq.none_rejected", lang), id="quality-rejections", className="tv-ok")
    except queries.NotYetPublished as exc:
        body = unavailable_notice(exc, lang)
    out.append(html.Section([html.H2(t("dq.rejections", lang)), body], className="tv-card"))
    try:
        checks = queries.quality_results()
        if "status" in checks:
            checks = checks[checks["status"].astype(str) != "pass"]
        checks = _filter_source(checks, source)
        body = table(checks, [(c, c.replace("_", " ")) for c in CHECK_COLUMNS], "quality-checks", lang=lang,
                     row_class=lambda r: "tv-row-flag" if str(getattr(r, "status", "")) in ("fail", "error") else None) \
            if len(checks) else html.P(t("dq.none_failing", lang), id="quality-checks", className="tv-ok")
    except queries.NotYetPublished as exc:
        body = unavailable_notice(exc, lang)
    out.append(html.Section([html.H2(t("dq.checks", lang)), body], className="tv-card"))
    return out


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------

SOURCE_SORTS = ("source_id", "first_period", "n_observations")


def sources_output(sort: str, lang: str):
    import plotly.graph_objects as go

    from dash_app.components.theme import SERIES_COLOURS, base_layout

    cov = queries.source_coverage()
    ascending = sort != "n_observations"
    cov = cov.sort_values(sort, ascending=ascending, na_position="last").reset_index(drop=True)
    dated = cov[cov["first_period"].notna()]
    fig = go.Figure()
    for i, r in enumerate(dated.itertuples()):
        fig.add_trace(go.Scatter(
            x=[r.first_period, r.last_period], y=[r.source_id, r.source_id], mode="lines+markers",
            line=dict(color=SERIES_COLOURS[i % len(SERIES_COLOURS)], width=10),
            marker=dict(symbol=["line-ns", "line-ns"], size=14, line=dict(width=2)), showlegend=False,
            hovertext=f"<b>{r.source_id}</b><br>{r.publisher}<br>{pd.Timestamp(r.first_period):%Y-%m-%d} – "
                      f"{pd.Timestamp(r.last_period):%Y-%m-%d}<br>{int(r.n_observations):,} obs.".replace(",", " "),
            hoverinfo="text", name=r.source_id))
    fig.update_layout(**base_layout(
        title=dict(text=t("src.coverage", lang)), height=120 + 34 * max(1, len(dated)),
        margin=dict(l=150, r=20, t=60, b=40), xaxis=dict(type="date"),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(dated["source_id"].tolist())))))
    cov = cov.assign(coverage=[
        "" if pd.isna(a) else f"{pd.Timestamp(a):%Y-%m-%d} – {pd.Timestamp(b):%Y-%m-%d}"
        for a, b in zip(cov["first_period"], cov["last_period"])])
    cols = [("source_id", "id"), ("publisher", t("src.publisher", lang)), ("title", "title"),
            ("citation", t("src.citation", lang)), ("licence", t("src.licence", lang)),
            ("coverage", t("src.coverage", lang)), ("n_observations", t("src.n", lang)),
            ("n_indicators", t("src.indicators", lang)), ("url", "url")]
    return fig, table(cov, cols, "sources-table", lang=lang)


# --------------------------------------------------------------------------------------------
# Alcohol and Explorer controls
# --------------------------------------------------------------------------------------------

def alcohol_render(geo_code: str | None, measure: str | None, lang: str, show_events: bool):
    """(figure, source note, measures offered, chosen measure) for one place."""
    from dash_app import figures

    sales = queries.alcohol_sales(geo_code)
    offered = figures.alcohol_measures(sales)
    measure = choose_one(measure, offered, "litres")
    events = relevant_events(safe_events(), [geo_code]) if show_events else None
    fig = figures.alcohol_figure(sales, measure, lang, events)
    return fig, source_note(sales, ["report_figures"] if sales.empty else None, lang=lang), offered, measure


def alcohol_measure_options(offered, lang: str) -> list[dict]:
    from dash_app import figures

    return [{"label": " " + t(figures.ALCOHOL_COLUMNS[m][1], lang), "value": m} for m in offered]


def explorer_controls(state: dict, lang: str, names: dict) -> dict:
    """Options of the Explorer controls that depend on the chosen indicator (layout and callback)."""
    geo_names = dict(zip(state["options"]["geo_code"], state["options"]["geo_name"]))
    years = list(range(state["min_year"], state["max_year"] + 1)) if state["min_year"] is not None else []
    return {
        "geo_options": [{"label": geo_names.get(g) if isinstance(geo_names.get(g), str) else fp.geo_label(g, names),
                         "value": g} for g in state["geo_codes"]],
        "series_options": [{"label": series_key_label(k, lang, names), "value": k} for k in state["keys"]],
        "ptype_options": [{"label": p.replace("_", " "), "value": p} for p in state["ptypes"]],
        "year_options": [{"label": str(y), "value": y} for y in years],
    }
