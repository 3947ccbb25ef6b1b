"""Reference data kept on disk, one file per account, so that a run reads a dictionary from the
platform at most once a time to live (`TTL_S`, or the dictionary's own `Dictionary.ttl_s`) and
`validate` can check names offline.

The file is named by a digest of the account (platform, base URL and the login's identity: never a
password or a token, which are not given here) and holds only the dictionaries' entries and when
each part was read. It is written whole to a temporary file then moved in place, mode 0600. A file
that cannot be read or parsed is ignored (and replaced at the next write): the entries are read again.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulkops.reference._declare import Entry

CACHE_VARIABLE = "BULKOPS_CACHE_DIR"
TTL_S = 7 * 24 * 3600.0  # a week: the platforms' geographies and lists change seldom
_FORMAT = 1
_MAX_BYTES = 64 * 1024 * 1024  # a file larger than this is not ours to parse


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where bulkops keeps reference data: `$BULKOPS_CACHE_DIR`, else `%LOCALAPPDATA%\\bulkops\\cache`
    on Windows, else `$XDG_CACHE_HOME/bulkops`, else `~/.cache/bulkops`."""
    env = os.environ if env is None else env
    if env.get(CACHE_VARIABLE):
        return Path(env[CACHE_VARIABLE]).expanduser()
    if sys.platform == "win32" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "bulkops" / "cache"
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]).expanduser() / "bulkops"
    return Path.home() / ".cache" / "bulkops"


@dataclass(frozen=True)
class Part:
    """Entries read in one go: of the whole dictionary (`parents` None) or for those parent codes."""

    parents: frozenset[str] | None
    read_at: float
    entries: tuple[Entry, ...]


class ReferenceCache:
    """One account's cached dictionaries. `account` is a digest naming the account; `folder` None:
    `cache_dir()`."""

    def __init__(self, account: str, folder: Path | None = None, *, ttl_s: float = TTL_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = (folder or cache_dir()) / f"reference-{account}.json"
        self.ttl_s, self._clock = ttl_s, clock
        self._parts: dict[str, list[Part]] | None = None

    def _fresh(self, part: Part, ttl_s: float | None = None) -> bool:
        return 0 <= self._clock() - part.read_at < (self.ttl_s if ttl_s is None else ttl_s)

    @property
    def parts(self) -> dict[str, list[Part]]:
        if self._parts is None:
            self._parts = _read(self.path)
        return self._parts

    def whole(self, name: str, ttl_s: float | None = None) -> list[Entry] | None:
        """The whole dictionary, if a fresh copy is cached (`ttl_s`: the dictionary's own time to live)."""
        part = next((p for p in self.parts.get(name, []) if p.parents is None and self._fresh(p, ttl_s)), None)
        return list(part.entries) if part else None

    def scoped(self, name: str, parents: frozenset[str],
               ttl_s: float | None = None) -> tuple[list[Entry], frozenset[str]]:
        """The cached entries for those parents, and the parents no fresh part covers."""
        covered: set[str] = set()
        entries: list[Entry] = []
        for part in self.parts.get(name, []):
            if part.parents is None or not self._fresh(part, ttl_s) or not part.parents & parents:
                continue
            covered |= part.parents
            entries += part.entries
        return entries, parents - covered

    def store(self, name: str, parents: frozenset[str] | None, entries: Iterable[Entry]) -> None:
        """Keeps what was just read (it replaces the parts it covers and those expired)."""
        kept = [p for p in self.parts.get(name, []) if self._fresh(p) and parents is not None
                and p.parents is not None and not p.parents <= parents]
        self.parts[name] = [*kept, Part(parents, self._clock(), tuple(entries))]

    def save(self) -> None:
        """Writes the file atomically, mode 0600, in a folder only its owner can open (made so when
        missing). A folder that cannot be written costs only the cache: nothing is raised."""
        with contextlib.suppress(OSError):
            _write(self.path, {"format": _FORMAT, "dictionaries": {
                name: [_part_json(p) for p in parts] for name, parts in self.parts.items()}})


def _part_json(part: Part) -> dict[str, Any]:
    return {"parents": None if part.parents is None else sorted(part.parents), "read_at": part.read_at,
            "entries": [[e.code, e.name, e.parent, list(e.aliases)] for e in part.entries]}


def _read(path: Path) -> dict[str, list[Part]]:
    try:
        if path.stat().st_size > _MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            return {}
        return {str(name): [_part(p) for p in parts] for name, parts in data["dictionaries"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return {}  # missing, damaged or of another version: read again


def _part(data: dict[str, Any]) -> Part:
    parents = data["parents"]
    entries = tuple(Entry(str(code), str(name), None if parent is None else str(parent), tuple(map(str, aliases)))
                    for code, name, parent, aliases in data["entries"])
    return Part(None if parents is None else frozenset(map(str, parents)), float(data["read_at"]), entries)


def _write(path: Path, data: dict[str, Any]) -> None:
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    handle, temporary = tempfile.mkstemp(prefix=".reference-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            os.chmod(temporary, 0o600)
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
