"""The same YAML suites, evaluated by DuckDB in SQL, for files too big to hand to pandas.

Great Expectations validates data frames; a 750,000-row population table would have to be
copied into pandas first, which is what streaming ingest avoids. This evaluates the common
expectation types as SQL over the table DuckDB streamed the file into, with the same result
shape (CheckResult), so the loader treats both paths alike.
"""
from __future__ import annotations

import duckdb

from expectations.runner import CheckResult, _one_line, _resolve, why_nb_of


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _violations(kind: str, kw: dict) -> str | None:
    """A SQL predicate true for rows that break the rule (None for an unsupported type)."""
    col = _q(kw["column"]) if "column" in kw else None
    if kind == "expect_column_values_to_not_be_null":
        return f"{col} is null"
    if kind == "expect_column_values_to_be_between":
        parts = []
        if kw.get("min_value") is not None:
            parts.append(f"{col} < {_literal(_resolve(kw['min_value']))}")
        if kw.get("max_value") is not None:
            parts.append(f"{col} > {_literal(_resolve(kw['max_value']))}")
        return f"{col} is not null and ({' or '.join(parts)})"
    if kind == "expect_column_values_to_be_in_set":
        values = ", ".join(_literal(v) for v in kw["value_set"])
        return f"{col} is not null and {col} not in ({values})"
    if kind == "expect_column_values_to_match_regex":
        return f"{col} is not null and not regexp_matches({col}, {_literal(kw['regex'])})"
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        op = ">=" if kw.get("or_equal") else ">"
        a, b = _q(kw["column_A"]), _q(kw["column_B"])
        return f"{a} is not null and {b} is not null and not ({a} {op} {b})"
    return None


def _duplicates(table: str, columns: list[str]) -> str:
    cols = ", ".join(_q(c) for c in columns)
    return (f"select source_row, concat_ws('|', {cols}) as shown from {table} "
            f"qualify count(*) over (partition by {cols}) > 1 order by source_row")


def validate_table(con: duckdb.DuckDBPyConnection, table: str, suite: dict) -> list[CheckResult]:
    results = []
    for item in suite.get("expectations", []):
        kind, kw = item["type"], item.get("kwargs") or {}
        if kind in ("expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique"):
            columns = kw.get("column_list") or [kw["column"]]
            sql = _duplicates(table, columns)
            column = ",".join(columns)
        else:
            predicate = _violations(kind, kw)
            if predicate is None:
                raise ValueError(f"{kind} cannot be evaluated in SQL yet; use it on a smaller source")
            column = kw.get("column") or kw.get("column_A")
            sql = f"select source_row, cast({_q(column)} as varchar) as shown from {table} where {predicate} order by source_row"
        failures = con.execute(f"select count(*) from ({sql})").fetchall()[0][0]
        sample = con.sql(f"{sql} limit 20").fetchall()
        severity = "warning" if item.get("severity") == "warning" else "error"
        check_name = f"{kind}({column})"
        results.append(CheckResult(
            check_name=check_name, severity=severity, success=failures == 0, failures=int(failures),
            rows=tuple(int(r[0]) for r in sample), values=tuple(str(r[1]) for r in sample), column=column,
            why=_one_line(item.get("why")), why_nb=why_nb_of(item, check_name),
        ))
    return results
