from __future__ import annotations

from pathlib import Path

import pytest

from ingest.problems import SpecError
from ingest.registry import load_registry, load_spec, source_for


def test_every_bundled_source_has_a_spec_with_provenance():
    specs = {s.id: s for s in load_registry()}
    bundled = {p.name for p in (Path(__file__).resolve().parents[2] / "data" / "raw").iterdir() if p.is_dir()}
    assert bundled <= set(specs)  # every bundled folder has its spec
    for spec in specs.values():
        assert spec.citation and spec.licence and spec.publisher
        assert spec.target_table.startswith(f"raw.{spec.id}__")


def test_files_are_routed_by_their_folder():
    specs = load_registry()
    assert source_for("cdc_wonder/owid_x.csv", specs).id == "cdc_wonder"
    assert source_for("unknown_source/file.csv", specs) is None


def test_a_spec_with_an_unknown_key_column_is_refused(tmp_path: Path):
    spec = tmp_path / "bad.yml"
    spec.write_text(
        "id: bad\ntitle: t\npublisher: p\ncitation: c\nlicence: l\ndescription: d\nformat: csv\n"
        "file_pattern: 'bad/*.csv'\ntarget_table: raw.bad__x\nkey: [nope]\n"
        "columns:\n  - {name: a, type: integer}\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError, match="nope"):
        load_spec(spec)


def _spec_text(extra: str = "", key: str = "key: [a]\n") -> str:
    return ("id: corrected\ntitle: t\npublisher: p\ncitation: c\nlicence: l\ndescription: d\nformat: csv\n"
            f"file_pattern: 'corrected/*.csv'\ntarget_table: raw.corrected__x\n{key}"
            f"columns:\n  - {{name: a, type: integer}}\n{extra}")


@pytest.mark.parametrize("rule", ["by_file_name", "by_load_order"])
def test_a_spec_may_say_which_file_wins_when_files_repeat_a_key(tmp_path: Path, rule: str):
    spec = tmp_path / "corrected.yml"
    spec.write_text(_spec_text(f"supersedes: {rule}\n"), encoding="utf-8")
    assert load_spec(spec).supersedes == rule


def test_without_a_rule_a_repeated_key_is_rejected_by_default(tmp_path: Path):
    spec = tmp_path / "corrected.yml"
    spec.write_text(_spec_text(), encoding="utf-8")
    assert load_spec(spec).supersedes is None
    assert all(s.supersedes is None for s in load_registry())  # no bundled source overrides rows silently


@pytest.mark.parametrize("value", ["by_date", "true", "[by_file_name]"])
def test_an_unknown_supersede_rule_is_refused_naming_the_rules(tmp_path: Path, value: str):
    spec = tmp_path / "corrected.yml"
    spec.write_text(_spec_text(f"supersedes: {value}\n"), encoding="utf-8")
    with pytest.raises(SpecError, match="by_file_name.*by_load_order"):
        load_spec(spec)


def test_a_supersede_rule_needs_a_key(tmp_path: Path):
    spec = tmp_path / "corrected.yml"
    spec.write_text(_spec_text("supersedes: by_file_name\n", key=""), encoding="utf-8")
    with pytest.raises(SpecError, match="needs a key"):
        load_spec(spec)
