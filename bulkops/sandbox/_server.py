"""Serve a sandbox over real HTTP with uvicorn: in a background thread (tests, demo) or blocking (CLI)."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from bulkops.registry import platform_named
from bulkops.sandbox._app import create_app
from bulkops.sandbox._config import SANDBOX_EMAIL, SANDBOX_PASSWORD, SandboxConfig
from bulkops.sandbox._core import Sandbox

_START_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class SandboxServer:
    base_url: str  # e.g. "http://127.0.0.1:54321", no trailing slash
    sandbox: Sandbox

    @property
    def credentials(self) -> dict[str, str]:
        """The built-in account's login, for `credentials=` of the Python API (public by design)."""
        return sandbox_account(self.sandbox.config.platform)


def sandbox_account(platform: str) -> dict[str, str]:
    """A platform's built-in sandbox account (README, "Credentials"; public by design): the login every
    sandbox shares, and the fields of the platform's own."""
    parts = platform_named(platform).sandbox
    extra = {field: value for field, _, value in parts.account} if parts else {}
    return {"email": SANDBOX_EMAIL, "password": SANDBOX_PASSWORD, **extra}


def _loopback_only(host: str) -> None:
    """The sandbox holds a public login and answers writes: it is served to this machine alone. Host
    names are refused too (even "localhost"), since what they resolve to is up to the system."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"the sandbox binds a loopback address only (such as 127.0.0.1 or ::1), not {host!r}")


def _listening_socket(host: str, port: int) -> socket.socket:
    """Bound and listening before uvicorn starts, so port 0 is resolved up front and a client that
    connects early waits in the backlog instead of being refused.

    proto must be IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and
    without it every keep-alive answer (headers and body written apart) waits ~40 ms for Nagle."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


class _QuickServer(uvicorn.Server):
    """uvicorn checks should_exit every 0.1 s; a test suite starting a sandbox per test would spend
    its time waiting for that. Check every 10 ms; keep uvicorn's once-a-second housekeeping."""

    async def main_loop(self) -> None:
        ticks, polls = 0, 0
        should_exit = await self.on_tick(ticks)
        while not should_exit:
            await asyncio.sleep(0.01)
            polls += 1
            if polls % 10 == 0:
                ticks = (ticks + 1) % 864000
                should_exit = await self.on_tick(ticks)
            else:
                should_exit = self.should_exit


def _uvicorn(app: object) -> uvicorn.Server:
    # No lifespan (the app has none), no access log (the sandbox keeps its own request log); a short
    # graceful shutdown so that an idle keep-alive client cannot hold up the end of a test.
    # h11 named: the fault injection's cut connections rely on its closing the socket after a raise.
    return _QuickServer(uvicorn.Config(app, http="h11", log_level="warning", access_log=False, lifespan="off",
                                         timeout_graceful_shutdown=2))


def _base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@contextmanager
def running(config: SandboxConfig | str, host: str = "127.0.0.1", port: int = 0) -> Iterator[SandboxServer]:
    """Start uvicorn in a background thread on a free port; yield once it accepts connections; stop
    and join on exit. `config`: a SandboxConfig, or just the platform's name for its defaults.
    `host` must be a loopback address (ValueError otherwise)."""
    _loopback_only(host)
    if isinstance(config, str):
        config = SandboxConfig(platform=config)
    app = create_app(config)
    sandbox: Sandbox = app.state.sandbox
    sock = _listening_socket(host, port)
    server = _uvicorn(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="bulkops-sandbox", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.005)
        yield SandboxServer(_base_url(host, sock.getsockname()[1]), sandbox)
    finally:
        server.should_exit = True
        thread.join(timeout=_START_TIMEOUT_S)
        sock.close()
        if config.state_path:
            # Release the file; an in-memory store stays readable after exit, for assertions.
            sandbox.close()


def serve(config: SandboxConfig, host: str = "127.0.0.1", port: int = 8900,
          announce: Callable[[str], None] = print) -> None:
    """Blocking; announce() is called once with the base URL and the built-in credentials. Stops on Ctrl-C.
    `host` must be a loopback address (ValueError otherwise)."""
    _loopback_only(host)
    app = create_app(config)
    sandbox: Sandbox = app.state.sandbox
    sock = _listening_socket(host, port)
    base_url = _base_url(host, sock.getsockname()[1])
    state = f"kept in {config.state_path}" if config.state_path else "in memory (lost on exit)"
    platform = platform_named(config.platform)
    account = platform.sandbox.account if platform.sandbox is not None else ()
    announce("\n".join([
        f"{platform.label} sandbox at {base_url}",
        f"  email:    {SANDBOX_EMAIL}",
        f"  password: {SANDBOX_PASSWORD}",
        *(f"  {label}: {value}" for _, label, value in account),
        f"  rate limit {config.rate_limit} requests per {config.window_s:g} s; state {state}",
        f"  try: bulkops push FILE --platform {config.platform} --base-url {base_url}",
        "Ctrl-C stops it.",
    ]))
    try:
        with contextlib.suppress(KeyboardInterrupt):
            _uvicorn(app).run(sockets=[sock])  # uvicorn turns Ctrl-C into a graceful shutdown
    finally:
        sock.close()
        sandbox.close()
