"""SmartyAds media uploads as documented: "17.1. Store Image", "17.2. Store video", "17.3. Store HTML".

Each route takes a multipart body whose files come as `media_assets[]` (PHP's array syntax, which
Laravel reads as the array `media_assets` the request tables name); every file becomes one stored
media (kind MEDIA), answered in the shape of the route's example.

Where the document is silent (decided here, tested in tests/sandbox/test_media.py):
- The body is parsed with the standard library's email parser: python-multipart (which Starlette's
  `request.form()` needs) is not a dependency of the project.
- Fields are read as PHP reads them: `media_assets[]` parts append, `media_assets[N]` parts take
  index N, and a bare `media_assets` part is one value, not an array (the last one wins), so it is
  refused with Laravel's "must be an array" — a client sending it would lose files on the platform.
- Rules: `media_assets` is `required|array|max:{config.max_files_per_upload}`; each entry is a
  `file` of the route's type judged by its bytes, as Laravel's `mimes` rule judges (finfo), never by
  its name: PNG/JPEG/GIF (with a readable size) for image, MP4/MOV (ISO base media) or WebM (EBML)
  for video, a readable ZIP holding an index.html for html. One bad file refuses the whole request.
- `weight` is the file's size in bytes (the table says kB, but 17.1.5's 10x10 PNG weighs 91 and
  18.1.4's media of 388628 shows as "0.37 MB"); an HTML archive's weight is the ZIP's size.
- `name` is the client's file name, as in 17.1.5 and 17.2.5; for HTML it is the index.html's path
  inside the archive (17.3.5's "TEST/index.html"), the shallowest when there are several. `url` is
  "/storage/" + name. `extension` is the client's (lower-cased; the detected one when the name has
  none), as 17.2.5 keeps "mp4" for a file whose bytes are QuickTime.
- Video: width/height from the first track header with a size, duration from the movie header
  (whole seconds, rounded down), bitrate = bits / duration (0 when the duration is 0); WebM's are
  not read (0). `mimeType` comes from the bytes (an ftyp brand "qt  " is video/quicktime); as in
  17.2.5, `playtime` is the same "HH:MM:SS" text as `durationTime`.
- The stored files are served, as the platform serves its storage: `GET` of a media's `url` answers
  its bytes (for HTML, the archive's file at that path), with no login, like a public storage URL.
  The document's names are unique (`74_<hash>.png`); here a name another stored file already has
  with other bytes gets the new media's ID in front (`12_banner.png`), so every URL names one file.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops._images import image_header
from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._http import Handler, authenticated, now
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.sandbox import Part, Store, form_parts, route, sandbox_of

MEDIA = "media"  # store kind
MEDIA_BYTES = "media-bytes"  # store kind: each media's file, base64, under the media's ID
STORAGE = "/storage/"
FIELD = "media_assets"
MEDIA_TYPES = ("image", "video", "html")
# What each route's `mimes` rule would list (Laravel's message names them).
ALLOWED = {"image": ("png", "jpg", "jpeg", "gif"), "video": ("mp4", "mov", "webm"), "html": ("zip",)}
_INDEXED = re.compile(rf"{FIELD}\[([^\]]*)\]")
_MAX_BOXES = 10_000  # boxes walked in one MP4 before giving up (a hostile file costs nothing)


def media_routes() -> list[Route]:
    return [*(route(f"/api/media-asset/upload/{media_type}", POST=authenticated(_uploader(media_type)))
              for media_type in MEDIA_TYPES),
            route(STORAGE + "{name:path}", GET=_stored_file)]


async def _stored_file(request: Request) -> Response:
    """A stored media's file by its URL; an HTML archive's file by its path inside the archive."""
    store = sandbox_of(request).store
    wanted = request.path_params["name"]
    for media in store.all(MEDIA):
        if media.get("name") == wanted:
            kept = store.get(MEDIA_BYTES, media["id"])
            if kept is None:
                break
            data = base64.b64decode(kept["data"])
            if media.get("mediaType") == "html":
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    inner = wanted.split("/", 1)[1] if "/" in wanted else wanted
                    names = [n for n in archive.namelist() if n == inner or n.endswith("/" + inner)]
                    if not names:
                        break
                    return Response(archive.read(names[0]), media_type="text/html")
            return Response(data, media_type=_CONTENT_TYPES.get(media.get("extension", ""),
                                                                "application/octet-stream"))
    return Response("Not Found", status_code=404, media_type="text/plain")


_CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
                  "mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}


def find_media(store: Store, media_id: Any, subject: str) -> dict[str, Any] | None:
    """The caller's media with that id, or None (not an integer, missing, another user's)."""
    if isinstance(media_id, bool) or not isinstance(media_id, int):
        return None
    return store.get(MEDIA, media_id, owner=subject)



# --- Reading the files ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sniffed:
    """What the bytes are: the canonical extension, and what the stored media records of it."""

    extension: str
    width: int = 0
    height: int = 0
    name: str | None = None  # the stored name when it is not the client's (HTML: index.html's path)
    video: dict[str, Any] | None = None  # mimeType, bitrate, duration... for video


def sniff_image(data: bytes) -> Sniffed | None:
    """PNG, GIF or JPEG with its size read from the header; None for anything else."""
    header = image_header(data)
    if header is None or not header[1] or not header[2]:
        return None
    image_format, width, height = header
    return Sniffed("jpg" if image_format == "jpeg" else image_format, width, height)


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """ISO base media boxes in data[start:end]: (type, payload start, payload end)."""
    at, seen = start, 0
    while at + 8 <= end and seen < _MAX_BOXES:
        seen += 1
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        header = 8
        if size == 1:
            if at + 16 > end:
                return
            (size,) = struct.unpack(">Q", data[at + 8:at + 16])
            header = 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            return
        yield kind, at + header, at + size
        at += size


def _mp4_facts(data: bytes) -> tuple[int, int, float]:
    """(width, height, seconds) from moov/mvhd and the first trak/tkhd with a size; zeros if absent."""
    width = height = 0
    seconds = 0.0
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for inner, i_start, i_end in _boxes(data, start, end):
            if inner == b"mvhd" and i_end - i_start >= 20:
                version = data[i_start]
                if version == 1 and i_end - i_start >= 32:
                    scale, duration = struct.unpack(">IQ", data[i_start + 20:i_start + 32])
                else:
                    scale, duration = struct.unpack(">II", data[i_start + 12:i_start + 20])
                seconds = duration / scale if scale else 0.0
            elif inner == b"trak" and not width:
                for leaf, l_start, l_end in _boxes(data, i_start, i_end):
                    if leaf == b"tkhd" and l_end - l_start >= 84:
                        # The last 8 bytes: width and height, 16.16 fixed point.
                        w, h = struct.unpack(">II", data[l_end - 8:l_end])
                        width, height = w >> 16, h >> 16
        break
    return width, height, seconds


def sniff_video(data: bytes) -> Sniffed | None:
    """MP4/MOV (an ftyp box, or a QuickTime file opening on moov/mdat/wide) or WebM (EBML, docType webm)."""
    if len(data) >= 12 and data[4:8] == b"ftyp":
        brand = data[8:12]
        quicktime = brand == b"qt  "
    elif len(data) >= 8 and data[4:8] in (b"moov", b"mdat", b"wide"):
        quicktime = True
    elif data.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in data[:64]:
        return Sniffed("webm", video=_video_facts("video/webm", len(data), 0.0))
    else:
        return None
    width, height, seconds = _mp4_facts(data)
    mime = "video/quicktime" if quicktime else "video/mp4"
    return Sniffed("mov" if quicktime else "mp4", width, height, video=_video_facts(mime, len(data), seconds))


def _video_facts(mime: str, size: int, seconds: float) -> dict[str, Any]:
    whole = int(seconds)
    clock = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return {"mimeType": mime, "bitrate": int(size * 8 / seconds) if seconds > 0 else 0, "duration": whole,
            "durationTime": clock, "playtime": clock}


def sniff_html(data: bytes) -> Sniffed | None:
    """A readable ZIP holding an index.html (the shallowest one names the media)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.replace("\\", "/").rsplit("/", 1)[-1].lower() == "index.html"]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if not names:
        return None
    index = min(names, key=lambda n: (n.count("/"), names.index(n)))
    return Sniffed("zip", name=index)


SNIFFERS: dict[str, Callable[[bytes], Sniffed | None]] = {
    "image": sniff_image, "video": sniff_video, "html": sniff_html}


# --- The multipart body ---------------------------------------------------------------------------

def php_field(parts: list[tuple[str, Part]]) -> Part | dict[int | str, Part] | None:
    """`media_assets` as PHP builds it from the field names: one value, or an array by key."""
    value: Part | dict[int | str, Part] | None = None
    for name, part in parts:
        if name == FIELD:
            value = part
            continue
        match = _INDEXED.fullmatch(name)
        if match is None:
            continue
        if not isinstance(value, dict):
            value = {}
        key: int | str = match.group(1)
        if key == "":
            key = max((k + 1 for k in value if isinstance(k, int)), default=0)
        elif str(key).isdigit():
            key = int(key)
        value[key] = part
    return value


# --- 17.1–17.3 ------------------------------------------------------------------------------------

def _uploader(media_type: str) -> Handler:
    async def upload(request: Request, subject: str) -> Response:
        return await _upload(request, subject, media_type)

    return upload


async def _upload(request: Request, subject: str, media_type: str) -> Response:
    sandbox = sandbox_of(request)
    value = php_field(form_parts(request.headers.get("content-type", ""), await request.body()))
    errors = Errors()
    accepted: list[tuple[Part, Sniffed]] = []
    if value is None or (isinstance(value, dict) and not value) or (
            isinstance(value, Part) and value.filename is None and not value.content.strip()):
        errors.add(FIELD, say.required(FIELD))
    elif not isinstance(value, dict):
        errors.add(FIELD, say.array(FIELD))
    else:
        cap = sandbox.config.max_files_per_upload
        if len(value) > cap:
            errors.add(FIELD, say.max_items(FIELD, cap))
        for key, part in value.items():
            item = f"{FIELD}.{key}"
            if part.filename is None:
                errors.add(item, say.file(item))
                continue
            sniffed = SNIFFERS[media_type](part.content)
            if sniffed is None:
                errors.add(item, say.mimes(item, ALLOWED[media_type]))
            else:
                accepted.append((part, sniffed))
    if errors:
        return errors.response()
    stamp = now()
    stored = []
    for part, sniffed in accepted:
        # Read before create, which holds the store's lock.
        taken = _taken(sandbox.store, sniffed.name or _origin(part, sniffed), part.content)
        stored.append(sandbox.store.create(MEDIA, subject, lambda new_id, p=part, s=sniffed, t=taken: _media(
            new_id, int(subject), media_type, p, s, stamp, t.__contains__)))
    for media, (part, _) in zip(stored, accepted, strict=True):
        sandbox.store.set(MEDIA_BYTES, media["id"], subject, {"data": base64.b64encode(part.content).decode()})
    return JSONResponse({"message": "MediaAsset created.", "data": stored})


def _taken(store: Store, name: str, content: bytes) -> set[str]:
    """{name} when a stored file with other bytes has it: a new file of that name would share its URL."""
    names = set()
    for media in store.all(MEDIA):
        if media.get("name") != name:
            continue
        kept = store.get(MEDIA_BYTES, media["id"])
        if kept is None or base64.b64decode(kept["data"]) != content:
            names.add(media.get("name"))
    return names


def _origin(part: Part, sniffed: Sniffed) -> str:
    return (part.filename or "").replace("\\", "/").rsplit("/", 1)[-1] or f"file.{sniffed.extension}"


def _media(media_id: int, user_id: int, media_type: str, part: Part, sniffed: Sniffed, stamp: str,
           taken: Callable[[str], bool] = lambda name: False) -> dict[str, Any]:
    """One media in the shape of 17.1.5 / 17.2.5 / 17.3.5."""
    origin = _origin(part, sniffed)
    stem, dot, suffix = origin.rpartition(".")
    extension = suffix.lower() if dot and stem and suffix else sniffed.extension
    name = sniffed.name or origin
    if taken(name):
        name = f"{media_id}_{name}"
    media: dict[str, Any] = {
        "id": media_id, "userId": user_id, "mediaType": media_type, "originName": origin, "name": name,
        "extension": extension, "url": f"/storage/{name}", "width": sniffed.width, "height": sniffed.height,
        "weight": len(part.content)}
    if sniffed.video is not None:
        media.update(sniffed.video)
    media.update(createdAt=stamp, updatedAt=stamp)
    return media
