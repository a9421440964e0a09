"""Survey rounds: the KoRus rapid municipal survey of 2021, for the whole country and by region.

Whole country: the share answering yes with its Wilson 95 % interval, and always the counts it rests on
(yes of n). Regions: only counts were published, so the view draws counts and says why. One small
panel per question, so a question's wording sits above its own values and the chart needs no wide
left margin (it stays readable at 390 px).
"""
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
    GRAPH_CONFIG,
    page,
    text_of,
    unavailable_figure,
    unavailable_page,
    values_table,
)
from dash_app.components.series import _missing, empty_figure, format_number, with_caption, wrap_label
from dash_app.components.theme import base_layout, figure_of, ROUND_COLOURS, subplot_layout
from dash_app.i18n import t
from dash_app.state import choose_one

PATH = "/survey-rounds"
NAV = "nav.survey"
PREFIX = "survey"  # component ids of this view start with "survey-"

TABS = ("chart", "table")
ROUND_SYMBOLS = ["circle", "square", "diamond", "triangle-up"]
SOURCE_IDS = ["korus_rapid_survey"]
# Panel sizes in px: a question's title (up to three wrapped lines) and one bar or dot row.
TITLE_PX, ROW_PX = 78, 30
QUESTION_WRAP = 40  # characters per title line; fits a 390 px screen at the title font size
LABEL_RIGHT_BELOW = 45  # a dot's label sits right of its interval below this share (%), else left


def layout(level=None, tab=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    try:
        levels = queries.survey_levels()
        chosen = choose_one(level, levels["geo_level"], "nation")
        tab = choose_one(tab, TABS, "chart")
        rows = queries.survey_rounds(chosen)
        names = queries.names()
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "survey", t("sv.title", lang))
    fig, notes = survey_render(rows, chosen, lang, names)
    return page(
        [
            html.H1(t("sv.title", lang)),
            html.P(t("sv.lead", lang), className="tv-lead"),
            html.Section(
                [
                    html.Div(control(t("sv.level", lang), dcc.Dropdown(
                        id="survey-level", clearable=False, className="tv-dropdown", value=chosen,
                        options=level_options(levels, lang))), className="tv-controls"),
                    chart_tabs("survey", dcc.Loading(dcc.Graph(id="survey-graph", figure=fig, config=GRAPH_CONFIG)),
                               html.Div(survey_table(rows, lang, names), id="survey-table-box"), lang, value=tab),
                    html.Div(notes, id="survey-details"),
                ],
                className="tv-card",
            ),
            actions("survey", PATH, address_params(chosen, tab), lang),
        ],
        lang, "survey",
    )


def level_options(levels: pd.DataFrame, lang: str) -> list[dict]:
    known = ("nation", "georegion")
    return [{"label": t(f"sv.{lvl}", lang) if lvl in known else str(lvl).replace("_", " ").capitalize(), "value": lvl}
            for lvl in levels["geo_level"]]


def address_params(level: str, tab: str) -> dict:
    return {"level": level, "tab": None if tab == "chart" else tab}


def survey_render(rows: pd.DataFrame, level: str, lang: str, names: dict):
    """(figure with its source burned in, the notes under the chart) for one geography level."""
    fig = survey_figure(rows, level, lang, names)
    note = source_note(rows, SOURCE_IDS if rows.empty else None, lang=lang)
    with_caption(fig, text_of(note), None, lang)
    return fig, [*survey_notes(rows, level, lang, names), note]


# --------------------------------------------------------------------------- words for one row

def round_label(survey_round: str, lang: str) -> str:
    """'2021-W04' as a reader says it: 'uke 4, 2021' / 'week 4, 2021'."""
    year, _, week = str(survey_round).partition("-W")
    if not (year.isdigit() and week.isdigit()):
        return str(survey_round)
    return t("sv.week", lang, week=int(week), year=year)


def situation(rows: pd.DataFrame, survey_round: str, lang: str) -> str:
    """The two weeks a round asked about, e.g. 'situasjonen 11. jan. 2021–24. jan. 2021'."""
    part = rows[rows["survey_round"] == survey_round]
    if part.empty or _missing(part["reference_start"].iloc[0]):
        return ""
    return t("sv.situation", lang, start=i18n.date(part["reference_start"].iloc[0], lang),
             end=i18n.date(part["reference_end"].iloc[0], lang))


def question(row, lang: str) -> str:
    text = row.question_nb if lang == "nb" else row.question_en
    return str(row.question_en if _missing(text) else text)


def place(row, names: dict, lang: str) -> str:
    return geo_label(row.geo_code, names, lang) if not _missing(row.geo_code) else str(row.geo_name)


def pct(value, lang: str, digits: int = 1) -> str:
    return format_number(value, lang, digits)


def count(value, lang: str) -> str:
    return "?" if _missing(value) else format_number(int(value), lang, 0)


def dot_label(row, lang: str) -> str:
    """The words beside a dot: always the counts behind a share, or 'as printed' when there are none."""
    if not _missing(row.share_pct):
        label = t("sv.label_share", lang, share=pct(row.share_pct, lang), yes=count(row.yes_count, lang),
                  n=count(row.respondents, lang))
        if row.pct_check == "inconsistent":  # the printed figure is in the hover and the note below
            label = t("sv.label_bad", lang, label=label)
        return label
    return t("sv.label_printed", lang, share=pct(row.reported_pct, lang, 0))


def dot_hover(row, rows: pd.DataFrame, lang: str, when: str | None = None) -> str:
    """`when`: the round's situation(), when the caller has it already."""
    head = f"<b>{wrap_label(question(row, lang), 50, 4)}</b><br>{round_label(row.survey_round, lang)}"
    if when is None:
        when = situation(rows, row.survey_round, lang)
    head += f" ({when})<br>" if when else "<br>"
    if not _missing(row.share_pct):
        body = t("sv.hover_share", lang, share=pct(row.share_pct, lang), low=pct(row.share_low_pct, lang),
                 high=pct(row.share_high_pct, lang), yes=count(row.yes_count, lang), n=count(row.respondents, lang))
    else:
        body = t("sv.hover_printed", lang, yes=count(row.yes_count, lang))
    printed = "–" if _missing(row.reported_pct) else f"{pct(row.reported_pct, lang, 0)} %"
    return (head + body + "<br>" + t("sv.hover_report", lang, printed=printed) + "<br>"
            + t(f"sv.check.{row.pct_check}", lang))


# ------------------------------------------------------------------------------------ the charts

def _question_texts(records: list, lang: str) -> dict[str, str]:
    """{question id: its wording in the page language}, in reading order of that wording."""
    texts = {}
    for r in records:
        if r.question_id not in texts:
            texts[r.question_id] = question(r, lang)
    return dict(sorted(texts.items(), key=lambda item: item[1].lower()))


def _by(records: list, *fields: str) -> dict[tuple, list]:
    """The records grouped by the values of `fields`, each group in frame order. The figures work on
    plain records (one itertuples a frame): filtering the frame per round and question cost pandas
    about 1 ms a filter, most of the callback's time."""
    groups: dict[tuple, list] = {}
    for r in records:
        groups.setdefault(tuple(getattr(r, f) for f in fields), []).append(r)
    return groups


def _panels(records: list, lang: str, n_rows_of, top: int, left: int) -> tuple[dict, list[str]]:
    """The layout (a dict) of one subplot per question, titled with its wrapped wording above it; each
    panel as tall as its rows, the gap between panels as tall as a title. `top` is the px above the
    first title (the chart's own title and legend); the figure's height and margins are set here.

    Survey figures are assembled as dicts and made a figure once (theme.figure_of): updating a
    make_subplots figure axis by axis and trace by trace costs plotly's property machinery about ten
    times as much for the same figure."""
    texts = _question_texts(records, lang)
    qids = list(texts)
    rows_px = [ROW_PX * max(1, n_rows_of(q)) + 12 for q in qids]
    plot_px = sum(rows_px) + TITLE_PX * (len(qids) - 1)
    layout = subplot_layout(rows=len(qids), cols=1, shared_xaxes=True,
                            subplot_titles=tuple(wrap_label(texts[q], QUESTION_WRAP, 4) for q in qids),
                            row_heights=tuple(h / sum(rows_px) for h in rows_px),
                            vertical_spacing=TITLE_PX / plot_px if len(qids) > 1 else 0)
    # subplot titles start at the figure's left edge (over the tick labels), as a question is read, and
    # so get the whole width of a phone
    for annotation in layout.get("annotations", []):
        annotation.update(x=0, xanchor="left", align="left", xshift=-left, font=dict(size=13))
    margin_top = top + TITLE_PX
    layout.update(height=plot_px + margin_top + 60, margin=dict(l=left, t=margin_top, b=60, r=16))
    return layout, qids


def _axes(panel: int) -> dict:
    """The axes of subplot `panel` (1-based) of a one-column make_subplots layout, as a trace names them."""
    suffix = "" if panel == 1 else str(panel)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def _axis(layout: dict, axis: str, panel: int) -> dict:
    """layout's "xaxis"/"yaxis" dict of subplot `panel`."""
    return layout.setdefault(axis + ("" if panel == 1 else str(panel)), {})


def _x_axes(layout: dict) -> list[dict]:
    return [v for k, v in layout.items() if k.startswith("xaxis")]


def survey_national_figure(rows: pd.DataFrame, lang: str) -> go.Figure:
    """Dots of the national shares with Wilson intervals; one row per round inside each question's panel.

    A row without respondents has no share to recompute: its printed percentage is a hollow marker,
    labelled 'as printed'. A printed percentage that does not match the counts gets a ⚠ on the chart."""
    rows = rows[rows["share_pct"].notna() | rows["reported_pct"].notna()]
    if rows.empty:
        return empty_figure(t("sv.no_rows", lang), t("sv.title", lang))
    rounds = sorted(rows["survey_round"].unique())
    records = list(rows.itertuples())
    asked_in = {q: {r.survey_round for r in part} for (q,), part in _by(records, "question_id").items()}
    layout, qids = _panels(records, lang, lambda q: len(asked_in[q]), 150, 82)
    parts = _by(records, "survey_round", "question_id")
    traces = []
    for r_i, rnd in enumerate(rounds):
        colour, symbol = ROUND_COLOURS[r_i % len(ROUND_COLOURS)], ROUND_SYMBOLS[r_i % len(ROUND_SYMBOLS)]
        name = round_label(rnd, lang)
        when = situation(rows, rnd, lang)
        shown = False
        for panel, qid in enumerate(qids, start=1):
            part = parts.get((rnd, qid))
            if part is None:
                continue
            for has_share in (True, False):
                sel = [r for r in part if _missing(r.share_pct) != has_share]
                if not sel:
                    continue
                x = [float(r.share_pct if has_share else r.reported_pct) for r in sel]
                labels = [dot_label(r, lang) for r in sel]
                # the label sits right of the interval, or left of it near the right edge
                right = [float(r.share_high_pct) if has_share else v for r, v in zip(sel, x)]
                left = [float(r.share_low_pct) if has_share else v for r, v in zip(sel, x)]
                dots = dict(
                    type="scatter", x=x, y=[name] * len(x), mode="markers", legendgroup=rnd,
                    name=name if has_share else f"{name}: {t('sv.printed_only', lang)}",
                    showlegend=not shown,
                    marker=dict(symbol=symbol if has_share else f"{symbol}-open", size=12, color=colour,
                                line=dict(color=colour, width=2)),
                    hovertext=[dot_hover(r, rows, lang, when) for r in sel], hoverinfo="text", **_axes(panel),
                )
                if has_share:
                    dots["error_x"] = dict(type="data", array=[h - v for h, v in zip(right, x)],
                                           arrayminus=[v - lo for lo, v in zip(left, x)], color=colour, thickness=2,
                                           width=5)
                traces.append(dots)
                shown = True
                traces.append(dict(
                    type="scatter",
                    x=[h + 2 if h < LABEL_RIGHT_BELOW else lo - 2 for lo, h in zip(left, right)], y=[name] * len(x),
                    mode="text", text=labels,
                    textposition=["middle right" if h < LABEL_RIGHT_BELOW else "middle left" for h in right],
                    textfont=dict(size=12, color=["#B8360A" if lab.startswith("⚠") else "#222222" for lab in labels]),
                    legendgroup=rnd, showlegend=False, hoverinfo="skip", name=name, **_axes(panel),
                ))
    for panel, qid in enumerate(qids, start=1):  # each panel lists only its own rounds, first on top
        asked = asked_in[qid]
        _axis(layout, "yaxis", panel).update(
            categoryorder="array", categoryarray=[round_label(r, lang) for r in reversed(rounds) if r in asked],
            tickfont=dict(size=12))
    for axis in _x_axes(layout):
        axis.update(range=[0, 100], dtick=20, ticksuffix=" %" if lang == "nb" else "%")
    _axis(layout, "xaxis", len(qids))["title"] = dict(text=t("sv.share_axis", lang))
    layout.update(base_layout(
        title=dict(text=wrap_label(t("sv.nation_title", lang), 40, 2) + "<br><sup>"
                   + wrap_label(t("sv.nation_sub", lang), 56, 4) + "</sup>", x=0.02, xanchor="left", y=1, yref="container", yanchor="top", pad=dict(t=12), font=dict(size=16)),
        height=layout["height"], hovermode="closest", margin=layout["margin"], showlegend=False,
    ))
    return figure_of(traces, layout)


def survey_regional_figure(rows: pd.DataFrame, lang: str, names: dict) -> go.Figure:
    """Counts of respondents answering yes, one bar per region and round inside each question's panel
    (no respondents were published per region, so no share can be drawn)."""
    counted = rows[rows["yes_count"].notna()]
    if counted.empty:
        return empty_figure(t("sv.no_counts", lang), t("sv.title", lang))
    counted = counted.assign(place=[place(r, names, lang) for r in counted.itertuples()])
    regions = sorted(counted["place"].unique(), key=str.lower)
    rounds = sorted(counted["survey_round"].unique())
    records = list(counted.itertuples())
    answered_in = {q: {r.place for r in part} for (q,), part in _by(records, "question_id").items()}
    layout, qids = _panels(records, lang, lambda q: len(answered_in[q]), 100, 128)
    parts = _by(records, "survey_round", "question_id")
    traces = []
    for r_i, rnd in enumerate(rounds):
        colour = ROUND_COLOURS[r_i % len(ROUND_COLOURS)]
        name = round_label(rnd, lang)
        for panel, qid in enumerate(qids, start=1):
            part = parts.get((rnd, qid))
            if part is None:
                continue
            hovers = [f"<b>{r.place}</b>, {name}<br>{wrap_label(question(r, lang), 50, 4)}<br>"
                      + t("sv.hover_count", lang, yes=count(r.yes_count, lang))
                      + ("" if _missing(r.reported_pct) else "<br>" + t("sv.hover_report", lang,
                                                                         printed=f"{pct(r.reported_pct, lang, 0)} %"))
                      + ("" if r.qualifier == "exact" else f"<br>{i18n.qualifier(r.qualifier, lang)}")
                      for r in part]
            traces.append(dict(
                type="bar", x=[int(r.yes_count) for r in part], y=[r.place for r in part], orientation="h", name=name,
                legendgroup=rnd, showlegend=panel == 1 or not traces, marker=dict(color=colour),
                text=[count(r.yes_count, lang) for r in part], textposition="outside", cliponaxis=False,
                hovertext=hovers, hoverinfo="text", **_axes(panel),
            ))
    for panel, qid in enumerate(qids, start=1):  # each panel lists only the regions that answered, A to Z
        answered = answered_in[qid]
        _axis(layout, "yaxis", panel).update(
            categoryorder="array", categoryarray=[r for r in reversed(regions) if r in answered], tickfont=dict(size=12))
    top = int(counted["yes_count"].max())
    for axis in _x_axes(layout):
        axis.update(rangemode="tozero", range=[0, top * 1.15 + 1])
        if top <= 12:
            axis["dtick"] = 1
    _axis(layout, "xaxis", len(qids))["title"] = dict(text=t("sv.count_axis", lang))
    layout.update(base_layout(
        barmode="group", title=dict(text=wrap_label(t("sv.region_title", lang), 40, 2), x=0.02, xanchor="left", y=1, yref="container", yanchor="top", pad=dict(t=12), font=dict(size=16)),
        height=layout["height"], hovermode="closest", margin=layout["margin"],
        # the rounds' legend under the title, above the first question (the top margin holds both)
        legend=dict(orientation="h", yref="container", yanchor="top", y=1 - 58 / layout["height"], xanchor="left",
                    x=0, title=dict(text="")),
    ))
    return figure_of(traces, layout)


def survey_figure(rows: pd.DataFrame, geo_level: str, lang: str, names: dict | None = None) -> go.Figure:
    if geo_level == "nation":
        return survey_national_figure(rows, lang)
    return survey_regional_figure(rows, lang, names or {})


# ------------------------------------------------------------------------------ the table, notes

def round_changes(rows: pd.DataFrame, lang: str) -> dict:
    """Change from the previous round per place and question: percentage points of the share when both
    rounds have one, else the change in the yes count. Keyed by the frame index."""
    out = {}
    ordered = rows.sort_values("survey_round")
    previous: dict[tuple, object] = {}  # (place, question) -> its row of the round before
    for idx, row in zip(ordered.index, ordered.itertuples()):
        key = (row.geo_code, row.question_id)
        if any(_missing(k) for k in key):  # as groupby: a row without a place or question has no neighbours
            continue
        prev = previous.get(key)
        if prev is not None:
            if not _missing(row.share_pct) and not _missing(prev.share_pct):
                diff = float(row.share_pct) - float(prev.share_pct)
                out[idx] = t("sv.change_pp", lang, change=("+" if diff > 0 else "") + pct(diff, lang))
            elif not _missing(row.yes_count) and not _missing(prev.yes_count):
                diff = int(row.yes_count) - int(prev.yes_count)
                out[idx] = t("sv.change_yes", lang, change=("+" if diff > 0 else "") + count(diff, lang))
        previous[key] = row
    return out


TABLE_COLUMNS = ("round", "place", "question", "yes", "n", "share", "ci", "change", "printed", "check",
                 "qualifier", "source_row")


def survey_table_rows(rows: pd.DataFrame, lang: str, names: dict) -> list[list[str]]:
    """Every published row as the chart draws it, in words of the page language."""
    changes = round_changes(rows, lang) if not rows.empty else {}
    out = []
    for idx, row in zip(rows.index, rows.itertuples()):
        has_share = not _missing(row.share_pct)
        out.append([
            round_label(row.survey_round, lang), place(row, names, lang), question(row, lang),
            "" if _missing(row.yes_count) else count(row.yes_count, lang),
            t("sv.not_published", lang) if _missing(row.respondents) else count(row.respondents, lang),
            pct(row.share_pct, lang) if has_share else t("sv.not_computable", lang),
            f"{pct(row.share_low_pct, lang)}–{pct(row.share_high_pct, lang)}" if has_share else "",
            changes.get(idx, ""),
            "" if _missing(row.reported_pct) else pct(row.reported_pct, lang, 0),
            t(f"sv.check.{row.pct_check}", lang),
            "" if row.qualifier == "exact" else i18n.qualifier(row.qualifier, lang),
            f"{row.source_file}:{row.source_row}",
        ])
    return out


def survey_table(rows: pd.DataFrame, lang: str, names: dict):
    return values_table(survey_table_rows(rows, lang, names), [t(f"sv.col.{c}", lang) for c in TABLE_COLUMNS],
                        "survey-table", caption=t("sv.table_caption", lang))


def survey_notes(rows: pd.DataFrame, geo_level: str, lang: str, names: dict) -> list:
    """What a reader must know before reading the chart: no shares by region, hollow markers, and
    every printed percentage that the counts contradict."""
    notes = []
    if rows.empty:
        return notes
    if rows["respondents"].isna().all():
        notes.append(html.P(t("sv.note_no_shares", lang), className="tv-warning", id="survey-no-shares-note"))
    elif geo_level == "nation" and rows["respondents"].isna().any():
        notes.append(html.P(t("sv.note_hollow", lang), className="tv-hint"))
    bad = rows[rows["pct_check"] == "inconsistent"]
    if not bad.empty:
        items = [html.Li(t("sv.note_bad", lang, round=round_label(r.survey_round, lang), place=place(r, names, lang),
                           question=question(r, lang), printed=pct(r.reported_pct, lang, 0),
                           yes=count(r.yes_count, lang), n=count(r.respondents, lang), share=pct(r.share_pct, lang)))
                 for r in bad.itertuples()]
        notes.append(html.Div([html.Strong(t("sv.note_bad_head", lang)), html.Ul(items)], className="tv-warning",
                              id="survey-inconsistent-note"))
    return notes


# -------------------------------------------------------------------------------- the callbacks

def register(app) -> None:
    @app.callback(
        Output("survey-graph", "figure"),
        Output("survey-details", "children"),
        Output("survey-table-box", "children"),
        Output("survey-share-link", "href"),
        Output("survey-share-link", "children"),
        Input("survey-level", "value"),
        Input("survey-tabs", "value"),
        State("survey-lang", "data"),
        prevent_initial_call=True,
    )
    def update_survey(geo_level, tab, lang):
        lang = i18n.lang_of(lang)
        tab = choose_one(tab, TABS, "chart")
        try:
            geo_level = choose_one(geo_level, queries.survey_levels()["geo_level"], "nation")
            rows = queries.survey_rounds(geo_level)
            names = queries.names()
        except queries.WarehouseUnavailable as exc:
            return unavailable_figure(exc, lang), unavailable_notice(exc, lang), no_update, no_update, no_update
        fig, notes = survey_render(rows, geo_level, lang, names)
        href, text = share_link(PATH, {**address_params(geo_level, tab), "lang": lang})
        return fig, notes, survey_table(rows, lang, names), href, text

    @app.callback(
        Output("survey-download", "data"),
        Input("survey-download-button", "n_clicks"),
        State("survey-level", "value"),
        State("survey-lang", "data"),
        prevent_initial_call=True,
    )
    def download_survey(n_clicks, geo_level, lang):
        if not n_clicks:
            return no_update
        lang = i18n.lang_of(lang)
        geo_level = choose_one(geo_level, queries.survey_levels()["geo_level"], "nation")
        rows = queries.survey_rounds(geo_level)
        # the check's verdict in words, like the table tab; the rest is worded by the download kit
        rows = rows.assign(pct_check=[t(f"sv.check.{c}", lang) for c in rows["pct_check"]])
        return csv_download(rows, lang, "survey")
