"""IQM creatives: "Step 3: Upload creative" and "Step 4: Check the creative status" of iqm-api.md.

Upload: `POST /api/v2/crt/add/image/banner/creative`, multipart/form-data with one or more
`creativeFiles` parts and one `creativeImageMetadata` part, a JSON object keyed by each file's name
without its extension (the document's example keys `8a9ab848-...` for the file
`8a9ab848-....png`; the full file name is accepted as a key too). Each entry needs `creativeName`
(string); `originalFileName`, `clickUrl`, `pixelUrl` (strings), `width`, `height` (integers) are
optional; the pixel URL and the kind of source (file, HTML, vast-xml) are kept for the v3 reads. The
answer is the document's 201 with the new ids in the order of the files. The whole request is
refused (nothing stored) when any file or entry is invalid.

File rules (the document's "File requirements"): JPG/JPEG/PNG at most 2 MB, GIF 750 KB, MOV/MP4
400 MB, MP3/WAV/OGG/MPEG 100 MB (MB = 1024 * 1024 bytes, KB = 1024), judged by the file name's
extension; any other extension is refused. Videos and audio are accepted on this path too (the
document gives no other upload path) and get creative type 14 (video) or 17 (audio); images 11.
The document lists HTML, VAST and DAAST among the creatives one uploads but links their own routes
without describing them; the sandbox takes them on this path as files: `.html` (type 13, at most
1 MB) and `.xml` holding a VAST (type 14, video) or DAAST (type 17, audio) document, which is how
bulkops sends them.

Review: a new creative is "pending"; `creative_review_s` seconds after upload (the sandbox's clock)
its review ends and it is "running" (IQM's status for an approved creative, as in the document's
details example), or "rejected" with a `rejectionReason` when its creativeName contains the test
marker `[reject]`.

Status: `GET /api/v2/crt/creatives/details?creativeIds=1,2,3` answers the document's 200, a list in
the order asked; ids that are unknown or of another workspace are left out. At most 1,000 rows a page
("Best Practices"): optional `pageNo` (from 1) and `noOfEntries` (capped at `per_page_max`) page the
ids asked.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bulkops.sandbox._http import form_parts, positive_int, route
from bulkops.sandbox._iqm_http import id_list, user_fields, v2_error, v2_ok, workspace

CREATIVE = "iqm_creative"
UPLOAD_PATH = "/api/v2/crt/add/image/banner/creative"
DETAILS_PATH = "/api/v2/crt/creatives/details"
REJECT_MARKER = "[reject]"
PENDING, APPROVED, REJECTED = "pending", "running", "rejected"
REJECTION_REASON = "Rejected in review: the creative name carries the sandbox's [reject] marker."

_KB, _MB = 1024, 1024 * 1024
IMAGE, HTML, VIDEO, AUDIO = (11, "image"), (13, "html"), (14, "video"), (17, "audio")
# extension: (largest size in bytes, the limit as the document words it, creative type)
FILE_RULES: dict[str, tuple[int, str, tuple[int, str]]] = {
    "jpg": (2 * _MB, "2MB", IMAGE), "jpeg": (2 * _MB, "2MB", IMAGE), "png": (2 * _MB, "2MB", IMAGE),
    "gif": (750 * _KB, "750KB", IMAGE),
    "mov": (400 * _MB, "400MB", VIDEO), "mp4": (400 * _MB, "400MB", VIDEO),
    "mp3": (100 * _MB, "100MB", AUDIO), "wav": (100 * _MB, "100MB", AUDIO), "ogg": (100 * _MB, "100MB", AUDIO),
    "mpeg": (100 * _MB, "100MB", AUDIO),
    # Not in the document's list: HTML tags and VAST/DAAST XML sent as files (see the module's notes).
    "html": (_MB, "1MB", HTML), "xml": (_MB, "1MB", VIDEO),
}
# The creative guide's `creativeSourceType` (file, HTML, vast-xml) of what an upload carried.
SOURCE_TYPES = {"html": "HTML", "xml": "vast-xml"}
_XML_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(VAST|DAAST)\b", re.IGNORECASE | re.DOTALL)


def creative_routes() -> list:
    return [route(UPLOAD_PATH, POST=workspace(_upload)), route(DETAILS_PATH, GET=workspace(_details))]


def file_problem(filename: str, size: int) -> str | None:
    """Why a file of this name and size may not be uploaded; None when it may."""
    stem, dot, extension = filename.rpartition(".")
    rule = FILE_RULES.get(extension.lower()) if dot and stem else None
    if rule is None:
        return f"File {filename} has an unsupported format; allowed: {', '.join(e.upper() for e in FILE_RULES)}."
    limit, words, _ = rule
    if size > limit:
        return f"File {filename} is {size} bytes; the limit for {extension.upper()} is {words}."
    return None


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
    from bulkops.sandbox._core import CAMPAIGN

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


def _content_problem(filename: str, content: bytes) -> str | None:
    if filename.lower().endswith(".xml") and not _XML_ROOT.match(content[:4096]):
        return f"File {filename} is neither a VAST nor a DAAST document."
    return None


def _type_of(extension: str, content: bytes) -> tuple[int, str]:
    if extension == "xml":
        match = _XML_ROOT.match(content[:4096])
        return AUDIO if match and match.group(1).upper() == b"DAAST" else VIDEO
    return FILE_RULES[extension][2]


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
        problem = file_problem(filename, len(part.content)) or _content_problem(filename, part.content)
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
        type_id, type_name = _type_of(extension, content)

        def build(new_id: int, entry: dict[str, Any] = entry, extension: str = extension,
                  type_id: int = type_id, type_name: str = type_name, filename: str = filename) -> dict[str, Any]:
            return {
                "creativeName": entry["creativeName"], "status": PENDING, "creativeId": new_id,
                "height": entry.get("height"), "width": entry.get("width"), "duration": None,
                "creativeTypeId": type_id, "creativeType": type_name, "clickUrl": entry.get("clickUrl"),
                "creativeCardSource": None,
                "creativeSource": f"https://sandbox.bulkops.test/creatives/{ow_id}/{new_id}.{extension}",
                "creativeSourceURL": None, "pixelUrls": None, "createdOn": int(now), "modifiedDate": int(now),
                **user_fields(ow_id), "adPlacement": None, "remarks": None, "xmlType": None, "xmlVersion": None,
                "rejectionReason": None, "campaigns": [], "previewFlag": 1, "nativeCreativeAttributes": None,
                "isEditAccess": True, "isApprovalAccess": False,
                "_reviewAt": review_at, "_fileName": entry.get("originalFileName") or filename,
                "_pixelUrl": entry.get("pixelUrl"), "_sourceType": SOURCE_TYPES.get(extension, "file"),
            }

        ids.append(sandbox.store.create(CREATIVE, str(ow_id), build)["creativeId"])
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
    from bulkops.sandbox._core import CAMPAIGN

    now, campaigns = sandbox.clock(), sandbox.store.all(CAMPAIGN)
    stored = (sandbox.store.get(CREATIVE, i, owner=str(ow_id)) for i in dict.fromkeys(ids))
    found = [render(c, now, campaigns) for c in stored if c is not None]
    return v2_ok(200, found[first:first + per_page])
