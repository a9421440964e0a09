"""The seven layout fixtures (tests/fixtures/layouts/, each in a real publisher's shape: see its
README) load by their spec alone through `python -m ingest`, beside FHI's code list, and one
hand-checked number of each arrives in raw.declared_observations with its line.

Ingest only: the fixtures hold illustrative numbers (see the README) and are not for a
published warehouse; what is tested is that a spec can express the layout.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import DATA_RAW, pipeline_env, run_step

pytestmark = pytest.mark.integration

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"

# spec id -> (period_start, source_row, geo_code or None, expected (value, qualifier, value_high)),
# each read off the fixture file by hand (the line and cell named in tests/unit/test_parsers_layouts.py)
EXPECTED = {
    # Politiet: district Øst (merged A8:A9), row 9, 2018 K3 = 97
    "layout_police_quarterly": (dt.date(2018, 7, 1), 9, "police_layout_ost", (97, "exact", None)),
    # Bergen, spirits sheet (header one row lower): 2012 on row 11 = 124 678 litres
    "layout_bergen_on_premise": (dt.date(2012, 1, 1), 11, None, (124678, "exact", None)),
    # WHO GHO, header below the indicator line: Norway / Wine, line 5, 2017 = 2.45
    "layout_who_gho_apc": (dt.date(2017, 1, 1), 5, None, (2.45, "exact", None)),
    # Home Office, three lines of preamble: Heroin, line 7, 2018/19 (April-March) = 9068
    "layout_home_office_seizures": (dt.date(2018, 4, 1), 7, None, (9068, "exact", None)),
    # SSB export: line 8 (Rusbrus og sider), 2022 printed '..'
    "layout_ssb_alcohol_sales": (dt.date(2022, 1, 1), 8, None, (None, "not_available", None)),
    # ONS: Darlington, row 7, 2019 printed '<5'
    "layout_ons_drug_poisoning": (dt.date(2019, 1, 1), 7, None, (None, "below", 5)),
    # stacked tables, real Eurostat TOXICO numbers: women 45-64, row 18, 2020 = 5
    "layout_toxico_by_sex": (dt.date(2020, 1, 1), 18, None, (5, "exact", None)),
}


def test_every_layout_fixture_loads_by_its_spec_alone(tmp_path):
    data, specs = tmp_path / "raw", tmp_path / "specs"
    specs.mkdir()
    # FHI's code list: a fixture names Bergen by its code before the 2020 reform (1201)
    shutil.copytree(DATA_RAW / "fhi_locations", data / "fhi_locations")
    for spec_path in sorted(LAYOUTS.glob("*.yml")):
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        folder, pattern = spec["file_pattern"].split("/")
        (data / folder).mkdir(parents=True)
        fixture = next(p for p in LAYOUTS.iterdir() if p.stem == spec_path.stem and p.suffix != ".yml")
        assert Path(fixture.name).match(pattern), (pattern, fixture.name)
        shutil.copy(fixture, data / folder / fixture.name)
        shutil.copy(spec_path, specs / spec_path.name)
    env = pipeline_env(tmp_path / "wh", data)
    env["TRENDVAKT_EXTRA_SPECS"] = str(specs)

    ingest = run_step("ingest", env)
    out = ingest.stdout + ingest.stderr
    assert ingest.returncode == 0, out[-4000:]
    assert "Traceback" not in out
    assert sorted(EXPECTED) == sorted(yaml.safe_load(p.read_text(encoding="utf-8"))["id"]
                                      for p in LAYOUTS.glob("*.yml"))

    con = duckdb.connect(str(tmp_path / "wh" / "build.duckdb"), read_only=True)
    try:
        for source_id, (start, line, geo, expected) in EXPECTED.items():
            rows = con.execute("""
                select value, qualifier, value_high from raw.declared_observations
                where source_id = ? and period_start = ? and source_row = ? and (? is null or geo_code = ?)
            """, [source_id, start, line, geo, geo]).fetchall()
            assert rows == [expected], (source_id, rows)
    finally:
        con.close()
