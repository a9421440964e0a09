"""Known answers for the disclosure step's relations, complements and audit
(dbt_project/models/disclosure), on small tables whose right answer can be worked out by hand."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.dbt_python_models import load_model

relations_model = load_model("disclosure/int_disclosure_relations.py")
decisions_model = load_model("disclosure/int_disclosure_decisions.py")

FHI = {"suppression_rule": "fhi_cod_under_4", "hidden_range_low": 0, "hidden_range_high": 3}
CDC = {"suppression_rule": "cdc_nchs_1_to_9", "hidden_range_low": 1, "hidden_range_high": 9}


def cell(key, value, rule=FHI, withheld=False, **dims):
    row = {"cell_key": key, "source_id": "s", "indicator_id": "i", "geo_code": "nation_nor",
           "period_type": "year", "period_start": dt.date(2020, 1, 1), "period_end": dt.date(2020, 12, 31),
           "substance_id": "all", "sex": "all", "age_group": "all", "breakdown": "all", "unit": "deaths",
           "value": value, "value_low": None, "value_high": None, "is_withheld": withheld, **rule, **dims}
    low, high = rule["hidden_range_low"], rule["hidden_range_high"]
    row["hidden_primary"] = withheld or (value is not None and low <= value <= high)
    return row


def relations_of(cells, parents=None, aggregates=None):
    frame = pd.DataFrame(cells)
    links = pd.DataFrame(columns=["current_cell_key", "part_cell_key", "weight"])
    return frame, relations_model.build_relations(frame, parents or {}, aggregates or {}, links)


def decide(cells, **kw):
    frame, relations = relations_of(cells, **kw)
    return decisions_model.decide(frame, relations).set_index("cell_key"), relations


def test_age_bands_nest_into_their_largest_disjoint_parts():
    found = relations_model.nested_partitions(["all", "0-14", "15+", "15-29", "30+", "under 30"])
    families = {(container, tuple(parts)) for container, parts in found}
    assert ("15+", ("15-29", "30+")) in families
    # both exact tilings of all ages are relations a reader can use
    assert ("all", ("0-14", "15+")) in families
    assert ("all", ("0-14", "15-29", "30+")) in families
    assert ("all", ("under 30", "30+")) in families
    assert ("under 30", ("0-14", "15-29")) in families
    # Eurostat's bands with 30-44 missing: the others, a 'ge' family once the counts are checked
    assert ("all", ("0-14", "15-29", "45-64", "65+")) in {
        (c, tuple(p)) for c, p in relations_model.nested_partitions(["all", "0-14", "15-29", "45-64", "65+"])}


def test_a_relation_that_does_not_add_up_is_ge_and_one_that_overshoots_is_dropped():
    assert relations_model.relation_type(10.0, [(4.0, 1.0), (6.0, 1.0)]) == "eq"
    assert relations_model.relation_type(10.0, [(4.0, 1.0), (5.0, 1.0)]) == "ge"
    # New York State published without New York City is no total of the city
    assert relations_model.relation_type(10.0, [(12.0, 1.0)]) is None


def test_a_small_quarter_gets_the_smallest_quarter_that_protects_it():
    quarters = [("q1", 2, 1, 3), ("q2", 30, 4, 6), ("q3", 28, 7, 9), ("q4", 31, 10, 12)]
    cells = [cell("year", 91)] + [
        cell(k, v, period_type="quarter", period_start=dt.date(2020, m0, 1),
             period_end=(dt.date(2020, m1 + 1, 1) - dt.timedelta(days=1)) if m1 < 12 else dt.date(2020, 12, 31))
        for k, v, m0, m1 in quarters]
    out, relations = decide(cells)
    assert set(relations["relation_kind"]) == {"time"}
    assert list(out.loc[["q1", "q2", "q3", "q4", "year"], "is_suppressed"]) == [True, False, True, False, False]
    assert out.loc["q3", "suppression_role"] == "complement"
    assert not out["audit_exposed"].fillna(False).any()


def test_two_small_hidden_members_need_a_third_because_their_sum_is_under_the_width():
    # all = 1 + 1 + 18 + 20: hiding both 1s leaves their sum 2 known, each in [0, 2]
    cells = [cell("all", 40), cell("m", 1, sex="male"), cell("f", 1, sex="female"),
             cell("u", 18, sex="unknown"), cell("x", 20, sex="other")]
    out, _ = decide(cells)
    assert out.loc["u", "is_suppressed"] and not out.loc["x", "is_suppressed"]


def test_two_hidden_members_with_room_over_the_width_need_no_complement():
    cells = [cell("eu", 12, rule=CDC, geo_code="union_eu27_2020"),
             cell("cyp", 5, rule=CDC, geo_code="nation_cyp"),
             cell("mlt", 0, rule=CDC, geo_code="nation_mlt"),
             cell("lux", 7, rule=CDC, geo_code="nation_lux")]
    out, relations = decide(cells, aggregates={"union_eu27_2020": ["nation_cyp", "nation_mlt", "nation_lux"]})
    assert set(relations["relation_kind"]) == {"geography"}
    # Cyprus (5) and Luxembourg (7) are under CDC's 1-9 rule; Malta's 0 is shown; the total 12 is
    # then the only other unknown: cyp + lux = 12, each in [1, 11], width 10 >= 8
    assert list(out.loc[["cyp", "mlt", "lux", "eu"], "is_suppressed"]) == [True, False, True, False]
    assert not out["audit_exposed"].fillna(False).any()


def test_the_audit_finds_a_cell_pinned_by_two_relations_together():
    # Each relation alone leaves the small cell a room of 4 or more, together they pin it:
    #   t1 = a + b = 5 (a, b hidden), t2 = a + c = 6 (a, c hidden), t3 = b + c = 9 (b, c hidden)
    #   -> a = (5 + 6 - 9) / 2 = 1 exactly
    frame = pd.DataFrame([cell("a", 1), cell("b", 4), cell("c", 5), cell("t1", 5), cell("t2", 6), cell("t3", 9)])
    rows = []
    for rid, total, members in (("r1", "t1", "ab"), ("r2", "t2", "ac"), ("r3", "t3", "bc")):
        rows.append((rid, "sex", "eq", total, 1.0, "total"))
        rows += [(rid, "sex", "eq", m, -1.0, "member") for m in members]
    relations = pd.DataFrame(rows, columns=["relation_id", "relation_kind", "relation_type", "cell_key",
                                            "coefficient", "role"])
    problem = decisions_model.Problem(frame, relations)
    problem.hidden[[problem.pos["b"], problem.pos["c"]]] = True
    intervals = problem.audit()
    low, high, method = intervals[problem.pos["a"]]
    assert method == "lp" and low == pytest.approx(1.0) and high == pytest.approx(1.0)
    assert problem.exposed(intervals) == [problem.pos["a"]]


def test_a_publisher_withheld_cell_is_protected_like_a_small_one():
    cells = [cell("all", 50), cell("m", None, withheld=True, sex="male"), cell("f", 40, sex="female")]
    out, _ = decide(cells)
    assert out.loc["m", "suppression_role"] == "publisher"
    assert out.loc["f", "is_suppressed"]           # else m = 50 - 40


def test_the_warm_started_solver_agrees_with_scipys_linprog_on_random_tables():
    # independent cross-check: every interval of a random hidden pattern in a sex x age x country
    # table, once from the audit (highspy, warm-started) and once from fresh scipy linprog calls
    import numpy as np
    from scipy.optimize import linprog

    rng = np.random.default_rng(7)
    cells = []
    for g in ("nation_aut", "nation_bel", "nation_cyp"):
        bands = {(s, a): int(rng.integers(0, 12)) for s in ("male", "female") for a in ("0-14", "15-64", "65+")}
        for (s, a), v in bands.items():
            cells.append(cell(f"{g}|{s}|{a}", v, geo_code=g, sex=s, age_group=a))
        for s in ("male", "female"):
            cells.append(cell(f"{g}|{s}|all", sum(v for (s2, _), v in bands.items() if s2 == s), geo_code=g, sex=s))
        for a in ("0-14", "15-64", "65+"):
            cells.append(cell(f"{g}|all|{a}", sum(v for (_, a2), v in bands.items() if a2 == a), geo_code=g, age_group=a))
        cells.append(cell(f"{g}|all|all", sum(bands.values()), geo_code=g))
    frame, relations = relations_of(cells)
    problem = decisions_model.Problem(frame, relations)
    problem.greedy()
    intervals = problem.audit()
    variables = [i for i in range(len(problem.keys)) if problem.is_variable(i)]
    col = {v: j for j, v in enumerate(variables)}
    a_eq, b_eq = [], []
    for _, _, members in problem.relations:
        row, constant = np.zeros(len(variables)), 0.0
        for i, c in members:
            if i in col:
                row[col[i]] += c
            else:
                constant += c * problem.count[i]
        if row.any():
            a_eq.append(row)
            b_eq.append(-constant)
    bounds = [(problem.floor[v], None) for v in variables]
    checked = 0
    for v, (low, high, method) in intervals.items():
        if method != "lp":
            continue
        target = np.zeros(len(variables))
        target[col[v]] = 1.0
        fresh_max = linprog(-target, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert -fresh_max.fun == pytest.approx(high, abs=1e-6)
        checked += 1
    assert checked > 0
