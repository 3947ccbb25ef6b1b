"""serve(): blocking, announces the URL and the account once, stops cleanly on Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx
import pytest

from bulkops.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD

pytestmark = pytest.mark.slow

SCRIPT = ("from bulkops.sandbox import SandboxConfig, serve\n"
          "serve(SandboxConfig(), port=0, announce=lambda text: print(text + '\\n--', flush=True))\n")


def test_serve_announces_then_answers_then_stops_on_ctrl_c():
    process = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        announced = []
        while (line := process.stdout.readline()) and line.strip() != "--":
            announced.append(line)
        text = "".join(announced)
        assert SANDBOX_EMAIL in text and SANDBOX_PASSWORD in text
        base_url = re.search(r"http://127\.0\.0\.1:\d+", text).group(0)
        answer = httpx.post(f"{base_url}/api/users/login", json={"email": SANDBOX_EMAIL, "password": SANDBOX_PASSWORD})
        assert answer.status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0, process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
