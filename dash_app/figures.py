"""Figure builders: data frame in, plotly figure out. No SQL and no Dash state here, so they are
testable on their own and shared by page layouts and callbacks."""
from __future__ import annotations

import re
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dash_app.components.theme import (
    DIRECTION_COLOURS,
    OKABE_ITO,
    SERIES_COLOURS,
    SERIES_DASHES,
    base_layout,
)


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


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


# --------------------------------------------------------------------------------------------
# Substances
# --------------------------------------------------------------------------------------------

def death_rate_figure(rates: pd.DataFrame, order: list[str] | None = None) -> go.Figure:
    """Lines of death rates per 100,000 by drug class; one trace per substance, labelled at its end."""
    if rates.empty:
        return empty_figure("Choose at least one substance to draw its death rate.",
                            "Overdose death rates, United States")
    ids = list(dict.fromkeys(order or [])) or list(rates["substance_id"].unique())
    ids = [s for s in ids if s in set(rates["substance_id"])] + [
        s for s in rates["substance_id"].unique() if s not in ids
    ]
    fig = go.Figure()
    annotations = []
    for i, sid in enumerate(ids):
        part = rates[rates["substance_id"] == sid].sort_values("year")
        name = str(part["substance_name_en"].iloc[0])
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[(i // len(SERIES_COLOURS) + i) % len(SERIES_DASHES)] if i else "solid"
        fig.add_trace(
            go.Scatter(
                x=part["year"].astype(int).tolist(),
                y=part["value"].tolist(),
                name=name,
                mode="lines+markers",
                line=dict(color=colour, width=3, dash=dash),
                marker=dict(size=6, color=colour),
                customdata=list(zip(part["substance_name_nb"].astype(str), part["qualifier"].astype(str))),
                hovertemplate=(
                    f"<b>{name}</b> (%{{customdata[0]}})<br>%{{x}}: <b>%{{y:.1f}}</b> deaths per 100,000"
                    "<extra></extra>"
                ),
            )
        )
        last = part.iloc[-1]
        annotations.append(dict(x=int(last["year"]), y=float(last["value"]), text=name, xanchor="left",
                                xshift=8, showarrow=False, font=dict(color=colour, size=13)))
    geo = str(rates["geo_name"].iloc[0])
    first, last_year = int(rates["year"].min()), int(rates["year"].max())
    fig.update_layout(
        **base_layout(
            title=dict(text=f"Overdose deaths per 100,000 by drug class, {geo}, {first}–{last_year}"),
            height=460,
            margin=dict(l=70, r=190, t=90, b=50),
            hovermode="closest",
            annotations=annotations,
            xaxis=dict(title="Year", dtick=2, range=[first - 0.5, last_year + 0.5]),
            yaxis=dict(title="Deaths per 100,000 population", rangemode="tozero"),
        )
    )
    return fig


def _direction_class(direction: float) -> str:
    if direction > 0:
        return "increase"
    if direction < 0:
        return "decrease"
    return "stable"


_DIRECTION_WORDS = {
    2: "strong increase", 1: "increase", 0: "stable", -1: "decrease", -2: "strong decrease",
}
_SYMBOLS = {"increase": "triangle-up", "decrease": "triangle-down", "stable": "diamond"}


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


def signals_figure(signals: pd.DataFrame) -> go.Figure:
    """Direction signals (-2..+2) per substance over their time spans: a bar for the span, an
    up/down/flat marker in its middle; hover gives the Norwegian wording."""
    if signals.empty:
        return empty_figure("No trend-panel signals for this place.", "Trend-panel signals")
    frame = signals.copy()
    frame["measure"] = frame["indicator_id"].str.removeprefix("trend_signal_")
    substances = (
        frame.groupby("substance_id")["substance_name_en"].first().sort_values(key=lambda s: s.str.lower())
    )
    # Highest row first: reverse so the alphabetically first substance is at the top.
    ypos = {sid: i for i, sid in enumerate(reversed(substances.index.tolist()))}
    frame["y"] = _spread_overlaps(frame, ypos)
    frame["cls"] = [_direction_class(float(v)) for v in frame["direction"]]
    frame["mid"] = frame["period_start"] + (frame["period_end"] - frame["period_start"]) / 2

    fig = go.Figure()
    for cls in ("increase", "stable", "decrease"):
        part = frame[frame["cls"] == cls]
        if part.empty:
            continue
        colour = DIRECTION_COLOURS[cls]
        xs, ys = [], []
        for row in part.itertuples():
            xs += [row.period_start, row.period_end, None]
            ys += [row.y, row.y, None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=colour, width=7),
                                 opacity=0.45, hoverinfo="skip", legendgroup=cls, showlegend=False,
                                 name=f"{cls} span"))
        hover = []
        for row in part.itertuples():
            d = int(round(float(row.direction)))
            kind, wording = split_detail(row.detail, row.qualifier)
            hover.append(
                f"<b>{row.substance_name_en}</b> – {row.measure.replace('_', ' ')}<br>"
                f"{row.period_start:%b %Y} – {row.period_end:%b %Y}"
                + (f" ({kind})" if kind else "") + "<br>"
                f"Direction: <b>{_DIRECTION_WORDS.get(d, d)}</b> ({d:+d})<br>"
                f"<i>«{wording}»</i><br>{row.geo_name}"
            )
        fig.add_trace(
            go.Scatter(
                x=part["mid"].tolist(),
                y=part["y"].tolist(),
                mode="markers+text",
                name={"increase": "Increase ▲", "decrease": "Decrease ▼", "stable": "Stable ◆"}[cls],
                legendgroup=cls,
                marker=dict(symbol=_SYMBOLS[cls], color=colour, line=dict(color="white", width=1),
                            size=[12 + 5 * abs(float(v)) for v in part["direction"]]),
                text=[f"{int(round(float(v))):+d} {m.replace('_', ' ')}" for v, m in
                      zip(part["direction"], part["measure"])],
                textposition="middle right",
                textfont=dict(size=11, color="#333"),
                hovertext=hover,
                hoverinfo="text",
            )
        )
    geo = ", ".join(dict.fromkeys(frame["geo_name"].astype(str)))
    start = frame["period_start"].min() - pd.Timedelta(days=400)
    end = frame["period_end"].max() + pd.Timedelta(days=1500)
    fig.update_layout(
        **base_layout(
            title=dict(text=f"Trend-panel signals, {geo}: direction of use, availability and price"),
            height=max(320, 90 + 52 * len(substances)),
            margin=dict(l=150, r=30, t=90, b=50),
            hovermode="closest",
            xaxis=dict(title="Period the signal covers", type="date", range=[start, end]),
            yaxis=dict(tickvals=list(ypos.values()), ticktext=[substances[s] for s in ypos],
                       range=[-0.6, len(ypos) - 0.4], showgrid=True, zeroline=False),
        )
    )
    return fig


# --------------------------------------------------------------------------------------------
# Alcohol
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Survey rounds
# --------------------------------------------------------------------------------------------

ROUND_COLOURS = [OKABE_ITO["orange"], OKABE_ITO["blue"], OKABE_ITO["bluish_green"], OKABE_ITO["vermillion"]]
ROUND_SYMBOLS = ["circle", "square", "diamond", "triangle-up"]


def _round_label(frame: pd.DataFrame, survey_round: str) -> str:
    part = frame[frame["survey_round"] == survey_round]
    if part.empty or _missing(part["reference_start"].iloc[0]):
        return survey_round
    return (f"{survey_round} (situation {part['reference_start'].iloc[0]:%d %b}–"
            f"{part['reference_end'].iloc[0]:%d %b %Y})")


def survey_national_figure(rows: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Dot plot of national shares with Wilson 95% intervals; label gives yes of n for every dot.

    Rows without respondents have no computable share: the printed percentage is drawn as a hollow
    marker and labelled as such. Rows whose printed percentage does not match the counts are
    flagged with a warning sign.
    """
    if rows.empty:
        return empty_figure("No national survey rows.", "Survey rounds")
    questions = (rows.groupby("question_id")["question_en"].first()
                 .sort_values(key=lambda s: s.str.lower()))
    qpos = {q: i for i, q in enumerate(reversed(questions.index.tolist()))}
    rounds = sorted(rows["survey_round"].unique())
    step = 0.32 / max(1, len(rounds) - 1) if len(rounds) > 1 else 0
    fig = go.Figure()
    for r_i, rnd in enumerate(rounds):
        part = rows[rows["survey_round"] == rnd]
        colour = ROUND_COLOURS[r_i % len(ROUND_COLOURS)]
        symbol = ROUND_SYMBOLS[r_i % len(ROUND_SYMBOLS)]
        offset = 0.16 - r_i * step if len(rounds) > 1 else 0
        pts = {True: [], False: []}  # has_share -> list of (x, y, low, high, hover)
        labels, lx, ly, lpos = [], [], [], []
        for row in part.itertuples():
            share, printed = row.share_pct, row.reported_pct
            has_share = not _missing(share)
            value = float(share) if has_share else (None if _missing(printed) else float(printed))
            if value is None:
                continue
            y = qpos[row.question_id] + offset
            if has_share:
                label = f"{value:.1f}% ({_fmt_int(row.yes_count)} of n = {_fmt_int(row.respondents)})"
                if row.pct_check == "inconsistent":
                    label = f"⚠ {label}: report printed {float(printed):.0f}%"
            elif not _missing(row.yes_count):
                label = f"{value:.0f}% as printed ({_fmt_int(row.yes_count)} yes; n not published)"
            else:
                label = f"{value:.0f}% as printed (no counts published)"
            hover = f"<b>{row.question_en}</b><br><i>{row.question_nb}</i><br>{_round_label(rows, rnd)}<br>"
            if has_share:
                hover += (f"Share: <b>{value:.1f}%</b> (95% CI {float(row.share_low_pct):.1f}–"
                          f"{float(row.share_high_pct):.1f}%, Wilson)<br>"
                          f"Yes: {_fmt_int(row.yes_count)} of n = {_fmt_int(row.respondents)} respondents<br>")
            else:
                hover += ("Share cannot be recomputed: number of respondents not published<br>"
                          f"Yes: {_fmt_int(row.yes_count)}<br>")
            hover += f"Printed in report: {_fmt_pct(printed, 0)}<br>Check: {row.pct_check}"
            if row.pct_check == "inconsistent":
                hover += " ⚠ printed percentage does not match the counts"
            low = float(row.share_low_pct) if has_share else value
            high = float(row.share_high_pct) if has_share else value
            pts[has_share].append((value, y, value - low, high - value, hover))
            labels.append(label)
            ly.append(y)
            if high < 55:
                lx.append(high + 1.2)
                lpos.append("middle right")
            else:
                lx.append(low - 1.2)
                lpos.append("middle left")
        name = _round_label(rows, rnd)
        if pts[True]:
            x_, y_, lo_, hi_, hv_ = zip(*pts[True])
            fig.add_trace(go.Scatter(
                x=list(x_), y=list(y_), mode="markers", name=name, legendgroup=rnd,
                error_x=dict(type="data", array=list(hi_), arrayminus=list(lo_), color=colour,
                             thickness=2, width=5),
                marker=dict(symbol=symbol, size=12, color=colour),
                hovertext=list(hv_), hoverinfo="text",
            ))
        if pts[False]:
            x_, y_, _lo, _hi, hv_ = zip(*pts[False])
            fig.add_trace(go.Scatter(
                x=list(x_), y=list(y_), mode="markers", name=f"{rnd}: printed % only (no n)",
                legendgroup=rnd, showlegend=not pts[True],
                marker=dict(symbol=f"{symbol}-open", size=12, color=colour, line=dict(color=colour, width=2)),
                hovertext=list(hv_), hoverinfo="text",
            ))
        fig.add_trace(go.Scatter(
            x=lx, y=ly, mode="text", text=labels, textposition=lpos, legendgroup=rnd, showlegend=False,
            textfont=dict(size=12, color=[OKABE_ITO["vermillion"] if t.startswith("⚠") else "#222"
                                          for t in labels]),
            hoverinfo="skip", name=f"{rnd} labels",
        ))
    fig.update_layout(**base_layout(
        title=dict(text=("KoRus hurtigkartlegging 2021, hele landet: andel som svarte ja"
                         "<br><sup>Fylt: andel regnet fra antall, strek = 95 % intervall (Wilson). "
                         "Åpen: prosent som trykt, antall svarende ikke publisert.</sup>") if lang == "nb" else
                   ("KoRus rapid survey 2021, whole country: share of respondents answering yes"
                    "<br><sup>Filled: share recomputed from counts, bar = 95% interval (Wilson). "
                    "Hollow: percentage as printed, respondents not published.</sup>")),
        height=max(380, 150 + 80 * len(questions)),
        margin=dict(l=290, r=30, t=135, b=50),
        hovermode="closest",
        xaxis=dict(title="Andel svarende (%)" if lang == "nb" else "Share of respondents (%)", range=[0, 100],
                   dtick=10),
        yaxis=dict(tickvals=list(qpos.values()), ticktext=[wrap_label(questions[q]) for q in qpos],
                   range=[-0.6, len(qpos) - 0.4], zeroline=False),
    ))
    return fig


def survey_regional_figure(rows: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Counts of respondents answering yes per region (shares cannot be computed: no respondents)."""
    counted = rows[rows["yes_count"].notna()]
    if counted.empty:
        return empty_figure("No regional counts were published.", "Survey rounds by region")
    questions = (counted.groupby("question_id")["question_en"].first()
                 .sort_values(key=lambda s: s.str.lower()))
    rounds = sorted(counted["survey_round"].unique())
    regions = sorted(counted["geo_name"].astype(str).unique())
    fig = go.Figure()
    for i, region in reversed(list(enumerate(regions))):
        part = counted[counted["geo_name"] == region]
        ys = [wrap_label(f"{row.question_en} · {row.survey_round}" if len(rounds) > 1 else row.question_en)
              for row in part.itertuples()]
        hovers = [
            f"<b>{row.geo_name}</b>, {row.survey_round}<br>{row.question_en}<br><i>{row.question_nb}</i><br>"
            f"Yes: <b>{_fmt_int(row.yes_count)}</b> respondents (n of region not published)"
            + ("" if _missing(row.reported_pct) else f"<br>Printed in report: {float(row.reported_pct):.0f}%")
            + f"<br>Qualifier: {row.qualifier}"
            for row in part.itertuples()
        ]
        fig.add_trace(go.Bar(
            x=[int(v) for v in part["yes_count"]], y=ys, orientation="h", name=region,
            marker=dict(color=SERIES_COLOURS[i % len(SERIES_COLOURS)]),
            text=[_fmt_int(v) for v in part["yes_count"]], textposition="outside",
            hovertext=hovers, hoverinfo="text",
        ))
    order = [wrap_label(f"{q} · {r}" if len(rounds) > 1 else q) for q in questions.values for r in rounds]
    fig.update_layout(**base_layout(
        barmode="group",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, traceorder="reversed"),
        title=dict(text=(f"KoRus hurtigkartlegging {', '.join(rounds)}, etter landsdel: antall som svarte ja "
                         "(antall; andeler kan ikke regnes ut)") if lang == "nb" else
                   (f"KoRus rapid survey {', '.join(rounds)}, by region: respondents answering yes "
                    "(counts; shares cannot be computed)")),
        height=max(420, 120 + 26 * len(regions) * len(order)),
        margin=dict(l=290, r=30, t=110, b=50),
        xaxis=dict(title="Svarte ja (antall)" if lang == "nb" else "Respondents answering yes (count)", dtick=1 if counted["yes_count"].max() <= 12 else None,
                   rangemode="tozero"),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(order))),
    ))
    return fig


def survey_figure(rows: pd.DataFrame, geo_level: str, lang: str = "en") -> go.Figure:
    """National dot plot or regional counts; in Norwegian the questions are the catalogue's *_nb names."""
    if lang == "nb" and not rows.empty:
        rows = rows.assign(question_en=rows["question_nb"].fillna(rows["question_en"]),
                           question_nb=rows["question_en"])
    if geo_level == "nation":
        return survey_national_figure(rows, lang)
    return survey_regional_figure(rows, lang)

