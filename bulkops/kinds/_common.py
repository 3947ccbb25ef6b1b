"""Columns every entity sheet has (Ref, ID, Action) and cross-field rules shared by kinds."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds._declare import ACTIONS, APPEND, REMOVE, REPLACE, ColType, Column, Kind, Role, SheetContext

REF = Column(
    "Ref", "ref", ColType.TEXT,
    "Your own unique key for this row within the job; other sheets refer to the row by it. Once "
    "the row is created, the Ref names that object in later pushes to the account. Not sent to "
    "the platform.",
    example="spring-sale", max_length=100, role=Role.REF,
)
# The IDs bulkops accepts in a cell: up to the largest whole number its journal (SQLite) can keep,
# far above any ID either platform gives. An ID column's cells, the IDs in parent cells (Campaign,
# Campaigns, Filter List) and export's --campaigns are held to it, so a mistyped number is refused.
ID_MIN, ID_MAX = 1, 2**63 - 1
ID = Column(
    "ID", "id", ColType.INT,
    "The platform's ID. Empty: the row is created and the ID is written back. Filled: the row "
    "updates that object.",
    example=None, minimum=ID_MIN, maximum=ID_MAX, role=Role.ID,
)


def is_id(number: int) -> bool:
    """Whether a whole number is one an ID cell accepts."""
    return ID_MIN <= number <= ID_MAX


def id_number(text: str) -> int | None:
    """The whole number a text spells, as an ID is typed (ASCII digits only: "²".isdigit() too, and
    int() refuses it); None if it spells none. One too long to be any ID is ID_MAX + 1 rather than
    read (int() refuses 4,300 digits)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) <= len(str(ID_MAX)) else ID_MAX + 1


ACTION = Column(
    "Action", "action", ColType.ENUM,
    "What to do with the row. Empty: create when ID is empty, update when it is filled.",
    example="create", choices=ACTIONS, role=Role.ACTION,
)
ENTITY_COLUMNS: tuple[Column, ...] = (REF, ID, ACTION)
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
URL_HINT = "a web address starting with http:// or https://"


def entity_columns_without_delete(with_id: str) -> tuple[Column, ...]:
    """Ref, ID and Action for a kind the platform's API cannot delete (IQM's campaigns and creatives);
    `with_id` says what a row with an ID does."""
    action = dataclasses.replace(ACTION, choices=tuple(a for a in ACTIONS if a != "delete"),
                                 note=f"Empty: create when ID is empty; with an ID {with_id}")
    return (REF, ID, action)


def ordered(first: str, second: str, relation: str = "on or after"):
    """A rule: `second` must not be before `first` when both are filled."""

    def check(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
        if first not in frame or second not in frame:
            return []
        both = frame[[first, second]].dropna()
        bad = both[both[second] < both[first]]
        low, high = where.header(first), where.header(second)
        return [
            where.problem(row, high, "order", f"{high} ({where.as_typed(row, second, values[second])}) must be "
                          f"{relation} {low} ({where.as_typed(row, first, values[first])})")
            for row, values in bad.iterrows()
        ]

    return check


def required_when(flag: str, needed: Sequence[str]):
    """A rule: when boolean column `flag` is true, every column in `needed` must be filled."""

    def check(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
        if flag not in frame:
            return []
        on = frame.loc[frame[flag].map(lambda v: v is True).astype(bool)]
        problems = []
        for field_name in needed:
            header = where.header(field_name)
            missing = on.index if field_name not in frame else on.index[on[field_name].isna()]
            problems += [where.problem(row, header, "required", f"{header} is required when {where.header(flag)} is on")
                         for row in missing]
        return problems

    return check


def parent(label: str, field_name: str, parent_kind: str, what: str, example: str) -> Column:
    """A column naming one parent object of the job by ID (a number up to ID_MAX: see
    bulkops.validation._links) or by its Ref."""
    return Column(label, field_name, ColType.TEXT,
                  f"The {what} these rows belong to: its ID, or the Ref of a row elsewhere in this job.",
                  example=example, required=True, role=Role.PARENT, parent=parent_kind)


def parents(label: str, field_name: str, parent_kind: str, what: str, example: str) -> Column:
    """A column naming several parents (IDs or Refs, comma- or newline-separated)."""
    return Column(label, field_name, ColType.LIST,
                  f"The {what} to assign this to: IDs, or Refs of rows elsewhere in this job; separate "
                  "several with commas or new lines.", example=example, role=Role.PARENTS, parent=parent_kind)


def mode(what: str, choices: tuple[str, ...] = (REPLACE, APPEND)) -> Column:
    extra = " remove: take these items off." if REMOVE in choices else ""
    return Column("Mode", "mode", ColType.ENUM,
                  f"replace (default): these rows become the whole {what} of their parent; append: add them to "
                  f"what is already there.{extra} Rows of one parent must agree.",
                  example=REPLACE, choices=choices, role=Role.MODE)


def coordinate(label: str, field_name: str, limit: float, example: float, *, required: bool = True,
               own: tuple[str, ...] = ()) -> Column:
    return Column(label, field_name, ColType.NUMBER, f"{label} in decimal degrees.", example=example,
                  required=required, minimum=-limit, maximum=limit, own=own)


def limit(label: str, field: str, what: str, example: int = 0, *, own: tuple[str, ...] = ()) -> Column:
    return Column(label, field, ColType.INT, f"{what}; 0 means no limit.", example=example, minimum=0, own=own)
