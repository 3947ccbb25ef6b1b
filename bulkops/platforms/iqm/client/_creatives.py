"""Adding creatives of every type: the Creative API guide's "Add New Creative", `POST /api/v3/crt/creatives`.

The route takes a map of keys (a UUID per creative) to the creative's details, and the creatives'
files beside it. Each entry carries `creativeName`, `platformCreativeTypeId` (the guide's "Get
Creative Types List": 11 image, 13 HTML, 14 video, 17 audio), `creativeSourceType` and, as the type
needs, `creativeSource` (the HTML markup or the VAST/DAAST document), `clickUrl` and a details
object: `imageDetails` (`pixelUrl`, `creativeWidth`, `creativeHeight`), `htmlDetails` and
`videoDetails` (`creativeWidth`, `creativeHeight`), `audioDetails` (`duration` only). The answer says
per key what became of each creative: `successData` {key: new id}, `failedData` {key: why}.

Decisions where the guide is silent (docs/iqm.md, docs/decisions.md):
- A request with files is `multipart/form-data`: the map as JSON in a `creativeRequest` part (the
  guide lists `creativeRequest` as a string parameter) and each file as a `creativeFiles` part named
  `<key><extension>`, as the quick start's image upload names its files after their metadata key; a
  file creative's `creativeSource` is that part's name. A request without files is the map as a JSON
  body, as the guide's request sample shows it.
- Creatives of several types go in one request (the map's schema lists them side by side), so a job
  needs as few requests as there are batches.
- A creative the answer does not mention may or may not exist: the answer is unusable and the caller
  must look (see `TransportError.maybe_sent`).
"""

from __future__ import annotations

import json
import mimetypes
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import httpx

from bulkops._exceptions import InputError
from bulkops.platforms.iqm.client._answers import api_error, is_json, json_of
from bulkops.platforms.iqm.client._models import AddedCreative

__all__ = ["CREATIVE_TYPE_IDS", "FILE_LIMITS", "IMAGE_EXTENSIONS", "SOURCE_TYPES", "CreativeFile", "CreativeRoutes",
           "NewCreative"]

_ADD_PATH = "/api/v3/crt/creatives"
_REQUEST_FIELD = "creativeRequest"
_FILES_FIELD = "creativeFiles"
_MB, _KB = 1024 * 1024, 1024

CreativeFile = tuple[str, bytes, str | None]  # (file name, content, content type or None to guess)
# "Get Creative Types List" of the creative guide.
CREATIVE_TYPE_IDS = {"image": 11, "html": 13, "video": 14, "native": 15, "audio": 17}
# The source types the guide lists for each type's entries (I001/I002, H001, V001-V004, A001-A006).
SOURCE_TYPES: dict[str, tuple[str, ...]] = {
    "image": ("FILE", "URL"),
    "html": ("HTML",),
    "video": ("FILE", "URL", "VAST_URL", "VAST_XML"),
    "audio": ("FILE", "URL", "VAST_URL", "VAST_XML", "DAAST_URL", "DAAST_XML"),
}
_DETAILS = {"image": "imageDetails", "html": "htmlDetails", "video": "videoDetails", "audio": "audioDetails"}
# "File requirements for Creative file" (quick start and creative guide): extension → largest size.
FILE_LIMITS: dict[str, int] = {
    **dict.fromkeys((".jpg", ".jpeg", ".png"), 2 * _MB),
    ".gif": 750 * _KB,
    **dict.fromkeys((".mov", ".mp4"), 400 * _MB),
    **dict.fromkeys((".mp3", ".wav", ".ogg", ".mpeg"), 100 * _MB),
}
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif"})
_FILE_TYPES = {**dict.fromkeys(IMAGE_EXTENSIONS, "image"), ".mov": "video", ".mp4": "video",
               **dict.fromkeys((".mp3", ".wav", ".ogg", ".mpeg"), "audio")}


@dataclass(frozen=True)
class NewCreative:
    """One creative to add. `source_type` is the guide's: FILE (with `file`), HTML, VAST_XML or
    DAAST_XML (with `source`: the markup or document), or a URL kind (with `source`: the URL)."""

    name: str
    creative_type: str  # image, html, video, audio
    source_type: str
    source: str | None = None
    file: CreativeFile | None = None
    click_url: str | None = None
    pixel_url: str | None = None  # images only: the guide has pixelUrl in imageDetails alone
    width: int | None = None  # not for audio (audioDetails has no size)
    height: int | None = None
    duration: int | None = None  # video and audio, in seconds


def problems_of(creative: NewCreative) -> list[str]:
    """Why this creative cannot be sent as it is (nothing when it can)."""
    what = f"creative {creative.name!r}"
    kind = creative.creative_type
    if kind not in SOURCE_TYPES:
        return [f"{what}: {kind!r} is not a creative type IQM adds this way ({', '.join(SOURCE_TYPES)})"]
    problems = []
    if creative.source_type not in SOURCE_TYPES[kind]:
        problems.append(f"{what}: a {kind} creative's source is {' or '.join(SOURCE_TYPES[kind])}, "
                        f"not {creative.source_type}")
    if creative.source_type == "FILE":
        problems += _file_problems(what, kind, creative.file)
    elif not (creative.source or "").strip():
        problems.append(f"{what}: its {creative.source_type} source is empty")
    if creative.pixel_url is not None and kind != "image":
        problems.append(f"{what}: IQM takes a pixel URL for image creatives only")
    if kind == "audio" and (creative.width is not None or creative.height is not None):
        problems.append(f"{what}: IQM takes no width or height for audio creatives")
    return problems


def _file_problems(what: str, kind: str, file: CreativeFile | None) -> list[str]:
    if file is None:
        return [f"{what}: a FILE creative needs its file"]
    name, content, _ = file
    suffix = PurePath(name).suffix.lower()
    if _FILE_TYPES.get(suffix) != kind:
        allowed = ", ".join(sorted(e for e, t in _FILE_TYPES.items() if t == kind))
        article = "an" if kind[0] in "aeiou" else "a"
        return [f"{what}: {name!r} is not {article} {kind} file IQM takes ({allowed})"]
    limit = FILE_LIMITS[suffix]
    if len(content) > limit:
        return [f"{what}: {name!r} is {len(content):,} bytes; IQM takes at most {limit:,} for {suffix} files"]
    return []


def entry_of(creative: NewCreative, file_name: str | None) -> dict[str, Any]:
    """The creative's details as the guide's map holds them."""
    entry: dict[str, Any] = {"creativeName": creative.name,
                             "platformCreativeTypeId": CREATIVE_TYPE_IDS[creative.creative_type],
                             "creativeSourceType": creative.source_type}
    source = file_name if creative.source_type == "FILE" else creative.source
    if source is not None:
        entry["creativeSource"] = source
    if creative.click_url is not None:
        entry["clickUrl"] = creative.click_url
    details = {"pixelUrl": creative.pixel_url, "creativeWidth": creative.width, "creativeHeight": creative.height,
               "duration": creative.duration if creative.creative_type in ("video", "audio") else None}
    details = {key: value for key, value in details.items() if value is not None}
    if details:
        entry[_DETAILS[creative.creative_type]] = details
    return entry


class CreativeRoutes:
    """Mixed into IQMClient: needs its `_call`, `_unusable` and `_redact`."""

    _call: Any
    _unusable: Any
    _redact: Any

    async def add_creatives(self, creatives: Sequence[NewCreative]) -> list[AddedCreative]:
        """POST /api/v3/crt/creatives: every creative in one request; what became of each, in order.

        Checked before anything is sent (InputError): each creative's type, source and file (the
        documented size limits). Never repeated blindly: a lost answer raises
        `TransportError(maybe_sent=True)`, and so does an answer that does not mention every creative.
        """
        if not creatives:
            return []
        problems = [p for creative in creatives for p in problems_of(creative)]
        if problems:
            raise InputError("cannot add these creatives: " + "; ".join(problems))
        keys = [str(uuid.uuid4()) for _ in creatives]
        form_files, request = [], {}
        for key, creative in zip(keys, creatives, strict=True):
            part_name = None
            if creative.file is not None and creative.source_type == "FILE":
                name, content, content_type = creative.file
                part_name = key + PurePath(name).suffix.lower()
                kind = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
                form_files.append((_FILES_FIELD, (part_name, content, kind)))
            request[key] = entry_of(creative, part_name)
        if form_files:
            response = await self._call("POST", _ADD_PATH, files=form_files,
                                        data={_REQUEST_FIELD: json.dumps(request)})
        else:
            response = await self._call("POST", _ADD_PATH, json=request)
        return self._added(response, keys)

    def _added(self, response: httpx.Response, keys: Sequence[str]) -> list[AddedCreative]:
        """Each key's outcome from `successData`/`failedData`, which may come beside `success: false`."""
        body = json_of(response)
        data = body.get("data") if is_json(body) and isinstance(body, dict) else None
        succeeded = data.get("successData") if isinstance(data, dict) else None
        failed = data.get("failedData") if isinstance(data, dict) else None
        if not isinstance(succeeded, dict) and not isinstance(failed, dict):
            if not response.is_success:
                raise api_error(response, self._redact)
            raise self._unusable(response, ValueError("neither successData nor failedData in the answer"))
        succeeded, failed = succeeded or {}, failed or {}
        added = []
        for key in keys:
            if key in succeeded and str(succeeded[key]).strip().isdigit():
                added.append(AddedCreative(id=int(str(succeeded[key]).strip())))
            elif key in failed:
                added.append(AddedCreative(error=self._redact(str(failed[key]).strip() or "refused")))
            else:
                raise self._unusable(response, ValueError(f"the answer does not mention creative {key}"))
        return added
