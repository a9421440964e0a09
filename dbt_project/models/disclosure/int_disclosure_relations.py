"""The linear relations between published cells that an attacker could difference.

Every relation says: total = sum of members (relation_type 'eq'), or total >= sum of members
('ge': the members are disjoint parts that do not cover the whole, e.g. age bands that leave
ages out). A row is one cell of one relation with its coefficient (+1 for the total, -1 for a
member; a split municipality's part carries -weight). The hierarchies come from the warehouse's
own catalogues, so a new source or level takes part without code:

- sex:        'all' = the other sexes of the same cell;
- age_group:  a band (or 'all') = the largest disjoint bands inside it, one relation per band
              that holds smaller ones ('15+' = '15-29' + '30-44' + ..., 'all' = every top band);
- geography:  a place = its children in dim_geography's parent chain (the nearest ancestor that
              is published for the same cell), and an aggregate = its members in the seed
              geography_aggregate_members (EU27_2020, EU28);
- time:       a period = the shorter periods of one other period type inside it (a year = its
              quarters, months or ISO weeks, each family its own relation);
- borders:    a cell in today's borders = the observed cells it was made of
              (int_disclosure_border_links).

Whether a relation holds is checked on the true counts: where total and members are all known
numbers it is 'eq' when they add up, 'ge' when the total is larger, and it is dropped when the
members add up to more than the total (then it is no hierarchy, e.g. a state published without
its city). Where a count is unknown (the publisher withheld it, or a band is not available) the
relation is kept as 'eq' (the stronger assumption, which can only make the audit stricter) when
the count is withheld by the publisher; a count that is not available at all (no number, no
bound: an age band Eurostat did not fill) leaves the relation as 'ge' over the other members,
since it could be any number, and a total that is not available gives no relation.
Grain: one row per relation_id and cell_key.

Written in Python rather than SQL because age bands have to be parsed and nested and the parent
chain has to be climbed to the nearest published ancestor; both are loops, not joins.
"""
import re
from collections import defaultdict

import pandas as pd

KEY = ["source_id", "indicator_id", "geo_code", "period_type", "period_start", "period_end",
       "substance_id", "sex", "age_group", "breakdown", "unit"]
TOLERANCE = 1e-6


def age_span(band):
    """(first, last) year of age of a band label, None when the label is not a band."""
    text = str(band).strip().lower()
    if text == "all":
        return (0, 999)
    if m := re.fullmatch(r"(\d+)\s*-\s*(\d+)", text):
        return (int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"(\d+)\s*\+", text):
        return (int(m.group(1)), 999)
    if m := re.fullmatch(r"(?:under|<)\s*(\d+)", text):
        return (0, int(m.group(1)) - 1)
    return None


def nested_partitions(bands, limit=20):
    """For every band holding smaller ones: (container, [bands inside it that add up to it]).

    Every way of tiling the container exactly with published bands is a relation ('all' =
    '0-14' + '15+' and 'all' = 'under 30' + '30+' when all four are published); so is the
    family of the largest disjoint bands inside it when they leave ages out (a 'ge' relation
    once the counts are checked)."""
    spans = {b: age_span(b) for b in bands}
    spans = {b: s for b, s in spans.items() if s is not None}
    out = []
    for container, (c0, c1) in spans.items():
        inside = {b: s for b, s in spans.items() if b != container and c0 <= s[0] and s[1] <= c1 and s != (c0, c1)}
        found = []

        def extend(start, chain):
            if len(found) >= limit:
                return
            if start > c1:
                found.append(chain)
                return
            for b, (s0, s1) in sorted(inside.items(), key=lambda item: item[1]):
                if s0 == start:
                    extend(s1 + 1, chain + [b])

        extend(c0, [])
        # the largest ones: not inside another band that is itself inside the container
        top = [b for b in inside
               if not any(o != b and inside[o][0] <= inside[b][0] and inside[b][1] <= inside[o][1]
                          and inside[o] != inside[b] for o in inside)]
        top.sort(key=lambda b: inside[b])
        if top and all(inside[x][1] < inside[y][0] for x, y in zip(top, top[1:])) and top not in found:
            found.append(top)
        out += [(container, family) for family in found]
    return out


def relation_type(total, members):
    """'eq', 'ge' or None (does not hold) from the true counts; members = [(count, coef)]."""
    if total is None or any(c is None for c, _ in members):
        return "eq"
    parts = sum(c * w for c, w in members)
    if abs(total - parts) <= TOLERANCE * max(1.0, abs(total)):
        return "eq"
    return "ge" if total > parts else None


def build_relations(cells, parents, aggregates, border_links):
    known, absent = {}, set()
    for row in cells.itertuples(index=False):
        known[row.cell_key] = None if (row.is_withheld or pd.isna(row.value)) else float(row.value)
        if not row.is_withheld and pd.isna(row.value) and pd.isna(row.value_low) and pd.isna(row.value_high):
            absent.add(row.cell_key)
    rows = []
    counter = [0]

    def emit(kind, total_key, member_keys, weights=None):
        weights = weights or [1.0] * len(member_keys)
        if total_key in absent:
            return      # a total nobody knows says nothing about its members but that they are >= 0
        present = [(k, w) for k, w in zip(member_keys, weights) if k not in absent]
        if not present:
            return
        kind_of = relation_type(known[total_key], [(known[k], w) for k, w in present])
        if kind_of is None:
            return
        if len(present) < len(member_keys):
            # a member that is not available (no number at all) could be anything >= 0, so the
            # others only add up to at most the total
            kind_of = "ge"
        member_keys, weights = [k for k, _ in present], [w for _, w in present]
        counter[0] += 1
        rid = f"{kind}:{counter[0]}"
        rows.append((rid, kind, kind_of, total_key, 1.0, "total"))
        for k, w in zip(member_keys, weights):
            rows.append((rid, kind, kind_of, k, -float(w), "member"))

    records = cells[KEY + ["cell_key"]].astype(object).where(cells[KEY + ["cell_key"]].notna(), None)
    records = list(records.itertuples(index=False, name=None))
    idx = {name: i for i, name in enumerate(KEY)}

    def grouped(drop):
        keep = [i for i, name in enumerate(KEY) if name not in drop]
        groups = defaultdict(list)
        for rec in records:
            groups[tuple(rec[i] for i in keep)].append(rec)
        return groups.values()

    # sex: 'all' is the total of the other values
    for group in grouped({"sex"}):
        totals = [r for r in group if r[idx["sex"]] == "all"]
        members = [r[-1] for r in group if r[idx["sex"]] != "all"]
        if totals and members:
            emit("sex", totals[0][-1], members)

    # age: every band that holds smaller ones is their total
    for group in grouped({"age_group"}):
        by_band = {r[idx["age_group"]]: r[-1] for r in group}
        for container, parts in nested_partitions(list(by_band)):
            emit("age_group", by_band[container], [by_band[p] for p in parts])

    # geography: nearest published ancestor, and declared aggregates
    for group in grouped({"geo_code"}):
        by_geo = {r[idx["geo_code"]]: r[-1] for r in group}
        if len(by_geo) < 2:
            continue
        children = defaultdict(list)
        for code in by_geo:
            parent, seen = parents.get(code), set()
            while parent is not None and parent not in by_geo and parent not in seen:
                seen.add(parent)
                parent = parents.get(parent)
            if parent in by_geo:
                children[parent].append(code)
        for parent, kids in children.items():
            emit("geography", by_geo[parent], [by_geo[k] for k in kids])
        for aggregate, members in aggregates.items():
            present = [by_geo[m] for m in members if m in by_geo]
            if aggregate in by_geo and present:
                emit("geography", by_geo[aggregate], present)

    # time: a period and the shorter periods of one other type inside it
    for group in grouped({"period_type", "period_start", "period_end"}):
        if len(group) < 2:
            continue
        by_type = defaultdict(list)
        for r in group:
            if r[idx["period_start"]] is not None and r[idx["period_end"]] is not None:
                by_type[r[idx["period_type"]]].append(r)
        if len(by_type) < 2:
            continue
        for total_type, totals in by_type.items():
            for total in totals:
                t0, t1 = total[idx["period_start"]], total[idx["period_end"]]
                for member_type, candidates in by_type.items():
                    if member_type == total_type:
                        continue
                    inside = [r[-1] for r in candidates
                              if t0 <= r[idx["period_start"]] and r[idx["period_end"]] <= t1
                              and (r[idx["period_start"]], r[idx["period_end"]]) != (t0, t1)]
                    if inside:
                        emit("time", total[-1], inside)

    # borders: today's cell = its former parts (weighted for a split)
    for current, links in border_links.groupby("current_cell_key"):
        emit("borders", current, list(links["part_cell_key"]), list(links["weight"]))

    return pd.DataFrame(rows, columns=["relation_id", "relation_kind", "relation_type", "cell_key",
                                       "coefficient", "role"])


def model(dbt, session):
    dbt.config(materialized="table")
    cells = dbt.ref("int_disclosure_cells").df()
    geographies = dbt.ref("dim_geography").df()
    parents = {g: p for g, p in zip(geographies["geo_code"], geographies["parent_code"]) if isinstance(p, str)}
    members = dbt.ref("geography_aggregate_members").df()
    aggregates = defaultdict(list)
    for a, m in zip(members["aggregate_code"], members["member_code"]):
        aggregates[a].append(m)
    border_links = dbt.ref("int_disclosure_border_links").df()
    return build_relations(cells, parents, dict(aggregates), border_links)
