"""A report as a workbook: a Summary sheet with the chart, the data sheet (typed cells, money and
percentage formats, a frozen header, the platform's totals row) and, when grouped by day, a By day
sheet the chart reads. Text from the platform (campaign and creative names) is never a formula."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bulkops.io import HEADER_FONT, OUTPUT_HEADER_FILL, SUMMARY_SHEET, save_atomically, write_safe
from bulkops.reporting._columns import ReportColumn, report_columns, row_cells, row_order
from bulkops.reporting._model import IMPRESSIONS, SPEND, Metric, Statistics

DATA_SHEET = "Report"
BY_DAY_SHEET = "By day"
TOTAL_LABEL = "Total (platform)"
SUM_LABEL = "Sum of rows"
CHART_TITLE = "Impressions and spend by day"

COUNT_FORMAT = "#,##0"
MONEY_FORMAT = '"$"#,##0.00'
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "yyyy-mm-dd"
FORMATS = {"count": COUNT_FORMAT, "money": MONEY_FORMAT, "percent": PERCENT_FORMAT, "date": DATE_FORMAT,
           "id": "0", "text": "@"}


def write_report_workbook(stats: Statistics, by: Sequence[str], facts: Sequence[tuple[str, Any]],
                          sums: dict[str, Any], disagreements: Sequence[str], path: Path) -> Path:
    """The workbook at `path`, written atomically."""
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = SUMMARY_SHEET
    columns = report_columns(by, stats.metrics)
    data = book.create_sheet(DATA_SHEET)
    _data_sheet(data, columns, stats, sums, bool(disagreements))
    _summary_sheet(summary, facts, disagreements)
    if "day" in by and _charted(stats.metrics):
        by_day = book.create_sheet(BY_DAY_SHEET)
        days = _by_day_sheet(by_day, stats)
        if days:
            summary.add_chart(day_chart(by_day, days), "D2")
    return save_atomically(book, path)


def _data_sheet(sheet: Worksheet, columns: Sequence[ReportColumn], stats: Statistics, sums: dict[str, Any],
                disagree: bool) -> None:
    _header(sheet, [c.label for c in columns])
    for number, row in enumerate(sorted(stats.rows, key=row_order), start=2):
        for at, (column, value) in enumerate(zip(columns, row_cells(columns, row), strict=True), start=1):
            _cell(sheet, number, at, column, value)
    last = len(stats.rows) + 1
    _totals_row(sheet, last + 1, columns, TOTAL_LABEL, stats.totals)
    if disagree:
        _totals_row(sheet, last + 2, columns, SUM_LABEL, sums)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    for at, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(at)].width = column.width


def _totals_row(sheet: Worksheet, number: int, columns: Sequence[ReportColumn], label: str,
                values: dict[str, Any]) -> None:
    sheet.cell(row=number, column=1, value=label).font = openpyxl.styles.Font(bold=True)
    for at, column in enumerate(columns, start=1):
        if column.metric is not None and values.get(column.metric.key) is not None:
            _cell(sheet, number, at, column, values[column.metric.key]).font = openpyxl.styles.Font(bold=True)


def _cell(sheet: Worksheet, row: int, column_at: int, column: ReportColumn, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column_at)
    if value is None:
        return cell
    if column.style == "percent":
        value = value / 100  # the platform's percent number; Excel's percent format multiplies by 100
    write_safe(cell, value)
    cell.number_format = FORMATS[column.style]
    return cell


def _summary_sheet(sheet: Worksheet, facts: Sequence[tuple[str, Any]], disagreements: Sequence[str]) -> None:
    lines = [*facts, ("Totals", "the rows add up to the platform's totals" if not disagreements
                      else "the rows do NOT add up to the platform's totals")]
    lines += [("", text) for text in disagreements]
    for number, (label, value) in enumerate(lines, start=1):
        if label:
            sheet.cell(row=number, column=1, value=label).font = openpyxl.styles.Font(bold=True)
        write_safe(sheet.cell(row=number, column=2), value)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 40


def _charted(metrics: Sequence[Metric]) -> bool:
    keys = {m.key for m in metrics}
    return IMPRESSIONS.key in keys and SPEND.key in keys


def _by_day_sheet(sheet: Worksheet, stats: Statistics) -> int:
    """Impressions and spend summed per day; the number of days written."""
    days: dict[dt.date, list[float]] = {}
    for row in stats.rows:
        if row.day is None:
            continue
        day = days.setdefault(row.day, [0, 0.0])
        day[0] += row.values.get(IMPRESSIONS.key) or 0
        day[1] += row.values.get(SPEND.key) or 0
    _header(sheet, ["Day", IMPRESSIONS.label, SPEND.label])
    for number, (day, (impressions, spend)) in enumerate(sorted(days.items()), start=2):
        sheet.cell(row=number, column=1, value=day).number_format = DATE_FORMAT
        sheet.cell(row=number, column=2, value=impressions).number_format = COUNT_FORMAT
        sheet.cell(row=number, column=3, value=round(spend, 8)).number_format = MONEY_FORMAT
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABC", (12, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    return len(days)


def day_chart(sheet: Worksheet, days: int) -> BarChart:
    """Impressions as bars on the left axis, spend as a line on the right axis, one point a day."""
    bars = BarChart()
    bars.title = CHART_TITLE
    bars.y_axis.title = IMPRESSIONS.label
    bars.y_axis.majorGridlines = None
    bars.add_data(Reference(sheet, min_col=2, min_row=1, max_row=days + 1), titles_from_data=True)
    labels = Reference(sheet, min_col=1, min_row=2, max_row=days + 1)
    bars.set_categories(labels)
    line = LineChart()
    line.add_data(Reference(sheet, min_col=3, min_row=1, max_row=days + 1), titles_from_data=True)
    line.set_categories(labels)
    line.y_axis.axId = 200
    line.y_axis.title = f"{SPEND.label} ($)"
    line.y_axis.crosses = "max"  # the second axis on the right
    # openpyxl hides axes unless told (`delete` defaults to True in recent versions).
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    line.y_axis.delete = False
    bars += line
    bars.width, bars.height = 22, 11
    return bars


def _header(sheet: Worksheet, labels: Sequence[str]) -> None:
    for at, label in enumerate(labels, start=1):
        cell = sheet.cell(row=1, column=at, value=label)
        cell.font = HEADER_FONT
        cell.fill = OUTPUT_HEADER_FILL

