"""An outside attacker against the published warehouse.

This is deliberately NOT the build's disclosure check (dbt_project's cell registry, complement
step and audit): it reads only what leaves the building (the `publish` schema of
warehouse.duckdb), brings its own knowledge of the hierarchies (which countries make up the EU
aggregates, that a Norwegian municipality code starts with its county's, that a year is made of
its months, quarters or weeks), and tries every route the audit of issue 9 used:

- direct:      a published count (or bound) inside the hidden range of its rule;
- views:       the same cell shown in one view and hidden in another (cells are pooled);
- derived:     counts inverted from rates x population, indexes, changes, rolling sums,
               callouts per death, exact Poisson rate limits;
- hierarchies: totals minus their parts over sex, age bands, geography and time, solved as a
               linear programme (scipy's HiGHS), so chains of subtraction are found as well;
- trend fits:  the score equations of a published Poisson-type fit (APC, segment slopes and the
               Poisson interval) are linear in the counts and are added as relations.

A hidden cell under a rule is "recovered" when the attacker's interval for it reaches into the
rule's hidden range and is narrower than that range (FHI under-4: 0-3, width 3; CDC: 1-9,
width 8). The attacker does not know which hidden cells are primary and which complements, and
assumes only that a hidden count is >= 0 (>= 1 under a rule that shows zeros).

Run it on a built warehouse:  .venv/bin/python -m tests.attack.attacker warehouse/warehouse.duckdb
"""
from __future__ import annotations

import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
from scipy import stats
from scipy.optimize import linprog

# --- what the attacker knows of the world (not read from the warehouse) -----------------------

EU27_2020 = {"aut", "bel", "bgr", "hrv", "cyp", "cze", "dnk", "est", "fin", "fra", "deu", "grc", "hun",
             "irl", "ita", "lva", "ltu", "lux", "mlt", "nld", "pol", "prt", "rou", "svk", "svn", "esp",
             "swe"}
EU28 = EU27_2020 | {"gbr"}
# Rules as the publishers state them: hidden range [low, high] of a count.
RULE_RANGES = {"fhi_cod_under_4": (0, 3), "cdc_nchs_1_to_9": (1, 9)}
TOLERANCE = 1e-6

KEY = ("source_id", "indicator_id", "geo_code", "period_type", "period_start", "period_end",
       "substance_id", "sex", "age_group", "breakdown", "unit")


@dataclass
class Cell:
    key: tuple
    value: float | None = None          # exact published value (any view)
    low: float | None = None            # published bounds
    high: float | None = None
    hidden: bool = False                # published as suppressed somewhere and shown nowhere
    shown_in: set = field(default_factory=set)


@dataclass
class Relation:
    """sum(coef * cell) (==, >=) rhs; cells not yet known stay variables."""
    coefs: dict
    rhs: float
    kind: str            # 'eq' | 'ge' | 'le'
    route: str


@dataclass(frozen=True)
class Finding:
    route: str
    cell: str
    detail: str


# --- reading the published schema ------------------------------------------------------------

def _rows(con, sql: str) -> list[dict]:
    rel = con.sql(sql)
    cols = rel.columns
    return [dict(zip(cols, r)) for r in rel.fetchall()]


def _is_hidden(row: dict) -> bool:
    shown = any(row.get(c) is not None for c in ("value", "value_low", "value_high"))
    flagged = bool(row.get("is_suppressed")) or row.get("qualifier") == "suppressed"
    return flagged and not shown


def _cell_key(row: dict) -> tuple:
    defaults = {"sex": "all", "age_group": "all", "breakdown": "all"}
    return tuple(str(row[k]) if row.get(k) is not None else defaults.get(k, "") for k in KEY)


class Published:
    """Every number of the publish schema the attacker can use, pooled per cell."""

    def __init__(self, con):
        self.con = con
        self.cells: dict[tuple, Cell] = {}
        self.rules = {r["indicator_id"]: r for r in _rows(
            con, "select indicator_id, suppress_below, suppression_rule from publish.indicators")}
        self.series_rows = []
        for view in ("indicator_series", "observations", "substance_trends"):
            if view not in self.tables():
                continue
            for row in _rows(con, f"select * from publish.{view}"):
                self._add(view, row)
                if view == "indicator_series":
                    self.series_rows.append(row)

    def tables(self) -> set[str]:
        return {r[0] for r in self.con.sql(
            "select table_name from information_schema.tables where table_schema = 'publish'").fetchall()}

    def _add(self, view: str, row: dict) -> None:
        key = _cell_key(row)
        cell = self.cells.setdefault(key, Cell(key))
        if any(row.get(c) is not None for c in ("value", "value_low", "value_high")):
            cell.shown_in.add(view)
        if row.get("value") is not None:
            cell.value = float(row["value"])
        if row.get("value_low") is not None:
            cell.low = max(cell.low, float(row["value_low"])) if cell.low is not None else float(row["value_low"])
        if row.get("value_high") is not None:
            cell.high = min(cell.high, float(row["value_high"])) if cell.high is not None else float(row["value_high"])
        if _is_hidden(row):
            cell.hidden = True

    def rule_range(self, indicator_id: str) -> tuple[float, float] | None:
        rule = self.rules.get(indicator_id)
        if not rule or rule.get("suppress_below") is None:
            return None
        if rule.get("suppression_rule") in RULE_RANGES:
            return RULE_RANGES[rule["suppression_rule"]]
        return (0, int(rule["suppress_below"]) - 1)

    def unknown(self, cell: Cell) -> bool:
        return cell.value is None


# --- route 1: numbers shown inside a rule's hidden range -------------------------------------

def direct_small_counts(pub: Published) -> list[Finding]:
    out = []
    for cell in pub.cells.values():
        rng = pub.rule_range(cell.key[1])
        if rng is None:
            continue
        lo, hi = rng
        if cell.value is not None and lo <= cell.value <= hi:
            out.append(Finding("direct", _name(cell.key), f"count {cell.value:g} shown in {sorted(cell.shown_in)}"))
        elif cell.value is None and cell.high is not None and cell.high < hi + 1 and (cell.low or 0) <= hi:
            out.append(Finding("direct", _name(cell.key), f"bound up to {cell.high:g} shown"))
    for row in (_rows(pub.con, "select * from publish.overdose") if "overdose" in pub.tables() else []):
        rng = pub.rule_range(row.get("deaths_indicator_id") or "")
        if rng and row.get("deaths") is not None and rng[0] <= row["deaths"] <= rng[1]:
            out.append(Finding("direct", f"overdose|{row['geo_code']}|{row['year']}", f"deaths {row['deaths']}"))
    return out


# --- route 2: numbers derived from a cell ------------------------------------------------------

def _series_id(row: dict) -> tuple:
    return tuple(str(row.get(k)) for k in ("source_id", "indicator_id", "geo_code", "substance_id", "sex",
                                           "age_group", "breakdown", "unit", "period_type"))


def derived_relations(pub: Published) -> list[Relation]:
    rels = []
    by_series = defaultdict(dict)
    for row in pub.series_rows:
        by_series[_series_id(row)][row.get("year")] = row
    for row in pub.series_rows:
        key = _cell_key(row)
        pop = row.get("population")
        if row.get("rate_per_100k") is not None and pop:
            count = float(row["rate_per_100k"]) * float(pop) / 1e5
            rels.append(Relation({key: 1.0}, count - 0.5, "ge", "derived:rate"))
            rels.append(Relation({key: 1.0}, count + 0.5, "le", "derived:rate"))
        if row.get("rate_low") is not None and pop and row.get("rate_per_100k") is None:
            x = _count_from_exact_lower_limit(float(row["rate_low"]) * float(pop) / 1e5)
            if x is not None:
                rels.append(Relation({key: 1.0}, x, "eq", "derived:rate_interval"))
        series = by_series[_series_id(row)]
        year = row.get("year")
        if year is None or row.get("period_type") != "year":
            continue
        prev = series.get(year - 1)
        if prev is not None:
            pkey = _cell_key(prev)
            if row.get("change_from_previous") is not None:
                rels.append(Relation({key: 1.0, pkey: -1.0}, float(row["change_from_previous"]), "eq", "derived:change"))
            if row.get("change_from_previous_pct") is not None:
                f = 1.0 + float(row["change_from_previous_pct"]) / 100.0
                rels.append(Relation({key: 1.0, pkey: -f}, 0.0, "eq", "derived:change_pct"))
        if row.get("rolling_3y_sum") is not None and all(series.get(year - d) for d in (1, 2)):
            coefs = {key: 1.0, _cell_key(series[year - 1]): 1.0, _cell_key(series[year - 2]): 1.0}
            rels.append(Relation(coefs, float(row["rolling_3y_sum"]), "eq", "derived:rolling_sum"))
        base_year = row.get("index_base_year")
        if row.get("index_value") is not None and base_year is not None and series.get(base_year):
            bkey = _cell_key(series[base_year])
            if bkey != key:
                rels.append(Relation({key: 100.0, bkey: -float(row["index_value"])}, 0.0, "eq", "derived:index"))
    rels += _overdose_relations(pub)
    return rels


def _count_from_exact_lower_limit(limit: float) -> int | None:
    """The count x whose exact (Garwood) lower 95 % limit is `limit`: the limit grows with x."""
    for x in range(1, 2000):
        if abs(stats.chi2.ppf(0.025, 2 * x) / 2 - limit) <= 1e-6 * max(1.0, limit):
            return x
    return None


def _overdose_relations(pub: Published) -> list[Relation]:
    if "overdose" not in pub.tables():
        return []
    rels = []
    for row in _rows(pub.con, "select * from publish.overdose"):
        key = ("overdose", row.get("deaths_indicator_id"), row["geo_code"], "year", str(row["year"]))
        callouts = row.get("callouts")
        if callouts:
            if row.get("callouts_per_death"):
                rels.append(Relation({key: 1.0}, callouts / row["callouts_per_death"], "eq", "derived:callouts_per_death"))
            if row.get("callouts_per_death_low"):
                rels.append(Relation({key: 1.0}, callouts / row["callouts_per_death_low"], "le", "derived:ratio_bound"))
            if row.get("callouts_per_death_high"):
                rels.append(Relation({key: 1.0}, callouts / row["callouts_per_death_high"], "ge", "derived:ratio_bound"))
            if row.get("callout_rate_per_100k") and row.get("death_rate_per_100k") is not None:
                population = callouts * 1e5 / row["callout_rate_per_100k"]
                rels.append(Relation({key: 1.0}, row["death_rate_per_100k"] * population / 1e5, "eq",
                                     "derived:rate_via_callout_population"))
        if row.get("deaths") is not None:
            rels.append(Relation({key: 1.0}, float(row["deaths"]), "eq", "view:overdose"))
    return rels


# --- route 3: hierarchies -----------------------------------------------------------------------

def _geo_parents(code: str) -> list[str]:
    m = re.fullmatch(r"municip_nor(\d{2})\d{2}", code)
    if m:
        return [f"county_nor{m.group(1)}"]
    if re.fullmatch(r"county_nor\d{2}", code):
        return ["nation_nor"]
    m = re.fullmatch(r"nation_([a-z]{3})", code)
    if m:
        return [p for p, members in (("union_eu27_2020", EU27_2020), ("union_eu28", EU28)) if m.group(1) in members]
    if code.startswith("state_usa_") or code == "city_usa_nyc":
        return ["nation_usa"]
    return []


def _age_span(band: str) -> tuple[int, int] | None:
    band = band.strip().lower()
    if m := re.fullmatch(r"(\d+)\s*-\s*(\d+)", band):
        return int(m.group(1)), int(m.group(2))
    if m := re.fullmatch(r"(\d+)\s*\+", band):
        return int(m.group(1)), 200
    if m := re.fullmatch(r"(?:under|<)\s*(\d+)", band):
        return 0, int(m.group(1)) - 1
    return None


def _disjoint(spans) -> bool:
    spans = sorted(spans)
    return all(a[1] < b[0] for a, b in zip(spans, spans[1:]))


def hierarchy_relations(pub: Published) -> list[Relation]:
    groups: list[tuple[str, tuple, Cell, list[Cell]]] = []
    idx = {name: KEY.index(name) for name in KEY}
    cells = list(pub.cells.values())

    def without(key, names):
        return tuple(v for i, v in enumerate(key) if KEY[i] not in names)

    # sex and age: the 'all' cell is the total of the others
    for dim in ("sex", "age_group"):
        buckets = defaultdict(list)
        for c in cells:
            buckets[without(c.key, {dim})].append(c)
        for members in buckets.values():
            total = [c for c in members if c.key[idx[dim]] == "all"]
            parts = [c for c in members if c.key[idx[dim]] != "all"]
            if not total or len(parts) < 1:
                continue
            if dim == "age_group":
                spans = [_age_span(c.key[idx[dim]]) for c in parts]
                if None in spans or not _disjoint(spans):
                    continue
            if dim == "sex" and not {c.key[idx[dim]] for c in parts} <= {"male", "female"}:
                continue
            groups.append((dim, without(total[0].key, {dim}), total[0], parts))
    # geography
    buckets = defaultdict(dict)
    for c in cells:
        buckets[without(c.key, {"geo_code"})][c.key[idx["geo_code"]]] = c
    for rest, by_geo in buckets.items():
        children = defaultdict(list)
        for code, c in by_geo.items():
            for parent in _geo_parents(code):
                children[parent].append(c)
        for parent, parts in children.items():
            if parent in by_geo:
                groups.append(("geo", (parent,), by_geo[parent], parts))
    # time: members of one finer period type that tile the total's span exactly
    buckets = defaultdict(list)
    for c in cells:
        buckets[without(c.key, {"period_type", "period_start", "period_end"})].append(c)
    for members in buckets.values():
        for total in members:
            t0, t1 = total.key[idx["period_start"]], total.key[idx["period_end"]]
            by_type = defaultdict(list)
            for c in members:
                s, e = c.key[idx["period_start"]], c.key[idx["period_end"]]
                if c is not total and t0 <= s and e <= t1 and (s, e) != (t0, t1) \
                        and c.key[idx["period_type"]] != total.key[idx["period_type"]]:
                    by_type[c.key[idx["period_type"]]].append(c)
            for parts in by_type.values():
                if _tiles(parts, t0, t1):
                    groups.append(("time", (t0, t1), total, parts))
    return _additivity(groups)


def _tiles(parts, t0, t1) -> bool:
    import datetime as dt
    spans = sorted((c.key[4], c.key[5]) for c in parts)
    if spans[0][0] != t0 or spans[-1][1] != t1:
        return False
    for (s0, e0), (s1, e1) in zip(spans, spans[1:]):
        if dt.date.fromisoformat(e0[:10]) + dt.timedelta(days=1) != dt.date.fromisoformat(s1[:10]):
            return False
    return True


def _additivity(groups) -> list[Relation]:
    """Equality where the family adds up whenever it is fully shown, else total >= sum of parts."""
    family_ok: dict[tuple, bool] = {}
    for dim, _, total, parts in groups:
        fam = (dim, total.key[0], total.key[1])
        if total.value is not None and all(p.value is not None for p in parts):
            adds = abs(total.value - sum(p.value for p in parts)) <= TOLERANCE * max(1.0, total.value)
            family_ok[fam] = family_ok.get(fam, True) and adds
    rels = []
    for dim, _, total, parts in groups:
        fam = (dim, total.key[0], total.key[1])
        coefs = {total.key: 1.0}
        for p in parts:
            coefs[p.key] = coefs.get(p.key, 0.0) - 1.0
        rels.append(Relation(coefs, 0.0, "eq" if family_ok.get(fam, True) else "ge", f"hierarchy:{dim}"))
    return rels


# --- route 4: published trend fits ----------------------------------------------------------

def trend_relations(pub: Published) -> list[Relation]:
    if "trend_stats" not in pub.tables():
        return []
    series_cells = defaultdict(dict)
    for row in pub.series_rows:
        if row.get("period_type") == "year":
            sid = tuple(str(row.get(k)) for k in ("indicator_id", "geo_code", "substance_id", "sex", "age_group",
                                                  "breakdown", "unit"))
            series_cells[sid][int(row["year"])] = _cell_key(row)
    segments = defaultdict(list)
    if "trend_segments" in pub.tables():
        for seg in _rows(pub.con, "select * from publish.trend_segments"):
            sid = tuple(str(seg.get(k)) for k in ("indicator_id", "geo_code", "substance_id", "sex", "age_group",
                                                  "breakdown", "unit"))
            segments[sid].append(seg)
    rels = []
    for fit in _rows(pub.con, "select * from publish.trend_stats"):
        if fit.get("apc") is None or "poisson" not in str(fit.get("apc_model")):
            continue
        sid = tuple(str(fit.get(k)) for k in ("indicator_id", "geo_code", "substance_id", "sex", "age_group",
                                              "breakdown", "unit"))
        years = [y for y in sorted(series_cells[sid]) if fit["first_year"] <= y <= fit["last_year"]]
        if len(years) != fit["n_years"] or not years:
            continue
        t = np.array(years, dtype=float) - years[0]
        keys = [series_cells[sid][y] for y in years]
        slope = math.log1p(fit["apc"] / 100.0)
        g = np.exp(slope * t)
        # score equation for the slope: sum (t - c) y = 0 with c = sum t g / sum g
        c = float((t * g).sum() / g.sum())
        rels.append(Relation(dict(zip(keys, t - c)), 0.0, "eq", "trend:apc"))
        if fit["apc_model"] == "poisson" and fit.get("apc_low") is not None:
            se = (math.log1p(fit["apc_high"] / 100.0) - math.log1p(fit["apc_low"] / 100.0)) / (2 * stats.norm.ppf(0.975))
            X = np.column_stack([np.ones_like(t), t])
            m_inv = np.linalg.inv((X.T * g) @ X)
            if se > 0:
                scale = m_inv[1, 1] / se ** 2     # Var(b) = [ (X' diag(e^a g) X)^-1 ]_bb
                rels.append(Relation(dict.fromkeys(keys, 1.0), float(scale * g.sum()), "eq", "trend:poisson_interval"))
        segs = sorted(segments.get(sid, []), key=lambda s: s["segment_no"])
        if len(segs) > 1 and all(s.get("apc") is not None for s in segs):
            rels += _segment_relations(keys, years, segs)
    return rels


def _segment_relations(keys, years, segs) -> list[Relation]:
    t = np.array(years, dtype=float)
    log_g = np.zeros_like(t)
    cols = [np.ones_like(t), t - t[0]]
    for k, seg in enumerate(segs):
        slope = math.log1p(seg["apc"] / 100.0)
        inside = np.clip(t, seg["start_year"], seg["end_year"]) - seg["start_year"]
        log_g += slope * np.where(t >= seg["start_year"], inside, 0.0)
        if k > 0:
            cols.append(np.maximum(t - seg["start_year"], 0.0))
    g = np.exp(log_g)
    rels = []
    for x in cols[1:]:
        c = float((x * g).sum() / g.sum())
        rels.append(Relation(dict(zip(keys, x - c)), 0.0, "eq", "trend:segments"))
    return rels


# --- solving --------------------------------------------------------------------------------

def _name(key: tuple) -> str:
    return "|".join(str(k) for k in key)


def solve(pub: Published, relations: list[Relation], depth: int = 2) -> list[Finding]:
    """For each hidden cell under a rule: its interval given the relations around it, by LP.

    Exact subtraction chains are found first by propagation (a relation with one unknown left
    gives it away, which may free the next one). The LP then takes, for each hidden cell, the
    relations within `depth` steps of it; leaving farther relations out can only widen an
    interval, so what this finds is a real recovery, and depth 2 covers every route above (a
    hidden cell next to a complement that another relation pins down).
    """
    overdose_ranges = {}
    for row in (_rows(pub.con, "select * from publish.overdose") if "overdose" in pub.tables() else []):
        if row.get("is_suppressed"):
            key = ("overdose", row.get("deaths_indicator_id"), row["geo_code"], "year", str(row["year"]))
            overdose_ranges[key] = pub.rule_range(row.get("deaths_indicator_id") or "")

    recovered: dict[tuple, float] = {}

    def known(key):
        if key in recovered:
            return recovered[key]
        cell = pub.cells.get(key)
        return cell.value if cell is not None else None

    def target_range(key):
        cell = pub.cells.get(key)
        if cell is None:
            return overdose_ranges.get(key)
        return pub.rule_range(key[1]) if cell.hidden else None

    findings = []
    # exact propagation of equalities
    by_var = defaultdict(list)
    for i, rel in enumerate(relations):
        for k in rel.coefs:
            if known(k) is None:
                by_var[k].append(i)
    queue = list(range(len(relations)))
    while queue:
        rel = relations[queue.pop()]
        if rel.kind != "eq":
            continue
        unknowns = [k for k, c in rel.coefs.items() if c != 0 and known(k) is None]
        if len(unknowns) != 1:
            continue
        k = unknowns[0]
        rest = sum(c * known(j) for j, c in rel.coefs.items() if j != k and c != 0)
        recovered[k] = (rel.rhs - rest) / rel.coefs[k]
        rng = target_range(k)
        if rng and recovered[k] < rng[1] + 1:
            findings.append(Finding("subtraction", _name(k), f"= {recovered[k]:.4g} via {rel.route}"))
        queue.extend(by_var[k])

    for key in sorted((k for k in by_var if k not in recovered and target_range(k)), key=_name):
        chosen, frontier = set(), {key}
        for _ in range(depth):
            nxt = set()
            for k in frontier:
                for i in by_var[k]:
                    if i not in chosen:
                        chosen.add(i)
                        nxt.update(j for j in relations[i].coefs if known(j) is None)
            frontier = nxt - frontier
        rels = [(relations[i], [k for k in relations[i].coefs if known(k) is None]) for i in sorted(chosen)]
        variables = sorted({k for _, u in rels for k in u}, key=_name)
        findings += _intervals(pub, rels, variables, [(key, target_range(key))], known)
    return findings


def _intervals(pub, rels, variables, targets, known) -> list[Finding]:
    pos = {k: i for i, k in enumerate(variables)}
    a_eq, b_eq, a_ub, b_ub, routes = [], [], [], [], set()
    for rel, unknowns in rels:
        row = np.zeros(len(variables))
        rhs = rel.rhs
        for k, coef in rel.coefs.items():
            v = known(k)
            if v is None:
                row[pos[k]] += coef
            else:
                rhs -= coef * v
        routes.add(rel.route)
        if rel.kind == "eq":
            slack = TOLERANCE * max(1.0, abs(rhs))
            a_ub += [row, -row]
            b_ub += [rhs + slack, -rhs + slack]
        elif rel.kind == "ge":
            a_ub.append(-row)
            b_ub.append(-rhs)
        else:
            a_ub.append(row)
            b_ub.append(rhs)
    bounds = []
    for k in variables:
        cell = pub.cells.get(k)
        rng = pub.rule_range(k[1]) if cell is not None else None
        low = rng[0] if (rng and cell is not None and cell.hidden) else 0.0
        if cell is not None and cell.low is not None:
            low = max(low, cell.low)
        bounds.append((low, cell.high if cell is not None else None))
    out = []
    for key, (lo_rule, hi_rule) in targets:
        c = np.zeros(len(variables))
        c[pos[key]] = 1.0
        lo = linprog(c, A_ub=np.array(a_ub), b_ub=np.array(b_ub), bounds=bounds, method="highs")
        hi = linprog(-c, A_ub=np.array(a_ub), b_ub=np.array(b_ub), bounds=bounds, method="highs")
        if lo.status == 2 or hi.status == 2:   # the attacker's assumptions contradict: no conclusion
            continue
        low = lo.fun if lo.status == 0 else lo_rule
        high = -hi.fun if hi.status == 0 else math.inf
        if low < hi_rule + 1 and high - low < (hi_rule - lo_rule) - 1e-6:
            out.append(Finding("relations", _name(key),
                               f"interval [{low:.3g}, {high:.3g}] narrower than {lo_rule}-{hi_rule} "
                               f"via {', '.join(sorted(routes))}"))
    return out


def attack(warehouse: Path | str) -> list[Finding]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        pub = Published(con)
        findings = direct_small_counts(pub)
        relations = hierarchy_relations(pub) + derived_relations(pub) + trend_relations(pub)
        findings += solve(pub, relations)
        return findings
    finally:
        con.close()


if __name__ == "__main__":
    found = attack(sys.argv[1])
    for f in found:
        print(f"{f.route:10} {f.cell}  {f.detail}")
    print(f"{len(found)} cells recovered")
    sys.exit(1 if found else 0)
