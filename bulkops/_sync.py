"""Run a coroutine to the end from synchronous code, whether or not an event loop is running here."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coroutine)`, except inside a running event loop (a Jupyter cell, an async
    framework), where asyncio.run refuses: there the coroutine runs on a loop of its own in a worker
    thread, and this thread waits for it. Its answer or its exception comes back here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    answer: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            answer.append(asyncio.run(coroutine))
        except BaseException as exc:  # handed back to the caller's thread, whatever it is
            failure.append(exc)

    worker = threading.Thread(target=work, name="bulkops-job", daemon=True)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return answer[0]
