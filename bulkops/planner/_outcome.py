"""What happened to each row: the status vocabulary of the results workbook."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DELETED = "deleted"
    FAILED = "failed"
    # No answer came to a create and bulkops could not tell whether it happened: the next run of
    # the same job looks it up by name before creating it again.
    UNKNOWN = "unknown"
    INVALID = "invalid"
    SKIPPED = "skipped"
    NOT_RUN = "not run"


# The message of a row the platform already holds as it says (the live diff, or a step that compared).
UNCHANGED_NOTE = "the platform already has it as the row says"

SUCCESS = frozenset({Status.CREATED, Status.UPDATED, Status.UNCHANGED, Status.DELETED})


@dataclass
class RowOutcome:
    status: Status
    message: str = ""
    id: int | None = None
    # The write happened, and the object exists, although the row failed its check (the answer
    # showed a field not kept): rows that need the object's ID still get it.
    written: bool = False


# (sheet index in the job, spreadsheet row number)
RowKey = tuple[int, int]
