"""Every view's "Download CSV" in planner wording (issue 11), posted through the Flask test client
the way the browser does, in both languages; and the shared writer on a small frame."""
from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from dash_app import i18n, queries
from dash_app.components.downloads import csv_download, file_name
from tests.app.test_callbacks import post_callback
from tests.app.test_i18n import offending_words

LINEAGE = {"nb": ("Kilde-ID", "Kildefil", "Rad i kildefilen"), "en": ("Source ID", "Source file", "Row in source file")}
DIALECT = {"nb": ";", "en": ","}


def _read(data: dict, lang: str) -> tuple[list[str], list[dict]]:
    text = data["content"]
    assert text.startswith("\ufeff"), "UTF-8 with BOM so Excel reads æøå"
    body = "\n".join(ln for ln in text[1:].splitlines() if not ln.startswith("# "))
    reader = csv.DictReader(io.StringIO(body), delimiter=DIALECT[lang])
    rows = list(reader)
    return list(reader.fieldnames), rows


def _alcohol(lang):
    state = [("alcohol-geo", "value", "municip_nor4601"), ("alcohol-lang", "data", lang)]
    return "alcohol", state, lambda: queries.alcohol_sales("municip_nor4601")


def _overdoses(lang):
    from dash_app.pages.overdoses import overdose_state
    state = [("overdoses-geo", "value", ["municip_nor4601"]), ("overdoses-lang", "data", lang)]
    return "overdoses", state, lambda: queries.overdose(overdose_state(["municip_nor4601"], None)["geos"])


def _substances(lang):
    from dash_app.pages.substances import substances_for_measure, substances_state

    def expected():  # the rows drawn (one indicator, the chosen measure and substances) and the signals
        s = substances_state(None, [], None, None, None)
        drawn, _col, _note = substances_for_measure(s["deaths"], s["measure"])
        drawn = drawn[drawn["substance_id"].isin(s["substances"])]
        return pd.concat([drawn, queries.trend_signals([s["panel"]] if s["panel"] else [])])
    state = [("substances-geo", "value", None), ("substances-checklist", "value", []),
             ("substances-measure", "value", None), ("substances-panel", "value", None),
             ("substances-lang", "data", lang)]
    return "substances", state, expected


def _explorer(lang):
    from dash_app.pages.explorer import explorer_rows, explorer_state
    args = ("overdose_deaths_residents", ["municip_nor4601"], None, None, None, None)
    state = [("explorer-indicator", "value", args[0]), ("explorer-geo", "value", args[1]),
             ("explorer-series", "value", None), ("explorer-ptype", "value", None),
             ("explorer-from", "value", None), ("explorer-to", "value", None), ("explorer-lang", "data", lang)]
    return "explorer", state, lambda: explorer_rows(explorer_state(*args))


def _survey(lang):
    state = [("survey-level", "value", "nation"), ("survey-lang", "data", lang)]
    return "survey", state, lambda: queries.survey_rounds("nation")


VIEWS = [_alcohol, _overdoses, _substances, _explorer, _survey]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.__name__.strip("_"))
def test_view_download_in_planner_words(client, view, lang):
    prefix, state, expected = view(lang)
    client.get("/")
    response = post_callback(client, [(f"{prefix}-download", "data")],
                             [(f"{prefix}-download-button", "n_clicks", 1)], state=state)
    data = response[f"{prefix}-download"]["data"]
    assert data["filename"] == file_name(prefix, lang)
    assert data["filename"].startswith(f"trendvakt_{i18n.CSV_VIEWS[prefix][0 if lang == 'nb' else 1]}_")
    headers, rows = _read(data, lang)
    words = {h[0 if lang == "nb" else 1] for h in i18n.CSV_COLUMNS.values()}
    assert set(headers) <= words, set(headers) - words
    assert not any("_" in h for h in headers), headers
    assert offending_words(headers, lang, []) == {}
    for column in LINEAGE[lang]:
        if prefix != "overdoses":  # the overdose mart carries source ids per measure, below
            assert column in headers, column
    if prefix == "overdoses":
        assert i18n.CSV_COLUMNS["deaths_source_id"][0 if lang == "nb" else 1] in headers
    assert len(rows) == len(expected()) > 0
    qualifier_headers = [i18n.CSV_COLUMNS[c][0 if lang == "nb" else 1] for c in ("qualifier", "deaths_qualifier")]
    codes = set(i18n._QUALIFIERS)
    values = {r[h] for r in rows for h in qualifier_headers if h in r and r[h]}
    if values:
        assert not (values & codes - {"exact", "estimated", "range", "derived", "below", "above"}), values
        assert values & {p[0 if lang == "nb" else 1] for p in i18n._QUALIFIERS.values()}, values
    if prefix == "explorer":  # Bergen's overdose deaths carry 'below' (suppressed small counts)
        assert i18n.qualifier("below", lang) in values, values
        assert "below" not in values or lang == "en"
    if prefix == "survey":  # the printed-vs-counts verdict reads as the table tab words it
        verdicts = {r[i18n.CSV_COLUMNS["pct_check"][0 if lang == "nb" else 1]] for r in rows}
        assert verdicts == {i18n.t(f"sv.check.{c}", lang) for c in ("consistent", "inconsistent", "not_checkable")}
        assert {i18n.CSV_COLUMNS["question"][0 if lang == "nb" else 1], LINEAGE[lang][2]} <= set(headers)
    flat = " ".join(" ".join(r.values()) for r in rows)
    assert "True" not in flat.split(DIALECT[lang]) and "False" not in flat


@pytest.mark.parametrize("measure, kept, left_out", [
    ("rate", "value", ("rate_per_100k", "index")),  # the US rate indicator is published per 100 000
    ("count", "value", ("rate_per_100k", "index")),
    ("index", "index", ("value", "rate_per_100k")),
])
def test_substances_download_has_the_shown_measure_and_signals_in_words(client, measure, kept, left_out):
    client.get("/")
    response = post_callback(client, [("substances-download", "data")], [("substances-download-button", "n_clicks", 1)],
                             state=[("substances-geo", "value", "nation_usa"), ("substances-checklist", "value", []),
                                    ("substances-measure", "value", measure), ("substances-panel", "value", None),
                                    ("substances-lang", "data", "nb")])
    headers, rows = _read(response["substances-download"]["data"], "nb")
    word = {c: i18n.CSV_COLUMNS[c][0] for c in i18n.CSV_COLUMNS}
    assert word[kept] in headers, headers
    assert not {word[c] for c in left_out} & set(headers), headers
    signals = [r for r in rows if r[word["record"]] == i18n.CSV_RECORDS["trend_signal"][0]]
    assert signals, "the panel's trend signals are in the download"
    assert all(r[word["signal"]].split(" (")[0] in {"sterk økning", "økning", "stabilt", "nedgang", "sterk nedgang"}
               for r in signals), {r[word["signal"]] for r in signals}
    assert not any(r[word["detail"]].startswith(("long_term:", "covid_special:")) for r in signals)
    if measure == "index":
        assert {r[word["index_base_year"]] for r in rows if r[word["record"]] != i18n.CSV_RECORDS["trend_signal"][0]}


def test_writer_on_a_small_frame():
    frame = pd.DataFrame({
        "source_row": [3, 4], "value": [1234.5, None], "geo_name": ["Tromsø", "Ålesund"],
        "qualifier": ["below", "exact"], "is_suppressed": [True, False],
        "substance_name_nb": ["Opioider", "Alkohol"], "substance_name_en": ["Opioids", "Alcohol"],
        "source_file": ["a.csv", "b.csv"], "period_start": pd.to_datetime(["2020-01-01", "2021-01-01"]),
    })
    nb = csv_download(frame, "nb", "overdoses")
    assert nb["type"] == "text/csv" and nb["filename"] == f"trendvakt_overdoser_{date.today():%Y-%m-%d}.csv"
    lines = nb["content"].lstrip("\ufeff").splitlines()
    # stable order: place, period, substance, value, qualifier, flag, then lineage
    assert lines[0] == "Sted;Periode fra;Stoff;Verdi;Presisering;Skjult;Kildefil;Rad i kildefilen"
    assert lines[1] == "Tromsø;2020-01-01;Opioider;1234,5;under;Ja;a.csv;3"
    assert lines[2] == "Ålesund;2021-01-01;Alkohol;;eksakt;Nei;b.csv;4"
    en = csv_download(frame, "en", "overdoses")
    lines = en["content"].lstrip("\ufeff").splitlines()
    assert lines[0] == "Place,Period from,Substance,Value,Qualifier,Suppressed,Source file,Row in source file"
    assert lines[1] == "Tromsø,2020-01-01,Opioids,1234.5,below,Yes,a.csv,3"
    assert en["content"].encode("utf-8").startswith(b"\xef\xbb\xbf")
