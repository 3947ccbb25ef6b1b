"""IQM creatives: "Step 3: Upload creative" and "Step 4: Check the creative status" of iqm-api.md.

Upload (images): `POST /api/v2/crt/add/image/banner/creative`, multipart/form-data with one or more
`creativeFiles` parts and one `creativeImageMetadata` part, a JSON object keyed by each file's name
without its extension (the document's example keys `8a9ab848-...` for the file
`8a9ab848-....png`; the full file name is accepted as a key too). Each entry needs `creativeName`
(string); `originalFileName`, `clickUrl`, `pixelUrl` (strings), `width`, `height` (integers) are
optional; the pixel URL is kept for the reads. The answer is the document's 201 with the new ids in
the order of the files. The whole request is refused (nothing stored) when any file or entry is
invalid.

File rules (the document's "File requirements"): JPG/JPEG/PNG at most 2 MB, GIF 750 KB (MB = 1024 *
1024 bytes, KB = 1024), judged by the file name's extension. The route is the image route: a video,
audio, HTML or XML file is refused with a 400 that names the route for other types (the creative
guide's `POST /api/v3/crt/creatives`, `_iqm_creative_add`).

Review: a new creative is "pending"; `creative_review_s` seconds after upload (the sandbox's clock)
its review ends and it is "running" (IQM's status for an approved creative, as in the document's
details example), or "rejected" with a `rejectionReason` when its creativeName contains the test
marker `[reject]`.

Status: `GET /api/v2/crt/creatives/details?creativeIds=1,2,3` answers the document's 200, a list in
the order asked; ids that are unknown or of another workspace are left out. At most 1,000 rows a page
("Best Practices"): optional `pageNo` (from 1) and `noOfEntries` (capped at `per_page_max`) page the
ids asked. `pixelUrls` shows the creative's pixel URL (null without one, as in the document's example).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bulkops.platforms.iqm.sandbox._http import id_list, user_fields, v2_error, v2_ok, workspace
from bulkops.sandbox import CAMPAIGN, form_parts, positive_int, route

CREATIVE = "iqm_creative"
UPLOAD_PATH = "/api/v2/crt/add/image/banner/creative"
DETAILS_PATH = "/api/v2/crt/creatives/details"
REJECT_MARKER = "[reject]"
PENDING, APPROVED, REJECTED = "pending", "running", "rejected"
REJECTION_REASON = "Rejected in review: the creative name carries the sandbox's [reject] marker."

_KB, _MB = 1024, 1024 * 1024
IMAGE, HTML, VIDEO, AUDIO = (11, "image"), (13, "html"), (14, "video"), (17, "audio")
TYPES = {type_id: name for type_id, name in (IMAGE, HTML, VIDEO, AUDIO)}
# extension: (largest size in bytes, the limit as the document words it, creative type)
FILE_RULES: dict[str, tuple[int, str, tuple[int, str]]] = {
    "jpg": (2 * _MB, "2MB", IMAGE), "jpeg": (2 * _MB, "2MB", IMAGE), "png": (2 * _MB, "2MB", IMAGE),
    "gif": (750 * _KB, "750KB", IMAGE),
    "mov": (400 * _MB, "400MB", VIDEO), "mp4": (400 * _MB, "400MB", VIDEO),
    "mp3": (100 * _MB, "100MB", AUDIO), "wav": (100 * _MB, "100MB", AUDIO), "ogg": (100 * _MB, "100MB", AUDIO),
    "mpeg": (100 * _MB, "100MB", AUDIO),
}


def creative_routes() -> list:
    return [route(UPLOAD_PATH, POST=workspace(_upload)), route(DETAILS_PATH, GET=workspace(_details)),
            route(FILES_PATH + "/{ow_id:int}/{name}", GET=_stored_file)]


# The files of creatives given as files, served where their creativeSource says (a CDN's public URL: no
# login), each under its creative's ID.
CREATIVE_FILE = "iqm_creative_file"  # store kind: the file's bytes, base64, under the creative's ID
FILES_PATH = "/creatives"


def file_url(request: Request, ow_id: int, creative_id: int, filename: str) -> str:
    """A stored file's URL: `config.media_origin` (or the sandbox's own address) /creatives/ow/id.ext."""
    origin = request.app.state.sandbox.config.media_origin or str(request.base_url).rstrip("/")
    return f"{origin}{FILES_PATH}/{ow_id}/{creative_id}.{filename.rpartition('.')[2].lower()}"


def keep_file(store: Any, creative: dict[str, Any], content: bytes) -> None:
    kept = {"data": base64.b64encode(content).decode()}
    store.set(CREATIVE_FILE, creative["creativeId"], str(creative["owId"]), kept)


async def _stored_file(request: Request) -> Response:
    store = request.app.state.sandbox.store
    stem = request.path_params["name"].partition(".")[0]
    creative = store.get(CREATIVE, int(stem), owner=str(request.path_params["ow_id"])) if stem.isdigit() else None
    kept = store.get(CREATIVE_FILE, int(stem)) if creative is not None else None
    if kept is None or not str(creative.get("creativeSource", "")).endswith(request.url.path):
        return Response("Not Found", status_code=404, media_type="text/plain")
    return Response(base64.b64decode(kept["data"]), media_type="application/octet-stream")


def file_problem(filename: str, size: int, creative_type: tuple[int, str] | None = None) -> str | None:
    """Why a file of this name and size may not be uploaded (as a creative of `creative_type`, when
    given); None when it may."""
    stem, dot, extension = filename.rpartition(".")
    rule = FILE_RULES.get(extension.lower()) if dot and stem else None
    allowed = [e for e, r in FILE_RULES.items() if creative_type is None or r[2] == creative_type]
    if rule is None or (creative_type is not None and rule[2] != creative_type):
        article = "an" if creative_type and creative_type[1][0] in "aeiou" else "a"
        what = f"{article} {creative_type[1]} file" if creative_type else "a supported format"
        return f"File {filename} is not {what}; allowed: {', '.join(e.upper() for e in allowed)}."
    limit, words, _ = rule
    if size > limit:
        return f"File {filename} is {size} bytes; the limit for {extension.upper()} is {words}."
    return None


def stored_creative(new_id: int, ow_id: int, now: float, review_at: float, fields: dict[str, Any]) -> dict[str, Any]:
    """A new creative in the details shape; `fields` holds creativeName, creativeTypeId, clickUrl, width,
    height, duration, creativeSource and the private `_fileName`, `_pixelUrl`, `_sourceType`."""
    type_id = fields["creativeTypeId"]
    return {
        "creativeName": fields["creativeName"], "status": PENDING, "creativeId": new_id,
        "height": fields.get("height"), "width": fields.get("width"), "duration": fields.get("duration"),
        "creativeTypeId": type_id, "creativeType": TYPES[type_id], "clickUrl": fields.get("clickUrl"),
        "creativeCardSource": None, "creativeSource": fields["creativeSource"],
        "creativeSourceURL": None, "pixelUrls": fields.get("_pixelUrl"), "createdOn": int(now),
        "modifiedDate": int(now), **user_fields(ow_id), "adPlacement": None, "remarks": None, "xmlType": None,
        "xmlVersion": None, "rejectionReason": None, "campaigns": [], "previewFlag": 1,
        "nativeCreativeAttributes": None, "isEditAccess": True, "isApprovalAccess": False,
        "_reviewAt": review_at, "_fileName": fields.get("_fileName"), "_pixelUrl": fields.get("_pixelUrl"),
        "_sourceType": fields.get("_sourceType", "file"),
    }


def render(stored: dict[str, Any], now: float, campaigns: list[dict[str, Any]]) -> dict[str, Any]:
    """A stored creative as the details endpoint answers it at time `now`."""
    shown = {k: v for k, v in stored.items() if not k.startswith("_")}
    review_at = stored["_reviewAt"]
    if now >= review_at:
        rejected = REJECT_MARKER in stored["creativeName"]
        shown["status"] = REJECTED if rejected else APPROVED
        shown["rejectionReason"] = REJECTION_REASON if rejected else None
        shown["modifiedDate"] = int(review_at)
    shown["campaigns"] = [{"campaignName": c["campaignName"], "campaignId": c["id"], "campaignStatus": c["status"]}
                          for c in campaigns if stored["creativeId"] in (id_list(c.get("creativeIds")) or [])]
    return shown


def current(sandbox: Any, creative_id: int, ow_id: int) -> dict[str, Any] | None:
    """One of the workspace's creatives as details would answer it now; None if it has no such creative."""
    stored = sandbox.store.get(CREATIVE, creative_id, owner=str(ow_id))
    if stored is None:
        return None
    return render(stored, sandbox.clock(), sandbox.store.all(CAMPAIGN))


def _metadata_problem(name: str, entry: object) -> str | None:
    if not isinstance(entry, dict):
        return f"creativeImageMetadata has no entry for file {name}."
    if not isinstance(entry.get("creativeName"), str) or not entry["creativeName"].strip():
        return f"creativeName is required for file {name}."
    for key in ("originalFileName", "clickUrl", "pixelUrl"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            return f"{key} must be a string for file {name}."
    for key in ("width", "height"):
        value = entry.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            return f"{key} must be a positive integer for file {name}."
    return None


async def _upload(request: Request, ow_id: int) -> Response:
    sandbox = request.app.state.sandbox
    parts = form_parts(request.headers.get("content-type", ""), await request.body())
    if not parts:
        return v2_error(400, "Request must be multipart/form-data with creativeFiles and creativeImageMetadata.")
    files = [p for name, p in parts if name == "creativeFiles" and p.filename is not None]
    metadata_parts = [p for name, p in parts if name == "creativeImageMetadata" and p.filename is None]
    if not files:
        return v2_error(400, "creativeFiles is required.")
    if len(files) > sandbox.config.max_files_per_upload:
        return v2_error(400, f"At most {sandbox.config.max_files_per_upload} creativeFiles per request.")
    if len(metadata_parts) != 1:
        return v2_error(400, "creativeImageMetadata is required.")
    try:
        metadata = json.loads(metadata_parts[0].content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return v2_error(400, "creativeImageMetadata must be a JSON object.")
    if not isinstance(metadata, dict):
        return v2_error(400, "creativeImageMetadata must be a JSON object.")
    entries = []
    for part in files:
        filename = part.filename or ""
        problem = file_problem(filename, len(part.content), IMAGE)
        if problem and file_problem(filename, 0, IMAGE):  # not an image at all: say where it goes
            problem += " This route takes images; other creatives go to POST /api/v3/crt/creatives."
        if problem:
            return v2_error(400, problem)
        stem = filename.rpartition(".")[0]
        entry = metadata.get(stem, metadata.get(filename))
        problem = _metadata_problem(filename, entry)
        if problem:
            return v2_error(400, problem)
        entries.append((filename, entry, part.content))
    now = sandbox.clock()
    review_at = now + sandbox.config.creative_review_s
    ids = []
    for filename, entry, content in entries:
        extension = filename.rpartition(".")[2].lower()
        fields = {"creativeName": entry["creativeName"], "creativeTypeId": IMAGE[0], "clickUrl": entry.get("clickUrl"),
                  "width": entry.get("width"), "height": entry.get("height"), "_sourceType": "file",
                  "_fileName": entry.get("originalFileName") or filename, "_pixelUrl": entry.get("pixelUrl")}

        def build(new_id: int, fields: dict[str, Any] = fields, extension: str = extension) -> dict[str, Any]:
            source = file_url(request, ow_id, new_id, f"file.{extension}")
            return stored_creative(new_id, ow_id, now, review_at, {**fields, "creativeSource": source})

        stored = sandbox.store.create(CREATIVE, str(ow_id), build)
        keep_file(sandbox.store, stored, content)
        ids.append(stored["creativeId"])
    return v2_ok(201, {"data": ids, "message": "Image Creative(s) Added successfully"})


async def _details(request: Request, ow_id: int) -> Response:
    sandbox = request.app.state.sandbox
    raw = request.query_params.get("creativeIds")
    ids = id_list(raw) if raw is not None else None
    if not ids:
        return v2_error(400, "creativeIds must be a string of comma separated creative ids.")
    page_no = request.query_params.get("pageNo")
    entries = request.query_params.get("noOfEntries")
    if (page_no is not None and positive_int(page_no) is None) or \
            (entries is not None and positive_int(entries) is None):
        return v2_error(400, "pageNo and noOfEntries must be positive integers.")
    per_page = min(positive_int(entries) or sandbox.config.per_page_max, sandbox.config.per_page_max)
    first = ((positive_int(page_no) or 1) - 1) * per_page
    now, campaigns = sandbox.clock(), sandbox.store.all(CAMPAIGN)
    stored = (sandbox.store.get(CREATIVE, i, owner=str(ow_id)) for i in dict.fromkeys(ids))
    found = [render(c, now, campaigns) for c in stored if c is not None]
    return v2_ok(200, found[first:first + per_page])
