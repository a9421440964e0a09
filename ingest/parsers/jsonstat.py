"""JSON-stat 2.0 datasets, as SSB's PxWeb API and FHI's statistics API answer.

A dataset is a cube: `id` names the dimensions, `size` their lengths, and `value` is the flat cube
in row-major order (the last dimension varies fastest). It is turned long at ingest: one row per
cell, with each dimension's code and label, the value and the publisher's status marker. The cell's
flat index + 1 is its `source_row`, so a number can be found again in the file.

A malformed document is reported with the JSON path of what is wrong (in Problem.column).
"""
from __future__ import annotations

import json
import math

import polars as pl

from ingest.parsers.ssb_statbank import MARKERS
from ingest.parsers.text_table import MAX_PROBLEMS, ROW, type_columns
from ingest.problems import FileRejected, Problem, SpecError
from ingest.registry import SourceSpec
from ingest.validation import INTEGER_RANGE, out_of_range_reason


def _reject(path: str, reason: str, value: object = None) -> FileRejected:
    shown = None if value is None else json.dumps(value, ensure_ascii=False)[:80]
    return FileRejected([Problem("invalid_jsonstat", reason, column=path, value=shown)])


def _load(data: bytes) -> dict:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        reason = f"JSON must be UTF-8 (bad byte at offset {err.start})"
        raise FileRejected([Problem("wrong_encoding", reason)]) from None
    except json.JSONDecodeError as err:
        raise FileRejected([Problem("not_json", f"the file is not JSON: {err.msg} (line {err.lineno}, "
                                    f"character {err.colno})", row=err.lineno)]) from None
    if not isinstance(doc, dict) or doc.get("class") != "dataset":
        found = f"keys {', '.join(list(doc)[:8])}" if isinstance(doc, dict) else f"a JSON {type(doc).__name__}"
        raise _reject("$.class", f"expected a JSON-stat 2.0 dataset (\"class\": \"dataset\"), found {found}",
                      doc.get("class") if isinstance(doc, dict) else None)
    return doc


def _categories(doc: dict, dim: str) -> tuple[list[str], list[str]]:
    """The codes of a dimension in cube order, and their labels."""
    path = f"$.dimension.{dim}"
    entry = doc.get("dimension", {}).get(dim) if isinstance(doc.get("dimension"), dict) else None
    if not isinstance(entry, dict) or not isinstance(entry.get("category"), dict):
        raise _reject(path, f"dimension '{dim}' is listed in `id` but not described under `dimension`")
    category = entry["category"]
    index = category.get("index")
    labels = category.get("label") or {}
    if not isinstance(labels, dict):
        raise _reject(f"{path}.category.label", "expected an object {code: label}", labels)
    if index is None and len(labels) == 1:
        index = list(labels)  # JSON-stat lets a single-category dimension omit its index
    if isinstance(index, dict):
        positions = list(index.values())
        if not all(isinstance(p, int) for p in positions) or sorted(positions) != list(range(len(index))):
            raise _reject(f"{path}.category.index", "index positions must be 0..n-1, each once", index)
        index = sorted(index, key=index.__getitem__)
    if not isinstance(index, list) or not all(isinstance(c, str) for c in index):
        raise _reject(f"{path}.category.index", "expected an object {code: position} or an array of codes", index)
    return index, [str(labels.get(code, code)) for code in index]


def _cells(doc: dict, key: str, n: int, ok) -> list:
    """`value` or `status` as a dense list of n cells; arrays, sparse objects and (status) one string."""
    raw = doc.get(key)
    if raw is None and key == "status":
        return [None] * n
    if key == "status" and isinstance(raw, str):
        return [raw] * n  # one status for the whole cube
    if key == "status" and isinstance(raw, list) and len(raw) == 1:
        return raw * n
    if isinstance(raw, list):
        if len(raw) != n:
            raise _reject(f"$.{key}", f"`{key}` has {len(raw)} cells, the product of `size` is {n}")
        cells = raw
    elif isinstance(raw, dict):
        cells = [None] * n
        for k, v in raw.items():
            if not (k.isdigit() and int(k) < n):
                raise _reject(f"$.{key}[\"{k}\"]", f"a sparse `{key}` key must be a cell index below {n}")
            cells[int(k)] = v
    else:
        raise _reject(f"$.{key}", f"`{key}` must be an array or an object {{index: {key}}}", raw)
    bad = [i for i, v in enumerate(cells) if v is not None and not ok(v)]
    if bad:
        what = "a finite number or null" if key == "value" else "a string or null"
        raise FileRejected([Problem("invalid_jsonstat", f"not a valid `{key}` cell ({what})", column=f"$.{key}[{i}]",
                                    value=json.dumps(cells[i], ensure_ascii=False)[:80]) for i in bad[:MAX_PROBLEMS]])
    return cells


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def parse_jsonstat(data: bytes, spec: SourceSpec) -> pl.DataFrame:
    doc = _load(data)
    ids, sizes = doc.get("id"), doc.get("size")
    if not (isinstance(ids, list) and ids and all(isinstance(d, str) for d in ids)):
        raise _reject("$.id", "expected an array of dimension ids", ids)
    counts = isinstance(sizes, list) and all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes)
    if not (counts and len(sizes) == len(ids)):
        raise _reject("$.size", f"expected {len(ids)} dimension sizes, one per id", sizes)
    dims = {dim: _categories(doc, dim) for dim in ids}
    for i, dim in enumerate(ids):
        if len(dims[dim][0]) != sizes[i]:
            raise _reject(f"$.dimension.{dim}.category.index",
                          f"dimension '{dim}' has {len(dims[dim][0])} categories, `size` says {sizes[i]}")
    n = math.prod(sizes)
    values = _cells(doc, "value", n, _is_number)
    statuses = _cells(doc, "status", n, lambda v: isinstance(v, str))

    names = spec.options.get("names") or {}
    flat = pl.int_range(0, n, dtype=pl.Int64, eager=True)
    columns: dict[str, pl.Series] = {}
    stride = n
    for dim, size in zip(ids, sizes):
        # row-major: position along a dimension = (flat index // product of later sizes) % size
        stride //= size
        position = (flat // stride) % size
        codes, labels = dims[dim]
        name = names.get(dim, dim)
        columns[name] = pl.Series(codes, dtype=pl.String).gather(position)
        columns[f"{name}_label"] = pl.Series(labels, dtype=pl.String).gather(position)
    value_name = spec.options.get("value_name", "value")
    status_name = spec.options.get("status_name", "status")
    # Unknown markers are kept verbatim: dropping them would hide a publisher's note on a cell.
    columns[status_name] = pl.Series(statuses, dtype=pl.String).replace(MARKERS)
    frame = pl.DataFrame({ROW: flat + 1, **columns})

    unknown = [c.name for c in spec.columns if c.name not in [*columns, value_name]]
    if unknown:
        # the document decides which dimensions exist: one missing is a problem of the file
        raise FileRejected([Problem("missing_column", f"the dataset has no dimension '{name}' that the spec "
                                    f"reads (dimensions: {', '.join(ids)}; rename dimensions with options.names)",
                                    column=name) for name in unknown])
    text_cols = [c for c in spec.columns if c.name != value_name]
    typed = type_columns(frame, text_cols, spec.missing_values, ".", spec.markers)
    value_col = next((c for c in spec.columns if c.name == value_name), None)
    if value_col is not None:
        typed = typed.with_columns(_typed_values(values, value_col.type, spec.id).alias(value_col.target))
        if spec.markers:
            # JSON-stat prints the symbol in `status`, beside a null value: a symbol among the spec's
            # markers is the value's marker, so the mapping can say what the empty cell means
            raw_status = pl.Series(statuses, dtype=pl.String).str.strip_chars()
            typed = typed.with_columns(pl.when(raw_status.is_in(list(spec.markers)) & typed[value_col.target].is_null())
                                       .then(raw_status).otherwise(None).alias(f"{value_col.target}_marker"))
    return typed.select([name for name, _ in spec.table_columns] + ["source_row"])


def _typed_values(values: list, kind: str, spec_id: str) -> pl.Series:
    as_float = pl.Series(values, dtype=pl.Float64, strict=False)
    if kind == "double":
        return as_float
    if kind not in ("integer", "bigint"):
        raise SpecError(f"{spec_id}: a JSON-stat value column is double or integer, not {kind}")
    # a cast to integer would silently truncate 12.5 to 12
    fractional = (as_float != as_float.floor()).fill_null(False).arg_true().head(MAX_PROBLEMS)
    if fractional.len():
        raise FileRejected([Problem("wrong_type", "expected a whole number", row=int(i) + 1,
                                    column=f"$.value[{i}]", value=str(values[i])) for i in fractional])
    low, high = INTEGER_RANGE[kind]
    outside = ((as_float < low) | (as_float >= high + 1)).fill_null(False).arg_true().head(MAX_PROBLEMS)
    if outside.len():
        raise FileRejected([Problem("integer_out_of_range", out_of_range_reason(kind), row=int(i) + 1,
                                    column=f"$.value[{i}]", value=str(values[i])) for i in outside])
    return as_float.cast(pl.Int64)
