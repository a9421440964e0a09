"""The outside attacker (tests/attack/attacker.py) recovers nothing from the built warehouse.

The attacker shares no code with the build's disclosure step: it reads only publish.*, knows the
hierarchies on its own (EU membership, municipality -> county, months/quarters in a year) and
tries every route of issue 9 (direct counts, one cell across views, inversions of derived
numbers, totals minus parts solved by linear programming, trend-fit score equations). Its
own tests (tests/attack/test_attacker_finds_planted_leaks.py) show that it finds each route
when one is planted; here, on the real build, it must find none. About 100 s.
"""
from __future__ import annotations

import pytest

from tests.attack.attacker import attack

pytestmark = pytest.mark.integration


def test_the_attacker_recovers_no_hidden_count_from_the_published_warehouse(warehouse_path):
    findings = attack(warehouse_path)
    assert findings == [], "\n".join(f"{f.route}: {f.cell}: {f.detail}" for f in findings[:20])
