"""Parsers for the Norwegian publishers' own formats, on byte-for-byte copies of real files.

Values asserted here can be read in the fixture files themselves (tests/fixtures/formats/, copied
from /work/shared/data/public). Broken variants are derived from the real bytes in each test, so
every failure case is the real format with one thing wrong.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import polars as pl
import pytest

from ingest.parsers.jsonstat import parse_jsonstat
from ingest.parsers.ssb_statbank import parse_ssb_statbank
from ingest.parsers.xlsx import parse_xlsx
from ingest.problems import FileRejected
from ingest.registry import load_spec
from tests.conftest import SPEC_HEAD as HEAD

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
SSB_CSV = FORMATS / "ssb_statbank_03014_semicolon_export_latin1.csv"
SSB_JSON = FORMATS / "ssb_jsonstat2_response_table05300.json"
SSB_PX_META = FORMATS / "ssb_pxweb_v0_metadata_table05300.json"
FHI_XLSX = FORMATS / "norway_locations_fhi_csdata.xlsx"



def spec_from_yaml(tmp_path: Path, source_id: str, fmt: str, body: str):
    """Specs go through load_spec, so the YAML shape documented for each format is tested too."""
    path = tmp_path / f"{source_id}.yml"
    path.write_text(HEAD.format(id=source_id, format=fmt) + body, encoding="utf-8")
    return load_spec(path)


def rejected(parse, data: bytes, spec) -> list:
    with pytest.raises(FileRejected) as info:
        parse(data, spec)
    return info.value.problems


# --- SSB Statistikkbanken semicolon export -------------------------------------------------------

SSB_SPEC = """\
encoding: iso-8859-1
delimiter: ";"
decimal: "{decimal}"
key: [category, year]
options:
  header_rows: 2
  label_columns: 1
  header_names: [period, statistic]
  label_names: [category]
columns:
  - {{name: category, type: varchar, required: true}}
  - {{name: period, as: year, type: integer, required: true}}
  - {{name: statistic, type: varchar}}
  - {{name: value, type: double}}
  - {{name: status, type: varchar}}
  - {{name: footnote, type: varchar}}
"""


@pytest.fixture
def ssb_spec(tmp_path):
    return spec_from_yaml(tmp_path, "ssb_kpi", "ssb_statbank_csv", SSB_SPEC.format(decimal="."))


def ssb_lines() -> list[bytes]:
    return SSB_CSV.read_bytes().split(b"\r\n")


def test_ssb_fixture_is_the_real_export():
    data = SSB_CSV.read_bytes()
    # CRLF only, and a latin-1 "æ" (Klær): a checkout that rewrote line endings or encoding breaks this
    assert data.count(b"\r\n") == data.count(b"\n") == 25 and b"Kl\xe6r" in data


def test_ssb_export_becomes_one_row_per_cell(ssb_spec):
    df = parse_ssb_statbank(SSB_CSV.read_bytes(), ssb_spec)
    assert df.columns == ["category", "year", "statistic", "value", "status", "footnote",
                          "source_row", "source_column", "value_marker"]
    assert df.schema["year"] == pl.Int64 and df.schema["value"] == pl.Float64
    assert df.schema["source_column"] == pl.Int32
    assert df.height == 12 * 38  # 12 consumer groups x 1979-2016
    alcohol = df.filter(pl.col("category") == "Alkoholholdige drikkevarer og tobakk")
    first = alcohol.filter(pl.col("year") == 1979).row(0, named=True)
    assert first["value"] == 12.3 and first["statistic"] == "Konsumprisindeks (2015=100)"
    assert (first["source_row"], first["source_column"]) == (6, 2)  # line 6, second field
    last = alcohol.filter(pl.col("year") == 2016).row(0, named=True)
    assert (last["value"], last["source_column"]) == (103.3, 39)
    assert df["status"].null_count() == df.height
    assert "Klær og skotøy" in df["category"].to_list()  # latin-1 decoded as declared


def test_ssb_footnotes_are_kept_as_one_text(ssb_spec):
    df = parse_ssb_statbank(SSB_CSV.read_bytes(), ssb_spec)
    note = df["footnote"].unique().to_list()
    assert len(note) == 1
    assert note[0].startswith("F.o.m. 2017 er referanseår 2015=100. Endringstall beregnet fra 2015=100 serier")
    assert note[0].endswith("på detaljert nivå.")


def test_ssb_footnote_column_is_only_there_when_asked(tmp_path):
    body = SSB_SPEC.format(decimal=".").replace("  - {name: footnote, type: varchar}\n", "")
    spec = spec_from_yaml(tmp_path, "ssb_kpi", "ssb_statbank_csv", body)
    df = parse_ssb_statbank(SSB_CSV.read_bytes(), spec)
    assert "footnote" not in df.columns and df.height == 456


def test_ssb_without_footnotes_reads_to_the_end(ssb_spec):
    lines = ssb_lines()
    blank = lines.index(b"", 4)  # the blank line after the data
    for cut in (lines[:blank], lines[:blank + 1]):  # with and without the trailing blank line
        df = parse_ssb_statbank(b"\r\n".join(cut), ssb_spec)
        assert df.height == 456 and df["footnote"].null_count() == 456


def test_ssb_decimal_comma_and_symbols(tmp_path):
    spec = spec_from_yaml(tmp_path, "ssb_kpi", "ssb_statbank_csv", SSB_SPEC.format(decimal=","))
    lines = ssb_lines()
    for i in range(4, 16):  # data lines 5..16: a newer export writes 12,3
        label, _, values = lines[i].partition(b";")
        lines[i] = label + b";" + values.replace(b".", b",")
    # line 6 (alcohol and tobacco): 1979..1983 carry each of SSB's symbols
    fields = lines[5].split(b";")
    fields[1:6] = [b"..", b"...", b":", b".", b"-"]
    lines[5] = b";".join(fields)
    df = parse_ssb_statbank(b"\r\n".join(lines), spec)
    alcohol = df.filter(pl.col("category") == "Alkoholholdige drikkevarer og tobakk").sort("year")
    assert alcohol["status"].to_list()[:6] == [
        "not_available", "not_yet_available", "confidential", "not_applicable", "nil", None]
    assert alcohol["value"].to_list()[:6] == [None, None, None, None, None, 22.4]
    food = df.filter((pl.col("category") == "Matvarer og alkoholfrie drikkevarer") & (pl.col("year") == 1979))
    assert food["value"].item() == 27.5


def test_ssb_decimal_comma_when_spec_says_point_names_the_cell(ssb_spec):
    lines = ssb_lines()
    lines[5] = lines[5].replace(b";12.3;", b";12,3;")
    problems = rejected(parse_ssb_statbank, b"\r\n".join(lines), ssb_spec)
    assert len(problems) == 1
    p = problems[0]
    assert (p.check, p.row, p.column, p.value) == ("wrong_value", 6, "1979 / Konsumprisindeks (2015=100)", "12,3")
    assert "file column 2" in p.reason


def test_ssb_truncated_file_is_rejected_at_the_cut(ssb_spec):
    data = SSB_CSV.read_bytes()
    cut = data.index(b"Helsepleie") + 40  # in the middle of line 10
    problems = rejected(parse_ssb_statbank, data[:cut], ssb_spec)
    assert [(p.check, p.row) for p in problems] == [("wrong_field_count", 10)]
    # cut inside a quoted label: the line is still short
    problems = rejected(parse_ssb_statbank, data[:data.index(b"Helsepleie") + 3], ssb_spec)
    assert [(p.check, p.row) for p in problems] == [("wrong_field_count", 10)]
    # cut right after the header lines: no data at all
    problems = rejected(parse_ssb_statbank, b"\r\n".join(ssb_lines()[:4]), ssb_spec)
    assert [(p.check, p.row) for p in problems] == [("no_data", 5)]


def test_ssb_utf8_file_under_a_latin1_spec_is_not_silently_garbled(ssb_spec, tmp_path):
    utf8 = SSB_CSV.read_bytes().decode("iso-8859-1").encode("utf-8")
    problems = rejected(parse_ssb_statbank, utf8, ssb_spec)
    assert [(p.check, p.row) for p in problems] == [("wrong_encoding", 7)]  # "Klær og skotøy"
    assert "KlÃ¦r" in problems[0].value
    spec = spec_from_yaml(tmp_path, "ssb_kpi", "ssb_statbank_csv",
                          SSB_SPEC.format(decimal=".").replace("iso-8859-1", "utf-8"))
    assert "Klær og skotøy" in parse_ssb_statbank(utf8, spec)["category"].to_list()


def test_ssb_latin1_file_under_a_utf8_spec_is_rejected(tmp_path):
    spec = spec_from_yaml(tmp_path, "ssb_kpi", "ssb_statbank_csv",
                          SSB_SPEC.format(decimal=".").replace("iso-8859-1", "utf-8"))
    problems = rejected(parse_ssb_statbank, SSB_CSV.read_bytes(), spec)
    assert [(p.check, p.row) for p in problems] == [("wrong_encoding", 7)]


def test_ssb_not_an_export_and_wrong_delimiter(ssb_spec, tmp_path):
    problems = rejected(parse_ssb_statbank, b"a;b\r\n1;2\r\n", ssb_spec)
    assert problems[0].check == "not_ssb_export"
    spec = spec_from_yaml(tmp_path, "ssb_kpi", "ssb_statbank_csv",
                          SSB_SPEC.format(decimal=".").replace('delimiter: ";"', 'delimiter: ","'))
    problems = rejected(parse_ssb_statbank, SSB_CSV.read_bytes(), spec)
    assert [(p.check, p.row) for p in problems] == [("wrong_delimiter", 3)]


# --- JSON-stat 2.0 ----------------------------------------------------------------------------------

JSONSTAT_SPEC = """\
key: [distance, venue, year]
options:
  names: {Avstand1: distance, Kulturtilbud: venue, ContentsCode: contents, Tid: year}
columns:
  - {name: distance, type: varchar, required: true}
  - {name: distance_label, type: varchar}
  - {name: venue, type: varchar, required: true}
  - {name: venue_label, type: varchar}
  - {name: contents, type: varchar}
  - {name: year, type: integer, required: true}
  - {name: value, as: percent, type: double}
  - {name: status, type: varchar}
"""


@pytest.fixture
def js_spec(tmp_path):
    return spec_from_yaml(tmp_path, "ssb_05300", "jsonstat2", JSONSTAT_SPEC)


def js_doc() -> dict:
    return json.loads(SSB_JSON.read_text(encoding="utf-8"))


def dump(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def test_jsonstat_ssb_response_becomes_one_row_per_cell(js_spec):
    df = parse_jsonstat(SSB_JSON.read_bytes(), js_spec)
    assert df.columns == ["distance", "distance_label", "venue", "venue_label", "contents", "year",
                          "percent", "status", "source_row"]
    assert df.height == 6 * 8 * 1 * 9
    assert df.schema["year"] == pl.Int64 and df.schema["percent"] == pl.Float64

    def cell(distance, venue, year):
        return df.filter((pl.col("distance") == distance) & (pl.col("venue") == venue)
                         & (pl.col("year") == year)).row(0, named=True)

    # value[0] = 16: under 1 km to a cinema in 1991 (the last dimension, Tid, varies fastest)
    assert (cell("01", "01", 1991)["percent"], cell("01", "01", 1991)["source_row"]) == (16, 1)
    sports = cell("01", "06", 1991)  # value[45] = 38
    assert (sports["percent"], sports["source_row"], sports["venue_label"]) == (38, 46, "Idrettsplass eller idrettshall")
    near = cell("02", "01", 1991)  # value[72] = 39, first cell of the second distance band
    assert (near["percent"], near["distance_label"], near["source_row"]) == (39, "1-4,9 km", 73)


def test_jsonstat_status_markers_come_through(js_spec):
    df = parse_jsonstat(SSB_JSON.read_bytes(), js_spec)
    # status "71": "." -> a bookshop 2021 under 1 km was not asked; "360": ".." -> not available
    by_row = {r["source_row"]: r for r in df.iter_rows(named=True)}
    assert (by_row[72]["status"], by_row[72]["percent"], by_row[72]["venue"], by_row[72]["year"]) == (
        "not_applicable", None, "08", 2021)
    assert (by_row[361]["status"], by_row[361]["percent"]) == ("not_available", None)
    counts = dict(df["status"].value_counts().iter_rows())
    assert counts == {None: 404, "not_applicable": 20, "not_available": 8}
    # in this response every null in `value` carries a status, and no number does
    assert df.filter(pl.col("percent").is_null())["status"].null_count() == 0
    assert df.filter(pl.col("percent").is_not_null())["status"].null_count() == 404


def test_jsonstat_sparse_value_array_index_and_string_status(tmp_path):
    spec = spec_from_yaml(tmp_path, "fhi_x", "jsonstat2", """\
columns:
  - {name: geo, type: varchar}
  - {name: geo_label, type: varchar}
  - {name: year, type: integer}
  - {name: value, type: integer}
  - {name: status, type: varchar}
""")
    doc = {"class": "dataset", "version": "2.0", "id": ["geo", "year"], "size": [2, 2],
           "dimension": {"geo": {"category": {"index": ["0301", "4601"], "label": {"0301": "Oslo", "4601": "Bergen"}}},
                         "year": {"category": {"index": {"2020": 0, "2021": 1}}}},
           "value": {"1": 7, "3": 12}, "status": ":"}
    df = parse_jsonstat(dump(doc), spec)
    assert df.rows() == [("0301", "Oslo", 2020, None, "confidential", 1), ("0301", "Oslo", 2021, 7, "confidential", 2),
                         ("4601", "Bergen", 2020, None, "confidential", 3), ("4601", "Bergen", 2021, 12, "confidential", 4)]


@pytest.mark.parametrize("breakage, path", [
    (lambda d: d["value"].pop(), "$.value"),                                   # dense value too short
    (lambda d: d.__setitem__("size", [6, 8, 1, 8]), "$.dimension.Tid.category.index"),  # size vs categories
    (lambda d: d.__setitem__("size", [6, 8, 1]), "$.size"),
    (lambda d: d["dimension"].pop("Tid"), "$.dimension.Tid"),
    (lambda d: d.__setitem__("value", "16,14,12"), "$.value"),
    (lambda d: d.__setitem__("value", {"999": 1}), '$.value["999"]'),
    (lambda d: d["value"].__setitem__(3, "12"), "$.value[3]"),
    (lambda d: d.__setitem__("class", "collection"), "$.class"),
])
def test_jsonstat_malformed_documents_name_the_json_path(js_spec, breakage, path):
    doc = js_doc()
    breakage(doc)
    problems = rejected(parse_jsonstat, dump(doc), js_spec)
    assert problems[0].column == path and problems[0].row is None


def test_jsonstat_pxweb_metadata_is_not_a_dataset(js_spec):
    # the PxWeb metadata answer (GET on the table URL) instead of the data answer (POST)
    problems = rejected(parse_jsonstat, SSB_PX_META.read_bytes(), js_spec)
    assert [(p.check, p.column, p.row) for p in problems] == [("invalid_jsonstat", "$.class", None)]
    assert "keys title, variables" in problems[0].reason


def test_jsonstat_not_json(js_spec):
    data = SSB_JSON.read_bytes()[:500]  # a response cut off in transfer
    problems = rejected(parse_jsonstat, data, js_spec)
    assert problems[0].check == "not_json" and problems[0].row == 1
    assert rejected(parse_jsonstat, b"<html>502 Bad Gateway</html>", js_spec)[0].check == "not_json"


# --- XLSX ---------------------------------------------------------------------------------------------

XLSX_SPEC = """\
key: [municip_code, code_end]
options:
  sheet: Sheet1
  header_row: 1
  range: "A:L"
columns:
  - {name: municip_code, type: varchar, required: true}
  - {name: municip_name, type: varchar, required: true}
  - {name: year_start, type: integer, required: true}
  - {name: year_end, type: integer}
  - {name: municip_code_end, as: code_end, type: varchar}
  - {name: weighting, type: double}
"""


@pytest.fixture
def xlsx_spec(tmp_path):
    return spec_from_yaml(tmp_path, "fhi_locations", "xlsx", XLSX_SPEC)


def test_xlsx_fhi_locations(xlsx_spec):
    df = parse_xlsx(FHI_XLSX.read_bytes(), xlsx_spec)
    assert df.columns == ["municip_code", "municip_name", "year_start", "year_end", "code_end", "weighting",
                          "source_row"]
    assert df.height == 854  # rows 2..855 of Sheet1
    bergen = df.filter(pl.col("municip_code") == "municip_nor1201").row(0, named=True)
    assert (bergen["municip_name"], bergen["year_start"], bergen["year_end"], bergen["code_end"]) == (
        "Bergen", 1972, 2019, "municip_nor4601")
    assert bergen["source_row"] == 201  # the row Excel shows
    # `weighting` is empty on most rows (calamine alone would give text): typed as a number
    assert df.schema["weighting"] == pl.Float64 and df["weighting"].drop_nulls().min() > 0
    # Snillfjord (5012) was split three ways in 2020; the weights share it out
    snillfjord = df.filter(pl.col("municip_code") == "municip_nor5012").sort("code_end")
    assert snillfjord["weighting"].to_list() == [0.35, 0.35, 0.3]
    assert df["source_row"].to_list() == list(range(2, 856))


def test_xlsx_sheet_by_position_and_last_row(tmp_path):
    body = XLSX_SPEC.replace("sheet: Sheet1", "sheet: 1").replace('range: "A:L"', 'range: "A:F"\n  last_row: 11')
    df = parse_xlsx(FHI_XLSX.read_bytes(), spec_from_yaml(tmp_path, "fhi_locations", "xlsx", body))
    assert df.height == 10 and df["source_row"].to_list() == list(range(2, 12))
    assert df["municip_name"][0] == "Halden"


def test_xlsx_missing_sheet_lists_the_sheets(tmp_path):
    for wanted in ("Kommuner", "2"):
        body = XLSX_SPEC.replace("sheet: Sheet1", f"sheet: {wanted}")
        problems = rejected(parse_xlsx, FHI_XLSX.read_bytes(), spec_from_yaml(tmp_path, "fhi_locations", "xlsx", body))
        assert problems[0].check == "missing_sheet" and "'Sheet1'" in problems[0].reason
        assert problems[0].value == wanted


def with_renamed_header(data: bytes, old: str, new: str) -> bytes:
    """The real workbook with one header cell renamed (headers are shared strings)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                content = content.replace(f"<t>{old}</t>".encode(), f"<t>{new}</t>".encode(), 1)
            dst.writestr(item, content)
    return out.getvalue()


def test_xlsx_renamed_header_is_a_missing_column(xlsx_spec):
    data = with_renamed_header(FHI_XLSX.read_bytes(), "municip_code_end", "kommunenr_slutt")
    problems = rejected(parse_xlsx, data, xlsx_spec)
    assert [(p.check, p.row, p.column) for p in problems] == [("missing_column", 1, "municip_code_end")]
    assert "kommunenr_slutt" in problems[0].reason


def test_xlsx_not_a_spreadsheet(xlsx_spec):
    for data in (bytes(range(256)) * 20, SSB_CSV.read_bytes(), SSB_JSON.read_bytes()):
        problems = rejected(parse_xlsx, data, xlsx_spec)
        assert problems[0].check == "not_a_spreadsheet"


def test_xlsx_bad_cells_are_named_by_row_and_header(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Dødsfall"
    sheet["A1"] = "Narkotikautløste dødsfall etter stofftype"  # a title above the table
    sheet.append([])
    sheet.append(["Stofftype", "År", "Antall", "Publisert"])     # header on row 3
    sheet.append(["Heroin", 2019, 38, datetime.date(2020, 10, 1)])
    sheet.append([])                                              # a spacer row: not a record
    sheet.append(["Heroin", 2020, "ca. 40", datetime.date(2021, 10, 1)])
    sheet.append(["Metadon", "2020", 51, "2021-10-01"])
    buf = io.BytesIO()
    book.save(buf)
    spec = spec_from_yaml(tmp_path, "fhi_deaths", "xlsx", """\
options: {sheet: "Dødsfall", header_row: 3}
columns:
  - {name: Stofftype, as: substance, type: varchar, required: true}
  - {name: År, as: year, type: integer, required: true}
  - {name: Antall, as: deaths, type: integer}
  - {name: Publisert, as: published, type: date}
""")
    problems = rejected(parse_xlsx, buf.getvalue(), spec)
    assert [(p.check, p.row, p.column, p.value) for p in problems] == [("wrong_type", 6, "Antall", "ca. 40")]
    sheet["C6"] = 40
    buf = io.BytesIO()
    book.save(buf)
    df = parse_xlsx(buf.getvalue(), spec)
    assert df.rows() == [("Heroin", 2019, 38, datetime.date(2020, 10, 1), 4),
                         ("Heroin", 2020, 40, datetime.date(2021, 10, 1), 6),
                         ("Metadon", 2020, 51, datetime.date(2021, 10, 1), 7)]
