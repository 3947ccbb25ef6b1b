"""Journals an earlier version of bulkops kept beside a results workbook (`x-results.journal.sqlite`),
taken into the account's journal the first time the job is pushed again, so that nothing they knew
is lost: a create sent without an answer is looked up by name before anything is sent (as any
unanswered create is), a row they saw created is not created again, a media file is not uploaded
again.

Their keys named a create by its Ref or by its file, sheet and row; a row of this job that has the
key and the same fingerprint is that create, and is recorded under its own key now (so is a row of
the same Ref, name and fingerprint whose place in the file changed). Anything else is kept under its
old key, with its Ref and name: it still takes part in the lookups by name, and refuses a row of
that Ref, or of that name without a Ref, that would create it again from other values. Their list requests are
not taken: a list is sent again whole if it needs to be, which replaces rather than adds. The file is
then renamed `….imported`, so it is taken once.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from bulkops._exceptions import ConfigError
from bulkops.engine._journal import Journal
from bulkops.planner import Operation, Plan
from bulkops.validation import ValidatedSheet

IMPORTED_SUFFIX = ".imported"
_OLD_FOUND = "created by an interrupted run; found it by name"


def import_legacy(paths: Iterable[Path], journal: Journal, plan: Plan, sheets: Sequence[ValidatedSheet],
                  old_scope: str) -> list[str]:
    """Take each of these old journals that exists into `journal`; what was done, for the user."""
    said = []
    for path in paths:
        if path.is_file():
            taken = _take(path, journal, plan, sheets, old_scope)
            said.append(f"took {taken} records from {path} (kept by an earlier version of bulkops) into the "
                        f"account's journal {journal.path}; the old file is now {path.name}{IMPORTED_SUFFIX}")
    return said


def _take(path: Path, journal: Journal, plan: Plan, sheets: Sequence[ValidatedSheet], old_scope: str) -> int:
    rows = _read(path, old_scope)
    run = journal.add_run(inputs=[str(path)], results=str(path.with_name(path.name.removesuffix(".journal.sqlite")
                                                                         + ".xlsx")),
                          started_at=dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC))
    creates = [op for op in plan.operations if op.action == "create"]
    by_old_key = {_old_key(op, sheets): op for op in creates}
    taken = 0
    for key, kind, action, state, fingerprint, natural_key, result_id, message, watermark in rows:
        if action == "list":
            continue  # its keys named lists by row; a list is sent again whole when it must be
        ref = _old_ref(key) if action == "create" else None
        if action == "create" and kind != "media":
            op = _same_row(by_old_key.get(key), creates, kind, ref, natural_key, fingerprint, journal)
            if op is not None:
                key = op.key
        if journal.get(key) is not None:
            continue  # the account's journal knows better
        # Kept with its Ref and name, an edited row's record still refuses that row (see _execute._refusal).
        journal.record(key, kind=kind, action=action, state=state, fingerprint=fingerprint, natural_key=natural_key,
                       result_id=result_id, message=message, watermark=watermark, ref=ref,
                       found=message == _OLD_FOUND, run=run)
        taken += 1
    path.rename(path.with_name(path.name + IMPORTED_SUFFIX))
    return taken


def _old_ref(key: str) -> str | None:
    """The Ref an earlier version's create key names (casefolded, as this version keeps Refs)."""
    _, marker, ref = key.partition(":create:ref:")
    return ref.casefold() if marker else None


def _same_row(named: Operation | None, creates: Sequence[Operation], kind: str, ref: str | None,
              natural_key: str | None, fingerprint: str, journal: Journal) -> Operation | None:
    """The create of this job an old record is: the row its key names (by Ref, or by file, sheet and
    row), else a row of the same kind, Ref, name and content wherever it sits now, not yet known to
    the account's journal. Either must send exactly what the record sent."""
    if named is not None and named.fingerprint == fingerprint:
        return named
    return next((op for op in creates if op.kind.name == kind and op.ref == ref and op.natural_key == natural_key
                 and op.fingerprint == fingerprint and journal.get(op.key) is None), None)


def _read(path: Path, old_scope: str) -> list[tuple]:
    """The old journal's records for this platform and base URL (its WAL replayed by opening it).
    One that cannot be read stops the push: it may hold creates sent without an answer."""
    try:
        database = sqlite3.connect(str(path))
        try:
            columns = {row[1] for row in database.execute("PRAGMA table_info(ops)")}
            watermark = "watermark" if "watermark" in columns else "NULL"
            return database.execute(
                f"SELECT key, kind, action, state, fingerprint, natural_key, result_id, message, {watermark} "
                "FROM ops WHERE scope = ? ORDER BY updated_at", (old_scope,)).fetchall()
        finally:
            database.close()
    except sqlite3.Error as exc:
        raise ConfigError(f"{path} is a journal an earlier version of bulkops kept, and it cannot be read ({exc}); "
                          "it may hold creates sent without an answer, so nothing was sent: repair it, or move it "
                          "away if you are sure every create it knows of is in the results workbook") from None


def _old_key(op: Operation, sheets: Sequence[ValidatedSheet]) -> str:
    """The key an earlier version gave this create: by Ref, else by file, sheet and row."""
    if op.ref is not None:
        return f"{op.kind.name}:create:ref:{op.ref}"
    sheet = sheets[op.row_key[0]].sheet
    return f"{op.kind.name}:create:row:{sheet.file}:{sheet.title}:{op.row_key[1]}"
