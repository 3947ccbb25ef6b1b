"""Read .xlsx and .csv files into one frame per sheet, keeping the spreadsheet's row numbers.

Headers are matched to a kind's columns by label or by API field name, ignoring case, spaces and
punctuation. Cells stay as the user typed them: coercion and validation come later, so that every
problem can be reported with its row and column. A formula cell is never a value, except the
constant `TRUE()` / `FALSE()` LibreOffice writes for every boolean cell, when the value saved with
it agrees; any other reaches coercion as a `Formula` carrying the value it shows, to be refused.
Which sheets are read, and what is said of the others, is `_sheets`.
"""

from __future__ import annotations

import difflib
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bulkops._exceptions import ConfigError, InputError
from bulkops._problems import Problem
from bulkops.io._csvfile import csv_rows, decimals_of, decode_csv
from bulkops.io._fastread import FastSheet, fast_rows, open_book, plan_sheets
from bulkops.io._guard import ROWS_VARIABLE, Limits, check_file, check_xlsx_container, parse_errors
from bulkops.io._saved import SavedValues, formula_value
from bulkops.io._shape import add_shape_problems, sheet_parts
from bulkops.io._sheets import (
    AUXILIARY_SHEETS,
    MESSAGE_HEADER,
    OLD_ID_HEADER,
    OUTPUT_HEADERS,
    PLAN_HEADER,
    STATUS_HEADER,
    SUMMARY_SHEET,
    Written,
    normalise_header,
    unread_problems,
    written_sheets,
)
from bulkops.io._style import needs_neutralising
from bulkops.kinds import Decimals, Kind, Text, is_blank, kind_named, kinds_for
from bulkops.kinds import chosen as chosen_decimals

__all__ = ["AUXILIARY_SHEETS", "MESSAGE_HEADER", "OLD_ID_HEADER", "OUTPUT_HEADERS", "PLAN_HEADER", "STATUS_HEADER",
           "Inputs", "SheetData", "normalise_header", "read_file", "read_files", "read_inputs"]


@dataclass
class SheetData:
    """One sheet of input: raw cells by API field, indexed by spreadsheet row number."""

    path: Path
    title: str
    kind: Kind
    frame: pd.DataFrame
    headers: dict[str, str]  # field -> header as written
    positions: dict[str, int]  # field -> 1-based column number
    width: int  # columns in the header row
    output_columns: dict[str, int] = field(default_factory=dict)  # Status/Message -> 1-based column
    previous_status: dict[int, str] = field(default_factory=dict)  # row -> Status of an earlier run
    problems: list[Problem] = field(default_factory=list)
    # How numbers typed as text are written: from a CSV's separator, or --decimal-comma/--decimal-point
    # for every file of the job; None: nothing says (a tab-separated CSV, a workbook's text cells).
    decimal: Decimals | None = None

    @property
    def file(self) -> str:
        return self.path.name

    def header(self, field_name: str) -> str:
        return self.headers.get(field_name) or self.kind.column(field_name).label


@dataclass
class Inputs:
    """What a job's files hold: the sheets read, and a problem for each sheet not read (an error for
    one that looks like a kind's sheet, a warning for any other; see `_sheets`)."""

    sheets: list[SheetData] = field(default_factory=list)
    unread: list[Problem] = field(default_factory=list)


def read_inputs(paths: Sequence[Path], platform: str, *, kind: str | None = None,
                limits: Limits | None = None, decimal: str | None = None) -> Inputs:
    limits = limits or Limits.from_env()
    inputs = Inputs()
    for path in paths:
        found = _read_one(Path(path), platform, kind, limits, decimal)
        inputs.sheets += found.sheets
        inputs.unread += found.unread
    return inputs


def read_files(paths: Sequence[Path], platform: str, *, kind: str | None = None,
               limits: Limits | None = None, decimal: str | None = None) -> list[SheetData]:
    """The sheets read (`read_inputs` also says which were not)."""
    return read_inputs(paths, platform, kind=kind, limits=limits, decimal=decimal).sheets


def read_file(path: Path, platform: str, *, kind: str | None = None,
              limits: Limits | None = None, decimal: str | None = None) -> list[SheetData]:
    return _read_one(Path(path), platform, kind, limits or Limits.from_env(), decimal).sheets


def _read_one(path: Path, platform: str, kind: str | None, limits: Limits, decimal: str | None = None) -> Inputs:
    """`decimal`: ',' or '.', the decimal mark of numbers typed as text in every file (None: a CSV's
    separator tells, and elsewhere a number that reads two ways is refused)."""
    check_file(path, limits)
    suffix = path.suffix.casefold()
    if suffix == ".xlsx":
        check_xlsx_container(path, limits)  # before any parser sees the file
        with parse_errors(path):
            titles = _titles(path)
            summary, values = _summary(path, titles)
            written = written_sheets(platform, summary or (), titles)
            sheets = _read_xlsx(path, platform, limits, written, values)
            # The Summary's header row is read already: openpyxl opens the workbook only for others'.
            read = {} if summary is None else {SUMMARY_SHEET: summary[0] if summary else ()}
            unread = unread_problems(path, platform, titles, lambda wanted: _header_rows(path, wanted, read), written)
            if not sheets:
                raise _nothing_read(path, platform, unread)
            add_shape_problems(path, sheets)  # merged cells, hidden rows, columns and sheets
        return Inputs(_decimal_chosen(sheets, decimal), unread)
    if suffix in (".csv", ".txt"):
        return Inputs(_decimal_chosen([_read_csv(path, platform, kind, limits)], decimal))
    raise InputError(f"{path}: bulkops reads .xlsx and .csv files, not {path.suffix or 'files without an extension'}")


def _decimal_chosen(sheets: list[SheetData], decimal: str | None) -> list[SheetData]:
    """The --decimal-comma / --decimal-point choice, over what a CSV's separator says."""
    for sheet in sheets:
        sheet.decimal = chosen_decimals(decimal) or sheet.decimal
    return sheets


def _read_xlsx(path: Path, platform: str, limits: Limits, written: Written, values: Any = None) -> list[SheetData]:
    """The sheets that hold a kind: by their names, or as the Summary sheet lists them (`written`);
    `values`: calamine's book, if it is open already."""
    chosen = plan_sheets(path, lambda title: written.kind_of(platform, title) is not None)
    if chosen is None or any(size is None for _, size in chosen):
        # No calamine at all for a workbook whose parts were not all searched (a DOCTYPE, say).
        return _read_with_openpyxl(path, platform, limits, dict(chosen or ()),
                                   values=values if chosen is not None else None, quick=chosen is not None,
                                   written=written)
    if values is None and chosen:
        values = open_book(path)
    sheets = []
    for title, size in chosen:
        with parse_errors(path, title):
            rows = fast_rows(values, size)
            if rows is None:  # text starting with '=': only openpyxl sees which cells are quote-prefixed
                built = {sheet.title: sheet for sheet in sheets}  # read already: not read again
                return _read_with_openpyxl(path, platform, limits, {t: s for t, s in chosen if t != title}, built,
                                           values, written=written)  # calamine's book, open already: not opened again
            sheets.append(_build(path, title, written.kind_of(platform, title), rows, limits))
    return sheets


def _summary(path: Path, titles: list[str]) -> tuple[list[Sequence[Any]] | None, Any]:
    """The rows of the workbook's Summary sheet (None: it has none), which say what bulkops wrote
    (see `written_sheets`), and calamine's book when it was opened to read them. The Summary is read
    as the job's sheets are: by calamine where its part allows, else by openpyxl (whose defusedxml
    refuses a DOCTYPE)."""
    if SUMMARY_SHEET not in titles:
        return None, None
    chosen = plan_sheets(path, lambda title: title == SUMMARY_SHEET)
    size = dict(chosen or ()).get(SUMMARY_SHEET)
    with parse_errors(path, SUMMARY_SHEET):
        if size is not None:
            values = open_book(path)
            rows = fast_rows(values, size)
            if rows is not None:
                return rows, values
        return _openpyxl_summary(path), None


def _openpyxl_summary(path: Path) -> list[tuple[Any, ...]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return _summary_rows(book)
    finally:
        book.close()


def _summary_rows(book: Any) -> list[tuple[Any, ...]]:
    """The Summary sheet's values as openpyxl reads them (a formula as its text); none when there is
    no such worksheet."""
    sheet = book[SUMMARY_SHEET] if SUMMARY_SHEET in book.sheetnames else None
    return list(sheet.iter_rows(values_only=True)) if hasattr(sheet, "iter_rows") else []


def _titles(path: Path) -> list[str]:
    """Every sheet's title, in the workbook's order."""
    with zipfile.ZipFile(path) as archive:
        titles = list(sheet_parts(archive))
    if titles:
        return titles
    import openpyxl  # the workbook part is not where Excel puts it: openpyxl finds it

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _header_rows(path: Path, titles: list[str], read: dict[str, Sequence[Any]]) -> dict[str, Sequence[Any]]:
    """Row 1 of each of those sheets (worksheets only): from `read`, the rows read already, else by
    openpyxl up to that row alone. openpyxl opens the workbook only when some are left: its
    read-only mode sizes every worksheet as it opens, which for a sheet without a `<dimension>` (a
    script's, or a results workbook of one) means parsing the whole sheet."""
    rows = {title: read[title] for title in titles if title in read}
    rest = [title for title in titles if title not in read]
    if not rest:
        return rows
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for title in rest:
            sheet = book[title] if title in book.sheetnames else None
            if sheet is not None and hasattr(sheet, "iter_rows"):  # a chartsheet has no cells
                with parse_errors(path, title):
                    rows[title] = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        return rows
    finally:
        book.close()


def _read_with_openpyxl(path: Path, platform: str, limits: Limits, fast: dict[str, FastSheet | None],
                        built: dict[str, SheetData] | None = None, values: Any = None, *,
                        quick: bool = True, written: Written | None = None) -> list[SheetData]:
    """The reader that sees formulas and styles, for the sheets calamine cannot read as openpyxl
    would (the others in `fast` still go through calamine, `values` if it is open already; those in
    `built` are read already). `quick`: calamine may read the formulas' saved values. `written`: what
    the Summary sheet lists (None: read here)."""
    built = built or {}
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    if written is None:
        written = written_sheets(platform, _summary_rows(book), book.sheetnames)
    if values is None and any(size for title, size in fast.items() if title not in built):
        values = open_book(path)
    saved = SavedValues(path, values, quick=quick)
    try:
        sheets = []
        for worksheet in book.worksheets:
            kind = written.kind_of(platform, worksheet.title)
            if kind is None:
                continue
            if worksheet.title in built:
                sheets.append(built[worksheet.title])
                continue
            with parse_errors(path, worksheet.title):
                size = fast.get(worksheet.title)
                rows = fast_rows(values, size) if size is not None else None
                if rows is None:
                    rows = _worksheet_rows(worksheet, saved)
                sheets.append(_build(path, worksheet.title, kind, rows, limits))
        return sheets
    finally:
        book.close()
        saved.close()


def _nothing_read(path: Path, platform: str, unread: list[Problem]) -> InputError:
    names = ", ".join(k.sheet for k in kinds_for(platform))
    why = "".join(f"; {p.message}" for p in unread if p.is_error)
    return InputError(f"{path}: no sheet bulkops knows for {platform} (expected one of: {names}){why}")


def _worksheet_rows(worksheet: Any, saved: SavedValues) -> Iterator[tuple[Any, ...]]:
    """The sheet's values as `_build` takes them, each formula cell made a value or a `Formula` with
    the value the file saved for it."""
    sheet_saved = saved.of_sheet(worksheet.title)
    for number, cells in enumerate(worksheet.iter_rows()):
        row = tuple(_cell_value(c) for c in cells)
        formulas = [at for at, cell in enumerate(cells) if cell.data_type == "f"]
        if not formulas:
            yield row
            continue
        values = list(row)
        for at in formulas:
            values[at] = formula_value(row[at], sheet_saved.value(number, at))
        yield tuple(values)


def _cell_value(cell: Any) -> Any:
    """A cell's value; a text cell that starts with '=' is text only when it is quote-prefixed (how
    bulkops writes platform text, and what Excel does with a typed apostrophe). Any other '=' cell,
    a formula or a plain string another program wrote, stays a str that coercion refuses: a program
    that opens it could run it."""
    value = cell.value
    if isinstance(value, str) and cell.data_type == "s" and value.lstrip().startswith("=") \
            and cell.style_array.quotePrefix:
        return Text(value)
    return value


def _csv_value(value: str) -> str:
    """The CSV form of the same rule: an apostrophe before a formula trigger (what bulkops' CSV
    export writes, and what spreadsheet programs hide) means the rest is text."""
    if value.startswith("'") and needs_neutralising(value[1:]):
        return Text(value[1:])
    return value


def _read_csv(path: Path, platform: str, kind_name: str | None, limits: Limits) -> SheetData:
    name = kind_name or path.stem
    try:
        kind = kind_named(platform, name)
    except ConfigError:
        if kind_name:
            raise
        names = ", ".join(k.name for k in kinds_for(platform))
        raise InputError(f"{path}: cannot tell which kind this CSV holds from its name; "
                         f"name it after a kind ({names}) or pass --kind") from None
    text = decode_csv(path, path.read_bytes())
    rows = ([_csv_value(v) for v in cells] for cells in csv_rows(path, text))
    sheet = _build(path, kind.sheet, kind, rows, limits)
    sheet.decimal = decimals_of(text)
    return sheet


def _build(path: Path, title: str, kind: Kind, rows: Iterable[Sequence[Any]], limits: Limits) -> SheetData:
    iterator = iter(rows)
    header_cells = next(iterator, None) or ()
    headers, positions, output_columns, problems = _match_headers(path, title, kind, header_cells)
    # One list per column rather than a dict per row: a million-row sheet would hold a million dicts.
    at = [p - 1 for p in positions.values()]
    columns: list[list[Any]] = [[] for _ in at]
    # One object per distinct text of a column: a million rows of "US" or of forty campaign IDs
    # would otherwise hold a million strings each (~50 bytes apiece).
    shared: list[dict[str, str]] = [{} for _ in at]
    index: list[int] = []
    previous: dict[int, str] = {}
    unnamed, stray = [i for i, c in enumerate(header_cells) if is_blank(c)], {}  # stray: column -> first row
    status_at = output_columns.get(STATUS_HEADER, 0) - 1
    for row_number, cells in enumerate(iterator, start=2):
        if _blank_row(cells):
            continue
        if unnamed or len(cells) > len(header_cells):
            _note_stray(cells, len(header_cells), unnamed, row_number, stray)
        if len(index) >= limits.max_rows:
            raise InputError(f"{path} / {title}: more than {limits.max_rows:,} rows; split the file or raise "
                             f"the cap with {ROWS_VARIABLE}")
        width = len(cells)
        for column, seen, position in zip(columns, shared, at, strict=True):
            value = cells[position] if position < width else None
            if value.__class__ is str:  # not Text, which equals its str but must stay Text
                value = seen.setdefault(value, value)
            column.append(value)
        index.append(row_number)
        if 0 <= status_at < width and not is_blank(cells[status_at]):
            previous[row_number] = str(cells[status_at]).strip().casefold()
    problems += _stray_problems(path, title, header_cells, stray)
    frame = _frame(dict(zip(positions, columns, strict=True)), index)
    return SheetData(path=path, title=title, kind=kind, frame=frame, headers=headers, positions=positions,
                     width=len(header_cells), output_columns=output_columns, previous_status=previous,
                     problems=problems)


def _blank_row(cells: Sequence[Any]) -> bool:
    """`all(is_blank(c) for c in cells)`, quick for the usual row, whose first cell is a value."""
    for cell in cells:
        if cell is None:
            continue
        if cell.__class__ is str:
            if cell.strip():
                return False
        elif not is_blank(cell):
            return False
    return True


def _frame(columns: dict[str, list[Any]], index: list[int]) -> pd.DataFrame:
    """Raw cells as object columns, with pandas' inference on the way as before (a numeric column
    with blanks holds floats and NaN), one column at a time so no second copy of the sheet is held."""
    frame = pd.DataFrame(index=pd.Index(index, name="row"))
    for name in list(columns):
        frame[name] = pd.Series(columns.pop(name), index=frame.index).astype(object)
    return frame


def _note_stray(cells: Sequence[Any], width: int, unnamed: list[int], row: int, stray: dict[int, int]) -> None:
    """Remember the first row of each column that has a value but no header."""
    for column in (*unnamed, *range(width, len(cells))):
        if column not in stray and column < len(cells) and not is_blank(cells[column]):
            stray[column] = row


def _stray_problems(path: Path, title: str, header_cells: Sequence[Any], stray: dict[int, int]) -> list[Problem]:
    """Values under no header would silently not be sent: an error, like an unknown header."""
    from openpyxl.utils.cell import get_column_letter

    if stray and all(is_blank(c) for c in header_cells):
        return [Problem(path.name, title, 1, None, "no-header", "row 1 is blank; the header (the column names) "
                        "must be the first row")]
    return [Problem(path.name, title, 1, f"column {get_column_letter(column + 1)}", "unnamed-column",
                    f"column {get_column_letter(column + 1)} has values (the first in row {row}) but no header, so "
                    "they would not be sent; give it a header (start it with # to keep it as a note) or clear it")
            for column, row in sorted(stray.items())]


def _match_headers(path: Path, title: str, kind: Kind, cells: Sequence[Any]):
    aliases: dict[str, str] = {}
    for col in kind.columns:
        aliases[normalise_header(col.label)] = col.field
        aliases[normalise_header(col.field)] = col.field
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    output_columns: dict[str, int] = {}
    problems: list[Problem] = []
    for number, cell in enumerate(cells, start=1):
        if is_blank(cell):
            continue
        text = str(cell).strip()
        if text in OUTPUT_HEADERS:
            output_columns[text] = number
            continue
        if text.startswith("#"):
            continue  # the user's own notes column
        field_name = aliases.get(normalise_header(text))
        if field_name is None:
            problems.append(_unknown_header(path, title, text, kind))
        elif field_name in positions:
            problems.append(Problem(path.name, title, 1, text, "duplicate-column",
                                    f"column {text!r} appears twice; keep one"))
        else:
            headers[field_name] = text
            positions[field_name] = number
    return headers, positions, output_columns, problems


def _unknown_header(path: Path, title: str, text: str, kind: Kind) -> Problem:
    labels = [c.label for c in kind.columns]
    guess = difflib.get_close_matches(text, labels + [c.field for c in kind.columns], n=1, cutoff=0.6)
    hint = f"; did you mean {guess[0]!r}?" if guess else ""
    # An unknown column is an error, not a warning: its values would silently not be sent.
    return Problem(path.name, title, 1, text, "unknown-column",
                   f"column {text!r} is not a {kind.sheet} column{hint} (rename it, delete it, or start "
                   "its header with # to keep it as a note)")
