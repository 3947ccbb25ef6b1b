"""The log of every request a sandbox answered, for tests and benchmarks to inspect."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class LoggedRequest:
    at: float  # time.monotonic() when the rate limiter looked at it (its admission time if admitted)
    method: str
    path: str
    status: int
    token_subject: str | None  # the valid bearer token's subject, None when there was none
    dropped: bool = False  # the sandbox cut the connection (before the handler, or after it committed)


class RequestLog:
    """Appended to from the server thread, read from the test thread: hence the lock."""

    def __init__(self) -> None:
        self._items: list[LoggedRequest] = []
        self._lock = threading.Lock()

    def add(self, item: LoggedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
