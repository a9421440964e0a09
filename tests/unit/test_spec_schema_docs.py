"""docs/spec-schema.json and docs/spec-schema.md are what the model that checks specs generates:
a key added to ingest/spec_schema.py without regenerating the docs fails here."""
from __future__ import annotations

import json
from pathlib import Path

from ingest.spec_schema import json_schema, markdown_reference

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_published_json_schema_is_the_one_ingest_checks_against():
    published = json.loads((DOCS / "spec-schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(), "run: python -m ingest.spec_schema --write docs/"


def test_the_key_reference_is_current():
    assert (DOCS / "spec-schema.md").read_text(encoding="utf-8") == markdown_reference(), \
        "run: python -m ingest.spec_schema --write docs/"


def test_every_top_level_key_is_in_the_readme_with_an_example():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding a source", 1)[1].split("\n## ", 1)[0]
    missing = [key for key in json_schema()["properties"] if f"`{key}`" not in section]
    assert not missing, f"README 'Adding a source' does not document: {missing}"
