"""The cell formats (styles.xml's cellXfs) of a workbook being rewritten as bytes: existing formats
are kept as they are; a cell that gains a fill, a header look or Excel's quote prefix gets a new
format derived from its own, appended at the end, so every index already in use stays valid."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.xml.functions import tostring

from bulkops.io._xmlbits import Unsupported, attributes, check_plain, render_attributes

_XF_RE = re.compile(rb"<xf\b([^>]*?)(?:/>|>(.*?)</xf>)", re.S)
_ALIGNMENT_RE = re.compile(rb"<alignment\b[^>]*?(?:/>|>.*?</alignment>)", re.S)


@dataclass(frozen=True)
class Look:
    """What a write changes about a cell's format; None leaves that part as it was."""

    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    quote: bool = False


PLAIN = Look()  # a write that leaves the format as it was


def _section(data: bytes, name: bytes) -> tuple[int, int, int]:
    """(start of the start tag, end of the start tag, start of the end tag) of <name>...</name>."""
    match = re.search(rb"<" + name + rb"\b[^>]*?(/?)>", data)
    if match is None or match.group(1):
        raise Unsupported(f"styles.xml has no {name.decode()} list")
    close = data.find(b"</" + name + b">", match.end())
    if close < 0:
        raise Unsupported(f"styles.xml: unclosed {name.decode()}")
    return match.start(), match.end(), close


def _count(data: bytes, name: bytes, child: bytes) -> int:
    _, body_start, body_end = _section(data, name)
    return len(re.findall(rb"<" + child + rb"\b", data[body_start:body_end]))


class Styles:
    def __init__(self, data: bytes) -> None:
        check_plain(data, "styles.xml")
        if b"<styleSheet" not in data:  # the main namespace must be the default one: new parts are unprefixed
            raise Unsupported("styles.xml uses a prefix")
        self.data = data
        start, body_start, body_end = _section(data, b"cellXfs")
        self.xfs = [(attributes(m.group(1)), m.group(2) or b"") for m in _XF_RE.finditer(data, body_start, body_end)]
        if not self.xfs:
            raise Unsupported("styles.xml has no cell format")
        self.base_fonts, self.base_fills = _count(data, b"fonts", b"font"), _count(data, b"fills", b"fill")
        self.new_fonts: list[bytes] = []
        self.new_fills: list[bytes] = []
        self.new_xfs: list[bytes] = []
        self._derived: dict[tuple[int, int, int, int, bool], int] = {}
        self._kept: list[Look] = []
        self._ids: dict[bytes, int] = {}

    def derive(self, index: int, look: Look) -> int:
        """The format of cell format `index` with `look` applied (index itself when nothing changes)."""
        # Keyed by identity: openpyxl's style objects hash slowly, and a sheet asks once per cell.
        key = (index, id(look.font), id(look.fill), id(look.alignment), look.quote)
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = self._make(index, look)
            self._kept.append(look)  # the ids in the key stay valid while the objects live
        return found

    def _make(self, index: int, look: Look) -> int:
        if index >= len(self.xfs):
            raise Unsupported(f"cell format {index} does not exist")
        attrs, inner = self.xfs[index]
        attrs = dict(attrs)
        if look.font is not None:
            attrs[b"fontId"], attrs[b"applyFont"] = b"%d" % self._font_id(look.font), b"1"
        if look.fill is not None:
            attrs[b"fillId"], attrs[b"applyFill"] = b"%d" % self._fill_id(look.fill), b"1"
        if look.quote:
            attrs[b"quotePrefix"] = b"1"
        if look.alignment is not None:
            inner = _ALIGNMENT_RE.sub(b"", inner) + tostring(look.alignment.to_tree())
            attrs[b"applyAlignment"] = b"1"
        if (attrs, inner) == self.xfs[index]:
            return index
        for number, existing in enumerate(self.xfs):  # an equal format already there: reuse it
            if existing == (attrs, inner):
                return number
        self.xfs.append((attrs, inner))
        self.new_xfs.append(b"<xf" + render_attributes(attrs) + (b">" + inner + b"</xf>" if inner else b"/>"))
        return len(self.xfs) - 1

    def _font_id(self, font: Font) -> int:
        return self._add(tostring(font.to_tree()), self.new_fonts, self.base_fonts)

    def _fill_id(self, fill: PatternFill) -> int:
        if fill.fill_type is None:
            return 0  # openpyxl's and Excel's first fill is always "none"
        return self._add(tostring(fill.to_tree()), self.new_fills, self.base_fills)

    def _add(self, xml: bytes, added: list[bytes], base: int) -> int:
        if xml not in self._ids:
            added.append(xml)
            self._ids[xml] = base + len(added) - 1
        return self._ids[xml]

    def render(self) -> bytes:
        """styles.xml with the new fonts, fills and formats appended and their counts updated."""
        data = self.data
        for name, items, total in ((b"cellXfs", self.new_xfs, len(self.xfs)),
                                   (b"fills", self.new_fills, self.base_fills + len(self.new_fills)),
                                   (b"fonts", self.new_fonts, self.base_fonts + len(self.new_fonts))):
            if not items:
                continue
            start, body_start, body_end = _section(data, name)
            tag = re.sub(rb'\scount="\d*"', b"", data[start:body_start - 1]) + b' count="%d">' % total
            data = data[:start] + tag + data[body_start:body_end] + b"".join(items) + data[body_end:]
        return data
