"""Files named by cells (creative media): what kind of file each is, and an image's size.

Only headers are read, within a bound, so a huge or hostile file costs nothing; no imaging library
is needed for the three formats ad servers take.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif"})
VIDEO_EXTENSIONS = frozenset({".mp4", ".mov", ".webm"})  # the containers SmartyAds' video upload reads
HTML_EXTENSIONS = frozenset({".zip"})
MEDIA_TYPES = {"image": IMAGE_EXTENSIONS, "video": VIDEO_EXTENSIONS, "html": HTML_EXTENSIONS}
# SmartyAds documents no limits; these bounds keep a stray file (a whole film, a disk image) from being
# read into memory and uploaded, and are far above what an ad server serves.
MAX_BYTES = {"image": 10 * 1024 * 1024, "html": 50 * 1024 * 1024, "video": 500 * 1024 * 1024}
_HEADER_BYTES = 256 * 1024  # a JPEG's size marker sits after its metadata, which is rarely larger


def media_type_of(path: Path) -> str | None:
    suffix = path.suffix.casefold()
    return next((name for name, extensions in MEDIA_TYPES.items() if suffix in extensions), None)


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from a PNG, GIF or JPEG header; None if the bytes are none of those."""
    with path.open("rb") as handle:
        head = handle.read(_HEADER_BYTES)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(head)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        # SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC) carry the frame size
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


_IMAGE_FORMATS = {".png": "png", ".gif": "gif", ".jpg": "jpeg", ".jpeg": "jpeg"}


def _image_format(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return "jpeg" if head.startswith(b"\xff\xd8") else None


def sniff_matches(path: Path, media_type: str) -> bool:
    """Do the first bytes agree with the extension? (A renamed file is refused before upload.)"""
    with path.open("rb") as handle:
        head = handle.read(16)
    if media_type == "image":
        # PNG bytes named .gif are refused too: the upload's content type comes from the extension
        return image_size(path) is not None and _image_format(head) == _IMAGE_FORMATS.get(path.suffix.casefold())
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
