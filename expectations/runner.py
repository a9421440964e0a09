"""Run a YAML-declared expectation suite on a data frame with Great Expectations.

A suite file lists expectations by their GX name with their arguments and a severity:
`critical` failures reject the batch, `warning` failures are recorded and the batch goes on.
`derive` adds computed columns first (polars SQL expressions), for rules that compare columns,
such as a printed percentage against the one computed from the counts.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml

SUITE_DIR = Path(__file__).resolve().parent / "suites"


@dataclass(frozen=True)
class CheckResult:
    check_name: str        # e.g. "expect_column_values_to_be_between(yes_count)"
    severity: str          # "error" (rejects) or "warning"
    success: bool
    failures: int          # number of rows that broke the rule (0 for table-level rules)
    rows: tuple[int, ...]  # source_row of offending rows, when the batch has lineage
    values: tuple[str, ...]
    column: str | None
    why: str               # the suite's own sentence explaining the rule (English)
    # the same sentence in Norwegian (bokmål); a check written inline in a source spec may have
    # none, and then gets one generated from its technical name (why_nb_of)
    why_nb: str = ""

    @property
    def status(self) -> str:
        if self.success:
            return "pass"
        return "fail" if self.severity == "error" else "warn"


def _one_line(text) -> str:
    return " ".join(str(text or "").split())


def why_nb_of(item: dict, check_name: str) -> str:
    """The Norwegian sentence of a declared expectation: its own `why_nb:`, else one naming the
    check (a planner then at least sees, in Norwegian, which rule it was)."""
    return _one_line(item.get("why_nb")) or f"Regelen {check_name} (uten norsk forklaring i kildebeskrivelsen)."


def suite_path(layer: str, name: str) -> Path:
    return SUITE_DIR / layer / f"{name}.yml"


def load_suite(layer: str, name: str) -> dict | None:
    path = suite_path(layer, name)
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _gx():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    # GX draws progress bars on every validation; in a loader's log they are noise.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    datasource = context.data_sources.add_pandas("trendvakt")
    asset = datasource.add_dataframe_asset("batch")
    return gx, asset.add_batch_definition_whole_dataframe("whole")


def _resolve(value):
    """`today` in a suite means the day the check runs (a period in the future is an error)."""
    if value == "today":
        return dt.datetime.combine(dt.date.today(), dt.time())
    return value


def _row_condition(spec: dict):
    """`row_condition: {column: qualifier, in: [below, range]}` (or `equals: x`) as a GX Condition."""
    from great_expectations.expectations.row_conditions import Column

    column = Column(spec["column"])
    if "in" in spec:
        return column.is_in(spec["in"])
    return column == spec["equals"]


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _pop_declaration(pending: list, config) -> dict:
    for i, (item, expectation) in enumerate(pending):
        ours = expectation.configuration
        if ours.type == config.type and all(config.kwargs.get(k) == v for k, v in ours.kwargs.items()):
            return pending.pop(i)[0]
    raise LookupError(f"no declared expectation matches the result of {config.type}")


def validate(frame: pl.DataFrame, suite: dict) -> list[CheckResult]:
    gx, batch_definition = _gx()
    derived = frame
    for name, expression in (suite.get("derive") or {}).items():
        derived = derived.with_columns(pl.sql_expr(expression).alias(name))
    # Dates reach pandas as datetime64, which GX compares with datetime bounds (it does not compare
    # ISO date strings: that check fails without saying why).
    pdf = derived.to_pandas()
    rows = pdf["source_row"].tolist() if "source_row" in pdf.columns else None
    expectations = []
    for item in suite.get("expectations", []):
        kwargs = {k: _resolve(v) for k, v in (item.get("kwargs") or {}).items()}
        if isinstance(kwargs.get("row_condition"), dict):
            kwargs["row_condition"] = _row_condition(kwargs["row_condition"])
        cls = getattr(gx.expectations, _camel(item["type"]))
        severity = "warning" if item.get("severity") == "warning" else "critical"
        expectations.append((item, cls(**kwargs, severity=severity)))
    suite_obj = gx.ExpectationSuite(name=suite.get("name", "suite"))
    for _, expectation in expectations:
        suite_obj.add_expectation(expectation)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": pdf})
    outcome = batch.validate(suite_obj, result_format="COMPLETE")
    results = []
    # GX groups results by domain, not in suite order, and an unsaved suite gives its
    # expectations no ids: pair each result with the declaration whose type and arguments it has.
    pending = list(expectations)
    for result in outcome.results:
        item = _pop_declaration(pending, result.expectation_config)
        info = result.result or {}
        index = info.get("unexpected_index_list") or []
        kw = item.get("kwargs") or {}
        column = kw.get("column") or kw.get("column_A") or ",".join(kw.get("column_list", [])) or None
        failures = info.get("unexpected_count")
        if failures is None:
            failures = 0 if result.success else 1
        exception = result.exception_info or {}
        if isinstance(exception, dict) and exception.get("raised_exception"):
            message = exception.get("exception_message")
            item = {**item, "why": f"the check could not run: {message}",
                    "why_nb": f"Kontrollen kunne ikke kjøres: {message}"}
        offending = tuple(int(rows[i]) for i in index[:20]) if rows is not None else ()
        values = tuple(str(v) for v in (info.get("partial_unexpected_list") or [])[:20])
        check_name = f"{item['type']}({column})" if column else item["type"]
        results.append(CheckResult(
            check_name=check_name,
            severity="warning" if item.get("severity") == "warning" else "error",
            success=bool(result.success), failures=int(failures), rows=offending, values=values,
            column=column, why=_one_line(item.get("why")), why_nb=why_nb_of(item, check_name),
        ))
    return results
