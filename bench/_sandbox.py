"""A sandbox in its own process, so that it does not share the GIL with the client being measured;
its request log comes back when it stops. Requests are counted there, at the server, never by the
client under test."""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bulkops._config import Credentials
from bulkops.registry import PLATFORMS
from bulkops.sandbox import SandboxConfig, sandbox_account

CREDENTIALS = {name: Credentials(name, sandbox_account(name)) for name in PLATFORMS}


def fresh_state(folder: Path) -> Path:
    """An empty folder for the journals of one measure: a sandbox that starts empty must not meet
    an earlier measure's journal (nor the user's own, in their home folder)."""
    state = folder / "state"
    shutil.rmtree(state, ignore_errors=True)
    return state


@contextmanager
def cold_cache(folder: Path) -> Iterator[Path]:
    """An empty reference data cache for one measure (`BULKOPS_CACHE_DIR`), so that the dictionaries a
    job names are read from the platform as they are on an account's first push, never taken from an
    earlier measure's cache (nor the user's own)."""
    cache = folder / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    before = os.environ.get("BULKOPS_CACHE_DIR")
    os.environ["BULKOPS_CACHE_DIR"] = str(cache)
    try:
        yield cache
    finally:
        if before is None:
            os.environ.pop("BULKOPS_CACHE_DIR", None)
        else:
            os.environ["BULKOPS_CACHE_DIR"] = before


@dataclass(frozen=True)
class Logged:
    at: float
    method: str
    path: str
    status: int


def _serve(config_kwargs: dict, ready, stop, report) -> None:
    from bulkops.sandbox import running

    with running(SandboxConfig(**config_kwargs)) as server:
        ready.put(server.base_url)
        stop.wait()
        report.put([(r.at, r.method, r.path, r.status) for r in server.sandbox.request_log])


class SandboxProcess:
    """`with SandboxProcess(platform="iqm", rate_limit=...) as sandbox: ...; log = sandbox.finish()`"""

    def __init__(self, **config) -> None:
        SandboxConfig(**config)  # refuse bad settings here, not in a child process that hangs the queue
        self.config = config
        context = mp.get_context("spawn")
        self.ready, self.report, self.stop = context.Queue(), context.Queue(), context.Event()
        self.process = context.Process(target=_serve, args=(config, self.ready, self.stop, self.report), daemon=True)

    def __enter__(self) -> SandboxProcess:
        self.process.start()
        self.base_url = self.ready.get(timeout=60)
        return self

    def finish(self) -> list[Logged]:
        self.stop.set()
        log = self.report.get(timeout=60)
        self.process.join(timeout=10)
        return [Logged(*entry) for entry in log]

    def __exit__(self, *exc: object) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=10)
