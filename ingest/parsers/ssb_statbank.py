"""SSB Statistikkbanken exports, "semicolon separated with heading".

Layout (ISO-8859-1, CRLF): line 1 the quoted table title, line 2 blank, then `header_rows` header
lines (by default the period of each value column, then the statistic), then one line per category
with its label(s) in the first `label_columns` fields, up to the first blank line; footnotes after
that. The table is turned long at ingest, one row per published cell, so every number keeps its
own line and column for lineage. SSB's symbols for missing cells become a `status`, never a number.

The file is read with the csv module rather than polars: the header block and the footnotes need
line-by-line handling, a cut-short line must be reported by its field count, and an export is
bounded by Statistikkbanken's own download limit, so it always fits in memory.
"""
from __future__ import annotations

import csv
import re

import polars as pl

from ingest.parsers.text_table import MAX_PROBLEMS, ROW, decode, type_columns
from ingest.problems import FileRejected, Problem, SpecError
from ingest.registry import SourceSpec
from ingest.validation import NUMBER_TEXT

# SSB's "explanation of symbols", as printed under every table in Statistikkbanken.
MARKERS = {
    "..": "not_available",
    "...": "not_yet_available",
    ":": "confidential",
    ".": "not_applicable",
    "-": "nil",
}
_NUMBER = re.compile(NUMBER_TEXT)  # the shared text rule (ASCII digits only)
# UTF-8 bytes of æ, ø, å, é ... read as a one-byte encoding show up as "Ã" or "Â" plus one char.
_MOJIBAKE = re.compile(r"[ÂÃ].")
_COL = "__col"  # internal: 1-based column of a value in the file


def reject_utf8_read_as_single_byte(text: str, encoding: str) -> None:
    """A UTF-8 file decoded as latin-1 does not fail, it silently turns 'Klær' into 'KlÃ¦r'."""
    if encoding.lower().replace("_", "-") in {"utf-8", "utf8"}:
        return
    for match in _MOJIBAKE.finditer(text):
        try:
            match.group().encode(encoding).decode("utf-8")
        except UnicodeError:
            continue  # a genuine 'Ã' followed by a character that UTF-8 would not produce
        line = text.count("\n", 0, match.start()) + 1
        start = text.rfind("\n", 0, match.start()) + 1
        snippet = text[start:match.end() + 20].strip()
        raise FileRejected([Problem(
            "wrong_encoding",
            f"the file looks like UTF-8 but the spec says {encoding}: letters such as æøå would be "
            "garbled; save the file as the spec's encoding, or set `encoding: utf-8` in the spec",
            row=line, value=snippet,
        )])


def _fields(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quotechar='"'))


def _names(spec: SourceSpec, key: str, count: int, default: list[str]) -> list[str]:
    names = spec.options.get(key, default if count == len(default) else None)
    if not isinstance(names, list) or len(names) != count:
        raise SpecError(f"{spec.id}: options.{key} must list {count} column name(s)")
    return [str(n) for n in names]


def parse_ssb_statbank(data: bytes, spec: SourceSpec) -> pl.DataFrame:
    text = decode(data, spec.encoding)
    reject_utf8_read_as_single_byte(text, spec.encoding)
    opts = spec.options
    n_headers = int(opts.get("header_rows", 2))
    n_labels = int(opts.get("label_columns", 1))
    header_names = _names(spec, "header_names", n_headers, ["period", "statistic"])
    label_names = _names(spec, "label_names", n_labels, ["category"])
    value_name = opts.get("value_name", "value")
    status_name = opts.get("status_name", "status")
    footnote_name = opts.get("footnote_name", "footnote")

    lines = [line.rstrip("\r") for line in text.split("\n")]
    first_header = 3  # line 1 title, line 2 blank
    if len(lines) < first_header - 1 + n_headers or lines[1].strip():
        raise FileRejected([Problem(
            "not_ssb_export",
            f"expected a title line, a blank line and {n_headers} header lines: is this a Statistikkbanken "
            "'semicolon separated with heading' export?", row=2)])

    headers = [_fields(lines[i - 1], spec.delimiter) for i in range(first_header, first_header + n_headers)]
    width = len(headers[0])
    other = ";" if spec.delimiter != ";" else ","
    if width == 1 and other in lines[first_header - 1]:
        raise FileRejected([Problem("wrong_delimiter", f"the header is split by '{other}', the spec says "
                                    f"'{spec.delimiter}': wrong delimiter (or wrong spec)", row=first_header)])
    if width <= n_labels:
        raise FileRejected([Problem("missing_column", f"the header has {width} field(s): no value columns after "
                                    f"the {n_labels} label column(s)", row=first_header)])
    problems = []
    for offset, fields in enumerate(headers):
        row = first_header + offset
        if len(fields) != width:
            problems.append(Problem("wrong_field_count", f"header line has {len(fields)} fields, the first header "
                                    f"line has {width}", row=row))
        for col, cell in enumerate(fields[n_labels:], start=n_labels + 1):
            if not cell.strip():
                problems.append(Problem("empty_header", f"header cell of file column {col} is empty", row=row))
    if problems:
        raise FileRejected(problems[:MAX_PROBLEMS])

    # Data lines run to the first blank line; what follows is footnotes (or nothing).
    first_data = first_header + n_headers
    records: list[tuple[int, list[str]]] = []
    end = first_data
    for number in range(first_data, len(lines) + 1):
        end = number
        if not lines[number - 1].strip():
            break
        fields = _fields(lines[number - 1], spec.delimiter)
        if len(fields) != width:
            problems.append(Problem(
                "wrong_field_count",
                f"expected {width} fields like the header, found {len(fields)}: the line is cut short or "
                "has stray separators", row=number, value=lines[number - 1][-40:]))
        records.append((number, fields))
    if problems:
        raise FileRejected(problems[:MAX_PROBLEMS])
    if not records:
        raise FileRejected([Problem("no_data", "no data lines after the header lines", row=first_data)])
    footnote_lines = [" ".join(_fields(line, spec.delimiter)) for line in lines[end:] if line.strip()]
    footnote = " ".join(" ".join(footnote_lines).split()) or None

    value_cols = [str(c) for c in range(n_labels + 1, width + 1)]
    wide = pl.DataFrame(
        {ROW: [n for n, _ in records],
         **{label_names[i]: [f[i].strip() for _, f in records] for i in range(n_labels)},
         **{c: [f[int(c) - 1] for _, f in records] for c in value_cols}},
        schema_overrides={c: pl.String for c in value_cols},
    ).with_columns(pl.col(ROW).cast(pl.Int64))
    heading = pl.DataFrame(
        {_COL: value_cols, **{header_names[k]: [h.strip() for h in headers[k][n_labels:]] for k in range(n_headers)}})
    long = (wide.unpivot(index=[ROW, *label_names], on=value_cols, variable_name=_COL, value_name="__raw")
            .join(heading, on=_COL, how="left", maintain_order="left"))

    raw = pl.col("__raw").str.strip_chars()
    number = raw.str.replace_all(spec.decimal, ".", literal=True) if spec.decimal != "." else raw
    # SSB's symbols keep their SSB names in `status`; a symbol the spec adds is named by its qualifier
    statuses = {**{text: m["qualifier"] for text, m in spec.markers.items()}, **MARKERS}
    long = long.with_columns(
        raw.replace_strict(statuses, default=None, return_dtype=pl.String).alias(status_name),
        number.str.contains(_NUMBER.pattern).alias("__is_number"),
        raw.is_in(list(spec.missing_values)).alias("__is_missing"),
    )
    bad = long.filter(pl.col(status_name).is_null() & ~pl.col("__is_number") & ~pl.col("__is_missing"))
    if bad.height:
        raise FileRejected([
            Problem("wrong_value", f"expected a number (decimal '{spec.decimal}') or one of the markers "
                    f"{' '.join(statuses)}; file column {r[_COL]}", row=r[ROW],
                    column=" / ".join(r[h] for h in header_names), value=r["__raw"])
            for r in bad.head(MAX_PROBLEMS).iter_rows(named=True)
        ])
    long = long.with_columns(
        pl.when(pl.col(status_name).is_null()).then(pl.col("__raw")).otherwise(None).alias(value_name),
        pl.when(pl.col(status_name).is_not_null()).then(raw).otherwise(None).alias(f"{value_name}_marker"),
        pl.lit(footnote, dtype=pl.String).alias(footnote_name),
    )

    available = [*label_names, *header_names, value_name, status_name, footnote_name, f"{value_name}_marker"]
    unknown = [c.name for c in spec.columns if c.name not in available]
    if unknown:
        raise SpecError(f"{spec.id}: columns {unknown} are not produced by ssb_statbank_csv "
                        f"(available: {available}; see options header_names/label_names)")
    long = long.sort([ROW, pl.col(_COL).cast(pl.Int32)])
    typed = type_columns(long, list(spec.columns), spec.missing_values, spec.decimal)
    markers = [name for name in spec.ssb_marker_columns if name not in typed.columns]
    return typed.with_columns(long[_COL].cast(pl.Int32).alias("source_column"),
                              *[long[f"{value_name}_marker"].alias(name) for name in markers])
