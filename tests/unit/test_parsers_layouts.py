"""Spreadsheet layouts seen at real publishers: title blocks, a year merged over its quarters (two
header rows), merged label cells, notes under the table, several tables on one sheet or one per
sheet. Each workbook is built here with openpyxl in the publisher's shape."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from ingest.observations import map_observations
from ingest.parsers import parse
from ingest.problems import FileRejected, SpecError
from ingest.registry import load_spec

HEAD = """\
id: {id}
title: Layout test
publisher: Test
citation: Test
licence: CC BY 4.0
format: xlsx
file_pattern: "{id}/*"
target_table: raw.{id}
"""


def spec(tmp_path: Path, body: str, source_id: str = "layout"):
    path = tmp_path / f"{source_id}.yml"
    path.write_text(HEAD.format(id=source_id) + body, encoding="utf-8")
    return load_spec(path)


def workbook(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for cells in (merges or {}).get(name, []):
            ws.merge_cells(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Police-district quarterly table (politiet.no statistics shape): a title block, the year merged over
# Q1..Q4, the district merged down over its offence rows, notes under the table.
POLICE = workbook({"Tabell 1": [
    ["Narkotikalovbrudd etter politidistrikt og kvartal"],
    ["Kilde: Politiet"],
    [],
    ["Politidistrikt", "Lovbrudd", "2017", None, None, None],
    [None, None, "Q1", "Q2", "Q3", "Q4"],
    ["Oslo", "Bruk", 1204, 1187, 1133, 1090],
    [None, "Salg", 211, 198, 230, 205],
    ["Vest", "Bruk", 402, 380, 391, 410],
    [],
    ["Merknad: tall for 2017 er foreløpige."],
]}, merges={"Tabell 1": ["C4:F4", "A6:A7"]})

POLICE_SPEC = """\
columns:
  - {name: Politidistrikt, type: varchar, as: district}
  - {name: Lovbrudd, type: varchar, as: offence}
  - {name: 2017 Q1, type: integer, as: q1}
  - {name: 2017 Q4, type: integer, as: q4}
options:
  sheet: Tabell 1
  header_rows: [4, 5]
  stop_at_blank: true
  fill_down: [Politidistrikt]
"""


def test_two_header_rows_fill_down_and_notes_below(tmp_path):
    df = parse(POLICE, spec(tmp_path, POLICE_SPEC))
    assert df.to_dicts() == [
        {"district": "Oslo", "offence": "Bruk", "q1": 1204, "q4": 1090, "source_row": 6},
        {"district": "Oslo", "offence": "Salg", "q1": 211, "q4": 205, "source_row": 7},
        {"district": "Vest", "offence": "Bruk", "q1": 402, "q4": 410, "source_row": 8},
    ]


def test_without_stop_at_blank_the_note_is_read_as_a_row(tmp_path):
    body = POLICE_SPEC.replace("  stop_at_blank: true\n", "")
    df = parse(POLICE, spec(tmp_path, body))
    # the note lands in the district column: the reason stop_at_blank exists
    assert df["source_row"].to_list() == [6, 7, 8, 10]


def test_first_and_last_row(tmp_path):
    body = POLICE_SPEC.replace("  stop_at_blank: true\n", "  first_row: 7\n  last_row: 7\n")
    df = parse(POLICE, spec(tmp_path, body))
    # fill_down starts at first_row: row 7's district cell is blank in the sheet
    assert df.select("offence", "q1", "source_row").to_dicts() == [{"offence": "Salg", "q1": 211, "source_row": 7}]


def test_sheet_by_position_and_single_header_row_misses_joined_name(tmp_path):
    body = POLICE_SPEC.replace("sheet: Tabell 1", "sheet: 1").replace("header_rows: [4, 5]", "header_row: 5")
    with pytest.raises(FileRejected) as info:
        parse(POLICE, spec(tmp_path, body))
    problems = info.value.problems
    assert {p.column for p in problems} == {"Politidistrikt", "Lovbrudd", "2017 Q1", "2017 Q4"}
    assert "Q1" in problems[0].reason  # the message lists what the header does hold


def test_bad_header_rows_is_a_spec_error(tmp_path):
    with pytest.raises(SpecError, match=r"key options.header_rows\[2\]: Input should be a valid integer"):
        parse(POLICE, spec(tmp_path, POLICE_SPEC.replace("[4, 5]", "[4, x]")))


def test_fill_down_unknown_column_is_a_spec_error(tmp_path):
    with pytest.raises(SpecError, match="fill_down"):
        parse(POLICE, spec(tmp_path, POLICE_SPEC.replace("[Politidistrikt]", "[Distrikt]")))


# Two tables stacked on one sheet (men above women), as in Helsedirektoratet/ONS tables by sex,
# and one table per sheet (one sheet a year), read with the same columns and concatenated.
STACKED = workbook({"Data": [
    ["Menn"],
    ["År", "Antall"],
    [2019, 180],
    [2020, 191],
    [],
    ["Kvinner"],
    ["År", "Antall"],
    [2019, 95],
    [2020, 102],
    [],
    ["Note: provisional"],
], "2021": [["År", "Antall"], [2021, 210]]})

STACKED_SPEC = """\
columns:
  - {name: År, type: integer, as: year}
  - {name: Antall, type: integer, as: deaths}
  - {name: sex, type: varchar, constant: true}
options:
  tables:
    - {sheet: Data, header_row: 2, stop_at_blank: true, constants: {sex: male}}
    - {sheet: Data, header_row: 7, stop_at_blank: true, constants: {sex: female}}
    - {sheet: "2021", header_row: 1, constants: {sex: male}}
"""


def test_tables_are_concatenated_with_constants(tmp_path):
    df = parse(STACKED, spec(tmp_path, STACKED_SPEC))
    assert df.to_dicts() == [
        {"year": 2019, "deaths": 180, "sex": "male", "source_row": 3},
        {"year": 2020, "deaths": 191, "sex": "male", "source_row": 4},
        {"year": 2019, "deaths": 95, "sex": "female", "source_row": 8},
        {"year": 2020, "deaths": 102, "sex": "female", "source_row": 9},
        {"year": 2021, "deaths": 210, "sex": "male", "source_row": 2},
    ]


def test_tables_missing_sheet_is_rejected(tmp_path):
    with pytest.raises(FileRejected) as info:
        parse(STACKED, spec(tmp_path, STACKED_SPEC.replace('sheet: "2021"', 'sheet: "2022"')))
    assert "'2022'" in info.value.problems[0].reason and "'Data'" in info.value.problems[0].reason


# Wide xlsx / csv: id columns + one column per period (ONS quarterly tables), unpivoted like wide_csv.
WIDE_SPEC = """\
id_columns:
  - {name: Politidistrikt, type: varchar, as: district}
  - {name: Lovbrudd, type: varchar, as: offence}
value_columns: {header_as: period, value_as: cases, type: integer, series: ["2017 Q1", "2017 Q2", "2017 Q3", "2017 Q4"]}
options:
  header_rows: [4, 5]
  stop_at_blank: true
  fill_down: [Politidistrikt]
"""


def test_wide_xlsx_is_unpivoted(tmp_path):
    df = parse(POLICE, spec(tmp_path, WIDE_SPEC))
    assert df.height == 12
    row = df.filter((df["district"] == "Oslo") & (df["offence"] == "Salg") & (df["period"] == "2017 Q3")).to_dicts()
    assert row == [{"district": "Oslo", "offence": "Salg", "period": "2017 Q3", "cases": 230,
                    "source_column": 5, "source_row": 7}]


def test_wide_csv_format_is_unpivoted(tmp_path):
    body = """\
id_columns:
  - {name: Entity, type: varchar, as: entity}
value_columns: {header_as: period, value_as: deaths, type: integer, series: ["2019/20", "2020/21"]}
"""
    s = load_spec(_write(tmp_path, "w", "csv", body))
    df = parse(b"Entity,2019/20,2020/21\nNorway,241,275\n", s)
    assert df.to_dicts() == [
        {"entity": "Norway", "period": "2019/20", "deaths": 241, "source_column": 2, "source_row": 2},
        {"entity": "Norway", "period": "2020/21", "deaths": 275, "source_column": 3, "source_row": 2},
    ]


def _write(tmp_path: Path, source_id: str, fmt: str, body: str) -> Path:
    path = tmp_path / f"{source_id}.yml"
    path.write_text(HEAD.format(id=source_id).replace("format: xlsx", f"format: {fmt}") + body, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# The fixtures of tests/fixtures/layouts/: one real publisher's file shape each, read by its spec.
# Every expected cell below was read off the fixture by hand (row and column as Excel or an editor
# shows them), not from the parser's output.

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"
FIXTURES = {
    "police_drug_offences_quarterly": ".xlsx", "bergen_on_premise_sales_by_group": ".xlsx",
    "who_gho_alcohol_recorded_apc": ".csv", "home_office_drug_seizures_financial_years": ".csv",
    "ssb_alcohol_sales_statbank_latin1": ".csv", "ons_drug_poisoning_by_area": ".xlsx",
    "toxico_deaths_by_sex_stacked": ".xlsx",
}


def fixture(name: str):
    """(parsed frame, spec) of a layout fixture, read through the spec beside it."""
    s = load_spec(LAYOUTS / f"{name}.yml")
    return parse((LAYOUTS / f"{name}{FIXTURES[name]}").read_bytes(), s), s


def cell(df, **where) -> dict:
    rows = df.filter(pl.all_horizontal([pl.col(k) == v for k, v in where.items()])).to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


def test_fixture_police_quarterly_two_header_rows_merged_district_notes_below():
    df, _ = fixture("police_drug_offences_quarterly")
    # 3 districts x 2 offence groups x 8 quarters; the two note lines under the table are not rows
    assert df.height == 48 and df["source_row"].max() == 11
    # row 9: the district cell is part of the merged A8:A9 ("Øst"); 2018 K3 is column I
    assert cell(df, offence_group="Salg, oppbevaring og innførsel", district="Øst", quarter="2018 K3") == {
        "district": "Øst", "offence_group": "Salg, oppbevaring og innførsel", "quarter": "2018 K3",
        "offences": 97, "source_column": 9, "source_row": 9}
    assert sorted(set(df["quarter"]))[:2] == ["2017 K1", "2017 K2"]


def test_fixture_bergen_one_table_per_sheet_with_its_own_header_row():
    df, _ = fixture("bergen_on_premise_sales_by_group")
    assert df.height == 27  # 9 years on each of 3 sheets; the front sheet and the notes are not read
    # the spirits sheet has one more title line: 2012 is on row 11 there, on row 10 elsewhere
    assert cell(df, beverage_group="spirits_group3", year=2012) == {
        "year": 2012, "litres": 124678, "beverage_group": "spirits_group3", "source_row": 11}
    assert cell(df, beverage_group="wine_group2", year=2015)["litres"] == 1070528
    assert cell(df, beverage_group="beer_group1", year=2007)["source_row"] == 5


def test_fixture_who_gho_header_found_by_pattern_below_indicator_line():
    df, _ = fixture("who_gho_alcohol_recorded_apc")
    assert df.height == 20
    # line 1 is the indicator's name, line 2 the header: Norway/Wine is line 5, 2017 column 5
    assert cell(df, country="Norway", beverage_type="Wine", year="2017") == {
        "country": "Norway", "beverage_type": "Wine", "year": "2017", "litres_pure_alcohol": 2.45,
        "source_column": 5, "source_row": 5}


def test_fixture_home_office_skip_lines_and_financial_year_headers():
    df, _ = fixture("home_office_drug_seizures_financial_years")
    # title, source and a blank line above the header (line 4): Heroin is line 7, 2018/19 column 4
    assert cell(df, drug_type="Heroin", financial_year="2018/19") == {
        "drug_type": "Heroin", "financial_year": "2018/19", "seizures": 9068, "source_column": 4, "source_row": 7}


def test_fixture_ssb_export_markers_keep_status_and_value_marker():
    df, _ = fixture("ssb_alcohol_sales_statbank_latin1")
    assert cell(df, beverage="Øl", year=2020)["litres_per_inhabitant"] == 2.54  # decimal comma, latin-1 Ø
    missing = cell(df, beverage="Rusbrus og sider", year=2022)
    assert (missing["litres_per_inhabitant"], missing["status"], missing["litres_per_inhabitant_marker"],
            missing["source_row"], missing["source_column"]) == (None, "not_available", "..", 8, 5)
    hidden = cell(df, beverage="Alkoholfritt øl", year=2019)
    assert (hidden["status"], hidden["litres_per_inhabitant_marker"], hidden["source_row"]) == ("confidential", ":", 9)
    assert missing["footnote"] == "Tall for 2022 er foreløpige. Kilde: Statistisk sentralbyrå"


def test_fixture_ons_markers_in_a_wide_sheet():
    df, _ = fixture("ons_drug_poisoning_by_area")
    assert df.height == 15
    darlington = cell(df, area_code="E06000005", year="2019")
    assert (darlington["deaths"], darlington["deaths_marker"], darlington["source_row"],
            darlington["source_column"]) == (None, "<5", 7, 3)
    assert cell(df, area_code="E06000053", year="2021")["deaths_marker"] == "[c]"
    assert cell(df, area_code="E06000060", year="2020") == {
        "area_code": "E06000060", "area_name": "Buckinghamshire", "year": "2020", "deaths": 38,
        "deaths_marker": None, "source_column": 4, "source_row": 9}


def test_fixture_stacked_tables_on_one_sheet_real_eurostat_numbers():
    df, _ = fixture("toxico_deaths_by_sex_stacked")
    assert df.height == 72  # 2 tables x 6 age rows x 6 years
    # Eurostat hlth_cd_aro TOXICO NO: women 45-64, 2020 = 5 (row 18, column F); men total 2018 = 25
    assert cell(df, sex="female", age_group="45-64 år", year="2020") == {
        "sex": "female", "age_group": "45-64 år", "year": "2020", "deaths": 5, "deaths_marker": None,
        "source_column": 6, "source_row": 18}
    assert cell(df, sex="male", age_group="I alt", year="2018")["deaths"] == 25
    men_30 = cell(df, sex="male", age_group="30-44 år", year="2016")
    assert (men_30["deaths"], men_30["deaths_marker"], men_30["source_row"]) == (None, ":", 8)


def _observations(name: str, extra_geographies: frozenset = frozenset()):
    df, s = fixture(name)
    return map_observations(df, s.id, list(s.observations),
                            extra_indicators=frozenset(i["indicator_id"] for i in s.indicators),
                            extra_geographies=frozenset(g["code"] for g in s.geographies) | extra_geographies,
                            extra_substances=frozenset(x["substance_id"] for x in s.substances),
                            earliest_year=int(s.plausible.get("earliest_year", 1900)), markers=s.markers)


@pytest.mark.parametrize("name, count", [
    ("police_drug_offences_quarterly", 48), ("bergen_on_premise_sales_by_group", 27),
    ("who_gho_alcohol_recorded_apc", 20), ("home_office_drug_seizures_financial_years", 16),
    ("ssb_alcohol_sales_statbank_latin1", 16), ("ons_drug_poisoning_by_area", 15),
    ("toxico_deaths_by_sex_stacked", 72),
])
def test_fixture_specs_map_to_observations(name, count):
    # Bergen (1201 until 2019) is a municipality of FHI's code history, which a real load has loaded
    obs = _observations(name, frozenset({"municip_nor1201"}))
    assert obs.height == count


def test_fixture_periods_and_marker_qualifiers_reach_the_observations():
    police = _observations("police_drug_offences_quarterly")
    q = police.filter((pl.col("geo_code") == "police_layout_ost") & (pl.col("source_row") == 9)
                      & (pl.col("period_start") == date(2018, 7, 1))).to_dicts()
    assert [(r["period_end"], r["value"]) for r in q] == [(date(2018, 9, 30), 97)]
    seizures = _observations("home_office_drug_seizures_financial_years")
    heroin = seizures.filter((pl.col("substance_id") == "heroin") & (pl.col("value") == 9068)).to_dicts()[0]
    assert (heroin["period_start"], heroin["period_end"]) == (date(2018, 4, 1), date(2019, 3, 31))
    ons = _observations("ons_drug_poisoning_by_area")
    below = ons.filter((pl.col("geo_code") == "ladist_layout_e06000005") & (pl.col("period_start") == date(2019, 1, 1)))
    assert below.select("value", "qualifier", "value_high").to_dicts() == [
        {"value": None, "qualifier": "below", "value_high": 5.0}]
    assert set(ons.filter(pl.col("geo_code") == "ladist_layout_e06000053")["qualifier"]) == {"suppressed"}
    ssb = _observations("ssb_alcohol_sales_statbank_latin1")
    assert ssb.filter(pl.col("value").is_null())["qualifier"].to_list() == ["not_available"]


def test_make_fixtures_gives_the_committed_bytes(tmp_path):
    subprocess.run([sys.executable, str(LAYOUTS / "make_fixtures.py"), str(tmp_path)], check=True)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(f"{n}{ext}" for n, ext in FIXTURES.items())
    for name in made:
        assert (tmp_path / name).read_bytes() == (LAYOUTS / name).read_bytes(), name


# ---------------------------------------------------------------------------------------------
# Text files with a preamble: skip_lines and header_pattern (csv, wide_csv; skip_lines in csv_large)

TEXT_SPEC = """\
columns:
  - {name: year, type: integer, required: true}
  - {name: deaths, type: integer}
"""
PREAMBLE = b"Drug-related deaths, Scotland\nSource: National Records of Scotland\nyear,deaths\n2020,1339\n2021,1330\n"


def test_skip_lines_keeps_the_file_line_numbers(tmp_path):
    s = load_spec(_write(tmp_path, "t", "csv", TEXT_SPEC + "options: {skip_lines: 2}\n"))
    assert parse(PREAMBLE, s).to_dicts() == [{"year": 2020, "deaths": 1339, "source_row": 4},
                                             {"year": 2021, "deaths": 1330, "source_row": 5}]
    with pytest.raises(FileRejected) as info:
        parse(PREAMBLE.replace(b"1330", b"13x0"), s)
    assert [(p.check, p.row, p.column) for p in info.value.problems] == [("wrong_type", 5, "deaths")]


def test_header_pattern_skips_the_preamble(tmp_path):
    s = load_spec(_write(tmp_path, "t", "csv", TEXT_SPEC + 'options: {header_pattern: "^year,"}\n'))
    assert parse(PREAMBLE, s)["source_row"].to_list() == [4, 5]
    # a missing header column is reported on the header's own line, not line 1
    with pytest.raises(FileRejected) as info:
        parse(PREAMBLE.replace(b"year,deaths", b"year,died"), load_spec(
            _write(tmp_path, "t", "csv", TEXT_SPEC + 'options: {skip_lines: 2}\n')))
    assert [(p.check, p.row, p.column) for p in info.value.problems] == [("missing_column", 3, "deaths")]


def test_header_pattern_not_found_names_the_pattern(tmp_path):
    s = load_spec(_write(tmp_path, "t", "csv", TEXT_SPEC + 'options: {header_pattern: "^Year;"}\n'))
    with pytest.raises(FileRejected) as info:
        parse(PREAMBLE, s)
    (problem,) = info.value.problems
    assert problem.check == "missing_header" and "'^Year;'" in problem.reason


def test_header_pattern_is_searched_after_the_skipped_lines(tmp_path):
    s = load_spec(_write(tmp_path, "t", "csv", TEXT_SPEC + 'options: {skip_lines: 3, header_pattern: "^year,"}\n'))
    with pytest.raises(FileRejected, match="after the 3 skipped line"):
        parse(PREAMBLE, s)


def test_bad_header_pattern_and_too_many_skipped_lines(tmp_path):
    s = load_spec(_write(tmp_path, "t", "csv", TEXT_SPEC + 'options: {header_pattern: "^(year"}\n'))
    with pytest.raises(SpecError, match="not a regular expression"):
        parse(PREAMBLE, s)
    s = load_spec(_write(tmp_path, "t", "csv", TEXT_SPEC + "options: {skip_lines: 9}\n"))
    with pytest.raises(FileRejected, match="all of them before the header"):
        parse(PREAMBLE, s)


def test_skip_lines_in_a_wide_csv(tmp_path):
    body = """\
id_columns:
  - {name: Entity, type: varchar, as: entity}
value_columns: {header_as: period, value_as: deaths, type: integer, headers: period}
options: {skip_lines: 1}
"""
    s = load_spec(_write(tmp_path, "w", "wide_csv", body))
    df = parse(b"Deaths by quarter\nEntity,Jan-Mar 2021,2021 Q2\nNorway,61,70\n", s)
    assert df.select("period", "deaths", "source_column", "source_row").to_dicts() == [
        {"period": "Jan-Mar 2021", "deaths": 61, "source_column": 2, "source_row": 3},
        {"period": "2021 Q2", "deaths": 70, "source_column": 3, "source_row": 3}]


def test_headers_period_rejects_a_header_that_is_no_period(tmp_path):
    body = """\
id_columns:
  - {name: Entity, type: varchar, as: entity}
value_columns: {header_as: period, value_as: deaths, type: integer, headers: period}
options: {header_pattern: "^Entity,"}
"""
    s = load_spec(_write(tmp_path, "w", "csv", body))
    with pytest.raises(FileRejected) as info:
        parse(b"Deaths\nEntity,2019/20,Total\nNorway,241,275\n", s)
    assert [(p.check, p.row, p.column, p.value) for p in info.value.problems] == [("unmapped_header", 2, "Total", "Total")]


def test_csv_large_skip_lines_and_markers(tmp_path):
    import duckdb

    from ingest.streaming import stream_into_staging
    s = load_spec(_write(tmp_path, "big", "csv_large", TEXT_SPEC.replace("{name: deaths, type: integer}",
                                                                         "{name: deaths, type: integer, required: true}")
                         + 'options: {skip_lines: 2}\nmarkers: {"<5": {qualifier: below, value_high: 5}}\n'))
    path = tmp_path / "big.csv"
    path.write_bytes(PREAMBLE.replace(b"1330", b"<5"))
    con = duckdb.connect()
    assert stream_into_staging(con, path, s) == 2
    assert con.sql("select * from incoming_stream order by source_row").fetchall() == [
        (2020, 1339, None, None, 4), (2021, None, None, "<5", 5)]
    path.write_bytes(PREAMBLE + b"2022,13,1\n")
    with pytest.raises(FileRejected) as info:
        stream_into_staging(con, path, s)
    assert info.value.problems[0].row == 6  # DuckDB's line: the file's own, preamble included
    s = load_spec(_write(tmp_path, "big", "csv_large", TEXT_SPEC + 'options: {header_pattern: "^year"}\n'))
    with pytest.raises(SpecError, match="skip_lines"):
        stream_into_staging(con, path, s)


# ---------------------------------------------------------------------------------------------
# Markers in long formats: the number is null and <target>_marker holds the text

def test_markers_in_a_long_csv_and_a_long_sheet(tmp_path):
    body = TEXT_SPEC + 'markers: {"..": not_available, "<4": {qualifier: below, value_high: 4}}\n'
    s = load_spec(_write(tmp_path, "m", "csv", body))
    df = parse(b"year,deaths\n2020,..\n2021,<4\n2022,7\n", s)
    assert df.to_dicts() == [
        {"year": 2020, "deaths": None, "year_marker": None, "deaths_marker": "..", "source_row": 2},
        {"year": 2021, "deaths": None, "year_marker": None, "deaths_marker": "<4", "source_row": 3},
        {"year": 2022, "deaths": 7, "year_marker": None, "deaths_marker": None, "source_row": 4}]
    # a text that is not one of the spec's markers is still a wrong number
    with pytest.raises(FileRejected) as info:
        parse(b"year,deaths\n2020,<5\n", s)
    assert [(p.check, p.row, p.value) for p in info.value.problems] == [("wrong_type", 2, "<5")]
    xs = spec(tmp_path, "columns:\n  - {name: year, type: integer}\n  - {name: deaths, type: integer}\n"
                        'markers: {"[c]": suppressed}\noptions: {header_row: 2}\n', "mx")
    df = parse(workbook({"S": [["Deaths"], ["year", "deaths"], [2020, "[c]"], [2021, 9]]}), xs)
    assert df.select("deaths", "deaths_marker", "source_row").to_dicts() == [
        {"deaths": None, "deaths_marker": "[c]", "source_row": 3},
        {"deaths": 9, "deaths_marker": None, "source_row": 4}]


def test_markers_in_json_stat_come_from_the_status(tmp_path):
    body = """\
columns:
  - {name: Tid, type: integer, as: year}
  - {name: value, type: integer, as: deaths}
markers: {":": suppressed}
"""
    s = load_spec(_write(tmp_path, "j", "jsonstat2", body))
    doc = {"version": "2.0", "class": "dataset", "id": ["Tid"], "size": [3],
           "dimension": {"Tid": {"category": {"index": {"2019": 0, "2020": 1, "2021": 2}}}},
           "value": [12, None, None], "status": {"1": ":", "2": ".."}}
    df = parse(json.dumps(doc).encode(), s)
    # ".." is not among this spec's markers: its cell stays a null without a marker, as before
    assert df.select("year", "deaths", "deaths_marker").to_dicts() == [
        {"year": 2019, "deaths": 12, "deaths_marker": None},
        {"year": 2020, "deaths": None, "deaths_marker": ":"},
        {"year": 2021, "deaths": None, "deaths_marker": None}]
