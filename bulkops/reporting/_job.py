"""`bulkops report` as a library function: log in, read every page of the platform's statistics
(paced and retried like a push), check the rows against the platform's totals, write the file."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulkops._config import Credentials
from bulkops._control import Progress, ProgressCallback
from bulkops.engine import DEFAULT_PACE, Pace, open_session
from bulkops.registry import offered, platform_named
from bulkops.reporting._check import disagreements, row_sums
from bulkops.reporting._model import Metric, Number, ReadStatistics, ReportQuery, Statistics, StatRow


@dataclass
class ReportResult:
    """What `bulkops.report` answers: the rows, the platform's totals, the rows' own sums of the
    summed metrics, where the two disagree (empty: they agree), and the file written."""

    platform: str
    base_url: str
    query: ReportQuery
    metrics: tuple[Metric, ...] = ()
    rows: list[StatRow] = field(default_factory=list)
    totals: dict[str, Number] = field(default_factory=dict)
    sums: dict[str, Number] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)
    path: Path | None = None
    pages: int = 0
    requests_sent: int = 0
    duration_s: float = 0.0
    started_at: str = ""

    @property
    def ok(self) -> bool:
        """Whether the rows add up to the platform's totals."""
        return not self.disagreements


def reporter_for(platform: str) -> ReadStatistics:
    return offered(platform, "report", lambda p: p.reporting.read if p.reporting is not None else None)


async def report_job(platform: str, query: ReportQuery, *, base_url: str,
                     creds: Credentials | Callable[[], Credentials], output: Path | None = None,
                     as_csv: bool = False, write: bool = True, progress: ProgressCallback | None = None,
                     pace: Pace = DEFAULT_PACE, offload: bool = True) -> ReportResult:
    """Read the statistics of `query` and write them to `output` (default
    `PLATFORM-report-FROM-TO.xlsx`, or `.csv` with `as_csv`; nothing with `write=False`)."""
    read = reporter_for(platform)
    creds = creds() if callable(creds) else creds
    started, clock = dt.datetime.now(dt.UTC), time.monotonic()
    result = ReportResult(platform, base_url, query, started_at=started.isoformat(timespec="seconds"))
    stats = await _read(read, platform, base_url, creds, pace, query, progress, result)
    result.metrics, result.rows, result.totals, result.pages = stats.metrics, stats.rows, stats.totals, stats.pages
    result.sums, result.disagreements = row_sums(stats), disagreements(stats)
    result.duration_s = time.monotonic() - clock
    if write:
        target = output or Path(_default_name(platform, query, as_csv))
        result.path = await asyncio.to_thread(_write, stats, result, target, as_csv) if offload \
            else _write(stats, result, target, as_csv)
    return result


async def _read(read: ReadStatistics, platform: str, base_url: str, creds: Credentials, pace: Pace,
                query: ReportQuery, progress: ProgressCallback | None, result: ReportResult) -> Statistics:
    def pages(done: int, total: int | None) -> None:
        if progress is not None:
            progress(Progress("report", done, total))

    async with open_session(platform, base_url, creds, pace) as session:
        try:
            return await read(session.client, query, pages)
        finally:
            result.requests_sent = session.requests_sent


def _write(stats: Statistics, result: ReportResult, target: Path, as_csv: bool) -> Path:
    from bulkops.reporting._csv import write_report_csv
    from bulkops.reporting._workbook import write_report_workbook

    if as_csv:
        return write_report_csv(stats, result.query.by, target)
    return write_report_workbook(stats, result.query.by, _facts(result), result.sums, result.disagreements, target)


def _facts(result: ReportResult) -> list[tuple[str, Any]]:
    query = result.query
    return [("Platform", platform_named(result.platform).label), ("Base URL", result.base_url),
            ("Command", "report"), ("From", query.start), ("To", query.end), ("By", ", ".join(query.by)),
            ("Rows", len(result.rows)), ("Pages read", result.pages), ("Requests sent", result.requests_sent),
            ("Read at", result.started_at)]


def _default_name(platform: str, query: ReportQuery, as_csv: bool) -> str:
    return f"{platform}-report-{query.start}-{query.end}.{'csv' if as_csv else 'xlsx'}"
