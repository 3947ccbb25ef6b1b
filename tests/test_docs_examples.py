"""docs/python-api.md's examples, run as a reader would run them: in order, in one namespace, in a
folder holding campaigns.xlsx, against a SmartyAds sandbox on 127.0.0.1 whose address is in the
profile and whose account is in the environment."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from bulkops.sandbox import SandboxConfig, running
from tests.conftest import ACCOUNT, campaign

PAGE = Path(__file__).resolve().parent.parent / "docs" / "python-api.md"
PUBLIC = ("validate", "plan", "push", "apush", "export", "aexport", "sandbox.running", "Progress", "StopHandle",
          "report")


def examples() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", PAGE.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_the_page_shows_every_public_function():
    code = "\n".join(examples())
    assert len(examples()) >= 8
    for name in PUBLIC:
        assert f"bulkops.{name}" in code, name


@pytest.mark.slow
def test_the_examples_run_against_a_sandbox(write_campaigns_xlsx, tmp_path, monkeypatch):
    write_campaigns_xlsx([campaign(ref="c1", name="Spring"), campaign(ref="c2", name="Summer"),
                          campaign(ref="c3", name="Autumn", type="billboard")], name="campaigns.xlsx")
    with running(SandboxConfig()) as server:
        profile = tmp_path / "profile.toml"
        profile.write_text(f'[smartyads]\nbase_url = "{server.base_url}"\n')
        profile.chmod(0o600)
        monkeypatch.setenv("BULKOPS_PROFILE", str(profile))
        for key, value in ACCOUNT.items():
            monkeypatch.setenv(key, value)
        monkeypatch.chdir(tmp_path)
        namespace: dict[str, object] = {"__name__": "__docs__"}
        printed = io.StringIO()
        for number, block in enumerate(examples(), 1):
            with contextlib.redirect_stdout(printed):
                try:
                    exec(compile(block, f"{PAGE.name} example {number}", "exec"), namespace)
                except Exception as error:  # name the example that failed, with what it printed
                    pytest.fail(f"example {number} failed: {error!r}\n{block}\nprinted:\n{printed.getvalue()}")
        assert {c["name"] for c in server.sandbox.campaigns()} == {"Spring", "Summer"}
    assert (tmp_path / "campaigns-results.xlsx").exists() and (tmp_path / "smartyads-state.xlsx").exists()
    assert "nothing read: smartyads credentials take email, password; missing: password" in printed.getvalue()
