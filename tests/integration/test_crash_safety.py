"""`make build` killed (kill -9 of its whole process group) at random moments in every phase:
the published warehouse stays whole, and the next build recovers without a person's help.

Phases are followed through the build's own progress lines ("starting build.duckdb from a copy",
"[build] ingest", "[build] dbt build", "[build] checks", "[build] publish"); the kill comes after
a random short delay drawn with a fixed seed. Kills come early in each phase so the file stays
within a few minutes (a dbt build takes 40-90 s here): only the checks and publish kills wait for
a whole dbt run, so the publish step is also killed on its own, ten times, without dbt.
"""
from __future__ import annotations

import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, pipeline_env
from warehouse.connection import database_problem

pytestmark = pytest.mark.integration

SEED_LINE = "starting build.duckdb from a copy of warehouse.duckdb"
# phase -> (line that starts it, kill delay range in seconds after that line, kills)
PHASES = {
    "seed copy": (SEED_LINE, (0.0, 0.03), 6),
    "ingest": ("[build] ingest", (0.0, 2.0), 6),
    "dbt": ("[build] dbt build", (0.3, 6.0), 6),
    # one kill each: reaching these phases costs a whole dbt run; the publish step alone is
    # killed ten more times, cheaply, in test_kill_9_during_publish_leaves_the_old_or_the_new_file
    "checks": ("[build] checks", (0.0, 3.0), 1),
    "publish": ("[build] publish", (0.0, 0.15), 1),
}
KEY_COUNTS = {
    "marts.fct_observations": "select count(*) from marts.fct_observations",
    "marts.dim_indicator": "select count(*) from marts.dim_indicator",
    "publish.observations": "select count(*) from publish.observations",
    "raw.cdc_wonder__death_rates": "select count(*) from raw.cdc_wonder__death_rates",
    "raw.population__municipality_age": "select count(*) from raw.population__municipality_age",
    "meta.file_registry": "select count(*) from meta.file_registry",
}


def key_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {}
        for name, sql in KEY_COUNTS.items():
            try:
                counts[name] = con.execute(sql).fetchall()[0][0]
            except duckdb.CatalogException:  # a table this warehouse does not have: compared as absent
                counts[name] = None
        return counts
    finally:
        con.close()


class Run:
    """`make -s build` in its own process group; its output read line by line as it comes."""

    def __init__(self, warehouse: Path, env: dict[str, str]):
        self.started = time.monotonic()
        self.proc = subprocess.Popen(["make", "-s", "build", f"WAREHOUSE_DIR={warehouse}"], cwd=REPO, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for_line(self, text: str, timeout: float = 300) -> bool:
        """True once a line containing `text` was printed; False if the run ended first."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {text!r} within {timeout} s:\n" + "\n".join(self.output[-30:]))
            if line is None:
                return False
            self.output.append(line)
            if text in line:
                return True

    def kill_group(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # make, python and dbt: the whole group
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=60)

    def finish(self, timeout: float = 600) -> int:
        self.proc.wait(timeout=timeout)
        while self.wait_for_line("\0", timeout=30):
            pass
        return self.proc.returncode


def assert_published_whole(published: Path, expected: dict[str, int], context: str) -> None:
    assert published.exists(), f"{context}: no published warehouse"
    problem = database_problem(published, read_only=True)
    assert problem is None, f"{context}: published file damaged: {problem}"
    assert key_counts(published) == expected, context


@pytest.mark.slow
def test_kill_9_at_random_moments_never_damages_the_published_warehouse(built_warehouse_dir, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(built_warehouse_dir, warehouse)
    published = warehouse / "warehouse.duckdb"
    expected = key_counts(published)
    assert all(v for v in expected.values()), expected
    env = pipeline_env(warehouse)
    env.pop("TRENDVAKT_WAIT", None)
    rng = random.Random(8)  # issue 8: the same 20 moments on every run
    plan = [phase for phase, (_, _, n) in PHASES.items() for _ in range(n)]
    rng.shuffle(plan)
    log = []
    recovered = 0  # runs that found build.duckdb damaged (the atomic seed copy and DuckDB's WAL should make it 0)
    started = time.monotonic()
    for i, phase in enumerate(plan, start=1):
        line, (low, high), _ = PHASES[phase]
        if phase == "seed copy":
            # no build file: the run starts by copying the published one
            for p in (warehouse / "build.duckdb", warehouse / "build.duckdb.wal"):
                p.unlink(missing_ok=True)
        delay = rng.uniform(low, high)
        run = Run(warehouse, env)
        reached = run.wait_for_line(line)
        assert reached, f"kill {i} ({phase}): the build ended before the phase:\n" + "\n".join(run.output[-30:])
        time.sleep(delay)  # the random moment inside the phase (drawn above with a fixed seed)
        run.kill_group()
        recovered += sum("build.duckdb is damaged" in out for out in run.output)
        leftovers = sorted(p.name for p in warehouse.iterdir() if p.name.endswith(".tmp"))
        log.append(f"{i:2} {phase:9} +{delay:5.2f}s after {line!r}: leftovers {leftovers}")
        assert_published_whole(published, expected, f"after kill {i} ({phase}, +{delay:.2f} s)")
    kills_took = time.monotonic() - started

    # one more build, not killed: it cleans up, recovers whatever the kills left and converges
    run = Run(warehouse, env)
    code = run.finish()
    text = "\n".join(run.output)
    assert code == 0, text[-4000:]
    assert "Traceback" not in text
    assert f"published {published}" in text
    assert not [p for p in warehouse.iterdir() if p.name.endswith(".tmp")]
    assert key_counts(published) == key_counts(built_warehouse_dir / "warehouse.duckdb") == expected
    assert database_problem(warehouse / "build.duckdb") is None
    recovered += "build.duckdb is damaged" in text
    print(f"\n20 kills in {kills_took:.0f} s, final build {time.monotonic() - run.started:.0f} s, "
          f"{recovered} run(s) found build.duckdb damaged\n" + "\n".join(log))


# --- the damage the tester found, repaired at the next start ---------------------------------------

def run_ingest(warehouse: Path) -> subprocess.CompletedProcess:
    env = pipeline_env(warehouse)
    env.pop("TRENDVAKT_WAIT", None)
    return subprocess.run(["make", "-s", "ingest", f"WAREHOUSE_DIR={warehouse}"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


def test_a_truncated_build_file_is_rebuilt_from_the_published_one(built_warehouse_dir, tmp_path):
    warehouse = tmp_path / "wh"
    shutil.copytree(built_warehouse_dir, warehouse)
    build_db = warehouse / "build.duckdb"
    whole = build_db.read_bytes()
    for cut in (len(whole) // 2, len(whole) - 1000):  # cut in the catalogue, and only the tail
        build_db.write_bytes(whole[:cut])
        (warehouse / "warehouse.duckdb.tmp").write_bytes(whole[:1000])  # a killed publish's leftover
        result = run_ingest(warehouse)
        out = result.stdout + result.stderr
        assert result.returncode == 0, out
        assert "Traceback" not in out
        assert "build.duckdb is damaged" in out and "rebuilding it from a copy of warehouse.duckdb" in out
        assert "removed warehouse.duckdb.tmp left by an interrupted run" in out
        assert "0 loaded, 11 unchanged, 0 rejected" in out  # the copy knows every loaded file
        assert not (warehouse / "warehouse.duckdb.tmp").exists()
        assert database_problem(build_db) is None


def test_a_truncated_build_file_without_a_published_one_is_rebuilt_from_data_raw(built_warehouse_dir, tmp_path):
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    whole = (built_warehouse_dir / "build.duckdb").read_bytes()
    (warehouse / "build.duckdb").write_bytes(whole[: len(whole) // 3])
    result = run_ingest(warehouse)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "rebuilding it from the files in data/raw" in out
    assert "11 loaded, 0 unchanged, 0 rejected" in out
    assert key_counts(warehouse / "build.duckdb")["raw.cdc_wonder__death_rates"] == 198


# --- the publish step alone, killed many times (no dbt needed to get there) -------------------------

PUBLISH_LOOP = r"""
import sys
from pathlib import Path
from warehouse.publish import publish
build, published = Path(sys.argv[1]), Path(sys.argv[2])
print("ready", flush=True)
while True:
    publish(build, published)
"""


def test_kill_9_during_publish_leaves_the_old_or_the_new_file(built_warehouse_dir, tmp_path):
    """A process publishing over and over is killed at ten random moments: the published file is
    always a whole database (the old one or the new one), and the next run cleans the .tmp."""
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    shutil.copyfile(built_warehouse_dir / "warehouse.duckdb", warehouse / "warehouse.duckdb")
    shutil.copyfile(built_warehouse_dir / "build.duckdb", warehouse / "build.duckdb")
    published = warehouse / "warehouse.duckdb"
    expected = key_counts(published)
    rng = random.Random(80)
    leftovers = 0
    for i in range(10):
        proc = subprocess.Popen([sys.executable, "-c", PUBLISH_LOOP, str(warehouse / "build.duckdb"), str(published)],
                                cwd=REPO, stdout=subprocess.PIPE, text=True, start_new_session=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.5))  # a random moment of the publish loop (fixed seed)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        leftovers += (warehouse / "warehouse.duckdb.tmp").exists()
        assert_published_whole(published, expected, f"publish kill {i + 1}")
    result = run_ingest(warehouse)  # the next run removes what the killed publish left
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (warehouse / "warehouse.duckdb.tmp").exists()
    print(f"\n10 publish kills, {leftovers} left a warehouse.duckdb.tmp behind")


def test_the_build_file_is_seeded_while_readers_hold_the_published_one(built_warehouse_dir, tmp_path):
    """Checking the published file before copying it opens it read-only: a reader (the app, an
    analyst's session) holding it open does not stop a run."""
    from warehouse.connection import open_published_reader

    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    shutil.copyfile(built_warehouse_dir / "warehouse.duckdb", warehouse / "warehouse.duckdb")
    with open_published_reader(warehouse / "warehouse.duckdb") as con:
        assert con.execute("select count(*) from marts.fct_observations").fetchall()[0][0] > 0
        result = run_ingest(warehouse)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert SEED_LINE in out and "0 loaded, 11 unchanged, 0 rejected" in out
