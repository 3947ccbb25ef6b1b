"""How a kind is declared: one `Column` per spreadsheet column, once.

The template, the validation schema, the reader's header aliases, the payload mapping and the
exporter all read these declarations; nothing else describes a column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from bulkops._problems import Problem


class ColType(StrEnum):
    TEXT = "text"
    INT = "integer"
    NUMBER = "number"
    BOOL = "true/false"
    INCLUDE = "include/exclude"
    DATE = "date"
    ENUM = "one of a list"
    LIST = "list"
    ENUM_LIST = "list from a set"


class Role(StrEnum):
    """Columns that steer the job rather than carry an API field."""

    FIELD = "field"
    REF = "ref"
    ID = "id"
    ACTION = "action"


ACTIONS: tuple[str, ...] = ("create", "update", "delete", "skip")


@dataclass(frozen=True)
class Column:
    label: str
    field: str
    type: ColType
    note: str
    example: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_hint: str = ""
    role: Role = Role.FIELD

    @property
    def is_code(self) -> bool:
        """Text columns keep leading zeros: the template formats them as text."""
        return self.type in (ColType.TEXT, ColType.LIST)

    @property
    def is_enumerated(self) -> bool:
        return bool(self.choices)

    def header_note(self) -> str:
        """The comment on the header cell: API field, type, allowed values, example."""
        lines = [f"API field: {self.field}", f"Type: {self.type.value}"]
        if self.required:
            lines.append("Required when creating.")
        if self.choices:
            shown = ", ".join(self.choices[:12]) + (", …" if len(self.choices) > 12 else "")
            lines.append(f"Allowed: {shown}")
        if self.minimum is not None or self.maximum is not None:
            lines.append(f"Range: {_fmt(self.minimum)} to {_fmt(self.maximum)}")
        if self.type in (ColType.LIST, ColType.ENUM_LIST):
            lines.append("Several values: separate with commas or new lines.")
        lines.append(self.note)
        if self.example is not None:
            lines.append(f"Example: {self.example}")
        return "\n".join(lines)


def _fmt(bound: float | None) -> str:
    return "any" if bound is None else f"{bound:g}"


# A cross-field rule sees the coerced frame (index = spreadsheet row numbers) and yields problems.
RowCheck = Callable[[pd.DataFrame, "Kind", str], Sequence[Problem]]


@dataclass(frozen=True)
class Kind:
    """One sheet's worth of things: its name, sheet title and columns, for one platform."""

    name: str
    sheet: str
    platform: str
    columns: tuple[Column, ...]
    checks: tuple[RowCheck, ...] = ()
    # Field names that must be present on an update request even when unchanged.
    update_requires: tuple[str, ...] = ()
    natural_key: tuple[str, ...] = ()

    def column(self, field_name: str) -> Column:
        for col in self.columns:
            if col.field == field_name:
                return col
        raise KeyError(field_name)

    @property
    def fields(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.role is Role.FIELD)

    def role_column(self, role: Role) -> Column | None:
        return next((c for c in self.columns if c.role is role), None)
