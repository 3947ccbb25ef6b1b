"""The lower layers of the pipeline point one way: kinds, io and validation import nothing above
them, and validation reads sheets through its own protocol rather than through io (the contracts
under [tool.importlinter] in pyproject.toml, checked by import-linter)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ("pipeline-lower-layers", "validation-reads-no-io", "kinds-below-io-and-validation")


def lint_imports() -> str:
    found = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(found).exists():
        pytest.fail("lint-imports is not installed: install the test extras (pip install -e '.[test]')")
    return found


@pytest.mark.parametrize("contract", CONTRACTS)
def test_the_layer_contract_is_kept(contract):
    done = subprocess.run([lint_imports(), "--no-cache", "--contract", contract], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout
