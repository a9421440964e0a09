"""One broken spec does not stop a run: each is named with its key, recorded in meta.rejections,
its files are not loaded (and not removed), and every other source loads. Ingest only, no dbt.

The good extra source is a small long CSV shaped like an SSB Statistikkbanken CSV download
(table 10326-style: year;count) re-saved as comma-separated UTF-8.
"""
from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.conftest import DATA_RAW, SPEC_HEAD, pipeline_env, run_step

pytestmark = pytest.mark.integration

GOOD = SPEC_HEAD.format(id="good_extra", format="csv") + """\
columns:
  - {name: year, type: integer, required: true}
  - {name: deaths, type: integer}
"""
BROKEN = {
    "typo_key.yml": (SPEC_HEAD.format(id="typo_key", format="csv")
                     + "columns: [{name: year, type: integer}]\nobservation: []\n", "observation"),
    "bad_where.yml": (SPEC_HEAD.format(id="bad_where", format="csv") + """\
columns: [{name: year, type: integer}, {name: n, type: double}]
observations:
  - where: "region = 'x'"
    indicator: {value: x}
    geography: {value: nation_nor}
    period: {type: year, year: year}
    value: {column: n}
    unit: {value: deaths}
""", "observations[1].where"),
    "not_yaml.yml": ("id: [unclosed\n", "(file)"),
}


def test_broken_specs_are_isolated(tmp_path):
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    (data / "good_extra").mkdir()
    (data / "good_extra" / "deaths.csv").write_text("year,deaths\n2020,10\n2021,12\n", encoding="utf-8")
    (data / "typo_key").mkdir()
    (data / "typo_key" / "x.csv").write_text("year\n2020\n", encoding="utf-8")
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "good_extra.yml").write_text(GOOD, encoding="utf-8")
    for name, (text, _) in BROKEN.items():
        (specs / name).write_text(text, encoding="utf-8")
    env = pipeline_env(tmp_path / "wh", data)
    env["TRENDVAKT_EXTRA_SPECS"] = str(specs)
    run = run_step("ingest", env)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "Traceback" not in out
    for name, (_, key) in BROKEN.items():
        assert f"spec error in {specs / name}: {name}: key {key}:" in out, out
    assert "typo_key/x.csv: not loaded: its spec typo_key.yml is invalid" in out, out
    con = duckdb.connect(str(tmp_path / "wh" / "build.duckdb"), read_only=True)
    try:
        rows = con.execute("select source_file, source_column from meta.rejections "
                           "where check_name = 'spec_error' order by 1").fetchall()
        assert rows == sorted((str(specs / n), k) for n, (_, k) in BROKEN.items())
        assert con.execute("select count(*) from raw.good_extra__test").fetchone()[0] == 2
        # a bundled source loaded too
        assert con.execute("select count(*) from raw.eurostat_cod__deaths").fetchone()[0] > 0
        loaded = con.execute("select count(distinct source_id) from meta.load_log where status = 'loaded'").fetchone()[0]
        assert loaded >= 11
    finally:
        con.close()
