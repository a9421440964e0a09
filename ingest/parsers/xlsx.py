"""XLSX (and XLS/ODS) sheets, read with calamine through fastexcel.

Every cell is read as text and typed afterwards with the rules of the text parsers, so a bad cell
is reported with its spreadsheet row and column header instead of a whole-column type guess
(calamine would silently turn a mostly empty number column into text). `source_row` is the row
number Excel shows.
"""
from __future__ import annotations

import fastexcel
import polars as pl

from ingest.parsers.csv_wide import unpivot_wide
from ingest.parsers.text_table import ROW, type_columns
from ingest.problems import FileRejected, Problem, SpecError
from ingest.registry import SourceSpec


def _sheet(reader: fastexcel.ExcelReader, wanted: object) -> str:
    names = reader.sheet_names
    if isinstance(wanted, int) and not isinstance(wanted, bool) and 1 <= wanted <= len(names):
        return names[wanted - 1]
    if isinstance(wanted, str) and wanted in names:
        return wanted
    raise FileRejected([Problem("missing_sheet", f"the workbook has no sheet {wanted!r} (sheets: "
                                f"{', '.join(repr(n) for n in names)})", value=str(wanted))])


def _header_texts(grid: pl.DataFrame, rows: list[int]) -> list[str]:
    """One header text per sheet column from one or more header rows. A blank cell in an upper
    header row takes the text to its left, because a merged cell ("2017" over Q1..Q4) keeps its
    text only in its first cell; the texts of one column are joined with a single space."""
    per_row = []
    for number, row in enumerate(rows):
        cells = [("" if c is None else " ".join(str(c).split())) for c in grid.row(row - 1)]
        if number < len(rows) - 1:  # fill merged cells from the left, but never in the lowest row
            last = ""
            for i, text in enumerate(cells):
                cells[i] = text or last
                last = cells[i]
        per_row.append(cells)
    return [" ".join(t for t in texts if t) for texts in zip(*per_row)]


def _read_table(reader: fastexcel.ExcelReader, spec: SourceSpec, table: dict,
                where: str) -> tuple[pl.DataFrame, dict[str, int]]:
    """One table block of a sheet -> the wanted columns as text, with `source_row` = Excel row."""
    if "header_rows" in table:
        header_rows = table["header_rows"]
        if not (isinstance(header_rows, list) and header_rows
                and all(isinstance(r, int) and not isinstance(r, bool) and r >= 1 for r in header_rows)):
            raise SpecError(f"{spec.id}: {where}header_rows must be a list of row numbers (>= 1), "
                            f"e.g. header_rows: [4, 5], not {header_rows!r}")
        header_rows = sorted(header_rows)
    else:
        header_rows = [int(table.get("header_row", 1))]
    first_row = int(table.get("first_row", header_rows[-1] + 1))
    last_row = table.get("last_row")
    if header_rows[0] < 1 or first_row <= header_rows[-1] or (last_row is not None and int(last_row) < first_row):
        raise SpecError(f"{spec.id}: {where}header_row(s) must be >= 1, first_row below the header and "
                        f"last_row not above first_row")
    sheet = _sheet(reader, table.get("sheet", 1))
    try:
        # header_row=None with skip_rows=0 keeps the leading empty rows, so frame row i is sheet row i + 1
        # (with a header_row, fastexcel counts from the first non-empty row in some cases).
        loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string",
                                   use_columns=spec.options.get("range"),
                                   n_rows=None if last_row is None else int(last_row))
        grid = loaded.to_polars()
    except fastexcel.FastExcelError as err:
        first = str(err).splitlines()[0]
        raise FileRejected([Problem("unreadable_sheet", f"sheet {sheet!r} cannot be read with range "
                                    f"{spec.options.get('range')!r}: {first}", value=sheet)]) from None
    if grid.height < header_rows[-1]:
        raise FileRejected([Problem("missing_header", f"sheet {sheet!r} ends before header row {header_rows[-1]}",
                                    row=header_rows[-1])])
    headers = _header_texts(grid, header_rows)
    constants = table.get("constants") or {}
    wanted = [c.name for c in _read_columns(spec) if c.name not in constants]
    if spec.is_wide:
        # wide: every other headed column is a series or period column, unpivoted afterwards
        wanted += [h for h in dict.fromkeys(headers) if h and h not in wanted and h not in constants]
    problems = []
    for name in wanted:
        hits = headers.count(name)
        if hits != 1:
            found = ", ".join(h for h in headers if h)
            reason = (f"expected column '{name}' is not in the header of sheet {sheet!r} (found: {found})"
                      if hits == 0 else f"column '{name}' appears {hits} times in the header of sheet {sheet!r}")
            problems.append(Problem("missing_column" if hits == 0 else "duplicate_column", reason,
                                    row=header_rows[-1], column=name))
    if problems:
        raise FileRejected(problems)
    body = (grid.slice(first_row - 1)
            .select([pl.col(grid.columns[headers.index(name)]).alias(name) for name in wanted])
            .with_row_index(ROW, offset=first_row)
            .with_columns(pl.col(ROW).cast(pl.Int64)))
    blank = ~pl.any_horizontal([pl.col(n).str.strip_chars().fill_null("") != "" for n in wanted])
    if table.get("stop_at_blank"):
        # the data ends at the first blank row: notes and footnotes below it are not records
        ends = body.with_row_index("__i").filter(blank)["__i"]
        if ends.len():
            body = body.head(int(ends[0]))
    # Rows with no cell in any wanted column are layout (spacing, a total further down), not records.
    body = body.filter(~blank)
    fill = spec.options.get("fill_down") or []
    unknown = [c for c in fill if c not in wanted and c not in constants]
    if unknown:
        raise SpecError(f"{spec.id}: options.fill_down names {unknown}, which are not columns of the spec")
    # merged label cells keep their text in the top cell only: the cells below take it
    body = body.with_columns([pl.when(pl.col(c).str.strip_chars().fill_null("") == "").then(None)
                              .otherwise(pl.col(c)).forward_fill().alias(c) for c in fill if c in wanted])
    body = body.with_columns([pl.lit(str(v)).alias(k) for k, v in constants.items()])
    return body, {h: headers.index(h) + 1 for h in wanted if h in headers}


def _read_columns(spec: SourceSpec) -> list:
    """Columns read from the sheet: `columns` (long) or id_columns (wide: value columns follow)."""
    return list(spec.id_columns if spec.is_wide else spec.columns)


def parse_xlsx(data: bytes, spec: SourceSpec) -> pl.DataFrame:
    opts = spec.options
    try:
        reader = fastexcel.read_excel(data)
    except fastexcel.FastExcelError as err:
        first = str(err).splitlines()[0]
        raise FileRejected([Problem("not_a_spreadsheet", f"the file cannot be opened as a spreadsheet ({first})")]) from None
    tables = opts.get("tables")
    if tables is not None and not (isinstance(tables, list) and tables and all(isinstance(t, dict) for t in tables)):
        raise SpecError(f"{spec.id}: options.tables must be a list of mappings "
                        "({sheet, header_row|header_rows, first_row, last_row, stop_at_blank, constants})")
    if tables is None:
        tables = [{k: opts[k] for k in ("sheet", "header_row", "header_rows", "first_row", "last_row", "stop_at_blank")
                   if k in opts}]
        where = "options."
    else:
        where = "options.tables[{}]."
    names = [c.name for c in _read_columns(spec)]
    parts, position = [], {}
    for i, table in enumerate(tables):
        part, columns = _read_table(reader, spec, table, where.format(i + 1))
        position = {**columns, **position}  # source_column: the first table's column of each header
        parts.append(part if spec.is_wide else part.select([ROW, *[n for n in names if n in part.columns]]))
    body = pl.concat(parts, how="diagonal_relaxed")
    if spec.is_wide:
        first = tables[0]  # problems of the headers are reported on the first table's (lowest) header row
        return unpivot_wide(body, spec, position, max(first.get("header_rows") or [first.get("header_row", 1)]))
    # calamine renders a date cell as "2020-01-02 00:00:00"; a date column wants the day only.
    dates = [c.name for c in spec.columns if c.type == "date"]
    body = body.with_columns(pl.col(dates).str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$", "$1"))
    typed = type_columns(body, list(spec.columns), spec.missing_values, spec.decimal, spec.markers)
    return typed.select([name for name, _ in spec.table_columns] + ["source_row"])
