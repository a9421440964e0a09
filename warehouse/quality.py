"""Collecting every check of a build into meta.quality_results.

dbt's own tests are read back from its run_results.json; Great Expectations suites on the
published views are run on data frames read through a read-only connection.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb

from expectations.runner import SUITE_DIR, CheckResult, load_suite, validate
from warehouse.connection import open_readonly
from warehouse.meta_schema import ensure_meta, record_check


def _ref_name(text) -> str:
    """`ref('dim_indicator')` or `{{ get_where_subquery(ref('x')) }}` -> the model's name."""
    found = re.search(r"ref\(\s*['\"]([^'\"]+)['\"]", str(text or ""))
    return found.group(1) if found else str(text or "")


def _listed(values, lang: str) -> str:
    """Codes as codes: quoted, so a planner reads them as the values the data hold."""
    codes = [str(v) for v in (values if isinstance(values, (list, tuple)) else [values])]
    return ", ".join(f"«{c}»" for c in codes) if lang == "nb" else ", ".join(f"'{c}'" for c in codes)


# A generic test's rule in words, from its name and arguments in dbt's manifest (test_metadata):
# (English, Norwegian). Codes, columns and models keep their technical names; expressions and
# values are quoted (they are SQL and data, not prose).
_GENERIC: dict[str, tuple[str, str]] = {
    "not_null": ("Column {column} of {model} has a value in every row.",
                 "Kolonnen {column} i {model} har en verdi i hver rad."),
    "unique": ("Each value of column {column} in {model} occurs once.",
               "Hver verdi i kolonnen {column} i {model} forekommer bare én gang."),
    "accepted_values": ("Column {column} of {model} holds only the values {values}.",
                        "Kolonnen {column} i {model} har bare verdiene {values}."),
    "relationships": ("Every {column} of {model} exists as {field} in {to}.",
                      "Hver {column} i {model} finnes som {field} i {to}."),
    "expression_is_true": ("In {model}, the condition {expression} holds for every row.",
                           "I {model} gjelder betingelsen {expression} for hver rad."),
    "rows_satisfy": ("In {model}, the condition {expression} holds for every row.",
                     "I {model} gjelder betingelsen {expression} for hver rad."),
    "unique_combination": ("Each combination of {columns} in {model} occurs once.",
                           "Hver kombinasjon av {columns} i {model} forekommer bare én gang."),
    "composite_relationships": ("Every combination of {columns} in {model} exists as {fields} in {to}.",
                                "Hver kombinasjon av {columns} i {model} finnes som {fields} i {to}."),
    "listed_codes_exist": ("Every code listed in column {column} of {model} exists as {field} in {to}.",
                           "Hver kode som er listet i kolonnen {column} i {model}, finnes som {field} i {to}."),
    "share_between_0_and_100": ("Column {column} of {model} is a percentage between 0 and 100.",
                                "Kolonnen {column} i {model} er en prosentandel mellom 0 og 100."),
    "yes_within_respondents": ("In {model}, {column} is never larger than {respondents_column}.",
                               "I {model} er {column} aldri større enn {respondents_column}."),
    "bounds_consistent": ("In {model}, a value lies within its lower and upper bound.",
                          "I {model} ligger en verdi innenfor sin nedre og øvre grense."),
    "period_start_not_after_end": ("In {model}, a period does not start after it ends.",
                                   "I {model} begynner en periode ikke etter at den slutter."),
    "matches_declared_columns": ("{model} has exactly the columns its documentation declares.",
                                 "{model} har nøyaktig de kolonnene dokumentasjonen oppgir."),
    "superseded_after_vintage": ("In {model}, a row is replaced ({column}) only after its own version was published.",
                                 "I {model} erstattes en rad ({column}) først etter at dens egen versjon ble publisert."),
}


def _generic_note(metadata: dict, node: dict) -> tuple[str, str]:
    name = metadata.get("name") or "test"
    kwargs = dict(metadata.get("kwargs") or {})
    model = _ref_name(kwargs.get("model")) or (node.get("attached_node") or "").split(".")[-1]
    column = kwargs.get("column_name") or node.get("column_name") or ""

    def fill(template: str, lang: str) -> str:
        fields = {k: (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)) for k, v in kwargs.items()}
        fields.update(model=model, column=column, to=_ref_name(kwargs.get("to")),
                      values=_listed(kwargs.get("values") or [], lang))
        if "expression" in kwargs:
            fields["expression"] = f"«{kwargs['expression']}»" if lang == "nb" else f'"{kwargs["expression"]}"'
        try:
            return template.format(**fields)
        except (KeyError, IndexError):
            return ""

    en_template, nb_template = _GENERIC.get(name, ("", ""))
    where_en = f" on column {column} of {model}" if column else f" on {model}"
    where_nb = f" på kolonnen {column} i {model}" if column else f" på {model}"
    return (fill(en_template, "en") or f"The test {name}{where_en}.",
            fill(nb_template, "nb") or f"Testen {name}{where_nb} (uten norsk forklaring).")


def dbt_test_note(node: dict) -> tuple[str | None, str | None]:
    """The rule a dbt test checks in (English, Norwegian): a singular test's own meta note_en /
    note_nb (tests/_singular_tests.yml; its description stands in for note_en), a generic test's
    sentence from its name and arguments. dbt's own message ("Got 1 result, configured to warn if
    != 0") is not for planners and is not kept."""
    metadata = node.get("test_metadata")
    if metadata:
        return _generic_note(metadata, node)
    meta = {**(node.get("meta") or {}), **((node.get("config") or {}).get("meta") or {})}
    name = node.get("name") or node.get("unique_id", "test").split(".")[-1]
    en = " ".join(str(meta.get("note_en") or node.get("description") or "").split())
    nb = " ".join(str(meta.get("note_nb") or "").split())
    return (en or f"The check {name}.", nb or f"Kontrollen {name} (uten norsk forklaring).")


def _manifest_nodes(manifest_path: Path) -> dict:
    if not manifest_path.exists():
        return {}
    return json.loads(manifest_path.read_text(encoding="utf-8")).get("nodes", {})


_KIND_NB = {"model": "modellen", "seed": "kodelisten", "snapshot": "øyeblikksbildet", "unit_test": "enhetstesten"}


def dbt_results(run_results: Path, manifest_path: Path | None = None) -> list[dict]:
    """One row per dbt node that ran: tests keep their verdict, models and seeds their status.
    A test's details are the rule it checks, in both languages, from dbt's manifest (by default
    manifest.json beside run_results.json, where dbt writes both)."""
    if not run_results.exists():
        return []
    payload = json.loads(run_results.read_text(encoding="utf-8"))
    nodes = _manifest_nodes(manifest_path or run_results.with_name("manifest.json"))
    rows = []
    for r in payload.get("results", []):
        unique_id = r["unique_id"]
        kind = unique_id.split(".")[0]
        status = r["status"]  # pass / fail / warn / error / success / skipped
        # a node skipped because something upstream failed is not a failure of its own: counted
        # apart, so one failing test does not read as hundreds
        verdict = {"success": "pass", "pass": "pass", "warn": "warn", "skipped": "skipped"}.get(status, "fail")
        message = (r.get("message") or "")[:2000] or None
        name = unique_id.split(".")[-1]
        if kind == "test":
            details, details_nb = dbt_test_note(nodes.get(unique_id, {"unique_id": unique_id}))
        elif verdict == "fail":
            # a model that could not be built: dbt's error for whoever runs the build, words for planners
            details = f"dbt could not build the {kind} {name}: {message or 'no message'}"[:2000]
            details_nb = f"dbt kunne ikke bygge {_KIND_NB.get(kind, kind)} {name}; feilmeldingen står i byggeloggen."
        else:
            details, details_nb = message, None
        rows.append({
            "check_name": unique_id,
            "target": kind,
            "severity": "warning" if status == "warn" else "error",
            "status": verdict,
            "failures": r.get("failures") or (0 if verdict in ("pass", "skipped") else 1),
            "details": details,
            "details_nb": details_nb,
        })
    return rows


def record(con: duckdb.DuckDBPyConnection, run_id: str, layer: str, rows: list[dict]) -> None:
    # an older build file gets meta.quality_notes here too (a build without ingest)
    ensure_meta(con)
    now = dt.datetime.now().replace(microsecond=0)
    for r in rows:
        record_check(con, run_id, None, layer, r["check_name"], r["target"], r["severity"], r["status"],
                     r["failures"], r["details"], now, details_nb=r.get("details_nb"),
                     source_rows=r.get("source_rows") or (), sample_values=r.get("sample_values") or ())


def mart_suites() -> list[str]:
    return sorted(p.stem for p in (SUITE_DIR / "marts").glob("*.yml"))


def run_mart_suites(db: Path) -> list[dict]:
    """Validate each published view named by a suite in expectations/suites/marts/."""
    rows = []
    for name in mart_suites():
        suite = load_suite("marts", name)
        con = open_readonly(db)
        try:
            frame = con.sql(f"select * from {suite['table']}").pl()
        finally:
            con.close()
        results: list[CheckResult] = validate(frame, suite)
        for r in results:
            rows.append({
                "check_name": r.check_name, "target": suite["table"], "severity": r.severity,
                "status": r.status, "failures": r.failures, "details": r.why, "details_nb": r.why_nb,
                # the values found, apart from the words: the app lists them in either language
                "sample_values": r.values if not r.success else (),
            })
    return rows


def failure_lineage(manifest_path: Path, unique_id: str) -> tuple[str | None, list[str]]:
    """The model a dbt test checks and the raw tables it is built from, from dbt's manifest: a
    failing test is then reported with the sources (and so the specs) a person has to look at."""
    if not manifest_path.exists():
        return None, []
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes, sources = manifest.get("nodes", {}), manifest.get("sources", {})
    node = nodes.get(unique_id, {})
    model = node.get("attached_node") or next(
        (n for n in node.get("depends_on", {}).get("nodes", []) if n.startswith("model.")), None)
    tables, seen, todo = set(), set(), [model or unique_id]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in sources:
            src = sources[current]
            tables.add(f"{src.get('schema')}.{src.get('identifier') or src.get('name')}")
            continue
        todo += nodes.get(current, {}).get("depends_on", {}).get("nodes", [])
    return (model.split(".")[-1] if model else None), sorted(tables)

