"""No Python traceback for any data problem: every parser and the validation layer, fed the real
bundled files with random damage, either return a frame or raise FileRejected, never anything else.

Hypothesis mutates the real files (byte flips, truncation, NUL bytes, huge and non-finite
numbers, full-width digits, byte-order marks, the wrong encoding) and shrinks any failure to the
smallest damage that breaks a parser. Big files are cut to their first lines so that every
example stays fast; the whole module runs in well under 30 s.
"""
from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.parsers import parse
from ingest.problems import FileRejected
from ingest.registry import load_registry, load_spec
from ingest.streaming import STAGING_TABLE, stream_into_staging
from ingest.validation import check_frame, check_table, scan_bytes, scan_file

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"
FORMATS = REPO / "tests" / "fixtures" / "formats"
HEAD_LINES = 120  # big files: the header and the first lines are enough to reach every code path

NASTY = ["1e400", "-1e400", "nan", "inf", "99999999999999999999", "12345678901234567890.5", "12.5",
         "\uff11\uff12", "0000-01-01", "0016-02-30", "2021-W53", "\"", ";", ",", "", "\r\n", "\x00",
         "\ufeff", "\u00e6\u00f8\u00e5", "-0", "1,5", "9" * 400]
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

EXTRA_SPECS = {
    "ssb_kpi": ("ssb_statbank_csv", FORMATS / "ssb_statbank_03014_semicolon_export_latin1.csv", """\
encoding: iso-8859-1
delimiter: ";"
options: {header_rows: 2, label_columns: 1, header_names: [period, statistic], label_names: [category]}
columns:
  - {name: category, type: varchar, required: true}
  - {name: period, as: year, type: integer, required: true}
  - {name: statistic, type: varchar}
  - {name: value, type: double}
  - {name: status, type: varchar}
"""),
    "ssb_05300": ("jsonstat2", FORMATS / "ssb_jsonstat2_response_table05300.json", """\
options:
  names: {Avstand1: distance, Kulturtilbud: venue, ContentsCode: contents, Tid: year}
columns:
  - {name: distance, type: varchar, required: true}
  - {name: venue, type: varchar, required: true}
  - {name: year, type: integer, required: true}
  - {name: value, as: percent, type: integer}
  - {name: status, type: varchar}
"""),
}


@lru_cache(maxsize=1)
def bases() -> dict[str, tuple]:
    """source id -> (spec, bytes of its real file, cut to HEAD_LINES lines when long)."""
    out = {}
    for spec in load_registry():
        path = sorted(RAW.glob(spec.file_pattern))[0]
        data = path.read_bytes()
        if spec.format == "csv_large":
            data = gzip.decompress(data)
        if spec.format != "xlsx":
            data = b"\n".join(data.split(b"\n")[:HEAD_LINES]) + b"\n"
        out[spec.id] = (spec, data)
    return out


@pytest.fixture(scope="module")
def extra_specs(tmp_path_factory) -> dict[str, tuple]:
    folder = tmp_path_factory.mktemp("specs")
    out = {}
    for source_id, (fmt, path, body) in EXTRA_SPECS.items():
        spec_path = folder / f"{source_id}.yml"
        spec_path.write_text(f"id: {source_id}\ntitle: t\npublisher: t\ncitation: t\nlicence: t\nformat: {fmt}\n"
                             f"file_pattern: \"{source_id}/*\"\ntarget_table: raw.{source_id}__t\n" + body,
                             encoding="utf-8")
        out[source_id] = (load_spec(spec_path), path.read_bytes())
    return out


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """One to three kinds of damage to the file's bytes."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "number", "bom", "encoding"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(NASTY)).encode("utf-8") + data[at:]
        elif kind == "number":  # a number of the file replaced by a nasty one
            numbers = list(re.finditer(rb"[0-9]+(\.[0-9]+)?", data))
            if numbers:
                m = numbers[draw(st.integers(0, len(numbers) - 1))]
                data = data[:m.start()] + draw(st.sampled_from(NASTY)).encode("utf-8") + data[m.end():]
        elif kind == "bom":
            data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])) + data
        elif kind == "encoding":
            text = data.decode("utf-8", errors="replace")
            data = text.encode(draw(st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-8"])), errors="replace")
    return data


def parsed_path(spec, data: bytes) -> None:
    """What parsed_load does before writing: scan, parse, validate. FileRejected or nothing."""
    scan_bytes(data, spec)
    try:
        frame = parse(data, spec)
    except FileRejected as rejected:
        assert rejected.problems and all(p.reason for p in rejected.problems)
        return
    con = duckdb.connect()
    try:
        check_frame(con, frame, spec)
    finally:
        con.close()


def streamed_path(spec, data: bytes, folder: Path) -> None:
    path = folder / "file.csv.gz"
    path.write_bytes(gzip.compress(data, compresslevel=1))
    scan_file(path, spec)
    con = duckdb.connect()
    try:
        stream_into_staging(con, path, spec)
        check_table(con, STAGING_TABLE, spec)
    except FileRejected as rejected:
        assert rejected.problems and all(p.reason for p in rejected.problems)
    finally:
        con.close()


PARSED_SOURCES = ["korus_rapid_survey", "report_figures", "trend_panel", "tempe_ems", "cdc_vsrr", "scotland_nrs",
                  "cdc_wonder", "eurostat_cod", "owid_brfss", "fhi_locations"]


@pytest.mark.parametrize("source_id", PARSED_SOURCES)
def test_bundled_sources_never_raise_anything_but_file_rejected(source_id):
    spec, original = bases()[source_id]

    @SETTINGS
    @given(st.data())
    def run(data):
        parsed_path(spec, data.draw(damaged(original)))

    run()


@pytest.mark.parametrize("source_id", sorted(EXTRA_SPECS))
def test_ssb_exports_never_raise_anything_but_file_rejected(extra_specs, source_id):
    spec, original = extra_specs[source_id]

    @SETTINGS
    @given(st.data())
    def run(data):
        parsed_path(spec, data.draw(damaged(original)))

    run()


def test_streamed_large_files_never_raise_anything_but_file_rejected(tmp_path):
    spec, original = bases()["population"]

    @settings(SETTINGS, max_examples=25)
    @given(st.data())
    def run(data):
        streamed_path(spec, data.draw(damaged(original)), tmp_path)

    run()
