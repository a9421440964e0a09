"""Malformed variants of the real bundled files, dropped beside the good ones.

Every variant must be rejected as a whole, with a reason that names what is wrong, without a
traceback; none of its rows may reach the warehouse; every good file must still load; and the
front door (`make build`) must stop before publishing.
"""
from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
from pathlib import Path

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


def replace_line(relative: str, line_no: int, old: str, new: str) -> bytes:
    """The real file with one substring changed on one line (1-based, header = 1)."""
    lines = text(relative).split("\n")
    assert old in lines[line_no - 1], (relative, line_no, old)
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    return "\n".join(lines).encode("utf-8")


def population_variant(transform) -> bytes:
    with gzip.open(DATA_RAW / POPULATION, "rt", encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    return gzip.compress("\n".join(transform(lines)).encode("utf-8"))


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
]


@pytest.fixture(scope="module")
def rejected_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("malformed")
    data = root / "raw"
    shutil.copytree(DATA_RAW, data)
    good = sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file())
    bad = []
    for folder, name, payload, _ in VARIANTS:
        target = data / folder / f"zz_bad_{name}"
        target.write_bytes(payload)
        bad.append(target.relative_to(data).as_posix())
    env = pipeline_env(root / "warehouse", data)
    result = run_step("ingest", env)
    return {"result": result, "db": root / "warehouse" / "build.duckdb", "good": good, "bad": bad}


def test_at_least_thirty_variants():
    assert len(VARIANTS) >= 30


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


def test_make_build_stops_before_publishing(tmp_path, built_pipeline):
    """The front door: with a bad file present, `make build` fails and the published file stays."""
    warehouse = tmp_path / "wh"
    shutil.copytree(built_pipeline["dir"], warehouse)
    published = warehouse / "warehouse.duckdb"
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    (data / "korus_rapid_survey" / "zz_bad.csv").write_bytes(replace_line(SURVEY, 3, ",10,89,10,", ",150,89,10,"))
    env = pipeline_env(warehouse, data)
    result = subprocess.run(["make", "-s", "build", f"WAREHOUSE_DIR={warehouse}"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "zz_bad.csv: REJECTED" in result.stdout
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before
