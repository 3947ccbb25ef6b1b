"""An .xlsx package copied part by part, with some worksheets rewritten and one new worksheet put
first (the Summary). Every part that does not change is copied as it was: the user's notes,
dropdowns, drawings and formats survive because nothing re-creates them."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from bulkops.io._shiftxml import (
    shift_comments,
    shift_defined_names,
    shift_drawing,
    shift_formulas_naming,
    shift_pivot_source,
    shift_sheet,
    shift_table,
    shift_vml,
)
from bulkops.io._stylesxml import Styles
from bulkops.io._xmlbits import MAIN_NS, Unsupported, attributes, check_plain, escape, letter

if TYPE_CHECKING:
    from openpyxl.chart._chart import ChartBase

_WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
_CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
# What a sheet that gains a column may have beside it: each is moved with it (see insert_column);
# anything else (an OLE object, a control) is left to the openpyxl path.
_MOVED_WITH_SHEET = ("comments", "threadedComment", "vmlDrawing", "drawing", "table")
_KEPT_WITH_SHEET = ("hyperlink", "printerSettings", "image")
# Where <legacyDrawing> goes among a worksheet's last elements: before the first of these.
_AFTER_LEGACY_DRAWING = (b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls",
                         b"webPublishItems", b"tableParts", b"extLst")
_VML_NAMESPACES = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
                   "x": "urn:schemas-microsoft-com:office:excel"}
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

    def related(self, part: str) -> list[tuple[str, str]]:
        """(relationship type's last word, target part) of each internal relationship of a part."""
        rels = self.parts.get(_rels_of(part))
        if rels is None:
            return []
        check_plain(rels, _rels_of(part))
        found = []
        for rel in map(attributes, _REL_RE.findall(rels)):
            if rel.get(b"TargetMode") == b"External":
                continue
            found.append((rel[b"Type"].decode().rsplit("/", 1)[-1], _resolve(part, rel[b"Target"].decode())))
        return found

    def insert_column(self, title: str, at: int, header: str) -> None:
        """Insert column `at` into a sheet, moving what is right of it and everything that points
        there: the sheet's own references, its notes, drawing and tables, defined names, and other
        sheets' and charts' formulas that name it. `header` names the column in a table it falls in."""
        part = self.sheet_part(title)
        related = self.related(part)
        for kind, _ in related:
            if kind not in _MOVED_WITH_SHEET + _KEPT_WITH_SHEET:
                raise Unsupported(f"a {kind} part on a sheet that gains a column")
        moved = shift_sheet(self.parts[part], at, title, part)
        if b"<f" in self.parts[part]:
            self._drop_calc_chain()  # it names formula cells by their place; Excel makes it again
        self.parts[part] = moved
        for kind, target in related:
            if kind in ("comments", "threadedComment"):
                self.parts[target] = shift_comments(self.parts[target], at, target)
            elif kind == "vmlDrawing":
                self.parts[target] = shift_vml(self.parts[target], at)
            elif kind == "drawing":
                self.parts[target] = shift_drawing(self.parts[target], at, target)
            elif kind == "table":
                self.parts[target] = shift_table(self.parts[target], at, target, header)
        self.parts[self.workbook_part] = shift_defined_names(self.parts[self.workbook_part], at, title)
        sheets = {self._target(self.rels[_rel_id(sheet)]) for sheet in self.sheets}
        for name, data in self.parts.items():
            other_sheet = name in sheets and name != part and b"<f" in data
            chart = name.startswith("xl/charts/") and name.endswith(".xml")
            if other_sheet or chart:
                self.parts[name] = shift_formulas_naming(data, at, title, name)
            elif name.startswith("xl/pivotCache/pivotCacheDefinition"):
                self.parts[name] = shift_pivot_source(data, at, title)

    def _drop_calc_chain(self) -> None:
        for rel_id, rel in list(self.rels.items()):
            if rel.get(b"Type", b"").endswith(b"/calcChain"):
                part = self._target(rel)
                self.parts.pop(part, None)
                self.infos = [i for i in self.infos if i.filename != part]
                del self.rels[rel_id]
                self.parts[self.rels_part] = re.sub(
                    rb'<Relationship\b[^>]*?Id="' + re.escape(rel_id.encode()) + rb'"[^>]*?/>', b"",
                    self.parts[self.rels_part])
                self.parts["[Content_Types].xml"] = re.sub(
                    rb'<Override\b[^>]*?PartName="/' + re.escape(part.encode()) + rb'"[^>]*?/>', b"",
                    self.parts["[Content_Types].xml"])

    def add_note(self, title: str, row: int, column: int, text: str, author: str, size: tuple[int, int]) -> None:
        """A note (comment) on one cell of a sheet, with its VML shape; the sheet's notes parts are
        made if it has none."""
        part = self.sheet_part(title)
        related = dict(self.related(part))
        comments, vml = related.get("comments"), related.get("vmlDrawing")
        if comments is None and vml is None:
            comments, vml = self._new_notes(part)
        elif comments is None or vml is None:
            raise Unsupported("notes without their drawing")
        ref = letter(column) + b"%d" % row
        self.parts[comments] = _with_comment(self.parts[comments], ref, text, author, comments)
        self.parts[vml] = _with_shape(self.parts[vml], row - 1, column - 1, size)

    def _new_notes(self, part: str) -> tuple[str, str]:
        comments = _free_name(self.parts, "xl/comments/comment{}.xml")
        vml = _free_name(self.parts, "xl/drawings/commentsDrawing{}.vml")
        self.parts[comments] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="'
                                + MAIN_NS.encode() + b'"><authors></authors><commentList></commentList></comments>')
        self.parts[vml] = _blank_vml()
        self.infos += [zipfile.ZipInfo(comments), zipfile.ZipInfo(vml)]
        rels_part = _rels_of(part)
        if rels_part not in self.parts:
            self.parts[rels_part] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
                                     + _PACKAGE_RELS_NS.encode() + b'"></Relationships>')
            self.infos.append(zipfile.ZipInfo(rels_part))
        taken = {a[b"Id"].decode() for a in map(attributes, _REL_RE.findall(self.parts[rels_part]))}
        comments_id, vml_id = _free_name(taken, "rIdNotes{}"), _free_name(taken, "rIdNotesShapes{}")
        for rel_id, kind, target in ((comments_id, "comments", comments), (vml_id, "vmlDrawing", vml)):
            self._insert(rels_part, b"</Relationships>", b'<Relationship Id="%s" Type="%s/%s" Target="/%s"/>' % (
                rel_id.encode(), _RELS_NS.encode(), kind.encode(), target.encode()))
        types = self.parts["[Content_Types].xml"]
        if not re.search(rb'<Default\b[^>]*Extension="vml"', types, re.I):
            self._insert("[Content_Types].xml", b"</Types>",
                         b'<Default Extension="vml" ContentType="%s"/>' % _VML_TYPE.encode())
        self._insert("[Content_Types].xml", b"</Types>",
                     b'<Override PartName="/%s" ContentType="%s"/>' % (comments.encode(), _COMMENTS_TYPE.encode()))
        self.parts[part] = _with_legacy_drawing(self.parts[part], vml_id)
        return comments, vml

    def put_first_sheet(self, title: str, xml: bytes, chart: tuple[ChartBase, str] | None = None) -> None:
        """Add a worksheet as the first tab, replacing any sheet of that name (as openpyxl's
        `del book[title]; book.create_sheet(title, 0)` would); `chart`: an openpyxl chart and the
        cell it is anchored at, drawn on the sheet (whose XML names its drawing `rId1`)."""
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
        if chart is not None:
            self._add_chart(part, *chart)

    def _add_chart(self, sheet_part: str, chart: ChartBase, anchor: str) -> None:
        """A drawing holding one chart on a new sheet: the parts openpyxl's writer would make (the
        drawing and chart XML are openpyxl's own), their relationships and content types."""
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
        from openpyxl.xml.functions import tostring

        drawing_part = _free_name(self.parts, "xl/drawings/drawing{}.xml")
        chart_part = _free_name(self.parts, "xl/charts/chart{}.xml")
        chart.anchor = anchor
        drawing = SpreadsheetDrawing()
        drawing.charts.append(chart)
        # openpyxl (3.1) has no public call that serialises one chart or drawing: its own writer
        # (openpyxl.writer.excel) calls these same `_write()` methods. Rebuilding their ChartSpace by hand
        # would copy more of openpyxl's internals, not fewer, so the two calls stay.
        made = {drawing_part: tostring(drawing._write()), chart_part: tostring(chart._write()),
                _rels_of(sheet_part): _relationships("rId1", "drawing", drawing_part),
                _rels_of(drawing_part): _relationships("rId1", "chart", chart_part)}
        for name, data in made.items():
            self.parts[name] = data
            self.infos.append(zipfile.ZipInfo(name))
        for name, kind in ((drawing_part, _DRAWING_TYPE), (chart_part, _CHART_TYPE)):
            self._insert("[Content_Types].xml", b"</Types>",
                         b'<Override PartName="/%s" ContentType="%s"/>' % (name.encode(), kind.encode()))

    def _drop_own_chart(self, sheet_part: str) -> None:
        """The parts of the chart an earlier Summary drew (a drawing of charts only), dropped with it;
        anything else on that sheet is left to the openpyxl path."""
        related = self.related(sheet_part)
        if [kind for kind, _ in related] != ["drawing"]:
            raise Unsupported("the old Summary sheet has parts of its own")
        drawing = related[0][1]
        charts = self.related(drawing)
        if any(kind != "chart" for kind, _ in charts) or any(self.related(chart) for _, chart in charts):
            raise Unsupported("the old Summary sheet's drawing holds more than charts")
        gone = {_rels_of(sheet_part), drawing, _rels_of(drawing), *(chart for _, chart in charts)}
        for name in gone:
            self.parts.pop(name, None)
            self.parts["[Content_Types].xml"] = re.sub(
                rb'<Override\b[^>]*?PartName="/' + re.escape(name.encode()) + rb'"[^>]*?/>', b"",
                self.parts["[Content_Types].xml"])
        self.infos = [i for i in self.infos if i.filename not in gone]

    def _drop_sheet(self, index: int) -> None:
        sheet = self.sheets.pop(index)
        rel_id = _rel_id(sheet)
        part = self._target(self.rels.pop(rel_id))
        if _rels_of(part) in self.parts:
            self._drop_own_chart(part)
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


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a part name, from the part whose relationship it is."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _with_comment(data: bytes, ref: bytes, text: str, author: str, part: str) -> bytes:
    check_plain(data, part)
    authors = [m.group(1) for m in re.finditer(rb"<author>([^<]*)</author>", data)]
    name = escape(author)
    if name not in authors:
        at = data.find(b"</authors>")
        if at < 0:
            raise Unsupported(f"{part}: no authors")
        data = data[:at] + b"<author>" + name + b"</author>" + data[at:]
        authors.append(name)
    comment = (b'<comment ref="' + ref + b'" authorId="%d"><text><t xml:space="preserve">' % authors.index(name)
               + escape(text) + b"</t></text></comment>")
    at = data.find(b"</commentList>")
    if at < 0:
        raise Unsupported(f"{part}: no commentList")
    return data[:at] + comment + data[at:]


def _vml_prefixes(data: bytes) -> tuple[dict[str, str], bytes]:
    """The prefix the VML's root gives each namespace a note's shape uses, and declarations for
    those it gives none (put on the shape itself)."""
    root = re.search(rb"<(?:\w+:)?xml\b[^>]*>", data) or re.search(rb"<[\w:]+\b[^>]*>", data)
    declared = {uri.decode(): prefix.decode() for prefix, uri in
                re.findall(rb'xmlns:(\w+)="([^"]*)"', root.group(0) if root else b"")}
    prefixes, extra = {}, b""
    for usual, uri in _VML_NAMESPACES.items():
        prefixes[usual] = declared.get(uri, usual)
        if uri not in declared:
            extra += b' xmlns:%s="%s"' % (usual.encode(), uri.encode())
    return prefixes, extra


def _with_shape(data: bytes, row: int, column: int, size: tuple[int, int]) -> bytes:
    """A note's hidden box, as openpyxl draws one, before the VML's closing tag."""
    if b"_x0000_t202" not in data:
        raise Unsupported("a VML drawing without the note shape type")
    p, extra = _vml_prefixes(data)
    v, o, x = (p[k].encode() for k in ("v", "o", "x"))
    taken = [int(n) for n in re.findall(rb'id="_x0000_s(\d+)"', data)]
    number = max(taken, default=1024) + 1
    style = (b"position:absolute; margin-left:59.25pt;margin-top:1.5pt;width:%dpx;height:%dpx;z-index:1;"
             b"visibility:hidden" % size)
    shape = (b'<%s:shape%s id="_x0000_s%04d" type="#_x0000_t202" style="%s" fillcolor="#ffffe1" %s:insetmode="auto">'
             % (v, extra, number, style, o)
             + b'<%s:fill color2="#ffffe1"/><%s:shadow color="black" obscured="t"/>' % (v, v)
             + b'<%s:path %s:connecttype="none"/>' % (v, o)
             + b'<%s:textbox style="mso-direction-alt:auto"><div style="text-align:left"/></%s:textbox>' % (v, v)
             + b'<%s:ClientData ObjectType="Note"><%s:MoveWithCells/><%s:SizeWithCells/>' % (x, x, x)
             + b"<%s:AutoFill>False</%s:AutoFill><%s:Row>%d</%s:Row><%s:Column>%d</%s:Column>"
             % (x, x, x, row, x, x, column, x)
             + b"</%s:ClientData></%s:shape>" % (x, v))
    at = data.rstrip().rfind(b"</")
    if at < 0:
        raise Unsupported("a VML drawing without a root")
    return data[:at] + shape + data[at:]


def _blank_vml() -> bytes:
    """A VML drawing with the note shape type and no shapes, as openpyxl starts one."""
    v, o, x = _VML_NAMESPACES["v"], _VML_NAMESPACES["o"], _VML_NAMESPACES["x"]
    return (f'<xml xmlns:v="{v}" xmlns:o="{o}" xmlns:x="{x}"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
            'data="1"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
            'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" '
            'o:connecttype="rect"/></v:shapetype></xml>').encode()


def _with_legacy_drawing(sheet: bytes, rel_id: str) -> bytes:
    """The sheet's link to its notes' drawing, where the schema puts it."""
    element = b'<legacyDrawing xmlns:r="%s" r:id="%s"/>' % (_RELS_NS.encode(), rel_id.encode())
    tail = sheet.find(b"</sheetData>")
    tail = sheet.find(b"<sheetData") if tail < 0 else tail
    found = [m.start() for name in _AFTER_LEGACY_DRAWING
             for m in [re.compile(rb"<" + name + rb"[\s/>]").search(sheet, tail)] if m]
    at = min(found) if found else sheet.rfind(b"</worksheet>")
    if at < 0:
        raise Unsupported("a worksheet without its closing tag")
    return sheet[:at] + element + sheet[at:]


def _relationships(rel_id: str, kind: str, target: str) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="%s">'
            b'<Relationship Id="%s" Type="%s/%s" Target="/%s"/></Relationships>'
            % (_PACKAGE_RELS_NS.encode(), rel_id.encode(), _RELS_NS.encode(), kind.encode(), target.encode()))


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
