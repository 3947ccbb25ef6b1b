"""What a sheet looks like in Excel but not in its cells: merged cells, hidden rows, columns, sheets.

Decisions (see README, "Hostile input"):

- **Merged cells** in the data are refused (an error on each row they cover): Excel shows the
  value across the merge, but the file holds it only in the top-left cell, so the other rows would
  be read blank. A merged header is refused for the same reason (the other columns have no header).
- **Hidden rows, columns and sheets** are read like any other (a filter hides rows, and "no row
  lost" means a row the buyer cannot see is still one they wrote), with a warning on each, so the
  results workbook says so where the buyer looks.
- Blank rows between data are skipped and the rows after them read with their own row numbers
  (the reader does that; nothing here).

openpyxl's read-only mode (and other fast readers) does not expose any of this, so it is read here
from the archive itself: the workbook part for sheet names and states, and each sheet's XML, searched
as bytes for `hidden` and `mergeCell`, whose enclosing tag is then read (a `<` in text is always
escaped, so what starts with `<row`, `<col` or `<mergeCell` is a tag). The small parts are parsed
with defusedxml; the sheet part is only searched, in bounded chunks.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from defusedxml import ElementTree
from openpyxl.utils.cell import get_column_letter, range_boundaries

from bulkops._problems import Problem, Severity

if TYPE_CHECKING:
    from bulkops.io._read import SheetData

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CHUNK = 1 << 20
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|col|mergeCell)\b([^>]*)>")
_ATTR = re.compile(rb"""\b(r|min|max|hidden|ref)\s*=\s*["']([^"']*)["']""")
_TRUE = {b"1", b"true"}


@dataclass
class Shape:
    """One sheet's merged ranges (min_col, min_row, max_col, max_row), hidden rows and columns."""

    state: str = "visible"
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)


def add_shape_problems(path: Path, sheets: Sequence[SheetData]) -> None:
    """Each sheet's merged cells (errors) and hidden rows, columns and sheet (warnings) join its problems."""
    shapes = read_shapes(path, {s.title for s in sheets})
    for sheet in sheets:
        shape = shapes.get(sheet.title)
        if shape is not None:
            sheet.problems += shape_problems(sheet, shape)


def read_shapes(path: Path, titles: set[str]) -> dict[str, Shape]:
    with zipfile.ZipFile(path) as archive:
        parts = sheet_parts(archive)
        shapes = {}
        for title, (part, state) in parts.items():
            if title in titles and part in archive.NameToInfo:
                shapes[title] = _scan(archive, part, Shape(state=state))
        return shapes


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """Sheet title → (its part in the archive, its state), from xl/workbook.xml and its relationships."""
    if "xl/workbook.xml" not in archive.NameToInfo:
        return {}  # a workbook part under another name: openpyxl found it; the checks are skipped
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = ElementTree.fromstring(archive.read(rels_name)) if rels_name in archive.NameToInfo else None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")} if rels else {}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts[sheet.get("name", "")] = (part, sheet.get("state", "visible"))
    return parts


def _scan(archive: zipfile.ZipFile, part: str, shape: Shape) -> Shape:
    for name, attrs in _tags(archive, part):
        if name == b"mergeCell" and b"ref" in attrs:
            shape.merged.append(range_boundaries(attrs[b"ref"].decode("ascii")))
        elif attrs.get(b"hidden") not in _TRUE:
            continue
        elif name == b"row" and attrs.get(b"r", b"").isdigit():  # Excel, LibreOffice and openpyxl write r
            shape.hidden_rows.add(int(attrs[b"r"]))
        elif name == b"col":
            low, high = int(attrs.get(b"min", b"0")), int(attrs.get(b"max", b"0"))
            shape.hidden_columns.update(range(low, min(high, low + 16_384) + 1))  # Excel has 16,384 columns
    return shape


def _tags(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[bytes, dict[bytes, bytes]]]:
    """(tag name, attributes) of the row, col and mergeCell tags that say hidden or merged, reading
    the part in chunks; found with bytes.find, so a sheet of 40,000 visible rows costs milliseconds."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")  # a tag may straddle chunks: keep the last one for the next
            done, tail = (buffer[:cut], buffer[cut:]) if cut >= 0 else (buffer, b"")
            yield from _marked(done)
    yield from _marked(tail)


def _marked(text: bytes) -> Iterator[tuple[bytes, dict[bytes, bytes]]]:
    for needle in (b"hidden", b"mergeCell"):
        at = text.find(needle)
        while at >= 0:
            start, end = text.rfind(b"<", 0, at), text.find(b">", at)
            match = _TAG.match(text, start, end + 1) if start >= 0 and end >= 0 else None
            if match is not None:
                yield match.group(1), dict(_ATTR.findall(match.group(2)))
            at = text.find(needle, max(at + 1, end))


def shape_problems(sheet: SheetData, shape: Shape) -> list[Problem]:
    fields_at = {column: name for name, column in sheet.positions.items()}
    rows = set(int(r) for r in sheet.frame.index)
    problems = [p for box in shape.merged for p in _merged(sheet, box, fields_at, rows)]
    for row in sorted(shape.hidden_rows & rows):
        problems.append(_problem(sheet, row, None, "hidden", "this row is hidden in Excel; it is read and pushed "
                                 "like any other (set Action to skip to leave it out)", warning=True))
    for column in sorted(shape.hidden_columns & set(fields_at)):
        problems.append(_problem(sheet, 1, sheet.header(fields_at[column]), "hidden", "this column is hidden in "
                                 "Excel; its values are read and sent like any other", warning=True))
    if shape.state != "visible":
        problems.append(_problem(sheet, None, None, "hidden", "this sheet is hidden in Excel; its rows are read "
                                 "and pushed like any other", warning=True))
    return problems


def _merged(sheet: SheetData, box: tuple[int, int, int, int], fields_at: dict[int, str],
            rows: set[int]) -> list[Problem]:
    min_col, min_row, max_col, max_row = box
    known = [c for c in range(min_col, max_col + 1) if c in fields_at]
    if not known or (min_col == max_col and min_row == max_row):
        return []  # a merge over notes or unknown columns sends nothing; a 1x1 "merge" is no merge
    ref = _ref(box)
    label = sheet.header(fields_at[known[0]])
    if min_row == 1:
        return [_problem(sheet, 1, label, "merged", f"header cells {ref} are merged; give each column its own "
                         "header")]
    first = _ref((min_col, min_row, min_col, min_row))
    message = (f"cells {ref} are merged: Excel shows one value across them, but only {first} holds it and "
               "the others would be read blank; unmerge them and fill in every cell")
    return [_problem(sheet, row, label, "merged", message) for row in range(min_row, max_row + 1) if row in rows]


def _ref(box: tuple[int, int, int, int]) -> str:
    min_col, min_row, max_col, max_row = box
    start = f"{get_column_letter(min_col)}{min_row}"
    return start if (min_col, min_row) == (max_col, max_row) else f"{start}:{get_column_letter(max_col)}{max_row}"


def _problem(sheet: SheetData, row: int | None, column: str | None, code: str, message: str, *,
             warning: bool = False) -> Problem:
    return Problem(sheet.file, sheet.title, row, column, code, message,
                   Severity.WARNING if warning else Severity.ERROR)
