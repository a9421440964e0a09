"""Time-series figures shared by Substances, Overdoses, Explorer and the Overview.

One drawing convention everywhere:

* final values: solid line and filled markers; provisional values: dotted line and open markers
  (legend entry "Provisional");
* bounds are drawn as bounds: "below N" is a bar from 0 up to N ending in a ▼ cap, "above N" an
  arrow up from N, a range a bar from low to high; never a point at the bound;
* suppressed values: a grey dotted bar from 0 up to the suppression threshold with a ✱ cap and
  the legend entry "Suppressed", never zero and never an unexplained gap;
* events from publish.events as labelled vertical lines (toggleable by the caller);
* Okabe-Ito colours plus a marker shape and dash per series, so print and colour-blind readers can
  tell the series apart.

Input frames are normalised by `prepare()` to: series, label, x, y, y_low, y_high, qualifier,
is_provisional, is_suppressed, hover.
"""
from __future__ import annotations

import re
import textwrap

import pandas as pd
import plotly.graph_objects as go

from dash_app.components.theme import base_layout, DIRECTION_COLOURS, OKABE_ITO, SERIES_COLOURS, SERIES_DASHES
from dash_app.i18n import t

SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "pentagon", "star"]
GREY = "#6b6b6b"
BOUND_QUALIFIERS = ("below", "above", "range")


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _l(values) -> list:
    """Plain list (NaN -> None): figures stay readable JSON instead of plotly's typed arrays."""
    return [None if _missing(v) else (v.isoformat() if isinstance(v, pd.Timestamp) else
                                      float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
            for v in list(values)]


def style(i: int) -> dict:
    """Colour, dash and marker symbol of the i-th series."""
    return {"colour": SERIES_COLOURS[i % len(SERIES_COLOURS)], "dash": SERIES_DASHES[i % len(SERIES_DASHES)],
            "symbol": SYMBOLS[i % len(SYMBOLS)]}


def midpoint(start, end):
    start, end = pd.Timestamp(start), pd.Timestamp(end if not _missing(end) else start)
    return start + (end - start) / 2


def fmt_num(value, digits: int = 1) -> str:
    if _missing(value):
        return "–"
    value = float(value)
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.{digits}f}"


def period_label(row) -> str:
    start, end, ptype = row.get("period_start"), row.get("period_end"), row.get("period_type")
    if _missing(start):
        return "?"
    start = pd.Timestamp(start)
    end = start if _missing(end) else pd.Timestamp(end)
    if ptype == "year" or (start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31
                           and start.year == end.year):
        return str(start.year)
    if ptype == "twelve_months_ending":
        return f"12 mnd./months → {end:%Y-%m}"
    if ptype == "month":
        return f"{start:%Y-%m}"
    if ptype == "iso_week":
        return f"{start:%G}-W{start:%V}"
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"


def prepare(frame: pd.DataFrame, *, series_col: str, label_fn, y: str = "value", low: str = "value_low",
            high: str = "value_high", unit_label: str = "") -> pd.DataFrame:
    """Normalise a publish frame to the columns the drawing functions read."""
    if frame.empty:
        return pd.DataFrame(columns=["series", "label", "x", "y", "y_low", "y_high", "qualifier",
                                     "is_provisional", "is_suppressed", "hover"])
    out = pd.DataFrame({
        "series": frame[series_col].astype(str).values,
        "label": [label_fn(r) for r in frame.to_dict("records")],
        "x": [midpoint(s, e) for s, e in zip(frame["period_start"], frame["period_end"])],
        "y": pd.to_numeric(frame[y], errors="coerce").values,
        "y_low": pd.to_numeric(frame[low], errors="coerce").values if low in frame else float("nan"),
        "y_high": pd.to_numeric(frame[high], errors="coerce").values if high in frame else float("nan"),
        "qualifier": frame["qualifier"].astype("string").fillna("exact").values if "qualifier" in frame else "exact",
        "is_provisional": (frame["is_provisional"].fillna(False).astype(bool).values
                           if "is_provisional" in frame else False),
        "is_suppressed": (frame["is_suppressed"].fillna(False).astype(bool).values
                          if "is_suppressed" in frame else False),
        "period": [period_label(r) for r in frame.to_dict("records")],
    })
    out["hover"] = [f"<b>{lab}</b><br>{per}: " for lab, per in zip(out["label"], out["period"])]
    out["unit_label"] = unit_label
    return out.sort_values(["series", "x"]).reset_index(drop=True)


def _segments(xs, lows, highs):
    sx, sy = [], []
    for x, lo, hi in zip(_l(xs), _l(lows), _l(highs)):
        sx += [x, x, None]
        sy += [lo, hi, None]
    return sx, sy


def draw_series(fig: go.Figure, data: pd.DataFrame, *, lang: str, suppress_below=None, row=None, col=None,
                legend_done: set | None = None, show_legend: bool = True, start_index: int = 0,
                ci: bool = False) -> set:
    """Add the traces of every series in `data` (see `prepare`) to `fig`; returns the legend keys drawn."""
    legend_done = set() if legend_done is None else legend_done
    where = {} if row is None else {"row": row, "col": col or 1}
    series = list(dict.fromkeys(data["series"]))
    for i, key in enumerate(series):
        st = style(start_index + i)
        part = data[data["series"] == key]
        label = str(part["label"].iloc[0])
        unit = str(part["unit_label"].iloc[0] or "")
        is_bound = part["qualifier"].isin(BOUND_QUALIFIERS)
        points = part[~is_bound & ~part["is_suppressed"] & part["y"].notna()]
        final = points[~points["is_provisional"]]
        prov = points[points["is_provisional"]]
        group = f"s-{key}"
        first_trace = True
        if not final.empty:
            err = None
            if ci and final["y_low"].notna().any():
                err = dict(type="data", array=(final["y_high"] - final["y"]).fillna(0).tolist(),
                           arrayminus=(final["y"] - final["y_low"]).fillna(0).tolist(), color=st["colour"],
                           thickness=1.2, width=3)
                legend_done.add("ci")
            fig.add_trace(go.Scatter(
                x=_l(final["x"]), y=_l(final["y"]), name=label, legendgroup=group, showlegend=show_legend, error_y=err,
                mode="lines+markers", line=dict(color=st["colour"], width=2.5, dash=st["dash"]),
                marker=dict(symbol=st["symbol"], size=7, color=st["colour"]),
                hovertext=[h + f"<b>{fmt_num(v)}</b> {unit}" for h, v in zip(final["hover"], final["y"])],
                hoverinfo="text",
            ), **where)
            first_trace = False
        if not prov.empty:
            # Join the provisional stretch to the last final point so the line does not break.
            lead = final[final["x"] < prov["x"].min()].tail(1)
            joined = pd.concat([lead, prov])
            fig.add_trace(go.Scatter(
                x=_l(joined["x"]), y=_l(joined["y"]), name=label if first_trace else f"{label} ({t('provisional', lang)})",
                legendgroup=group, showlegend=show_legend and first_trace,
                mode="lines+markers", line=dict(color=st["colour"], width=2, dash="dot"),
                marker=dict(symbol=f"{st['symbol']}-open", size=8, color=st["colour"], line=dict(width=2)),
                hovertext=[h + f"<b>{fmt_num(v)}</b> {unit} · " + t("provisional", lang).split(" (")[0].lower()
                           for h, v in zip(joined["hover"], joined["y"])],
                hoverinfo="text",
            ), **where)
            legend_done.add("provisional")
            first_trace = False
        bounds = part[is_bound & ~part["is_suppressed"]]
        for kind in BOUND_QUALIFIERS:
            b = bounds[bounds["qualifier"] == kind]
            if b.empty:
                continue
            if kind == "below":
                tops = b["y_high"].fillna(b["y"])
                sx, sy = _segments(b["x"], [0.0] * len(b), tops)
                cap_y, cap_symbol = tops, "triangle-down"
                texts = [h + f"{'under' if lang == 'nb' else 'below'} {fmt_num(v)} {unit}" for h, v in zip(b["hover"], tops)]
            elif kind == "above":
                lows = b["y_low"].fillna(b["y"])
                sx, sy = _segments(b["x"], lows, lows * 1.12)
                cap_y, cap_symbol = lows * 1.12, "triangle-up"
                texts = [h + f"{'over' if lang == 'nb' else 'above'} {fmt_num(v)} {unit}" for h, v in zip(b["hover"], lows)]
            else:
                sx, sy = _segments(b["x"], b["y_low"], b["y_high"])
                cap_y, cap_symbol = b["y_high"], "line-ew"
                texts = [h + f"{fmt_num(lo)}–{fmt_num(hi)} {unit}" for h, lo, hi in zip(b["hover"], b["y_low"], b["y_high"])]
            fig.add_trace(go.Scatter(
                x=sx, y=sy, mode="lines", line=dict(color=st["colour"], width=9), opacity=0.45,
                legendgroup=group, showlegend=show_legend and first_trace, name=label, hoverinfo="skip",
            ), **where)
            first_trace = False
            fig.add_trace(go.Scatter(
                x=_l(b["x"]), y=_l(cap_y), mode="markers", legendgroup=group, showlegend=False, name=f"{label} {kind}",
                marker=dict(symbol=cap_symbol if kind != "range" else "line-ew-open", size=14, color=st["colour"],
                            line=dict(color=st["colour"], width=3)),
                hovertext=texts, hoverinfo="text",
            ), **where)
            if kind == "range":
                fig.add_trace(go.Scatter(
                    x=_l(b["x"]), y=_l(b["y_low"]), mode="markers", legendgroup=group, showlegend=False,
                    name=f"{label} range low", hoverinfo="skip",
                    marker=dict(symbol="line-ew-open", size=14, color=st["colour"], line=dict(width=3)),
                ), **where)
            legend_done.add(f"bound_{kind}")
        supp = part[part["is_suppressed"]]
        if not supp.empty:
            top = float(suppress_below) if not _missing(suppress_below) else 0.0
            sx, sy = _segments(supp["x"], [0.0] * len(supp), [top] * len(supp))
            if top > 0:
                fig.add_trace(go.Scatter(
                    x=sx, y=sy, mode="lines", line=dict(color=GREY, width=6, dash="dot"), legendgroup=group,
                    showlegend=False, hoverinfo="skip", name=f"{label} suppressed",
                ), **where)
            hover_n = fmt_num(suppress_below) if top > 0 else "?"
            fig.add_trace(go.Scatter(
                x=_l(supp["x"]), y=[top] * len(supp), mode="markers", legendgroup="suppressed",
                name=t("suppressed", lang), showlegend=show_legend and "suppressed" not in legend_done,
                marker=dict(symbol="asterisk-open", size=12, color=GREY, line=dict(color=GREY, width=2)),
                hovertext=[h + t("suppressed_hover", lang, n=hover_n) for h in supp["hover"]], hoverinfo="text",
            ), **where)
            legend_done.add("suppressed")
    return legend_done


def add_legend_keys(fig: go.Figure, keys: set, lang: str) -> None:
    """Legend-only entries explaining provisional values and bounds (grey, no data)."""
    if "provisional" in keys:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines+markers", name=t("provisional", lang),
                                 line=dict(color=GREY, dash="dot"), marker=dict(symbol="circle-open", color=GREY,
                                                                                size=8), hoverinfo="skip"))
    for kind, symbol in (("below", "triangle-down"), ("above", "triangle-up"), ("range", "line-ew-open")):
        if f"bound_{kind}" in keys:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t(f"bound_{kind}", lang),
                                     marker=dict(symbol=symbol, color=GREY, size=12, line=dict(color=GREY, width=2)),
                                     hoverinfo="skip"))


def country_of(geo_code: str) -> str:
    parts = str(geo_code).split("_")
    return parts[1][:3] if len(parts) > 1 else ""


def relevant_events(events: pd.DataFrame | None, geo_codes) -> pd.DataFrame:
    """Events of the shown places, and national events of their countries."""
    if events is None or events.empty:
        return pd.DataFrame(columns=["event_date", "label_nb", "label_en", "geo_code"])
    geos = set(geo_codes or [])
    countries = {country_of(g) for g in geos}
    keep = [g in geos or (str(g).startswith("nation_") and country_of(g) in countries) or _missing(g)
            for g in events["geo_code"]]
    return events[keep]


def add_events(fig: go.Figure, events: pd.DataFrame | None, lang: str, x_range=None) -> None:
    """Vertical dashed lines with a short label for each event inside the x range."""
    if events is None or events.empty:
        return
    for i, ev in enumerate(events.sort_values("event_date").itertuples()):
        when = pd.Timestamp(ev.event_date)
        if x_range is not None and not (x_range[0] <= when <= x_range[1]):
            continue
        label = (ev.label_nb if lang == "nb" else ev.label_en) or ev.label_en or ev.event_id
        short = label if len(label) <= 42 else label[:40].rstrip() + "…"
        fig.add_shape(type="line", x0=when, x1=when, xref="x", yref="paper", y0=0, y1=1,
                      line=dict(color=OKABE_ITO["black"], width=1, dash="dash"), opacity=0.55)
        fig.add_annotation(x=when, y=1 - 0.0 * i, xref="x", yref="paper", text=f"{short} ({when:%Y-%m-%d})",
                           textangle=-90, xanchor="right", yanchor="top", showarrow=False,
                           font=dict(size=11, color="#333"), bgcolor="rgba(255,255,255,0.75)",
                           hovertext=f"{label} ({when:%Y-%m-%d})")


def series_figure(data: pd.DataFrame, *, lang: str, title: str, y_title: str, events=None,
                  suppress_below=None, height: int = 480, empty_message: str | None = None,
                  ci: bool = False) -> go.Figure:
    """One panel of series (see module docstring for the drawing convention)."""

    if data.empty:
        return empty_figure(empty_message or t("no_data", lang), title)
    fig = go.Figure()
    keys = draw_series(fig, data, lang=lang, suppress_below=suppress_below, ci=ci)
    add_legend_keys(fig, keys, lang)
    lo, hi = data["x"].min(), data["x"].max()
    pad = max(pd.Timedelta(days=120), (hi - lo) * 0.03)
    x_range = [lo - pad, hi + pad]
    add_events(fig, events, lang, x_range)
    fig.update_layout(**base_layout(
        title=dict(text=title), height=height, hovermode="closest",
        margin=dict(l=70, r=30, t=110, b=50),
        xaxis=dict(type="date", range=x_range, title=t("period", lang)),
        yaxis=dict(title=y_title, rangemode="tozero"),
    ))
    return fig


_DIRECTION_WORDS = {
    "nb": {2: "sterk økning", 1: "økning", 0: "stabilt", -1: "nedgang", -2: "sterk nedgang"},
    "en": {2: "strong increase", 1: "increase", 0: "stable", -1: "decrease", -2: "strong decrease"},
}


def add_signals(fig: go.Figure, signals: pd.DataFrame, *, lang: str, row: int) -> list[str]:
    """Trend-panel direction signals as arrows (▲ ▼ ◆) over their time spans, one lane per substance,
    in subplot `row`; returns the substance labels from the top lane down."""

    frame = signals.copy()
    name_col = "substance_name_nb" if lang == "nb" else "substance_name_en"
    frame["sname"] = frame[name_col].fillna(frame["substance_name_en"]).fillna(frame["substance_id"])
    frame["measure"] = frame["indicator_id"].str.removeprefix("trend_signal_")
    subs = frame.groupby("substance_id")["sname"].first().sort_values(key=lambda s: s.str.lower())
    ypos = {sid: i for i, sid in enumerate(reversed(subs.index.tolist()))}
    frame["y"] = _spread_overlaps(frame, ypos)
    frame["cls"] = ["increase" if d > 0 else "decrease" if d < 0 else "stable" for d in frame["direction"]]
    frame["mid"] = [midpoint(s, e) for s, e in zip(frame["period_start"], frame["period_end"])]
    names = {"increase": ("Økning ▲", "Increase ▲"), "decrease": ("Nedgang ▼", "Decrease ▼"),
             "stable": ("Stabilt ◆", "Stable ◆")}
    symbols = {"increase": "triangle-up", "decrease": "triangle-down", "stable": "diamond"}
    li = 0 if lang == "nb" else 1
    for cls in ("increase", "stable", "decrease"):
        part = frame[frame["cls"] == cls]
        if part.empty:
            continue
        colour = DIRECTION_COLOURS[cls]
        sx, sy = [], []
        for r in part.itertuples():
            sx += [r.period_start, r.period_end, None]
            sy += [r.y, r.y, None]
        fig.add_trace(go.Scatter(x=sx, y=sy, mode="lines", line=dict(color=colour, width=6), opacity=0.4,
                                 hoverinfo="skip", showlegend=False, legendgroup=cls, name=f"{cls} span"),
                      row=row, col=1)
        hover = []
        for r in part.itertuples():
            d = int(round(float(r.direction)))
            kind, wording = split_detail(r.detail, r.qualifier)
            hover.append(f"<b>{r.sname}</b> – {r.measure.replace('_', ' ')}<br>"
                         f"{pd.Timestamp(r.period_start):%Y-%m} – {pd.Timestamp(r.period_end):%Y-%m}"
                         + (f" ({kind})" if kind else "")
                         + f"<br>{_DIRECTION_WORDS[lang].get(d, d)} ({d:+d})<br><i>«{wording}»</i><br>{r.geo_name}")
        fig.add_trace(go.Scatter(
            x=_l(part["mid"]), y=_l(part["y"]), mode="markers", name=names[cls][li], legendgroup=cls,
            marker=dict(symbol=symbols[cls], color=colour, line=dict(color="white", width=1),
                        size=[11 + 4 * abs(float(v)) for v in part["direction"]]),
            hovertext=hover, hoverinfo="text",
        ), row=row, col=1)
    fig.update_yaxes(tickvals=list(ypos.values()), ticktext=[subs[s] for s in ypos],
                     range=[-0.6, len(ypos) - 0.4], zeroline=False, row=row, col=1)
    return [subs[s] for s in ypos]


def _fmt_int(value) -> str:
    return "?" if _missing(value) else f"{int(value):,}".replace(",", " ")


def _fmt_pct(value, digits: int = 1) -> str:
    return "–" if _missing(value) else f"{float(value):.{digits}f}%"


def wrap_label(text: str, width: int = 38, max_lines: int = 3) -> str:
    """Axis label broken into short lines (plotly <br>), cut with an ellipsis after max_lines."""
    lines = textwrap.wrap(str(text), width=width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" ,.;:") + "…"
    return "<br>".join(lines)


def empty_figure(message: str, title: str | None = None) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        **base_layout(
            title=title,
            xaxis=dict(visible=False),
            yaxis=dict(visible=False),
            height=320,
            annotations=[dict(text=message, showarrow=False, x=0.5, y=0.5, xref="paper",
                              yref="paper", font=dict(size=16, color="#444"))],
        )
    )
    return fig


def _spread_overlaps(frame: pd.DataFrame, ypos: dict) -> list[float]:
    """Row position of each signal: the substance's row, spread a little when signals of the same
    substance overlap in time (e.g. use up and availability down in the same weeks)."""
    y = pd.Series(0.0, index=frame.index)
    for sid, part in frame.groupby("substance_id"):
        part = part.sort_values(["period_start", "indicator_id"])
        lanes: list[list[tuple]] = []
        lane_of = {}
        for idx, row in part.iterrows():
            for k, lane in enumerate(lanes):
                if all(row["period_start"] > e or row["period_end"] < s for s, e in lane):
                    lane.append((row["period_start"], row["period_end"]))
                    lane_of[idx] = k
                    break
            else:
                lanes.append([(row["period_start"], row["period_end"])])
                lane_of[idx] = len(lanes) - 1
        n = len(lanes)
        for idx, k in lane_of.items():
            y[idx] = ypos[sid] + (0.0 if n == 1 else 0.25 - 0.5 * k / (n - 1))
    return y.tolist()


_DETAIL_PREFIX = re.compile(r"^([a-z][a-z_]*):\s+(.*)$", re.S)


def split_detail(detail, qualifier) -> tuple[str, str]:
    """(kind, wording) of a signal. The warehouse may prefix the Norwegian wording with the raw
    qualifier ("long_term: nedgang i ..."); the kind is then taken from there."""
    text = "" if _missing(detail) else str(detail)
    match = _DETAIL_PREFIX.match(text)
    if match:
        return match.group(1).replace("_", " "), match.group(2)
    return ("" if _missing(qualifier) else str(qualifier).replace("_", " ")), text


NON_ADDITIVE = ("percent", "per_100k", "direction")
