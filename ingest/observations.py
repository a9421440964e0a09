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

import datetime as dt
from pathlib import Path

import polars as pl

from ingest.catalogue import catalogue_codes
from ingest.parsers.periods import _MONTHS as MONTH_NUMBERS, parse_period_text
from ingest.problems import FileRejected, Problem, SpecError
from ingest.vocabulary import NO_NUMBER_QUALIFIERS, QUALIFIERS

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


# Text-based period forms: the period comes as text (a column, a SQL expression, a constant, or
# year + quarter/month/week columns composed into one text) and is read by parsers/periods.py.
TEXT_KINDS = ("year", "quarter", "month", "iso_week", "financial_year", "auto")
_PART = {"quarter": ("quarter", "Q"), "month": ("month", "M"), "iso_week": ("week", "W")}
_NUMBER_OF_MONTH = MONTH_NUMBERS


MARKER_FIELDS = ("qualifier", "value", "value_low", "value_high")


def _marker_fields(block: dict, columns: list[str], markers: dict) -> dict[str, pl.Expr]:
    """Fields a marker cell decides, for a block whose value is {column: X} with an X_marker column.

    The parser nulls the number of a marker cell ("..", "<5") and keeps the text in X_marker; the
    spec's markers entry then says what the cell means. Only fields the block leaves unset take
    their default from it: a block that sets qualifier itself keeps it.
    """
    value = block.get("value")
    if not (isinstance(value, dict) and set(value) == {"column"} and f"{value['column']}_marker" in columns):
        return {}
    number, marker = pl.col(value["column"]), pl.col(f"{value['column']}_marker")
    entries = {str(text): entry if isinstance(entry, dict) else {"qualifier": entry}
               for text, entry in markers.items()}

    def lookup(key: str, dtype) -> pl.Expr:
        table = {text: entry.get(key) for text, entry in entries.items()}
        return marker.replace_strict(table, default=None, return_dtype=dtype)

    fields = {"value": pl.when(marker.is_null()).then(number.cast(pl.Float64))
              .otherwise(lookup("value", pl.Float64))}
    if "qualifier" not in block:
        # a marker text missing from the table gives a null qualifier, which _check reports
        fields["qualifier"] = pl.when(marker.is_null()).then(pl.lit("exact")).otherwise(lookup("qualifier", pl.String))
    for bound in ("value_low", "value_high"):
        if bound not in block:
            fields[bound] = lookup(bound, pl.Float64)
    if "detail" not in block:
        # a number the publisher did not give says why (the marts require it of not_available)
        fields["detail"] = pl.when(marker.is_null()).then(None).otherwise(
            pl.lit("printed as '") + marker + pl.lit("' by the publisher"))
    return fields


def _period_text(form: dict, kind: str, block_no: int, source_id: str) -> tuple[pl.Expr, str | None] | None:
    """The period as one text expression, and the column it reads; None for the older forms."""
    if "value" in form:
        return pl.lit(str(form["value"]), dtype=pl.String), None
    if "expr" in form:
        return pl.sql_expr(form["expr"]).cast(pl.String), None
    if "column" in form:
        return pl.col(form["column"]).cast(pl.String).str.strip_chars(), form["column"]
    part = _PART.get(kind)
    if part and "year" in form and part[0] in form:
        # year + part columns -> "2021M03"-style text; a month may be a name (mars, March) or number,
        # a quarter "Q1" or 1
        year = pl.col(form["year"]).cast(pl.String).str.strip_chars()
        raw = pl.col(form[part[0]]).cast(pl.String).str.strip_chars()
        if kind == "month":
            number = raw.str.to_lowercase().replace_strict(
                {k: str(v) for k, v in _NUMBER_OF_MONTH.items()}, default=raw)
        else:
            number = raw.str.replace(r"^[QqKkWwUu]", "")
        return pl.concat_str([year, pl.lit(part[1]), number.str.zfill(2) if kind != "quarter" else number]), form[part[0]]
    return None


def _period_exprs(form: dict, block_no: int, source_id: str) -> tuple[list[pl.Expr], str | None, tuple | None]:
    """Period expressions (or, for text forms, one `_period_text` column to be parsed), the column
    read, and for text forms (kind, start_month)."""
    form = form or {}
    kind = form.get("type")
    if kind == "year" and set(form) <= {"type", "year", "label"} and "year" in form:
        year = pl.col(form["year"]).cast(pl.Int32, strict=False)
        return [pl.lit("year").alias("period_type"), pl.date(year, 1, 1).alias("period_start"),
                pl.date(year, 12, 31).alias("period_end")], form["year"], None
    if kind == "twelve_months_ending":
        # CDC VSRR: counts for the 12 months ending with the named month
        year = pl.col(form["year"]).cast(pl.Int32, strict=False)
        month = pl.col(form["month"]).replace_strict(MONTHS, default=None, return_dtype=pl.Int8)
        end = pl.date(year, month, 1).dt.month_end()
        start = pl.date(year, month, 1).dt.offset_by("-11mo")
        return [pl.lit("twelve_months_ending").alias("period_type"), start.alias("period_start"),
                end.alias("period_end")], form["month"], None
    if kind == "span" and "start" in form:
        return [pl.lit(form.get("label", "irregular")).alias("period_type"),
                pl.col(form["start"]).cast(pl.Date).alias("period_start"),
                pl.col(form["end"]).cast(pl.Date).alias("period_end")], form["start"], None
    if kind in TEXT_KINDS + ("span",):
        text = _period_text(form, kind, block_no, source_id)
        if text is not None:
            return [text[0].alias("_period_text")], text[1], (None if kind == "auto" else kind,
                                                               int(form.get("start_month", 4)))
    raise SpecError(f"{source_id}: observations block {block_no} has no period of a known form "
                    "(type year/quarter/month/iso_week/financial_year/auto with column, value or expr; "
                    "year with year:; twelve_months_ending; span with start/end)")


def _parse_period_texts(mapped: pl.DataFrame, kind: str | None, start_month: int) -> pl.DataFrame:
    """Replace `_period_text` by period_type/start/end.

    The parser is plain Python, so it runs over the DISTINCT texts only (a file of a million rows
    has a few dozen periods) and the result is joined back: per-row map_elements would be far
    slower and every text would be parsed again and again.
    """
    texts = mapped["_period_text"].drop_nulls().unique().to_list()
    parsed = [(t, *(parse_period_text(t, kind, start_month) or (None, None, None))) for t in texts]
    table = pl.DataFrame(parsed, schema={"_period_text": pl.String, "period_type": pl.String,
                                         "period_start": pl.Date, "period_end": pl.Date}, orient="row")
    return mapped.join(table, on="_period_text", how="left", maintain_order="left")


def map_observations(frame: pl.DataFrame, source_id: str, blocks: list[dict],
                     extra_indicators: frozenset[str] = frozenset(),
                     extra_geographies: frozenset[str] = frozenset(), *,
                     earliest_year: int = 1900, markers: dict | None = None,
                     extra_substances: frozenset[str] = frozenset(),
                     empty_blocks: list | None = None) -> pl.DataFrame:
    """All observations of a parsed file; raises FileRejected for rows that do not map.

    earliest_year (spec.plausible.earliest_year): a period starting before it, or after today,
    rejects the file naming the spec field (`observations[<i>].period.<key>`, i from 0 as in the
    YAML list) and the value: a year column read from the wrong place shows up here.

    markers (spec.markers, text -> {qualifier, value?, value_low?, value_high?}): see _marker_fields.
    empty_blocks: when a list, gets (block number, where) of each block that matched no row of a
    non-empty frame: a `where` with a typo or a publisher's renamed code silently maps nothing.
    """
    pieces, problems = [], []
    with_column = frame if "source_column" in frame.columns else frame.with_columns(
        pl.lit(None, dtype=pl.Int32).alias("source_column"))
    for block_no, block in enumerate(blocks, start=1):
        block = {ALIASES.get(k, k): v for k, v in block.items()}
        rows = with_column.filter(pl.sql_expr(block["where"])) if block.get("where") else with_column
        if empty_blocks is not None and rows.height == 0 and frame.height:
            empty_blocks.append((block_no, block.get("where")))
        exprs, read_from = [pl.lit(source_id).alias("source_id")], {}
        from_markers = _marker_fields(block, frame.columns, markers or {})
        for name, dtype, default in FIELDS:
            if name in from_markers:
                exprs.append(from_markers[name].cast(dtype).alias(name))
                read_from[name] = block["value"]["column"]
                continue
            expr, column = _field_expr(name, block.get(name, default), dtype, block_no, source_id)
            exprs.append(expr.alias(name))
            read_from[name] = column
        period, read_from["period"], text_form = _period_exprs(block.get("period"), block_no, source_id)
        exprs += period
        mapped = rows.select(exprs + [pl.col("source_row"), pl.col("source_column").cast(pl.Int32)])
        if text_form is not None:
            mapped = _parse_period_texts(mapped, *text_form)
        problems += _check(mapped, rows, read_from, {"indicator_id": extra_indicators, "geo_code": extra_geographies,
                                                   "substance_id": extra_substances})
        problems += _check_plausible(mapped, rows, block.get("period") or {}, read_from["period"],
                                     block_no, earliest_year)
        pieces.append(mapped.select(OUTPUT_COLUMNS))
    if problems:
        raise FileRejected(problems[:20])
    return pl.concat(pieces) if pieces else pl.DataFrame()


def _check_plausible(mapped: pl.DataFrame, rows: pl.DataFrame, form: dict, column: str | None,
                     block_no: int, earliest_year: int) -> list[Problem]:
    """Periods outside [earliest_year, today]; the Problem's column is the spec field."""
    key = next((k for k in ("year", "column", "expr", "value", "start") if k in form), "type")
    field = f"observations[{block_no - 1}].period.{key}"
    earliest, today = dt.date(earliest_year, 1, 1), dt.date.today()
    bad = ((mapped["period_start"] < earliest) | (mapped["period_start"] > today)).fill_null(False)
    problems = []
    for i in bad.arg_true().head(10).to_list():
        shown = rows[column][i] if column in rows.columns else mapped["period_start"][i]
        problems.append(Problem("implausible_period",
                                f"period {mapped['period_start'][i]} lies outside {earliest_year} .. today "
                                f"(plausible.earliest_year)", row=int(mapped["source_row"][i]),
                                column=field, value=str(shown)))
    return problems


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
    return problems
