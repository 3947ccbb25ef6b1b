"""The journal: one SQLite file per account recording every operation before it is sent and after
it is answered, so that a run killed at any instant resumes without a duplicate create and without
losing a row, whatever file the job comes from and wherever its results go (see _keys).

States: `intent` (about to send; if found on restart, the answer was lost: reconcile before any
re-send), `done` (answered with success; `result_id` holds the object's ID), `failed` (the platform
refused it; safe to try again). Nothing secret is stored: keys, IDs, digests, messages, and for each
run its start time, input file names and results path.

A create's `watermark` is the highest ID of its kind the account's journal knew when it sent the
create: only a newer object can be the one an unanswered create made, so an older namesake is never
adopted. `found` marks a create adopted by name after its answer was lost. A run's `finished_at` is
set once its results workbook is written (so a message may send the user to it).

Only one push of an account runs at a time: see AccountLock, held for the whole push.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from bulkops._exceptions import AccountBusy, ConfigError

INTENT, DONE, FAILED = "intent", "done", "failed"
THIS_RUN = -1  # `record(run=...)`: the run this journal was opened for (the default)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    inputs TEXT NOT NULL,
    results TEXT NOT NULL,
    finished_at TEXT
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
_ADDED = {"ops": {"watermark": "INTEGER", "ref": "TEXT", "run": "INTEGER", "found": "INTEGER NOT NULL DEFAULT 0"},
          "runs": {"finished_at": "TEXT"}}
_INDEXES = """
CREATE INDEX IF NOT EXISTS ops_result ON ops (scope, kind, result_id);
CREATE INDEX IF NOT EXISTS ops_state ON ops (scope, state, action);
CREATE INDEX IF NOT EXISTS ops_name ON ops (scope, kind, natural_key);
CREATE INDEX IF NOT EXISTS ops_ref ON ops (scope, kind, ref);
"""
_IDS_PER_QUERY = 500  # below the 999 variables an SQLite before 3.32 takes in one statement
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
        for table, added in _ADDED.items():
            columns = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for column, declared in added.items():
                if column not in columns:  # a journal written before the column existed
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declared}")
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

    def finish_run(self) -> None:
        """This run's results workbook is written: it holds every ID the run's rows got."""
        if self.run is None:
            return
        finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            self._db.execute("UPDATE runs SET finished_at = ? WHERE id = ?", (finished, self.run))

    def finished(self, run: int | None) -> bool:
        """Whether that run wrote its results workbook (a run killed outright, or recorded by an
        earlier version of bulkops, did not say)."""
        if run is None:
            return False
        with self._lock:
            row = self._db.execute("SELECT finished_at FROM runs WHERE id = ?", (run,)).fetchone()
        return row is not None and row[0] is not None

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

    def created_with_ref(self, kind: str, ref: str, key: str) -> Entry | None:
        """The latest create of another key an earlier run finished for this kind and Ref: a row
        with that Ref asks for that object again (see _execute._refusal)."""
        return next(iter(self._earlier_creates(kind, key, "ref = ? AND state = ? AND result_id IS NOT NULL",
                                               ref, DONE)), None)

    def created_named(self, kind: str, natural_key: str, key: str) -> list[Entry]:
        """The creates of other keys earlier runs finished for this kind and name, latest first."""
        return self._earlier_creates(kind, key, "natural_key = ? AND state = ? AND result_id IS NOT NULL",
                                     natural_key, DONE)

    def pending_alike(self, kind: str, natural_key: str | None, ref: str | None, key: str) -> Entry | None:
        """A create of another key an earlier run sent for this kind and name, or this Ref, and never
        heard of."""
        return next(iter(self._earlier_creates(kind, key, "state = ? AND (natural_key = ? OR ref = ?)",
                                               INTENT, natural_key, ref)), None)

    def _earlier_creates(self, kind: str, key: str, condition: str, *params: object) -> list[Entry]:
        """The creates of this kind but `key` that earlier runs recorded and that meet `condition`,
        latest first: this run's rows are each their own. The query leaves this run's records out
        (a job of thousands of rows of one name would otherwise read them all back for each row);
        the set of keys it recorded tells them apart when no run was started (their run is NULL)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_ENTRY} FROM ops WHERE scope = ? AND kind = ? AND action = 'create' AND key != ? "
                f"AND (run IS NOT ? OR ? IS NULL) AND {condition} ORDER BY updated_at DESC",
                (self.scope, kind, key, self.run, self.run, *params)).fetchall()
        return [e for e in map(_entry, rows) if e is not None and e.key not in self._now]

    def claimed(self, kind: str, ids: Iterable[int]) -> set[int]:
        """Those of these IDs of `kind` that a finished record of any run holds. Asked of the few
        objects a lookup lists, not of every ID the account's journal knows (a lost answer's lookup
        would otherwise read them all)."""
        wanted, found = list(dict.fromkeys(ids)), set[int]()
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start:start + _IDS_PER_QUERY]
            with self._lock:
                rows = self._db.execute(
                    f"SELECT result_id FROM ops WHERE scope = ? AND kind = ? AND state = ? "
                    f"AND result_id IN ({', '.join('?' * len(chunk))})", (self.scope, kind, DONE, *chunk)).fetchall()
            found.update(r[0] for r in rows)
        return found

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


# -- one push of an account at a time -------------------------------------------------------------

_HOLDER_BYTES = 4096  # the holder's description, at the start of the lock file, padded with spaces
_LOCKED_BYTE = 1 << 20  # Windows locks a byte range against reads too: lock one far from the description


class AccountLock:
    """An exclusive hold on an account's journal, for a whole push: a second push to the account
    (from another terminal, a script, a scheduled job) stops at once with AccountBusy, and says who
    holds it. The operating system's lock on an open file (flock; LockFileEx through msvcrt on
    Windows) is dropped when its process ends however it ends (kill -9 too), so a crashed push never
    leaves the account locked. The lock file stays beside the journal, holding the last holder's
    description."""

    def __init__(self, path: Path, *, inputs: Sequence[str], results: str) -> None:
        self.path = path
        self._holder = json.dumps({"pid": os.getpid(), "since": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                   "inputs": [Path(name).name for name in inputs], "results": Path(results).name})
        self._fd: int | None = None

    def __enter__(self) -> AccountLock:
        _create_private(self.path)
        fd = os.open(self.path, os.O_RDWR)
        try:
            taken = _exclusive(fd)
        except OSError as exc:
            os.close(fd)
            raise ConfigError(f"cannot lock {self.path} ({exc.strerror or exc}), which makes sure only one push to "
                              "the account runs at a time; nothing was sent. Set BULKOPS_STATE_DIR to a folder on a "
                              "local disk") from None
        if not taken:
            holder = _read_holder(fd)
            os.close(fd)
            raise AccountBusy(f"another bulkops push to this account is running ({holder}); nothing was sent and no "
                              "results were written: wait for it to finish, or stop it (Ctrl-C where it runs; it keeps "
                              "what it sent), then push again") from None
        self._fd = fd
        _write_holder(fd, self._holder)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _write_holder(fd, "")
            _release(fd)
        finally:
            os.close(fd)


def _locking() -> ModuleType:
    """fcntl where there is one (every POSIX system), else msvcrt (Windows)."""
    try:
        import fcntl

        return fcntl
    except ImportError:
        pass
    try:
        import msvcrt

        return msvcrt
    except ImportError:
        raise ConfigError("this system offers bulkops no way to lock a file, so it cannot make sure that only "
                          "one push to an account runs at a time; nothing was sent") from None


def _exclusive(fd: int) -> bool:
    """Take the file's lock without waiting: False if another open file holds it (OSError if the
    file system cannot lock at all)."""
    module = _locking()
    if module.__name__ == "fcntl":
        try:
            module.flock(fd, module.LOCK_EX | module.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
    try:
        module.locking(fd, module.LK_NBLCK, 1)
    except OSError:  # msvcrt says EACCES (or EDEADLOCK) when another process holds the range
        return False
    return True


def _release(fd: int) -> None:
    module = _locking()
    if module.__name__ == "fcntl":
        module.flock(fd, module.LOCK_UN)
    else:
        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        module.locking(fd, module.LK_UNLCK, 1)


def _write_holder(fd: int, text: str) -> None:
    data = text.encode()[:_HOLDER_BYTES].ljust(_HOLDER_BYTES)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


def _read_holder(fd: int) -> str:
    """Who holds the lock, as a message says it: "since 2026-12-06 14:02, process 4242: campaigns.csv
    → out-a.xlsx" (local time)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        holder = json.loads(os.read(fd, _HOLDER_BYTES).decode().strip())
        since = dt.datetime.fromisoformat(holder["since"]).astimezone().strftime("%Y-%m-%d %H:%M")
        inputs = ", ".join(str(name) for name in holder["inputs"])
        return f"since {since}, process {int(holder['pid'])}: {inputs} → {holder['results']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "it has not said since when"
