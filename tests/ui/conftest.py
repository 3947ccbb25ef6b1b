"""The live app the browser tests drive, in whichever browser."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bulkops.sandbox import SandboxConfig, SandboxServer, running


@pytest.fixture
def live_ui(tmp_path) -> Iterator[tuple[str, SandboxServer]]:
    """`bulkops ui` as a user starts it, on a sandbox; yields the address it printed, and the sandbox."""
    with running(SandboxConfig(latency_ms=150)) as server:
        env = {**os.environ, "BULKOPS_SMARTYADS_EMAIL": server.credentials["email"],
               "BULKOPS_SMARTYADS_PASSWORD": server.credentials["password"],
               "BULKOPS_PROFILE": str(tmp_path / "no-profile.toml")}
        app = subprocess.Popen([sys.executable, "-m", "bulkops", "ui", "--platform", "smartyads", "--base-url",
                                server.base_url, "--port", "0", "--no-browser"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        try:
            line = app.stdout.readline()
            assert line.startswith("bulkops ui is at http://127.0.0.1:"), line + app.stderr.read()
            yield line.split(" at ", 1)[1].strip(), server
        finally:
            app.terminate()
            app.wait(timeout=30)
