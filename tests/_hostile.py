"""Hostile and broken input files, built byte by byte, for the reader's tests and the CLI's table.

Each builder takes a folder and returns the path of one bad file. They start from a real template
(a valid one-row Campaigns workbook) wherever the attack lives inside an otherwise valid xlsx.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula

from bulkops.io import write_filled
from tests.conftest import campaign

ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
               b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
               b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n')
EXTERNAL_ENTITY = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def valid_xlsx(folder: Path, name: str = "campaigns.xlsx", rows: list[dict] | None = None) -> Path:
    return write_filled(folder / name, "smartyads", {"campaigns": rows or [campaign()]})


def _sheet_part(path: Path, title: str = "Campaigns") -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return book[title]._worksheet_path  # the sheet's part inside the archive
    finally:
        book.close()


def rewrite_part(path: Path, part: str, change) -> Path:
    """The same archive with one part's bytes passed through `change`."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def with_doctype(prefix: bytes, body: bytes, entity: bytes) -> bytes:
    """The part's XML with a DOCTYPE declaring entities, and one used in its first text node."""
    start = body.index(b"?>") + 2 if body.startswith(b"<?xml") else 0
    xml = prefix + body[start:].lstrip()
    return xml.replace(b"<v>", b"<v>" + entity, 1) if b"<v>" in xml else xml.replace(b"<t>", b"<t>" + entity, 1)


def entity_bomb_in_sheet(folder: Path) -> Path:
    path = valid_xlsx(folder)
    return rewrite_part(path, _sheet_part(path), lambda body: with_doctype(ENTITY_BOMB, body, b"&lol3;"))


def external_entity_in_sheet(folder: Path) -> Path:
    path = valid_xlsx(folder)
    return rewrite_part(path, _sheet_part(path), lambda body: with_doctype(EXTERNAL_ENTITY, body, b"&xxe;"))


def entity_bomb_in_workbook_part(folder: Path) -> Path:
    """Declared, not even used: defusedxml refuses the declaration itself."""
    path = valid_xlsx(folder)
    return rewrite_part(path, "xl/workbook.xml", lambda body: with_doctype(ENTITY_BOMB, body, b""))


def text_named_xlsx(folder: Path) -> Path:
    path = folder / "campaigns.xlsx"
    path.write_text("Name,Type\nOne,banner\n")
    return path


def ole_named_xlsx(folder: Path) -> Path:
    path = folder / "campaigns.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return path


def truncated_xlsx(folder: Path) -> Path:
    path = valid_xlsx(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def corrupt_sheet_data(folder: Path) -> Path:
    """The sheet part's compressed bytes overwritten in the middle: a CRC or inflate error on reading."""
    path = valid_xlsx(folder)
    part = _sheet_part(path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    data = bytearray(path.read_bytes())
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    middle = start + info.compress_size // 2
    data[middle: middle + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    return path


def _patch_central(path: Path, part: str, offset: int, fmt: str, value: int) -> Path:
    """Change one field of a part's central-directory record (offset from its PK\\x01\\x02 signature)."""
    data = bytearray(path.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    at = struct.unpack("<I", data[end + 16: end + 20])[0]  # where the central directory starts
    while True:
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[at + 28: at + 34])
        if data[at + 46: at + 46 + name_len].decode() == part:
            break
        at += 46 + name_len + extra_len + comment_len
    struct.pack_into(fmt, data, at + offset, value)
    path.write_bytes(bytes(data))
    return path


def sizes_that_lie(folder: Path) -> Path:
    """The sheet part says it unpacks to 200 bytes: zipfile stops there and the CRC fails."""
    path = valid_xlsx(folder)
    return _patch_central(path, _sheet_part(path), 24, "<I", 200)


def declared_size_over_the_limit(folder: Path) -> Path:
    """A part that says it unpacks to 4 GB: refused from the directory, nothing inflated."""
    path = valid_xlsx(folder)
    return _patch_central(path, _sheet_part(path), 24, "<I", 0xF000_0000)


def encrypted_part(folder: Path) -> Path:
    path = valid_xlsx(folder)
    return _patch_central(path, _sheet_part(path), 8, "<H", 0x1)


def zip_bomb(folder: Path) -> Path:
    path = valid_xlsx(folder)
    return rewrite_part(path, "docProps/app.xml", lambda body: body + b" " * 20_000_000)


def too_many_parts(folder: Path) -> Path:
    path = valid_xlsx(folder)
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(10_001):
            archive.writestr(f"customXml/item{number}.xml", b"")
    return path


def docx_named_xlsx(folder: Path) -> Path:
    path = folder / "campaigns.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return path


def _with_cells(folder: Path, fill) -> Path:
    path = valid_xlsx(folder, rows=[campaign(), campaign(ref="c2", name="Two"), campaign(ref="c3", name="Three")])
    book = openpyxl.load_workbook(path)
    fill(book["Campaigns"], _columns(book["Campaigns"]))
    book.save(path)
    return path


def _columns(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value}


def formula_without_cached_value(folder: Path) -> Path:
    return _with_cells(folder, lambda sheet, cols: setattr(sheet.cell(3, cols["Name"]), "value", "=A2&\"!\""))


def text_starting_with_equals(folder: Path) -> Path:
    def fill(sheet, cols):
        cell = sheet.cell(4, cols["Advertiser Domain"])
        cell.value, cell.data_type = "=cmd|' /C calc'!A0", "s"
    return _with_cells(folder, fill)


def array_formula(folder: Path) -> Path:
    def fill(sheet, cols):
        letter = sheet.cell(2, cols["Name"]).column_letter
        sheet.cell(2, cols["Name"]).value = ArrayFormula(f"{letter}2", "=UPPER(\"x\")")
    return _with_cells(folder, fill)


def merged_cells(folder: Path) -> Path:
    def fill(sheet, cols):
        letter = sheet.cell(1, cols["Type"]).column_letter
        sheet.merge_cells(f"{letter}2:{letter}3")
    return _with_cells(folder, fill)


def unknown_header(folder: Path) -> Path:
    return _with_cells(folder, lambda sheet, cols: setattr(sheet.cell(1, cols["Name"]), "value", "Nmae"))


def csv_bytes(folder: Path, data: bytes, name: str = "campaigns.csv") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def copied_sheet(folder: Path) -> Path:
    """Campaigns with a copy of its sheet, named as Excel names a copy (`Campaigns (2)`), holding one
    more campaign: its row would silently not be sent."""
    path = valid_xlsx(folder)
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book["Campaigns"])
    copy.title = "Campaigns (2)"
    copy["A2"], copy["B2"] = "c2", "Two"
    book.save(path)
    return path


def sheet_of_a_kinds_columns(folder: Path) -> Path:
    """Campaigns and a `Sheet1` whose header row is Geo ZIP's columns."""
    path = valid_xlsx(folder)
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Sheet1")
    sheet.append(["ZIP", "Country", "Campaign", "Include"])
    sheet.append(["02134", "US", "c1", "TRUE"])
    book.save(path)
    return path


def formula_showing_a_value(folder: Path) -> Path:
    """A workbook LibreOffice saved (see tests/io/libreoffice/make.py) with a Daily Spend Limit
    of =AS2*2, which shows 300."""
    path = folder / "formulas.xlsx"
    path.write_bytes((Path(__file__).parent / "io" / "libreoffice" / "formulas.xlsx").read_bytes())
    return path
