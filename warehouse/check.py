"""`make check`: a short quality report of the published warehouse.

Reads only the published file (read-only), so it can run while planners browse.
"""
from __future__ import annotations

import sys

from warehouse.connection import open_readonly
from warehouse.paths import resolve_paths

LATEST_BUILD = """
    select layer, status, count(*) as checks, cast(sum(failures) as bigint) as failing_rows
    from meta.quality_results
    where run_id = (select max(run_id) from meta.quality_results where layer in ('dbt', 'marts'))
    group by all order by layer, status
"""
NOT_PASSING = """
    select layer, status, check_name, target, failures, details
    from meta.quality_results
    where status <> 'pass'
      and (run_id = (select max(run_id) from meta.quality_results where layer in ('dbt', 'marts'))
           or (layer = 'ingest' and load_id in (select last_load_id from meta.file_registry where status = 'loaded')))
    order by layer, status, check_name
"""
FILES = """
    select source_id, source_file, status, last_seen from meta.file_registry
    qualify row_number() over (partition by source_file order by last_seen desc) = 1
    order by source_id, source_file
"""


def main() -> int:
    paths = resolve_paths()
    if not paths.published_db.exists():
        print(f"no published warehouse at {paths.published_db}: run make build", file=sys.stderr)
        return 2
    con = open_readonly(paths.published_db)
    try:
        print("Files (latest state of each):")
        for source_id, source_file, status, last_seen in con.sql(FILES).fetchall():
            print(f"  {status:9} {source_id or '-':20} {source_file}  (seen {last_seen})")
        print("\nChecks of the latest build:")
        summary = con.sql(LATEST_BUILD).fetchall()
        for layer, status, checks, failing in summary:
            print(f"  {layer:7} {status:5} {checks:4} checks  ({failing or 0} failing rows)")
        problems = con.sql(NOT_PASSING).fetchall()
        if problems:
            print("\nNot passing:")
            for layer, status, name, target, failures, details in problems:
                print(f"  [{layer}/{status}] {name} on {target}: {failures} row(s). {(details or '')[:200]}")
        failed = sum(1 for p in problems if p[1] == "fail")
        print(f"\n{failed} failing checks, {len(problems) - failed} warnings")
        return 1 if failed else 0
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(main())
