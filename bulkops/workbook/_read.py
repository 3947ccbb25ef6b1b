"""Read .xlsx and .csv files into one frame per sheet, keeping the spreadsheet's row numbers.

Headers are matched to a kind's columns by label or by API field name, ignoring case, spaces and
punctuation. Cells stay as the user typed them: coercion and validation come later, so that every
problem can be reported with its row and column.

Text that starts with '=' is a formula only when its cell is one: a string cell (what bulkops writes
for platform text, with Excel's quote prefix) and a CSV cell written `'=...` (the apostrophe that
spreadsheet programs hide, and that bulkops writes before text that could run as a formula) are read
as `Text`, which coercion takes as the value it is.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from bulkops._exceptions import ConfigError, InputError
from bulkops._problems import Problem
from bulkops.kinds import Kind, kind_named, kinds_for
from bulkops.kinds._coerce import Text, is_blank
from bulkops.workbook._safe import DEFAULT_LIMITS, Limits, check_file, check_xlsx_container

# Columns the results workbook adds; read back, they describe an earlier run rather than input.
STATUS_HEADER = "Status"
MESSAGE_HEADER = "Message"
OUTPUT_HEADERS = (STATUS_HEADER, MESSAGE_HEADER)
# Sheets bulkops writes that are not input.
AUXILIARY_SHEETS = ("Instructions", "Summary", "Lists", "Plan")


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

    @property
    def file(self) -> str:
        return self.path.name

    def header(self, field_name: str) -> str:
        return self.headers.get(field_name) or self.kind.column(field_name).label


def normalise_header(text: str) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def read_files(paths: Sequence[Path], platform: str, *, kind: str | None = None,
               limits: Limits = DEFAULT_LIMITS) -> list[SheetData]:
    sheets: list[SheetData] = []
    for path in paths:
        sheets += read_file(Path(path), platform, kind=kind, limits=limits)
    return sheets


def read_file(path: Path, platform: str, *, kind: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> list[SheetData]:
    check_file(path, limits)
    suffix = path.suffix.casefold()
    if suffix == ".xlsx":
        return _read_xlsx(path, platform, limits)
    if suffix in (".csv", ".txt"):
        return [_read_csv(path, platform, kind, limits)]
    raise InputError(f"{path}: bulkops reads .xlsx and .csv files, not {path.suffix or 'files without an extension'}")


def _read_xlsx(path: Path, platform: str, limits: Limits) -> list[SheetData]:
    import openpyxl

    check_xlsx_container(path, limits)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputError(f"{path}: cannot read this workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheets = []
        for worksheet in book.worksheets:
            kind = _kind_for_sheet(platform, worksheet.title)
            if kind is None:
                continue
            sheets.append(_build(path, worksheet.title, kind, _xlsx_rows(worksheet), limits))
        if not sheets:
            names = ", ".join(k.sheet for k in kinds_for(platform))
            raise InputError(f"{path}: no sheet bulkops knows for {platform} (expected one of: {names})")
        return sheets
    finally:
        book.close()


def _kind_for_sheet(platform: str, title: str) -> Kind | None:
    if title in AUXILIARY_SHEETS:
        return None
    try:
        return kind_named(platform, title)
    except ConfigError:
        return None


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
    rows = csv.reader(io.StringIO(_decode(path)), _dialect(path))
    return _build(path, kind.sheet, kind, _csv_rows(rows), limits)


def _looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.lstrip().startswith("=")


def _xlsx_rows(worksheet: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's values row by row; text starting with '=' in a string cell becomes Text. Cell types
    cost time to read, so they are read only from the first row holding such text on."""
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if not any(_looks_like_formula(v) for v in values):
            yield values
            continue
        for cells in worksheet.iter_rows(min_row=number):
            yield tuple(Text(c.value) if c.data_type == "s" and _looks_like_formula(c.value) else c.value
                        for c in cells)
        return


def _csv_rows(rows: Iterable[list[str]]) -> Iterator[list[Any]]:
    """The CSV's cells; `'=...` (an apostrophe before a formula trigger) is the text after it."""
    from bulkops.workbook._style import FORMULA_TRIGGERS

    for cells in rows:
        yield [Text(c[1:]) if c.startswith("'") and c[1:].startswith(FORMULA_TRIGGERS) else c for c in cells]


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path}: this is not a text CSV file (it holds binary data)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page, which is cp1252 for most buyers.
        return raw.decode("cp1252", errors="replace")


def _dialect(path: Path) -> type[csv.Dialect] | csv.Dialect:
    sample = _decode(path)[:8192]
    try:
        return csv.Sniffer().sniff(sample.splitlines()[0] if sample else ",", delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _build(path: Path, title: str, kind: Kind, rows: Iterable[Sequence[Any]], limits: Limits) -> SheetData:
    iterator = iter(rows)
    header_cells = next(iterator, None) or ()
    headers, positions, output_columns, problems = _match_headers(path, title, kind, header_cells)
    records: list[dict[str, Any]] = []
    index: list[int] = []
    previous: dict[int, str] = {}
    for row_number, cells in enumerate(iterator, start=2):
        if all(is_blank(c) for c in cells):
            continue
        if len(index) >= limits.max_rows:
            raise InputError(f"{path} / {title}: more than {limits.max_rows:,} rows; split the file or raise the limit")
        records.append({f: cells[p - 1] if p - 1 < len(cells) else None for f, p in positions.items()})
        index.append(row_number)
        status_at = output_columns.get(STATUS_HEADER)
        if status_at and status_at - 1 < len(cells) and not is_blank(cells[status_at - 1]):
            previous[row_number] = str(cells[status_at - 1]).strip().casefold()
    frame = pd.DataFrame.from_records(records, index=pd.Index(index, name="row"), columns=list(positions))
    frame = frame.astype(object)
    return SheetData(path=path, title=title, kind=kind, frame=frame, headers=headers, positions=positions,
                     width=len(header_cells), output_columns=output_columns, previous_status=previous,
                     problems=problems)


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
