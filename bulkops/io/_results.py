"""The results workbook: the input, untouched cell for cell, plus IDs, Status and Message, failed and
invalid rows highlighted, and a Summary sheet first. Written to a temporary file and moved into
place, so it is never half-written."""

from __future__ import annotations

import logging
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bulkops.io._fastresults import (
    MESSAGE_WIDTH,
    STATUS_FILLS,
    SUMMARY_SHEET,
    SUMMARY_WIDTHS,
    fast_plan,
    fast_results,
    fresh_titles,
    head_id_column,
    id_column,
    id_declaration,
    old_id_column,
    output_columns,
    results_shape,
    right_of,
    single_xlsx,
    written_cells,
)
from bulkops.io._glance import frozen_cell, outcome_chart
from bulkops.io._insertcol import insert_column
from bulkops.io._read import MESSAGE_HEADER, OLD_ID_HEADER, PLAN_HEADER, STATUS_HEADER, SheetData
from bulkops.io._rows import STATUSES, ResultRow, RowKey
from bulkops.io._sheets import KIND_HEADER, SHEET_HEADER
from bulkops.io._style import HEADER_FONT, OUTPUT_HEADER_FILL, WRAP, write_safe
from bulkops.io._template import column_width
from bulkops.io._xmlbits import Unsupported

log = logging.getLogger(__name__)


@dataclass
class RunFacts:
    """What the Summary sheet says about the run. Never a secret."""

    platform: str
    base_url: str
    command: str = "push"
    started_at: str = ""
    duration_s: float = 0.0
    requests_sent: int = 0
    responses_429: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def write_results(sheets: Sequence[SheetData], outcomes: Mapping[RowKey, ResultRow], facts: RunFacts,
                  path: Path) -> Path:
    rows, labels = summary_table(sheets, outcomes, facts)
    written = _write_atomically(path, lambda target: fast_results(sheets, outcomes, rows, labels, target))
    if written is not None:
        return written
    return openpyxl_results(sheets, outcomes, facts, path)


def openpyxl_results(sheets: Sequence[SheetData], outcomes: Mapping[RowKey, ResultRow], facts: RunFacts,
                     path: Path) -> Path:
    """The same workbook through openpyxl: for CSV and several inputs, and any workbook the quick
    writer does not handle (tests compare the two)."""
    by_sheet: list[dict[int, ResultRow]] = [{} for _ in sheets]
    for (index, row), outcome in outcomes.items():
        by_sheet[index][row] = outcome
    book, targets = _base_book(sheets, by_sheet)
    for index, sheet in enumerate(sheets):
        _annotate(targets[index], results_shape(sheet, by_sheet[index])[0], by_sheet[index])
    _write_summary(book, sheets, outcomes, facts)
    return save_atomically(book, path)


def write_plan(sheets: Sequence[SheetData], plans: Mapping[RowKey, str], path: Path) -> Path:
    """The job's workbook, cell for cell, with a Plan column at the right: what a push would do with
    each row ("update: Name: 'North' → 'Nord'", "unchanged", "create")."""
    written = _write_atomically(path, lambda target: fast_plan(sheets, plans, target))
    if written is not None:
        return written
    return openpyxl_plan(sheets, plans, path)


def openpyxl_plan(sheets: Sequence[SheetData], plans: Mapping[RowKey, str], path: Path) -> Path:
    book, targets = _base_book(sheets)
    for index, sheet in enumerate(sheets):
        target = targets[index]
        column = sheet.output_columns.get(PLAN_HEADER) or right_of(sheet) + 1
        head = target.cell(row=1, column=column, value=PLAN_HEADER)
        head.font, head.fill, head.alignment = HEADER_FONT, OUTPUT_HEADER_FILL, WRAP
        for (i, row), text in plans.items():
            if i == index:
                write_safe(target.cell(row=row, column=column), text)
        target.column_dimensions[get_column_letter(column)].width = MESSAGE_WIDTH
    return save_atomically(book, path)


def status_counts(sheets: Sequence[SheetData], outcomes: Mapping[RowKey, ResultRow]) -> dict[str, Counter]:
    """Rows by status for each sheet that has outcomes, by its title in the results workbook (two
    inputs' `Geo ZIP` sheets are `Geo ZIP` and `Geo ZIP (2)` there, each with its own counts)."""
    titles = fresh_titles(sheets)
    counts: dict[str, Counter] = {}
    # Counted in one C-level pass: a 100,000-row job's outcomes are counted in milliseconds.
    for (index, status), number in Counter((i, o.status) for (i, _row), o in outcomes.items()).items():
        counts.setdefault(titles[index], Counter())[str(status)] += number
    return counts


def _base_book(sheets: Sequence[SheetData], outcomes: Sequence[Mapping[int, ResultRow]] | None = None
               ) -> tuple[Workbook, list[Worksheet]]:
    """A single input workbook is reused as it is; anything else is gathered into a new workbook.
    With `outcomes` (each sheet's, for results): a sheet gains the columns results_shape adds (its
    missing ID column, the Old ID column of a push as new)."""
    shapes = [results_shape(sheet, rows) if outcomes is not None else (sheet, None, None)
              for sheet, rows in zip(sheets, outcomes or [{}] * len(sheets), strict=True)]
    source = single_xlsx(sheets)
    if source is not None:
        book = openpyxl.load_workbook(source)
        targets = [book[s.title] for s in sheets]
        for sheet, target, (_, at, old_id_at) in zip(sheets, targets, shapes, strict=True):
            if at is not None:
                insert_column(book, target, at, id_declaration(sheet).label)
                head_id_column(target, sheet, at)
            if old_id_at is not None:
                insert_column(book, target, old_id_at, OLD_ID_HEADER)
        return book, targets
    book = Workbook()
    book.remove(book.active)
    return book, [_copy_in(book, sheet, title, shown, at)
                  for sheet, title, (shown, at, _) in zip(sheets, fresh_titles(sheets), shapes, strict=True)]


def _copy_in(book: Workbook, sheet: SheetData, title: str, shown: SheetData, at: int | None) -> Worksheet:
    target = book.create_sheet(title)
    if at is not None:
        head_id_column(target, sheet, at)
    rows = sheet.frame.index.tolist()
    for field_name, values in written_cells(sheet).items():
        column = shown.positions[field_name]
        write_safe(target.cell(row=1, column=column), sheet.headers[field_name])
        for row, value in zip(rows, values, strict=True):
            write_safe(target.cell(row=int(row), column=column), value)
    for name, column in shown.output_columns.items():
        target.cell(row=1, column=column, value=name)
    return target


def _annotate(target: Worksheet, sheet: SheetData, outcomes: Mapping[int, ResultRow]) -> None:
    status_at, message_at = _output_columns(target, sheet)
    id_at, old_id_at = id_column(sheet), old_id_column(sheet, outcomes)
    if old_id_at is not None:
        head = target.cell(row=1, column=old_id_at, value=OLD_ID_HEADER)
        head.font, head.fill, head.alignment = HEADER_FONT, OUTPUT_HEADER_FILL, WRAP
        target.column_dimensions[get_column_letter(old_id_at)].width = column_width(id_declaration(sheet))
    last_column = max(target.max_column, message_at)
    for row, outcome in outcomes.items():
        write_safe(target.cell(row=row, column=status_at), str(outcome.status))
        message = target.cell(row=row, column=message_at)
        write_safe(message, outcome.message or None)
        if outcome.message:
            message.alignment = WRAP
        if id_at is not None and (outcome.id is not None or outcome.blank_id):
            target.cell(row=row, column=id_at).value = None if outcome.id is None else int(outcome.id)
        if old_id_at is not None and outcome.old_id is not None:
            target.cell(row=row, column=old_id_at).value = int(outcome.old_id)
        fill = STATUS_FILLS.get(outcome.status)
        for column in range(1, last_column + 1):
            cell = target.cell(row=row, column=column)
            if fill is not None:
                cell.fill = fill
            elif column in (status_at, message_at):
                cell.fill = openpyxl.styles.PatternFill(fill_type=None)
    target.column_dimensions[get_column_letter(message_at)].width = MESSAGE_WIDTH
    frozen = frozen_cell(sheet, target.freeze_panes)
    if frozen is not None:
        target.freeze_panes = frozen


def _output_columns(target: Worksheet, sheet: SheetData) -> tuple[int, int]:
    status_at, message_at = output_columns(sheet)
    for column, label in ((status_at, STATUS_HEADER), (message_at, MESSAGE_HEADER)):
        cell = target.cell(row=1, column=column, value=label)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, OUTPUT_HEADER_FILL, WRAP
    return status_at, message_at


def summary_table(sheets: Sequence[SheetData], outcomes: Mapping[RowKey, ResultRow],
                  facts: RunFacts) -> tuple[list[list[object]], set[tuple[int, int]]]:
    """The Summary sheet's cells by row (None: no cell), and which (row, column) cells are labels."""
    facts_rows: list[tuple[str, object]] = [
        ("Platform", facts.platform),
        ("Base URL", facts.base_url),
        ("Command", facts.command),
        ("Started", facts.started_at),
        ("Duration (s)", round(facts.duration_s, 2)),
        ("Requests sent", facts.requests_sent),
        ("429 answers met", facts.responses_429),
        *facts.extra.items(),
    ]
    rows: list[list[object]] = [[label, value] for label, value in facts_rows]
    labels = {(number, 1) for number in range(1, len(rows) + 1)}
    statuses = list(STATUSES)
    header: list[object] = [SHEET_HEADER, KIND_HEADER, *statuses, "total"]
    rows += [[], header]
    labels |= {(len(rows), column) for column in range(1, len(header) + 1)}
    # Every sheet written, with its kind, counts or none: the reader reads back exactly these sheets
    # (a numbered title such as `Geo ZIP (2)` among them) and no copy made later.
    counts = status_counts(sheets, outcomes)
    for sheet, title in zip(sheets, fresh_titles(sheets), strict=True):
        counter = counts.get(title, Counter())
        rows.append([title, sheet.kind.name, *(counter.get(status, 0) for status in statuses), sum(counter.values())])
    return rows, labels


def _write_summary(book: Workbook, sheets: Sequence[SheetData], outcomes: Mapping[RowKey, ResultRow],
                   facts: RunFacts) -> None:
    if SUMMARY_SHEET in book.sheetnames:
        del book[SUMMARY_SHEET]
    summary = book.create_sheet(SUMMARY_SHEET, 0)
    rows, labels = summary_table(sheets, outcomes, facts)
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = summary.cell(row=number, column=column)
            write_safe(cell, value)
            if (number, column) in labels:
                cell.font, cell.fill = HEADER_FONT, OUTPUT_HEADER_FILL
    for column, width in enumerate(SUMMARY_WIDTHS, start=1):
        summary.column_dimensions[get_column_letter(column)].width = width
    charted = outcome_chart(rows)
    if charted is not None:
        summary.add_chart(*charted)


def save_atomically(book: Workbook, path: Path) -> Path:
    """Save an openpyxl workbook to `path` through a temporary file beside it: never half a file."""
    written = _write_atomically(path, book.save, quick=False)
    assert written is not None
    return written


def _write_atomically(path: Path, write: Callable[[Path], None], *, quick: bool = True) -> Path | None:
    """Write to a temporary file beside `path`, then move it into place. With `quick`, a workbook the
    byte-level writer does not handle (Unsupported) leaves nothing behind and gives None."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx.tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except Unsupported as unsupported:
        Path(temporary).unlink(missing_ok=True)
        if not quick:
            raise
        log.debug("results workbook: the openpyxl path (%s)", unsupported)
        return None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
