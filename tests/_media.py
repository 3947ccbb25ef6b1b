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
    # Header, logical screen (no colour table), one 1-pixel-wide image block with an empty LZW stream, trailer.
    screen = struct.pack("<HHBBB", width, height, 0, 0, 0)
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00"
    return b"GIF89a" + screen + image + b"\x3b"


def jpeg(width: int, height: int) -> bytes:
    """SOI, JFIF APP0, a quantisation and a Huffman table (skipped by length), SOF0 with the size, EOI."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes(range(1, 65))
    dht = b"\xff\xc4" + struct.pack(">H", 19) + b"\x00" + bytes(16)
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + dqt + dht + sof0 + b"\xff\xd9"


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(width: int, height: int, seconds: int, brand: bytes = b"isom") -> bytes:
    """ftyp, moov (mvhd with the duration; an audio trak without a size, then the video trak), mdat."""
    ftyp = _box(b"ftyp", brand + struct.pack(">I", 0x200) + brand + b"mp41")
    mvhd = _box(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + bytes(80))

    def trak(w: int, h: int) -> bytes:
        return _box(b"trak", _box(b"tkhd", b"\x00\x00\x00\x07" + bytes(72) + struct.pack(">II", w << 16, h << 16)))

    return ftyp + _box(b"moov", mvhd + trak(0, 0) + trak(width, height)) + _box(b"mdat", bytes(4000))


def webm() -> bytes:
    # EBML header: version 1, DocType "webm"; then a Segment opening.
    return b"\x1a\x45\xdf\xa3\x93\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x18\x53\x80\x67" + bytes(64)


def html_zip(index: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html" if index else "banner.html", "<html><body>ad</body></html>")
    return buffer.getvalue()
