"""Survey rounds: KoRus rapid survey 2021, national and by region; shares with Wilson intervals, n always shown."""
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html, Input, no_update, Output, State

from dash_app import i18n, queries
from dash_app.components.notes import share_link, source_note, unavailable_notice
from dash_app.components.page import (
    actions,
    control,
    GRAPH_CONFIG,
    page,
    unavailable_figure,
    unavailable_page,
)
from dash_app.components.series import _fmt_int, _fmt_pct, _missing, empty_figure, wrap_label
from dash_app.components.theme import base_layout, OKABE_ITO, SERIES_COLOURS
from dash_app.state import choose_one

PATH = "/survey-rounds"
NAV = "nav.survey"
PREFIX = "survey"  # component ids of this view start with "survey-"


def layout(level=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    try:
        levels = queries.survey_levels()
        chosen = choose_one(level, levels["geo_level"], "nation")
        rows = queries.survey_rounds(chosen)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "survey", t("sv.title", lang))
    return page(
        [
            html.H1(t("sv.title", lang)),
            html.P(t("sv.lead", lang), className="tv-lead"),
            html.Section(
                [
                    html.Div(control(t("sv.level", lang), dcc.Dropdown(
                        id="survey-level", clearable=False, className="tv-dropdown", value=chosen,
                        options=[{"label": t(f"sv.{r.geo_level}", lang) if r.geo_level in ("nation", "georegion")
                                  else r.geo_level.title(), "value": r.geo_level} for r in levels.itertuples()])),
                        className="tv-controls"),
                    dcc.Loading(dcc.Graph(id="survey-graph", figure=survey_figure(rows, chosen, lang),
                                          config=GRAPH_CONFIG)),
                    html.Div(survey_details(rows, chosen, lang), id="survey-details"),
                ],
                className="tv-card",
            ),
            actions("survey", PATH, {"level": chosen}, lang),
        ],
        lang, "survey",
    )


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


def round_changes(rows: pd.DataFrame) -> dict:
    """Change from the previous round per place and question: percentage points of the share when both
    rounds have one, else the change in the yes count. Keyed by the frame index."""
    out = {}
    if rows.empty:
        return out
    for _key, part in rows.sort_values("survey_round").groupby(["geo_code", "question_id"]):
        prev = None
        for idx, row in part.iterrows():
            if prev is not None:
                if not _missing(row["share_pct"]) and not _missing(prev["share_pct"]):
                    out[idx] = f"{float(row['share_pct']) - float(prev['share_pct']):+.1f} pp"
                elif not _missing(row["yes_count"]) and not _missing(prev["yes_count"]):
                    out[idx] = f"{int(row['yes_count']) - int(prev['yes_count']):+d} (yes)"
            prev = row
    return out


def survey_table_rows(rows: pd.DataFrame, lang: str = "en") -> list[dict]:
    out = []
    changes = round_changes(rows)
    for idx, row in zip(rows.index, rows.itertuples()):
        has_share = not _missing(row.share_pct)
        out.append({
            "round": row.survey_round,
            "change": changes.get(idx, ""),
            "place": row.geo_name,
            "question": row.question_nb if lang == "nb" else row.question_en,
            "yes": "" if _missing(row.yes_count) else int(row.yes_count),
            "n": "not published" if _missing(row.respondents) else int(row.respondents),
            "share": f"{float(row.share_pct):.1f}" if has_share else "cannot be computed",
            "ci": (f"{float(row.share_low_pct):.1f}–{float(row.share_high_pct):.1f}" if has_share else ""),
            "printed": "" if _missing(row.reported_pct) else f"{float(row.reported_pct):.0f}",
            "check": ("⚠ inconsistent" if row.pct_check == "inconsistent" else str(row.pct_check)),
            "source_row": f"{row.source_file}:{row.source_row}",
        })
    return out


SURVEY_COLUMNS = [
    ("round", "Round"), ("place", "Place"), ("question", "Question"), ("yes", "Yes"),
    ("n", "n (respondents)"), ("share", "Share %"), ("ci", "95% CI (Wilson)"),
    ("change", "Change from previous round"),
    ("printed", "Printed %"), ("check", "Printed vs counts"), ("source_row", "Source row"),
]


SURVEY_COLUMNS_NB = {"round": "Runde", "place": "Sted", "question": "Spørsmål", "yes": "Ja",
                     "n": "n (svarende)", "share": "Andel %", "ci": "95 % KI (Wilson)",
                     "change": "Endring fra forrige runde", "printed": "Trykt %", "check": "Trykt mot antall",
                     "source_row": "Kilderad"}


def survey_details(rows: pd.DataFrame, geo_level: str, lang: str = "en"):
    """Notes (inconsistent rows, missing respondents), the source line and a table of the rows."""
    notes = []
    if not rows.empty and rows["respondents"].isna().all():
        notes.append(html.P(
            "Antall svarende per landsdel ble ikke publisert, så andeler og intervaller kan ikke "
            "regnes ut her: stolpene viser hvor mange som svarte ja (antall)." if lang == "nb" else
            "Respondents per region were not published, so shares and their intervals cannot be "
            "computed here: the bars show how many respondents answered yes (counts).",
            className="tv-warning", id="survey-no-shares-note",
        ))
    elif geo_level == "nation" and rows["respondents"].isna().any():
        notes.append(html.P(
            "Åpne markører: rapporten trykket en prosent, men ikke antall svarende, så andelen kan "
            "ikke regnes ut på nytt og ingen intervall kan tegnes." if lang == "nb" else
            "Hollow markers: the report printed a percentage but not the number of respondents, so "
            "the share cannot be recomputed and no interval can be drawn.",
            className="tv-hint",
        ))
    bad = rows[rows["pct_check"] == "inconsistent"] if not rows.empty else rows
    if not bad.empty:
        items = [
            html.Li(
                f"{r.survey_round}, {r.geo_name}, «{r.question_nb}»: rapporten trykket "
                f"{float(r.reported_pct):.0f} % for {_fmt_int(r.yes_count)} av {_fmt_int(r.respondents)}, "
                f"som er {float(r.share_pct):.1f} %." if lang == "nb" else
                f"{r.survey_round}, {r.geo_name}, «{r.question_en}»: the report printed "
                f"{float(r.reported_pct):.0f}% for {_fmt_int(r.yes_count)} of {_fmt_int(r.respondents)}, "
                f"which is {float(r.share_pct):.1f}%."
            )
            for r in bad.itertuples()
        ]
        notes.append(html.Div(
            [html.Strong("⚠ Trykt prosent stemmer ikke med antallene:" if lang == "nb" else
                         "⚠ Printed percentage does not match the counts:"), html.Ul(items)],
            className="tv-warning", id="survey-inconsistent-note",
        ))
    records = survey_table_rows(rows, lang)
    table = html.Table(
        [
            html.Thead(html.Tr([html.Th(SURVEY_COLUMNS_NB[key] if lang == "nb" else label)
                                for key, label in SURVEY_COLUMNS])),
            html.Tbody([
                html.Tr([html.Td(str(rec[key])) for key, _ in SURVEY_COLUMNS],
                        className="tv-row-flag" if "inconsistent" in rec["check"] else None)
                for rec in records
            ]),
        ],
        id="survey-table",
        className="tv-table",
    )
    from dash_app.i18n import t

    return [*notes, source_note(rows, ["korus_rapid_survey"] if rows.empty else None, lang=lang),
            html.Details([html.Summary(t("sv.rows", lang)), html.Div(table, className="tv-table-wrap")],
                         className="tv-details", open=True)]


def register(app) -> None:
    @app.callback(
        Output("survey-graph", "figure"),
        Output("survey-details", "children"),
        Output("survey-share-link", "href"),
        Output("survey-share-link", "children"),
        Input("survey-level", "value"),
        State("survey-lang", "data"),
        prevent_initial_call=True,
    )
    def update_survey(geo_level, lang):
        lang = i18n.lang_of(lang)
        try:
            levels = set(queries.survey_levels()["geo_level"])
            geo_level = geo_level if geo_level in levels else "nation"
            rows = queries.survey_rounds(geo_level)
        except queries.WarehouseUnavailable as exc:
            return unavailable_figure(exc, lang), unavailable_notice(exc, lang), no_update, no_update
        href, text = share_link(PATH, {"level": geo_level, "lang": lang})
        return survey_figure(rows, geo_level, lang), survey_details(rows, geo_level, lang), href, text

    @app.callback(
        Output("survey-download", "data"),
        Input("survey-download-button", "n_clicks"),
        State("survey-level", "value"),
        prevent_initial_call=True,
    )
    def download_survey(n_clicks, geo_level):
        if not n_clicks:
            return no_update
        levels = set(queries.survey_levels()["geo_level"])
        return dcc.send_data_frame(queries.survey_rounds(geo_level if geo_level in levels else None).to_csv,
                                   "trendvakt_survey_rounds.csv", index=False)
