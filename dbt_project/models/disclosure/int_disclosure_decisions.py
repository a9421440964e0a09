"""Which cells are hidden, and the audit that proves the hidden ones cannot be recovered.

Input: the cell registry (int_disclosure_cells: true counts, rule, primary decision) and the
linear relations between cells (int_disclosure_relations). Three steps:

1. Primary: a count in its rule's hidden range (FHI: under 4; CDC: 1-9), or withheld by the
   publisher.
2. Complements, greedy (docs/disclosure.md). Per relation, the hidden cells' sum is known to a
   reader (total minus the shown members), so each hidden member lies in
   [its floor, floor + slack] with slack = that sum minus the floors of all hidden members
   (floor: 1 under a rule that shows zeros, else 0). While a relation with a shown total has a
   hidden member and a slack under the rule's width (3 for 0-3, 8 for 1-9), the smallest shown
   member that lifts the slack to the width is hidden too (the largest when none does; the total
   when no member is left); so is one more member when a hidden member is the only one, since
   it would be the total minus the shown members, and a complement that can be computed back
   protects nothing. A hidden total whose members are all shown is their sum: its
   smallest non-zero member is hidden. Zeros are never chosen: hiding a zero adds nothing to
   the sum. Repeated until no relation changes.
3. Audit, by linear programming (HiGHS, the solver of scipy's linprog, warm-started): for every hidden cell, the smallest and
   largest value it can take given every shown number and every relation at once (hidden and
   unknown counts are variables >= their floor). A cell is exposed when that interval reaches
   into the rule's hidden range and is narrower than it. An exposed cell gets one more complement
   (the smallest non-zero shown cell of a relation it is in) and steps 2-3 repeat, at most
   MAX_ROUNDS times. What is still exposed after that is left exposed and reported: the test
   assert_disclosure_audit_protects_every_cell then fails the build, so nothing unsafe is
   published.

The audit solves one small LP per hidden cell and direction within its connected component (the
cells joined by relations that hold hidden cells). Two shortcuts keep it fast, neither of which
can miss an exposed cell: a cell whose true count lies the rule's width above its range is safe
(the truth is one of its feasible values), and a few LPs over the whole component collect
feasible points, so a cell whose values over those points already spread over the rule's width
(or reach the width above the range) needs no LP of its own.

Grain: one row per registered cell.
"""
from collections import defaultdict

import numpy as np
import pandas as pd
import highspy
from scipy.sparse import coo_matrix, csr_matrix, vstack

MAX_ROUNDS = 30
EPS = 1e-7


class WarmStartLP:
    """One component's linear programme, solved for many objectives over the same constraints.

    HiGHS (the solver behind scipy's linprog) through its own Python interface, highspy, so that
    each new objective starts from the previous optimal basis: a component of a few hundred
    cells then takes a few simplex steps per objective instead of a fresh solve (about 4 ms a
    call through linprog, which rebuilds the model every time; the build spent ~40 s there).
    tests/unit/test_disclosure_decisions.py checks its answers against linprog's."""

    def __init__(self, a_eq, b_eq, a_ub, b_ub, bounds, n):
        blocks = [m for m in (a_eq, a_ub) if m is not None]
        matrix = (vstack(blocks) if blocks else csr_matrix((0, n))).tocsc()
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = matrix.shape[0]
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.array([lo for lo, _ in bounds], dtype=float)
        lp.col_upper_ = np.array([inf if hi is None else hi for _, hi in bounds], dtype=float)
        lp.row_lower_ = np.array(list(b_eq) + [-inf] * len(b_ub), dtype=float)
        lp.row_upper_ = np.array(list(b_eq) + list(b_ub), dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        self.n = n
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        # presolve would rebuild the problem each time and lose the warm basis
        self.highs.setOptionValue("presolve", "off")
        self.highs.passModel(lp)
        self.columns = np.arange(n, dtype=np.int32)

    def solve(self, c):
        """(x, min c.x), or (None, -inf) when c.x is unbounded below."""
        self.highs.changeColsCost(self.n, self.columns, np.asarray(c, dtype=float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return np.array(self.highs.getSolution().col_value), self.highs.getInfo().objective_function_value
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            # a bounded-below problem whose truth is feasible: unbounded in this direction
            return None, -np.inf
        raise RuntimeError(f"disclosure audit: LP status {self.highs.modelStatusToString(status)} "
                           f"on a component of {self.n} cells")


class Problem:
    def __init__(self, cells, relations):
        self.keys = list(cells["cell_key"])
        self.pos = {k: i for i, k in enumerate(self.keys)}
        n = len(self.keys)
        value = cells["value"].astype(float).to_numpy()
        withheld = cells["is_withheld"].fillna(False).to_numpy(bool)
        self.known = ~np.isnan(value) & ~withheld          # the truth is a number we hold
        self.count = np.where(self.known, value, np.nan)
        self.low = cells["value_low"].astype(float).to_numpy()
        self.high = cells["value_high"].astype(float).to_numpy()
        self.range_low = cells["hidden_range_low"].astype(float).to_numpy()
        self.range_high = cells["hidden_range_high"].astype(float).to_numpy()
        self.width = self.range_high - self.range_low
        self.primary = cells["hidden_primary"].fillna(False).to_numpy(bool)
        self.withheld = withheld
        self.hidden = self.primary.copy()
        self.complement = np.zeros(n, bool)
        # floor of a hidden count as a reader can tell: 1 under a rule that shows zeros
        self.floor = np.where(withheld, 0.0, self.range_low)
        rel = defaultdict(list)
        kind = {}
        for rid, rtype, key, coef in zip(relations["relation_id"], relations["relation_type"],
                                         relations["cell_key"], relations["coefficient"]):
            if key in self.pos:
                rel[rid].append((self.pos[key], float(coef)))
                kind[rid] = rtype
        self.relations = [(rid, kind[rid], members) for rid, members in rel.items()]
        self.cache = {}
        self.of_cell = defaultdict(list)
        for r, (_, _, members) in enumerate(self.relations):
            for i, _ in members:
                self.of_cell[i].append(r)

    def is_variable(self, i):
        """A reader does not see this cell's number."""
        return self.hidden[i] or not self.known[i]

    # --- step 2 -----------------------------------------------------------------------------
    def hide(self, i):
        if not self.hidden[i]:
            self.hidden[i] = True
            self.complement[i] = True
            return True
        return False

    def pick(self, candidates, need):
        """The smallest shown non-zero member whose count lifts the slack by `need`, else the largest."""
        usable = [i for i in candidates if self.known[i] and not self.hidden[i] and self.count[i] > 0]
        if not usable:
            return None
        enough = [i for i in usable if self.count[i] - self.floor[i] >= need]
        if enough:
            return min(enough, key=lambda i: (self.count[i], self.keys[i]))
        return max(usable, key=lambda i: (self.count[i], self.keys[i]))

    def greedy(self):
        changed = True
        while changed:
            changed = False
            for _, rtype, members in self.relations:
                total = [i for i, c in members if c > 0]
                parts = [(i, -c) for i, c in members if c < 0]
                if len(total) != 1:
                    continue
                t = total[0]
                hidden_parts = [(i, w) for i, w in parts if self.is_variable(i)]
                sensitive = [i for i, _ in hidden_parts if self.hidden[i]]
                if self.is_variable(t):
                    if rtype == "eq" and self.hidden[t] and not hidden_parts:
                        choice = self.pick([i for i, _ in parts], 1.0)
                        if choice is not None:
                            changed |= self.hide(choice)
                    continue
                if not sensitive:
                    continue
                shown_sum = sum(w * self.count[i] for i, w in parts if not self.is_variable(i))
                known_total = self.count[t] if self.known[t] else self.high[t]
                if np.isnan(known_total):
                    continue
                hidden_sum = known_total - shown_sum
                max_weight = max(w for _, w in hidden_parts)
                slack = (hidden_sum - sum(w * self.floor[i] for i, w in hidden_parts)) / max_weight
                need = np.nanmax(self.width[[i for i, _ in hidden_parts]])
                # one hidden member alone is the total minus the shown ones, whatever the slack
                if len(hidden_parts) < 2 or slack < need - EPS:
                    choice = self.pick([i for i, _ in parts], max(need - slack, 0.0))
                    if choice is None and self.known[t] and self.count[t] > 0:
                        choice = t
                    if choice is not None:
                        changed |= self.hide(choice)

    # --- step 3 -----------------------------------------------------------------------------
    def components(self):
        parent = {}

        def find(a):
            while parent.setdefault(a, a) != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for r, (_, _, members) in enumerate(self.relations):
            variables = [i for i, _ in members if self.is_variable(i)]
            for v in variables:
                find(v)
            for a, b in zip(variables, variables[1:]):
                parent[find(a)] = find(b)
        groups = defaultdict(list)
        for v in list(parent):
            groups[find(v)].append(v)
        return list(groups.values())

    def audit(self):
        """Interval per hidden cell: {cell index: (low, high, by its own LP)}. A component that
        did not change since the last round (same hidden cells) keeps its intervals."""
        intervals = {}
        for component in self.components():
            signature = tuple(sorted(component))
            if signature not in self.cache:
                self.cache[signature] = self._audit_component(list(signature))
            intervals.update(self.cache[signature])
        return intervals

    def _audit_component(self, variables):
        col = {v: j for j, v in enumerate(variables)}
        rel_ids = sorted({r for v in variables for r in self.of_cell[v]})
        eq_rows, ub_rows, b_eq, b_ub = [], [], [], []
        for r in rel_ids:
            _, rtype, members = self.relations[r]
            coefs = {}
            constant = 0.0
            for i, c in members:
                if i in col:
                    coefs[col[i]] = coefs.get(col[i], 0.0) + c
                else:
                    constant += c * self.count[i]
            if not coefs or np.isnan(constant):
                continue
            if rtype == "eq":
                eq_rows.append(coefs)
                b_eq.append(-constant)
            else:           # total - members >= 0  ->  -(sum coef x) <= constant
                ub_rows.append({j: -c for j, c in coefs.items()})
                b_ub.append(constant)
        n = len(variables)

        def matrix(rows):
            if not rows:
                return None
            r_idx, c_idx, vals = [], [], []
            for r, coefs in enumerate(rows):
                for j, c in coefs.items():
                    r_idx.append(r)
                    c_idx.append(j)
                    vals.append(c)
            return coo_matrix((vals, (r_idx, c_idx)), shape=(len(rows), n)).tocsr()

        a_eq, a_ub = matrix(eq_rows), matrix(ub_rows)
        bounds = []
        for v in variables:
            lo = self.floor[v] if self.hidden[v] else 0.0
            hi = None
            if not self.hidden[v] and not self.known[v]:
                # an unknown cell that is published as a bound or range keeps its bounds
                lo = self.low[v] if not np.isnan(self.low[v]) else lo
                hi = self.high[v] if not np.isnan(self.high[v]) else None
            bounds.append((lo, hi))

        solve = WarmStartLP(a_eq, b_eq, a_ub, b_ub, bounds, n).solve

        # a hidden cell whose true count lies the rule's width above its range cannot be exposed:
        # the truth is one of its feasible values, so its interval cannot end below that
        clear = [v for v in variables if (self.hidden[v] or self.withheld[v]) and self.known[v]
                 and self.count[v] >= self.range_high[v] + self.width[v] - EPS]
        targets = [v for v in variables if (self.hidden[v] or self.withheld[v]) and v not in set(clear)]
        points = []
        for c in (np.ones(n), -np.ones(n)):
            x, _ = solve(c)
            if x is not None:
                points.append(x)
        spread_low = np.min(points, axis=0) if points else np.full(n, np.inf)
        spread_high = np.max(points, axis=0) if points else np.full(n, -np.inf)

        def unproven():
            # safe once two feasible values are the rule's width apart, or once a feasible value
            # lies the width above the hidden range (an interval reaching into the range and
            # narrower than the width cannot hold it)
            return [v for v in targets
                    if spread_high[col[v]] - spread_low[col[v]] < self.width[v] - EPS
                    and spread_high[col[v]] < self.range_high[v] + self.width[v] - EPS]

        # push the cells not yet shown to vary all up, then all down, while that proves more
        # of them (an LP over the whole component costs about as much as one over one cell)
        left = unproven()
        while len(left) > 1:
            c = np.zeros(n)
            c[[col[v] for v in left]] = 1.0
            for direction in (c, -c):
                x, _ = solve(direction)
                if x is not None:
                    spread_low, spread_high = np.minimum(spread_low, x), np.maximum(spread_high, x)
            still = unproven()
            if len(left) - len(still) < 3:
                break
            left = still
        out = {}
        for v in targets:
            j = col[v]
            if v not in left:
                out[v] = (float(spread_low[j]), float(spread_high[j]), "points")
                continue
            c = np.zeros(n)
            c[j] = 1.0
            x_max, neg_high = solve(-c)
            high = np.inf if x_max is None else -neg_high
            if high >= self.range_high[v] + self.width[v] - EPS:
                # its maximum alone clears the range: the minimum cannot make it exposed
                low, x_min = float(spread_low[j]), None
            else:
                x_min, low = solve(c)
            for x in (x_min, x_max):
                if x is not None:
                    spread_low, spread_high = np.minimum(spread_low, x), np.maximum(spread_high, x)
            out[v] = (float(low), float(high), "lp")
        for v in clear:
            out[v] = (np.nan, np.nan, "truth")
        return out

    def exposed(self, intervals):
        return [v for v, (lo, hi, method) in intervals.items() if method != "truth"
                if lo <= self.range_high[v] + EPS and hi - lo < self.width[v] - EPS]

    def refine(self, cell):
        """One more complement for an exposed cell: in the nearest relation (walking from the
        cell through hidden cells) that still has a shown non-zero cell, the smallest one that
        is at least the rule's width, else the largest."""
        seen_cells, seen_rel, frontier = {cell}, set(), [cell]
        while frontier:
            relations = [r for v in frontier for r in self.of_cell[v] if r not in seen_rel]
            seen_rel.update(relations)
            candidates = sorted({i for r in relations for i, _ in self.relations[r][2]})
            choice = self.pick(candidates, self.width[cell])
            if choice is not None:
                return self.hide(choice)
            frontier = [i for i in candidates if i not in seen_cells and self.is_variable(i)]
            seen_cells.update(frontier)
        return False

def decide(cells, relations):
    problem = Problem(cells, relations)
    rounds = 0
    while True:
        rounds += 1
        problem.greedy()
        intervals = problem.audit()
        exposed = problem.exposed(intervals)
        if not exposed or rounds >= MAX_ROUNDS:
            break
        if not any([problem.refine(v) for v in exposed]):
            break
    n = len(problem.keys)
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    method = np.full(n, None, dtype=object)
    for v, (lo, hi, how) in intervals.items():
        low[v], high[v], method[v] = lo, hi, how
    exposed_set = set(exposed)
    audited = method != None  # noqa: E711 (elementwise on an object array)
    out = pd.DataFrame({
        "cell_key": problem.keys,
        "is_suppressed": problem.hidden | problem.withheld,
        "suppression_role": np.where(problem.withheld, "publisher",
                                     np.where(problem.primary, "rule",
                                              np.where(problem.complement, "complement", None))),
        "audit_low": low,
        "audit_high": np.where(np.isinf(high), np.nan, high),
        "audit_unbounded_above": np.where(audited & (method != "truth"), np.isinf(high), None),
        "audit_method": method,
        "audit_exposed": [i in exposed_set if audited[i] else None for i in range(n)],
        "complement_rounds": rounds,
    })
    return out


def model(dbt, session):
    dbt.config(materialized="table")
    cells = dbt.ref("int_disclosure_cells").df()
    relations = dbt.ref("int_disclosure_relations").df()
    return decide(cells, relations)
