"""`python -m ingest check SPEC` on the README's worked example: the first observations are printed
with the qualifiers the markers give, and nothing is written (no warehouse folder appears)."""
from __future__ import annotations

import subprocess
import sys

from tests.integration.test_readme_worked_example import worked_example
from tests.conftest import REPO


def run_check(tmp_path, spec_text: str):
    saved_as, export, _ = worked_example()
    target = tmp_path / "raw" / saved_as
    target.parent.mkdir(parents=True)
    target.write_bytes(export.replace("\n", "\r\n").encode("iso-8859-1"))
    spec = tmp_path / "spec.yml"
    spec.write_text(spec_text, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "TRENDVAKT_DATA_DIR": str(tmp_path / "raw"),
           "TRENDVAKT_WAREHOUSE_DIR": str(tmp_path / "wh"), "TRENDVAKT_WAREHOUSE": str(tmp_path / "wh" / "w.duckdb")}
    return subprocess.run([sys.executable, "-m", "ingest", "check", str(spec)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_check_prints_the_first_observations_and_writes_nothing(tmp_path):
    _, _, spec_text = worked_example()
    result = run_check(tmp_path, spec_text)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "toxico_statbank/toxico_norway.csv: 24 rows parsed" in result.stdout
    assert "24 observations; the first 10:" in result.stdout
    assert "not_available" in result.stdout and "Traceback" not in result.stderr
    assert not (tmp_path / "wh").exists()


def test_check_names_a_broken_spec_and_its_key(tmp_path):
    _, _, spec_text = worked_example()
    result = run_check(tmp_path, spec_text.replace("observations:", "observation:"))
    assert result.returncode == 1
    assert "key observation: unknown key `observation`; did you mean `observations`?" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
