"""Image headers read without an imaging library: the format and the size of a PNG, GIF or JPEG.

Shared by the creatives' validation and the sandbox's media upload; only the first bytes are read.
"""

from __future__ import annotations

import struct

HEADER_BYTES = 256 * 1024  # a JPEG's size marker sits after its metadata, which is rarely larger


def image_header(head: bytes) -> tuple[str, int, int] | None:
    """("png" | "gif" | "jpeg", width, height) from an image's first bytes; None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR" and len(head) >= 24:
        return ("png", *struct.unpack(">II", head[16:24]))
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return ("gif", *struct.unpack("<HH", head[6:10]))
    if head.startswith(b"\xff\xd8"):
        size = _jpeg_size(head)
        return ("jpeg", *size) if size else None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the first start-of-frame segment."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        # SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        if length < 2:
            return None
        at += 2 + length
    return None
