"""Nothing bad gets in, nothing good is lost: files across their life in data/raw.

One real pipeline (ingest, dbt build, publish; nothing mocked) over a copy of the bundled data,
driven through four steps that share two dbt builds:

1. next to the bundled files: a second Tempe file repeating an incident of the first (rejected,
   naming both files); a spec-only source whose dated correction file supersedes one number of
   the earlier file (`supersedes: by_file_name`); a file of the same source that spells a place
   two ways (loads, but the build goes red); a streamed source with a file named `callouts[4].csv`
   beside `callouts4.csv`; a symbolic link out of data/raw, a folder named like a file, a
   non-UTF-8 name, a named pipe, a link loop, a broken link and an empty file (each refused).
2. the file that made the build red is removed: the next build is green and its rows leave the
   current marts, while meta and the as-of view keep its history.
3. the correction file is removed: the earlier file's number counts again (ingest only).
4. the correction file is put back: it loads again and supersedes again (ingest only).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DATA_RAW, REPO, pipeline_env, run_step

pytestmark = pytest.mark.integration

EMS = "tempe_ems/tempe_az_opioid_ems_calls_2017_2024.csv"
EMS_EXTRA = "tempe_ems/tempe_opioid_ems_calls_2024_update.csv"
EARLIER = "lifecycle_deaths/2022-06-01_deaths.csv"
CORRECTION = "lifecycle_deaths/2022-09-01_correction.csv"
SPELLED_TWICE = "lifecycle_deaths/2023-01-01_deaths_2016.csv"
PLAIN = "lifecycle_counts/callouts4.csv"
GLOBBY = "lifecycle_counts/callouts[4].csv"
OUTSIDE_LINK = "tempe_ems/opioid_calls_shared.csv"
FOLDER = "korus_rapid_survey/survey_rounds_2022.csv"
NON_UTF8 = b"tempe_ems/opioid_calls_caf\xe9.csv"
NON_UTF8_SHOWN = "tempe_ems/opioid_calls_caf\\xe9.csv"
PIPE = "tempe_ems/live_feed.csv"
LOOP = "tempe_ems/loop.csv"
BROKEN = "tempe_ems/moved_away.csv"
EMPTY = "tempe_ems/empty_export.csv"
# a file in no source's folder: refused, and once removed it must not keep the build red through
# the data-quality view (publish.load_status), which only knows files of registered sources
STRAY = "callouts_export_copy.csv"
REFUSED = [EMS_EXTRA, OUTSIDE_LINK, FOLDER, NON_UTF8, PIPE, LOOP, BROKEN, EMPTY, STRAY]

DEATHS_SPEC = """
id: lifecycle_deaths
title: Drug-related deaths in Scotland, in dated files (test source)
label: NRS, dated files (test)
publisher: National Records of Scotland
citation: National Records of Scotland, drug-related deaths, as dated files with a correction.
licence: Open Government Licence v3.0
description: Annual drug-related deaths in Scotland, first published, then corrected by a later file.
format: csv
file_pattern: "lifecycle_deaths/*.csv"
target_table: raw.lifecycle_deaths__deaths
key: [area, year]
supersedes: by_file_name
columns:
  - {name: area, type: varchar, required: true}
  - {name: year, type: integer, required: true}
  - {name: deaths, type: integer, required: true}
indicators:
  - indicator_id: lifecycle_drug_deaths
    name_nb: Narkotikarelaterte dødsfall (datofiler)
    name_en: Drug-related deaths (dated files)
    unit: deaths
    definition_en: Drug-related deaths registered in the year (NRS definition), from dated files.
observations:
  - indicator: {value: lifecycle_drug_deaths}
    geography: {column: area, map: {Scotland: nation_sco, Skottland: nation_sco}}
    period: {type: year, year: year}
    value: {column: deaths}
    unit: {value: deaths}
"""

COUNTS_SPEC = """
id: lifecycle_counts
title: Callouts per area, streamed (test source)
publisher: Test publisher
citation: Test data for file names DuckDB could read as a pattern.
licence: CC0
description: Callouts per area and year.
format: csv_large
file_pattern: "lifecycle_counts/*.csv"
target_table: raw.lifecycle_counts__callouts
key: [area, year]
columns:
  - {name: area, type: varchar, required: true}
  - {name: year, type: integer, required: true}
  - {name: callouts, type: integer, required: true}
"""

# NRS drug-related deaths; the first file has 2019 as first published (1264, made up for the
# test), the correction gives the published 1280.
EARLIER_CSV = "area,year,deaths\nScotland,2017,934\nScotland,2018,1187\nScotland,2019,1264\nScotland,2020,1339\nScotland,2021,1330\n"
CORRECTION_CSV = "area,year,deaths\nScotland,2019,1280\n"
# the same number twice under two spellings of Scotland: two keys for ingest, one observation
# for the marts, so the fact's uniqueness test fails the build
SPELLED_TWICE_CSV = "area,year,deaths\nScotland,2016,867\nSkottland,2016,867\n"


def ems_lines() -> list[str]:
    return (DATA_RAW / EMS).read_text(encoding="utf-8").split("\n")


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def populate(data: Path, outside: Path) -> None:
    shutil.copytree(DATA_RAW, data)
    lines = ems_lines()
    # line 2: an incident of the first file again (OBJECTID is the third column); line 3: a new one
    new_incident = lines[2].split(",")
    new_incident[2] = "99999"
    (data / EMS_EXTRA).write_text("\n".join([lines[0], lines[4], ",".join(new_incident)]) + "\n", encoding="utf-8")
    (data / "lifecycle_deaths").mkdir()
    (data / EARLIER).write_text(EARLIER_CSV, encoding="utf-8")
    (data / CORRECTION).write_text(CORRECTION_CSV, encoding="utf-8")
    (data / SPELLED_TWICE).write_text(SPELLED_TWICE_CSV, encoding="utf-8")
    (data / "lifecycle_counts").mkdir()
    (data / PLAIN).write_text("area,year,callouts\nBergen,2020,10\nBergen,2021,11\n", encoding="utf-8")
    (data / GLOBBY).write_text("area,year,callouts\nOslo,2020,40\nOslo,2021,41\nOslo,2022,42\n", encoding="utf-8")
    outside.mkdir()
    shutil.copyfile(DATA_RAW / EMS, outside / "calls.csv")
    os.symlink(outside / "calls.csv", data / OUTSIDE_LINK)
    (data / FOLDER).mkdir()
    (data / FOLDER / "part1.csv").write_text((DATA_RAW / "korus_rapid_survey/survey_rounds_korus_2021.csv").read_text())
    with open(os.fsencode(data) + b"/" + NON_UTF8, "wb") as fh:
        fh.write("\n".join(lines[:1] + lines[5:7]).encode("utf-8") + b"\n")
    os.mkfifo(data / PIPE)  # nothing ever writes: a reader would wait forever
    os.symlink("loop.csv", data / LOOP)
    os.symlink("exported_elsewhere.csv", data / BROKEN)
    (data / EMPTY).write_bytes(b"")
    shutil.copyfile(DATA_RAW / EMS, data / STRAY)


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("lifecycle")
    data = root / "raw"
    populate(data, root / "outside")
    specs = root / "specs"
    specs.mkdir()
    (specs / "lifecycle_deaths.yml").write_text(DEATHS_SPEC, encoding="utf-8")
    (specs / "lifecycle_counts.yml").write_text(COUNTS_SPEC, encoding="utf-8")
    env = pipeline_env(root / "wh", data)
    env["TRENDVAKT_EXTRA_SPECS"] = str(specs)
    build_db, published = root / "wh" / "build.duckdb", root / "wh" / "warehouse.duckdb"
    out: dict = {"root": root, "data": data, "build_db": build_db, "published": published}

    out["ingest1"] = run_step("ingest", env)

    # the refused entries are cleared away (the build stops while ingest rejects a file); the file
    # that spells a place twice loaded, so the build itself must catch it
    for relative in REFUSED:
        path = data / relative if isinstance(relative, str) else Path(os.fsdecode(os.fsencode(data) + b"/" + relative))
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink(missing_ok=True)
    out["ingest2"] = run_step("ingest", env)
    out["build1"] = run_step("warehouse.build", env)
    out["published_after_red_build"] = published.exists()

    (data / SPELLED_TWICE).unlink()
    out["ingest3"] = run_step("ingest", env)
    out["build2"] = run_step("warehouse.build", env)
    superseded = "select source_file, source_row, key_values, superseded_by_file, superseded_by_row, rule " \
                 "from meta.superseded_rows where source_id = 'lifecycle_deaths' order by all"
    out["superseded_built"] = query(build_db, superseded)

    (data / CORRECTION).unlink()
    out["ingest4"] = run_step("ingest", env)
    out["superseded_removed"] = query(build_db, superseded)

    (data / CORRECTION).write_text(CORRECTION_CSV, encoding="utf-8")
    out["ingest5"] = run_step("ingest", env)
    out["superseded_back"] = query(build_db, superseded)
    return out


def line_about(stdout: str, relative: str) -> str:
    """The one line of ingest's output that gives this file's reason."""
    hits = [line.strip() for line in stdout.splitlines() if line.strip().startswith(f"- {relative}")]
    assert len(hits) == 1, (relative, stdout[-3000:])
    return hits[0]


# ---- step 1: what may not get in --------------------------------------------------------------


def test_the_first_run_reports_the_refused_files_and_exits_nonzero_without_traceback(lifecycle):
    ingest = lifecycle["ingest1"]
    assert ingest.returncode == 1, ingest.stdout[-3000:] + ingest.stderr[-3000:]
    assert "Traceback" not in ingest.stdout + ingest.stderr
    for relative in (EMS, EARLIER, CORRECTION, SPELLED_TWICE, PLAIN, GLOBBY):
        assert any(line.startswith(f"[") and f"] {relative}: loaded" in line
                   for line in ingest.stdout.splitlines()), (relative, ingest.stdout[-3000:])


def test_a_second_tempe_file_repeating_an_incident_is_rejected_naming_both_files(lifecycle):
    stdout = lifecycle["ingest1"].stdout
    incident = ems_lines()[4].split(",")[2]
    line = line_about(stdout, EMS_EXTRA)
    assert f"{EMS_EXTRA}, line 2, column 'objectid'" in line
    assert f"is already loaded from {EMS}, line 5" in line
    assert f"(value: '{incident}')" in line
    assert "supersedes" in line  # says how to declare which file wins
    rejections = query(lifecycle["build_db"], """
        select source_row, source_column, value, check_name, reason from meta.rejections where source_file = ?
    """, [EMS_EXTRA])
    assert rejections == [(2, "objectid", incident, "key_repeated_across_files", rejections[0][4])]
    assert EMS in rejections[0][4] and "1 row(s)" in rejections[0][4]
    # nothing of the file is in the raw table: neither the repeated incident nor the new one
    assert query(lifecycle["build_db"], "select count(*) from raw.tempe_ems__opioid_calls where source_file = ?",
                 [EMS_EXTRA]) == [(0,)]


@pytest.mark.parametrize("relative, reason", [
    (OUTSIDE_LINK, "the symbolic link points outside data/raw"),
    (FOLDER, "this is a folder named like a data file"),
    (NON_UTF8_SHOWN, "the file name is not valid UTF-8"),
    (PIPE, "this is a named pipe, not a regular file"),
    (LOOP, "the symbolic link cannot be followed: it leads back to itself"),
    (BROKEN, "the symbolic link points to exported_elsewhere.csv, which does not exist"),
    (EMPTY, "the file is empty (0 bytes)"),
    (STRAY, "no source spec in ingest/sources/ matches this path"),
])
def test_a_file_that_cannot_be_read_as_data_is_refused_on_one_line_and_recorded(lifecycle, relative, reason):
    assert line_about(lifecycle["ingest1"].stdout, relative).startswith(f"- {relative}: {reason}")
    recorded = query(lifecycle["build_db"], """
        select l.status, r.reason from meta.load_log l left join meta.rejections r using (load_id)
        where l.source_file = ? order by l.run_id
    """, [relative])
    # rejected while it was there, then removed (history kept) when it was cleared away
    assert [status for status, _ in recorded] == ["rejected", "removed"]
    assert recorded[0][1].startswith(reason)
    assert query(lifecycle["build_db"], "select status from meta.file_registry where source_file = ?",
                 [relative]) == [("removed",)]


def test_nothing_under_a_folder_named_like_a_file_or_outside_data_raw_is_loaded(lifecycle):
    assert query(lifecycle["build_db"], "select count(*) from raw.korus_rapid_survey__rounds "
                 "where source_file like ?", [FOLDER + "%"]) == [(0,)]
    assert query(lifecycle["build_db"], "select count(*) from raw.tempe_ems__opioid_calls where source_file <> ?",
                 [EMS]) == [(0,)]


def test_a_name_with_glob_characters_is_read_as_exactly_that_file(lifecycle):
    rows = query(lifecycle["build_db"], """
        select source_file, area, year, callouts, source_row from raw.lifecycle_counts__callouts order by all
    """)
    assert rows == [
        (PLAIN, "Bergen", 2020, 10, 2), (PLAIN, "Bergen", 2021, 11, 3),
        (GLOBBY, "Oslo", 2020, 40, 2), (GLOBBY, "Oslo", 2021, 41, 3), (GLOBBY, "Oslo", 2022, 42, 4),
    ]


# ---- step 2: a bad file taken back ------------------------------------------------------------


def test_a_build_made_red_by_a_file_turns_green_when_the_file_is_removed(lifecycle):
    red, green = lifecycle["build1"], lifecycle["build2"]
    assert red.returncode != 0, red.stdout[-3000:]
    assert "unique_combination" in red.stdout + red.stderr  # a uniqueness test on the observations failed
    assert not lifecycle["published_after_red_build"]
    assert green.returncode == 0, green.stdout[-4000:] + green.stderr[-4000:]
    cleared, removed = lifecycle["ingest2"], lifecycle["ingest3"]
    assert cleared.returncode == 0 and removed.returncode == 0, cleared.stdout[-2000:] + removed.stdout[-2000:]
    assert "Traceback" not in cleared.stdout + cleared.stderr + removed.stdout + removed.stderr
    assert any(SPELLED_TWICE in line for line in removed.stdout.splitlines())
    assert any(EMS_EXTRA in line for line in cleared.stdout.splitlines())


def test_a_removed_file_leaves_the_marts_and_keeps_its_history(lifecycle):
    published = lifecycle["published"]
    events = query(lifecycle["build_db"], """
        select status, rows_loaded, message, finished_at from meta.load_log
        where source_file = ? and status in ('loaded', 'removed') order by run_id
    """, [SPELLED_TWICE])
    assert [e[:2] for e in events] == [("loaded", 2), ("removed", 0)]
    assert "its rows leave the marts at the next build" in events[1][2]
    assert query(lifecycle["build_db"], "select status from meta.file_registry where source_file = ?",
                 [SPELLED_TWICE]) == [("removed",)]
    removed_at = events[1][3]
    # its rows are in no mart, not even as an earlier vintage: the file was taken back
    assert query(published, "select count(*) from marts.fct_observations where source_file = ?", [SPELLED_TWICE]) == [(0,)]
    assert query(published, "select count(*) from publish.observations where source_file = ?", [SPELLED_TWICE]) == [(0,)]
    # ... and its history is kept: when its load was current, and the rows as loaded
    history = query(published, """
        select superseded_at, is_latest_load, is_withdrawn from staging.stg_meta__load_log
        where source_file = ? and status = 'loaded'
    """, [SPELLED_TWICE])
    assert history == [(removed_at, False, True)]
    assert query(published, "select area, deaths from raw.lifecycle_deaths__deaths where source_file = ? order by 1",
                 [SPELLED_TWICE]) == [("Scotland", 867), ("Skottland", 867)]
    status = query(published, "select status, publication_status, load_id from publish.load_status where source_file = ?",
                   [SPELLED_TWICE])
    assert status == [("removed", "removed", None)]


# ---- supersede: the later file wins, nothing counts twice -------------------------------------


def test_a_correction_file_supersedes_the_earlier_number_without_double_counting(lifecycle):
    assert lifecycle["superseded_built"] == [(EARLIER, 4, "Scotland, 2019", CORRECTION, 2, "by_file_name")]
    published = lifecycle["published"]
    rows = query(published, """
        select year(period_start), value, source_file, source_row from marts.fct_observations
        where indicator_id = 'lifecycle_drug_deaths' and is_latest_vintage order by 1
    """)
    assert rows == [(2017, 934, EARLIER, 2), (2018, 1187, EARLIER, 3), (2019, 1280, CORRECTION, 2),
                    (2020, 1339, EARLIER, 5), (2021, 1330, EARLIER, 6)]
    # the superseded number is in no mart; its row stays in the raw table
    assert query(published, "select count(*) from marts.fct_observations where indicator_id = 'lifecycle_drug_deaths' "
                 "and value = 1264") == [(0,)]
    assert query(published, "select count(*) from publish.observations where indicator_id = 'lifecycle_drug_deaths' "
                 "and year(period_start) = 2019") == [(1,)]
    assert query(published, "select deaths from raw.lifecycle_deaths__deaths where source_file = ? and year = 2019",
                 [EARLIER]) == [(1264,)]


def test_removing_the_correction_brings_the_earlier_number_back_and_putting_it_back_loads_it_again(lifecycle):
    for step in ("ingest4", "ingest5"):
        assert lifecycle[step].returncode == 0, lifecycle[step].stdout[-2000:] + lifecycle[step].stderr[-2000:]
    assert any(CORRECTION in line for line in lifecycle["ingest4"].stdout.splitlines())
    assert lifecycle["superseded_removed"] == []
    assert any(f"] {CORRECTION}: loaded 1 rows" in line for line in lifecycle["ingest5"].stdout.splitlines()), \
        lifecycle["ingest5"].stdout[-2000:]
    assert lifecycle["superseded_back"] == [(EARLIER, 4, "Scotland, 2019", CORRECTION, 2, "by_file_name")]
    events = query(lifecycle["build_db"], "select status, load_id from meta.load_log where source_file = ? "
                   "and status in ('loaded', 'removed') order by run_id", [CORRECTION])
    assert [e[0] for e in events] == ["loaded", "removed", "loaded"]
    assert events[0][1] != events[2][1]  # the same bytes put back are a new load


# ---- a file the ingest process may not read ----------------------------------------------------


def _as_unprivileged(cmd: list[str]) -> list[str]:
    """Root reads a file whatever its mode, so as root the ingest runs as `nobody` (setpriv, from
    util-linux); a developer who is not root runs it as themself. Either way the file is really
    unreadable for the process that ingests it."""
    if os.geteuid() != 0:
        return cmd
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]


def test_an_unreadable_file_is_refused_on_one_line_and_the_rest_still_load():
    # `nobody` must be able to run the checkout's Python: a clone inside a root-only folder (mktemp -d
    # makes 0700 folders) cannot be tested this way, and says so instead of failing on empty output
    reach = subprocess.run(_as_unprivileged([sys.executable, "-c", "import ingest"]), cwd=REPO,
                           capture_output=True, text=True, timeout=60)
    assert reach.returncode == 0, (f"the unprivileged user cannot run {sys.executable} in {REPO}: make the "
                                   f"checkout's folders world-readable (chmod o+rx) ({reach.stderr.strip()[-300:]})")
    # a world-traversable folder outside pytest's (root-only) tmp dir, so `nobody` can work in it
    root = Path(tempfile.mkdtemp(prefix="trendvakt-perm-"))
    try:
        root.chmod(0o777)
        data = root / "raw"
        (data / "tempe_ems").mkdir(parents=True)
        lines = ems_lines()
        (data / "tempe_ems" / "week_01.csv").write_text("\n".join(lines[:1] + lines[1:4]) + "\n", encoding="utf-8")
        locked = data / "tempe_ems" / "week_02.csv"
        locked.write_text("\n".join(lines[:1] + lines[7:9]) + "\n", encoding="utf-8")
        locked.chmod(0)
        warehouse = root / "wh"
        warehouse.mkdir()
        for path in (root, data, data / "tempe_ems", warehouse):
            path.chmod(0o777)
        env = {**pipeline_env(warehouse, data), "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(root)}
        result = subprocess.run(_as_unprivileged([sys.executable, "-m", "ingest"]), env=env, cwd=REPO,
                                capture_output=True, text=True, timeout=600)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output[-3000:]
        assert "Traceback" not in output
        assert line_about(result.stdout, "tempe_ems/week_02.csv").startswith(
            "- tempe_ems/week_02.csv: the file cannot be read: Permission denied"), result.stdout[-3000:]
        assert "tempe_ems/week_01.csv: loaded 3 rows" in result.stdout
        rows = query(warehouse / "build.duckdb",
                     "select source_file, count(*) from raw.tempe_ems__opioid_calls group by 1")
        assert rows == [("tempe_ems/week_01.csv", 3)]
        assert query(warehouse / "build.duckdb", "select status from meta.file_registry where source_file = ?",
                     ["tempe_ems/week_02.csv"]) == [("rejected",)]
    finally:
        shutil.rmtree(root, ignore_errors=True)
