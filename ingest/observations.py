"""Declarative mapping of a source's rows onto the harmonised observation.

A spec's `observations:` section is a list of blocks. Each block selects rows (`where`) and says
where every field of the observation comes from, in one of four forms:

    {value: deaths}                          a constant
    {column: year}                           a column of the parsed file
    {column: sex, map: {T: all, M: male}}    a column translated by a table (a miss is an error)
    {expr: "case when ... end"}              a SQL expression over the columns (polars SQL)

`period` has its own forms: {type: year, year: <column>}, {type: twelve_months_ending,
year: <column>, month: <column of month names>}, {type: span, start: <column>, end: <column>}.

The result is checked against the catalogues (indicator, geography, substance codes) before
anything is written, so an unknown code rejects the file with its line, column and value.
"""
from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from pathlib import Path

import polars as pl

from ingest.problems import FileRejected, Problem, SpecError
from ingest.vocabulary import NO_NUMBER_QUALIFIERS, QUALIFIERS

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
SEXES = {"all", "male", "female"}
MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}

# name, polars type, default form when a block does not mention the field
FIELDS = [
    ("indicator_id", pl.String, None),
    ("geo_code", pl.String, None),
    ("substance_id", pl.String, {"value": "all"}),
    ("sex", pl.String, {"value": "all"}),
    ("age_group", pl.String, {"value": "all"}),
    ("breakdown", pl.String, {"value": "all"}),
    ("value", pl.Float64, None),
    ("value_low", pl.Float64, {"value": None}),
    ("value_high", pl.Float64, {"value": None}),
    ("qualifier", pl.String, {"value": "exact"}),
    ("numerator", pl.Float64, {"value": None}),
    ("denominator", pl.Float64, {"value": None}),
    ("unit", pl.String, None),
    ("is_provisional", pl.Boolean, {"value": False}),
    ("detail", pl.String, {"value": None}),
]
OUTPUT_COLUMNS = (["source_id"] + [name for name, _, _ in FIELDS[:6]] + ["period_type", "period_start", "period_end"]
                  + [name for name, _, _ in FIELDS[6:]] + ["source_row", "source_column"])
# the spec may use the short names
ALIASES = {"indicator": "indicator_id", "geography": "geo_code", "substance": "substance_id", "age": "age_group"}
CODE_TABLE = {"indicator_id": "indicators", "geo_code": "geographies", "substance_id": "substances"}


@lru_cache(maxsize=None)
def catalogue_codes(table: str) -> frozenset[str]:
    """Codes of a catalogue seed (first column), read from the dbt seed file itself."""
    with (CATALOGUE_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return frozenset(row[0] for row in list(csv.reader(fh))[1:] if row)


def _field_expr(name: str, form, dtype, block_no: int, source_id: str) -> tuple[pl.Expr, str | None]:
    """The expression for one field, and the column it reads (for problem messages)."""
    if form is None:
        raise SpecError(f"{source_id}: observations block {block_no} does not say where '{name}' comes from")
    if not isinstance(form, dict):
        form = {"value": form}
    if "value" in form:
        return pl.lit(form["value"], dtype=dtype), None
    if "expr" in form:
        return pl.sql_expr(form["expr"]).cast(dtype), None
    if "column" in form:
        column = form["column"]
        expr = pl.col(column)
        if "map" in form:
            booleans = [k for k in form["map"] if isinstance(k, bool)]
            if booleans:  # YAML reads unquoted NO, no, yes, off as booleans ("the Norway problem")
                raise SpecError(f"{source_id}: a key of the '{name}' map was read as {booleans[0]}: quote it (\"NO\")")
            table = {str(k): v for k, v in form["map"].items()}
            expr = expr.cast(pl.String).replace_strict(table, default=None, return_dtype=pl.String)
        return expr.cast(dtype), column
    raise SpecError(f"{source_id}: '{name}' in observations block {block_no} needs value, column or expr")


def _period_exprs(form: dict, block_no: int, source_id: str) -> tuple[list[pl.Expr], str | None]:
    kind = (form or {}).get("type")
    if kind == "year":
        year = pl.col(form["year"]).cast(pl.Int32, strict=False)
        return [pl.lit("year").alias("period_type"), pl.date(year, 1, 1).alias("period_start"),
                pl.date(year, 12, 31).alias("period_end")], form["year"]
    if kind == "twelve_months_ending":
        # CDC VSRR: counts for the 12 months ending with the named month
        year = pl.col(form["year"]).cast(pl.Int32, strict=False)
        month = pl.col(form["month"]).replace_strict(MONTHS, default=None, return_dtype=pl.Int8)
        end = pl.date(year, month, 1).dt.month_end()
        start = pl.date(year, month, 1).dt.offset_by("-11mo")
        return [pl.lit("twelve_months_ending").alias("period_type"), start.alias("period_start"),
                end.alias("period_end")], form["month"]
    if kind == "span":
        return [pl.lit(form.get("label", "irregular")).alias("period_type"),
                pl.col(form["start"]).cast(pl.Date).alias("period_start"),
                pl.col(form["end"]).cast(pl.Date).alias("period_end")], form["start"]
    raise SpecError(f"{source_id}: observations block {block_no} has no period of a known type "
                    "(year, twelve_months_ending, span)")


def _marker_exprs(block: dict, columns: list[str], markers: dict) -> dict[str, pl.Expr]:
    """The fields a marker decides when the block reads its value from a column that has one
    (`<column>_marker`, ingest/markers.py) and does not set the field itself: `..` gives
    not_available, `<5` gives below with value_high 5, `-` gives an exact 0."""
    form = block.get("value")
    if not markers or not isinstance(form, dict) or set(form) != {"column"}:
        return {}
    marker_column = f"{form['column']}_marker"
    if marker_column not in columns:
        return {}
    marker = pl.col(marker_column)

    def meaning(key: str, dtype) -> pl.Expr:
        table = {text: m.get(key) for text, m in markers.items()}
        return marker.replace_strict(table, default=None, return_dtype=dtype)

    exprs = {"value": pl.coalesce(pl.col(form["column"]).cast(pl.Float64), meaning("value", pl.Float64))}
    if "qualifier" not in block:
        exprs["qualifier"] = pl.when(marker.is_null()).then(pl.lit("exact")).otherwise(meaning("qualifier", pl.String))
    for bound in ("value_low", "value_high"):
        if bound not in block:
            exprs[bound] = meaning(bound, pl.Float64)
    if "detail" not in block:
        # a number the publisher did not give says why (the marts require it of not_available)
        exprs["detail"] = pl.when(marker.is_null()).then(None).otherwise(
            pl.lit("printed as '") + marker + pl.lit("' by the publisher"))
    return exprs


def map_observations(frame: pl.DataFrame, source_id: str, blocks: list[dict],
                     extra_indicators: frozenset[str] = frozenset(),
                     extra_geographies: frozenset[str] = frozenset(),
                     markers: dict | None = None) -> pl.DataFrame:
    """All observations of a parsed file; raises FileRejected for rows that do not map."""
    pieces, problems = [], []
    with_column = frame if "source_column" in frame.columns else frame.with_columns(
        pl.lit(None, dtype=pl.Int32).alias("source_column"))
    for block_no, block in enumerate(blocks, start=1):
        block = {ALIASES.get(k, k): v for k, v in block.items()}
        rows = with_column.filter(pl.sql_expr(block["where"])) if block.get("where") else with_column
        exprs, read_from = [pl.lit(source_id).alias("source_id")], {}
        by_marker = _marker_exprs(block, with_column.columns, markers or {})
        for name, dtype, default in FIELDS:
            expr, column = _field_expr(name, block.get(name, default), dtype, block_no, source_id)
            if name in by_marker:
                expr = by_marker[name].cast(dtype)
            exprs.append(expr.alias(name))
            read_from[name] = column
        period, read_from["period"] = _period_exprs(block.get("period"), block_no, source_id)
        exprs += period
        mapped = rows.select(exprs + [pl.col("source_row"), pl.col("source_column").cast(pl.Int32)])
        problems += _check(mapped, rows, read_from, {"indicator_id": extra_indicators, "geo_code": extra_geographies})
        pieces.append(mapped.select(OUTPUT_COLUMNS))
    if problems:
        raise FileRejected(problems[:20])
    return pl.concat(pieces) if pieces else pl.DataFrame()


def _check(mapped: pl.DataFrame, rows: pl.DataFrame, read_from: dict, extra_codes: dict) -> list[Problem]:
    problems: list[Problem] = []

    def flag(mask: pl.Series, field: str, reason: str, check: str) -> None:
        column = read_from.get(field)
        shown = rows[column] if column in rows.columns else mapped[field] if field in mapped.columns else None
        for i in mask.arg_true().head(10).to_list():
            value = None if shown is None else shown[i]
            problems.append(Problem(check, reason, row=int(mapped["source_row"][i]), column=column or field,
                                    value=None if value is None else str(value)))

    for field, table in CODE_TABLE.items():
        known = catalogue_codes(table) | extra_codes.get(field, frozenset())
        unknown = ~mapped[field].is_in(list(known)).fill_null(False)
        flag(unknown, field, f"unknown {field.removesuffix('_id').removesuffix('_code')} code: not in the "
             f"catalogue ({table}) nor mapped by the spec", "unknown_code")
    flag(~mapped["qualifier"].is_in(list(QUALIFIERS)).fill_null(False), "qualifier", "unknown qualifier", "unknown_code")
    flag(~mapped["sex"].is_in(list(SEXES)).fill_null(False), "sex", "sex must map to all, male or female", "unknown_code")
    flag(mapped["period_start"].is_null() | mapped["period_end"].is_null(), "period",
         "the period cannot be built from this row", "bad_period")
    no_number = mapped["value"].is_null() & mapped["value_low"].is_null() & mapped["value_high"].is_null()
    allowed_empty = mapped["qualifier"].is_in(list(NO_NUMBER_QUALIFIERS)).fill_null(False)
    flag(no_number & ~allowed_empty, "value", "no value, and the qualifier does not say why", "missing_value")
    flag((mapped["value"] < 0).fill_null(False), "value", "negative value", "negative_value")
    today = dt.date.today()
    flag((mapped["period_start"] > today).fill_null(False), "period", "the period lies in the future", "future_period")
    return problems
