"""The source registry: one YAML spec per source in `ingest/sources/`.

A spec says who published the data (for the catalogue and citations), which files belong to the
source, how to read them and which raw table receives them. Adding a source of a known format is
writing one spec: no Python.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import difflib
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import yaml
from pydantic import ValidationError

from ingest.catalogue import catalogue_codes
from ingest.markers import read_markers
from ingest.problems import SpecError
from ingest.spec_schema import SourceSpecModel, explain
from ingest.vocabulary import QUALIFIERS

SPEC_DIR = Path(__file__).resolve().parent / "sources"
COLUMN_TYPES = {"varchar", "integer", "bigint", "double", "date", "timestamp", "boolean"}
NUMERIC_TYPES = {"integer", "bigint", "double"}  # columns whose cells may hold a marker instead of a number
FORMATS = {"csv", "wide_csv", "ssb_statbank_csv", "jsonstat2", "xlsx", "csv_large"}
STREAMING_FORMATS = {"csv_large"}  # loaded by DuckDB directly (ingest/streaming.py), never held in Python
SUPERSEDE_RULES = {None, "by_file_name", "by_load_order"}  # SourceSpec.supersedes


@dataclass(frozen=True)
class Column:
    name: str           # header as published
    type: str
    target: str         # column name in the raw table
    required: bool = False
    format: str | None = None          # strptime format for date/timestamp columns
    missing: tuple[str, ...] = ()      # extra missing-value markers for this column only


@dataclass(frozen=True)
class SourceSpec:
    id: str
    title: str
    publisher: str
    citation: str
    licence: str
    url: str | None
    description: str | None
    format: str
    file_pattern: str
    target_table: str
    encoding: str
    delimiter: str
    decimal: str
    missing_values: tuple[str, ...]
    key: tuple[str, ...]
    columns: tuple[Column, ...] = ()
    id_columns: tuple[Column, ...] = ()
    value_columns: dict = field(default_factory=dict)
    # format-specific reading options (e.g. an XLSX sheet and header row, JSON-stat dimension names)
    options: dict = field(default_factory=dict)
    # how rows become harmonised observations (ingest/observations.py); empty when dbt maps them
    observations: tuple = ()
    # indicators this source introduces, for the catalogue (same columns as the indicators seed)
    indicators: tuple = ()
    # codes this source introduces (checked by ingest/spec_schema.py), for meta.declared_geographies
    # and meta.declared_substances, and so for dim_geography and dim_substance
    geographies: tuple = ()
    substances: tuple = ()
    label: str | None = None          # short citation printed under charts
    # "dimension" sources (code lists) load before the series that refer to their codes
    role: str = "series"
    # checks declared in the spec itself (same form as expectations/suites/ingest/*.yml)
    expectations: tuple = ()
    # what happens when a file repeats a key of another active file of this source (ingest/loader.py):
    # None rejects the file; "by_file_name" lets the file whose path sorts later win (dated
    # correction files); "by_load_order" lets the later load win
    supersedes: str | None = None
    # plausibility of dates and years (ingest/validation.py): {earliest_year, year_columns, future}
    plausible: dict = field(default_factory=dict)
    # columns whose values must be codes of a loaded code list: {column: fhi_locations}
    codes: dict = field(default_factory=dict)
    # cell texts that stand for a number not given, and how to read them (ingest/markers.py):
    # {"..": {"qualifier": "not_available"}, "<5": {"qualifier": "below", "value_high": 5}}
    markers: dict = field(default_factory=dict)
    # sha256 of what in the spec decides its rows (spec_fingerprint): a changed one reloads the files
    fingerprint: str = ""
    spec_path: Path | None = None

    DEFAULT_EARLIEST_YEAR = 1900  # a date or year before it is a typo unless the spec says otherwise

    @property
    def wide_series(self) -> tuple[str, ...]:
        """The value-column headers a wide file may have: value_columns.series, else every key of
        an observations map that reads the header column."""
        declared = self.value_columns.get("series")
        if declared:
            return tuple(str(s) for s in declared)
        header = self.value_columns.get("header_as")
        keys = []
        for block in self.observations:
            for form in block.values():
                if isinstance(form, dict) and form.get("column") == header and isinstance(form.get("map"), dict):
                    keys += [str(k) for k in form["map"]]
        return tuple(dict.fromkeys(keys))

    def matches(self, relative_path: str) -> bool:
        return fnmatch.fnmatch(relative_path, self.file_pattern)

    @property
    def is_wide(self) -> bool:
        """wide_csv, or a csv/xlsx spec with id_columns + value_columns instead of columns."""
        return self.format == "wide_csv" or (self.format in {"csv", "xlsx"} and bool(self.id_columns)
                                             and bool(self.value_columns) and not self.columns)

    @property
    def table_columns(self) -> list[tuple[str, str]]:
        """(name, type) of the raw table's own columns, before the lineage columns."""
        if self.is_wide:
            vc = self.value_columns
            extra = ([("flag", "varchar")] if vc.get("flags") else []) + (
                [("status", "varchar")] if vc.get("markers") else [])
            if self.markers:
                extra.append((f"{vc['value_as']}_marker", "varchar"))
            return [(c.target, c.type) for c in self.id_columns] + [
                (vc["header_as"], "varchar"),
                (vc["value_as"], vc["type"]),
                *extra,
                ("source_column", "integer"),
            ]
        if self.format == "ssb_statbank_csv":
            own = [(c.target, c.type) for c in self.columns]
            return own + [(name, "varchar") for name in self.ssb_marker_columns
                          if name not in dict(own)] + [("source_column", "integer")]
        return [(c.target, c.type) for c in self.columns] + [
            (f"{c.target}_marker", "varchar") for c in self.columns if self.markers and c.type in NUMERIC_TYPES]

    @property
    def ssb_marker_columns(self) -> list[str]:
        """The `<value>_marker` column of a Statistikkbanken source: the symbol printed in place of
        the number (`..`, `:`), which the observation mapping turns into a qualifier."""
        value_name = self.options.get("value_name", "value")
        return [f"{c.target}_marker" for c in self.columns if c.name == value_name]

    @property
    def produced_columns(self) -> list[str]:
        """Every column name a parsed file of this source has, so a spec's `where`, `expr` and
        `column:` can be checked against it before any file is read."""
        return [name for name, _ in self.table_columns] + ["source_row"]


def _columns(raw: list[dict], spec_path: Path) -> tuple[Column, ...]:
    out = []
    for item in raw:
        if "name" not in item or item.get("type") not in COLUMN_TYPES:
            raise SpecError(f"{spec_path.name}: column {item!r} needs a name and a type in {sorted(COLUMN_TYPES)}")
        out.append(Column(name=item["name"], type=item["type"], target=item.get("as", item["name"]),
                          required=bool(item.get("required", False)), format=item.get("format"),
                          missing=tuple(item.get("missing", []))))
    return tuple(out)


PLAUSIBLE_KEYS = {"earliest_year", "year_columns", "future"}


def _plausible(raw: dict, spec_path: Path) -> dict:
    """`plausible:` checked here, so that a typo in a spec fails loudly instead of checking nothing."""
    value = raw.get("plausible") or {}
    if not isinstance(value, dict) or set(value) - PLAUSIBLE_KEYS:
        raise SpecError(f"{spec_path.name}: plausible must be a mapping with keys among {sorted(PLAUSIBLE_KEYS)}, "
                        f"e.g. plausible: {{earliest_year: 1950}}")
    earliest = value.get("earliest_year")
    if earliest is not None and not (isinstance(earliest, int) and not isinstance(earliest, bool)
                                     and 1000 <= earliest <= 2100):
        raise SpecError(f"{spec_path.name}: plausible.earliest_year must be a year (an integer 1000..2100), "
                        f"not {earliest!r}")
    for key in ("year_columns", "future"):
        if key in value and not (isinstance(value[key], list) and all(isinstance(c, str) for c in value[key])):
            raise SpecError(f"{spec_path.name}: plausible.{key} must be a list of column names")
    return value


CODE_LISTS = {"fhi_locations"}  # code lists a spec's `codes:` may name (ingest/validation.py reads them)


def _codes(raw: dict, spec_path: Path) -> dict:
    value = raw.get("codes") or {}
    if not isinstance(value, dict) or any(v not in CODE_LISTS for v in value.values()):
        raise SpecError(f"{spec_path.name}: codes must map a column to a code list among {sorted(CODE_LISTS)}, "
                        "e.g. codes: {municipality_code: fhi_locations}")
    return {str(k): v for k, v in value.items()}


# Keys of a spec that say who published the data, not how its rows are read: editing them changes
# the catalogue (meta.sources is rewritten every run) but no row, so it must not reload every file.
DESCRIPTIVE_KEYS = frozenset({"title", "label", "publisher", "citation", "licence", "url", "description",
                              "indicators"})


def spec_fingerprint(raw: dict) -> str:
    """The sha256 of what in a spec decides the rows of its files: the parsed YAML without its
    descriptive keys, in a canonical form. Parsed rather than the file's bytes, so a comment or a
    re-indented line does not reload a source; everything that can change a row does."""
    reading = {k: v for k, v in raw.items() if k not in DESCRIPTIVE_KEYS}
    return hashlib.sha256(json.dumps(reading, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _read_yaml(spec_path: Path) -> dict:
    try:
        raw = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SpecError(f"{spec_path.name}: key (file): the spec is not UTF-8 text; save it as UTF-8",
                        spec_path, "(file)") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SpecError(f"{spec_path.name}: key (file): not valid YAML{where}: "
                        f"{getattr(err, 'problem', None) or err}", spec_path, "(file)") from None
    if not isinstance(raw, dict):
        raise SpecError(f"{spec_path.name}: key (top level): a spec is a mapping of keys (id: ..., format: ...), "
                        f"not {type(raw).__name__}", spec_path, "(top level)")
    return raw


def _validate_schema(raw: dict, spec_path: Path) -> None:
    """The schema (ingest/spec_schema.py) first: unknown keys and wrong types, with key paths."""
    try:
        SourceSpecModel.model_validate(raw)
    except ValidationError as err:
        mistakes = explain(err, spec_path.name)
        key, first = mistakes[0]
        more = f" (and {len(mistakes) - 1} more: " + "; ".join(f"{k}: {m}" for k, m in mistakes[1:4]) + ")" \
            if len(mistakes) > 1 else ""
        raise SpecError(f"{spec_path.name}: key {key}: {first}{more}", spec_path, key) from None
    try:
        codecs.lookup(raw.get("encoding", "utf-8"))
    except LookupError:
        raise SpecError(f"{spec_path.name}: key encoding: {raw['encoding']!r} is not an encoding Python knows; "
                        "write e.g. utf-8, iso-8859-1 or windows-1252", spec_path, "encoding") from None


def _sql_columns(text: str, where: str, spec_path: Path) -> set[str]:
    try:
        return set(pl.sql_expr(text).meta.root_names())
    except Exception as err:  # noqa: BLE001 - polars raises several kinds for bad SQL; all are the spec's fault
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise SpecError(f"{spec_path.name}: key {where}: the SQL cannot be read ({first}); write a polars SQL "
                        "expression over the file's columns, e.g. \"status is null\"", spec_path, where) from None


def _check_observation_columns(spec: SourceSpec, spec_path: Path) -> None:
    """Every column a block reads (column:, period columns, where, expr) is one the parser produces."""
    produced = set(spec.produced_columns)

    def need(names: set[str], where: str) -> None:
        missing = sorted(names - produced)
        if missing:
            close = difflib.get_close_matches(missing[0], sorted(produced), n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            raise SpecError(f"{spec_path.name}: key {where}: names column(s) {missing} that the parser does not "
                            f"produce{hint} (columns: {', '.join(sorted(produced))})", spec_path, where)

    for n, block in enumerate(spec.observations, start=1):
        base = f"observations[{n}]"
        if block.get("where"):
            need(_sql_columns(block["where"], f"{base}.where", spec_path), f"{base}.where")
        for name, form in block.items():
            if not isinstance(form, dict):
                continue
            if name == "period":
                need({form[k] for k in ("year", "quarter", "month", "week", "column", "start", "end") if form.get(k)},
                     f"{base}.period")
                if form.get("expr"):
                    need(_sql_columns(form["expr"], f"{base}.period.expr", spec_path), f"{base}.period.expr")
            elif "column" in form:
                need({form["column"]}, f"{base}.{name}.column")
                booleans = [k for k in (form.get("map") or {}) if isinstance(k, bool)]
                if booleans:  # YAML reads unquoted NO, no, yes, off as booleans ("the Norway problem")
                    raise SpecError(f"{spec_path.name}: key {base}.{name}.map: a key was read as {booleans[0]}: "
                                    "quote it (\"NO\")", spec_path, f"{base}.{name}.map")
            elif "expr" in form:
                need(_sql_columns(form["expr"], f"{base}.{name}.expr", spec_path), f"{base}.{name}.expr")
            elif name == "qualifier" and "value" in form and form["value"] not in QUALIFIERS:
                raise SpecError(f"{spec_path.name}: key {base}.qualifier.value: {form['value']!r} is not a qualifier; "
                                f"write one of {sorted(QUALIFIERS)}", spec_path, f"{base}.qualifier.value")


def _check_declared_codes(raw: dict, spec_path: Path) -> None:
    """A declared code must be new: one already in the catalogue would give two meanings to a code."""
    for key, table, field_name in (("geographies", "geographies", "code"), ("substances", "substances", "substance_id")):
        for n, item in enumerate(raw.get(key) or [], start=1):
            if item[field_name] in catalogue_codes(table):
                raise SpecError(f"{spec_path.name}: key {key}[{n}].{field_name}: {item[field_name]!r} is already in the "
                                f"catalogue (dbt_project/seeds/{table}.csv): use it in the observations without "
                                "declaring it, or give the new one its own code", spec_path, f"{key}[{n}].{field_name}")


def load_spec(spec_path: Path) -> SourceSpec:
    """The spec, checked: a SpecError names the spec file and the key path of the first mistake."""
    try:
        return _load_spec(spec_path)
    except SpecError as err:
        if err.spec_path is None:
            err.spec_path = spec_path
        raise


def _load_spec(spec_path: Path) -> SourceSpec:
    raw = _read_yaml(spec_path)
    _validate_schema(raw, spec_path)
    _check_declared_codes(raw, spec_path)
    needed = ["id", "title", "publisher", "citation", "licence", "format", "file_pattern", "target_table"]
    missing = [k for k in needed if not raw.get(k)]
    if missing:
        raise SpecError(f"{spec_path.name}: missing {', '.join(missing)}")
    # a declared indicator's definition feeds the catalogue analysts and the metadata headers read
    for ind in raw.get("indicators") or []:
        lacking = [k for k in ("indicator_id", "name_nb", "name_en", "unit", "definition_en") if not ind.get(k)]
        if lacking:
            raise SpecError(f"{spec_path.name}: indicator {ind.get('indicator_id', '?')} lacks {', '.join(lacking)}")
    if raw["format"] not in FORMATS:
        raise SpecError(f"{spec_path.name}: format {raw['format']!r} is not one of {sorted(FORMATS)}")
    if not raw["target_table"].startswith("raw."):
        raise SpecError(f"{spec_path.name}: target_table must be in the raw schema")
    spec = SourceSpec(
        id=raw["id"], title=raw["title"], publisher=raw["publisher"], citation=" ".join(raw["citation"].split()),
        licence=raw["licence"], url=raw.get("url"), description=raw.get("description"),
        format=raw["format"], file_pattern=raw["file_pattern"], target_table=raw["target_table"],
        encoding=raw.get("encoding", "utf-8"), delimiter=raw.get("delimiter", ","), decimal=raw.get("decimal", "."),
        missing_values=tuple(raw.get("missing_values", [""])), key=tuple(raw.get("key", [])),
        columns=_columns(raw.get("columns", []), spec_path), id_columns=_columns(raw.get("id_columns", []), spec_path),
        value_columns=raw.get("value_columns", {}), options=raw.get("options") or {},
        observations=tuple(raw.get("observations") or ()), indicators=tuple(raw.get("indicators") or ()),
        geographies=tuple(raw.get("geographies") or ()), substances=tuple(raw.get("substances") or ()),
        label=raw.get("label"), expectations=tuple(raw.get("expectations") or ()),
        role=raw.get("role", "series"), supersedes=raw.get("supersedes"),
        plausible=_plausible(raw, spec_path), codes=_codes(raw, spec_path),
        markers=read_markers(raw.get("markers"), raw["format"], f"{spec_path.name}: key markers"),
        fingerprint=spec_fingerprint(raw), spec_path=spec_path,
    )
    if not (spec.supersedes is None or (isinstance(spec.supersedes, str) and spec.supersedes in SUPERSEDE_RULES)):
        raise SpecError(f"{spec_path.name}: supersedes must be one of {sorted(r for r in SUPERSEDE_RULES if r)} "
                        f"(or left out to reject a file that repeats another file's key), not {spec.supersedes!r}")
    if spec.supersedes and not spec.key:
        raise SpecError(f"{spec_path.name}: supersedes needs a key: the columns that identify a row across files")
    if not spec.is_wide and not spec.columns:
        raise SpecError(f"{spec_path.name}: a {spec.format} source lists the columns it produces")
    if spec.format == "wide_csv" and not (spec.id_columns and spec.value_columns):
        raise SpecError(f"{spec_path.name}: a wide_csv source lists id_columns and value_columns")
    if spec.is_wide and not (spec.value_columns.get("headers") in ("year", "period") or spec.wide_series):
        raise SpecError(f"{spec_path.name}: a wide {spec.format} source says what its value columns are: "
                        "value_columns.headers: year (one column per year) or period (2017 Q1, 2019/20), "
                        "value_columns.series: [...] "
                        "(the headers it may have), or an observations map over value_columns.header_as")
    targets = [name for name, _ in spec.table_columns]
    named = {c.name for c in (*spec.columns, *spec.id_columns)} | set(targets)
    unknown = [c for c in [*spec.plausible.get("year_columns", []), *spec.plausible.get("future", []), *spec.codes]
               if c not in named]
    if unknown:
        raise SpecError(f"{spec_path.name}: plausible/codes name column(s) {unknown} that the source does not have")
    unknown_key = [k for k in spec.key if k not in targets]
    if unknown_key:
        raise SpecError(f"{spec_path.name}: key key: column(s) {unknown_key} are not columns of the source",
                        spec_path, "key")
    _check_observation_columns(spec, spec_path)
    return spec


def spec_dirs() -> list[Path]:
    """ingest/sources/, plus folders named in TRENDVAKT_EXTRA_SPECS (os.pathsep-separated): a
    site's own sources, or a test's, without touching the repository's specs."""
    extra = [Path(p) for p in os.environ.get("TRENDVAKT_EXTRA_SPECS", "").split(os.pathsep) if p]
    return [SPEC_DIR, *extra]


@dataclass(frozen=True)
class BrokenSpec:
    """A spec that did not pass its checks: what it said of itself where that could be read, so
    its files can be held back (not loaded, not counted as removed) and its source kept in the
    catalogue while someone fixes it."""
    spec_path: Path
    error: SpecError
    source_id: str | None = None
    file_pattern: str | None = None

    def matches(self, relative_path: str) -> bool:
        return bool(self.file_pattern) and fnmatch.fnmatch(relative_path, self.file_pattern)


def _broken(spec_path: Path, error: SpecError) -> BrokenSpec:
    try:
        raw = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - unreadable YAML: nothing more can be learnt from it
        raw = None
    raw = raw if isinstance(raw, dict) else {}
    text = lambda key: raw.get(key) if isinstance(raw.get(key), str) else None  # noqa: E731
    error.source_id = text("id")
    return BrokenSpec(spec_path, error, text("id"), text("file_pattern"))


def load_registry_report(spec_dir: Path | None = None) -> tuple[list[SourceSpec], list[BrokenSpec]]:
    """Every spec, checked one by one: the good ones, and the broken ones with their error. A
    source id used by two specs makes both broken (which one was meant cannot be told)."""
    dirs = [spec_dir] if spec_dir else spec_dirs()
    specs, broken = [], []
    for path in (p for d in dirs for p in sorted(d.glob("*.yml"))):
        try:
            specs.append(load_spec(path))
        except SpecError as err:
            broken.append(_broken(path, err))
    ids = [s.id for s in specs]
    for spec in [s for s in specs if ids.count(s.id) > 1]:
        others = [o.spec_path.name for o in specs if o.id == spec.id and o is not spec]
        err = SpecError(f"{spec.spec_path.name}: key id: source id {spec.id!r} is also used by {', '.join(others)}; "
                        "give each source its own id", spec.spec_path, "id")
        err.source_id = spec.id
        broken.append(BrokenSpec(spec.spec_path, err, spec.id, spec.file_pattern))
    specs = [s for s in specs if ids.count(s.id) == 1]
    return specs, broken


def load_registry(spec_dir: Path | None = None) -> list[SourceSpec]:
    """The specs, or the first spec error (for tools that need every spec to be right)."""
    specs, broken = load_registry_report(spec_dir)
    if broken:
        raise broken[0].error
    return specs


def source_for(relative_path: str, specs: list[SourceSpec]) -> SourceSpec | None:
    hits = [s for s in specs if s.matches(relative_path)]
    if len(hits) > 1:
        names = " and ".join(s.spec_path.name if s.spec_path else s.id for s in hits)
        raise SpecError(f"{names}: key file_pattern: both match {relative_path}; narrow one file_pattern so each "
                        "file has one source (the file is not loaded until then)", None, "file_pattern")
    return hits[0] if hits else None
