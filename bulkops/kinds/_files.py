"""Files named by cells (creative media): what kind of file each is, and an image's size.

Only headers are read, within a bound, so a huge or hostile file costs nothing; no imaging library
is needed for the three formats ad servers take.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulkops._images import HEADER_BYTES, image_header

if TYPE_CHECKING:
    import pandas as pd

    from bulkops._problems import Problem
    from bulkops.kinds._declare import Kind, SheetContext

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif"})
VIDEO_EXTENSIONS = frozenset({".mp4", ".mov", ".webm"})  # the containers SmartyAds' video upload reads
HTML_EXTENSIONS = frozenset({".zip"})
MEDIA_TYPES = {"image": IMAGE_EXTENSIONS, "video": VIDEO_EXTENSIONS, "html": HTML_EXTENSIONS}
# SmartyAds documents no limits; these bounds keep a stray file (a whole film, a disk image) from being
# read into memory and uploaded, and are far above what an ad server serves.
MAX_BYTES = {"image": 10 * 1024 * 1024, "html": 50 * 1024 * 1024, "video": 500 * 1024 * 1024}
MEDIA_VARIABLE = "BULKOPS_MEDIA_ANYWHERE"  # 1: media files may be outside the workbook's folder
# Set while validating files that came from elsewhere (the web app's uploads): the variable speaks for
# the user's own workbooks on their disk, not for a workbook someone dropped on the page.
_CONFINED: ContextVar[bool] = ContextVar("bulkops_media_confined", default=False)


def media_anywhere(env: Mapping[str, str] | None = None) -> bool:
    if _CONFINED.get():
        return False
    env = os.environ if env is None else env
    return (env.get(MEDIA_VARIABLE) or "").strip().casefold() in ("1", "true", "yes")


@contextlib.contextmanager
def media_confined() -> Iterator[None]:
    """Within it (and in the threads and tasks started from it), media files must be inside the
    workbook's folder whatever BULKOPS_MEDIA_ANYWHERE says."""
    token = _CONFINED.set(True)
    try:
        yield
    finally:
        _CONFINED.reset(token)


@dataclass(frozen=True)
class FileRef:
    """A media file to upload before the row that uses it (a payload's value); replaced by its media ID."""

    path: str
    media_type: str  # image / video / html

    def __str__(self) -> str:  # the fingerprint's text: the same file gives the same digest
        return f"file:{self.media_type}:{self.path}"


def located(where: SheetContext, text: str) -> Path | str:
    """The file a cell names (relative to the workbook's folder), resolved; or why there is none.

    Resolved so that one file named two ways ("a/../b.png", "b.png") is one file. Unless the
    context allows media anywhere, the file must be inside the workbook's folder (or below it):
    a workbook from someone else cannot make bulkops upload /home/you/private.png."""
    missing = f"no file at {text!r} (paths are relative to the workbook)"
    try:
        path = Path(text).expanduser()
        path = (path if path.is_absolute() else where.folder / path).resolve()
        if not path.is_file():
            return missing
    except (OSError, ValueError, RuntimeError):  # a NUL, a name too long, a loop of links
        return missing
    if where.media_root is not None and not path.is_relative_to(where.media_root):
        if _CONFINED.get():
            return f"{text!r} is outside the workbook's folder; push creatives with media files with the CLI"
        return (f"{text!r} is outside the workbook's folder; put the file beside the workbook (or set "
                "BULKOPS_MEDIA_ANYWHERE=1 to allow files elsewhere)")
    return path


def media_type_of(path: Path) -> str | None:
    suffix = path.suffix.casefold()
    return next((name for name, extensions in MEDIA_TYPES.items() if suffix in extensions), None)


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from a PNG, GIF or JPEG header; None if the bytes are none of those."""
    header = _header_of(path)
    return (header[1], header[2]) if header else None


def fill_image_size(frame: pd.DataFrame, kind: Kind, where: SheetContext, row: Any, path: Path) -> list[Problem]:
    """A blank Width/Height filled from the image; a typed one that disagrees with it reported."""
    size = image_size(path)
    if size is None:
        return []
    problems = []
    for field_name, actual in zip(("width", "height"), size, strict=True):
        typed = frame.at[row, field_name]
        header = where.header(field_name)
        if typed is None:
            frame.at[row, field_name] = actual
        elif typed != actual:
            problems.append(where.problem(row, header, "size", f"{header} is {where.as_typed(row, field_name, typed)} "
                                          f"but {path.name} is {size[0]}x{size[1]} pixels"))
    return problems


def _header_of(path: Path) -> tuple[str, int, int] | None:
    with path.open("rb") as handle:
        return image_header(handle.read(HEADER_BYTES))


_IMAGE_FORMATS = {".png": "png", ".gif": "gif", ".jpg": "jpeg", ".jpeg": "jpeg"}


def sniff_matches(path: Path, media_type: str) -> bool:
    """Do the first bytes agree with the extension? (A renamed file is refused before upload.)"""
    with path.open("rb") as handle:
        head = handle.read(16)
    if media_type == "image":
        # PNG bytes named .gif are refused too: the upload's content type comes from the extension
        header = _header_of(path)
        return header is not None and header[0] == _IMAGE_FORMATS.get(path.suffix.casefold())
    if media_type == "html":
        return head.startswith(b"PK\x03\x04")
    if path.suffix.casefold() == ".webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")  # EBML
    return head[4:8] == b"ftyp"  # MP4 and QuickTime both open with an ftyp box


def has_index_html(path: Path) -> bool:
    """A rich-media ZIP must hold an index.html (at its root or in one folder); only the ZIP's
    directory is read, never its contents."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.rsplit("/", 1)[-1].casefold() == "index.html" for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
