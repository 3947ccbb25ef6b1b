"""A running push as the page sees it: progress with the time left, rows as they settle, and the end,
each rendered once into the run's events (server-sent to every page that follows the run)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import bulkops
from bulkops.ui._session import PushRun
from bulkops.ui._views import duration


class Live:
    """Turns the API's callbacks into the run's events. Rows and progress are sent at most every
    `every` seconds (a 40,000-row sheet settles thousands of rows a second); the first `max_rows`
    rows are shown one by one, the rest only counted, and the end shows every row's status by sheet."""

    def __init__(self, run: PushRun, templates: Any, max_rows: int, every: float,
                 clock: Callable[[], float]) -> None:
        self.run, self.templates, self.max_rows, self.every, self.clock = run, templates, max_rows, every, clock
        self.started = clock()
        self.sent_at = 0.0
        self.pending: list[bulkops.RowResult] = []
        self.rows_seen = 0
        self.done, self.total = 0, None
        self.needs = ""

    def announce(self, text: str) -> None:
        self.needs = text
        self._send_progress()

    def progress(self, event: bulkops.Progress) -> None:
        self.done, self.total = event.done, event.total
        if self.clock() - self.sent_at >= self.every or (self.total is not None and self.done >= self.total):
            self._flush()

    def row(self, result: bulkops.RowResult) -> None:
        self.rows_seen += 1
        if self.rows_seen <= self.max_rows:
            self.pending.append(result)
        if self.clock() - self.sent_at >= self.every:
            self._flush()

    def end(self, report: Any, message: str) -> None:
        self._flush()
        html = self._render("_finished.html", report=report, message=message, results=self.run.results.name,
                            written=self.run.results.exists())
        self.run.add("finished", html)
        self.run.add("close", "")

    def _flush(self) -> None:
        self.sent_at = self.clock()
        if self.pending:
            self.run.add("rows", self._render("_rows.html", rows=self.pending))
            self.pending = []
        self._send_progress()

    def _send_progress(self) -> None:
        self.run.add("progress", self._render("_progress.html", done=self.done, total=self.total,
                                              left=self._left(), needs=self.needs, rows=self.rows_seen))

    def _left(self) -> str:
        if not self.total or not self.done or self.done >= self.total:
            return ""  # nothing measured yet, or nothing left
        elapsed = self.clock() - self.started
        return duration(elapsed / self.done * max(0, self.total - self.done))

    def _render(self, name: str, **context: Any) -> str:
        return self.templates.get_template(name).render(**context)
