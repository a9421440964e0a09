"""Malformed variants of the real bundled files, dropped beside the good ones.

Every variant must be rejected as a whole, with a reason that names what is wrong, without a
traceback; none of its rows may reach the warehouse; every good file must still load; and the
front door (`make build STRICT=1`) publishes the rest and exits non-zero.

Every format is covered: the bundled sources (csv, wide_csv, xlsx, csv_large) and, through two
specs written by the test, the real SSB exports of tests/fixtures/formats/ (ssb_statbank_csv,
jsonstat2), whose good copies load beside their variants.
"""
from __future__ import annotations

import gzip
import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import openpyxl

import duckdb
import pytest

from tests.conftest import DATA_RAW, REPO, pipeline_env, run_step

pytestmark = pytest.mark.integration


def text(relative: str) -> str:
    return (DATA_RAW / relative).read_text(encoding="utf-8")


SURVEY = "korus_rapid_survey/survey_rounds_korus_2021.csv"
FIGURES = "report_figures/seed_figures.csv"
SIGNALS = "trend_panel/trend_panel_signals.csv"
RATES = "cdc_wonder/owid_us_cdc_wonder_overdose_death_rates_by_drug_1999_2020.csv"
VSRR = "cdc_vsrr/cdc_vsrr_provisional_drug_overdose_death_counts_2015_2018.csv"
EUROSTAT = "eurostat_cod/eurostat_hlth_cd_aro_mental_drug_alcohol_deaths_2016_2023.csv"
NRS = "scotland_nrs/scotland_nrs_drug_related_deaths_trend_1996_2021.csv"
EMS = "tempe_ems/tempe_az_opioid_ems_calls_2017_2024.csv"
POPULATION = "population/population_jan1_municipality_age_b2020_2005_2024.csv.gz"
BRFSS = "owid_brfss/owid_us_cdc_brfss_alcohol_drinking_prevalence_1995_2016.csv"
LOCATIONS = "fhi_locations/norway_locations_fhi_csdata.xlsx"
FORMATS = REPO / "tests" / "fixtures" / "formats"
SSB_EXPORT = "ssb_statbank_03014_semicolon_export_latin1.csv"
SSB_JSON = "ssb_jsonstat2_response_table05300.json"

# Two sources of the formats no bundled source uses, declared by spec only (as a site would).
EXTRA_SPECS = {
    "ssb_kpi": """
id: ssb_kpi
title: Consumer price index by consumption group (SSB table 03014, test)
publisher: Statistics Norway (SSB)
citation: Statistics Norway, table 03014, semicolon export.
licence: CC BY 4.0
format: ssb_statbank_csv
file_pattern: "ssb_kpi/*.csv"
target_table: raw.ssb_kpi__index
encoding: iso-8859-1
delimiter: ";"
decimal: "."
options: {header_rows: 2, label_columns: 1, header_names: [period, statistic], label_names: [category]}
key: [category, year, statistic]
columns:
  - {name: category, type: varchar, required: true}
  - {name: period, as: year, type: integer, required: true}
  - {name: statistic, type: varchar}
  - {name: value, type: double}
  - {name: status, type: varchar}
""",
    "ssb_05300": """
id: ssb_05300
title: Distance to the nearest cultural venue (SSB table 05300, test)
publisher: Statistics Norway (SSB)
citation: Statistics Norway, table 05300, JSON-stat 2.0 response.
licence: CC BY 4.0
format: jsonstat2
file_pattern: "ssb_05300/*.json"
target_table: raw.ssb_05300__distance
key: [distance, venue, year]
options:
  names: {Avstand1: distance, Kulturtilbud: venue, ContentsCode: contents, Tid: year}
columns:
  - {name: distance, type: varchar, required: true}
  - {name: venue, type: varchar, required: true}
  - {name: contents, type: varchar}
  - {name: year, type: integer, required: true}
  - {name: value, as: percent, type: double}
  - {name: status, type: varchar}
""",
}
GOOD_FIXTURES = {"ssb_kpi": SSB_EXPORT, "ssb_05300": SSB_JSON}


def replace_line(relative: str, line_no: int, old: str, new: str) -> bytes:
    """The real file with one substring changed on one line (1-based, header = 1)."""
    lines = text(relative).split("\n")
    assert old in lines[line_no - 1], (relative, line_no, old)
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    return "\n".join(lines).encode("utf-8")


@lru_cache(maxsize=1)
def _population_lines() -> tuple[str, ...]:
    with gzip.open(DATA_RAW / POPULATION, "rt", encoding="utf-8") as fh:
        return tuple(fh.read().split("\n"))


def population_variant(transform) -> bytes:
    return gzip.compress("\n".join(transform(list(_population_lines()))).encode("utf-8"), compresslevel=1)


def population_line(line_no: int, old: str, new: str) -> bytes:
    def change(lines):
        assert old in lines[line_no - 1], (line_no, old)
        lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
        return lines
    return population_variant(change)


def with_nul(data: bytes, line_no: int) -> bytes:
    """A NUL byte in the middle of a line, far past the head a sniffer would look at."""
    lines = data.split(b"\n")
    middle = len(lines[line_no - 1]) // 2
    lines[line_no - 1] = lines[line_no - 1][:middle] + b"\x00" + lines[line_no - 1][middle:]
    return b"\n".join(lines)


def without_last_line_break(data: bytes, cut: int) -> bytes:
    """The file cut `cut` bytes before its end: inside the last field of the last record."""
    return data.rstrip(b"\r\n")[:-cut]


def fixture(name: str) -> bytes:
    return (FORMATS / name).read_bytes()


def fixture_replace(name: str, old: bytes, new: bytes) -> bytes:
    data = fixture(name)
    assert old in data, (name, old)
    return data.replace(old, new, 1)


def workbook_variant(cell: str, value) -> bytes:
    book = openpyxl.load_workbook(DATA_RAW / LOCATIONS)
    book.worksheets[0][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def drop_column(relative: str, index: int) -> bytes:
    out = []
    for line in text(relative).split("\n"):
        cells = line.split(",")
        out.append(",".join(cells[:index] + cells[index + 1:]) if line else line)
    return "\n".join(out).encode("utf-8")


def duplicate_line(relative: str, line_no: int) -> bytes:
    lines = text(relative).split("\n")
    return "\n".join(lines[:line_no] + [lines[line_no - 1]] + lines[line_no:]).encode("utf-8")


# (folder, name of the bad file, bytes, words the rejection must contain)
VARIANTS = [
    ("korus_rapid_survey", "empty.csv", b"", "empty"),
    ("korus_rapid_survey", "header_only.csv", text(SURVEY).split("\n")[0].encode() + b"\n", "no data rows"),
    ("korus_rapid_survey", "binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
    ("korus_rapid_survey", "truncated.csv", text(SURVEY)[: len(text(SURVEY)) // 2].encode(), "fields"),
    ("trend_panel", "latin1.csv", text(SIGNALS).encode("latin-1"), "not valid utf-8"),
    ("korus_rapid_survey", "semicolons.csv", text(SURVEY).replace(",", ";").encode(), "delimiter"),
    ("korus_rapid_survey", "missing_column.csv", drop_column(SURVEY, 8), "respondents"),
    ("report_figures", "renamed_column.csv", text(FIGURES).replace("value_high", "upper", 1).encode(), "value_high"),
    ("korus_rapid_survey", "text_in_count.csv", replace_line(SURVEY, 3, ",10,89,10,", ",ti,89,10,"), "whole number"),
    ("korus_rapid_survey", "negative_count.csv", replace_line(SURVEY, 2, ",6,97,6,", ",-6,97,6,"), "never negative"),
    ("korus_rapid_survey", "share_above_100.csv", replace_line(SURVEY, 2, ",6,97,6,", ",6,97,160,"), "between 0 and 100"),
    ("korus_rapid_survey", "yes_above_respondents.csv", replace_line(SURVEY, 3, ",10,89,10,", ",150,89,10,"), "More respondents cannot"),
    ("korus_rapid_survey", "duplicate_round.csv", duplicate_line(SURVEY, 5), "duplicate round"),
    ("korus_rapid_survey", "unknown_region.csv", replace_line(SURVEY, 18, "Nord-Norge", "Midt-Norge"), "landsdeler"),
    ("korus_rapid_survey", "future_round.csv", replace_line(SURVEY, 2, "2021-01-25,2021-01-11", "2099-01-25,2021-01-11"), "future"),
    ("korus_rapid_survey", "required_missing.csv", replace_line(SURVEY, 2, "covid_known_in_scene", ""), "required"),
    ("trend_panel", "unknown_substance.csv", replace_line(SIGNALS, 2, ",heroin,", ",ketamine,"), "taxonomy"),
    ("trend_panel", "direction_out_of_scale.csv", replace_line(SIGNALS, 2, ",-1,", ",-5,"), "-2"),
    ("report_figures", "bad_date.csv", replace_line(FIGURES, 2, "2009-12-31", "2009-13-31"), "date"),
    ("report_figures", "unknown_qualifier.csv", replace_line(FIGURES, 8, ",exact,", ",circa,"), "qualifier"),
    ("report_figures", "range_upside_down.csv", replace_line(FIGURES, 4, ",31,36,range", ",36,31,range"), "upper bound"),
    ("report_figures", "bound_without_value.csv", replace_line(FIGURES, 2, ",,,29,below", ",,,,below"), "upper bound"),
    ("report_figures", "duplicate_id.csv", duplicate_line(FIGURES, 8), "pasted twice"),
    ("cdc_wonder", "renamed_id_column.csv", text(RATES).replace("Entity,", "Country,", 1).encode(), "Entity"),
    ("cdc_wonder", "text_rate.csv", replace_line(RATES, 19, ",4.9,", ",n/a,"), "a number"),
    ("cdc_wonder", "negative_rate.csv", replace_line(RATES, 2, ",0.7,", ",-0.7,"), "not negative"),
    ("cdc_wonder", "duplicate_year.csv", duplicate_line(RATES, 10), "One rate per"),
    ("cdc_vsrr", "unknown_state.csv", replace_line(VSRR, 2, "AK,AK,", "ZZ,ZZ,"), "unknown geo"),
    ("cdc_vsrr", "bad_month.csv", replace_line(VSRR, 2, "January", "Janvier"), "month name"),
    ("eurostat_cod", "unknown_country.csv", replace_line(EUROSTAT, 294, ",AT,", ",XX,"), "unknown geo"),
    ("eurostat_cod", "text_in_cell.csv", replace_line(EUROSTAT, 2, ",1164 ,", ",elleve ,"), "a number"),
    ("scotland_nrs", "year_not_number.csv", replace_line(NRS, 2, "1996,", "1996a,"), "whole number"),
    ("tempe_ems", "bad_timestamp.csv", replace_line(EMS, 2, "2017/01/03 00:00:00+00", "03.01.2017 kl 00"), "timestamp"),
    ("tempe_ems", "duplicate_incident.csv", duplicate_line(EMS, 3), "counted twice"),
    ("population", "negative.csv.gz", population_variant(lambda ls: [ls[0], ls[1].replace(",8420,", ",-8420,")] + ls[2:]), "never negative"),
    ("population", "truncated.csv.gz", (DATA_RAW / POPULATION).read_bytes()[:4000], "end of gzip"),
    ("population", "wrong_header.csv.gz", population_variant(lambda ls: [ls[0].replace("pop_jan1", "population")] + ls[1:]), "header"),
    ("population", "duplicate_key.csv.gz", population_variant(lambda ls: ls[:3] + [ls[2]] + ls[3:]), "One count per"),
    ("fhi_locations", "not_a_workbook.xlsx", b"year_start;year_end\n1838;2019\n", "spreadsheet"),
    # --- the validation layer (ingest/validation.py), every class of issue 8, every format ---
    # csv: non-finite numbers, whole numbers, digits, overflow, years, weeks, NUL, cut records
    ("korus_rapid_survey", "inf_share.csv", replace_line(SURVEY, 2, ",6,97,6,", ",6,97,1e400,"), "finite number"),
    ("korus_rapid_survey", "fraction_count.csv", replace_line(SURVEY, 2, ",6,97,6,", ",6.5,97,6,"), "whole number"),
    ("korus_rapid_survey", "fullwidth_count.csv", replace_line(SURVEY, 3, ",10,89,10,", ",\uff11\uff10,89,10,"), "whole number"),
    ("korus_rapid_survey", "overflow_count.csv", replace_line(SURVEY, 3, ",10,89,10,", ",99999999999999999999,89,10,"), "does not fit"),
    ("korus_rapid_survey", "week_53.csv", replace_line(SURVEY, 2, "2021-W04", "2021-W53"), "ISO week"),
    ("korus_rapid_survey", "year_21_ad.csv", replace_line(SURVEY, 2, "2021-01-11", "0021-01-11"), "before 1900"),
    ("korus_rapid_survey", "cut_in_open_quote.csv",
     (text(SURVEY) + 'korus_rapid_survey,2021-W06,2021-02-08,2021-01-25,2021-02-07,Norge,q,1,2,50,exact,"003_').encode(),
     "line break"),
    ("korus_rapid_survey", "cut_in_last_field.csv", without_last_line_break((DATA_RAW / SURVEY).read_bytes(), 5), "line break"),
    ("tempe_ems", "nul_late.csv", with_nul((DATA_RAW / EMS).read_bytes(), 3000), "NUL bytes"),
    ("tempe_ems", "overflow_objectid.csv", replace_line(EMS, 2, ",1,2017/01/03", ",99999999999999999999,2017/01/03"), "does not fit"),
    ("tempe_ems", "objectid_beyond_int32.csv", replace_line(EMS, 2, ",1,2017/01/03", ",3000000000,2017/01/03"), "does not fit"),
    ("tempe_ems", "inf_latitude.csv", replace_line(EMS, 2, ",33.4196,-111.8904,", ",1e400,-111.8904,"), "finite number"),
    ("tempe_ems", "year_0.csv", replace_line(EMS, 2, ",2017,Yes,", ",0,Yes,"), "before 1900"),
    ("report_figures", "twenty_digits.csv", replace_line(FIGURES, 2, ",,,29,below", ",,,12345678901234567890,below"), "16 or more digits"),
    ("report_figures", "period_end_future.csv", replace_line(FIGURES, 2, "2009-12-31", "2099-12-31"), "in the future"),
    ("report_figures", "year_16_ad.csv", replace_line(FIGURES, 3, "2010-01-01", "0016-01-01"), "before 1900"),
    ("trend_panel", "year_21_ad.csv", replace_line(SIGNALS, 2, "2002-01-01", "0021-01-01"), "before 1900"),
    ("trend_panel", "nan_direction.csv", replace_line(SIGNALS, 2, ",-1,", ",nan,"), "whole number"),
    ("cdc_vsrr", "nul_late.csv", with_nul((DATA_RAW / VSRR).read_bytes(), 9000), "NUL bytes"),
    ("cdc_vsrr", "inf_value.csv", replace_line(VSRR, 2, ",4034,", ",1e400,"), "finite number"),
    ("cdc_vsrr", "nan_value.csv", replace_line(VSRR, 3, ",4084,", ",nan,"), "a number"),
    ("cdc_vsrr", "year_future.csv", replace_line(VSRR, 2, "AK,AK,2015,", "AK,AK,2099,"), "has not begun"),
    ("scotland_nrs", "fraction_deaths.csv", replace_line(NRS, 2, "1996,244,", "1996,244.5,"), "whole number"),
    ("scotland_nrs", "fullwidth_year.csv", replace_line(NRS, 2, "1996,", "\uff11\uff19\uff19\uff16,"), "whole number"),
    ("scotland_nrs", "year_1.csv", replace_line(NRS, 3, "1997,", "1,"), "before 1900"),
    # wide_csv: headers that map to nothing, implausible year headers, non-finite cells
    ("cdc_wonder", "unmapped_series.csv", text(RATES).replace("Cocaine (CDC WONDER (2017))", "Fentanyl (CDC WONDER (2024))", 1).encode(), "not a series"),
    ("cdc_wonder", "inf_rate.csv", replace_line(RATES, 2, ",6.1,", ",1e400,"), "finite number"),
    ("cdc_wonder", "twenty_digits.csv", replace_line(RATES, 3, ",6.2,", ",62000000000000000000,"), "16 or more digits"),
    ("cdc_wonder", "year_typo.csv", replace_line(RATES, 2, "United States,1999,", "United States,199,"), "before 1999"),
    ("eurostat_cod", "year_header_typo.csv", text(EUROSTAT).replace(",2016 ,", ",216 ,", 1).encode(), "must be a year"),
    ("eurostat_cod", "future_year_header.csv", text(EUROSTAT).replace(",2023 ", ",2093 ", 1).encode(), "must be a year"),
    ("eurostat_cod", "inf_cell.csv", replace_line(EUROSTAT, 2, ",1164 ,", ",1e400 ,"), "finite number"),
    ("owid_brfss", "unmapped_series.csv", text(BRFSS).replace("Heavy drinking", "Heavy drinking (new definition)", 1).encode(), "not a series"),
    ("owid_brfss", "year_1.csv", replace_line(BRFSS, 2, "United States,1995,", "United States,1,"), "before 1900"),
    # ssb_statbank_csv (the real SSB export, spec ssb_kpi)
    ("ssb_kpi", "year_header_typo.csv", fixture_replace(SSB_EXPORT, b'"1979"', b'"0979"'), "before 1900"),
    ("ssb_kpi", "inf_cell.csv", fixture_replace(SSB_EXPORT, b";27.5;", b";1e400;"), "finite number"),
    ("ssb_kpi", "year_header_future.csv", fixture_replace(SSB_EXPORT, b'"2016"', b'"2099"'), "has not begun"),
    ("ssb_kpi", "nul_late.csv", with_nul(fixture(SSB_EXPORT), 9), "NUL bytes"),
    ("ssb_kpi", "cut_mid_record.csv", fixture(SSB_EXPORT)[: fixture(SSB_EXPORT).index(b'"Bolig') + 40], "line break"),
    # jsonstat2 (the real SSB JSON-stat response, spec ssb_05300)
    ("ssb_05300", "inf_value.json", fixture_replace(SSB_JSON, b'"value":[16,', b'"value":[1e400,'), "finite number"),
    ("ssb_05300", "truncated.json", fixture(SSB_JSON)[: len(fixture(SSB_JSON)) // 2], "not json"),
    ("ssb_05300", "year_typo.json", fixture_replace(SSB_JSON, b'"1991":0', b'"0991":0'), "before 1900"),
    ("ssb_05300", "nul.json", with_nul(fixture(SSB_JSON), 1), "NUL bytes"),
    # xlsx (the real FHI workbook): a year cell that overflows, implausible and future years
    ("fhi_locations", "year_overflow.xlsx", workbook_variant("A2", 1e20), "does not fit"),
    ("fhi_locations", "year_16_ad.xlsx", workbook_variant("A2", 16), "before 1838"),
    ("fhi_locations", "fraction_year.xlsx", workbook_variant("B2", 2019.5), "whole number"),
    ("fhi_locations", "year_future.xlsx", workbook_variant("A3", 2099), "has not begun"),
    # csv_large (streamed by DuckDB): the same rules, in SQL over the whole staging table
    ("population", "unknown_municipality.csv.gz", population_line(2, ",0301,", ",0302,"), "code history"),
    ("population", "fraction_count.csv.gz", population_line(2, ",8420,", ",8420.5,"), "whole number"),
    ("population", "fullwidth_age.csv.gz", population_line(2, ",0301,0,", ",0301,\uff10,"), "whole number"),
    ("population", "overflow_count.csv.gz", population_line(2, ",8420,", ",99999999999999999999,"), "does not fit"),
    ("population", "age_beyond_int32.csv.gz", population_line(2, ",0301,0,", ",0301,3000000000,"), "does not fit"),
    ("population", "year_future.csv.gz", population_line(2, "2005,", "2099,"), "has not begun"),
    ("population", "nul_late.csv.gz", gzip.compress(with_nul(gzip.decompress((DATA_RAW / POPULATION).read_bytes()), 100000), compresslevel=1), "NUL bytes"),
    ("population", "cut_in_last_field.csv.gz", gzip.compress(without_last_line_break(gzip.decompress((DATA_RAW / POPULATION).read_bytes()), 2), compresslevel=1), "line break"),
]


@pytest.fixture(scope="module")
def rejected_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("malformed")
    data = root / "raw"
    shutil.copytree(DATA_RAW, data)
    specs = root / "specs"
    specs.mkdir()
    for source_id, body in EXTRA_SPECS.items():
        (specs / f"{source_id}.yml").write_text(body, encoding="utf-8")
        (data / source_id).mkdir()
        shutil.copy(FORMATS / GOOD_FIXTURES[source_id], data / source_id / GOOD_FIXTURES[source_id])
    good = sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file())
    bad = []
    for folder, name, payload, _ in VARIANTS:
        target = data / folder / f"zz_bad_{name}"
        target.write_bytes(payload)
        bad.append(target.relative_to(data).as_posix())
    env = {**pipeline_env(root / "warehouse", data), "TRENDVAKT_EXTRA_SPECS": str(specs)}
    result = run_step("ingest", env)
    return {"result": result, "db": root / "warehouse" / "build.duckdb", "good": good, "bad": bad}


def test_at_least_sixty_variants_over_every_format():
    assert len(VARIANTS) >= 60
    assert len({(folder, name) for folder, name, _, _ in VARIANTS}) == len(VARIANTS)
    formats = {"csv": "korus_rapid_survey", "wide_csv": "cdc_wonder", "ssb_statbank_csv": "ssb_kpi",
               "jsonstat2": "ssb_05300", "xlsx": "fhi_locations", "csv_large": "population"}
    assert set(formats.values()) <= {folder for folder, _, _, _ in VARIANTS}


def test_run_reports_every_bad_file_and_exits_nonzero(rejected_run):
    result = rejected_run["result"]
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    n_good, n_bad = len(rejected_run["good"]), len(rejected_run["bad"])
    assert f"{n_good} loaded, 0 unchanged, {n_bad} rejected" in result.stdout
    for relative in rejected_run["bad"]:
        assert f"{relative}: REJECTED, nothing loaded" in result.stdout


@pytest.mark.parametrize("folder,name,expected", [(f, n, e) for f, n, _, e in VARIANTS],
                         ids=[n for _, n, _, _ in VARIANTS])
def test_each_variant_is_rejected_with_a_reason_naming_the_problem(rejected_run, folder, name, expected):
    con = duckdb.connect(str(rejected_run["db"]), read_only=True)
    try:
        reasons = con.execute(
            "select reason || ' ' || coalesce(source_column, '') || ' ' || coalesce(value, '') || ' ' || check_name "
            "from meta.rejections where source_file = ?", [f"{folder}/zz_bad_{name}"]).fetchall()
        status = con.execute("select status from meta.file_registry where source_file = ?",
                             [f"{folder}/zz_bad_{name}"]).fetchall()
    finally:
        con.close()
    assert status == [("rejected",)]
    text_of_reasons = " ".join(r[0] for r in reasons).lower()
    assert expected.lower() in text_of_reasons, text_of_reasons[:500]


def test_no_row_of_a_rejected_file_reached_the_warehouse(rejected_run):
    con = duckdb.connect(str(rejected_run["db"]), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()]
        leaked = 0
        for table in tables:
            leaked += con.execute(f"select count(*) from raw.{table} where source_file like '%zz_bad_%'").fetchall()[0][0]
        loaded = {f for (f,) in con.execute("select source_file from meta.file_registry where status = 'loaded'").fetchall()}
    finally:
        con.close()
    assert leaked == 0
    assert loaded == set(rejected_run["good"])


def test_make_build_strict_publishes_the_rest_and_exits_nonzero(tmp_path, built_pipeline):
    """The front door: with a bad file present, `make build STRICT=1` publishes every other source
    (the bad file's source keeps its last good vintage, red in publish.load_status) and exits 1."""
    warehouse = tmp_path / "wh"
    shutil.copytree(built_pipeline["dir"], warehouse)
    published = warehouse / "warehouse.duckdb"
    before = published.stat().st_mtime_ns
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    (data / "korus_rapid_survey" / "zz_bad.csv").write_bytes(replace_line(SURVEY, 3, ",10,89,10,", ",150,89,10,"))
    env = pipeline_env(warehouse, data)
    result = subprocess.run(["make", "-s", "build", f"WAREHOUSE_DIR={warehouse}", "STRICT=1"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode != 0, result.stdout[-3000:]
    assert "zz_bad.csv: REJECTED" in result.stdout
    assert "STRICT: exiting 1" in result.stderr
    assert published.stat().st_mtime_ns != before
    con = duckdb.connect(str(published), read_only=True)
    try:
        status = con.execute("select file_status, source_status from publish.load_status "
                             "where source_file = 'korus_rapid_survey/zz_bad.csv'").fetchall()
    finally:
        con.close()
    assert status == [("red", "red")]
