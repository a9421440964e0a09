"""The qualifier vocabulary, read from the dbt project so that ingest and the marts' tests accept
exactly the same words (a qualifier ingest let through and a mart test then rejected would fail a
build after the file had been reported as loaded)."""
from __future__ import annotations

from pathlib import Path

import yaml

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project" / "dbt_project.yml"


def _qualifiers() -> frozenset[str]:
    project = yaml.safe_load(DBT_PROJECT.read_text(encoding="utf-8"))
    return frozenset(project["vars"]["qualifiers"])


QUALIFIERS = _qualifiers()
# qualifiers whose value is null by definition: the number was withheld or never existed
NO_NUMBER_QUALIFIERS = frozenset({"suppressed", "not_available"})
