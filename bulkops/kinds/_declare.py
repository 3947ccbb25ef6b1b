"""How a kind is declared: one `Column` per spreadsheet column, once.

The template, the validation schema, the reader's header aliases, the payload mapping and the
exporter all read these declarations; nothing else describes a column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default_of
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from bulkops._problems import Problem, Severity
from bulkops.kinds._celltypes import TEXT_FORMAT, CellType, ColType
from bulkops.kinds._numbers import Decimals, as_typed


class Role(StrEnum):
    """Columns that steer the job rather than carry an API field."""

    FIELD = "field"
    REF = "ref"
    ID = "id"
    ACTION = "action"
    PARENT = "parent"  # one parent object, by ID or Ref (Campaign, Filter List)
    PARENTS = "parents"  # several parents, by ID or Ref (a creative's Campaigns)
    MODE = "mode"  # replace / append (targeting lists)


ACTIONS: tuple[str, ...] = ("create", "update", "delete", "skip")
REPLACE, APPEND, REMOVE = "replace", "append", "remove"
# The checks a column may mark as bulkops's own (`Column.own`): stricter than the platform's
# document, so they refuse only new or changed values. "syntax" is a value check the kind makes in
# code (a filter-list item by its list's type, a US ZIP's five digits, a tag's shape).
CHECKS: tuple[str, ...] = ("required", "allowed", "minimum", "maximum", "length", "pattern", "syntax")


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
    parent: str | None = None  # for PARENT/PARENTS columns: the kind named
    # Which of the column's checks are bulkops's own rather than the platform document's (names from
    # CHECKS); every check not named here is the document's.
    own: tuple[str, ...] = ()
    # Where the field sits in the platform's objects when not at the top under its own name: dotted
    # keys, `{name}` parts filled per row (see `_paths`). The payload and the export both follow it.
    api_path: str | None = None
    # The platform dictionary (`Platform.reference`, by name) the column's values are checked against:
    # a cell may hold a name, sent as its code (see `bulkops.reference`).
    lookup: str | None = None
    # Another column of the row (its field) whose value narrows the lookup to the dictionary's entries
    # of that parent (an audience's Type: the list it is in); a blank one is filled from the entry found.
    lookup_within: str | None = None
    # The column holds IDs of objects that belong to the account (an insertion order, uploaded files),
    # not of data every account shares: `push --as-new` warns when it is filled (see `bulkops.io._renew`).
    account_ids: bool = False
    # What the platform alone sets (a campaign's running status): an export writes it, a push never
    # sends it. A cell that differs from the platform's value on an existing object is warned about
    # and left out; with `refuse_change` (a switch the platform's documents give no way to flip) it
    # fails the row instead, so that the buyer knows nothing happened.
    read_only: bool = False
    refuse_change: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.own) - set(CHECKS)
        if unknown:
            raise ValueError(f"{self.label}: unknown checks marked own: {', '.join(sorted(unknown))}")
        if self.refuse_change and not self.read_only:
            raise ValueError(f"{self.label}: refuse_change is for read-only columns")
        if self.read_only and (self.required or self.role is not Role.FIELD):
            raise ValueError(f"{self.label}: a read-only column is a field, never required")

    def is_own(self, check: str) -> bool:
        """Whether `check` (a name from CHECKS) is bulkops's own rule for this column."""
        return check in self.own

    @property
    def cell(self) -> CellType:
        """How this column's cells are read, converted and written (its type's)."""
        return self.type.cell

    @property
    def is_code(self) -> bool:
        """Text columns keep leading zeros: the template formats them as text."""
        return self.type.cell.number_format == TEXT_FORMAT

    @property
    def items_by_line(self) -> bool:
        """A list of free text (SmartyAds' carriers, regions), whose items may hold a comma: a cell
        of it with a line break holds one item per line. Codes, IDs, enumerated values and Refs never
        hold a comma, so their cells split at commas and line breaks alike."""
        return self.type is ColType.LIST and self.pattern is None and self.role is Role.FIELD

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
        if self.items_by_line:
            lines.append("Several values: separate with commas, or write one per line (then a value may hold a "
                         "comma).")
        elif self.type.cell.is_list:
            lines.append("Several values: separate with commas or new lines.")
        if self.read_only:
            lines.append("Read-only: an export fills it and a push never sends it"
                         + (" (a changed value fails the row)." if self.refuse_change else "."))
        lines.append(self.note)
        if self.example is not None:
            lines.append(f"Example: {self.example}")
        return "\n".join(lines)


def _fmt(bound: float | None) -> str:
    return "any" if bound is None else format_bound(bound)


def format_bound(bound: float) -> str:
    """A column's minimum or maximum as a person reads it: a whole number in full (an ID's
    9223372036854775807, not 9.22337e+18), a fraction briefly."""
    return str(bound) if isinstance(bound, int) else f"{bound:g}"


@dataclass(frozen=True)
class SheetContext:
    """Where a sheet came from, for rules that look beyond one cell (files beside the workbook), and
    how to name its columns and quote its cells in a message as the user's file has them."""

    file: str
    title: str
    folder: Path
    raw: pd.DataFrame  # cells as typed, by API field: a ZIP typed as a number is still a number here
    media_root: Path | None = None  # media files must be inside it; None: anywhere
    # field -> the column's header as the file writes it (`dateEnd`), the template label where the
    # file has no such column
    headers: Mapping[str, str] = default_of(default_factory=dict)
    decimals: Decimals | None = None  # how the file writes numbers as text (None: it does not say)

    def header(self, field_name: str) -> str:
        """The column as the user's header reads: what a message names it by, so it can be found."""
        return self.headers.get(field_name, field_name)

    def as_typed(self, row: Any, field_name: str, value: Any) -> str:
        """A value for a message: a number quoted as its cell was typed (`'1.000' (read as 1000: …)`)."""
        if isinstance(value, dt.date):
            return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, dt.datetime) else \
                value.isoformat()
        raw = self.raw[field_name].get(row) if field_name in self.raw else None
        return as_typed(raw, value, self.decimals)

    def problem(self, row: int, column: str, code: str, message: str, *, warning: bool = False) -> Problem:
        severity = Severity.WARNING if warning else Severity.ERROR
        return Problem(self.file, self.title, int(row), column, code, message, severity)


def rows_of(frame: pd.DataFrame) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(row, {field: value}) with blanks as None: `iterrows()` would make a row of text cells a
    string Series, turning None into NaN."""
    return zip(frame.index, frame.to_dict("records"), strict=True)


# A cross-field rule sees the coerced frame (index = spreadsheet row numbers) and yields problems.
RowCheck = Callable[[pd.DataFrame, "Kind", SheetContext], Sequence[Problem]]
# A repair runs before the schema and may fill or fix values in place (ZIP codes, coordinates).
Repair = Callable[[pd.DataFrame, "Kind", SheetContext], Sequence[Problem]]


def own_rule(check: RowCheck) -> RowCheck:
    """Marks a cross-field rule as bulkops's own (the document does not give it): its problems
    refuse only new or changed values, and warn on values the platform already holds."""

    def marked(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
        return [dataclasses.replace(p, own=True) for p in check(frame, kind, where)]

    return marked


@dataclass(frozen=True)
class UpdateRoute:
    """An update route as the platform's document gives it: its name as a message says it, and the
    request fields it lists. A field outside them may be ignored by the platform (an API built on
    validated input keeps only what it validates), so changing one is warned about before sending,
    and the platform's answer is checked."""

    name: str  # "SmartyAds' campaign update, 11.4.1"
    fields: tuple[str, ...]

    def lists(self, field_name: str) -> bool:
        return field_name in self.fields


@dataclass(frozen=True)
class ItemCheck:
    """How a list kind's items are checked against the list they are in: `problem(list type, item,
    type header)` says why an item does not fit a list of that type (None: it fits). The list's type
    is its parent row's `type_field`, when the parent is a row of the job."""

    item_field: str
    type_field: str
    problem: Callable[[str, str, str], str | None]


# A kind whose API shape is not flat builds its own payload from a row's typed values.
PayloadOf = Callable[[Mapping[str, Any]], dict[str, Any]]


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
    repairs: tuple[Repair, ...] = ()
    payload: PayloadOf | None = None
    # Fields an update may send (None: every field). SmartyAds creatives take only isActive.
    updatable: tuple[str, ...] | None = None
    # A targeting kind: rows are items of a list that belongs to a parent, not objects of their own.
    item_fields: tuple[str, ...] = ()
    # Items checked by the type of the list they are in (a filter list's domains, IPs, ...).
    item_check: ItemCheck | None = None
    # The platform's documented update route for this kind, when it has one.
    update_route: UpdateRoute | None = None
    # Its rows may add to a parent's list rather than replace it (`push --append KIND`): a list kind's
    # items, or an entity whose assignment to campaigns appends.
    appendable: bool = False

    def column(self, field_name: str) -> Column:
        for col in self.columns:
            if col.field == field_name:
                return col
        raise KeyError(field_name)

    @property
    def fields(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.role is Role.FIELD)

    @property
    def sent_fields(self) -> tuple[Column, ...]:
        """The field columns a push may send (every field but the read-only ones)."""
        return tuple(c for c in self.fields if not c.read_only)

    def role_column(self, role: Role) -> Column | None:
        return next((c for c in self.columns if c.role is role), None)

    @property
    def is_entity(self) -> bool:
        return self.role_column(Role.ID) is not None

    @property
    def parent_column(self) -> Column | None:
        return self.role_column(Role.PARENT) or self.role_column(Role.PARENTS)
