"""Reading and writing spreadsheets: input workbooks and CSVs (`read_inputs`), templates, and the
results and plan workbooks written back beside them. Rows are described to the writers in plain
values (`ResultRow`), whatever produced them."""

from bulkops.io._fastresults import SUMMARY_WIDTHS, fresh_titles
from bulkops.io._guard import DEFAULT_LIMITS, Limits
from bulkops.io._read import (
    MESSAGE_HEADER,
    PLAN_HEADER,
    STATUS_HEADER,
    Inputs,
    SheetData,
    read_file,
    read_files,
    read_inputs,
)
from bulkops.io._renew import AS_NEW, Renewed, renew_sheets
from bulkops.io._results import RunFacts, save_atomically, status_counts, write_plan, write_results
from bulkops.io._rows import STATUSES, ResultRow, RowKey
from bulkops.io._sheets import IGNORED_SHEET, SUMMARY_SHEET, UNREAD_SHEET
from bulkops.io._style import HEADER_FILL, HEADER_FONT, OUTPUT_HEADER_FILL, csv_safe, write_safe
from bulkops.io._template import write_csv_template, write_filled, write_template

__all__ = [
    "AS_NEW", "DEFAULT_LIMITS", "HEADER_FILL", "HEADER_FONT", "IGNORED_SHEET", "MESSAGE_HEADER", "OUTPUT_HEADER_FILL",
    "PLAN_HEADER", "STATUSES", "STATUS_HEADER", "SUMMARY_SHEET", "SUMMARY_WIDTHS", "UNREAD_SHEET", "Inputs", "Limits",
    "Renewed", "ResultRow", "RowKey", "RunFacts", "SheetData", "csv_safe", "fresh_titles", "read_file", "read_files",
    "read_inputs", "renew_sheets", "save_atomically", "status_counts", "write_csv_template", "write_filled",
    "write_plan", "write_results", "write_safe", "write_template"
]
