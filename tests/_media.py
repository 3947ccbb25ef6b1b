"""Small real media files, made without an imaging library: what creatives' Media File columns name."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def png(width: int, height: int, rgb: tuple[int, int, int] = (200, 80, 30)) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def gif(width: int, height: int) -> bytes:
    """A one-colour GIF89a: header, logical screen, a 2-entry palette, one image, trailer."""
    screen = struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\xc8\x50\x1e\x00\x00\x00"
    image = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0)
    data = b"\x02\x02\x44\x01\x00"  # LZW min code size 2, one tiny sub-block, block terminator
    return b"GIF89a" + screen + image + data + b";"


def jpeg(width: int, height: int) -> bytes:
    """Enough of a baseline JPEG for a header reader: SOI, an SOF0 with the size, EOI."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + sof + b"\xff\xd9"


def html_zip(index: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html" if index else "banner.html", "<html><body>ad</body></html>")
    return buffer.getvalue()
