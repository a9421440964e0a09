"""Spreadsheet layouts seen at real publishers: title blocks, a year merged over its quarters (two
header rows), merged label cells, notes under the table, several tables on one sheet or one per
sheet. Each workbook is built here with openpyxl in the publisher's shape."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

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
