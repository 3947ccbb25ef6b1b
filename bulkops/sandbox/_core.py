"""The Sandbox object: one sandboxed platform's state, tokens, traffic shaping and request log; each
platform's sandbox adds what it stores of its own (`Platform.sandbox`)."""

from __future__ import annotations

from typing import Any

from bulkops.sandbox._config import SandboxConfig
from bulkops.sandbox._limits import Faults, SlidingWindow, Traffic
from bulkops.sandbox._log import LoggedRequest, RequestLog
from bulkops.sandbox._store import Store
from bulkops.sandbox._tokens import Tokens

CAMPAIGN = "campaign"  # the store's kind for campaigns, on every platform


class Sandbox:
    """What tests and benchmarks inspect (`app.state.sandbox`, `SandboxServer.sandbox`). Thread-safe."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config.state_path)
        self.tokens = Tokens(config.token_ttl_s)
        self._log = RequestLog()
        self.traffic = Traffic(window=SlidingWindow(config.window_s), faults=Faults(config),
                               log=self._log, latency_s=config.latency_ms / 1000)

    @property
    def request_log(self) -> list[LoggedRequest]:
        """A snapshot, oldest first; every request answered, 401s and 429s included."""
        return self._log.snapshot()

    def reset_request_log(self) -> None:
        self._log.clear()

    def campaigns(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every user's stored campaigns by id, exactly as GET would return them."""
        return self.store.all(CAMPAIGN, include_deleted=include_deleted)

    def close(self) -> None:
        self.store.close()
