"""The journal: a SQLite file beside the results workbook recording every operation before it is
sent and after it is answered, so that a run killed at any instant resumes without a duplicate
create and without losing a row.

States: `intent` (about to send; if found on restart, the answer was lost: reconcile before any
re-send), `done` (answered with success; `result_id` holds the object's ID), `failed` (the platform
refused it; safe to try again). Nothing secret is stored: keys, IDs, digests and messages only.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

INTENT, DONE, FAILED = "intent", "done", "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ops (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    state TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    natural_key TEXT,
    result_id INTEGER,
    message TEXT,
    updated_at REAL NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS ops_result ON ops (scope, kind, result_id);
"""


@dataclass(frozen=True)
class Entry:
    key: str
    action: str
    state: str
    fingerprint: str
    natural_key: str | None
    result_id: int | None
    message: str | None


class Journal:
    def __init__(self, path: Path | str, scope: str) -> None:
        self.path = Path(path)
        self.scope = scope
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        # WAL + FULL: an answered operation is on disk before we move on, even if the machine dies.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, key: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(
                "SELECT key, action, state, fingerprint, natural_key, result_id, message FROM ops "
                "WHERE scope = ? AND key = ?", (self.scope, key)).fetchone()
        return Entry(*row) if row else None

    def done_with(self, kind: str, object_id: int, fingerprint: str) -> bool:
        """Was this object already created or updated to exactly this content by an earlier run?"""
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM ops WHERE scope = ? AND kind = ? AND result_id = ? AND fingerprint = ? "
                "AND state = ? AND action != 'delete' LIMIT 1",
                (self.scope, kind, object_id, fingerprint, DONE)).fetchone()
        return row is not None

    def claimed_ids(self, kind: str) -> set[int]:
        with self._lock:
            rows = self._db.execute("SELECT result_id FROM ops WHERE scope = ? AND kind = ? AND state = ? "
                                    "AND result_id IS NOT NULL", (self.scope, kind, DONE)).fetchall()
        return {r[0] for r in rows}

    def record(self, key: str, *, kind: str, action: str, state: str, fingerprint: str,
               natural_key: str | None = None, result_id: int | None = None, message: str | None = None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO ops (scope, key, kind, action, state, fingerprint, natural_key, result_id, message, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET "
                "kind = excluded.kind, action = excluded.action, state = excluded.state, "
                "fingerprint = excluded.fingerprint, natural_key = excluded.natural_key, "
                "result_id = excluded.result_id, message = excluded.message, updated_at = excluded.updated_at",
                (self.scope, key, kind, action, state, fingerprint, natural_key, result_id, message, time.time()))
