"""The platform seam: no module outside bulkops/platforms/ names a platform in its code (a string, a
name or an import); docstrings and comments may speak of them. Generic code asks the registry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bulkops._exceptions import ConfigError
from bulkops.registry import PLATFORMS, platform_named, platform_names

PACKAGE = Path(__file__).resolve().parent.parent / "bulkops"
NAMED = re.compile("|".join(platform_names()), re.IGNORECASE)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                    isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def _words(node: ast.AST) -> list[str]:
    """What of this node's own code could name a platform: a string, a name, a module imported."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.ImportFrom):
        return [node.module or "", *(a.name for a in node.names)]
    if isinstance(node, ast.Import | ast.ImportFrom):
        return [a.name for a in node.names]
    if isinstance(node, ast.alias):
        return [node.asname or ""]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.keyword):
        return [node.arg or ""]
    return []


def platform_names_in_code(root: Path) -> list[str]:
    """`file:line: text` for every platform named in code outside `root/platforms` and the registry's list."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if (root / "platforms") in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            for word in _words(node):
                if NAMED.search(word):
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno}: {word!r}")  # type: ignore[attr-defined]
    return found


def test_no_module_outside_platforms_names_a_platform():
    assert platform_names_in_code(PACKAGE) == []


def test_the_scan_finds_a_name_in_a_string_an_import_and_a_name(tmp_path):
    root = tmp_path / "bulkops"
    (root / "platforms" / "iqm").mkdir(parents=True)
    (root / "platforms" / "iqm" / "_steps.py").write_text('PLATFORM = "iqm"\n')  # its own folder: allowed
    (root / "engine").mkdir()
    (root / "engine" / "_run.py").write_text(
        '"""Steps, as SmartyAds and IQM take them (a docstring may say so)."""\n'
        "# so may a comment: smartyads\n"
        "from bulkops.platforms.smartyads import verbs\n"
        "\n"
        "def run(platform):\n"
        '    """Run it."""\n'
        '    if platform == "IQM":\n'
        "        return smartyads_steps\n")
    assert platform_names_in_code(root) == ["bulkops/engine/_run.py:3: 'bulkops.platforms.smartyads'",
                                            "bulkops/engine/_run.py:7: 'IQM'",
                                            "bulkops/engine/_run.py:8: 'smartyads_steps'"]


def test_every_registered_platform_loads_and_names_itself():
    for name, platform in PLATFORMS.items():
        assert platform.name == name
        assert platform.kinds and all(kind.platform == name for kind in platform.kinds)


def test_an_unknown_platform_is_a_config_error_listing_the_choices():
    with pytest.raises(ConfigError, match="unknown platform 'other'; choose one of: smartyads, iqm"):
        platform_named("other")


def test_the_registry_loads_no_platform_until_one_is_asked_for():
    import subprocess
    import sys

    code = ("import sys, bulkops.registry as p; p.platform_names(); "
            "print(sorted(m for m in sys.modules if m.startswith('bulkops.platforms.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_the_known_kinds_and_the_append_choices_come_from_the_registry(monkeypatch):
    from bulkops.kinds import kind_names
    from bulkops.planner import appendable_kinds
    from tests import _third_platform as third

    before = kind_names(), appendable_kinds()
    third.register(monkeypatch)
    assert kind_names() == (*before[0], third.NEW_KIND)
    assert appendable_kinds() == (*before[1], third.NEW_KIND)


def test_help_loads_no_platform():
    import subprocess
    import sys

    code = ("import sys\nfrom click.testing import CliRunner\nfrom bulkops.cli import cli\n"
            "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
            "print(sorted(m for m in sys.modules if m.startswith('bulkops.platforms.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
