"""The benchmark harness still runs (quick mode). No timing is asserted: figures live in bench/README.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_quick_mode_prints_its_table():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick"], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    table = done.stdout
    for key in ("bulkops share", "sequential share", "economy", "read+validate+plan s", "pandas read s",
                "results write s", "rerun writes"):
        assert key in table
    rerun_writes = next(line for line in table.splitlines() if "rerun writes" in line).split()
    assert "0.000" in rerun_writes  # resuming a finished job sends no write, whatever the speed
