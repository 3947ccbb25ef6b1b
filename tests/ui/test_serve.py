"""`bulkops ui` as started from the command line: bound to 127.0.0.1, the address printed with its
token, the browser opened unless --no-browser, no request line logged, the app's folder gone at exit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile

import httpx
import pytest

from bulkops.ui import _serve


def test_serve_prints_the_address_and_opens_the_browser_unless_told_not_to(monkeypatch):
    opened: list[str] = []
    served: list = []
    monkeypatch.setattr(_serve.webbrowser, "open", opened.append)
    monkeypatch.setattr(_serve.uvicorn.Server, "run", lambda self, sockets: served.append(sockets[0].getsockname()))
    said: list[str] = []
    _serve.serve_ui(platform="smartyads", base_url=None, port=0, open_browser=True, demo=False, announce=said.append)
    [(host, port)] = served
    assert host == "127.0.0.1" and said[0].startswith(f"bulkops ui is at http://127.0.0.1:{port}/?token=")
    assert opened == [said[0].split(" at ", 1)[1]]
    _serve.serve_ui(platform=None, base_url=None, port=0, open_browser=False, demo=False, announce=said.append)
    assert len(opened) == 1 and len(served) == 2


def test_a_port_in_use_is_a_clear_error_not_a_traceback():
    from click.testing import CliRunner

    from bulkops.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = CliRunner().invoke(cli, ["ui", "--no-browser", "--port", str(port)], standalone_mode=True)
    assert done.exit_code == 3 and f"cannot listen on 127.0.0.1:{port}" in done.output
    assert "Traceback" not in done.output


@pytest.mark.slow
def test_the_command_serves_on_loopback_logs_no_request_and_cleans_up(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path), "BULKOPS_PROFILE": str(tmp_path / "no-profile.toml")}
    app = subprocess.Popen([sys.executable, "-m", "bulkops", "ui", "--no-browser", "--port", "0"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        address = app.stdout.readline().split(" at ", 1)[1].strip()
        base, token = address.split("/?token=")
        assert base.startswith("http://127.0.0.1:")
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("bulkops-ui-")]
        with httpx.Client(base_url=base) as client:
            assert client.get("/").status_code == 403
            assert client.get(address, follow_redirects=True).status_code == 200  # the redirect, then the page
            assert "Platform and account" in client.get("/").text
    finally:
        app.send_signal(signal.SIGINT)
        out, err = app.communicate(timeout=30)
    assert app.returncode in (0, 130, -signal.SIGINT)
    assert token not in out.replace(address, "") and token not in err and "GET /" not in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("bulkops-ui-")]
    assert tempfile.gettempdir() != str(tmp_path)  # this process's own temp folder was not touched
