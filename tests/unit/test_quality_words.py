"""The Data quality view speaks the page's language (issue 11): every check carries its note in
English and Norwegian from where it is declared (expectation suites, singular dbt tests, generic dbt
tests worded from their arguments), every rejection code has words in both languages, the lines
and values a check found are kept apart from the words, and old build files are migrated."""
from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml

from dash_app import i18n
from dash_app.pages.quality import check_words, file_reason, problem_words
from expectations.runner import SUITE_DIR, CheckResult
from ingest.problems import Problem
from warehouse.meta_schema import ensure_meta
from warehouse.quality import dbt_results, record, dbt_test_note

ROOT = Path(__file__).resolve().parents[2]


def _suite_entries():
    for path in sorted(SUITE_DIR.glob("*/*.yml")):
        for no, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["expectations"]):
            yield f"{path.parent.name}/{path.name}[{no}]", item


@pytest.mark.parametrize("where, item", list(_suite_entries()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_suite_entry_explains_itself_in_both_languages(where, item):
    why, why_nb = str(item.get("why") or "").strip(), str(item.get("why_nb") or "").strip()
    assert why, f"{where} has no why:"
    assert why_nb, f"{where} has no why_nb: (Norwegian bokmål, a planner's words)"
    assert why_nb != why, f"{where}: why_nb is the English sentence copied"


def test_two_rules_of_one_kind_on_one_column_differ_by_their_sentence():
    """A result and its notes are joined on check name (type and column) and English sentence."""
    for path in sorted(SUITE_DIR.glob("*/*.yml")):
        seen = set()
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["expectations"]:
            kw = item.get("kwargs") or {}
            key = (item["type"], kw.get("column") or kw.get("column_A") or str(kw.get("column_list")),
                   " ".join(str(item.get("why")).split()))
            assert key not in seen, f"{path.name}: two {key[0]} rules on {key[1]} with the same why:"
            seen.add(key)


# Every way ingest names a rejection: Problem("code", ...) (also across lines), the rule tables of
# the validation layer and the streaming path ((c, "code", ...), ("code", ...)) and the mapping's flag(...).
_CODE_PATTERNS = (r'Problem\(\s*"([a-z0-9_]+)"', r'rules\.append\(\(\s*"([a-z0-9_]+)"',
                  r'checks\.append\(\(\s*c,\s*"([a-z0-9_]+)"', r'flag\([^;]*?,\s*"([a-z0-9_]+)"\)',
                  r'"(spec_error)"')


def problem_codes() -> set[str]:
    codes = set()
    for folder in ("ingest", "expectations"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in _CODE_PATTERNS:
                codes |= set(re.findall(pattern, text, re.S))
    return codes


def test_every_rejection_code_has_words_in_both_languages():
    codes = problem_codes()
    assert {"wrong_encoding", "missing_column", "key_repeated_across_files", "unknown_code", "spec_error",
            "file_name_not_utf8", "wrong_field_count"} <= codes  # the collector sees every kind of call
    missing = sorted(c for c in codes if not all((i18n._T.get(f"dq.problem.{c}") or ("", ""))))
    assert not missing, f"no nb/en words (dash_app/i18n.py dq.problem.<code>) for: {missing}"


def test_a_rejection_reads_in_norwegian():
    assert problem_words("wrong_encoding", "nb").startswith("Filen har en annen tegnkoding")
    # an expectation's own Norwegian sentence wins; an unknown code is named in a Norwegian sentence
    assert problem_words("expect_x(col)", "nb", "Et antall er aldri negativt.") == "Et antall er aldri negativt."
    assert problem_words("conversion", "nb") == "Filen bryter regelen conversion."


def test_a_suite_problem_carries_the_norwegian_reason():
    from ingest.load_paths import _problems_and_warnings

    failed = CheckResult("expect_column_values_to_be_between(n)", "error", False, 2, (3, 5), ("-1", "-4"), "n",
                         "A count is never negative.", "Et antall er aldri negativt.")
    warned = CheckResult("expect_column_values_to_be_between(gap)", "warning", False, 1, (7,), (), "gap",
                         "Gaps are small.", "Avvikene er små.")
    problems, warnings = _problems_and_warnings([failed, warned])
    assert [(p.row, p.value, p.reason_nb) for p in problems] == [(3, "-1", "Et antall er aldri negativt."),
                                                                 (5, "-4", "Et antall er aldri negativt.")]
    assert len(warnings) == 1 and "gap" in warnings[0]


SUITE = {"name": "t", "expectations": [
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "n", "min_value": 0},
     "why": "A count is never negative.", "why_nb": "Et antall er aldri negativt."},
    # as a check written inline in a source spec: no why_nb
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "m", "max_value": 10},
     "why": "Small."},
]}


def _by_column(results):
    return {r.column: r for r in results}


def test_the_gx_runner_carries_both_notes_and_names_an_unexplained_check():
    from expectations.runner import validate

    frame = pl.DataFrame({"n": [1, -1, 2], "m": [1, 2, 30], "source_row": [2, 3, 4]})
    got = _by_column(validate(frame, SUITE))
    assert (got["n"].why, got["n"].why_nb, got["n"].rows) == ("A count is never negative.",
                                                              "Et antall er aldri negativt.", (3,))
    assert "expect_column_values_to_be_between(m)" in got["m"].why_nb and "uten norsk" in got["m"].why_nb


def test_the_sql_runner_carries_both_notes():
    from expectations.sql_checks import validate_table

    con = duckdb.connect()
    con.execute("create table t as select * from (values (1, 1, 2), (-1, 2, 3), (2, 30, 4)) v(n, m, source_row)")
    got = _by_column(validate_table(con, "t", SUITE))
    assert (got["n"].why_nb, got["n"].rows) == ("Et antall er aldri negativt.", (3,))
    assert "expect_column_values_to_be_between(m)" in got["m"].why_nb


def test_generic_dbt_tests_are_worded_from_their_arguments():
    not_null = {"test_metadata": {"name": "not_null", "kwargs": {
        "column_name": "geo_code", "model": "{{ get_where_subquery(ref('dim_geography')) }}"}}}
    assert dbt_test_note(not_null) == ("Column geo_code of dim_geography has a value in every row.",
                                   "Kolonnen geo_code i dim_geography har en verdi i hver rad.")
    accepted = {"test_metadata": {"name": "accepted_values", "kwargs": {
        "column_name": "qualifier", "values": ["below", "range"], "model": "{{ get_where_subquery(ref('obs')) }}"}}}
    en, nb = dbt_test_note(accepted)
    assert "'below', 'range'" in en and "«below», «range»" in nb  # codes quoted as codes
    relationships = {"test_metadata": {"name": "relationships", "kwargs": {
        "column_name": "source_id", "to": "ref('dim_source')", "field": "source_id",
        "model": "{{ get_where_subquery(ref('fct_observations')) }}"}}}
    assert dbt_test_note(relationships)[1] == "Hver source_id i fct_observations finnes som source_id i dim_source."
    # a generic test nobody has worded yet: named, in each language
    unknown = {"test_metadata": {"name": "my_new_test", "kwargs": {"model": "{{ get_where_subquery(ref('m')) }}"}}}
    assert dbt_test_note(unknown) == ("The test my_new_test on m.", "Testen my_new_test på m (uten norsk forklaring).")


def test_singular_dbt_tests_all_have_notes_in_both_languages():
    properties = yaml.safe_load((ROOT / "dbt_project/tests/_singular_tests.yml").read_text(encoding="utf-8"))
    declared = {t["name"]: t for t in properties["data_tests"]}
    tests = sorted(p.stem for p in (ROOT / "dbt_project/tests").glob("*.sql"))
    assert tests and sorted(declared) == tests
    for name, entry in declared.items():
        meta = entry["config"]["meta"]
        assert entry.get("description") and meta.get("note_en") and meta.get("note_nb"), name


def test_dbt_results_keep_the_tests_words_not_dbts_message(tmp_path):
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps({"results": [
        {"unique_id": "test.trendvakt.not_null_obs_value.abc", "status": "fail", "failures": 3,
         "message": "Got 3 results, configured to fail if != 0"},
        {"unique_id": "test.trendvakt.assert_x", "status": "warn", "failures": 1,
         "message": "Got 1 result, configured to warn if != 0"},
        {"unique_id": "model.trendvakt.obs", "status": "error", "message": "Binder Error: column z"},
    ]}))
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": {
        "test.trendvakt.not_null_obs_value.abc": {"test_metadata": {"name": "not_null", "kwargs": {
            "column_name": "value", "model": "{{ get_where_subquery(ref('obs')) }}"}}},
        "test.trendvakt.assert_x": {"name": "assert_x", "description": "X holds.",
                                    "config": {"meta": {"note_en": "X holds always.", "note_nb": "X gjelder alltid."}}},
    }}))
    rows = {r["check_name"]: r for r in dbt_results(run_results)}
    generic = rows["test.trendvakt.not_null_obs_value.abc"]
    assert (generic["status"], generic["failures"], generic["details_nb"]) == (
        "fail", 3, "Kolonnen value i obs har en verdi i hver rad.")
    assert "Got 3" not in generic["details"]
    assert (rows["test.trendvakt.assert_x"]["details"], rows["test.trendvakt.assert_x"]["details_nb"]) == (
        "X holds always.", "X gjelder alltid.")
    model = rows["model.trendvakt.obs"]
    assert "Binder Error" in model["details"] and "modellen obs" in model["details_nb"]


OLD_QUALITY_RESULTS = """create table meta.quality_results (
    run_id varchar not null, load_id varchar, layer varchar not null, check_name varchar not null,
    target varchar, severity varchar not null, status varchar not null, failures bigint, details varchar,
    recorded_at timestamp not null)"""


# how publish.quality_results joins a result and its notes (models/publish/quality_results.sql)
NOTES_JOIN = """select r.check_name, r.details, n.details_nb, n.source_rows, n.sample_values
    from meta.quality_results r left join meta.quality_notes n
      on r.run_id = n.run_id and r.layer = n.layer and r.check_name = n.check_name
     and r.load_id is not distinct from n.load_id and r.target is not distinct from n.target
     and r.details is not distinct from n.details"""


def test_an_old_build_file_is_migrated_and_keeps_its_rows():
    con = duckdb.connect()
    con.execute("create schema meta")
    con.execute(OLD_QUALITY_RESULTS)
    con.execute("insert into meta.quality_results values ('r0', null, 'dbt', 'old', 'test', 'error', 'pass', 0, "
                "'old words', now())")
    ensure_meta(con)
    ensure_meta(con)  # twice changes nothing
    # meta.quality_results keeps its ten columns (readers take them positionally); the notes are beside it
    assert len(con.execute("describe meta.quality_results").fetchall()) == 10
    assert "reason_nb" in [c[0] for c in con.execute("describe meta.rejections").fetchall()]
    record(con, "build-1", "marts", [{"check_name": "c", "target": "publish.x", "severity": "warning", "status": "warn",
                                      "failures": 2, "details": "Rule.", "details_nb": "Regel.",
                                      "sample_values": ("a", "b")}])
    assert con.execute(NOTES_JOIN + " order by r.check_name desc").fetchall() == [
        ("old", "old words", None, None, None), ("c", "Rule.", "Regel.", None, ["a", "b"])]


def test_ingest_bookkeeping_keeps_lines_and_norwegian_apart(tmp_path):
    from ingest.loader import FileOutcome, _record_quality, _record_rejection

    con = duckdb.connect(str(tmp_path / "b.duckdb"))
    ensure_meta(con)
    _record_quality(con, "run1", "run1-src-abc", "raw.src__t", [CheckResult(
        "expect_column_values_to_be_between(gap)", "warning", False, 2, (3, 9), (), "gap", "Gaps are small.",
        "Avvikene er små.")])
    assert con.execute(NOTES_JOIN).fetchall() == [
        ("expect_column_values_to_be_between(gap)", "Gaps are small.", "Avvikene er små.", [3, 9], None)]
    outcome = FileOutcome("src/bad.csv", "src", "rejected", load_id="run1-src-def")
    outcome.problems = [Problem("wrong_encoding", "the file is not UTF-8", row=4),
                        Problem("expect_x(n)", "A count is never negative.", row=5, column="n", value="-1",
                                reason_nb="Et antall er aldri negativt.")]
    _record_rejection(con, outcome, "def", 10, "2026-12-03 10:00:00", [])
    assert con.execute("select check_name, source_row, reason_nb from meta.rejections order by source_row").fetchall() == [
        ("wrong_encoding", 4, None), ("expect_x(n)", 5, "Et antall er aldri negativt.")]
    message = con.execute("select message from meta.load_log").fetchall()[0][0]
    assert message.endswith("[rule: wrong_encoding]")  # the view words the first problem from its code


def test_the_view_composes_what_a_check_found_in_each_language():
    row = {"check_name": "expect_column_values_to_be_between(pct_gap)", "layer": "ingest", "failures": 1,
           "status": "warn", "details": "The gap is small.", "details_nb": "Avviket er lite.", "source_rows": [3]}
    assert check_words(row, "nb") == "1 rad bryter regelen (linje 3): Avviket er lite."
    assert check_words(row, "en") == "1 row breaks the rule (line 3): The gap is small."
    many = {**row, "failures": 1234, "source_rows": [3, 8]}
    assert check_words(many, "nb").startswith("1\u00a0234 rader bryter regelen (linjene 3, 8)")
    marts = {"check_name": "c", "layer": "marts", "failures": 1, "details": "Known.", "details_nb": "Kjent.",
             "sample_values": ["inconsistent"]}
    assert check_words(marts, "en") == "1 row breaks the rule: Known. Values found: inconsistent."
    # a result recorded before the Norwegian note was kept: a Norwegian sentence naming the check
    old = {"check_name": "test.trendvakt.assert_x", "layer": "dbt", "failures": 1,
           "details": "Got 1 result, configured to warn if != 0"}
    assert "Got" not in check_words(old, "nb") and "assert_x" in check_words(old, "nb")


def test_a_file_row_says_what_happened_in_the_page_language():
    loaded = {"source_file": "korus/rounds.csv", "status": "loaded", "n_warnings": 2,
              "message": "expect_x(gap): 1 row(s) break the rule. The printed percentage ..."}
    assert file_reason(loaded, "nb") == "rounds.csv: lastet med 2 varsler; se kontrollene nedenfor"
    assert file_reason(loaded, "en") == "rounds.csv: loaded with 2 warnings; see the checks below"
    # a warehouse without n_warnings: counted from the checks of the load
    older = {k: v for k, v in loaded.items() if k != "n_warnings"} | {"last_load_id": "L1"}
    assert file_reason(older, "nb", {"L1": 1}) == "rounds.csv: lastet med 1 varsel; se kontrollene nedenfor"
    rejected = {"source_file": "nrs/deaths.csv", "status": "rejected", "publication_status": "rejected_nothing_published",
                "message": "nrs/deaths.csv, line 3: the file is not UTF-8 [rule: wrong_encoding]"}
    nb = file_reason(rejected, "nb")
    assert "filen ble avvist" in nb and "tegnkoding" in nb and "UTF-8" not in nb
    assert "the file is not UTF-8" in file_reason(rejected, "en")
    unchanged = {"source_file": "a.csv", "status": "unchanged", "message": "same content as an earlier load: nothing to do"}
    assert file_reason(unchanged, "nb") == "" and file_reason(unchanged, "en") == ""
