"""The push's live progress as the page shows it: the time left, worked out from the pace so far."""

from __future__ import annotations

from pathlib import Path

from starlette.templating import Jinja2Templates

import bulkops
from bulkops.ui._live import Live
from bulkops.ui._session import PushRun

TEMPLATES = Jinja2Templates(directory=str(Path(bulkops.__file__).parent / "ui" / "templates"))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _last_progress(run: PushRun) -> str:
    return [html for name, html in run.events.values() if name == "progress"][-1]


def test_the_time_left_is_the_pace_so_far_times_the_requests_still_to_send(tmp_path):
    clock = Clock()
    run = PushRun(tmp_path / "results.xlsx")
    live = Live(run, TEMPLATES, max_rows=10, every=0.25, clock=clock)
    clock.now = 30.0
    live.progress(bulkops.Progress("push", 25, 100))  # 25 requests in 30 s: 75 more take 90 s
    assert "25 of 100" in _last_progress(run) and "about 1 min 30 s left" in _last_progress(run)
    clock.now = 60.0
    live.progress(bulkops.Progress("push", 100, 100))
    assert "100 of 100" in _last_progress(run) and "left" not in _last_progress(run)  # nothing left to say
