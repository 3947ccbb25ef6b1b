"""A report as CSV, in the project's CSV convention (as export writes): UTF-8, commas, ISO dates,
`.` for decimals; numbers as the platform gave them (percentages as percent numbers: 3.2 for 3.2 %);
text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bulkops.io import csv_safe
from bulkops.reporting._columns import ReportColumn, report_columns, row_cells, row_order
from bulkops.reporting._model import Statistics
from bulkops.reporting._workbook import TOTAL_LABEL


def write_report_csv(stats: Statistics, by: Sequence[str], path: Path) -> Path:
    """The rows, then the platform's totals as a last row labelled in the first column."""
    columns = report_columns(by, stats.metrics)
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow([_heading(c) for c in columns])
        for row in sorted(stats.rows, key=row_order):
            out.writerow([_text(v) for v in row_cells(columns, row)])
        totals = [stats.totals.get(c.metric.key) if c.metric else None for c in columns]
        out.writerow([TOTAL_LABEL, *(_text(v) for v in totals[1:])])
    temporary.replace(path)
    return path


def _heading(column: ReportColumn) -> str:
    return f"{column.label} (%)" if column.style == "percent" else column.label


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_safe(value) if isinstance(value, str) else str(value)
