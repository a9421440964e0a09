"""Non-figure parts of views that both a page layout and its callbacks render."""
from __future__ import annotations

import pandas as pd
from dash import html

from dash_app.components import source_note
from dash_app.figures import _fmt_int, _missing


def survey_table_rows(rows: pd.DataFrame) -> list[dict]:
    out = []
    for row in rows.itertuples():
        has_share = not _missing(row.share_pct)
        out.append({
            "round": row.survey_round,
            "place": row.geo_name,
            "question": row.question_en,
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
    ("printed", "Printed %"), ("check", "Printed vs counts"), ("source_row", "Source row"),
]


def survey_details(rows: pd.DataFrame, geo_level: str):
    """Notes (inconsistent rows, missing respondents), the source line and a table of the rows."""
    notes = []
    if not rows.empty and rows["respondents"].isna().all():
        notes.append(html.P(
            "Respondents per region were not published, so shares and their intervals cannot be "
            "computed here: the bars show how many respondents answered yes (counts).",
            className="tv-warning", id="survey-no-shares-note",
        ))
    elif geo_level == "nation" and rows["respondents"].isna().any():
        notes.append(html.P(
            "Hollow markers: the report printed a percentage but not the number of respondents, so "
            "the share cannot be recomputed and no interval can be drawn.",
            className="tv-hint",
        ))
    bad = rows[rows["pct_check"] == "inconsistent"] if not rows.empty else rows
    if not bad.empty:
        items = [
            html.Li(
                f"{r.survey_round}, {r.geo_name}, «{r.question_en}»: the report printed "
                f"{float(r.reported_pct):.0f}% for {_fmt_int(r.yes_count)} of {_fmt_int(r.respondents)}, "
                f"which is {float(r.share_pct):.1f}%."
            )
            for r in bad.itertuples()
        ]
        notes.append(html.Div(
            [html.Strong("⚠ Printed percentage does not match the counts:"), html.Ul(items)],
            className="tv-warning", id="survey-inconsistent-note",
        ))
    records = survey_table_rows(rows)
    table = html.Table(
        [
            html.Thead(html.Tr([html.Th(label) for _, label in SURVEY_COLUMNS])),
            html.Tbody([
                html.Tr([html.Td(str(rec[key])) for key, _ in SURVEY_COLUMNS],
                        className="tv-row-flag" if "inconsistent" in rec["check"] else None)
                for rec in records
            ]),
        ],
        id="survey-table",
        className="tv-table",
    )
    return [*notes, source_note(rows, ["korus_rapid_survey"] if rows.empty else None),
            html.Details([html.Summary("Rows behind the chart"), table], className="tv-details")]
