"""Sandbox state in SQLite: ":memory:" by default, or a file so that a restarted sandbox keeps its
objects and its id sequences. Each object is a JSON blob (the platform's own shape) keyed by kind
and id; owner and the soft-delete flag are columns so lists and lookups can filter on them.

One connection, one lock: handlers run concurrently on the server's event loop while tests read
from their own thread.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

Body = dict[str, Any]

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS objects (kind TEXT NOT NULL, id INTEGER NOT NULL, owner TEXT NOT NULL, "
    "deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL, PRIMARY KEY (kind, id))",
    # Ids are never reused, even after deletes, as with an AUTO_INCREMENT column.
    "CREATE TABLE IF NOT EXISTS sequences (kind TEXT PRIMARY KEY, last_id INTEGER NOT NULL)",
)


class Store:
    def __init__(self, path: str | None) -> None:
        self.path = path
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            for statement in _SCHEMA:
                self._db.execute(statement)

    def create(self, kind: str, owner: str, build: Callable[[int], Body]) -> Body:
        """Take the next id for `kind`, build the object with it, store it; all in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT last_id FROM sequences WHERE kind = ?", (kind,)).fetchone()
                new_id = (row[0] if row else 0) + 1
                self._db.execute("INSERT OR REPLACE INTO sequences (kind, last_id) VALUES (?, ?)", (kind, new_id))
                body = build(new_id)
                self._db.execute("INSERT INTO objects (kind, id, owner, body) VALUES (?, ?, ?, ?)",
                                 (kind, new_id, owner, json.dumps(body)))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return body

    def get(self, kind: str, object_id: int, *, owner: str | None = None) -> Body | None:
        """A live (not soft-deleted) object, optionally only if `owner` owns it."""
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM objects WHERE kind = ? AND id = ? AND deleted = 0 AND (? IS NULL OR owner = ?)",
                (kind, object_id, owner, owner)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, kind: str, object_id: int, body: Body, *, deleted: bool = False) -> None:
        with self._lock:
            self._db.execute("UPDATE objects SET body = ?, deleted = ? WHERE kind = ? AND id = ?",
                             (json.dumps(body), int(deleted), kind, object_id))

    def set(self, kind: str, object_id: int, owner: str, body: Body) -> None:
        """Store `body` under a key the caller chose (a campaign's list, keyed by the campaign's id)."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO objects (kind, id, owner, deleted, body) VALUES (?, ?, ?, 0, ?)",
                             (kind, object_id, owner, json.dumps(body)))

    def next_id(self, kind: str) -> int:
        """Take the next id of `kind`'s sequence (ids of items inside a stored list)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._db.execute("SELECT last_id FROM sequences WHERE kind = ?", (kind,)).fetchone()
            new_id = (row[0] if row else 0) + 1
            self._db.execute("INSERT OR REPLACE INTO sequences (kind, last_id) VALUES (?, ?)", (kind, new_id))
            self._db.execute("COMMIT")
        return new_id

    def page(self, kind: str, owner: str, offset: int, limit: int) -> tuple[list[Body], int]:
        """One page of `owner`'s live objects by id, and how many there are in all."""
        with self._lock:
            (total,) = self._db.execute("SELECT COUNT(*) FROM objects WHERE kind = ? AND owner = ? AND deleted = 0",
                                        (kind, owner)).fetchone()
            rows = self._db.execute("SELECT body FROM objects WHERE kind = ? AND owner = ? AND deleted = 0 "
                                    "ORDER BY id LIMIT ? OFFSET ?", (kind, owner, limit, offset)).fetchall()
        return [json.loads(r[0]) for r in rows], total

    def all(self, kind: str, *, include_deleted: bool = False) -> list[Body]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM objects WHERE kind = ? AND (deleted = 0 OR ?) ORDER BY id",
                                    (kind, int(include_deleted))).fetchall()
        return [json.loads(r[0]) for r in rows]

    def dump(self) -> dict[str, dict[int, Body]]:
        """Every live object, by kind and ID: what a test compares between two sandboxes."""
        with self._lock:
            rows = self._db.execute("SELECT kind, id, body FROM objects WHERE deleted = 0 ORDER BY kind, id").fetchall()
        dumped: dict[str, dict[int, Body]] = {}
        for kind, object_id, body in rows:
            dumped.setdefault(kind, {})[object_id] = json.loads(body)
        return dumped

    def close(self) -> None:
        with self._lock:
            self._db.close()
