"""Bounds on untrusted input files, checked before any parser sees them, and the parser's own
failures turned into messages that name the file (and sheet).

An .xlsx is a zip archive of XML parts. Everything a zip bomb needs is visible in the archive's
central directory without unpacking a byte: how many parts, how big each says it is, and how much
it was squeezed. So those are checked first, against `Limits`; the zip reader then never produces
more than a part's declared size (Python's zipfile stops there and fails the CRC check if the part
lied), and openpyxl parses the XML with defusedxml (a hard dependency of bulkops), which refuses
entity expansion and external entities.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from bulkops._exceptions import BulkopsError, ConfigError, InputError

ROWS_VARIABLE = "BULKOPS_MAX_ROWS"
# Leading bytes of files people save with the wrong extension, and what to tell them.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and every password-protected .xlsx
_ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * 1024 * 1024
    max_zip_entries: int = 10_000
    max_unzipped_bytes: int = 2 * 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_rows: int = 1_000_000  # data rows per sheet

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The defaults, with the row cap from BULKOPS_MAX_ROWS when it is set."""
        env = os.environ if env is None else env
        text = (env.get(ROWS_VARIABLE) or "").strip().replace("_", "").replace(",", "")
        if not text:
            return DEFAULT_LIMITS
        if not text.isdigit() or int(text) < 1:
            # A usage error, not bad input: exit 3 like any other configuration mistake.
            raise ConfigError(f"{ROWS_VARIABLE}={env[ROWS_VARIABLE]!r} is not a positive whole number")
        return replace(DEFAULT_LIMITS, max_rows=int(text))


DEFAULT_LIMITS = Limits()


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: the file is empty")
    if size > limits.max_file_bytes:
        raise InputError(f"{path}: {size:,} bytes is over the {limits.max_file_bytes:,}-byte limit")


def check_xlsx_container(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse files that are not xlsx archives, or whose declared contents are bomb-shaped."""
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: {_not_a_zip(path)}")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path}: the workbook is damaged ({exc}); open it in Excel and save it again") from None
    _check_entries(path, entries, limits)
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise InputError(f"{path}: a zip archive but not an Excel workbook (it has no xl/ part; "
                         "a .docx, .ods or .zip renamed to .xlsx?)")


def _not_a_zip(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(_ZIP):
        return ("the workbook is truncated or damaged (its zip directory is missing: was a download or "
                "copy cut short?)")
    if head.startswith(_OLE):
        return ("an old .xls workbook, or an .xlsx protected by a password (Excel encrypts those); "
                "save it as an .xlsx without a password")
    if b"\x00" not in head and head.strip():
        return "not an .xlsx workbook (it is text: a CSV named .xlsx? name it .csv)"
    return "not an .xlsx workbook (it is not a zip archive; was it saved as .xls or renamed?)"


def _check_entries(path: Path, entries: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(entries) > limits.max_zip_entries:
        raise InputError(f"{path}: {len(entries):,} parts inside the workbook is over the limit of "
                         f"{limits.max_zip_entries:,}")
    total = sum(e.file_size for e in entries)
    if total > limits.max_unzipped_bytes:
        raise InputError(f"{path}: it unpacks to {total:,} bytes, over the {limits.max_unzipped_bytes:,}-byte limit")
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise InputError(f"{path}: part {entry.filename} is encrypted; save the workbook without a password")
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(f"{path}: part {entry.filename} uses a compression method Excel does not write "
                             f"({entry.compress_type}); open it in Excel and save it again")
        if entry.compress_size and entry.file_size / entry.compress_size > limits.max_compression_ratio:
            raise InputError(f"{path}: part {entry.filename} is compressed {entry.file_size // entry.compress_size}:1,"
                             " which only a zip bomb does; refused")


@contextmanager
def parse_errors(path: Path, sheet: str | None = None) -> Iterator[None]:
    """Whatever the parser raises on a damaged or hostile workbook becomes an InputError naming
    the file (and sheet), so the user sees what to fix and nothing is sent."""
    where = f"{path} / {sheet}" if sheet else str(path)
    try:
        yield
    except BulkopsError:
        raise
    except Exception as exc:
        raise _input_error(where, _root(exc)) from None


_KNOWN = (DefusedXmlException, zipfile.BadZipFile, zlib.error, EOFError, ParseError)


def _root(exc: BaseException) -> BaseException:
    """The parser's own error: openpyxl wraps what it met in a ValueError of its own."""
    seen: BaseException | None = exc
    for _ in range(8):  # a chain is short; a cycle must not hang us
        if seen is None or isinstance(seen, _KNOWN):
            break
        seen = seen.__cause__ or seen.__context__
    return seen if seen is not None else exc


def _input_error(where: str, exc: BaseException) -> InputError:
    if isinstance(exc, DefusedXmlException):
        return InputError(f"{where}: refused: its XML declares entities or external references ({exc}), "
                          "which Excel never writes (an XML bomb?)")
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return InputError(f"{where}: the workbook is damaged ({exc}); open it in Excel and save it again")
    if isinstance(exc, ParseError):
        return InputError(f"{where}: the workbook's XML is broken ({exc}); open it in Excel and save it again")
    # openpyxl raises many types (KeyError, TypeError, ValueError…) for damaged parts
    return InputError(f"{where}: cannot read this workbook ({type(exc).__name__}: {exc})")
