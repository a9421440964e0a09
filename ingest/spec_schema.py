"""The schema of a source spec, checked before any file is read.

A pydantic model rather than hand-written checks: the same model refuses an unknown key or a wrong
type with the key's path, and gives the JSON Schema published in docs/ (`python -m
ingest.spec_schema --write docs/`), so the reference and the check cannot disagree. Checks that
need more than one key (a `where` over a column the parser does not produce) are in
ingest/registry.py.
"""
from __future__ import annotations

import argparse
import difflib
import json
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError

ColumnName = StrictStr  # a column of the parsed file: a text, never a number (`year: 2017`)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnSpec(Strict):
    name: StrictStr = Field(description="The header as the publisher prints it.")
    type: Literal["varchar", "integer", "bigint", "double", "date", "timestamp", "boolean"] = Field(
        description="The type the cells are checked and cast to.")
    as_: StrictStr | None = Field(None, alias="as", description="The column's name in the raw table (default: name).")
    required: StrictBool = Field(False, description="A row without a value here is refused.")
    format: StrictStr | None = Field(None, description="strptime format of a date or timestamp column, e.g. %d.%m.%Y.")
    missing: list[StrictStr] = Field([], description="Extra texts meaning 'no number' in this column only.")
    constant: StrictBool = Field(False, description="xlsx tables: the column is not in the sheet but set by each "
                                                   "table's `constants`.")


class ValueColumns(Strict):
    header_as: ColumnName = Field(description="Long column that receives a wide file's value-column header.")
    value_as: ColumnName = Field(description="Long column that receives the cell.")
    type: Literal["integer", "bigint", "double"] = Field(description="Type of the cells.")
    headers: Literal["year", "period"] | None = Field(
        None, description="`year`: every value column is a year; `period`: every value column is a period text "
                          "(`2017 Q1`, `2019/20`, `Jan-Mar 2021`), kept verbatim.")
    series: list[StrictStr] | None = Field(None, description="The value-column headers the file may have.")
    flags: StrictBool = Field(False, description="Cells carry flag letters after a space, Eurostat style (`1164 p`).")
    markers: dict[StrictStr, StrictStr] | None = Field(
        None, description="Older form of markers for wide files: cell text -> status text.")
    min_count: StrictInt = Field(1, ge=1, description="Fewest value columns a file must have.")


class XlsxTable(Strict):
    sheet: StrictStr | StrictInt | None = Field(None, description="Sheet name or 1-based position.")
    header_row: StrictInt | None = Field(None, ge=1, description="The header row.")
    header_rows: list[StrictInt] | None = Field(None, description="Several header rows.")
    first_row: StrictInt | None = Field(None, ge=2, description="First data row.")
    last_row: StrictInt | None = Field(None, ge=2, description="Last data row.")
    stop_at_blank: StrictBool | None = Field(None, description="The table ends at its first blank row.")
    constants: dict[ColumnName, StrictStr] | None = Field(None, description="Columns of constant text for this "
                                                                             "table's rows (e.g. sex: male).")


class Options(Strict):
    # text formats
    strip_headers: StrictBool | None = Field(None, description="Trim spaces around header cells (Eurostat's `2016 `).")
    final_line_break: Literal["required", "optional"] | None = Field(
        None, description="`optional` for a publisher whose files end without a line break.")
    skip_lines: StrictInt | None = Field(None, ge=0, description="csv/wide_csv/csv_large: leading lines (a title, a "
                                                                   "source line) ignored; source_row stays the file line.")
    header_pattern: StrictStr | None = Field(None, description="csv/wide_csv: a regex; the first line it finds is the "
                                                               "header, the lines above are ignored.")
    # xlsx
    sheet: StrictStr | StrictInt | None = Field(None, description="xlsx: sheet name, or its 1-based position.")
    header_row: StrictInt | None = Field(None, ge=1, description="xlsx: the row holding the header (default 1).")
    first_row: StrictInt | None = Field(None, ge=2, description="xlsx: the first data row (default: below the header).")
    last_row: StrictInt | None = Field(None, ge=2, description="xlsx: the last row read (notes below are left out).")
    stop_at_blank: StrictBool | None = Field(None, description="xlsx: the table ends at its first blank row.")
    fill_down: list[ColumnName] | None = Field(None, description="xlsx: columns whose blank cells take the value "
                                                                 "above (merged label cells).")
    tables: list[XlsxTable] | None = Field(None, description="xlsx: several tables (on one sheet or several), "
                                                             "read with the same columns and stacked.")
    range: StrictStr | None = Field(None, description="xlsx: the columns read, e.g. `A:F`.")
    # ssb_statbank_csv (an integer) and xlsx (a list of rows)
    header_rows: StrictInt | list[StrictInt] | None = Field(
        None, description="ssb_statbank_csv: header lines (default 2); xlsx: the header rows, e.g. [4, 5] for a year "
                          "merged over quarter columns (texts joined: `2017 Q1`).")
    label_columns: StrictInt | None = Field(None, ge=1, description="ssb_statbank_csv: label fields per line (default 1).")
    header_names: list[ColumnName] | None = Field(None, description="ssb_statbank_csv: a name per header line.")
    label_names: list[ColumnName] | None = Field(None, description="ssb_statbank_csv: a name per label field.")
    value_name: ColumnName | None = Field(None, description="ssb_statbank_csv/jsonstat2: the value column (default value).")
    status_name: ColumnName | None = Field(None, description="ssb_statbank_csv/jsonstat2: the status column (default status).")
    footnote_name: ColumnName | None = Field(None, description="ssb_statbank_csv: the footnote column (default footnote).")
    # jsonstat2
    names: dict[StrictStr, ColumnName] | None = Field(None, description="jsonstat2: a column name per dimension id.")


Number = Union[StrictInt, StrictFloat]


class MarkerMeaning(Strict):
    qualifier: StrictStr = Field(description="A qualifier of the vocabulary (vars.qualifiers in dbt_project.yml).")
    value: Number | None = Field(None, description="The number the marker stands for (`-`: 0).")
    value_low: Number | None = Field(None, description="A lower bound the marker gives.")
    value_high: Number | None = Field(None, description="An upper bound the marker gives (`<5`: 5).")


class FromValue(Strict):
    value: Any = Field(description="A constant.")


class FromColumn(Strict):
    column: ColumnName = Field(description="A column of the parsed file.")
    map: dict[Any, Any] | None = Field(None, description="Translation of the column's values; a miss rejects the row.")


class FromExpr(Strict):
    expr: StrictStr = Field(description="A SQL expression over the columns (polars SQL).")


FieldForm = Union[FromValue, FromColumn, FromExpr]


class Period(Strict):
    type: Literal["year", "quarter", "month", "iso_week", "financial_year", "twelve_months_ending", "span",
                  "auto"] = Field(description="What kind of period the rows have (auto: told by the text).")
    year: ColumnName | None = Field(None, description="The column holding the year (with quarter, month or week).")
    quarter: ColumnName | None = Field(None, description="quarter: the column holding the quarter (1-4 or Q1).")
    month: ColumnName | None = Field(None, description="month, twelve_months_ending: the column holding the month "
                                                       "(number, or an English or Norwegian name).")
    week: ColumnName | None = Field(None, description="iso_week: the column holding the ISO week.")
    column: ColumnName | None = Field(None, description="A column holding the period as text "
                                                        "(2017 Q1, 2021-03, 2021-W05, 2019/20, 2015-2017).")
    value: StrictStr | StrictInt | None = Field(None, description="A constant period (2021, \"2021 Q1\").")
    expr: StrictStr | None = Field(None, description="A SQL expression giving the period text.")
    start_month: StrictInt | None = Field(None, ge=1, le=12, description="financial_year: first month (default 4, April).")
    start: ColumnName | None = Field(None, description="span: the column holding the first day.")
    end: ColumnName | None = Field(None, description="span: the column holding the last day.")
    label: StrictStr | None = Field(None, description="span: the period_type written for these rows (default irregular).")


class Geography(Strict):
    code: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$", description="New geography code, not in the catalogue.")
    level: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Its level (nation, county, police_district ...).")
    name_nb: StrictStr = Field(description="Name in Norwegian.")
    name_en: StrictStr = Field(description="Name in English.")
    parent: StrictStr | None = Field(None, description="Code of the geography it lies in.")
    valid_from: StrictInt | None = Field(None, ge=1800, le=2100, description="First year the code is valid.")
    valid_to: StrictInt | None = Field(None, ge=1800, le=2100, description="Last year the code is valid.")


class Substance(Strict):
    substance_id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$", description="New substance id, not in the catalogue.")
    name_nb: StrictStr = Field(description="Name in Norwegian.")
    name_en: StrictStr = Field(description="Name in English.")
    parent: StrictStr | None = Field(None, description="Substance it belongs under (e.g. opioids).")
    group: StrictStr | None = Field(None, description="Substance group for the trend views (default: its own id).")


class ObservationBlock(Strict):
    where: StrictStr | None = Field(None, description="SQL condition selecting the rows this block maps.")
    indicator: FieldForm = Field(description="Indicator id (the catalogue's or one the spec declares).")
    geography: FieldForm = Field(description="Geography code (dim_geography).")
    substance: FieldForm | None = Field(None, description="Substance id (default all).")
    sex: FieldForm | None = Field(None, description="all, male or female (default all).")
    age: FieldForm | None = Field(None, description="Age group (default all).")
    breakdown: FieldForm | None = Field(None, description="Any further breakdown (default all).")
    period: Period = Field(description="The period of each row.")
    value: FieldForm = Field(description="The number.")
    value_low: FieldForm | None = Field(None, description="Lower bound (for below/above/range numbers).")
    value_high: FieldForm | None = Field(None, description="Upper bound.")
    qualifier: FieldForm | None = Field(None, description="How to read the number (default: from the marker, else exact).")
    numerator: FieldForm | None = Field(None, description="Numerator of a share or rate.")
    denominator: FieldForm | None = Field(None, description="Denominator of a share or rate.")
    unit: FieldForm = Field(description="Unit of the number (deaths, percent, ...).")
    is_provisional: FieldForm | None = Field(None, description="True for provisional numbers.")
    detail: FieldForm | None = Field(None, description="Free text kept with the observation.")


class Indicator(Strict):
    indicator_id: StrictStr = Field(description="New indicator id, unique over the catalogue.")
    name_nb: StrictStr = Field(description="Name in Norwegian.")
    name_en: StrictStr = Field(description="Name in English.")
    unit: StrictStr = Field(description="Unit.")
    definition_en: StrictStr = Field(description="Definition, for the catalogue and metadata headers.")
    suppress_below: StrictInt | None = Field(None, ge=1, description="Counts below this are suppressed when published.")


class Expectation(Strict):
    type: StrictStr = Field(description="A Great Expectations expectation name.")
    kwargs: dict[StrictStr, Any] = Field({}, description="Its arguments.")
    why: StrictStr | None = Field(None, description="Why the rule holds, printed when it fails.")
    why_nb: StrictStr | None = Field(None, description="The same in Norwegian bokmål, shown in the Norwegian data-quality "
                                                       "view (without it, that view names the rule).")
    severity: Literal["error", "warning"] | None = Field(None, description="warning: kept and reported, not rejected.")


class Plausible(Strict):
    earliest_year: StrictInt | None = Field(None, ge=1000, le=2100, description="No date or year before it (default 1900).")
    year_columns: list[ColumnName] | None = Field(None, description="Integer columns holding years.")
    future: list[ColumnName] | None = Field(None, description="Columns that may lie after today.")


class SourceSpecModel(Strict):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Source id: lower-case letters, digits, _.")
    title: StrictStr = Field(description="Title for the catalogue.")
    label: StrictStr | None = Field(None, description="Short citation under charts (default: title).")
    publisher: StrictStr = Field(description="Who published the data.")
    citation: StrictStr = Field(description="How to cite it.")
    licence: StrictStr = Field(description="Licence of the data.")
    url: StrictStr | None = Field(None, description="Where the data is published.")
    description: StrictStr | None = Field(None, description="What the source holds.")
    role: Literal["series", "dimension"] = Field("series", description="dimension: a code list, loaded first.")
    format: Literal["csv", "wide_csv", "csv_large", "ssb_statbank_csv", "jsonstat2", "xlsx"] = Field(
        description="How the files are read.")
    file_pattern: StrictStr = Field(description="Glob under data/raw matching this source's files.")
    target_table: StrictStr = Field(pattern=r"^raw\.[a-z][a-z0-9_]*$", description="Raw table, in schema raw.")
    encoding: StrictStr = Field("utf-8", description="Text encoding of the files.")
    delimiter: StrictStr = Field(",", min_length=1, max_length=1, description="Field separator, one character.")
    decimal: Literal[".", ","] = Field(".", description="Decimal mark.")
    missing_values: list[StrictStr] = Field([""], description="Cell texts meaning 'no number' (no row kept).")
    key: list[ColumnName] = Field([], description="Columns identifying a row across files.")
    supersedes: Literal["by_file_name", "by_load_order"] | None = Field(
        None, description="Which file wins a repeated key; left out, the repeating file is rejected.")
    columns: list[ColumnSpec] = Field([], description="The columns the parser produces, typed.")
    id_columns: list[ColumnSpec] = Field([], description="Wide files: the label columns.")
    value_columns: ValueColumns | None = Field(None, description="Wide files: how value columns become long rows.")
    options: Options = Field(Options(), description="Format-specific reading options.")
    markers: dict[StrictStr, Union[StrictStr, MarkerMeaning]] = Field(
        {}, description="Cell texts standing in a number's place and their qualifier (ingest/markers.py).")
    indicators: list[Indicator] = Field([], description="Indicators this source introduces.")
    geographies: list[Geography] = Field([], description="Geography codes this source introduces (dim_geography).")
    substances: list[Substance] = Field([], description="Substances this source introduces (dim_substance).")
    expectations: list[Expectation] = Field([], description="Checks on the parsed rows before they are written.")
    plausible: Plausible = Field(Plausible(), description="Plausible range of dates and years.")
    codes: dict[ColumnName, Literal["fhi_locations"]] = Field({}, description="Columns whose values must be known codes.")
    observations: list[ObservationBlock] = Field([], description="How rows become harmonised observations.")




def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


BRANCHES = ("FromValue", "FromColumn", "FromExpr")


def _union_field(loc: tuple) -> bool:
    """True when loc ends at an observation field (the branches of its value/column/expr union)."""
    return len(loc) >= 3 and loc[0] == "observations"


def _path(loc: tuple) -> str:
    """`observations[1].period.year`, 1-based like a person counts blocks; union branch names dropped."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif part in (*BRANCHES, "MarkerMeaning", "str", "int", "float", "bool") or "[" in str(part):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def _suggestion(loc: tuple, key: str) -> str:
    allowed = sorted({k for model in MODELS for k in _keys(model)})
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.75)
    return f"; did you mean `{close[0]}`?" if close else ""


def explain(err: ValidationError, spec_name: str) -> list[tuple[str, str]]:
    """(key path, message with what to write instead) for each distinct mistake, most useful first."""
    seen, out = set(), []
    # an unknown key first: it is usually the cause of a "required" error beside it (`units:`)
    # and the deepest error next: of a union's branches, the one that got furthest is the one meant
    errors = sorted(err.errors(), key=lambda e: (e["type"] != "extra_forbidden", -len(e["loc"])))
    for e in errors:
        loc = tuple(e["loc"])
        branch = next((i for i, part in enumerate(loc) if part in BRANCHES), None)
        if branch is not None and _union_field(loc[:branch]):
            loc = loc[:branch]  # the field itself, not the branch of value/column/expr that was tried
        path = _path(loc)
        kind = e["type"]
        if kind == "extra_forbidden":
            text = f"unknown key `{e['loc'][-1]}`{_suggestion(e['loc'], e['loc'][-1])}"
        elif kind == "missing":
            text = "this key is required"
        elif kind in ("string_type",) and path.endswith((".year", ".month", ".start", ".end", ".column")):
            text = (f"names a column of the file, not a value ({e.get('input')!r}); for a constant write "
                    "{value: ...} (a field) or a column name in quotes")
        elif kind == "literal_error":
            text = f"{e.get('input')!r} is not allowed: {e['msg'].replace('Input should be ', 'write ')}"
        else:
            text = f"{e['msg']} (found {e.get('input')!r})"
        # a field form that fits none of value/column/expr gives one error per form: say it once
        if any(part in ("FromValue", "FromColumn", "FromExpr") for part in e["loc"]):
            text = "write one of {value: ...}, {column: ...} (with an optional map) or {expr: \"...\"}"
        if (path, text) not in seen:
            seen.add((path, text))
            out.append((path or "(top level)", text))
    return out


MODELS = [SourceSpecModel, ColumnSpec, ValueColumns, Options, MarkerMeaning, FromValue, FromColumn, FromExpr,
          XlsxTable, Period, ObservationBlock, Indicator, Geography, Substance, Expectation, Plausible]


def json_schema() -> dict:
    schema = SourceSpecModel.model_json_schema(by_alias=True)
    schema["$id"] = "https://github.com/trendvakt/trendvakt/docs/spec-schema.json"
    schema["title"] = "trendvakt source spec"
    return schema


def markdown_reference() -> str:
    """A key-by-key reference generated from the model's descriptions."""
    lines = ["# Source spec reference", "",
             "Generated from `ingest/spec_schema.py` by `python -m ingest.spec_schema --write docs/`; the same",
             "model checks every spec before a file is read. The README's \"Adding a source\" has an example of",
             "each key; `spec-schema.json` is the JSON Schema.", ""]
    for model in MODELS:
        lines += [f"## {model.__name__}", "", "| key | required | description |", "|---|---|---|"]
        for name, f in model.model_fields.items():
            lines.append(f"| `{f.alias or name}` | {'yes' if f.is_required() else 'no'} | {f.description or ''} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.spec_schema", description="write the spec schema docs")
    parser.add_argument("--write", type=Path, required=True, help="folder to write spec-schema.json and .md into")
    args = parser.parse_args(argv)
    args.write.mkdir(parents=True, exist_ok=True)
    (args.write / "spec-schema.json").write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
    (args.write / "spec-schema.md").write_text(markdown_reference(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
