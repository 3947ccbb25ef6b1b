"""The project as a user installs it: its sdist and wheel built, the wheel installed into a fresh virtual
environment, and `bulkops demo` and `bulkops template` run from a folder outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DEMO_RESULTS = {"smartyads-campaigns-results.xlsx", "smartyads-launch-results.xlsx", "iqm-launch-results.xlsx"}


def _run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    # Nothing of the checkout's environment may leak into the installed program.
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _shipped(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it (as `python -m build` does), so both carry the data.

    Built from a copy of the files a clone has: what an earlier build left in the checkout (build/,
    *.egg-info with its list of sources) would otherwise stand in for a missing MANIFEST.in line."""
    source = tmp_path_factory.mktemp("source")
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT).stdout
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():  # a file deleted but not yet committed is still listed
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], cwd=out)
    return out


def test_the_sdist_and_the_wheel_carry_the_samples_and_templates(dist):
    [sdist] = dist.glob("*.tar.gz")
    [wheel] = dist.glob("*.whl")
    expected = {f"{name}/{path}" for name in ("samples", "templates") for path in _shipped(ROOT / name)}
    with tarfile.open(sdist) as archive:
        in_sdist = {name.partition("/")[2] for name in archive.getnames()}
    assert expected <= in_sdist
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {name.removeprefix("bulkops/_data/") for name in archive.namelist()
                    if name.startswith("bulkops/_data/") and not name.endswith(".py")}
    assert in_wheel == expected


def test_the_installed_wheel_runs_the_demo_and_writes_templates_from_any_folder(dist, tmp_path):
    [wheel] = dist.glob("*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
         cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    bulkops = str(venv / "bin" / "bulkops")

    where = _run([str(venv / "bin" / "python"), "-c", "import bulkops; print(bulkops.__file__)"], cwd=elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(venv)  # the installed package, not the checkout

    demo = _run([bulkops, "demo", "--quiet", "-o", "out"], cwd=elsewhere)
    assert {p.name for p in (elsewhere / "out").iterdir()} == DEMO_RESULTS
    assert "results workbook" in demo.stdout
    statuses = [row[-1] for row in openpyxl.load_workbook(elsewhere / "out" / "iqm-launch-results.xlsx")
                ["Creatives"].iter_rows(min_row=2, values_only=True)]
    assert statuses, "the IQM results workbook has no creative rows"

    _run([bulkops, "template", "all", "-p", "smartyads"], cwd=elsewhere)
    written = openpyxl.load_workbook(elsewhere / "smartyads-all.xlsx")
    committed = openpyxl.load_workbook(ROOT / "templates" / "smartyads" / "all.xlsx")
    assert written.sheetnames == committed.sheetnames
