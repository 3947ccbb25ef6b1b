"""The layer contracts of pyproject.toml's [tool.importlinter], checked by import-linter's `lint-imports`:
a broken contract fails the suite (and so CI) with the import chain that breaks it. Every contract
runs, the two package-wide ones among them: no import cycle between sibling packages at any level
(`no-cycles`), and no private module (`_name`) imported from outside its package (`no-private-reach-ins`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"
PACKAGE_WIDE = ("no-cycles", "no-private-reach-ins")


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def test_every_import_contract_is_kept():
    done = subprocess.run([str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken" in done.stdout
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in done.stdout


def _lint_toy(tmp_path: Path, modules: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """lint-imports with pyproject's package-wide contracts, over a small package `toy` made of `modules`."""
    for name, code in modules.items():
        path = tmp_path.joinpath(*name.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
    lines = ["[importlinter]", "root_package = toy"]
    for contract in _contracts():
        if contract["id"] not in PACKAGE_WIDE:
            continue
        lines += ["", f"[importlinter:contract:{contract['id']}]"]
        for key, value in contract.items():
            if key == "id":
                continue
            if isinstance(value, list):
                value = "\n    " + "\n    ".join(v.replace("bulkops", "toy") for v in value)
            lines.append(f"{key} = {value}")
    (tmp_path / ".importlinter").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_package_wide_contracts_catch_a_cycle_and_a_private_reach_in(tmp_path):
    done = _lint_toy(tmp_path, {
        "toy.__init__": "",
        "toy.engine.__init__": "from toy.engine._run import run\n",
        "toy.engine._run": "from toy.planner._plan import plan\n\n\ndef run():\n    return plan\n",
        "toy.planner.__init__": "",
        "toy.planner._plan": "import toy.engine\n\nplan = 1\n",
        "toy.registry.__init__": "from toy.platforms import PACKAGES\n",
        "toy.platforms.__init__": "PACKAGES = {}\n",
        "toy.platforms.one.__init__": "",
        "toy.platforms.one.sandbox.__init__": "",
        "toy.platforms.one.sandbox._a": "from toy.platforms.one.sandbox import _b\n",
        "toy.platforms.one.sandbox._b": "from toy.platforms.one.sandbox import _a\n",
    })
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Contracts: 0 kept, 2 broken." in done.stdout
    assert "- .engine -> .planner" in done.stdout or "- .planner -> .engine" in done.stdout
    assert "No cycles are allowed in toy.platforms.one.sandbox." in done.stdout
    assert "- toy.engine._run -> toy.planner._plan" in done.stdout


def test_the_package_wide_contracts_keep_a_package_in_layers(tmp_path):
    done = _lint_toy(tmp_path, {
        "toy.__init__": "",
        "toy.engine.__init__": "from toy.engine._run import run\n",
        "toy.engine._run": "from toy.planner import plan\n\n\ndef run():\n    return plan\n",
        "toy.planner.__init__": "from toy.planner._plan import plan\n",
        "toy.planner._plan": "plan = 1\n",
        # The registry reads the platforms' list, and a platform asks the registry: the one edge not counted.
        "toy.registry.__init__": "from toy.platforms import PACKAGES\n",
        "toy.platforms.__init__": "PACKAGES = {}\n",
        "toy.platforms.one.__init__": "import toy.registry\nimport toy.engine\n",
    })
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 2 kept, 0 broken." in done.stdout
