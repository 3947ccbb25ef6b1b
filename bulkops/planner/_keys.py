"""Journal keys: what a row asks of the platform, never where it sits.

One journal serves every job of an account, so a key must name the work itself: the same rows
pushed from another file, or with another results path, find their keys again, and two different
jobs never share one by accident (two files both called campaigns.csv, both with a Ref `c1`).

- a create: its kind, its Ref (casefolded, or none), the digest of what it sends (media files by
  their content, items that travel in the same request included), and its occurrence among rows of
  the job that are identical in all of that (two identical rows are two objects);
- an update or a delete: its kind and the object's ID (an update's content is checked apart, by its
  fingerprint: see Journal.done_with);
- a list (ZIPs, circles, deals, a filter list's items, a campaign's creatives): its kind, the
  parent's kind and platform ID, its mode, then the list's digest and the chunk;
- a media file: the digest of its bytes.

Nothing in a key depends on a file name, a sheet or a row number.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bulkops.kinds import fingerprint

_DIGESTS: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) → digest: each file read once a run
_DIGESTS_LOCK = threading.Lock()


def file_digest(path: str | os.PathLike[str]) -> str:
    """The file's SHA-256 (32 hex digits), read in blocks: a video need not sit in memory."""
    stat = os.stat(path)
    known = (str(path), stat.st_size, stat.st_mtime_ns)
    with _DIGESTS_LOCK:
        found = _DIGESTS.get(known)
    if found is None:
        with Path(path).open("rb") as handle:
            found = hashlib.file_digest(handle, "sha256").hexdigest()[:32]
        with _DIGESTS_LOCK:
            _DIGESTS[known] = found
    return found


def media_key(path: str) -> str:
    return f"media:{file_digest(path)}"


def content_digest(payload: Mapping[str, Any], file_fields: Iterable[str] = (), travelling: Any = None) -> str:
    """The digest of what a create sends: files by their bytes (not their paths), and the items that
    go in the same request."""
    return fingerprint({"payload": _by_content(payload, frozenset(file_fields)), "items": travelling})


def _by_content(value: Any, file_fields: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: f"file:{file_digest(v)}" if k in file_fields and isinstance(v, str) and v
                else _by_content(v, file_fields) for k, v in value.items()}
    path, media_type = getattr(value, "path", None), getattr(value, "media_type", None)
    if path is not None and media_type is not None:  # a media file to upload (FileRef)
        return f"file:{media_type}:{file_digest(path)}"
    return value


def create_key(kind: str, ref: str | None, content: str, occurrence: int) -> str:
    return f"{kind}:create:{ref or ''}:{content}:{occurrence}"


_DIGEST = re.compile(r"[0-9a-f]{32}")


def created_from(key: str) -> str | None:
    """The content digest a create's key names; None for a key an earlier version of bulkops wrote
    (by Ref, or by file, sheet and row: see _legacy), which said nothing of the content. Read from
    the right, since a Ref may hold colons."""
    _, marker, rest = key.partition(":create:")
    parts = rest.rsplit(":", 2)
    if not marker or len(parts) != 3 or not parts[2].isdigit() or not _DIGEST.fullmatch(parts[1]):
        return None
    return parts[1]


def object_key(kind: str, action: str, object_id: int | None) -> str:
    """An update or a delete of one object."""
    return f"{kind}:{action}:id:{object_id}"


def list_key(list_kind: str, parent_kind: str, parent_id: int, mode: str) -> str:
    """A parent's list of one kind and mode; its requests add the list's digest and chunk."""
    return f"{list_kind}:{parent_kind}:{parent_id}:{mode}"
