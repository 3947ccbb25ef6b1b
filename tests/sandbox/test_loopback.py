"""The sandbox is served to this machine alone: `running()` and `serve()` refuse any host that is not
a loopback address before anything is bound or announced."""

from __future__ import annotations

import pytest

from bulkops.sandbox import SandboxConfig, _server, running, serve

NOT_LOOPBACK = ["0.0.0.0", "::", "", "192.0.2.10", "2001:db8::1", "localhost", "example.com"]


@pytest.mark.parametrize("host", NOT_LOOPBACK)
def test_running_refuses_a_host_that_is_not_loopback(host):
    with pytest.raises(ValueError, match="loopback"), running("smartyads", host=host):
        pytest.fail("the sandbox started")


@pytest.mark.parametrize("host", NOT_LOOPBACK)
def test_serve_refuses_a_host_that_is_not_loopback_before_announcing(host, monkeypatch):
    class NoServer:  # had the host been taken, serving would return at once rather than block
        def run(self, sockets: object) -> None:
            pass

    monkeypatch.setattr(_server, "_uvicorn", lambda app: NoServer())
    announced: list[str] = []
    with pytest.raises(ValueError, match="loopback"):
        serve(SandboxConfig(), host=host, port=0, announce=announced.append)
    assert announced == []
