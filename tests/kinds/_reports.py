"""What validation tests look at: one sheet's problems as (row, column, code, message), and its values."""

from __future__ import annotations

from bulkops._jobs import ValidationReport
from bulkops._problems import Severity


def errors(report: ValidationReport, sheet: str) -> list[tuple]:
    return [(p.row, p.column, p.code, p.message) for p in report.errors if p.sheet == sheet]


def warnings(report: ValidationReport, sheet: str) -> list[tuple]:
    return [(p.row, p.column, p.code, p.message) for p in report.problems
            if p.sheet == sheet and p.severity is Severity.WARNING]


def values(report: ValidationReport, sheet: str, row: int = 2) -> dict[str, object]:
    """The row as validation left it (repaired, coerced): what the payload is made from."""
    return next(v for v in report.validated if v.sheet.title == sheet).values.loc[row].to_dict()
