"""Markers: a cell text in a number's place becomes a qualifier of the one vocabulary.

The file is laid out like ONS's "deaths related to drug poisoning" tables (one row per age group
and year, `[x]` for not available, counts under 5 shown as `<5`), holding Norway's deaths from
drug dependence (Eurostat hlth_cd_aro, TOXICO, residents, both sexes) with that rule applied:
2020 30-44 is 7 and 45-64 is 15, 2020 15-29 (1) becomes `<5`, 2022 is not available.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ingest.observations import map_observations
from ingest.parsers import parse
from ingest.problems import FileRejected, SpecError
from ingest.registry import load_spec

ONS_STYLE = (
    "Age group,Year,Deaths\n"
    "15-29,2020,<5\n"
    "30-44,2020,7\n"
    "45-64,2020,15\n"
    "45-64,2021,9\n"
    "45-64,2022,[x]\n"
)

SPEC = """
id: toxico_ons_layout
title: t
publisher: Eurostat (ONS layout)
citation: c
licence: l
format: csv
file_pattern: "toxico_ons_layout/*.csv"
target_table: raw.toxico_ons_layout__deaths
columns:
  - {name: Age group, as: age, type: varchar, required: true}
  - {name: Year, as: year, type: integer, required: true}
  - {name: Deaths, as: deaths, type: integer, required: true}
MARKERS
observations:
  - indicator: {value: drug_dependence_deaths}
    geography: {value: nation_nor}
    age: {column: age}
    period: {type: year, year: year}
    value: {column: deaths}
    unit: {value: deaths}
"""
EXTRA = frozenset({"drug_dependence_deaths"})  # declared by the eurostat_cod spec
MARKERS = 'markers: {"[x]": not_available, "<5": {qualifier: below, value_high: 5}}'


def spec_from(tmp_path: Path, markers: str = MARKERS):
    path = tmp_path / "toxico_ons_layout.yml"
    path.write_text(SPEC.replace("MARKERS", markers), encoding="utf-8")
    return load_spec(path)


def test_markers_become_qualifiers_and_bounds(tmp_path):
    spec = spec_from(tmp_path)
    frame = parse(ONS_STYLE.encode(), spec)
    assert frame.filter(pl.col("source_row") == 2)["deaths_marker"].item() == "<5"
    obs = map_observations(frame, spec.id, list(spec.observations), markers=spec.markers, extra_indicators=EXTRA).sort("source_row")
    rows = {r["source_row"]: r for r in obs.iter_rows(named=True)}
    assert (rows[2]["value"], rows[2]["value_high"], rows[2]["qualifier"]) == (None, 5, "below")
    assert (rows[3]["value"], rows[3]["qualifier"]) == (7, "exact")
    assert (rows[6]["value"], rows[6]["qualifier"]) == (None, "not_available")


def test_a_marker_the_spec_does_not_declare_is_a_wrong_value(tmp_path):
    spec = spec_from(tmp_path, 'markers: {"[x]": not_available}')
    with pytest.raises(FileRejected) as rejected:
        parse(ONS_STYLE.encode(), spec)
    problem = rejected.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (2, "Deaths", "<5")


def test_a_marker_with_a_qualifier_outside_the_vocabulary_is_a_spec_error(tmp_path):
    with pytest.raises(SpecError, match=r"key markers\.\[x\]: qualifier 'missing' is not one of"):
        spec_from(tmp_path, 'markers: {"[x]": missing}')


def test_statistikkbanken_symbols_are_known_without_a_spec_entry(tmp_path):
    path = tmp_path / "ssb.yml"
    path.write_text("""
id: ssb_markers
title: t
publisher: p
citation: c
licence: l
format: ssb_statbank_csv
file_pattern: "ssb_markers/*.csv"
target_table: raw.ssb_markers__x
encoding: iso-8859-1
delimiter: ";"
decimal: ","
columns:
  - {name: category, type: varchar, required: true}
  - {name: period, as: year, type: integer, required: true}
  - {name: value, type: double}
  - {name: status, type: varchar}
observations:
  - indicator: {value: drug_dependence_deaths}
    geography: {value: nation_nor}
    period: {type: year, year: year}
    value: {column: value}
    unit: {value: deaths}
""", encoding="utf-8")
    spec = load_spec(path)
    export = ('"t"\r\n\r\n" ";"2020";"2021";"2022";"2023"\r\n" ";"Dødsfall";"Dødsfall";"Dødsfall";"Dødsfall"\r\n'
              '"Norge";26;-;:;..\r\n').encode("latin-1")
    obs = map_observations(parse(export, spec), spec.id, list(spec.observations), markers=spec.markers, extra_indicators=EXTRA)
    by_year = {r["period_start"].year: (r["value"], r["qualifier"]) for r in obs.iter_rows(named=True)}
    # '-' is SSB's nil: a true zero; ':' withheld; '..' not available
    assert by_year == {2020: (26, "exact"), 2021: (0, "exact"), 2022: (None, "suppressed"),
                       2023: (None, "not_available")}
