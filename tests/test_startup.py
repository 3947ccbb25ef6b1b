"""`import bulkops` and `bulkops --help` stay light: none of the heavy libraries behind the jobs is
imported until a command (or an API function) needs it. The times are in bench/README.md ("Startup");
this checks what makes them, not the clock."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "openpyxl", "httpx", "pydantic", "pandera", "starlette", "numpy", "uvicorn", "tqdm")

_REPORT = f"import json, sys; print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"


def _heavy_loaded(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", f"{code}\n{_REPORT}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_import_bulkops_loads_none_of_the_heavy_libraries():
    assert _heavy_loaded("import bulkops") == []


def test_the_exceptions_and_problem_records_are_there_without_loading_them():
    assert _heavy_loaded("from bulkops import BulkopsError, ConfigError, Problem, Interrupted") == []


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_bulkops_help_loads_none_of_the_heavy_libraries(argv):
    code = ("import runpy, sys\n"
            f"sys.argv = ['bulkops', *{argv!r}]\n"
            "try:\n"
            "    runpy.run_module('bulkops', run_name='__main__')\n"
            "except SystemExit as exit:\n"
            "    assert exit.code in (0, None), exit.code\n")
    assert _heavy_loaded(code) == []


def test_the_api_functions_load_their_jobs_on_first_use():
    assert "pandas" in _heavy_loaded("import bulkops\nbulkops.validate")
