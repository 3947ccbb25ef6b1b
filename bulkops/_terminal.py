"""What only the command line does around a job: a progress bar fed by the job's progress events,
and Ctrl-C turned into a graceful stop. The library itself draws nothing and leaves signals alone."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Any

from tqdm import tqdm

from bulkops._control import Progress, StopHandle


class Bar:
    """A tqdm bar on stderr, made at the first progress event (when the job's total is known) and
    advanced by each; `enabled=False` (--quiet, --json) keeps it from drawing."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        self._done = 0

    def __call__(self, event: Progress) -> None:
        if self._bar is None:
            self._bar = tqdm(total=event.total, desc=event.stage, unit="req", disable=not self.enabled, leave=False)
        self._bar.update(event.done - self._done)
        self._done = event.done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


@contextmanager
def graceful_ctrl_c(stop: StopHandle, say: Callable[[str], None]) -> Iterator[None]:
    """While a push is sending, the first Ctrl-C stops it from sending more and lets the requests in
    flight finish (so their answers are journaled); a second abandons them (the journal's intents
    cover them). Before and after the sending (reading files, writing results) Ctrl-C stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        if not stop.sending:
            raise KeyboardInterrupt
        if not stop.stopped:
            stop.stop("interrupted (Ctrl-C); run the same push again to finish")
            say("stopping: waiting for the requests in flight (Ctrl-C again to abandon them)")
        else:
            stop.abandon()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
