"""The journal: one SQLite file per account recording every operation before it is sent and after
it is answered, so that a run killed at any instant resumes without a duplicate create and without
losing a row, whatever file the job comes from and wherever its results go (see _keys).

States: `intent` (about to send; if found on restart, the answer was lost: reconcile before any
re-send), `done` (answered with success; `result_id` holds the object's ID), `failed` (the platform
refused it; safe to try again). Nothing secret is stored: keys, IDs, digests, messages, and for each
run its start time, input file names and results path.

A create's `watermark` is the highest ID of its kind the account's journal knew when it sent the
create: only a newer object can be the one an unanswered create made, so an older namesake is never
adopted. `found` marks a create adopted by name after its answer was lost.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

INTENT, DONE, FAILED = "intent", "done", "failed"
THIS_RUN = -1  # `record(run=...)`: the run this journal was opened for (the default)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    inputs TEXT NOT NULL,
    results TEXT NOT NULL
);
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
    ref TEXT,
    run INTEGER,
    found INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL,
    PRIMARY KEY (scope, key)
);
"""
# Columns later versions added, for a journal an earlier one made.
_ADDED = {"watermark": "INTEGER", "ref": "TEXT", "run": "INTEGER", "found": "INTEGER NOT NULL DEFAULT 0"}
_INDEXES = """
CREATE INDEX IF NOT EXISTS ops_result ON ops (scope, kind, result_id);
CREATE INDEX IF NOT EXISTS ops_state ON ops (scope, state, action);
CREATE INDEX IF NOT EXISTS ops_name ON ops (scope, kind, natural_key);
"""
_ENTRY = "key, kind, action, state, fingerprint, natural_key, result_id, message, watermark, ref, run, found"


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str
    action: str
    state: str
    fingerprint: str
    natural_key: str | None
    result_id: int | None
    message: str | None
    watermark: int | None = None
    ref: str | None = None
    run: int | None = None
    found: bool = False


class Journal:
    """`scope` names the account (a digest, see bulkops._jobs.account_scope): a journal file serves
    one, and its rows say which. `run` is the run records are written for (see start_run)."""

    def __init__(self, path: Path | str, scope: str) -> None:
        self.path = Path(path)
        self.scope = scope
        self.run: int | None = None
        self._labels: dict[int, str] = {}
        self._now: set[str] = set()  # keys this run recorded (as its own work): not an earlier run's
        self._lock = threading.Lock()
        _create_private(self.path)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        # Another push to the same account may be writing: wait for it rather than fail.
        self._db.execute("PRAGMA busy_timeout=60000")
        # WAL + FULL: an answered operation is on disk before we move on, even if the machine dies.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(ops)")}
        for column, declared in _ADDED.items():
            if column not in columns:  # a journal written before the column existed
                self._db.execute(f"ALTER TABLE ops ADD COLUMN {column} {declared}")
        self._db.executescript(_INDEXES)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs -------------------------------------------------------------------------------------

    def start_run(self, *, inputs: Sequence[str], results: str, started_at: dt.datetime | None = None) -> int:
        """A push begins: every record from now on names this run (what the journal knew before is
        an earlier run's work)."""
        self.run = self.add_run(inputs=inputs, results=results, started_at=started_at)
        self._now.clear()
        return self.run

    def add_run(self, *, inputs: Sequence[str], results: str, started_at: dt.datetime | None = None) -> int:
        started = (started_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            cursor = self._db.execute("INSERT INTO runs (started_at, inputs, results) VALUES (?, ?, ?)",
                                      (started, "\n".join(inputs), results))
        return int(cursor.lastrowid or 0)

    def run_label(self, run: int | None) -> str:
        """How a message names a run: "2026-12-06 14:02, campaigns.csv → out-a.xlsx" (local time)."""
        if run is None:
            return "an earlier run"
        if run not in self._labels:
            with self._lock:
                row = self._db.execute("SELECT started_at, inputs, results FROM runs WHERE id = ?",
                                       (run,)).fetchone()
            if row is None:
                return "an earlier run"
            started = dt.datetime.fromisoformat(row[0]).astimezone().strftime("%Y-%m-%d %H:%M")
            inputs = ", ".join(Path(name).name for name in row[1].split("\n") if name)
            self._labels[run] = f"{started}, {inputs} → {Path(row[2]).name}"
        return self._labels[run]

    # -- operations ---------------------------------------------------------------------------------

    def recorded_now(self, key: str) -> bool:
        """Whether this run wrote the key's record (it is not an earlier run's work)."""
        return key in self._now

    def get(self, key: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_ENTRY} FROM ops WHERE scope = ? AND key = ?",
                                   (self.scope, key)).fetchone()
        return _entry(row)

    def done_with(self, kind: str, object_id: int, fingerprint: str) -> Entry | None:
        """The record of an earlier run that created or updated this object to exactly this content."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_ENTRY} FROM ops WHERE scope = ? AND kind = ? AND result_id = ? AND fingerprint = ? "
                "AND state = ? AND action != 'delete' LIMIT 1",
                (self.scope, kind, object_id, fingerprint, DONE)).fetchone()
        return _entry(row)

    def created_alike(self, kind: str, natural_key: str, ref: str | None, key: str) -> Entry | None:
        """A create of another key an earlier run finished for the same kind, name and Ref, that a row
        must not repeat: one with a Ref (the row was edited since), or one adopted by name after its
        answer was lost (its row may have been edited since; no Ref tells)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_ENTRY} FROM ops WHERE scope = ? AND kind = ? AND natural_key = ? AND action = 'create' "
                "AND state = ? AND key != ? AND ref IS ? AND (ref IS NOT NULL OR found = 1) "
                "AND result_id IS NOT NULL ORDER BY updated_at DESC",
                (self.scope, kind, natural_key, DONE, key, ref)).fetchall()
        return self._earliest_other(rows)

    def pending_alike(self, kind: str, natural_key: str, key: str) -> Entry | None:
        """A create of another key an earlier run sent for the same kind and name and never heard of."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_ENTRY} FROM ops WHERE scope = ? AND kind = ? AND natural_key = ? AND action = 'create' "
                "AND state = ? AND key != ?", (self.scope, kind, natural_key, INTENT, key)).fetchall()
        return self._earliest_other(rows)

    def _earliest_other(self, rows: list[tuple]) -> Entry | None:
        """The first of these records that an earlier run wrote (this run's rows are each their own)."""
        return next((e for e in map(_entry, rows) if e is not None and e.key not in self._now), None)

    def claimed_ids(self, kind: str) -> set[int]:
        with self._lock:
            rows = self._db.execute("SELECT result_id FROM ops WHERE scope = ? AND kind = ? AND state = ? "
                                    "AND result_id IS NOT NULL", (self.scope, kind, DONE)).fetchall()
        return {r[0] for r in rows}

    def highest_id(self, kind: str) -> int:
        """The highest ID of `kind` any run for the account has created or touched (0 if none)."""
        with self._lock:
            row = self._db.execute("SELECT MAX(result_id) FROM ops WHERE scope = ? AND kind = ?",
                                   (self.scope, kind)).fetchone()
        return int(row[0] or 0)

    def pending(self) -> list[Entry]:
        """Creates sent by an earlier run that never got an answer: to reconcile before sending more."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_ENTRY} FROM ops WHERE scope = ? AND state = ? AND action = 'create'",
                                    (self.scope, INTENT)).fetchall()
        return [entry for entry in map(_entry, rows) if entry is not None]

    def record(self, key: str, *, kind: str, action: str, state: str, fingerprint: str,
               natural_key: str | None = None, result_id: int | None = None, message: str | None = None,
               watermark: int | None = None, ref: str | None = None, found: bool = False,
               run: int | None = THIS_RUN) -> None:
        """Write what is known of an operation, for `run` (default: this run; an earlier run's ID, or
        None, when it records that run's work). A watermark, once set by the intent, stays: the
        answer's record does not know it."""
        if run == THIS_RUN:
            run = self.run
            self._now.add(key)
        else:
            self._now.discard(key)
        with self._lock:
            self._db.execute(
                "INSERT INTO ops (scope, key, kind, action, state, fingerprint, natural_key, result_id, message, "
                "watermark, ref, run, found, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (scope, key) DO UPDATE "
                "SET kind = excluded.kind, action = excluded.action, state = excluded.state, "
                "fingerprint = excluded.fingerprint, natural_key = excluded.natural_key, "
                "result_id = excluded.result_id, message = excluded.message, "
                "watermark = COALESCE(excluded.watermark, ops.watermark), ref = excluded.ref, run = excluded.run, "
                "found = excluded.found, updated_at = excluded.updated_at",
                (self.scope, key, kind, action, state, fingerprint, natural_key, result_id, message, watermark, ref,
                 run, int(found), time.time()))


def _entry(row: tuple | None) -> Entry | None:
    return Entry(*row[:-1], found=bool(row[-1])) if row else None


def _create_private(path: Path) -> None:
    """The file exists, readable by its owner only, before SQLite opens it (SQLite gives its -wal
    and -shm files the same mode)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600), "w"):
        pass
