"""An .xlsx package copied part by part, with some worksheets rewritten and one new worksheet put
first (the Summary). Every part that does not change is copied as it was: the user's notes,
dropdowns, drawings and formats survive because nothing re-creates them."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO

from bulkops.workbook._stylesxml import Styles
from bulkops.workbook._xmlbits import Unsupported, attributes, check_plain, escape

_WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_RE = re.compile(rb"<sheet\b([^>]*?)/>")
_REL_RE = re.compile(rb"<Relationship\b([^>]*?)/>")


class Package:
    """The parts of one workbook, read once; `save` writes the copy."""

    def __init__(self, path: Path | BinaryIO) -> None:
        with zipfile.ZipFile(path) as archive:
            self.infos = archive.infolist()
            self.parts = {info.filename: archive.read(info) for info in self.infos}
        self.workbook_part = self._workbook_part()
        self.rels_part = _rels_of(self.workbook_part)
        for part in (self.workbook_part, self.rels_part, "[Content_Types].xml"):
            check_plain(self.parts[part], part)
        self.rels = {a[b"Id"].decode(): a for a in map(attributes, _REL_RE.findall(self.parts[self.rels_part]))}
        self.sheets = [attributes(m) for m in _SHEET_RE.findall(self.parts[self.workbook_part])]
        self.styles_part = self._target_of_type(_STYLES_REL)
        self.styles = Styles(self.parts[self.styles_part])

    def _workbook_part(self) -> str:
        types = self.parts.get("[Content_Types].xml")
        if types is None:
            raise Unsupported("no [Content_Types].xml")
        for match in re.finditer(rb"<Override\b([^>]*?)/>", types):
            attrs = attributes(match.group(1))
            if attrs.get(b"ContentType") == _WORKBOOK_TYPE.encode():
                return attrs[b"PartName"].decode().lstrip("/")
        raise Unsupported("no workbook part")

    def _target(self, rel: Mapping[bytes, bytes]) -> str:
        target = rel[b"Target"].decode()
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.workbook_part), target))

    def _target_of_type(self, kind: str) -> str:
        for rel in self.rels.values():
            if rel.get(b"Type") == kind.encode():
                return self._target(rel)
        raise Unsupported(f"no {kind.rsplit('/', 1)[-1]} part")

    def sheet_part(self, title: str) -> str:
        for sheet in self.sheets:
            if sheet.get(b"name") == escape(title, quote=True):
                rel = self.rels[_rel_id(sheet)]
                return self._target(rel)
        raise Unsupported(f"no sheet {title!r}")

    def rewrite(self, part: str, change: Callable[[bytes], bytes]) -> None:
        self.parts[part] = change(self.parts[part])

    def put_first_sheet(self, title: str, xml: bytes) -> None:
        """Add a worksheet as the first tab, replacing any sheet of that name (as openpyxl's
        `del book[title]; book.create_sheet(title, 0)` would)."""
        order = [s[b"name"] for s in self.sheets]
        name = escape(title, quote=True)
        if name in order:
            self._drop_sheet(order.index(name))
        part = _free_name(self.parts, "xl/worksheets/sheet{}.xml")
        rel_id = _free_name({*self.rels}, "rId{}")
        sheet_id = max((int(s.get(b"sheetId", b"0")) for s in self.sheets), default=0) + 1
        self.parts[part] = xml
        self.infos.append(zipfile.ZipInfo(part))
        target = posixpath.relpath(part, posixpath.dirname(self.workbook_part)).encode()
        self._insert(self.rels_part, b"</Relationships>",
                     b'<Relationship Id="%s" Type="%s" Target="%s"/>' % (rel_id.encode(), _WORKSHEET_REL.encode(),
                                                                         target))
        self._insert("[Content_Types].xml", b"</Types>",
                     b'<Override PartName="/%s" ContentType="%s"/>' % (part.encode(), _WORKSHEET_TYPE.encode()))
        book = self.parts[self.workbook_part]
        opening = re.search(rb"<sheets\b[^>]*>", book)
        if opening is None:
            raise Unsupported("workbook.xml: no <sheets>")
        new = b'<sheet xmlns:r="%s" name="%s" sheetId="%d" r:id="%s"/>' % (_RELS_NS.encode(), name, sheet_id,
                                                                           rel_id.encode())
        book = book[:opening.end()] + new + book[opening.end():]
        self.parts[self.workbook_part] = _shift_local_names(book, lambda i: i + 1)

    def _drop_sheet(self, index: int) -> None:
        sheet = self.sheets.pop(index)
        rel_id = _rel_id(sheet)
        part = self._target(self.rels.pop(rel_id))
        if _rels_of(part) in self.parts:
            raise Unsupported("the old Summary sheet has parts of its own")
        self.parts.pop(part, None)
        self.infos = [i for i in self.infos if i.filename != part]
        rels = self.parts[self.rels_part]
        self.parts[self.rels_part] = re.sub(rb'<Relationship\b[^>]*?Id="' + re.escape(rel_id.encode()) + rb'"[^>]*?/>',
                                            b"", rels)
        types = self.parts["[Content_Types].xml"]
        self.parts["[Content_Types].xml"] = re.sub(
            rb'<Override\b[^>]*?PartName="/' + re.escape(part.encode()) + rb'"[^>]*?/>', b"", types)
        book = self.parts[self.workbook_part]
        matches = list(_SHEET_RE.finditer(book))
        gone = matches[index]
        book = book[:gone.start()] + book[gone.end():]
        if re.search(rb'localSheetId="%d"' % index, book):
            raise Unsupported("a name defined on the old Summary sheet")
        self.parts[self.workbook_part] = _shift_local_names(book, lambda i: i - 1 if i > index else i)

    def _insert(self, part: str, before: bytes, xml: bytes) -> None:
        data = self.parts[part]
        at = data.rfind(before)
        if at < 0:
            raise Unsupported(f"{part}: no {before.decode()}")
        self.parts[part] = data[:at] + xml + data[at:]

    def save(self, target: Path) -> None:
        self.parts[self.styles_part] = self.styles.render()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo("[Content_Types].xml"), self.parts["[Content_Types].xml"],
                             zipfile.ZIP_DEFLATED)
            written = {"[Content_Types].xml"}
            for info in self.infos:
                if info.filename in written or info.filename.endswith("/"):
                    continue  # a name twice in the input (zip allows it) is written once, as read
                written.add(info.filename)
                archive.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), self.parts[info.filename],
                                 zipfile.ZIP_DEFLATED)


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _rel_id(sheet: Mapping[bytes, bytes]) -> str:
    for key, value in sheet.items():
        if key == b"r:id" or key.endswith(b":id"):
            return value.decode()
    raise Unsupported("a sheet without a relationship")


def _free_name(taken: object, pattern: str) -> str:
    number = 1
    while pattern.format(number) in taken:  # type: ignore[operator]
        number += 1
    return pattern.format(number)


def _shift_local_names(book: bytes, shift: Callable[[int], int]) -> bytes:
    """A name defined on one sheet refers to it by position. (The active tab is left as a position,
    as openpyxl does: a template opened on its first tab opens on the Summary.)"""
    def move(match: re.Match[bytes]) -> bytes:
        return b'localSheetId="%d"' % shift(int(match.group(1)))

    return re.sub(rb'localSheetId="(\d+)"', move, book)
