"""Non-figure parts of views that both a page layout and its callbacks render."""
from __future__ import annotations

import pandas as pd
from dash import html

from dash_app.components import source_note
from dash_app.figures import _fmt_int, _missing


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
