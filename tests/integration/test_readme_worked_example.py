"""The README's worked example ("Adding a source"), run from the README's own text.

The export file and the spec are taken from the code blocks under "Worked example", exactly as a
reader would copy them (the file saved as ISO-8859-1 with CRLF line ends, as Statistikkbanken
delivers it), so a change to the README that breaks the example fails here, and so does a change
to ingest that breaks the README.
"""
from __future__ import annotations

import re
import shutil

import duckdb
import pytest
import yaml

from tests.conftest import DATA_RAW, REPO, pipeline_env, run_step

pytestmark = pytest.mark.integration


def worked_example() -> tuple[str, str, str]:
    """(file path under data/raw, file text, spec text) from the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Worked example", 1)[1].split("\n### ", 1)[0]
    blocks = dict(re.findall(r"```(text|yaml)\n(.*?)```", section, flags=re.S))
    saved_as = re.search(r"Save it as `data/raw/([^`]+)`", section).group(1)
    return saved_as, blocks["text"], blocks["yaml"]


def test_the_readme_names_a_file_its_spec_matches():
    saved_as, _, spec_text = worked_example()
    spec = yaml.safe_load(spec_text)
    folder = spec["file_pattern"].split("/")[0]
    assert saved_as.startswith(folder + "/"), (saved_as, spec["file_pattern"])


def test_the_worked_example_loads_verbatim_with_its_markers(tmp_path):
    saved_as, export, spec_text = worked_example()
    spec_id = yaml.safe_load(spec_text)["id"]
    data = tmp_path / "raw"
    shutil.copytree(DATA_RAW, data)
    target = data / saved_as
    target.parent.mkdir(parents=True)
    target.write_bytes(export.replace("\n", "\r\n").encode("iso-8859-1"))
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / f"{spec_id}.yml").write_text(spec_text, encoding="utf-8")
    env = pipeline_env(tmp_path / "wh", data)
    env["TRENDVAKT_EXTRA_SPECS"] = str(specs)

    build = run_step("warehouse.build", env)
    output = build.stdout + build.stderr
    assert build.returncode == 0, output[-4000:]
    assert "Traceback" not in output
    assert f"loaded 24 rows into {spec_id}" in output

    con = duckdb.connect(str(tmp_path / "wh" / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute("""
            select sex, year(period_start) as year, value, qualifier, source_row, source_column
            from marts.fct_observations
            where source_id = ? and is_latest_vintage
            order by sex, year
        """, [spec_id]).fetchall()
    finally:
        con.close()
    by_cell = {(sex, year): (value, qualifier, line, column) for sex, year, value, qualifier, line, column in rows}
    assert len(rows) == 24
    # hand-checked against the export: line 5 is "Menn", 2018 its fourth field
    assert by_cell[("male", 2018)] == (25, "exact", 5, 4)
    assert by_cell[("all", 2020)] == (26, "exact", 7, 6)
    # ':' is a number withheld (suppressed), '..' one that does not exist (not available)
    assert by_cell[("female", 2018)] == (None, "suppressed", 6, 4)
    assert {by_cell[(sex, year)][:2] for sex in ("all", "male", "female") for year in (2022, 2023)} == {
        (None, "not_available")}
