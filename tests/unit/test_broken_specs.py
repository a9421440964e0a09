"""Broken specs, the way people really get them wrong: each is refused with the spec file and the
key path, a hint of what to write, and never a traceback; the other specs of the folder load.

The good spec is Scotland's drug-related deaths as the bundled NRS trend table has them.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ingest.registry import load_registry_report, load_spec, source_for
from ingest.problems import SpecError

REPO = Path(__file__).resolve().parents[2]

GOOD = textwrap.dedent("""\
    id: nrs_deaths
    title: Drug-related deaths in Scotland
    publisher: National Records of Scotland
    citation: NRS, drug-related deaths, trend table
    licence: OGL v3.0
    format: csv
    file_pattern: "nrs_deaths/*.csv"
    target_table: raw.nrs_deaths__deaths
    key: [year]
    columns:
      - {name: year, type: integer, required: true}
      - {name: deaths, type: integer, required: true}
      - {name: status, type: varchar}
    indicators:
      - {indicator_id: nrs_deaths_test, name_nb: Dødsfall, name_en: Deaths, unit: deaths, definition_en: NRS}
    observations:
      - where: "status is null"
        indicator: {value: nrs_deaths_test}
        geography: {value: nation_sco}
        sex: {column: status, map: {"NO": all}}
        period: {type: year, year: year}
        value: {column: deaths}
        unit: {value: deaths}
    """)


def edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


# (case id, spec text, key path the message must name, words of the hint)
CASES = [
    ("unknown-top-level-key", edit("observations:", "observation:"), "observation", "did you mean `observations`"),
    ("unknown-key-in-options", GOOD + "options: {header_row: 2, sheet_name: Data}\n", "options.sheet_name", "unknown key"),
    ("unknown-key-in-column", edit("{name: deaths, type: integer, required: true}",
                                   "{name: deaths, type: integer, requird: true}"), "columns[2].requird", "did you mean `required`"),
    ("unknown-key-in-block", edit("    unit: {value: deaths}\n", "    units: {value: deaths}\n"),
     "observations[1].units", "did you mean `unit`"),
    ("year-as-number", edit("period: {type: year, year: year}", "period: {type: year, year: 2017}"),
     "observations[1].period.year", "names a column of the file"),
    ("missing-id", edit("id: nrs_deaths\n", ""), "id", "required"),
    ("missing-publisher", edit("publisher: National Records of Scotland\n", ""), "publisher", "required"),
    ("unknown-format", edit("format: csv", "format: excel"), "format", "'xlsx'"),
    ("target-outside-raw", edit("target_table: raw.nrs_deaths__deaths", "target_table: marts.nrs"), "target_table",
     "pattern"),
    ("id-with-capitals", edit("id: nrs_deaths", "id: NRS-deaths"), "id", "pattern"),
    ("column-type-unknown", edit("{name: year, type: integer", "{name: year, type: int"), "columns[1].type", "'integer'"),
    ("columns-not-a-list", edit("columns:\n  - {name: year, type: integer, required: true}\n"
                                "  - {name: deaths, type: integer, required: true}\n  - {name: status, type: varchar}\n",
                                "columns: year, deaths\n"), "columns", "valid list"),
    ("delimiter-two-chars", GOOD + "delimiter: ';;'\n", "delimiter", "at most 1 character"),
    ("decimal-unknown", GOOD + "decimal: '_'\n", "decimal", "','"),
    ("encoding-unknown", GOOD + "encoding: latin-9000\n", "encoding", "not an encoding Python knows"),
    ("where-on-missing-column", edit('where: "status is null"', 'where: "flag is null"'), "observations[1].where",
     "does not produce"),
    ("where-bad-sql", edit('where: "status is null"', 'where: "status is is null"'), "observations[1].where",
     "SQL cannot be read"),
    ("expr-on-missing-column", edit("    unit: {value: deaths}\n",
                                    "    unit: {value: deaths}\n    detail: {expr: \"notes || ''\"}\n"),
     "observations[1].detail.expr", "does not produce"),
    ("expr-bad-sql", edit("    unit: {value: deaths}\n", "    unit: {value: deaths}\n    detail: {expr: \"deaths * / 2\"}\n"),
     "observations[1].detail.expr", "SQL cannot be read"),
    ("column-missing", edit("value: {column: deaths}", "value: {column: death}"), "observations[1].value.column",
     "did you mean `deaths`"),
    ("period-column-missing", edit("period: {type: year, year: year}", "period: {type: year, year: yr}"),
     "observations[1].period", "does not produce"),
    ("map-key-read-as-false", edit('map: {"NO": all}', "map: {NO: all}"), "observations[1].sex.map", 'quote it ("NO")'),
    ("qualifier-unknown", edit("    unit: {value: deaths}\n", "    unit: {value: deaths}\n    qualifier: {value: rough}\n"),
     "observations[1].qualifier.value", "is not a qualifier"),
    ("field-form-unknown", edit("value: {column: deaths}", "value: {col: deaths}"), "observations[1].value",
     "write one of {value: ...}"),
    ("period-type-unknown", edit("period: {type: year, year: year}", "period: {type: decade, year: year}"),
     "observations[1].period.type", "'year'"),
    ("block-without-indicator", edit("    indicator: {value: nrs_deaths_test}\n", ""), "observations[1].indicator",
     "required"),
    ("marker-qualifier-unknown", GOOD + 'markers: {"[z]": missing}\n', "markers.[z]", "is not one of"),
    ("marker-bound-not-a-number", GOOD + 'markers: {"<5": {qualifier: below, value_high: five}}\n',
     "markers.<5.value_high", "valid"),
    ("supersedes-unknown", GOOD + "supersedes: newest\n", "supersedes", "'by_file_name'"),
    ("key-not-a-column", edit("key: [year]", "key: [year, area]"), "key", "not columns of the source"),
    ("earliest-year-text", GOOD + "plausible: {earliest_year: 'nineteen hundred'}\n", "plausible.earliest_year",
     "valid integer"),
    ("code-list-unknown", GOOD + "codes: {year: ssb_regions}\n", "codes.year", "'fhi_locations'"),
    ("indicator-without-name-en", edit("name_en: Deaths, ", ""), "indicators[1].name_en", "required"),
    ("geography-already-in-catalogue", GOOD + "geographies:\n  - {code: nation_nor, level: nation, name_nb: Norge, "
     "name_en: Norway}\n", "geographies[1].code", "already in the catalogue"),
    ("geography-level-not-snake-case", GOOD + "geographies:\n  - {code: police_oslo, level: Police District, "
     "name_nb: Oslo, name_en: Oslo}\n", "geographies[1].level", "pattern"),
    ("yaml-syntax-error", GOOD + "columns: [\n", "(file)", "not valid YAML"),
    ("a-list-at-top-level", "- id: nrs_deaths\n- format: csv\n", "(top level)", "a spec is a mapping"),
    ("empty-file", "", "(top level)", "a spec is a mapping"),
]


@pytest.mark.parametrize(("text", "key", "hint"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_broken_spec_is_refused_naming_spec_file_and_key(tmp_path, text, key, hint):
    path = tmp_path / "nrs_deaths.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as refused:
        load_spec(path)
    message = str(refused.value)
    assert message.startswith("nrs_deaths.yml: "), message
    assert f"key {key}" in message, message
    assert hint in message, message
    assert refused.value.key == key and refused.value.spec_path == path
    assert "Traceback" not in message and "pydantic" not in message and "For further information" not in message


def test_there_are_at_least_thirty_kinds_of_mistake():
    assert len(CASES) >= 30 and len({c[0] for c in CASES}) == len(CASES)


def test_the_good_spec_loads(tmp_path):
    path = tmp_path / "nrs_deaths.yml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_spec(path).id == "nrs_deaths"


def test_a_folder_with_broken_specs_still_gives_the_good_ones(tmp_path):
    (tmp_path / "good.yml").write_text(GOOD.replace("nrs_deaths", "nrs_good"), encoding="utf-8")
    for case_id, text, _, _ in CASES[:10]:
        (tmp_path / f"{case_id}.yml").write_text(text, encoding="utf-8")
    specs, broken = load_registry_report(tmp_path)
    assert [s.id for s in specs] == ["nrs_good"]
    assert len(broken) == 10 and all(b.error.key for b in broken)


def test_one_id_in_two_specs_breaks_both(tmp_path):
    (tmp_path / "a.yml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yml").write_text(GOOD.replace('"nrs_deaths/*.csv"', '"nrs_other/*.csv"'), encoding="utf-8")
    specs, broken = load_registry_report(tmp_path)
    assert specs == []
    messages = sorted(str(b.error) for b in broken)
    assert messages[0].startswith("a.yml: key id: source id 'nrs_deaths' is also used by b.yml")
    assert messages[1].startswith("b.yml: key id: source id 'nrs_deaths' is also used by a.yml")


def test_two_specs_claiming_one_file_are_named_with_the_file(tmp_path):
    (tmp_path / "a.yml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yml").write_text(GOOD.replace("id: nrs_deaths", "id: nrs_copy")
                                    .replace("raw.nrs_deaths__deaths", "raw.nrs_copy__deaths"), encoding="utf-8")
    specs, broken = load_registry_report(tmp_path)
    assert broken == []
    with pytest.raises(SpecError, match=r"a\.yml and b\.yml: key file_pattern: both match nrs_deaths/2021\.csv"):
        source_for("nrs_deaths/2021.csv", specs)


def test_python_m_ingest_with_a_broken_spec_prints_no_traceback(tmp_path):
    """The command line, end to end on an empty data folder: the spec error is printed, exit 1."""
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "nrs_deaths.yml").write_text(edit("observations:", "observation:"), encoding="utf-8")
    (tmp_path / "raw").mkdir()
    env = {"TRENDVAKT_EXTRA_SPECS": str(specs), "TRENDVAKT_DATA_DIR": str(tmp_path / "raw"),
           "TRENDVAKT_WAREHOUSE_DIR": str(tmp_path / "wh"), "TRENDVAKT_WAREHOUSE": str(tmp_path / "wh" / "warehouse.duckdb"),
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "ingest"], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "nrs_deaths.yml: key observation: unknown key `observation`; did you mean `observations`?" in result.stderr
