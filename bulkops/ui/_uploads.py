"""Uploads: the job's files from a multipart request, bounded, under safe names in a fresh folder.

The bound counts every byte of the request's body as it streams in (and the declared length before
anything is read), so a large upload is refused before it is stored; what is stored is then read by
bulkops's own readers, as files on disk are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

SUFFIXES = (".xlsx", ".csv")
MAX_FILES = 20


class TooBig(Exception):
    """An upload went past the bound; nothing of it is kept."""


async def receive(request: Request, fresh_folder: Callable[[], Path], limit: int) -> dict[Path, str]:
    """The upload's files, stored in a fresh folder of the session's under safe names; refused whole
    (TooBig) as soon as more than `limit` bytes came, and before reading when the request says so."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooBig
    bounded = Request(request.scope, _bounded(request.receive, limit))
    form = await bounded.form(max_files=MAX_FILES, max_fields=10)
    try:
        uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
        if not uploads:
            raise ValueError("No file came: choose or drop one or more .xlsx or .csv files.")
        for upload in uploads:
            if Path(upload.filename or "").suffix.lower() not in SUFFIXES:
                raise ValueError(f"{safe_name(upload.filename or '')}: bulkops reads .xlsx workbooks and .csv "
                                 "files only")
        folder = fresh_folder()
        stored: dict[Path, str] = {}
        for upload in uploads:
            shown = safe_name(upload.filename or "")
            path = folder / shown
            if path.exists():
                path = folder / f"{path.stem}-{len(stored)}{path.suffix}"
            with path.open("xb") as out:
                while chunk := await upload.read(1 << 20):
                    out.write(chunk)
            path.chmod(0o600)
            stored[path] = shown
        return stored
    finally:
        await form.close()


def _bounded(receive: Callable, limit: int) -> Callable:
    seen = 0

    async def counted() -> Any:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooBig
        return message

    return counted


def safe_name(name: str) -> str:
    """The file's own name without folders, in characters safe on any disk (a CSV's name says its kind)."""
    base = re.split(r"[\\/]", name)[-1].strip() or "upload"
    cleaned = re.sub(r"[^\w.() -]", "_", base)[-100:].lstrip(".")
    return cleaned or "upload"
