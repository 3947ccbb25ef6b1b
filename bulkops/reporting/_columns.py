"""The columns of a report, for the workbook and the CSV alike: the dimensions asked for, then the
platform's metrics, each with its label, style and width."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bulkops.reporting._model import Metric, StatRow


@dataclass(frozen=True)
class ReportColumn:
    label: str
    style: str  # "date", "id", "text", or a metric's style
    width: float
    attribute: str | None = None  # StatRow's attribute for a dimension column
    metric: Metric | None = None


# Per dimension, its columns (a campaign is its ID and its name).
_DIMENSION_COLUMNS = {
    "day": (ReportColumn("Day", "date", 12, attribute="day"),),
    "campaign": (ReportColumn("Campaign ID", "id", 12, attribute="campaign_id"),
                 ReportColumn("Campaign", "text", 40, attribute="campaign_name")),
    "creative": (ReportColumn("Creative ID", "id", 12, attribute="creative_id"),
                 ReportColumn("Creative", "text", 40, attribute="creative_name")),
}


def report_columns(by: Sequence[str], metrics: Sequence[Metric]) -> list[ReportColumn]:
    columns = [column for name in by for column in _DIMENSION_COLUMNS[name]]
    return columns + [ReportColumn(m.label, m.style, 14, metric=m) for m in metrics]


def row_cells(columns: Sequence[ReportColumn], row: StatRow) -> list[Any]:
    return [getattr(row, c.attribute) if c.attribute else row.values.get(c.metric.key) for c in columns]


def row_order(row: StatRow) -> tuple:
    """Rows by day, then campaign, then creative: the same order however the platform paged them."""
    return (row.day or dt.date.min, row.campaign_id or 0, row.creative_id or 0)
