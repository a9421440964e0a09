"""The validation layer (ingest/validation.py): each rule, and the same rules on both load paths.

Specs go through load_spec, files are real files on disk, DuckDB is a real in-memory database.
"""
from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import duckdb
import pytest

from ingest.parsers import parse
from ingest.problems import FileRejected, SpecError
from ingest.registry import load_spec
from ingest.streaming import STAGING_TABLE, stream_into_staging
from ingest.validation import check_frame, check_table, scan_bytes, scan_file
from tests.conftest import SPEC_HEAD as HEAD


COUNTS = """\
{plausible}
columns:
  - {{name: year, type: integer, required: true}}
  - {{name: municipality, type: varchar}}
  - {{name: round, type: varchar}}
  - {{name: day, type: date}}
  - {{name: count, type: integer}}
  - {{name: big, type: bigint}}
  - {{name: rate, type: double}}
"""
HEADER = "year,municipality,round,day,count,big,rate\n"
GOOD_ROW = "2020,0301,2020-W53,2020-03-01,12,5,1.5\n"
NEXT_YEAR = dt.date.today().year + 1


def spec_of(tmp_path: Path, fmt: str, body: str, source_id: str = "counts"):
    path = tmp_path / f"{source_id}_{fmt}.yml"
    path.write_text(HEAD.format(id=source_id, format=fmt) + body, encoding="utf-8")
    return load_spec(path)


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def parsed_problems(con, spec, text: str):
    data = text.encode("utf-8")
    problems = scan_bytes(data, spec)
    try:
        frame = parse(data, spec)
    except FileRejected as rejected:
        return problems + rejected.problems
    return problems + check_frame(con, frame, spec)


def streamed_problems(con, spec, text: str, tmp_path: Path):
    path = tmp_path / "file.csv.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    problems = scan_file(path, spec)
    try:
        stream_into_staging(con, path, spec)
    except FileRejected as rejected:
        return problems + rejected.problems
    return problems + check_table(con, STAGING_TABLE, spec)


def found(problems) -> set[tuple]:
    return {(p.check, p.row, p.column) for p in problems}


# (bad row, the rule it breaks, the column named)
BAD_ROWS = [
    ("2020,0301,2020-W53,2020-03-01,12,5,1e400", "non_finite_number", "rate"),
    ("2020,0301,2020-W53,2020-03-01,12,5,12345678901234567890", "too_many_digits", "rate"),
    ("2020,0301,2020-W53,2020-03-01,12.5,5,1.5", "wrong_type", "count"),
    ("2020,0301,2020-W53,2020-03-01,\uff11\uff12,5,1.5", "wrong_type", "count"),
    ("2020,0301,2020-W53,2020-03-01,3000000000,5,1.5", "integer_out_of_range", "count"),
    ("2020,0301,2020-W53,2020-03-01,12,99999999999999999999,1.5", "integer_out_of_range", "big"),
    ("16,0301,2020-W53,2020-03-01,12,5,1.5", "implausible_year", "year"),
    (f"{NEXT_YEAR},0301,2020-W53,2020-03-01,12,5,1.5", "future_period", "year"),
    ("2020,0301,2020-W53,0021-03-01,12,5,1.5", "implausible_date", "day"),
    ("2020,0301,2020-W53,2099-03-01,12,5,1.5", "future_period", "day"),
    ("2020,0301,2021-W53,2020-03-01,12,5,1.5", "invalid_iso_week", "round"),
    ("2020,0301,2021-W00,2020-03-01,12,5,1.5", "invalid_iso_week", "round"),
]


@pytest.mark.parametrize("row,check,column", BAD_ROWS, ids=[f"{c}-{i}" for i, (_, c, _) in enumerate(BAD_ROWS)])
def test_each_rule_names_line_column_value_and_rule_on_both_paths(con, tmp_path, row, check, column):
    text = HEADER + GOOD_ROW + row + "\n" + GOOD_ROW
    parsed = parsed_problems(con, spec_of(tmp_path, "csv", COUNTS.format(plausible="")), text)
    streamed = streamed_problems(con, spec_of(tmp_path, "csv_large", COUNTS.format(plausible="")), text, tmp_path)
    assert (check, 3, column) in found(parsed), parsed
    # the large-file path applies the very same rules: same rule, line and column
    assert found(parsed) == found(streamed), (parsed, streamed)
    problem = next(p for p in parsed if p.check == check)
    assert problem.value is not None and problem.reason
    assert f"[rule: {check}]" in problem.describe("counts/file.csv")


def test_a_good_file_passes_both_paths(con, tmp_path):
    text = HEADER + GOOD_ROW * 3
    assert parsed_problems(con, spec_of(tmp_path, "csv", COUNTS.format(plausible="")), text) == []
    assert streamed_problems(con, spec_of(tmp_path, "csv_large", COUNTS.format(plausible="")), text, tmp_path) == []


def test_all_problems_of_a_file_are_collected(con, tmp_path):
    # the rows the parser itself accepts (text that cannot be typed is rejected at parsing)
    typed = [row for row, check, column in BAD_ROWS if check != "wrong_type" and column != "big"]
    text = HEADER + GOOD_ROW + "\n".join(typed) + "\n"
    spec = spec_of(tmp_path, "csv", COUNTS.format(plausible=""))
    data = text.encode()
    problems = check_frame(con, parse(data, spec), spec)
    assert {"non_finite_number", "too_many_digits", "integer_out_of_range", "implausible_year", "future_period",
            "implausible_date", "invalid_iso_week"} <= {p.check for p in problems}


def test_spec_sets_earliest_year_and_allows_the_future(con, tmp_path):
    body = COUNTS.format(plausible="plausible: {earliest_year: 1838, future: [day]}")
    spec = spec_of(tmp_path, "csv", body)
    text = HEADER + "1838,0301,2020-W53,2099-03-01,12,5,1.5\n" + "1837,0301,2020-W53,2020-03-01,12,5,1.5\n"
    assert found(parsed_problems(con, spec, text)) == {("implausible_year", 3, "year")}


def test_codes_are_checked_against_fhis_code_history_in_sql(con, tmp_path):
    con.execute("create schema raw")
    con.execute("create table raw.fhi_locations__municipalities as "
                "select * from (values ('municip_nor0301', 'county_nor03'), ('municip_nor4601', 'county_nor46')) t(municip_code, county_code)")
    body = COUNTS.format(plausible="codes: {municipality: fhi_locations}")
    text = HEADER + GOOD_ROW + "2020,9999,2020-W53,2020-03-01,12,5,1.5\n"
    streamed = streamed_problems(con, spec_of(tmp_path, "csv_large", body), text, tmp_path)
    parsed = parsed_problems(con, spec_of(tmp_path, "csv", body), text)
    assert found(streamed) == found(parsed) == {("unknown_code", 3, "municipality")}
    assert streamed[0].value == "9999"


def test_nul_bytes_anywhere_and_a_cut_last_record(con, tmp_path):
    spec = spec_of(tmp_path, "csv_large", COUNTS.format(plausible=""))
    body = HEADER + GOOD_ROW * 50_000
    deep = body[:-200] + "\x00" + body[-200:]
    path = tmp_path / "deep.csv.gz"
    path.write_bytes(gzip.compress(deep.encode()))
    line = deep[:deep.index("\x00")].count("\n") + 1
    assert line > 49_990
    assert [(p.check, p.row) for p in scan_file(path, spec)] == [("binary_file", line)]
    path.write_bytes(gzip.compress(body[:-3].encode()))
    assert [p.check for p in scan_file(path, spec)] == ["truncated_record"]
    path.write_bytes(gzip.compress(body.encode())[:-20])
    assert [p.check for p in scan_file(path, spec)] == ["unreadable_file"]
    csv_spec = spec_of(tmp_path, "csv", COUNTS.format(plausible="") + "options: {final_line_break: optional}")
    assert scan_bytes(body[:-1].encode(), csv_spec) == []


WIDE = """\
id_columns:
  - {name: Entity, as: entity, type: varchar, required: true}
  - {name: Year, as: year, type: integer, required: true}
value_columns: {header_as: series, value_as: value, type: double, series: [Heroin, Cocaine]}
"""


def test_wide_headers_must_map_to_a_series_or_a_year(con, tmp_path):
    spec = spec_of(tmp_path, "wide_csv", WIDE)
    frame = parse(b"Entity,Year,Heroin,Fentanyl\nUS,2020,1.0,2.0\n", spec)
    problems = check_frame(con, frame, spec)
    assert [(p.check, p.column) for p in problems] == [("unmapped_header", "Fentanyl")]
    years = spec_of(tmp_path, "wide_csv", WIDE.replace("series: [Heroin, Cocaine]", "headers: year")
                    .replace("  - {name: Year, as: year, type: integer, required: true}\n", ""))
    frame = parse(f"Entity,2019,216,{NEXT_YEAR}\nUS,1,2,3\n".encode(), years)
    assert sorted(p.column for p in check_frame(con, frame, years)) == sorted(["216", str(NEXT_YEAR)])


@pytest.mark.parametrize("extra,words", [
    ("plausible: {earliest: 1950}", "key plausible.earliest: unknown key `earliest`; did you mean `earliest_year`"),
    ("plausible: {earliest_year: '1950'}", "integer"),
    ("plausible: {future: day}", "key plausible.future: Input should be a valid list"),
    ("plausible: {year_columns: [nope]}", "does not have"),
    ("codes: {municipality: ssb_regions}", "key codes.municipality: 'ssb_regions' is not allowed: write 'fhi_locations'"),
])
def test_malformed_plausible_and_codes_are_refused(tmp_path, extra, words):
    with pytest.raises(SpecError, match=words):
        spec_of(tmp_path, "csv", COUNTS.format(plausible=extra))


def test_a_wide_spec_must_say_what_its_headers_are(tmp_path):
    with pytest.raises(SpecError, match="headers: year"):
        spec_of(tmp_path, "wide_csv", WIDE.replace(", series: [Heroin, Cocaine]", ""))


JSONSTAT = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "ssb_jsonstat2_response_table05300.json"
JSONSTAT_SPEC = """\
options:
  names: {Avstand1: distance, Kulturtilbud: venue, ContentsCode: contents, Tid: year}
columns:
  - {name: distance, type: varchar, required: true}
  - {name: year, type: integer, required: true}
  - {name: value, as: percent, type: integer}
"""


def test_jsonstat_overflow_and_missing_dimension_are_file_problems(tmp_path):
    spec = spec_of(tmp_path, "jsonstat2", JSONSTAT_SPEC, source_id="ssb_05300")
    data = JSONSTAT.read_bytes()
    with pytest.raises(FileRejected) as info:
        parse(data.replace(b'"value":[16,', b'"value":[1e20,', 1), spec)
    assert [(p.check, p.row, p.value) for p in info.value.problems] == [("integer_out_of_range", 1, "1e+20")]
    with pytest.raises(FileRejected) as info:  # before: a SpecError, though the file was at fault
        parse(data.replace(b'"Tid"', b'"Tiid"'), spec)
    assert {(p.check, p.column) for p in info.value.problems} == {("missing_column", "year")}
