"""Rewrite one worksheet part as bytes: a few cells put into some rows, some rows filled, and the
rest copied as it was. A 100,000-row sheet is one pass over its bytes instead of a Cell object per
cell (openpyxl's load and save), which is what makes the results workbook quick.

Rows untouched by the edit are copied byte for byte; a row whose new cells all lie right of its
last cell just gets them appended; only rows that change inside (a fill, an ID, a Status cell from an
earlier run) are taken apart cell by cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from openpyxl.styles import PatternFill

from bulkops.io._stylesxml import PLAIN, Look, Styles
from bulkops.io._xmlbits import (
    Unsupported,
    attributes,
    cell_xml,
    check_plain,
    is_risky_text,
    letter,
    render_attributes,
    split_ref,
)

_ROW_RE = re.compile(rb"<row\b([^>]*?)(/?)>")
_R_RE = re.compile(rb'\sr="(\d+)"')
_CELL_R_RE = re.compile(rb'\sr="([A-Z]{1,3}\d+)"')
_CELL_RE = re.compile(rb"<c\b([^>]*?)(/?)>")
_CELL_END = b"</c>"
_ROW_END = b"</row>"


# A value written into a cell (safely: text is never a formula) and how its format changes. A
# plain tuple: a sheet holds one per new cell, and a tuple is the cheapest thing to make.
Put = tuple[object, Look]


@dataclass
class SheetEdit:
    puts: dict[int, dict[int, Put]] = field(default_factory=dict)  # row -> column -> what goes there
    fills: dict[int, PatternFill] = field(default_factory=dict)  # row -> fill for its columns 1..last
    widths: dict[int, float] = field(default_factory=dict)  # column -> width
    fill_to: int = 0  # fills reach at least this column (openpyxl: the sheet's max_column)
    shared: set[int] = field(default_factory=set)  # ids of row dicts that several rows use
    # Given the sheet's frozen cell (its pane's top-left, None without one), the one to freeze
    # instead, or None to keep it (see bulkops.io._glance.frozen_cell); None: the pane is left alone.
    freeze: Callable[[str | None], str | None] | None = None

    def put(self, row: int, column: int, value: object, look: Look = PLAIN) -> None:
        found = self.puts.get(row)
        if found is None:
            found = self.puts[row] = {}
        found[column] = (value, look)

    def put_row(self, row: int, puts: dict[int, Put], *, shared: bool = False) -> None:
        """A row's new cells at once. `shared`: the same dict as other rows' (never changed
        afterwards), so its XML is made once."""
        found = self.puts.get(row)
        if found is not None:
            puts, shared = {**found, **puts}, False
        self.puts[row] = puts
        if shared:
            self.shared.add(id(puts))


@dataclass
class _Row:
    number: int
    start: int  # '<row'
    tag_end: int  # after the start tag's '>'
    close: int  # '</row>' (== tag_end for <row/>)
    end: int  # after '</row>'
    attrs: bytes
    empty: bool
    last: int = 0  # the column of its last cell


def rewrite_sheet(data: bytes, edit: SheetEdit, styles: Styles, part: str) -> bytes:
    check_plain(data, part)
    if b"<worksheet" not in data[:4096] or b"<sheetData" not in data:
        raise Unsupported(f"{part}: the main namespace is not the default one")
    data, head_end, body_start, body_end = _sheet_data(data)
    rows = list(_rows(data, body_start, body_end))
    for row in rows:
        row.last = _last_column(data, row)
    last_col = max([row.last for row in rows] + [max(c for r in edit.puts.values() for c in r)
                                                 if edit.puts else 0])
    fill_to = max(last_col, edit.fill_to)
    out: list[bytes] = [_head(data[:head_end], edit, rows, last_col), data[head_end:body_start]]
    position, pending = body_start, sorted(set(edit.puts) | set(edit.fills))
    cache: dict[object, list[bytes]] = {}
    wanted = iter(pending)
    next_new = next(wanted, None)
    for row in rows:
        if next_new is not None and next_new < row.number:  # rows the sheet does not have yet go before it
            out.append(data[position:row.start])
            position = row.start
            while next_new is not None and next_new < row.number:
                out.append(_new_row(next_new, edit, styles, fill_to, cache))
                next_new = next(wanted, None)
        if next_new == row.number:
            next_new = next(wanted, None)
        if row.number not in edit.puts and row.number not in edit.fills:
            continue  # copied with the bytes around it
        out.append(data[position:row.start])
        out.append(_edited_row(data, row, edit, styles, fill_to, cache))
        position = row.end
    out.append(data[position:body_end])
    while next_new is not None:
        out.append(_new_row(next_new, edit, styles, fill_to, cache))
        next_new = next(wanted, None)
    out.append(data[body_end:])
    return b"".join(out)


def _sheet_data(data: bytes) -> tuple[bytes, int, int, int]:
    """The part (with <sheetData/> opened up, rows go in it) and the positions of <sheetData>, its
    body and </sheetData>."""
    match = re.search(rb"<sheetData\b([^>]*?)(/?)>", data)
    if match is None:
        raise Unsupported("no sheetData")
    if match.group(2):
        opened = b"<sheetData" + match.group(1).rstrip() + b">"
        data = data[:match.start()] + opened + b"</sheetData>" + data[match.end():]
        return data, match.start(), match.start() + len(opened), match.start() + len(opened)
    close = data.find(b"</sheetData>", match.end())
    if close < 0:
        raise Unsupported("unclosed sheetData")
    return data, match.start(), match.end(), close


def _rows(data: bytes, start: int, end: int) -> Iterator[_Row]:
    previous = 0
    for match in _ROW_RE.finditer(data, start, end):
        found = _R_RE.search(match.group(1))
        if found is None and b"r=" in match.group(1):
            raise Unsupported("a row number written oddly")
        number = int(found.group(1)) if found else previous + 1
        if number <= previous:
            raise Unsupported("rows out of order")
        previous = number
        if match.group(2):
            yield _Row(number, match.start(), match.end(), match.end(), match.end(), match.group(1), True)
            continue
        close = data.find(_ROW_END, match.end(), end)
        if close < 0:
            raise Unsupported("unclosed row")
        yield _Row(number, match.start(), match.end(), close, close + len(_ROW_END), match.group(1), False)


def _cells(data: bytes, row: _Row) -> Iterator[tuple[int, int, int, dict[bytes, bytes], bool]]:
    """(column, start, end, attributes, empty) of each cell of the row, in order."""
    column = 0
    for match in _CELL_RE.finditer(data, row.tag_end, row.close):
        attrs = attributes(match.group(1))
        if b"r" in attrs:
            column, number = split_ref(attrs[b"r"])
            if number != row.number:
                raise Unsupported("a cell outside its row")
        else:
            column += 1
        if match.group(2):
            yield column, match.start(), match.end(), attrs, True
            continue
        end = data.find(_CELL_END, match.end(), row.close)
        if end < 0:
            raise Unsupported("unclosed cell")
        yield column, match.start(), end + len(_CELL_END), attrs, False


def _last_column(data: bytes, row: _Row) -> int:
    """The column of the row's last cell; found from the end, so a wide row costs no more."""
    if row.empty:
        return 0
    at = row.close
    while True:
        at = data.rfind(b"<c", row.tag_end, at)
        if at < 0:
            return 0
        if data[at + 2:at + 3] in (b" ", b"/", b">", b"\t", b"\n", b"\r"):
            break
    match = _CELL_RE.match(data, at)
    found = _CELL_R_RE.search(match.group(1)) if match else None
    if found is None:
        return max((c[0] for c in _cells(data, row)), default=0)
    column, number = split_ref(found.group(1))
    if number != row.number:
        raise Unsupported("a cell outside its row")
    return column


def _row_tag(row: _Row) -> bytes:
    if b"spans" not in row.attrs and _R_RE.search(row.attrs):
        return b"<row" + row.attrs + b">"
    # 'spans' is a hint about which columns the row uses; it is wrong once cells are added.
    attrs = attributes(row.attrs)
    attrs.pop(b"spans", None)
    attrs[b"r"] = b"%d" % row.number
    return b"<row" + render_attributes(attrs) + b">"


_ROW_MARK = b"\x00"  # where the row number goes; XML text can never hold it (escape refuses it)


def _appended(number: int, puts: dict[int, Put], styles: Styles, cache: dict[object, list[bytes]],
              shared: set[int]) -> bytes:
    """New cells at the end of a row, from pieces made once per distinct cell (or, for rows that
    share their cells, per row): the row number is the only thing between them."""
    pieces = cache.get(id(puts)) if id(puts) in shared else None
    if pieces is None:
        pieces = []
        for column, put in sorted(puts.items()):
            key = (column, type(put[0]), put[0], id(put[1]))  # 1, 1.0 and True are equal keys otherwise
            try:
                cell = cache.get(key)
            except TypeError:
                raise Unsupported(f"a {type(put[0]).__name__} value") from None
            if cell is None:
                cell = cache[key] = put_cell(_ROW_MARK, column, put, 0, styles, skip_empty=True).split(_ROW_MARK)
            if pieces:  # this cell's first piece follows the last one's row number
                pieces[-1] += cell[0]
                pieces.extend(cell[1:])
            else:
                pieces.extend(cell)
        if id(puts) in shared:
            cache[id(puts)] = pieces
    return (b"%d" % number).join(pieces)


def _edited_row(data: bytes, row: _Row, edit: SheetEdit, styles: Styles, fill_to: int,
                cache: dict[object, list[bytes]]) -> bytes:
    puts = edit.puts.get(row.number, {})
    fill = edit.fills.get(row.number)
    if fill is None and min(puts) > row.last:
        new = _appended(row.number, puts, styles, cache, edit.shared)
        return _row_tag(row) + data[row.tag_end:row.close] + new + _ROW_END
    if fill is None:
        return _row_tag(row) + _inside(data, row, puts, styles) + _ROW_END
    existing = {column: (start, end, attrs) for column, start, end, attrs, _ in _cells(data, row)}
    columns = set(existing) | set(puts) | set(range(1, fill_to + 1))
    parts = [_row_tag(row)]
    for column in sorted(columns):
        old = existing.get(column)
        base = int(old[2].get(b"s", b"0")) if old else 0
        put = puts.get(column)
        if put is not None:
            look = Look(put[1].font, fill, put[1].alignment)
            parts.append(put_cell(row.number, column, put, base, styles, look))
        elif old is not None:
            parts.append(_restyled(data[old[0]:old[1]], old[2], row.number, column,
                                   styles.derive(base, Look(fill=fill))))
        else:
            parts.append(cell_xml(letter(column) + b"%d" % row.number, None, styles.derive(0, Look(fill=fill))))
    parts.append(_ROW_END)
    return b"".join(parts)


def _inside(data: bytes, row: _Row, puts: dict[int, Put], styles: Styles) -> bytes:
    """The row's cells with `puts` written in: cells are visited only up to the last column put
    inside the row (an ID near the left costs a cell or two); the rest is copied as it is."""
    inner = sorted(column for column in puts if column <= row.last)
    parts: list[bytes] = []
    position = row.tag_end
    cells = _cells(data, row)
    cell = next(cells, None)
    for target in inner:
        while cell is not None and cell[0] < target:
            cell = next(cells, None)
        if cell is None:
            raise Unsupported("a row shorter than its last cell")  # cannot happen with ordered cells
        column, start, end, attrs, _ = cell
        parts.append(data[position:start])
        if column == target:  # replaced: its format is kept and changed
            parts.append(put_cell(row.number, target, puts[target], int(attrs.get(b"s", b"0")), styles))
            position = end
            cell = next(cells, None)
        else:  # no cell there yet: the new one goes before this one
            parts.append(put_cell(row.number, target, puts[target], 0, styles))
            position = start
    after = {column: put for column, put in puts.items() if column > row.last}
    parts.append(data[position:row.close])
    parts += [put_cell(row.number, column, put, 0, styles, skip_empty=True) for column, put in sorted(after.items())]
    return b"".join(parts)


def _new_row(number: int, edit: SheetEdit, styles: Styles, fill_to: int, cache: dict[object, list[bytes]]) -> bytes:
    row = _Row(number, 0, 0, 0, 0, b'r="%d"' % number, True)
    return _edited_row(b"", row, edit, styles, fill_to, cache)


def put_cell(row: int | bytes, column: int, put: Put, base: int, styles: Styles, look: Look | None = None, *,
              skip_empty: bool = False) -> bytes:
    """The cell's XML; with `skip_empty`, nothing for an empty, unformatted cell where none was."""
    value, look = put[0], look or put[1]
    if is_risky_text(value):
        look = Look(look.font, look.fill, look.alignment, quote=True)
    style = styles.derive(base, look)
    if skip_empty and not style and (value is None or value == ""):
        return b""
    return cell_xml(letter(column) + (row if isinstance(row, bytes) else b"%d" % row), value, style)


def _restyled(cell: bytes, attrs: dict[bytes, bytes], row: int, column: int, style: int) -> bytes:
    """The same cell with format `style` (and its r written out, since neighbours may be new)."""
    match = _CELL_RE.match(cell)
    assert match is not None
    attrs = dict(attrs)
    attrs[b"r"] = letter(column) + b"%d" % row
    if style:
        attrs[b"s"] = b"%d" % style
    else:
        attrs.pop(b"s", None)
    return b"<c" + render_attributes(attrs) + (b"/>" if match.group(2) else b">") + cell[match.end():]


def _head(head: bytes, edit: SheetEdit, rows: list[_Row], last_col: int) -> bytes:
    """The part before <sheetData>: its dimension and column widths updated."""
    last_row = max([rows[-1].number if rows else 1, *edit.puts, *edit.fills])
    head = _dimension(head, last_col, last_row)
    for column, width in sorted(edit.widths.items()):
        head = _with_width(head, column, width)
    if edit.freeze is not None:
        head = _with_pane(head, edit.freeze)
    return head


_VIEW_RE = re.compile(rb"<sheetView\b[^>]*?(?:/>|>.*?</sheetView>)", re.S)
_PANE_RE = re.compile(rb"<pane\b([^>]*?)/>")


def _with_pane(head: bytes, choose: Callable[[str | None], str | None]) -> bytes:
    """The first sheet view frozen at the cell `choose` gives for its current pane (None: kept),
    with the selections openpyxl writes for a frozen pane."""
    view = _VIEW_RE.search(head)
    if view is None:
        raise Unsupported("a sheet without a <sheetView> to freeze")
    xml = view.group(0)
    pane = _PANE_RE.search(xml)
    current = attributes(pane.group(1)).get(b"topLeftCell") if pane is not None else None
    cell = choose(current.decode() if current else None)
    if cell is None:
        return head
    if xml.endswith(b"/>") and b"</sheetView>" not in xml:
        start, inner = xml[:-2] + b">", b""
    else:
        opening = re.match(rb"<sheetView\b[^>]*>", xml)
        assert opening is not None
        start, inner = xml[:opening.end()], xml[opening.end():-len(b"</sheetView>")]
    inner = re.sub(rb"<pane\b[^>]*?/>|<selection\b[^>]*?/>", b"", inner)
    return head[:view.start()] + start + _frozen(cell.encode()) + inner + b"</sheetView>" + head[view.end():]


def _frozen(cell: bytes) -> bytes:
    """A pane frozen above and left of `cell` (row 2), as openpyxl's `freeze_panes` writes it."""
    column, row = split_ref(cell)
    at = b'activeCell="%s" sqref="%s"' % (cell, cell)
    if column == 1:
        return (b'<pane ySplit="%d" topLeftCell="%s" activePane="bottomLeft" state="frozen"/>'
                b'<selection pane="bottomLeft" %s/>' % (row - 1, cell, at))
    return (b'<pane xSplit="%d" ySplit="%d" topLeftCell="%s" activePane="bottomRight" state="frozen"/>'
            b'<selection pane="topRight"/><selection pane="bottomLeft"/><selection pane="bottomRight" %s/>'
            % (column - 1, row - 1, cell, at))


def _dimension(head: bytes, last_col: int, last_row: int) -> bytes:
    # openpyxl's read-only mode trusts this range: a stale one would hide the new columns.
    match = re.search(rb'<dimension\b[^>]*?ref="([^"]*)"[^>]*?/>', head)
    if match is None:
        return head
    ref = match.group(1).split(b":")[-1]
    try:
        old_col, old_row = split_ref(ref)
    except Unsupported:
        old_col, old_row = 0, 0
    new = b'<dimension ref="A1:' + letter(max(old_col, last_col, 1)) + b"%d" % max(old_row, last_row) + b'"/>'
    return head[:match.start()] + new + head[match.end():]


_COL_RE = re.compile(rb"<col\b([^>]*?)/>")


def _with_width(head: bytes, column: int, width: float) -> bytes:
    """Set one column's width in the part before <sheetData>, splitting a <col> range that covers it;
    <cols> is made if missing."""
    new = b'<col min="%d" max="%d" width="%s" customWidth="1"/>' % (column, column, repr(float(width)).encode())
    cols = re.search(rb"<cols\b[^>]*>(.*?)</cols>", head, re.S)
    if cols is None:  # the head ends where <sheetData> begins, which is where <cols> goes
        return head + b"<cols>" + new + b"</cols>"
    pieces: list[tuple[int, bytes]] = [(column, new)]
    for match in _COL_RE.finditer(cols.group(1)):
        attrs = attributes(match.group(1))
        low, high = int(attrs.get(b"min", b"0")), int(attrs.get(b"max", b"0"))
        if not low <= column <= high:
            pieces.append((low, match.group(0)))
            continue
        for a, b in ((low, column - 1), (column + 1, high)):
            if a <= b:
                pieces.append((a, b"<col" + render_attributes({**attrs, b"min": b"%d" % a, b"max": b"%d" % b}) + b"/>"))
    if len(_COL_RE.findall(cols.group(1))) != cols.group(1).count(b"<col"):
        raise Unsupported("a <col> with content")
    body = b"".join(xml for _, xml in sorted(pieces, key=lambda p: p[0]))
    return head[:cols.start(1)] + body + head[cols.end(1):]
