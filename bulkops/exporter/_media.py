"""`export --media`: the creatives' files saved beside the export, and their file columns filled, so that
the export pushed (`push --as-new` into another account, say) uploads them again.

A platform's live-state reader says where a row's files are (`bulkops.registry.MEDIA_URLS`); this saves
them. What comes from the platform is not trusted: the saved file's name is made here from the row's
Ref and the URL's extension (one of the media extensions bulkops uploads), never from a name the
platform gives, so no name can reach outside the folder; each download stops at the size bulkops would
upload for its type; an existing file is never overwritten (the same bytes are used as they are, other
bytes go to a new name).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import httpx

from bulkops.kinds import MAX_BYTES, media_type_of
from bulkops.registry import MEDIA_URLS, State

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
# IQM's audio creatives (the creative guide's file requirements: MP3, WAV, OGG, MPEG up to 100 MB).
_AUDIO = frozenset({".mp3", ".wav", ".ogg", ".mpeg"})
_AUDIO_BYTES = 100 * 1024 * 1024


@dataclass
class MediaSaved:
    """What `export --media` saved: files written, files already there with the same bytes, and what
    could not be saved (row Ref and why)."""

    folder: Path
    written: int = 0
    kept: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)


def media_folder(output: Path, as_csv: bool) -> Path:
    """`state.xlsx` → `state-media/` beside it; a CSV folder's media go inside it (`state/media/`), since a
    file column names a file inside its workbook's folder."""
    return output / "media" if as_csv else output.with_name(output.stem + "-media")


async def save_media(state: State, folder: Path, relative_to: Path, base_url: str,
                     progress: Callable[[int], None], transport: httpx.AsyncBaseTransport | None = None) -> MediaSaved:
    """Download every row's media into `folder` and write each file's path, relative to `relative_to`
    (the folder the workbook is read from), into the row's file column. The files are fetched without
    the platform's credentials (storage URLs are public), through `transport` if given."""
    saved = MediaSaved(folder)
    # A row's first file is named by its Ref alone, the others by Ref and column (`creative-7-logo.png`).
    wanted = [(row, field_name, url, number == 0) for rows in state.values() for row in rows
              for number, (field_name, url) in enumerate((row.get(MEDIA_URLS) or {}).items())]
    if not wanted:
        return saved
    folder.mkdir(parents=True, exist_ok=True)
    async with httpx.AsyncClient(timeout=_TIMEOUT, follow_redirects=True, transport=transport) as http:
        for row, field_name, url, first in wanted:
            ref = str(row.get("ref") or row.get("id") or "row")
            try:
                path = await _save_one(http, httpx.URL(base_url).join(url), folder, ref, field_name, first, saved)
            except _NotSaved as reason:
                saved.missed.append((ref, str(reason)))
                continue
            finally:
                progress(1)
            row[field_name] = path.relative_to(relative_to).as_posix()
    return saved


class _NotSaved(Exception):
    pass


async def _save_one(http: httpx.AsyncClient, url: httpx.URL, folder: Path, ref: str, field_name: str,
                    first: bool, saved: MediaSaved) -> Path:
    if url.scheme not in ("http", "https"):
        raise _NotSaved(f"{field_name}: not a web address ({_shown(url)[:80]})")
    extension = PurePosixPath(url.path).suffix.casefold()
    media_type = media_type_of(Path(f"file{extension}")) or ("audio" if extension in _AUDIO else None)
    if media_type is None:
        raise _NotSaved(f"{field_name}: {extension or 'no extension'} is not a media file bulkops uploads")
    cap = MAX_BYTES.get(media_type, _AUDIO_BYTES)
    try:
        async with http.stream("GET", url) as answer:
            if answer.status_code != 200:
                raise _NotSaved(f"{field_name}: the platform answered {answer.status_code} for {_shown(url)}")
            data = bytearray()
            async for chunk in answer.aiter_bytes():
                data += chunk
                if len(data) > cap:
                    raise _NotSaved(f"{field_name}: larger than {cap // (1024 * 1024)} MB, the most bulkops uploads "
                                    f"for {media_type}")
    except httpx.HTTPError as exc:
        raise _NotSaved(f"{field_name}: {type(exc).__name__} reading {_shown(url)}") from None
    suffix = "" if first else "-" + _UNSAFE.sub("_", field_name.removesuffix("File").lower())
    return _write_new(folder, _UNSAFE.sub("_", ref).strip("._") or "row", suffix + extension, bytes(data), saved)


def _shown(url: httpx.URL) -> str:
    """A URL as a reason names it (on the export's Summary, in its JSON): without its query, fragment
    and user info, which for a storage URL may carry a signature that lets anyone fetch the file."""
    return str(url.copy_with(query=None, fragment=None, userinfo=b""))[:120]


def _write_new(folder: Path, stem: str, ending: str, data: bytes, saved: MediaSaved) -> Path:
    """The file under `stem + ending`, or `stem-2 + ending`, ... : a name holding other bytes is left alone."""
    digest = hashlib.sha256(data).digest()
    for number in range(1, 1000):
        path = folder / f"{stem}{'' if number == 1 else f'-{number}'}{ending}"
        if not path.exists():
            temporary = path.with_name(path.name + ".part")
            temporary.write_bytes(data)
            temporary.replace(path)
            saved.written += 1
            return path
        if path.is_file() and hashlib.sha256(path.read_bytes()).digest() == digest:
            saved.kept += 1
            return path
    raise _NotSaved(f"{folder} already holds a thousand other files named {stem}")
