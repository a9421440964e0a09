"""View models and figures of Substances, Overdoses, Explorer and Overview (frames in, figures out).

No SQL here: callers pass frames from dash_app.queries.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dash_app.components.theme import base_layout
from dash_app.figures_series import (
    add_events,
    add_legend_keys,
    add_signals,
    draw_series,
    fmt_num,
    prepare,
    series_figure,
)
from dash_app.i18n import t

MEASURES = ("count", "rate", "index")
NON_ADDITIVE = ("percent", "per_100k", "direction")


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

def geo_label(code: str, names: dict | None = None) -> str:
    """A place's published name; else a readable form of its code (state_usa_ct -> USA: CT)."""
    names = names or {}
    if code in names.get("geo", {}):
        return str(names["geo"][code])
    parts = str(code).split("_")
    if parts[0] == "nation" and len(parts) == 2:
        return parts[1].upper()
    if parts[0] in ("state", "city") and len(parts) >= 3:
        return f"{parts[1].upper()}: {' '.join(parts[2:]).upper() if parts[0] == 'state' else ' '.join(parts[2:]).title()}"
    if parts[0] == "ambulancearea":
        return " ".join(parts[2:]).replace("helse", "Helse").title() + " (ambulance)"
    return str(code)


def substance_label(sid: str, lang: str, names: dict | None = None, row: dict | None = None) -> str:
    if row is not None:
        for key in (f"substance_name_{lang}", "substance_name_en"):
            value = row.get(key)
            if isinstance(value, str) and value:
                return value
    names = names or {}
    for key in (f"substance_{lang}", "substance_en"):
        if sid in names.get(key, {}):
            return names[key][sid]
    return "Alle" if sid == "all" and lang == "nb" else ("All" if sid == "all" else str(sid).replace("_", " ").capitalize())


def indicator_label(row: dict, lang: str) -> str:
    for key in (f"indicator_name_{lang}", "indicator_name_en", f"name_{lang}", "name_en"):
        value = row.get(key)
        if isinstance(value, str) and value:
            return value
    return str(row.get("indicator_id", ""))


# --------------------------------------------------------------------------------------------
# Substances: deaths by substance group for a place, as counts, rates or an index
# --------------------------------------------------------------------------------------------

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
    rate_per_100k of the counts (only in publish.indicator_series); index: counts if any, else rates."""
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
        return (richest(counted) if not counted.empty else richest(per_100k)), "value", None
    if counted.empty:
        return richest(per_100k), "value", None
    return richest(counted), "value", None


def index_to_base(frame: pd.DataFrame, value_col: str, base_year: int | None) -> tuple[pd.DataFrame, int | None]:
    """Each substance's values divided by its value in the base year (first common year by default), × 100."""
    if frame.empty:
        return frame.assign(index=pd.Series(dtype=float)), base_year
    years = frame.groupby("substance_id")["year"].apply(set)
    common = sorted(set.intersection(*years.tolist())) if len(years) else []
    if base_year is None or base_year not in common:
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


def substances_figure(deaths: pd.DataFrame, substances: list[str], measure: str, *, lang: str, geo_name: str,
                      names: dict, signals: pd.DataFrame | None = None, events=None,
                      base_year: int | None = None, suppress_below=None) -> tuple[go.Figure, dict]:
    """Deaths by substance (top) and trend-panel signals (bottom) on one time axis."""
    from dash_app.figures import empty_figure

    rows, col, note = substances_for_measure(deaths, measure)
    rows = rows[rows["substance_id"].isin(substances)] if not rows.empty else rows
    info = {"note": note, "indicator_id": None, "base_year": None, "rows": rows}
    if measure == "index" and not rows.empty:
        rows, base_year = index_to_base(rows, col, base_year)
        info["base_year"] = base_year
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
    order = {s: i for i, s in enumerate(substances)}
    rows = rows.assign(_o=rows["substance_id"].map(order)).sort_values(["_o", "period_start"]) if not rows.empty else rows
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
                        subplot_titles=([title, t("subs.signals", lang) + ": " + ", ".join(
                            dict.fromkeys(signals["geo_name"].astype(str)))] if has_signals else None))
    keys = draw_series(fig, data, lang=lang, suppress_below=suppress_below, row=1, col=1) if not data.empty else set()
    add_legend_keys(fig, keys, lang)
    lanes = add_signals(fig, signals, lang=lang, row=2) if has_signals else []
    xs = list(data["x"]) + ([pd.Timestamp(v) for v in signals["period_start"]] +
                            [pd.Timestamp(v) for v in signals["period_end"]] if has_signals else [])
    x_range = [min(xs) - pd.Timedelta(days=200), max(xs) + pd.Timedelta(days=200)]
    add_events(fig, events, lang, x_range)
    fig.update_xaxes(type="date", range=x_range)
    fig.update_yaxes(title_text=y_title, rangemode="tozero", row=1, col=1)
    if data.empty:
        fig.add_annotation(text=t(note, lang) if note else t("no_data", lang), xref="x domain", yref="y domain",
                           x=0.5, y=0.5, showarrow=False, font=dict(size=14, color="#444"))
    fig.update_layout(**base_layout(
        title=dict(text=title if not has_signals else None), height=620 if has_signals else 480,
        hovermode="closest", margin=dict(l=60, r=20, t=110, b=40),
    ))
    fig.update_yaxes(automargin=True)
    return fig, info


# --------------------------------------------------------------------------------------------
# Overdoses (publish.overdose)
# --------------------------------------------------------------------------------------------

OVERDOSE_MODES = ("counts", "rates", "ratio")


def overdose_figure(frame: pd.DataFrame, mode: str, *, lang: str, names: dict, events=None) -> go.Figure:
    """Deaths (top) against ambulance callouts (bottom) per place; or the callouts-per-death ratio."""
    from dash_app.figures import empty_figure

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


# --------------------------------------------------------------------------------------------
# Overview cards
# --------------------------------------------------------------------------------------------

def card_numbers(rows: pd.DataFrame) -> dict | None:
    """Latest value, its period and the change from the previous period of one series."""
    if rows.empty:
        return None
    rows = rows.sort_values("period_start")
    counts = rows["breakdown"].fillna("all").value_counts()
    rows = rows[rows["breakdown"].fillna("all") == ("all" if "all" in counts.index else counts.index[0])]
    if "all" in set(rows["substance_id"]):
        rows = rows[rows["substance_id"] == "all"]
    elif rows["substance_id"].nunique() > 1 and str(rows["unit"].iloc[0]) not in NON_ADDITIVE:
        # e.g. litres by beverage group: the card shows the total of the groups per period
        first = rows.iloc[0]
        rows = (rows.groupby(["period_start", "period_end", "period_type"], as_index=False)
                .agg(value=("value", lambda v: v.sum(min_count=len(v))), is_provisional=("is_provisional", "max"),
                     is_suppressed=("is_suppressed", "max"))
                .assign(unit=first["unit"], qualifier="exact", value_low=None, value_high=None,
                        source_id=first["source_id"], substance_id="all", breakdown=first["breakdown"])
                .sort_values("period_start"))
    last = rows.iloc[-1]
    prev = rows.iloc[-2] if len(rows) > 1 else None
    value = last["value"]
    text = fmt_num(value)
    q = str(last.get("qualifier") or "")
    if pd.isna(value):
        if last.get("is_suppressed"):
            text = "✱"
        elif q == "below":
            text = f"< {fmt_num(last['value_high'])}"
        elif q == "above":
            text = f"> {fmt_num(last['value_low'])}"
        elif q == "range":
            text = f"{fmt_num(last['value_low'])}–{fmt_num(last['value_high'])}"
    change = None
    if prev is not None and pd.notna(value) and pd.notna(prev["value"]) and prev["value"]:
        change = (float(value) - float(prev["value"])) / abs(float(prev["value"])) * 100
    from dash_app.figures_series import period_label
    return {"value": text, "unit": last["unit"], "period": period_label(last.to_dict()),
            "previous_period": None if prev is None else period_label(prev.to_dict()), "change_pct": change,
            "provisional": bool(last.get("is_provisional")), "source_id": last["source_id"],
            "substance_id": last["substance_id"], "breakdown": last["breakdown"]}
