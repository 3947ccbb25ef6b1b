"""Small pieces shared by the results workbook's XML writer: a safe well-formedness check, attribute
and cell text, and column letters.

The writer edits a user's workbook parts as bytes, at the positions of their tags. That is only
sound on plain XML: well-formed, no DTD (so no entities), no comments, CDATA or processing
instructions where the tags are looked for. `check_plain` proves that with expat before any tag is
looked at; anything else is `Unsupported`, and the caller takes the slow, fully parsed path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.parsers import expat

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import column_index_from_string, get_column_letter

from bulkops.io._style import needs_neutralising

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ATTR_RE = re.compile(rb'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_CELL_REF_RE = re.compile(rb"([A-Z]{1,3})(\d+)$")


class Unsupported(Exception):  # noqa: N818 - a signal to take the slow path, not an error to show
    """A part this writer does not edit as bytes; the caller falls back to openpyxl."""


def check_plain(data: bytes, part: str) -> None:
    """Well-formed XML with no DTD, comment, CDATA section or processing instruction after the
    declaration; expat runs with no entity handling at all (a DTD is refused before it is read)."""
    parser = expat.ParserCreate()

    def refuse(*_args: object) -> None:
        raise Unsupported(f"{part}: not plain XML")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.CommentHandler = refuse
    parser.StartCdataSectionHandler = refuse
    parser.ProcessingInstructionHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise Unsupported(f"{part}: {exc}") from None


def attributes(tag: bytes) -> dict[bytes, bytes]:
    """The attributes of one start tag (the text between the name and '>'), values still escaped."""
    found: dict[bytes, bytes] = {}
    for match in ATTR_RE.finditer(tag):
        found[match.group(1)] = match.group(2) if match.group(2) is not None else match.group(3)
    if tag.count(b'"') % 2 or tag.count(b"'") % 2:
        raise Unsupported("a quote in an attribute value")  # a '>' inside a value cut the tag short
    return found


def render_attributes(attrs: dict[bytes, bytes]) -> bytes:
    return b"".join(b" " + key + b'="' + value + b'"' for key, value in attrs.items())


def escape(text: str, *, quote: bool = False) -> bytes:
    if ILLEGAL_CHARACTERS_RE.search(text):
        raise Unsupported("a character XML cannot hold")  # the slow path reports it as it always did
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if quote:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text.encode("utf-8")


@lru_cache(maxsize=4096)
def letter(column: int) -> bytes:
    return get_column_letter(column).encode("ascii")


@lru_cache(maxsize=65536)
def split_ref(ref: bytes) -> tuple[int, int]:
    """b"AB12" -> (column 28, row 12)."""
    match = _CELL_REF_RE.match(ref.upper())
    if match is None:
        raise Unsupported(f"cell reference {ref!r}")
    return column_index_from_string(match.group(1).decode("ascii")), int(match.group(2))


def cell_xml(ref: bytes, value: object, style: int) -> bytes:
    """One <c> element: text as an inline string, numbers as numbers, None as an empty (styled) cell.
    Never a formula: there is no way to write one here."""
    s = b' s="%d"' % style if style else b""
    if value is None or value == "":  # openpyxl writes no value for empty text either
        return b'<c r="' + ref + b'"' + s + b"/>"
    if isinstance(value, bool):
        return b'<c r="' + ref + b'"' + s + b' t="b"><v>' + (b"1" if value else b"0") + b"</v></c>"
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Unsupported("a number XML cannot hold")
        return b'<c r="' + ref + b'"' + s + b"><v>" + repr(value).encode("ascii") + b"</v></c>"
    if not isinstance(value, str):
        raise Unsupported(f"a {type(value).__name__} value")  # dates and the like: openpyxl knows their formats
    text = str(value)
    space = b' xml:space="preserve"' if text != text.strip() else b""
    return (b'<c r="' + ref + b'"' + s + b' t="inlineStr"><is><t' + space + b">" + escape(text) + b"</t></is></c>")


def is_risky_text(value: object) -> bool:
    """Text a spreadsheet would run as a formula: it gets Excel's quote prefix (see write_safe)."""
    return isinstance(value, str) and needs_neutralising(value)
