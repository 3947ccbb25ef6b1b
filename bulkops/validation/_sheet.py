"""What validation reads (a sheet of raw cells: `SheetInput`, which any reader may provide) and what
it gives back (`ValidatedSheet`: typed values, each row's action, every problem)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import Decimals, Kind, SheetContext, media_anywhere

CREATE, UPDATE, DELETE, SKIP = "create", "update", "delete", "skip"


class SheetInput(Protocol):
    """One sheet as read: raw cells by API field (a frame indexed by spreadsheet row number), the
    kind it holds, and the problems met while reading it."""

    path: Path
    title: str
    kind: Kind
    frame: pd.DataFrame
    problems: list[Problem]
    # How numbers typed as text are written (None: nothing says).
    decimal: Decimals | None

    @property
    def file(self) -> str: ...

    def header(self, field_name: str) -> str:
        """The column's header as the file writes it (the template label where it has none)."""
        ...


@dataclass
class ValidatedSheet:
    sheet: SheetInput
    values: pd.DataFrame  # typed values by API field; None where blank
    actions: pd.Series  # row -> create / update / delete / skip
    problems: list[Problem] = field(default_factory=list)

    @property
    def invalid_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.is_error and p.row is not None and p.row > 1}

    @property
    def sheet_errors(self) -> list[Problem]:
        """Errors that spoil the whole sheet (bad headers), not one row."""
        return [p for p in self.problems if p.is_error and (p.row is None or p.row == 1)]


def context_of(sheet: SheetInput) -> SheetContext:
    folder = sheet.path.resolve().parent
    headers = {column.field: sheet.header(column.field) for column in sheet.kind.columns}
    return SheetContext(sheet.file, sheet.title, folder, sheet.frame, None if media_anywhere() else folder,
                        headers=headers, decimals=sheet.decimal)
