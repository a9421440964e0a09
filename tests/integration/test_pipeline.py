"""The whole pipeline on the bundled data, as `make build` runs it, in a temporary directory."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DATA_RAW, pipeline_env, run_step

pytestmark = pytest.mark.integration
BUNDLED_FILES = sorted(p.relative_to(DATA_RAW).as_posix() for p in DATA_RAW.rglob("*") if p.is_file())
N_FILES = len(BUNDLED_FILES)
# every bundled source except the municipality code history, which is geography, not a series
SERIES_SOURCES = {p.split("/")[0] for p in BUNDLED_FILES} - {"fhi_locations"}


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_ingest_loads_every_bundled_file(built_pipeline):
    out = built_pipeline["ingest"].stdout
    assert f"{N_FILES} loaded, 0 unchanged, 0 rejected" in out
    for source in SERIES_SOURCES | {"fhi_locations"}:
        assert f"into {source}" in out


def test_fact_table_holds_every_series_source(warehouse_path):
    counts = dict(query(warehouse_path, "select source_id, count(*) from marts.fct_observations group by 1"))
    assert set(counts) == SERIES_SOURCES
    assert counts["cdc_wonder"] == 198  # 22 years x 9 drug classes


def test_duckdb_cli_from_the_venv_reads_the_published_warehouse(warehouse_path):
    cli = Path(sys.executable).with_name("duckdb")
    result = subprocess.run(
        [str(cli), "-readonly", str(warehouse_path), "-csv", "-c",
         "select source_id, count(*) as n from marts.fct_observations group by 1 order by 1"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert {line.split(",")[0] for line in result.stdout.splitlines()[1:]} == SERIES_SOURCES


def test_heroin_peaks_in_2016_2017_and_falls_while_psychostimulants_rise(warehouse_path):
    rows = query(warehouse_path, """
        select substance_id, year, value from publish.substance_trends
        where indicator_id = 'overdose_death_rate' and geo_code = 'nation_usa'
          and substance_id in ('heroin', 'psychostimulants')
    """)
    heroin = {y: v for s, y, v in rows if s == "heroin"}
    stim = {y: v for s, y, v in rows if s == "psychostimulants"}
    peak = max(heroin.values())
    assert sorted(y for y, v in heroin.items() if v == peak) == [2016, 2017]
    assert heroin[2020] < peak
    assert all(stim[y + 1] >= stim[y] for y in range(2010, 2020))
    assert stim[2020] > stim[2016]


def test_week4_inconsistency_is_kept_as_printed_and_flagged(warehouse_path):
    (row,) = query(warehouse_path, """
        select reported_pct, yes_count, respondents, pct_check, share_low_pct, share_high_pct
        from publish.survey_rounds
        where survey_round = '2021-W04' and geo_code = 'nation_nor' and question_id = 'overdose_known'
    """)
    assert row[:4] == (10.0, 10, 89, "inconsistent")
    assert row[4] == pytest.approx(6.20, abs=0.05) and row[5] == pytest.approx(19.45, abs=0.05)
    warnings = query(warehouse_path, """
        select count(*) from meta.quality_results where layer = 'ingest' and status = 'warn'
          and check_name like '%pct_gap%'
    """)
    assert warnings[0][0] >= 1


def test_second_ingest_does_nothing_and_says_so(built_pipeline, tmp_path):
    # work on a copy so the session's warehouse stays as the other tests expect it
    wh = tmp_path / "wh"
    shutil.copytree(built_pipeline["dir"], wh)
    before = sha(wh / "warehouse.duckdb")
    again = run_step("ingest", pipeline_env(wh))
    assert again.returncode == 0, again.stderr
    lines = [l for l in again.stdout.splitlines() if l.startswith("[")]
    assert len(lines) == N_FILES and all("unchanged" in l and "skipped" in l for l in lines)
    assert f"0 loaded, {N_FILES} unchanged, 0 rejected" in again.stdout
    assert "nothing changed" in again.stdout
    raw = query(wh / "build.duckdb", "select count(*) from raw.cdc_wonder__death_rates")
    assert raw == [(198,)]
    assert sha(wh / "warehouse.duckdb") == before


def test_bad_file_is_rejected_with_line_and_column_and_others_still_load(tmp_path):
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    survey = data / "korus_rapid_survey" / "survey_rounds_korus_2021.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",10,89,10,", ",150,89,10,", 1)  # yes-count above respondents
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = pipeline_env(tmp_path / "wh", data)
    result = run_step("ingest", env)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "korus_rapid_survey/survey_rounds_korus_2021.csv: REJECTED" in result.stdout
    assert "line 3, column 'respondents'" in result.stdout
    assert f"{N_FILES - 1} loaded, 0 unchanged, 1 rejected" in result.stdout
    db = tmp_path / "wh" / "build.duckdb"
    assert query(db, "select count(*) from raw.korus_rapid_survey__rounds") == [(0,)]
    assert query(db, "select source_row, check_name from meta.rejections") == [
        (3, "expect_column_pair_values_a_to_be_greater_than_b(respondents)")]


@pytest.mark.slow
def test_changed_file_is_a_new_vintage_and_both_are_kept(built_pipeline, tmp_path):
    wh = tmp_path / "wh"
    shutil.copytree(built_pipeline["dir"], wh)
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    rates = data / "cdc_wonder" / "owid_us_cdc_wonder_overdose_death_rates_by_drug_1999_2020.csv"
    rates.write_text(rates.read_text(encoding="utf-8").replace("2020,28.3,", "2020,28.4,"), encoding="utf-8")
    result = run_step("ingest", pipeline_env(wh, data))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"1 loaded, {N_FILES - 1} unchanged, 0 rejected" in result.stdout
    loads = query(wh / "build.duckdb", """
        select count(distinct load_id), count(*) from raw.cdc_wonder__death_rates
    """)
    assert loads == [(2, 396)]
    build = run_step("warehouse.build", pipeline_env(wh, data))
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    published = wh / "warehouse.duckdb"
    total_2020 = """
        select value, vintage from marts.fct_observations
        where source_id = 'cdc_wonder' and substance_id = 'all' and year(period_start) = 2020
    """
    both = sorted(query(published, total_2020), key=lambda r: r[1])
    assert [v for v, _ in both] == [28.3, 28.4]  # both vintages are kept
    first_vintage, second_vintage = both[0][1], both[1][1]
    assert first_vintage < second_vintage
    # the documented as-of query: what was published at a time between the two loads
    as_of = """
        select value from marts.fct_observations
        where source_id = 'cdc_wonder' and substance_id = 'all' and year(period_start) = 2020
          and vintage <= ? and (superseded_at is null or superseded_at > ?)
    """
    assert query(published, as_of, [first_vintage, first_vintage]) == [(28.3,)]
    assert query(published, as_of, [second_vintage, second_vintage]) == [(28.4,)]
    # the marts show the latest
    latest = query(published, """
        select value from publish.substance_trends
        where indicator_id = 'overdose_death_rate' and substance_id = 'all' and year = 2020
    """)
    assert latest == [(28.4,)]
