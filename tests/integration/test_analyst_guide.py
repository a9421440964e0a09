"""Every SQL block of docs/analyst_guide.md runs against the built warehouse and returns rows."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.integration
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "analyst_guide.md"
BLOCKS = re.findall(r"```sql\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)


def test_the_guide_has_ten_questions():
    assert len(re.findall(r"^## \d+\. ", GUIDE.read_text(encoding="utf-8"), flags=re.M)) == 10


@pytest.mark.parametrize("sql", BLOCKS, ids=[f"block{i + 1}" for i in range(len(BLOCKS))])
def test_block_runs_and_answers(warehouse_path, sql):
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        rows = con.execute(sql).fetchall()
    finally:
        con.close()
    assert rows, "the query returned no rows"


def test_wine_grew_fastest(warehouse_path):
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        rows = con.execute(BLOCKS[2]).fetchall()
    finally:
        con.close()
    assert rows[0][0].lower().startswith("wine") and rows[0][3] == pytest.approx(107.9, abs=0.1)
