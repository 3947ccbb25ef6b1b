"""Run a coroutine to the end from synchronous code, whether or not an event loop is running here."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coroutine: Coroutine[Any, Any, T], on_interrupt: Callable[[], None] | None = None) -> T:
    """`asyncio.run(coroutine)`, except inside a running event loop (a Jupyter cell, an async
    framework), where asyncio.run refuses: there the coroutine runs on a loop of its own in a worker
    thread, and this thread waits for it. Its answer or its exception comes back here.

    A KeyboardInterrupt while waiting (the notebook's interrupt) cannot reach the worker: with
    `on_interrupt` it is handed on (a push stops gracefully) and the waiting goes on until the job
    ends; without, it is raised here and the worker finishes on its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    answer: list[T] = []
    failure: list[BaseException] = []
    # Waited on rather than Thread.join: a join that an interrupt broke may take the thread for ended.
    finished = threading.Event()

    def work() -> None:
        try:
            answer.append(asyncio.run(coroutine))
        except BaseException as exc:  # handed back to the caller's thread, whatever it is
            failure.append(exc)
        finally:
            finished.set()

    threading.Thread(target=work, name="bulkops-job", daemon=True).start()
    while not finished.is_set():
        try:
            finished.wait()
        except KeyboardInterrupt:
            if on_interrupt is None:
                raise
            on_interrupt()
    if failure:
        raise failure[0]
    return answer[0]
