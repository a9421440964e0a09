"""Every sentence of README's "What ingest guarantees" names the test that holds it.

The section is a promise to data engineers. Each bullet ends with `(tests: path::name, ...)`; this
checks that every bullet has such a list and that every test named there exists, so a guarantee
cannot be written without a test, and a test cannot be renamed or deleted while the README still
leans on it.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SECTION = "### What ingest guarantees"
REFERENCE = re.compile(r"\(tests?: ([^)]*)\)\s*$")


def guarantee_bullets() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert SECTION in text, f"README.md has no '{SECTION}' section"
    body = text.split(SECTION, 1)[1]
    body = re.split(r"\n#{2,3} ", body, maxsplit=1)[0]
    bullets, current = [], None
    for line in body.splitlines():
        if line.startswith("- "):
            if current is not None:
                bullets.append(current)
            current = line[2:].strip()
        elif current is not None and line.startswith("  ") and line.strip():
            current += " " + line.strip()
        elif current is not None and not line.strip():
            bullets.append(current)
            current = None
    if current is not None:
        bullets.append(current)
    return bullets


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            names.add(node.name)
    return names


def test_the_section_makes_promises():
    assert len(guarantee_bullets()) >= 8


def test_every_guarantee_names_its_tests_and_they_exist():
    missing = []
    for bullet in guarantee_bullets():
        found = REFERENCE.search(bullet)
        assert found, f"a guarantee without a test reference: {bullet[:120]!r}"
        for ref in (r.strip() for r in found.group(1).split(",")):
            file_part, _, test_name = ref.partition("::")
            path = REPO / file_part
            if not path.is_file() or test_name not in defined_tests(path):
                missing.append(ref)
    assert not missing, f"README names tests that do not exist: {missing}"
