"""A validation problem is a record, not a string (as in frictionless-py).

The CLI prints these one per line; the results workbook renders them into Status/Message.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) in the user's input.

    `row` is the spreadsheet's own row number (1 is the header), so the user can go straight to
    it; it is None for problems of a whole file or sheet. `column` is the header as the user wrote
    it, or the template label when the column is missing.
    """

    file: str
    sheet: str
    row: int | None
    column: str | None
    code: str
    message: str
    severity: Severity = Severity.ERROR
    # The check is bulkops's own, stricter than the platform's document (a pattern, a length, an
    # item's syntax): on a value the platform already holds, `plan` and `push` warn instead.
    own: bool = False

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def render(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(self.sheet)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(self.column)
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{' / '.join(where)}: {prefix}{self.message}"
