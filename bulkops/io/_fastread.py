"""The fast path of the .xlsx reader: cell values through python-calamine, for sheets where that
gives exactly what the openpyxl path gives.

calamine reads values 10-20x faster than openpyxl, but it cannot see formulas (it hands over the
cached value, or nothing), error cells (it hands over ""), or a cell's style (so not Excel's quote
prefix, which decides whether text starting with '=' is text). So every part calamine would parse
is first searched as bytes, in bounded chunks, and a sheet is read the slow way when its XML has
a formula other than LibreOffice's boolean cells, an error cell or no `<dimension>` (openpyxl
sizes rows by it), and the whole workbook is when any part declares a DOCTYPE (defusedxml, on the
openpyxl path, refuses those with the message users see). LibreOffice saves every TRUE/FALSE cell
as a constant formula with its value, `<c r="F2" s="0" t="b"><f aca="false">TRUE()</f><v>1</v></c>`;
when every formula element of a sheet is in a cell of exactly that shape whose value agrees
(`TRUE()` with 1, `FALSE()` with 0), calamine's value (the saved boolean) is what the openpyxl path
makes of it, and the sheet stays on the fast path.

A sheet whose values include text starting with '=' is read again the slow way too: only openpyxl
knows which of those cells are quote-prefixed. Values are then given the types openpyxl gives:
None for a blank cell, int for a whole number, datetime for a date.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import column_index_from_string, range_boundaries

from bulkops.io._shape import sheet_parts

_CHUNK = 1 << 20
_OVERLAP = 256  # bytes kept between chunks, so that a tag (or a boolean cell) split by a chunk boundary is still seen
# What calamine cannot reproduce: a formula element, an error cell (t="e"), a document type
# declaration. Found with bytes.find and one regex search a chunk, which keep a 15 MB sheet part's
# scan to milliseconds; a false alarm (the same bytes inside a text) only sends the sheet to openpyxl.
_DOCTYPE = (b"<!DOCTYPE", b"<!ENTITY")
_FORMULA = re.compile(rb"<f[\s>/]")  # one search of the chunk, not one per spelling
_PREFIXED_F = re.compile(rb":f[\s>/]")  # <x:f>: a rare literal, so the regex skips ahead quickly
# A boolean cell as LibreOffice writes it, whose constant formula agrees with its saved value;
# from its type attribute (the last LibreOffice writes; a rare literal, so the regex skips ahead).
_CONSTANT_CELL = re.compile(rb' t="b"[^<>]*><f(?: aca="(?:false|true)")?>(?:TRUE\(\)</f><v>1|FALSE\(\)</f><v>0)'
                            rb'</v></c>')
_ERROR_VALUES = (b'"e"', b"'e'")
_ERROR_ATTR = re.compile(rb"\bt\s*=\s*$")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*[\"']([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)")
_HEAD = 1 << 16  # the dimension and the header row come first in a sheet's XML
_P = rb"<(?:[A-Za-z_][\w.-]*:)?"
_FIRST_ROW = re.compile(_P + rb"row\b[^>]*?\br\s*=\s*[\"'](\d+)[\"'][^>]*?(/?)>")
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row>")
_CELL = re.compile(_P + rb"c\b[^>]*?\br\s*=\s*[\"']([A-Z]+)1[\"']")
_ANY_CELL = re.compile(_P + rb"c[\s/>]")
_WHOLE = 1e15


@dataclass(frozen=True)
class FastSheet:
    """A sheet calamine may read, and how openpyxl would size its rows: by the `<dimension>` when the
    sheet declares one (rows cut to it), else each row as long as its cells (the header's width)."""

    title: str
    header_width: int
    max_column: int | None = None
    max_row: int | None = None


def plan_sheets(path: Path, wanted: Callable[[str], bool]) -> list[tuple[str, FastSheet | None]] | None:
    """The worksheets whose title `wanted` takes, in the workbook's order, each with how calamine may
    read it (None: openpyxl must); None when openpyxl must read the whole workbook (a part declares
    a DOCTYPE, or the workbook part is not where Excel puts it)."""
    with zipfile.ZipFile(path) as archive:
        if any(_found(archive, part, _DOCTYPE) for part in _shared_parts(archive)):
            return None
        parts = sheet_parts(archive)
        if not parts:
            return None
        chosen: list[tuple[str, FastSheet | None]] = []
        for title, (part, _state) in parts.items():
            if part.startswith("xl/chartsheets/") or not wanted(title):
                continue  # openpyxl lists no chartsheet among worksheets
            if not part.startswith("xl/worksheets/") or part not in archive.NameToInfo:
                return None
            size = _size(title, archive, part)
            slow = size is None or _needs_openpyxl(archive, part)
            chosen.append((title, None if slow else size))
        return chosen


def _shared_parts(archive: zipfile.ZipFile) -> list[str]:
    """Every XML part but the sheets (those are searched one by one, when wanted): calamine may read
    any the workbook's relationships name (shared strings, styles, wherever they are)."""
    return [name for name in archive.NameToInfo
            if name.endswith((".xml", ".rels")) and not name.startswith("xl/worksheets/")]


def _size(title: str, archive: zipfile.ZipFile, part: str) -> FastSheet | None:
    with archive.open(part) as stream:
        head = stream.read(_HEAD)
    match = _DIMENSION.search(head)
    if match is None:
        width = _header_width(head)
        return None if width is None else FastSheet(title, width)
    ref = match.group(1).decode("ascii")
    _min_col, _min_row, max_col, max_row = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    return FastSheet(title, max_col, max_col, max_row)


def _header_width(head: bytes) -> int | None:
    """Where row 1's last cell element is (openpyxl's header width without a dimension); None when
    that is not plain to see in the part's first bytes."""
    match = _FIRST_ROW.search(head)
    if match is None or match.group(1) != b"1":
        return None
    if match.group(2):  # <row r="1"/>: an empty header
        return 0
    end = _ROW_END.search(head, match.end())
    if end is None:
        return None
    body = head[match.end():end.start()]
    cells = _CELL.findall(body)
    if len(cells) != len(_ANY_CELL.findall(body)):
        return None  # a cell without an r attribute: openpyxl counts those; leave it to openpyxl
    return max((column_index_from_string(c.decode("ascii")) for c in cells), default=0)


def _found(archive: zipfile.ZipFile, part: str, needles: tuple[bytes, ...]) -> bool:
    """Whether the part holds any of the needles."""
    return any(any(needle in chunk for needle in needles) for chunk, _seen in _chunks(archive, part))


def _needs_openpyxl(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a sheet's part holds a DOCTYPE, an error cell, or a formula element that is not in one
    of LibreOffice's boolean cells (`_CONSTANT_CELL`). Formula elements and boolean cells are counted
    over the whole part; each chunk counts those that end in its new bytes (past the `seen` ones it
    shares with the chunk before), so a match cut by a chunk boundary is counted once, in the chunk
    that holds it whole."""
    formulas = constants = 0
    for chunk, seen in _chunks(archive, part):
        if any(needle in chunk for needle in _DOCTYPE) or _PREFIXED_F.search(chunk) or _error_cell(chunk):
            return True
        formulas += len(_FORMULA.findall(chunk, max(0, seen - 2)))  # a match is 3 bytes: it ends past seen
        constants += sum(1 for match in _CONSTANT_CELL.finditer(chunk) if match.end() > seen)
    return formulas != constants


def _error_cell(chunk: bytes) -> bool:
    for value in _ERROR_VALUES:
        at = chunk.find(value)
        while at >= 0:
            if _ERROR_ATTR.search(chunk, max(0, at - 16), at):
                return True
            at = chunk.find(value, at + 1)
    return False


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[bytes, int]]:
    """The part in chunks, each after the last bytes of the one before, and how many those are."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            yield buffer, len(tail)
            tail = buffer[-_OVERLAP:]


def open_book(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path))


class _Unquoted(Exception):
    """A text value starts with '=': the sheet must be read by openpyxl, which sees the quote prefix."""


def fast_rows(book: Any, sheet: FastSheet) -> list[list[Any]] | None:
    """The sheet's rows with the values openpyxl's read-only mode gives (the header as wide as it
    would make it; rows past a declared dimension dropped, as it drops them); None when a text
    value starts with '=' (see the module's note)."""
    rows = book.get_sheet_by_name(sheet.title).to_python(skip_empty_area=False)
    if sheet.max_row is not None:
        rows = rows[:sheet.max_row]
    width = sheet.max_column
    try:  # in place: each of calamine's rows is freed as its converted copy replaces it
        for at, cells in enumerate(rows):
            rows[at] = _row(cells if width is None else cells[:width])
    except _Unquoted:
        return None
    if rows:
        header = rows[0]
        rows[0] = header[:sheet.header_width] + [None] * (sheet.header_width - len(header))
    return rows


def _row(cells: list[Any]) -> list[Any]:
    row = []
    for value in cells:
        if value.__class__ is str:
            if not value:
                value = None
            elif "=" in value and value.lstrip().startswith("="):
                raise _Unquoted
        else:
            value = _value(value)
        row.append(value)
    return row


def _value(value: Any) -> Any:
    """calamine's value as openpyxl types it."""
    kind = value.__class__
    if kind is float:
        # openpyxl makes an int of a number written without '.' or an exponent, as Excel writes
        # whole numbers below 10^15 (it writes 1E+20)
        return int(value) if value.is_integer() and -_WHOLE < value < _WHOLE else value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value
