"""Documentation and test coverage of the marts and publish columns, from the dbt manifest.

    python -m warehouse.coverage [--missing-only]

Reads <warehouse_dir>/dbt_target/manifest.json (written by `python -m warehouse.build`) and
prints, for every model in the marts and publish layers, each column with whether it has a
description and how many dbt tests are attached to it (generic tests declared on the column,
e.g. not_null, accepted_values, expression_is_true). Columns are the ones declared in YAML plus,
when a built database is at hand, the ones the table or view really has (a column that exists but
is not declared counts as undocumented and untested). Exits 1 when any column of a marts model
lacks a description or a test (publish columns are reported, not enforced), 2 without a manifest.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from warehouse.paths import Paths, resolve_paths

LAYERS = ("marts", "publish")
ENFORCED = ("marts",)


def load_manifest(paths: Paths) -> dict:
    return json.loads((paths.warehouse_dir / "dbt_target" / "manifest.json").read_text(encoding="utf-8"))


def _layer(node: dict) -> str | None:
    path = node.get("original_file_path", "")
    for layer in LAYERS:
        if path.startswith(f"models/{layer}/"):
            return layer
    return None


def _database_columns(paths: Paths) -> dict[tuple[str, str], list[str]] | None:
    """(schema, relation name) -> columns in order, from the build (else the published) database."""
    for db in (paths.build_db, paths.published_db):
        if not db.exists():
            continue
        try:
            import duckdb
            con = duckdb.connect(str(db), read_only=True)
        except Exception:  # locked by a running build, or unreadable: fall back to the manifest
            continue
        try:
            rows = con.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where table_schema in ('marts', 'publish') order by table_schema, table_name, ordinal_position"
            ).fetchall()
        finally:
            con.close()
        out: dict[tuple[str, str], list[str]] = defaultdict(list)
        for schema, table, column in rows:
            out[(schema, table)].append(column.lower())
        return out
    return None


def coverage(manifest: dict, db_columns: dict | None = None) -> list[dict]:
    """One row per (model, column): layer, model, column, described, n_tests, declared, in_database."""
    tests_by_column: dict[tuple[str, str], int] = defaultdict(int)
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        column = node.get("column_name")
        attached = node.get("attached_node") or next(iter(node.get("depends_on", {}).get("nodes", [])), None)
        if column and attached:
            tests_by_column[(attached, column.lower())] += 1
    rows = []
    for uid, node in sorted(manifest["nodes"].items(), key=lambda kv: kv[1].get("original_file_path", "")):
        if node["resource_type"] != "model":
            continue
        layer = _layer(node)
        if layer is None:
            continue
        relation = node.get("alias") or node["name"]
        declared = {name.lower(): col for name, col in node.get("columns", {}).items()}
        actual = (db_columns or {}).get((node.get("schema"), relation))
        names = list(actual) if actual else []
        names += [n for n in declared if n not in names]
        for name in names:
            col = declared.get(name)
            rows.append({
                "layer": layer, "model": node["name"], "relation": f"{node.get('schema')}.{relation}",
                "column": name,
                "described": bool(col and (col.get("description") or "").strip()),
                "n_tests": tests_by_column.get((uid, name), 0),
                "declared": col is not None,
                "in_database": None if actual is None else name in actual,
            })
    return rows


def report(rows: list[dict], missing_only: bool = False, out=sys.stdout) -> int:
    by_model: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_model[r["relation"]].append(r)
    failing = [r for r in rows if r["layer"] in ENFORCED and not (r["described"] and r["n_tests"])]
    for relation, cols in by_model.items():
        shown = [c for c in cols if not (c["described"] and c["n_tests"])] if missing_only else cols
        if not shown:
            continue
        ok = sum(1 for c in cols if c["described"] and c["n_tests"])
        print(f"{relation} ({cols[0]['model']}): {ok}/{len(cols)} columns described and tested", file=out)
        for c in shown:
            flags = []
            if not c["described"]:
                flags.append("no description")
            if not c["n_tests"]:
                flags.append("no test")
            if not c["declared"]:
                flags.append("not declared in YAML")
            if c["in_database"] is False:
                flags.append("declared but not in the database")
            mark = "ok " if c["described"] and c["n_tests"] else "-- "
            print(f"  {mark} {c['column']:<34} description={'yes' if c['described'] else 'no ':<3} "
                  f"tests={c['n_tests']:<2} {'; '.join(flags)}", file=out)
    for layer in LAYERS:
        layer_rows = [r for r in rows if r["layer"] == layer]
        full = sum(1 for r in layer_rows if r["described"] and r["n_tests"])
        print(f"{layer}: {full}/{len(layer_rows)} columns described and tested", file=out)
    if failing:
        print(f"FAIL: {len(failing)} marts column(s) lack a description or a test:", file=out)
        for r in failing:
            what = " and ".join(w for w, bad in (("description", not r["described"]), ("test", not r["n_tests"])) if bad)
            print(f"  {r['relation']}.{r['column']}: no {what}", file=out)
        return 1
    print("marts: full coverage", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missing-only", action="store_true", help="list only columns that lack something")
    args = parser.parse_args(argv)
    paths = resolve_paths()
    try:
        manifest = load_manifest(paths)
    except FileNotFoundError:
        print(f"no dbt manifest under {paths.warehouse_dir / 'dbt_target'}: run python -m warehouse.build first",
              file=sys.stderr)
        return 2
    return report(coverage(manifest, _database_columns(paths)), missing_only=args.missing_only)


if __name__ == "__main__":
    sys.exit(main())
