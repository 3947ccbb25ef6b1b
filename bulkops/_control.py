"""How a caller follows and steers a running job: progress events, and a handle that stops a push.

The library never draws a bar nor installs a signal handler: the CLI turns `Progress` events into
its tqdm bar and its Ctrl-C into `StopHandle.stop` (then `abandon`). A script or a notebook may do
the same with its own bar, a timer or a button.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """One step of a running job, handed to the `progress=` callback.

    `stage`: "push" (the push's requests, once the job's plan is known) or "export" (the reads of
    an export). `done`: requests' worth of work done so far. `total`: how many the job expects, or
    None where it is not known up front (an export learns its size as it reads the lists)."""

    stage: str
    done: int
    total: int | None


ProgressCallback = Callable[[Progress], None]


def counting(progress: ProgressCallback | None, stage: str, total: int | None = None) -> Callable[[int], None]:
    """"n more requests' worth done" (one by default), as `Progress` events of `stage`; where the total
    is known up front, a first event says so before any work is done."""
    done = 0
    if progress is not None and total is not None:
        progress(Progress(stage, 0, total))

    def more(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(Progress(stage, done, total))

    return more


@dataclass
class RunControl:
    """Lets the caller stop a run gracefully (Ctrl-C): no step starts once `reason` is set, and the
    steps in flight finish, so no request is abandoned half-way."""

    reason: str | None = None

    def stop(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason


class StopHandle(RunControl):
    """Stops a running push from another thread, a signal handler or a task.

    `stop()`: no new request starts; those in flight are answered and journaled, every row gets its
    status, and the push raises `bulkops.Interrupted` (running the same push again finishes it).
    `abandon()`: also give up waiting for the requests in flight (the journal's intents cover them,
    so the next push of the job looks before sending them again). Both may be called at any time,
    from any thread; before the push starts sending, `stop()` makes it send nothing."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None

    @property
    def stopped(self) -> bool:
        return self.reason is not None

    @property
    def sending(self) -> bool:
        """Whether a push is between its login and its last answer (where `stop` is graceful)."""
        return self._task is not None

    def stop(self, reason: str = "interrupted; run the same push again to finish") -> None:
        super().stop(reason)

    def abandon(self) -> None:
        with self._lock:
            if self._loop is not None and self._task is not None:
                self._loop.call_soon_threadsafe(self._task.cancel)

    def attach(self) -> None:
        """Called by the push on its own loop, as it starts sending."""
        with self._lock:
            self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()

    def detach(self) -> None:
        with self._lock:
            self._loop = self._task = None
