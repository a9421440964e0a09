"""XLSX (and XLS/ODS) sheets, read with calamine through fastexcel.

Every cell is read as text and typed afterwards with the rules of the text parsers, so a bad cell
is reported with its spreadsheet row and column header instead of a whole-column type guess
(calamine would silently turn a mostly empty number column into text). `source_row` is the row
number Excel shows.
"""
from __future__ import annotations

import fastexcel
import polars as pl

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


def parse_xlsx(data: bytes, spec: SourceSpec) -> pl.DataFrame:
    opts = spec.options
    header_row = int(opts.get("header_row", 1))
    last_row = opts.get("last_row")
    if header_row < 1 or (last_row is not None and int(last_row) <= header_row):
        raise SpecError(f"{spec.id}: options.header_row must be >= 1 and options.last_row below it")
    try:
        reader = fastexcel.read_excel(data)
    except fastexcel.FastExcelError as err:
        first = str(err).splitlines()[0]
        raise FileRejected([Problem("not_a_spreadsheet", f"the file cannot be opened as a spreadsheet ({first})")]) from None
    sheet = _sheet(reader, opts.get("sheet", 1))
    try:
        # header_row=None with skip_rows=0 keeps the leading empty rows, so frame row i is sheet row i + 1
        # (with a header_row, fastexcel counts from the first non-empty row in some cases).
        loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string",
                                   use_columns=opts.get("range"), n_rows=None if last_row is None else int(last_row))
        grid = loaded.to_polars()
    except fastexcel.FastExcelError as err:
        first = str(err).splitlines()[0]
        raise FileRejected([Problem("unreadable_sheet", f"sheet {sheet!r} cannot be read with range "
                                    f"{opts.get('range')!r}: {first}", value=sheet)]) from None
    if grid.height < header_row:
        raise FileRejected([Problem("missing_header", f"sheet {sheet!r} ends before header row {header_row}",
                                    row=header_row)])

    headers = [("" if h is None else str(h).strip()) for h in grid.row(header_row - 1)]
    problems = []
    for column in spec.columns:
        hits = headers.count(column.name)
        if hits != 1:
            found = ", ".join(h for h in headers if h)
            reason = (f"expected column '{column.name}' is not in the header (found: {found})" if hits == 0
                      else f"column '{column.name}' appears {hits} times in the header")
            problems.append(Problem("missing_column" if hits == 0 else "duplicate_column", reason,
                                    row=header_row, column=column.name))
    if problems:
        raise FileRejected(problems)

    wanted = [c.name for c in spec.columns]
    body = (grid.slice(header_row)
            .select([pl.col(grid.columns[headers.index(name)]).alias(name) for name in wanted])
            .with_row_index(ROW, offset=header_row + 1)
            .with_columns(pl.col(ROW).cast(pl.Int64)))
    # Rows with no cell in any wanted column are layout (spacing, a total further down), not records.
    body = body.filter(pl.any_horizontal(pl.col(wanted).is_not_null()))
    # calamine renders a date cell as "2020-01-02 00:00:00"; a date column wants the day only.
    dates = [c.name for c in spec.columns if c.type == "date"]
    body = body.with_columns(pl.col(dates).str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$", "$1"))
    typed = type_columns(body, list(spec.columns), spec.missing_values, spec.decimal, spec.markers)
    return typed.select([name for name, _ in spec.table_columns] + ["source_row"])
