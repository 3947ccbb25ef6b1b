"""What a results workbook says about one row: plain values, whatever produced them."""

from __future__ import annotations

from dataclasses import dataclass

# The words of the Status column, in the order the Summary sheet counts them (docs/results-and-journal.md).
STATUSES: tuple[str, ...] = ("created", "updated", "unchanged", "deleted", "failed", "unknown", "invalid", "skipped",
                             "not run")
# (sheet index in the job, spreadsheet row number)
RowKey = tuple[int, int]


@dataclass(slots=True)
class ResultRow:
    """One row's outcome as the results workbook writes it: its Status word (one of STATUSES), its
    Message, and the ID of the object it made or changed (written into the row's ID cell)."""

    status: str
    message: str = ""
    id: int | None = None
    # The row's ID cell is emptied when it has no `id`: a row pushed as new that made nothing keeps no
    # old ID, which in the account it went to would name another object.
    blank_id: bool = False
    # Pushed as new: the ID the row was read with (the object it was made from), written in the Old ID
    # column beside the new one.
    old_id: int | None = None
