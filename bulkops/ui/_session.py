"""One browser session's state: its private folder, the account chosen, the job's files and what was
found in them, and the push running (with the events its page follows)."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulkops._control import StopHandle


@dataclass
class Account:
    """Where the session's pushes go. `credentials` is set only for the demo's sandbox (its built-in,
    public account); otherwise the API reads them from the environment or the profile, as the CLI does."""

    platform: str
    base_url: str | None = None
    credentials: Mapping[str, str] | None = field(default=None, repr=False)
    demo: bool = False
    state_folder: Path | None = None  # the demo keeps its journal apart (its sandbox is gone at exit)


class PushRun:
    """A push in progress: the events the page has been sent (kept, so a page that reconnects is
    sent them again), the handle that stops it, and how far it is.

    What is kept is bounded whatever the push's length: past `keep` events, the progress events but
    the latest go (each holds the whole progress line), then the oldest. A page that reconnects after
    events went is sent a fresh snapshot (the kept rows it missed and the latest progress), not every
    progress line of a long push."""

    REPLACED = frozenset({"progress"})  # each such event holds everything the earlier ones said

    def __init__(self, results: Path, keep: int = 1000) -> None:
        self.results = results
        self.stop = StopHandle()
        self.keep = keep
        self.events: dict[int, tuple[str, str]] = {}  # number → (name, html), oldest first
        self.sent = 0  # events added so far; the next one's number
        self.compacted = 0  # events numbered below this may have gone
        self.finished = False
        self.task: asyncio.Task[Any] | None = None
        self._changed = asyncio.Event()

    def add(self, name: str, html: str) -> None:
        self.events[self.sent] = (name, html)
        self.sent += 1
        if len(self.events) > self.keep:
            self._compact()
        self._changed.set()

    def finish(self) -> None:
        self.finished = True
        self._changed.set()

    async def follow(self, start: int = 0) -> AsyncIterator[tuple[int, str, str]]:
        """Every event from number `start` on (numbered from 0), then each as it comes, until the push
        has finished; a snapshot where some of them have gone."""
        seen = max(0, start)
        while True:
            while seen < self.sent:
                batch = [(number, *event) for number, event in self.events.items() if number >= seen]
                if seen < self.compacted:
                    batch = _latest_only(batch, self.REPLACED)
                seen = self.sent
                for event in batch:
                    yield event
            if self.finished:
                return
            self._changed.clear()
            await self._changed.wait()

    def _compact(self) -> None:
        latest = {name: number for number, (name, _) in self.events.items() if name in self.REPLACED}
        self.events = {number: (name, html) for number, (name, html) in self.events.items()
                       if name not in self.REPLACED or latest[name] == number}
        while len(self.events) > self.keep:
            del self.events[next(iter(self.events))]
        self.compacted = self.sent


def _latest_only(batch: list[tuple[int, str, str]], replaced: frozenset[str]) -> list[tuple[int, str, str]]:
    latest = {name: number for number, name, _ in batch if name in replaced}
    return [event for event in batch if event[1] not in replaced or latest[event[1]] == event[0]]


class Session:
    """What one browser session holds. Its folder (uploads, results, exports) is private to it and
    removed with the app's folder when the app stops."""

    def __init__(self, session_id: str, folder: Path, account: Account) -> None:
        self.id = session_id
        self.csrf = secrets.token_urlsafe(24)
        self.folder = folder
        self.account = account
        self.files: list[Path] = []
        self.shown_names: dict[Path, str] = {}  # stored file → the name the user's file had
        self.check: Any = None  # the last validation's view (bulkops.ui._views.CheckView)
        self.push: PushRun | None = None
        self.downloads: dict[str, Path] = {}  # "results" / "export" / "report" → file
        self.demo_offered = False  # `bulkops ui --demo` staged the demo for this session

    def upload_folder(self) -> Path:
        """A fresh folder for the next set of files (the previous set is removed)."""
        for old in self.folder.glob("upload-*"):
            shutil.rmtree(old, ignore_errors=True)
        folder = self.folder / f"upload-{secrets.token_hex(4)}"
        folder.mkdir(mode=0o700)
        return folder
