"""One language per page: every string a planner can see (text, control labels and options, chart
titles, axis titles, legend entries, annotations and hover text) is in the page's language.

The check is by words: each language has a list of common words that the other language does not
use. Names a publisher gave its own work (source titles, publishers, citations, licences, URLs,
file names) are quoted as published and are exempt: they come from publish.sources and the source
labels of the data views. So are quotations in «guillemets» (a trend panel's own wording) and
addresses (the share link's text).
"""
from __future__ import annotations

import json
import re

import duckdb
import pytest

from tests.app.test_callbacks import render_page

# Words that only English uses (words both languages write, such as "per", "last" in "last ned",
# "men" (nb: but), "trend", "under" or place names like Finland, are left out) (among the app's vocabulary) and only Norwegian (bokmål) uses.
ENGLISH_ONLY = {
    "the", "and", "of", "with", "not", "below", "above", "range", "deaths", "death", "source", "sources",
    "licence", "license", "false", "true", "yes", "year", "years", "all", "show", "place", "places", "value",
    "values", "provisional", "suppressed", "share", "download", "chart", "table", "rows", "round", "question",
    "printed", "respondents", "change", "previous", "loaded", "days", "ago", "unit", "measure",
    "increase", "decrease", "stable", "women", "total", "published", "unavailable", "warehouse",
    "events", "cannot", "computed", "repository", "callouts", "sales", "litres", "period", "first",
    "norway", "scotland", "sweden", "denmark", "between", "each", "substance", "substances",
}
NORWEGIAN_ONLY = {
    "og", "av", "med", "ikke", "fra", "til", "år", "dødsfall", "kilde", "kilder", "lisens", "ja", "nei",
    "sted", "steder", "verdi", "foreløpig", "skjult", "endring", "runde", "spørsmål", "svarende", "andel",
    "menn", "kvinner", "alle", "vis", "tabell", "figur", "periode", "enhet", "siste", "utrykninger",
    "norge", "skottland", "sverige", "danmark", "hendelser", "lastet", "dager", "siden", "rusmidler",
    "rusmiddel", "salg", "liter", "antall", "ingen", "eller", "hver", "også", "grense",
}
FORBIDDEN = {"nb": ENGLISH_ONLY, "en": NORWEGIAN_ONLY}
WORD = re.compile(r"[A-Za-zÆØÅæøå]+")
TAG = re.compile(r"<[^>]+>|%\{[^}]*\}")

# Props whose strings a reader sees.
VISIBLE_PROPS = ("children", "label", "placeholder", "title", "aria-label", "alt")
FIGURE_TEXT_KEYS = ("text", "name", "hovertemplate", "hovertext", "title")


def _figure_strings(node, out: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FIGURE_TEXT_KEYS and isinstance(value, str):
                out.append(value)
            elif key in FIGURE_TEXT_KEYS and isinstance(value, list):
                out.extend(v for v in value if isinstance(v, str))
            elif key == "customdata":
                continue  # numbers and pre-formatted hover parts also appear via hovertemplate
            else:
                _figure_strings(value, out)
    elif isinstance(node, list):
        for item in node:
            _figure_strings(item, out)


def visible_strings(node, out: list[str] | None = None) -> list[str]:
    """Every reader-visible string of a Dash component tree as rendered JSON."""
    out = [] if out is None else out
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, list):
        for item in node:
            visible_strings(item, out)
    elif isinstance(node, dict):
        props = node.get("props") if "type" in node and "namespace" in node else None
        if props is None:
            for value in node.values():
                visible_strings(value, out)
            return out
        if node.get("type") in ("Store", "Location", "Download"):
            return out
        for key in VISIBLE_PROPS:
            if key in props:
                visible_strings(props[key], out)
        for option in props.get("options") or []:
            if isinstance(option, dict):
                visible_strings(option.get("label"), out)
            elif isinstance(option, str):
                out.append(option)
        if isinstance(props.get("figure"), dict):
            _figure_strings(props["figure"], out)
    return out


@pytest.fixture(scope="module")
def published_names(app_warehouse) -> list[str]:
    """Texts quoted as their publisher wrote them (longest first, so a title is removed whole)."""
    with duckdb.connect(str(app_warehouse), read_only=True) as con:
        cols = {r[0] for r in con.execute("select column_name from information_schema.columns "
                                          "where table_schema = 'publish' and table_name = 'sources'").fetchall()}
        wanted = [c for c in ("title", "publisher", "citation", "licence", "url", "source_label", "name")
                  if c in cols]
        rows = con.execute(f"select {', '.join(wanted)} from publish.sources").fetchall()
        rows += con.execute("select distinct source_label from publish.load_status union "
                            "select distinct source_label from publish.indicator_series").fetchall()
        # a place whose name is the same in both languages (Bergen, District of Columbia) is a proper name
        rows += con.execute("select name_nb from marts.dim_geography where name_nb = name_en").fetchall()
    names = {" ".join(str(v).split()) for row in rows for v in row if isinstance(v, str) and v.strip()}
    # a chart may show a long name in pieces (one per line): each comma-separated piece is a name too
    names |= {part.strip() for name in list(names) for part in name.split(",") if len(part.strip()) >= 8}
    return sorted(names, key=len, reverse=True)


def offending_words(strings: list[str], lang: str, exempt: list[str]) -> dict[str, str]:
    """{word: the text it was found in} for every word of the other language."""
    found: dict[str, str] = {}
    for text in strings:
        plain = " ".join(TAG.sub(" ", text).split())
        for name in exempt:
            if name in plain:
                plain = plain.replace(name, " ")
        while re.search(r"«[^«»]*»", plain):  # quotations keep the language they were said in
            plain = re.sub(r"«[^«»]*»", " ", plain)
        plain = re.sub(r"\S+\.(csv|xlsx|json|pdf|gz|txt)\b|https?://\S+|(?<!\S)/\S*|\b[a-z]+_[a-z0-9_]+\b", " ", plain)
        for word in WORD.findall(plain):
            if word.lower() in FORBIDDEN[lang] and word.lower() not in found:
                found[word.lower()] = plain.strip()[:120]
    return found


# Every view in both languages (issue 11).
CLEAN = [("/", "nb"), ("/", "en"), ("/substances", "nb"), ("/substances", "en"), ("/overdoses", "nb"), ("/overdoses", "en"), ("/survey-rounds", "nb"), ("/survey-rounds", "en"),
         ("/alcohol", "nb"), ("/alcohol", "en"), ("/explorer", "nb"), ("/explorer", "en"), ("/quality", "nb"), ("/quality", "en"),
         ("/sources", "nb"), ("/sources", "en")]


@pytest.mark.parametrize("path, lang", CLEAN)
def test_a_page_speaks_one_language(client, path, lang, published_names):
    tree = json.loads(render_page(client, path, f"?lang={lang}"))
    strings = visible_strings(tree)
    assert strings, f"{path}: no visible text found"
    bad = offending_words(strings, lang, published_names)
    assert not bad, f"{path} in {lang} shows words of the other language: " + "; ".join(
        f"{w!r} in «{where}»" for w, where in sorted(bad.items()))


def test_the_checker_catches_a_mixed_page():
    assert offending_words(["Kilde: below 30 deaths"], "nb", []) == {"below": "Kilde: below 30 deaths",
                                                                   "deaths": "Kilde: below 30 deaths"}
    assert offending_words(["Source: Statistisk sentralbyrå"], "en", ["Statistisk sentralbyrå"]) == {}
    assert set(offending_words(["Dødsfall, Norge"], "en", [])) == {"dødsfall", "norge"}
    assert offending_words(["Signal: «økning i bruk» (n=29)", "/alcohol?measure=litres"], "en", []) == {}


def test_numbers_dates_and_booleans_follow_the_language():
    from dash_app import i18n

    assert i18n.num(12345.6, "nb", 1) == "12\u00a0345,6"
    assert i18n.num(12345.6, "en", 1) == "12,345.6"
    assert i18n.num(float("nan"), "nb") == "–"
    assert i18n.date("2026-12-03", "nb") == "3. des. 2026"
    assert i18n.date("2026-12-03", "en") == "3 Dec 2026"
    assert (i18n.yes_no(False, "nb"), i18n.yes_no(True, "en"), i18n.yes_no(None, "en")) == ("Nei", "Yes", "")
    assert i18n.qualifier("below", "nb") == "under" and i18n.qualifier("range", "en") == "range"
