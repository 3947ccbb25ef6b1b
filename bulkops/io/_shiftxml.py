"""A column inserted into a worksheet part as bytes, as Excel's Insert Column does it: every cell at
or right of the new column moves one place right, and so does everything that points at cells —
the dimension, the frozen pane and selection, column widths and formats (<cols>), merged ranges,
the auto-filter, conditional formats and validations (their ranges and formulas), hyperlinks,
column page breaks, and the same in the x14 extensions.

Parts beside the sheet are moved by the same rule: its notes (comments, threaded comments and the
VML shapes that anchor them), its drawing's anchors, its tables. What this module cannot move
exactly (a formula in the sheet, an OLE object, a scenario) is `Unsupported`, and the caller takes
the openpyxl path.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from bulkops.io._refs import shift_formula, shift_ref, shift_sqref, shifted_column
from bulkops.io._xmlbits import Unsupported, attributes, check_plain, escape, render_attributes, split_ref

_TAG_RE = re.compile(rb"<([\w:]+)\b([^>]*?)(/?)>")
_CELL_R_RE = re.compile(rb'(<c\b[^>]*?\sr=")([A-Z]{1,3})(\d+")')
_CELL_START_RE = re.compile(rb"<c[\s/>]")
_SPANS_RE = re.compile(rb'(<row\b[^>]*?)\sspans="[^"]*"')
_FORMULA_RE = re.compile(rb"<f[\s/>]")
_FORMULA_ELEMENT_RE = re.compile(rb"<f\b([^>]*?)(?:/>|>([^<]*)</f>)")
# Elements after <sheetData> that hold cells in ways this module does not move.
_REFUSED = (b"scenarios", b"dataConsolidate", b"customSheetViews", b"smartTags", b"oleObjects", b"controls",
            b"webPublishItems")
_REF_ATTRIBUTES = (b"ref", b"sqref", b"topLeftCell", b"activeCell")
# Texts that are formulas or range lists, in the main part and its x14 extensions.
_FORMULA_TEXT_RE = re.compile(rb"<((?:\w+:)?(?:formula|formula1|formula2|f))>([^<]*)</\1>")
_SQREF_TEXT_RE = re.compile(rb"<((?:\w+:)?sqref)>([^<]*)</\1>")


def shift_sheet(data: bytes, at: int, title: str, part: str) -> bytes:
    """The worksheet part with column `at` inserted (empty: the caller puts its cells)."""
    check_plain(data, part)
    opening = re.search(rb"<sheetData\b[^>]*?(/?)>", data)
    if opening is None:
        raise Unsupported(f"{part}: no sheetData")
    start, body_end = opening.start(), opening.end()
    if not opening.group(1):
        body_end = data.find(b"</sheetData>", start)
        if body_end < 0:
            raise Unsupported(f"{part}: unclosed sheetData")
        body_end += len(b"</sheetData>")
    head, body, tail = data[:start], data[start:body_end], data[body_end:]
    return _shift_head(head, at) + _shift_body(body, at, title) + _shift_tail(tail, at, title)


def _shift_body(body: bytes, at: int, title: str) -> bytes:
    if _FORMULA_RE.search(body):
        body = _FORMULA_ELEMENT_RE.sub(lambda m: _formula_element(m, at, title), body)
    letters: dict[bytes, bytes] = {}

    def cell(match: re.Match[bytes]) -> bytes:
        old = match.group(2)
        new = letters.get(old)
        if new is None:
            if old == b"XFD":
                raise Unsupported("a cell in the sheet's last column, which has nowhere to go")
            new = letters[old] = (shift_ref(old.decode() + "1", at) or "")[:-1].encode()
        return match.group(1) + new + match.group(3)

    moved, count = _CELL_R_RE.subn(cell, body)
    if count != len(_CELL_START_RE.findall(body)):
        raise Unsupported("cells without a reference in a sheet that gains a column")
    return _SPANS_RE.sub(rb"\1", moved)  # spans are hints about the row's columns, no longer true


def _shift_head(head: bytes, at: int) -> bytes:
    head = _shift_tags(head, at, _head_tag)
    cols = re.search(rb"<cols\b[^>]*>(.*?)</cols>", head, re.S)
    if cols is None:
        return head
    return head[:cols.start(1)] + _shift_cols(cols.group(1), at) + head[cols.end(1):]


def _formula_element(match: re.Match[bytes], at: int, title: str) -> bytes:
    """A cell's formula with its references moved, and the range a shared or array formula fills."""
    attrs = attributes(match.group(1))
    if attrs.get(b"t") == b"dataTable":
        raise Unsupported("a data table in a sheet that gains a column")
    if b"ref" in attrs:
        attrs[b"ref"] = (shift_ref(attrs[b"ref"].decode(), at) or attrs[b"ref"].decode()).encode()
    if match.group(2) is None:
        return b"<f" + render_attributes(attrs) + b"/>"
    text = html.unescape(match.group(2).decode())
    try:
        moved = shift_formula(text, at, title, own=True)
    except ValueError as exc:
        raise Unsupported(str(exc)) from None
    return b"<f" + render_attributes(attrs) + b">" + escape(moved) + b"</f>"


def _head_tag(name: bytes, attrs: dict[bytes, bytes], at: int, _state: dict) -> dict[bytes, bytes] | None:
    if name == b"col":
        return None  # moved with their list, see _shift_cols
    changed = _shift_ref_attributes(attrs, at)
    if name == b"pane" and attrs.get(b"state") in (b"frozen", b"frozenSplit") and b"xSplit" in attrs:
        frozen = int(float(attrs[b"xSplit"]))
        if at <= frozen:  # a column inserted inside the frozen columns is frozen with them
            attrs[b"xSplit"] = b"%d" % (frozen + 1)
            changed = True
    return attrs if changed else None


def _shift_cols(body: bytes, at: int) -> bytes:
    """Each <col min max> moved; one that spans `at` is split around the new column, which gets its
    own width from the caller."""
    pieces: list[bytes] = []
    for match in re.finditer(rb"<col\b([^>]*?)/>", body):
        attrs = attributes(match.group(1))
        low, high = int(attrs.get(b"min", b"0")), int(attrs.get(b"max", b"0"))
        if high < at:
            ranges = [(low, high)]
        elif low >= at:
            ranges = [(shifted_column(low, at), shifted_column(high, at))]
        else:  # split around the new column
            ranges = [(low, at - 1), (at + 1, shifted_column(high, at))]
        for a, b in ranges:
            if a <= b:
                pieces.append(b"<col" + render_attributes({**attrs, b"min": b"%d" % a, b"max": b"%d" % b}) + b"/>")
    if len(pieces) < body.count(b"<col") and b"</col>" in body:
        raise Unsupported("a <col> with content")
    return b"".join(pieces)


def _shift_tail(tail: bytes, at: int, title: str) -> bytes:
    for name in _REFUSED:
        if re.search(rb"<(?:\w+:)?" + name + rb"\b", tail):
            raise Unsupported(f"{name.decode()} in a sheet that gains a column")
    tail = _shift_tags(tail, at, _tail_tag, title)
    tail = _FORMULA_TEXT_RE.sub(lambda m: _formula_text(m, at, title, own=True), tail)
    return _SQREF_TEXT_RE.sub(lambda m: b"<%s>%s</%s>" % (m.group(1), shift_sqref(m.group(2).decode(), at).encode(),
                                                           m.group(1)), tail)


def _tail_tag(name: bytes, attrs: dict[bytes, bytes], at: int, state: dict) -> dict[bytes, bytes] | None:
    local = name.rsplit(b":", 1)[-1]
    if local == b"autoFilter":
        state["filter_from"] = _first_column(attrs.get(b"ref", b""))
    if local == b"colBreaks":
        state["col_breaks"] = True
    elif local == b"rowBreaks":
        state["col_breaks"] = False
    changed = False
    if local == b"filterColumn" and b"colId" in attrs and state.get("filter_from"):
        first = state["filter_from"]
        column = first + int(attrs[b"colId"])
        if first < at <= column:  # the filter grew a column to the left of this one
            attrs[b"colId"] = b"%d" % (int(attrs[b"colId"]) + 1)
            changed = True
    if local == b"brk" and state.get("col_breaks") and b"id" in attrs:
        # A break's id is the zero-based column it stands left of.
        column = int(attrs[b"id"]) + 1
        if column >= at:
            attrs[b"id"] = b"%d" % (shifted_column(column, at) - 1)
            changed = True
    if local == b"hyperlink" and b"location" in attrs:
        location = html.unescape(attrs[b"location"].decode())
        attrs[b"location"] = escape(shift_formula(location, at, state["title"], own=True), quote=True)
        changed = True
    if local == b"cellWatch" and b"r" in attrs:
        attrs[b"r"] = (shift_ref(attrs[b"r"].decode(), at) or attrs[b"r"].decode()).encode()
        changed = True
    return attrs if _shift_ref_attributes(attrs, at) or changed else None


def _first_column(ref: bytes) -> int:
    first = ref.split(b":")[0].replace(b"$", b"")
    try:
        return split_ref(first)[0]
    except Unsupported:
        return 0


def _shift_ref_attributes(attrs: dict[bytes, bytes], at: int) -> bool:
    changed = False
    for key in _REF_ATTRIBUTES:
        if key in attrs:
            old = attrs[key].decode()
            new = shift_sqref(old, at) if key == b"sqref" else (shift_ref(old, at) or old)
            if new != old:
                attrs[key] = new.encode()
                changed = True
    return changed


TagChange = Callable[[bytes, dict[bytes, bytes], int, dict], "dict[bytes, bytes] | None"]


def _shift_tags(xml: bytes, at: int, change: TagChange, title: str = "") -> bytes:
    """Each start tag through `change`; a tag it changes is written again, the others kept as bytes."""
    state: dict = {"title": title}
    out: list[bytes] = []
    position = 0
    for match in _TAG_RE.finditer(xml):
        attrs = attributes(match.group(2))
        new = change(match.group(1), attrs, at, state)
        if new is None:
            continue
        out.append(xml[position:match.start()])
        out.append(b"<" + match.group(1) + render_attributes(new) + (b"/>" if match.group(3) else b">"))
        position = match.end()
    out.append(xml[position:])
    return b"".join(out)


def _formula_text(match: re.Match[bytes], at: int, title: str, *, own: bool) -> bytes:
    text = html.unescape(match.group(2).decode())
    try:
        moved = shift_formula(text, at, title, own=own)
    except ValueError as exc:
        raise Unsupported(str(exc)) from None
    if moved == text:
        return match.group(0)
    return b"<%s>%s</%s>" % (match.group(1), escape(moved), match.group(1))


# -- the parts beside the sheet -------------------------------------------------------------------

def shift_comments(data: bytes, at: int, part: str) -> bytes:
    """Notes (comments) and threaded comments: each one's cell."""
    check_plain(data, part)
    return _shift_tags(data, at, lambda name, attrs, a, _s: attrs if _shift_ref_attributes(attrs, a) else None)


_VML_COLUMN_RE = re.compile(rb"<((?:\w+:)?Column)>\s*(\d+)\s*</\1>")
_VML_ANCHOR_RE = re.compile(rb"<((?:\w+:)?Anchor)>([^<]*)</\1>")


def shift_vml(data: bytes, at: int) -> bytes:
    """The VML shapes of notes: the cell each belongs to (Column, zero-based) and the box's anchor
    (left column, offset, top row, offset, right column, ...). VML is often not well-formed XML, so
    only these two elements are touched."""
    def column(match: re.Match[bytes]) -> bytes:
        return b"<%s>%d</%s>" % (match.group(1), shifted_column(int(match.group(2)) + 1, at) - 1, match.group(1))

    def anchor(match: re.Match[bytes]) -> bytes:
        numbers = [piece.strip() for piece in match.group(2).split(b",")]
        if len(numbers) != 8 or not all(n.isdigit() for n in numbers):
            raise Unsupported("a note's anchor written oddly")
        for index in (0, 4):
            numbers[index] = b"%d" % (shifted_column(int(numbers[index]) + 1, at) - 1)
        return b"<%s>%s</%s>" % (match.group(1), b", ".join(numbers), match.group(1))

    return _VML_ANCHOR_RE.sub(anchor, _VML_COLUMN_RE.sub(column, data))


_DRAWING_COL_RE = re.compile(rb"<((?:\w+:)?col)>(\d+)</\1>")


def shift_drawing(data: bytes, at: int, part: str) -> bytes:
    """A drawing's anchors (pictures, shapes, charts): their zero-based from/to columns."""
    check_plain(data, part)
    return _DRAWING_COL_RE.sub(lambda m: b"<%s>%d</%s>" % (m.group(1), shifted_column(int(m.group(2)) + 1, at) - 1,
                                                          m.group(1)), data)


def shift_table(data: bytes, at: int, part: str, header: str) -> bytes:
    """A table on the sheet: its range (and its filter's) moved; a table the new column falls inside
    gets a column of its own, named `header` (a table's column names are its header cells)."""
    check_plain(data, part)
    table = re.search(rb"<table\b([^>]*?)>", data)
    if table is None:
        raise Unsupported(f"{part}: no table")
    ref = attributes(table.group(1)).get(b"ref", b"").decode()
    first, last = (ref.split(":") + [ref])[:2]
    low, high = _first_column(first.encode()), _first_column(last.encode())
    if low < at <= high:
        if not re.match(r"\$?[A-Z]+\$?1$", first):
            raise Unsupported("a table whose header is not the sheet's first row")
        data = _table_column(data, at - low, header, part)
    return _shift_tags(data, at, _tail_tag)


def _table_column(data: bytes, index: int, header: str, part: str) -> bytes:
    columns = re.search(rb"<tableColumns\b[^>]*>(.*?)</tableColumns>", data, re.S)
    if columns is None:
        raise Unsupported(f"{part}: no tableColumns")
    starts = [m.start() for m in re.finditer(rb"<tableColumn\b", columns.group(1))]
    names = [html.unescape(attributes(m.group(1)).get(b"name", b"").decode())
             for m in re.finditer(rb"<tableColumn\b([^>]*?)/?>", columns.group(1))]
    if header.casefold() in (n.casefold() for n in names):
        raise Unsupported("the table has a column of that name already")
    ids = [int(attributes(m.group(1)).get(b"id", b"0")) for m in re.finditer(rb"<tableColumn\b([^>]*?)/?>",
                                                                               columns.group(1))]
    new = b'<tableColumn id="%d" name="%s"/>' % (max(ids, default=0) + 1, escape(header, quote=True))
    where = columns.start(1) + (starts[index] if index < len(starts) else len(columns.group(1)))
    data = data[:where] + new + data[where:]
    return re.sub(rb'(<tableColumns\b[^>]*?count=")(\d+)(")', lambda m: m.group(1) + b"%d" % (int(m.group(2)) + 1)
                  + m.group(3), data, count=1)


def shift_formulas_naming(data: bytes, at: int, title: str, part: str, tag: bytes = b"f") -> bytes:
    """Formulas elsewhere (another sheet's cells, a chart's series) that name the sheet by title."""
    check_plain(data, part)
    pattern = re.compile(rb"(<(?:\w+:)?" + tag + rb"\b[^>]*?(?<!/)>)([^<]*)(</(?:\w+:)?" + tag + rb">)")
    return pattern.sub(_formula_shifter(at, title), data)


def shift_defined_names(data: bytes, at: int, title: str) -> bytes:
    """workbook.xml's defined names (print areas, filters, your own names) that point into the sheet."""
    return re.sub(rb"(<definedName\b[^>]*>)([^<]*)(</definedName>)", _formula_shifter(at, title), data)


def _formula_shifter(at: int, title: str) -> Callable[[re.Match[bytes]], bytes]:
    """A substitution for an element (opening tag, formula text, closing tag) whose formula names
    the sheet `title`: the formula with its references moved for the column inserted at `at`."""
    def one(match: re.Match[bytes]) -> bytes:
        text = html.unescape(match.group(2).decode())
        try:
            moved = shift_formula(text, at, title, own=False)
        except ValueError as exc:
            raise Unsupported(str(exc)) from None
        return match.group(0) if moved == text else match.group(1) + escape(moved) + match.group(3)

    return one


def shift_pivot_source(data: bytes, at: int, title: str) -> bytes:
    """A pivot cache whose source is a range of the sheet."""
    def one(match: re.Match[bytes]) -> bytes:
        attrs = attributes(match.group(1))
        sheet = html.unescape(attrs.get(b"sheet", b"").decode())
        if sheet.casefold() != title.casefold() or b"ref" not in attrs:
            return match.group(0)
        attrs[b"ref"] = (shift_ref(attrs[b"ref"].decode(), at) or attrs[b"ref"].decode()).encode()
        return b"<worksheetSource" + render_attributes(attrs) + match.group(2) + b">"

    return re.sub(rb"<worksheetSource\b([^>]*?)(/?)>", one, data)
