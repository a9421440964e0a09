"""One "Download CSV" for every view (issue 11): planner wording in the page language.

`csv_download(frame, lang, view)` returns the dict dcc.Download expects. What it does and why:

- Columns are renamed with i18n.CSV_COLUMNS and put in that dict's order (a stable order that does
  not depend on the query's); columns it does not know keep their place after the known ones.
  <base>_nb / <base>_en pairs are sent in the page language only.
- Lineage columns (source, source file, source row, load id) are kept so every number stays
  traceable to the file and row it came from.
- Booleans read Ja/Nei or Yes/No, qualifier codes read in words (i18n.yes_no, i18n.qualifier).
- Numbers are unformatted (no thousands separators, full precision). The delimiter and decimal
  mark follow the spreadsheet's locale: Excel with a Norwegian locale splits on ';' and reads ','
  as the decimal mark, so nb writes `;` and `,`; en writes `,` and `.`.
- UTF-8 with a byte-order mark, so Excel opens æøå correctly instead of guessing a code page.
- The file name is in the page language with the view and today's date.
"""
from __future__ import annotations

import io
from datetime import date

import pandas as pd

from dash_app import i18n
from dash_app.components.series import _missing

BOM = "\ufeff"
QUALIFIER_COLUMNS = ("qualifier", "deaths_qualifier")
# Stored as text or 0/1 in some marts, still yes/no questions.
BOOLEAN_COLUMNS = ("is_provisional", "is_suppressed", "rate_unreliable")
DIALECTS = {"nb": {"sep": ";", "decimal": ","}, "en": {"sep": ",", "decimal": "."}}


def _in_language(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Keep <base>_<lang> as <base>; drop the other language's twin."""
    other = i18n.other(lang)
    keep = {}
    for col in frame.columns:
        if col.endswith(f"_{other}") and col[: -len(other) - 1] + f"_{lang}" in frame.columns:
            continue
        keep[col] = col[: -len(lang) - 1] if col.endswith(f"_{lang}") else col
    return frame[list(keep)].rename(columns=keep)


def planner_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame as a planner reads it: words for headers, booleans and qualifiers, stable order."""
    lang = i18n.lang_of(lang)
    out = _in_language(frame.reset_index(drop=True), lang)
    order = list(i18n.CSV_COLUMNS)
    known = [c for c in order if c in out.columns]
    out = out[known + [c for c in out.columns if c not in i18n.CSV_COLUMNS]].copy()
    for col in out.columns:
        if col in QUALIFIER_COLUMNS:
            out[col] = [i18n.qualifier(v, lang) if not _missing(v) else "" for v in out[col]]
        elif col in BOOLEAN_COLUMNS or pd.api.types.is_bool_dtype(out[col]):
            out[col] = ["" if _missing(v) else i18n.yes_no(v, lang) for v in out[col]]
        elif col == "record":
            out[col] = [_pair(i18n.CSV_RECORDS, v, lang) for v in out[col]]
        elif pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")  # ISO dates: every spreadsheet reads them
    li = 0 if lang == "nb" else 1
    return out.rename(columns={c: i18n.CSV_COLUMNS[c][li] for c in out.columns if c in i18n.CSV_COLUMNS})


def file_name(view: str, lang: str, day: date | None = None) -> str:
    lang = i18n.lang_of(lang)
    return f"trendvakt_{_pair(i18n.CSV_VIEWS, view, lang)}_{(day or date.today()):%Y-%m-%d}.csv"


def csv_text(frame: pd.DataFrame, lang: str, preamble: list[str] = ()) -> str:
    """CSV text with a BOM; `preamble` lines come first as `# ` comments (e.g. the explorer's metadata)."""
    lang = i18n.lang_of(lang)
    buf = io.StringIO()
    buf.write(BOM)
    for line in preamble:
        buf.write("# " + str(line).replace("\n", " ") + "\n")
    planner_frame(frame, lang).to_csv(buf, index=False, lineterminator="\n", **DIALECTS[lang])
    return buf.getvalue()


def csv_download(frame: pd.DataFrame, lang: str, view: str, preamble: list[str] = ()) -> dict:
    """What dcc.Download's `data` expects."""
    return {"content": csv_text(frame, lang, preamble), "filename": file_name(view, lang), "type": "text/csv"}


def _pair(vocab: dict, value, lang: str) -> str:
    pair = vocab.get(str(value))
    return str(value) if pair is None else pair[0 if lang == "nb" else 1]

