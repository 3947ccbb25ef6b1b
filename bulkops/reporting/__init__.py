"""Statistics reports: `bulkops report` (docs/report.md).

A platform offers them with its `Platform.reporting` (`bulkops.registry.Reporting`): the metrics it
measures and its read, which answers a `ReportQuery` with a `Statistics` holding every page's rows
and the platform's own totals. The job checks the rows against those totals and writes the workbook
(typed cells, a totals row, a chart of impressions and spend by day) or the CSV; nothing here names a
platform.
"""

from __future__ import annotations

from bulkops.reporting._job import ReportResult, report_job, reporter_for
from bulkops.reporting._model import (
    BIDS,
    CLICKS,
    CTR,
    DIMENSIONS,
    ECPM,
    IMPRESSIONS,
    SPEND,
    WIN_RATE,
    WINS,
    AnswerKeys,
    Metric,
    ReadStatistics,
    ReportQuery,
    Statistics,
    StatRow,
    report_query,
)

__all__ = [
    "BIDS", "CLICKS", "CTR", "DIMENSIONS", "ECPM", "IMPRESSIONS", "SPEND", "WINS", "WIN_RATE", "AnswerKeys", "Metric",
    "ReadStatistics", "ReportQuery", "ReportResult", "StatRow", "Statistics", "report_job", "report_query",
    "reporter_for",
]
