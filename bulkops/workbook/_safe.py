"""Bounds on untrusted input files, checked before any parser sees them."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from bulkops._exceptions import InputError

# openpyxl parses XML with defusedxml when it is installed (it is a hard dependency of bulkops),
# which defeats entity-expansion attacks; these limits defeat zip bombs.


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * 1024 * 1024
    max_zip_entries: int = 10_000
    max_unzipped_bytes: int = 2 * 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_rows: int = 1_000_000


DEFAULT_LIMITS = Limits()


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputError(f"{path}: {size:,} bytes is over the {limits.max_file_bytes:,}-byte limit")


def check_xlsx_container(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse files that are not zip archives, or whose declared contents are bomb-shaped."""
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not an .xlsx workbook (it is not a zip archive; was it saved as .xls or renamed?)")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: the workbook is damaged ({exc})") from None
    if len(entries) > limits.max_zip_entries:
        raise InputError(f"{path}: {len(entries):,} parts inside the workbook is over the limit of "
                         f"{limits.max_zip_entries:,}")
    total = sum(e.file_size for e in entries)
    if total > limits.max_unzipped_bytes:
        raise InputError(f"{path}: it unpacks to {total:,} bytes, over the {limits.max_unzipped_bytes:,}-byte limit")
    for entry in entries:
        if entry.compress_size and entry.file_size / entry.compress_size > limits.max_compression_ratio:
            raise InputError(f"{path}: part {entry.filename} is compressed {entry.file_size // entry.compress_size}:1,"
                             " which only a zip bomb does; refused")
