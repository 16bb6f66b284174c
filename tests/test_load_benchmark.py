"""The load benchmark still runs: seed a tiny programme, drive the mix for a few seconds.

The figures themselves are not judged here (see benchmarks/README.md); only that every
endpoint of the mix answers without errors and reports its SQL statements, and that the run
prints its verdict on the targets.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker memory in /proc")
def test_load_benchmark_runs_briefly(tmp_path):
    database = f"sqlite:///{tmp_path / 'load.sqlite3'}"
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, "benchmarks/load.py", "--database-url", database]
        + ["--students", "20", "--users", "2", "--rate", "10", "--duration", "3"]
        + ["--closed", "0.5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "placement: 20" in out and "Worker memory (RSS)" in out
    rows = re.findall(
        r"^(autosave POST|student home)\s+[\d.]+\s+\d+\s+\d+\s+\d+\s+(\d+)\s", out, re.M
    )
    assert {name for name, _ in rows} == {"autosave POST", "student home"}, out
    assert all(errors == "0" for _, errors in rows), out
    assert "of bare Flask" in out
    assert re.search(r"^server CPU: workers [\d.]+ cores \([\d.]+ ms a request\)", out, re.M), out
    floor = re.search(r"^signed-in floor\s+(\d+) req/s", out, re.M)
    assert floor and int(floor.group(1)) > 0, out
    # The targets are checked and judged; a run this small says it cannot speak for them.
    assert re.search(r"^  p95 autosave POST\s+\d+ ms\s+≤ 50 ms\s+(met|MISSED)$", out, re.M), out
    assert re.search(r"^  server CPU at 200 req/s\s+[\d.]+ cores  of \d+ here$", out, re.M), out
    assert "do not speak for the targets' setting" in out
    # The in-process timer and the instruction counter's own run (what it runs under
    # valgrind) work on the same seeded database.
    timed = _script(database, "inprocess.py", "--repeat", "1")
    for name in ("student home", "autosave POST", "supervisor overview", "sign-in"):
        assert re.search(rf"^{name}\s+[\d.]+\s+[\d.]+\s+\d+\s+\d+$", timed, re.M), timed
    assert "sent 100 requests" in _script(database, "instructions.py", "--run", "1")


def _script(database: str, name: str, *args: str) -> str:
    """Run one of benchmarks/ on the database; return what it printed."""
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, f"benchmarks/{name}", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database, "SECRET_KEY": "test"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
