"""The results workbook at a glance: the Summary sheet's chart of outcomes per sheet, and which
cell of a results sheet is frozen so that the header and the row's keys stay in view while Status
and Message are read. Both writers (the quick one and openpyxl's) take them from here."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter, quote_sheetname

from bulkops.io._read import SheetData
from bulkops.io._sheets import SHEET_HEADER, SUMMARY_SHEET
from bulkops.kinds import Role

# The outcomes charted, each with its colour (green done, blue changed, grey nothing to do, red
# failed, orange skipped, yellow invalid: the fills of the results sheets where they have one).
CHARTED = {"created": "70AD47", "updated": "4472C4", "unchanged": "A5A5A5", "failed": "F4B183",
           "skipped": "ED7D31", "invalid": "FFD966"}
CHART_TITLE = "Rows by outcome, per sheet"
HEADER_ONLY = "A2"  # the templates' own pane: the header row, no column


def outcome_chart(rows: Sequence[Sequence[object]]) -> tuple[BarChart, str] | None:
    """A stacked bar per sheet of the Summary's table (`summary_table`'s rows), one series per
    charted outcome, read from the table's own cells; and the cell it is anchored at (below the
    table). None when the table lists no sheet."""
    header_row = next((n for n, row in enumerate(rows, start=1) if row and row[0] == SHEET_HEADER), None)
    if header_row is None or header_row == len(rows):
        return None
    header, last = list(rows[header_row - 1]), len(rows)
    sheet = quote_sheetname(SUMMARY_SHEET)
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = CHART_TITLE
    for status, colour in CHARTED.items():
        column = get_column_letter(header.index(status) + 1)
        chart.add_data(Reference(range_string=f"{sheet}!${column}${header_row}:${column}${last}"),
                       titles_from_data=True)
        chart.series[-1].graphicalProperties.solidFill = colour
        chart.series[-1].graphicalProperties.line.solidFill = colour
    chart.set_categories(Reference(range_string=f"{sheet}!$A${header_row + 1}:$A${last}"))
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl would hide both axes
    chart.y_axis.title = "rows"
    chart.width, chart.height = 22, max(7.5, 3 + 1.2 * (last - header_row))
    return chart, f"A{last + 2}"


def key_columns(sheet: SheetData) -> int:
    """How many columns from A hold the row's keys (its Ref and ID, as the results sheet places them)."""
    keys = {sheet.positions.get(c.field) for c in (sheet.kind.role_column(Role.REF), sheet.kind.role_column(Role.ID))
            if c is not None}
    count = 0
    while count + 1 in keys:
        count += 1
    return count


def frozen_cell(sheet: SheetData, current: str | None) -> str | None:
    """The pane a results sheet gets: the header row and the key columns frozen; None keeps the
    sheet's own pane when it is more than the templates' header row (the buyer froze it so)."""
    if current not in (None, HEADER_ONLY):
        return None
    return f"{get_column_letter(key_columns(sheet) + 1)}2"
