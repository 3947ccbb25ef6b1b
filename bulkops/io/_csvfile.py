"""A CSV file's bytes → text → rows, for the files buyers really have.

Excel writes "CSV UTF-8" with a byte-order mark, "Unicode text" as UTF-16 (tab-separated), and
plain "CSV" in the Windows code page (cp1252 for most buyers), with `;` as the separator where the
decimal mark is a comma. Each is read as what it is; anything else is refused with a message that
says how to save the file instead of being read as mojibake. The separator also tells how the
file's numbers are written (`decimals_of`).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from bulkops._exceptions import InputError
from bulkops.kinds import Decimals, for_separator

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BINARY = (  # files that are not text at all, and what they probably are
    (b"PK\x03\x04", "a zip archive (an .xlsx workbook named .csv? name it .xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls workbook; save it as .xlsx or as CSV"),
    (b"%PDF", "a PDF document"),
)
SAVE_AS = "save it from Excel as \"CSV UTF-8\""


def decode_csv(path: Path, raw: bytes) -> str:
    """The file's text, or an InputError saying why it is not a CSV bulkops can read."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _strict(path, raw[len(bom):], encoding)
    for magic, what in _BINARY:
        if raw.startswith(magic):
            raise InputError(f"{path}: not a CSV file: it is {what}")
    sample = raw[:4096]
    if b"\x00" in sample:
        encoding = _utf16_without_bom(sample)
        if encoding is None:
            raise InputError(f"{path}: this is not a text CSV file (it holds binary data)")
        return _strict(path, raw, encoding)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page, which is cp1252 for most buyers.
        return _strict(path, raw, "cp1252")
    return _strict(path, raw, "utf-8")


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text of mostly Latin characters has a zero in every other byte."""
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _strict(path: Path, raw: bytes, encoding: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError(f"{path}: line {line}: byte 0x{raw[exc.start]:02x} is not {_name(encoding)} text; "
                         f"{SAVE_AS}") from None
    if (nul := text.find("\x00")) >= 0:
        # the csv module reads NULs into cells since Python 3.11; no spreadsheet writes one
        raise InputError(f"{path}: line {text.count(chr(10), 0, nul) + 1}: a NUL character, which is binary "
                         f"data, not text; {SAVE_AS}")
    return text


def _name(encoding: str) -> str:
    return {"cp1252": "UTF-8 or Windows-1252"}.get(encoding, encoding.upper())


def dialect_of(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The separator (`,` `;` or tab) from the header line; quotes as every spreadsheet program writes
    them (a quote inside a quoted cell doubled), which a header line alone cannot show the sniffer."""
    first = text.splitlines()[0] if text else ""
    try:
        delimiter = csv.Sniffer().sniff(first or ",", delimiters=",;\t").delimiter
    except csv.Error:
        return csv.excel
    return type("Sniffed", (csv.excel,), {"delimiter": delimiter})


def decimals_of(text: str) -> Decimals | None:
    """How the file writes numbers, from its separator: spreadsheet programs write `;` where ',' is
    the decimal mark and `,` where '.' is; a tab, or a header with no separator, says nothing."""
    first = text.splitlines()[0] if text else ""
    dialect = dialect_of(text)
    return for_separator(dialect.delimiter if dialect.delimiter in first else None)


def csv_rows(path: Path, text: str) -> Iterator[list[str]]:
    """Rows of the text; the csv module's own errors (a NUL, a field past its size limit, a quote
    left open) become InputErrors naming the file and line."""
    # strict: a quote left open is an error, not the rest of the file swallowed into one cell
    reader = csv.reader(io.StringIO(text), dialect_of(text), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{path}: line {reader.line_num}: {exc}; {SAVE_AS}") from None
        yield row
