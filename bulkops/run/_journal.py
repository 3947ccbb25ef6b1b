"""The journal: a SQLite file beside the results workbook recording every operation before it is
sent and after it is answered, so that a run killed at any instant resumes without a duplicate
create and without losing a row.

States: `intent` (about to send; if found on restart, the answer was lost: reconcile before any
re-send), `done` (answered with success; `result_id` holds the object's ID), `failed` (the platform
refused it; safe to try again). Nothing secret is stored: keys, IDs, digests and messages only.

A create's `watermark` is the highest ID of its kind the job knew when it sent the create: only a
newer object can be the one an unanswered create made, so an older namesake is never adopted.
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
    watermark INTEGER,
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
    watermark: int | None = None


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
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(ops)")}
        if "watermark" not in columns:  # a journal written before watermarks existed
            self._db.execute("ALTER TABLE ops ADD COLUMN watermark INTEGER")

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
                "SELECT key, action, state, fingerprint, natural_key, result_id, message, watermark FROM ops "
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

    def highest_id(self, kind: str) -> int:
        """The highest ID of `kind` this job has created or touched (0 if none)."""
        with self._lock:
            row = self._db.execute("SELECT MAX(result_id) FROM ops WHERE scope = ? AND kind = ?",
                                   (self.scope, kind)).fetchone()
        return int(row[0] or 0)

    def pending(self) -> list[Entry]:
        """Creates sent by an earlier run that never got an answer: to reconcile before sending more."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key, action, state, fingerprint, natural_key, result_id, message, watermark FROM ops "
                "WHERE scope = ? AND state = ? AND action = 'create'", (self.scope, INTENT)).fetchall()
        return [Entry(*row) for row in rows]

    def record(self, key: str, *, kind: str, action: str, state: str, fingerprint: str,
               natural_key: str | None = None, result_id: int | None = None, message: str | None = None,
               watermark: int | None = None) -> None:
        # A watermark, once set by the intent, stays: the answer's record does not know it.
        with self._lock:
            self._db.execute(
                "INSERT INTO ops (scope, key, kind, action, state, fingerprint, natural_key, result_id, message, "
                "watermark, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO UPDATE "
                "SET kind = excluded.kind, action = excluded.action, state = excluded.state, "
                "fingerprint = excluded.fingerprint, natural_key = excluded.natural_key, "
                "result_id = excluded.result_id, message = excluded.message, "
                "watermark = COALESCE(excluded.watermark, ops.watermark), updated_at = excluded.updated_at",
                (self.scope, key, kind, action, state, fingerprint, natural_key, result_id, message, watermark,
                 time.time()))
