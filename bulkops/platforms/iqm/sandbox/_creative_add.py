"""IQM creatives of every type: the Creative API guide's "Add New Creative", `POST /api/v3/crt/creatives`.

Request: a map of keys (one per creative) to the creative's details, given as a `creativeRequest`
form part of a multipart/form-data body whose `creativeFiles` parts carry the files; or as a
`creativeRequest` query parameter beside those parts (the guide lists it among the query
parameters); or, for creatives without files, as the JSON body itself (the guide's request sample).
At most `max_files_per_upload` creatives a request (the guide gives no number; the image route's cap).

Each entry is judged alone:
- `creativeName`: a non-empty string;
- `platformCreativeTypeId` (a number or a string of digits; the guide's "Get Creative Types List"):
  11 image, 13 HTML, 14 video, 17 audio (15, native, is not served);
- `creativeSourceType`, among those the guide lists for the type: image FILE or URL; HTML HTML; video
  FILE, URL, VAST_URL or VAST_XML; audio those and DAAST_URL, DAAST_XML;
- FILE: a `creativeFiles` part named `<key>.<extension>` (or named as `creativeSource` says) holding a
  file of the type (image JPG/JPEG/PNG/GIF, video MP4/MOV, audio MP3/WAV/OGG/MPEG) within the
  documented size; missing, the guide's own failure text "Creative file missing. Please attach the
  required file.";
- HTML: markup in `creativeSource` (at most 1 MB); VAST_XML / DAAST_XML: a VAST / DAAST document there;
  the URL kinds: an http(s) URL there;
- `clickUrl` a string when given; the type's details object (`imageDetails` `pixelUrl`,
  `creativeWidth`, `creativeHeight`; `htmlDetails` and `videoDetails` `creativeWidth`,
  `creativeHeight`, `duration`; `audioDetails` `duration`), with positive whole sizes. An HTML
  creative must say its size (markup has none of its own). Details objects of other types are ignored.

Answer: 200 `{"success": true, "data": {"successData": {key: "<id>"}, "failedData": {key: "<why>"}}}`,
as the guide's example, where one creative is added and another refused in the same request. A body
that is not such a map, or too many creatives, is a 400 in the v3 error envelope and adds nothing.

What is stored is the details shape of `_iqm_creatives` (so review, status and the lists work as for
images): `creativeSource` is the stored file's URL for a file, the markup, document or URL otherwise
(the quick start's details example shows a VAST creative's XML there); the v3 reads' `creativeSourceType`
is `file`, `HTML` or `vast-xml` (for VAST and DAAST alike, the values the guide's reads list).
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bulkops.platforms.iqm.sandbox._creatives import (
    AUDIO,
    CREATIVE,
    HTML,
    IMAGE,
    VIDEO,
    file_problem,
    file_url,
    keep_file,
    stored_creative,
)
from bulkops.platforms.iqm.sandbox._http import v3_error, workspace
from bulkops.sandbox import Part, form_parts, route

ADD_PATH = "/api/v3/crt/creatives"
MISSING_FILE = "Creative file missing. Please attach the required file."
TAG_LIMIT = 1024 * 1024
BY_ID = {IMAGE[0]: IMAGE, HTML[0]: HTML, VIDEO[0]: VIDEO, AUDIO[0]: AUDIO}
SOURCE_TYPES: dict[tuple[int, str], tuple[str, ...]] = {
    IMAGE: ("FILE", "URL"),
    HTML: ("HTML",),
    VIDEO: ("FILE", "URL", "VAST_URL", "VAST_XML"),
    AUDIO: ("FILE", "URL", "VAST_URL", "VAST_XML", "DAAST_URL", "DAAST_XML"),
}
DETAILS = {IMAGE: "imageDetails", HTML: "htmlDetails", VIDEO: "videoDetails", AUDIO: "audioDetails"}
_READ_SOURCE = {"FILE": "file", "URL": "file", "HTML": "HTML"}  # the rest (VAST/DAAST): vast-xml
_XML_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(VAST|DAAST)\b", re.IGNORECASE | re.DOTALL)
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def add_routes() -> list:
    return [route(ADD_PATH, POST=workspace(_add))]


async def _request_of(request: Request) -> tuple[Any, list[Part]]:
    """(the creatives' map, or None when the body holds none; the files)."""
    body = await request.body()
    parts = form_parts(request.headers.get("content-type", ""), body)
    files = [p for name, p in parts if name == "creativeFiles" and p.filename is not None]
    texts = [p.content for name, p in parts if name == "creativeRequest" and p.filename is None]
    raw = texts[0] if texts else request.query_params.get("creativeRequest")
    if raw is None and not parts:
        raw = body
    if raw is None:
        return None, files
    try:
        return json.loads(raw), files
    except (UnicodeDecodeError, ValueError):
        return None, files


async def _add(request: Request, ow_id: int) -> Response:
    sandbox = request.app.state.sandbox
    creatives, files = await _request_of(request)
    if not isinstance(creatives, dict) or not creatives:
        return v3_error(400, "creativeRequest must be a JSON object of creatives by key.")
    if len(creatives) > sandbox.config.max_files_per_upload:
        return v3_error(400, f"At most {sandbox.config.max_files_per_upload} creatives per request.")
    by_name = {part.filename: part for part in files}
    now = sandbox.clock()
    review_at = now + sandbox.config.creative_review_s
    added: dict[str, str] = {}
    failed: dict[str, str] = {}
    for key, entry in creatives.items():
        fields = _fields_of(str(key), entry, by_name)
        if isinstance(fields, str):
            failed[str(key)] = fields
            continue

        def build(new_id: int, fields: dict[str, Any] = fields) -> dict[str, Any]:
            if fields.get("_file") is not None:
                fields = {**fields, "creativeSource": file_url(request, ow_id, new_id, fields["_file"])}
            return stored_creative(new_id, ow_id, now, review_at, fields)

        stored = sandbox.store.create(CREATIVE, str(ow_id), build)
        if fields.get("_file") is not None:
            keep_file(sandbox.store, stored, by_name[fields["_file"]].content)
        added[str(key)] = str(stored["creativeId"])
    return JSONResponse({"success": True, "data": {"successData": added, "failedData": failed}})


def _fields_of(key: str, entry: Any, files: dict[str | None, Part]) -> dict[str, Any] | str:
    """The stored fields of one entry, or why it is refused."""
    if not isinstance(entry, dict):
        return "Creative details must be a JSON object."
    name = entry.get("creativeName")
    if not isinstance(name, str) or not name.strip():
        return "creativeName is required."
    raw_type = entry.get("platformCreativeTypeId")
    type_id = int(raw_type) if isinstance(raw_type, str) and raw_type.strip().isdigit() else raw_type
    creative_type = BY_ID.get(type_id) if isinstance(type_id, int) and not isinstance(type_id, bool) else None
    if creative_type is None:
        return f"platformCreativeTypeId {raw_type!r} is not 11 (image), 13 (HTML), 14 (video) or 17 (audio)."
    source_type = entry.get("creativeSourceType")
    if source_type not in SOURCE_TYPES[creative_type]:
        article = "an" if creative_type[1][0] in "aeiou" else "a"
        return (f"creativeSourceType {source_type!r} is not one of {', '.join(SOURCE_TYPES[creative_type])} "
                f"for {article} {creative_type[1]} creative.")
    click = entry.get("clickUrl")
    if click is not None and not isinstance(click, str):
        return "clickUrl must be a string."
    details = entry.get(DETAILS[creative_type]) or {}
    size = _details_of(creative_type, details)
    if isinstance(size, str):
        return size
    source = _source_of(key, creative_type, source_type, entry.get("creativeSource"), files)
    if isinstance(source, str):
        return source
    return {"creativeName": name, "creativeTypeId": creative_type[0], "clickUrl": click, **size, **source,
            "_sourceType": _READ_SOURCE.get(source_type, "vast-xml")}


def _details_of(creative_type: tuple[int, str], details: Any) -> dict[str, Any] | str:
    if not isinstance(details, dict):
        return f"{DETAILS[creative_type]} must be a JSON object."
    found: dict[str, Any] = {}
    keys = {"creativeWidth": "width", "creativeHeight": "height", "duration": "duration"}
    if creative_type == AUDIO:
        keys = {"duration": "duration"}
    for key, stored in keys.items():
        value = details.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return f"{DETAILS[creative_type]}.{key} must be a positive whole number."
        found[stored] = value
    if creative_type == HTML and ("width" not in found or "height" not in found):
        return "htmlDetails.creativeWidth and creativeHeight are required for an HTML creative."
    pixel = details.get("pixelUrl") if creative_type == IMAGE else None
    if pixel is not None and not isinstance(pixel, str):
        return "imageDetails.pixelUrl must be a string."
    return found | ({"_pixelUrl": pixel} if pixel else {})


def _source_of(key: str, creative_type: tuple[int, str], source_type: str, source: Any,
               files: dict[str | None, Part]) -> dict[str, Any] | str:
    if source_type == "FILE":
        part = next((p for name, p in files.items() if name and (name == source or name.rpartition(".")[0] == key)),
                    None)
        if part is None or part.filename is None:
            return MISSING_FILE
        problem = file_problem(part.filename, len(part.content), creative_type)
        return {"_file": part.filename, "_fileName": part.filename} if problem is None else problem
    if not isinstance(source, str) or not source.strip():
        return "creativeSource is required."
    if source_type.endswith("_URL") or source_type == "URL":
        return {"creativeSource": source} if _URL.match(source.strip()) else "creativeSource must be an http(s) URL."
    if len(source.encode("utf-8")) > TAG_LIMIT:
        return "creativeSource is larger than 1 MB."
    if source_type == "HTML":
        return {"creativeSource": source} if "<" in source else "creativeSource must be HTML markup."
    root = _XML_ROOT.match(source)
    wanted = source_type.removesuffix("_XML")
    if root is None or root.group(1).upper() != wanted:
        return f"creativeSource must be a {wanted} document."
    return {"creativeSource": source}
