"""Time-series figures shared by Substances, Overdoses, Explorer and the Overview.

One drawing convention everywhere:

* final values: the series' own line (colour, dash, marker) with filled markers; provisional values:
  dotted line (theme.PROVISIONAL_DASH, "dot") and open markers (legend entry "Provisional");
* bounds are drawn as bounds: "below N" is a bar from 0 up to N ending in a ▼ cap, "above N" an
  arrow up from N, a range a bar from low to high; never a point at the bound;
* suppressed values: a grey dotted bar from 0 up to the suppression threshold with a ✱ cap and
  the legend entry "Suppressed", never zero and never an unexplained gap;
* events from publish.events as thin vertical lines, only on charts of the places they concern
  (`relevant_events`: a national event on the nation and every place in it, a municipal or regional
  event only on that place); their labels sit in a band above the plot area (full text on hover), so
  they never cover data points;
* a colour-blind-safe palette with at least 3:1 contrast on white (theme.py) plus a marker shape and
  a dash per series, so print and colour-blind readers can tell the series apart.

Line-style convention: the dash patterns that tell series apart (theme.SERIES_DASHES: solid, dash,
dashdot, longdash, longdashdot) never include the one reserved for provisional values
(theme.PROVISIONAL_DASH, "dot"), and provisional values are never drawn with a series dash; so a
dotted line always means "provisional", whichever series it belongs to.

`with_caption` burns the source line and a date into the figure (under the plot), so the PNG from the
modebar carries title, source and date.

Input frames are normalised by `prepare()` to: series, label, x, y, y_low, y_high, qualifier,
is_provisional, is_suppressed, hover.
"""
from __future__ import annotations

import re
import textwrap

import pandas as pd
import plotly.graph_objects as go

from dash_app.components.theme import (
    base_layout,
    DIRECTION_COLOURS,
    EVENT_DASH,
    OKABE_ITO,
    PROVISIONAL_DASH,
    SERIES_COLOURS,
    SERIES_DASHES,
)
from dash_app.i18n import signal_word, t
from dash_app.i18n import lang_of as i18n_lang_of
from dash_app.i18n import num as i18n_num
from dash_app.i18n import qualifier as i18n_qualifier
from dash_app.i18n import yes_no as i18n_yes_no

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
    dash = SERIES_DASHES[i % len(SERIES_DASHES)]
    assert dash != PROVISIONAL_DASH, "the provisional dash must not tell series apart"
    return {"colour": SERIES_COLOURS[i % len(SERIES_COLOURS)], "dash": dash,
            "symbol": SYMBOLS[i % len(SYMBOLS)]}


def midpoint(start, end):
    start, end = pd.Timestamp(start), pd.Timestamp(end if not _missing(end) else start)
    return start + (end - start) / 2


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
    records = frame.to_dict("records")  # once: it costs more than the rest of this function
    out = pd.DataFrame({
        "series": frame[series_col].astype(str).values,
        "label": [label_fn(r) for r in records],
        "x": [midpoint(s, e) for s, e in zip(frame["period_start"], frame["period_end"])],
        "y": pd.to_numeric(frame[y], errors="coerce").values,
        "y_low": pd.to_numeric(frame[low], errors="coerce").values if low in frame else float("nan"),
        "y_high": pd.to_numeric(frame[high], errors="coerce").values if high in frame else float("nan"),
        "qualifier": frame["qualifier"].astype("string").fillna("exact").values if "qualifier" in frame else "exact",
        "is_provisional": (frame["is_provisional"].fillna(False).astype(bool).values
                           if "is_provisional" in frame else False),
        "is_suppressed": (frame["is_suppressed"].fillna(False).astype(bool).values
                          if "is_suppressed" in frame else False),
        "period": [period_label(r) for r in records],
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
                hovertext=[h + f"<b>{format_number(v, lang)}</b> {unit}" for h, v in zip(final["hover"], final["y"])],
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
                mode="lines+markers", line=dict(color=st["colour"], width=2, dash=PROVISIONAL_DASH),
                marker=dict(symbol=f"{st['symbol']}-open", size=8, color=st["colour"], line=dict(width=2)),
                hovertext=[h + f"<b>{format_number(v, lang)}</b> {unit} · " + t("provisional", lang).split(" (")[0].lower()
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
                texts = [h + f"{i18n_qualifier('below', lang)} {format_number(v, lang)} {unit}" for h, v in zip(b["hover"], tops)]
            elif kind == "above":
                lows = b["y_low"].fillna(b["y"])
                sx, sy = _segments(b["x"], lows, lows * 1.12)
                cap_y, cap_symbol = lows * 1.12, "triangle-up"
                texts = [h + f"{i18n_qualifier('above', lang)} {format_number(v, lang)} {unit}" for h, v in zip(b["hover"], lows)]
            else:
                sx, sy = _segments(b["x"], b["y_low"], b["y_high"])
                cap_y, cap_symbol = b["y_high"], "line-ew"
                texts = [h + f"{format_number(lo, lang)}–{format_number(hi, lang)} {unit}" for h, lo, hi in zip(b["hover"], b["y_low"], b["y_high"])]
            fig.add_trace(go.Scatter(
                x=sx, y=sy, mode="lines", line=dict(color=st["colour"], width=9), opacity=0.45,
                legendgroup=group, showlegend=show_legend and first_trace, name=label, hoverinfo="skip",
            ), **where)
            first_trace = False
            fig.add_trace(go.Scatter(
                x=_l(b["x"]), y=_l(cap_y), mode="markers", legendgroup=group, showlegend=False, name=f"{label} {i18n_qualifier(kind, lang)}",
                marker=dict(symbol=cap_symbol if kind != "range" else "line-ew-open", size=14, color=st["colour"],
                            line=dict(color=st["colour"], width=3)),
                hovertext=texts, hoverinfo="text",
            ), **where)
            if kind == "range":
                fig.add_trace(go.Scatter(
                    x=_l(b["x"]), y=_l(b["y_low"]), mode="markers", legendgroup=group, showlegend=False,
                    name=f"{label} {i18n_qualifier(kind, lang)}", hoverinfo="skip",
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
                    showlegend=False, hoverinfo="skip", name=f"{label} {t('suppressed', lang)}",
                ), **where)
            hover_n = format_number(suppress_below, lang) if top > 0 else "?"
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
                                 line=dict(color=GREY, dash=PROVISIONAL_DASH), marker=dict(symbol="circle-open", color=GREY,
                                                                                size=8), hoverinfo="skip"))
    for kind, symbol in (("below", "triangle-down"), ("above", "triangle-up"), ("range", "line-ew-open")):
        if f"bound_{kind}" in keys:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t(f"bound_{kind}", lang),
                                     marker=dict(symbol=symbol, color=GREY, size=12, line=dict(color=GREY, width=2)),
                                     hoverinfo="skip"))


def country_of(geo_code: str) -> str:
    parts = str(geo_code).split("_")
    return parts[1][:3] if len(parts) > 1 else ""


def event_applies(event_geo, geo_code) -> bool:
    """Whether an event scoped to `event_geo` belongs on a chart of `geo_code`: a national event
    (nation_xxx) on the nation and every place in it; any other event (municipality, region) only on
    that very place; an event without a place on every chart."""
    if _missing(event_geo):
        return True
    event_geo, geo_code = str(event_geo), str(geo_code)
    if event_geo == geo_code:
        return True
    return event_geo.startswith("nation_") and country_of(event_geo) == country_of(geo_code) != ""


def relevant_events(events: pd.DataFrame | None, geo_codes) -> pd.DataFrame:
    """The events that belong on a chart showing any of `geo_codes` (see `event_applies`).

    A figure with panels of different places should filter per panel (`add_events(geo_codes=...)`):
    a Bergen event belongs on the Bergen panel, not on the US panel beside it."""
    if events is None or events.empty:
        return pd.DataFrame(columns=["event_date", "event_id", "label_nb", "label_en", "geo_code"])
    geos = [g for g in (geo_codes or []) if not _missing(g)]
    keep = [any(event_applies(ev_geo, g) for g in geos) for ev_geo in events["geo_code"]]
    return events[keep]


EVENT_LANE_PX = 17


def add_events(fig: go.Figure, events: pd.DataFrame | None, lang: str, x_range=None, *, geo_codes=None,
               x_of=None, band_offset: int = 0, xref: str = "x") -> int:
    """Thin vertical lines for the events inside the x range, labelled in a band above the plot area.

    Each label has its own lane (EVENT_LANE_PX high) above the top of the plot, so labels never
    cover data points nor each other; the full label is the label's hover text. With `geo_codes`,
    only events that belong to those places are drawn (`relevant_events`). `x_of` maps an event's
    date to the axis (e.g. year axes); `band_offset` lifts the band (px) over subplot titles.
    Returns the number of lanes used: the caller leaves EVENT_LANE_PX * lanes of top margin."""
    if events is None or events.empty:
        return 0
    if geo_codes is not None:
        events = relevant_events(events, geo_codes)
    lane = 0
    for ev in events.sort_values("event_date").itertuples():
        when = pd.Timestamp(ev.event_date)
        x = x_of(when) if x_of is not None else when
        if x_range is not None and not (x_range[0] <= x <= x_range[1]):
            continue
        label = (ev.label_nb if lang == "nb" else ev.label_en) or ev.label_en or ev.event_id
        # 28 characters at 11 px are about 165 px: with the label anchored by thirds of the axis (left,
        # centred, right) it stays inside the chart on a 390 px phone
        short = label if len(label) <= 28 else label[:26].rstrip(" ,.:;") + "…"
        anchor = "left"
        if x_range is not None:
            share = (x - x_range[0]) / (x_range[1] - x_range[0])
            anchor = "left" if share < 1 / 3 else ("center" if share < 2 / 3 else "right")
        fig.add_shape(type="line", x0=x, x1=x, xref=xref, yref="paper", y0=0, y1=1,
                      line=dict(color=OKABE_ITO["grey"], width=1, dash=EVENT_DASH), opacity=0.8)
        fig.add_annotation(x=x, y=1, xref=xref, yref="paper", yanchor="bottom", xanchor=anchor,
                           yshift=4 + band_offset + EVENT_LANE_PX * lane,
                           text={"left": f"┊ {short} ({when:%Y})", "right": f"{short} ({when:%Y}) ┊"}.get(
                               anchor, f"{short} ({when:%Y})"),
                           showarrow=False, font=dict(size=11, color="#333333"),
                           hovertext=f"{label} ({when:%Y-%m-%d})", name="event")
        lane += 1
    return lane


def title_band(title: str | None, line_px: int = 18) -> int:
    """The height (px) a subplot title takes above its panel: event labels and the legend of a
    figure of panels start above it (`band_offset` of add_events and legend_above)."""
    return 0 if not title else 6 + line_px * (str(title).count("<br>") + 1)


# Measured in Chromium on a 390 px phone: the chart is 348 px wide; a legend entry is its symbol (40 px)
# and its text at about 8 px a character; wrapped rows are 31 px apart, 19 px more for each extra line.
PHONE_CHART_PX, LEGEND_SYMBOL_PX, LEGEND_CHAR_PX, LEGEND_ROW_PX, LEGEND_LINE_PX = 348, 40, 8, 31, 19


def legend_rows_px(fig: go.Figure, chart_px: int = PHONE_CHART_PX) -> int:
    """How high a horizontal legend grows when its entries wrap: plotly wraps it at the width of the
    plot area (the chart less its left and right margins) as drawn, which the server cannot know, so
    the room above the plot is reserved for a phone (on a wide screen it is a little more than needed).
    Hand-written: plotly computes the legend's size only in the browser."""
    margin = fig.layout.margin
    width = max(120, chart_px - (margin.l if margin.l is not None else 80) - (margin.r if margin.r is not None else 80))
    entries = []
    for trace in fig.data:
        name = trace.name
        if trace.showlegend is False or not isinstance(name, str) or not name.strip():
            continue
        lines = name.split("<br>")
        entries.append((LEGEND_SYMBOL_PX + LEGEND_CHAR_PX * max(len(x) for x in lines),
                        LEGEND_ROW_PX + LEGEND_LINE_PX * (len(lines) - 1)))
    if not entries:
        return 0
    if sum(w for w, _ in entries) <= width:
        return max(h for _, h in entries)
    # once it wraps, plotly lays the entries out in a grid of columns as wide as the widest entry
    columns = max(1, width // max(w for w, _ in entries))
    rows = -(-len(entries) // columns)
    return rows * max(h for _, h in entries)


def legend_above(fig: go.Figure, lanes: int, height: int, band_offset: int = 0) -> None:
    """Lift the legend (and the top margin) over `lanes` event labels and a `band_offset` px band (the
    first panel's title) of a figure `height` px high, so title, event labels and legend each get a
    band of their own instead of being drawn over each other."""
    if not lanes and not band_offset:
        return
    margin = fig.layout.margin
    # the base margin holds the title and one legend row; rows a phone adds come on top of it
    extra_rows = max(0, legend_rows_px(fig) - LEGEND_ROW_PX)
    top = (margin.t or 60) + EVENT_LANE_PX * lanes + band_offset + extra_rows
    if extra_rows:  # the figure grows by the rows, so the plot keeps its height
        height += extra_rows
        fig.update_layout(height=height)
    plot_px = max(80, height - top - (margin.b or 50))
    fig.update_layout(margin=dict(t=top), title=dict(yref="container", y=1, yanchor="top", pad=dict(t=12)),
                      legend=dict(y=1 + (band_offset + EVENT_LANE_PX * lanes + 8) / plot_px, yanchor="bottom"))


def series_figure(data: pd.DataFrame, *, lang: str, title: str, y_title: str, events=None,
                  suppress_below=None, height: int = 480, empty_message: str | None = None,
                  ci: bool = False, geo_codes=None, source_text: str | None = None, date=None) -> go.Figure:
    """One panel of series (see module docstring for the drawing convention).

    With `geo_codes`, only the events of those places are drawn; with `source_text`, the figure
    carries the source line and the date (`with_caption`)."""

    if data.empty:
        fig = empty_figure(empty_message or t("no_data", lang), title)
        return with_caption(fig, source_text, date, lang) if source_text else fig
    fig = go.Figure()
    keys = draw_series(fig, data, lang=lang, suppress_below=suppress_below, ci=ci)
    add_legend_keys(fig, keys, lang)
    lo, hi = data["x"].min(), data["x"].max()
    pad = max(pd.Timedelta(days=120), (hi - lo) * 0.03)
    x_range = [lo - pad, hi + pad]
    lanes = add_events(fig, events, lang, x_range, geo_codes=geo_codes)
    fig.update_layout(**base_layout(
        title=dict(text=title), height=height, hovermode="closest",
        margin=dict(l=70, r=30, t=110, b=50),
        xaxis=dict(type="date", range=x_range, title=t("period", lang)),
        yaxis=dict(title=y_title, rangemode="tozero"),
    ))
    legend_above(fig, lanes, height)
    if source_text:
        with_caption(fig, source_text, date, lang)
    return fit_width(fig)


_DIRECTION_WORDS = {
    "nb": {2: "sterk økning", 1: "økning", 0: "stabilt", -1: "nedgang", -2: "sterk nedgang"},
    "en": {2: "strong increase", 1: "increase", 0: "stable", -1: "decrease", -2: "strong decrease"},
}


def direction_word(value, lang: str) -> str:
    """A signal's direction (−2…+2) in words with its score: "sterk økning (+2)"."""
    if _missing(value):
        return ""
    d = int(round(float(value)))
    return f"{_DIRECTION_WORDS[i18n_lang_of(lang)].get(d, d)} ({d:+d})"


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
                                 hoverinfo="skip", showlegend=False, legendgroup=cls, name=names[cls][li]),
                      row=row, col=1)
        hover = []
        for r in part.itertuples():
            d = int(round(float(r.direction)))
            kind, wording = split_detail(r.detail, r.qualifier)
            kind = signal_word(kind, lang)
            hover.append(f"<b>{r.sname}</b> – {signal_word(r.measure, lang)}<br>"
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
        for idx, start, end in zip(part.index, part["period_start"].tolist(), part["period_end"].tolist()):
            for k, lane in enumerate(lanes):
                if all(start > e or end < s for s, e in lane):
                    lane.append((start, end))
                    lane_of[idx] = k
                    break
            else:
                lanes.append([(start, end)])
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


def format_number(value, lang: str, digits: int | None = None) -> str:
    """A number in the page language, through i18n.num (Babel's CLDR patterns): nb `12 345,6`, en
    `12,345.6`. `digits` decimals; by default none for whole numbers and values of 100 or more, else
    one, so a chart's hover, its table and a card round alike."""
    if _missing(value):
        return "–"
    value = float(value)
    if digits is None:
        digits = 0 if (abs(value) >= 100 or value == int(value)) else 1
    return i18n_num(value, lang, digits)


def yes_no(value, lang: str) -> str:
    return "" if _missing(value) else i18n_yes_no(value, lang)


# A phone (390 px) shows about 32 characters of a chart title and 40 of a legend entry; a figure cannot
# know the screen it is drawn on, so long texts are broken into lines once, on the server.
TITLE_CHARS, LEGEND_CHARS = 32, 40


def _wrap_lines(text: str, width: int) -> str:
    """Each line of a plotly text (lines split at <br>) broken into lines of at most `width` characters."""
    pieces = []
    for line in text.split("<br>"):
        pieces.extend(textwrap.wrap(line, width=width) or [""] if "<" not in line else [line])  # keep <sup> etc. whole
    return "<br>".join(pieces)


def fit_width(fig: go.Figure) -> go.Figure:
    """Break long titles and legend entries into lines and left-align the title, so neither runs out of
    a 390 px chart. Returns `fig`."""
    title = fig.layout.title.text
    if title:
        wrapped = _wrap_lines(title, TITLE_CHARS)
        extra = 22 * (wrapped.count("<br>") - title.count("<br>"))  # each added line gets its room above the plot
        top = fig.layout.margin.t if fig.layout.margin.t is not None else 60
        fig.update_layout(title=dict(text=wrapped, x=0.01, xanchor="left", xref="container"))
        if extra:
            fig.update_layout(margin=dict(t=top + extra), title=dict(yref="container", y=1, yanchor="top", pad=dict(t=12)))
            if fig.layout.height:
                fig.update_layout(height=fig.layout.height + extra)
    for trace in fig.data:
        name = trace.name
        if trace.showlegend is not False and isinstance(name, str) and len(name) > LEGEND_CHARS:
            trace.name = _wrap_lines(name, LEGEND_CHARS)  # the hover keeps its own text
    return fig


def with_caption(fig: go.Figure, source_text: str | None, date=None, lang: str = "nb") -> go.Figure:
    """Burn the source line and a date into the figure, under the plot (returns `fig`).

    The PNG from the modebar then carries the chart's title (layout.title), its source and the date,
    so a copied image still says where it comes from. `date` defaults to today."""
    when = pd.Timestamp(date) if not _missing(date) else pd.Timestamp.now()
    label = t("source", lang)
    text = str(source_text or "").strip().rstrip(".")
    for prefix in ("Kilder:", "Kilde:", "Sources:", "Source:"):
        if text.startswith(prefix):
            text = text[len(prefix):].strip()
    # a link cannot be followed from a PNG and a long one breaks into nonsense at 54 characters: the
    # caption keeps the source's name and licence, the page's source line keeps the link
    text = re.sub(r"\s*https?://\S+", "", text)
    text = re.sub(r"\(\s*\)", "", re.sub(r",\s*\)", ")", text)).strip().rstrip(".")
    made = t("caption_made", lang)
    # 54 characters a line at 11 px fit a 390 px phone screen; the figure cannot know the screen it is drawn on
    lines = textwrap.wrap(f"{label}: {text}", width=54, max_lines=6, placeholder=" …") or [f"{label}:"]
    lines.append(f"{made} {when:%Y-%m-%d} · trendvakt")
    margin = fig.layout.margin
    bottom = margin.b if margin.b is not None else 50
    extra = 8 + 15 * len(lines)
    left = margin.l if margin.l is not None else 70
    # from the figure's left edge, not the plot's, so the lines get the whole width of a phone
    fig.add_annotation(text="<br>".join(lines), x=0, y=0, xref="paper", yref="paper", xanchor="left",
                       xshift=-(left - 8), yanchor="top", yshift=-(bottom - 4), showarrow=False, align="left",
                       font=dict(size=11, color="#444444"), name="caption")
    fig.update_layout(margin=dict(b=bottom + extra))
    if fig.layout.height:
        fig.update_layout(height=fig.layout.height + extra)
    return fit_width(fig)
