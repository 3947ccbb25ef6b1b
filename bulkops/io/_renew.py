"""A job read "as new" (`push --as-new`): every object of the workbook is created again, in whatever
account the push goes to, and the IDs the workbook holds only say which row is which.

It works on the sheets as read, before validation, from the kinds' declarations alone (the ID, Ref,
Action and parent columns), so any kind a platform declares is carried:

- an entity row with an ID loses it (the row is a create) and keeps its Ref; a row without a Ref gets
  one made from its old ID (`old-campaigns-12`), so the journal knows the create by the old ID and a
  stopped run resumed never creates it twice;
- an `update` action becomes a create; a `delete` cannot be done in an account the object is not in,
  so it is refused on its row;
- a parent cell (`Campaign`, `Campaigns`, `Filter List`) naming an old ID of a row of the job names
  that row's Ref instead, so the child waits for its new parent; one naming an ID no row of the job
  holds is refused (it would attach the new object to whatever the target account has under that ID);
- every other column is sent as it is: IDs of things shared between accounts (a deal ID, a category
  chosen by code) are fields, not the kinds' ID columns; a filled column declared as holding the
  account's own IDs (`Column.account_ids`: an IQM insertion order, uploaded location files) is warned
  about, since those IDs name nothing, or something else, in another account; so is an ID in a column
  that looks its values up among the account's own objects (a dictionary marked `of_account`: an
  optimization rule, an audience), whose names are looked up in the account pushed to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from bulkops._problems import Problem, Severity
from bulkops.io._read import SheetData
from bulkops.io._rows import RowKey
from bulkops.kinds import Column, Kind, Role, id_number, is_blank, is_id, split_list
from bulkops.registry import platform_named

AS_NEW = "as-new"  # the code of the problems this reading adds


@dataclass
class Renewed:
    """What reading a job as new changed: each row's old ID, by (sheet number, row)."""

    old_ids: dict[RowKey, int] = field(default_factory=dict)


def renew_sheets(sheets: Sequence[SheetData]) -> Renewed:
    """Make every entity row of `sheets` a create and point child rows at their parents' rows (in
    place, on the raw frames); problems go on the rows they are about."""
    renewed = Renewed()
    refs: dict[tuple[str, int], str] = {}  # (kind, old ID) -> the Ref its row goes by
    known: set[tuple[str, str]] = set()  # (kind, Ref casefolded) of every row of the job
    for number, sheet in enumerate(sheets):
        if sheet.kind.is_entity:
            _renew_entities(number, sheet, renewed, refs, known)
    for sheet in sheets:
        if sheet.kind.parent_column is not None and sheet.kind.parent_column.parent is not None:
            _repoint_parents(sheet, refs, known)
        _warn_account_ids(sheet)
    return renewed


def _column(sheet: SheetData, field_name: str) -> list[Any]:
    frame = sheet.frame
    return list(frame[field_name]) if field_name in frame else [None] * len(frame.index)


def _store(sheet: SheetData, field_name: str, cells: list[Any]) -> None:
    sheet.frame[field_name] = pd.Series(cells, index=sheet.frame.index, dtype=object)


def _renew_entities(number: int, sheet: SheetData, renewed: Renewed, refs: dict[tuple[str, int], str],
                    known: set[tuple[str, str]]) -> None:
    kind = sheet.kind
    id_field, ref_field = _field(kind, Role.ID), _field(kind, Role.REF)
    action_field = _field(kind, Role.ACTION)
    ids, ref_cells = _column(sheet, id_field), _column(sheet, ref_field)
    actions = _column(sheet, action_field) if action_field else [None] * len(ids)
    first_row: dict[int, int] = {}
    for at, row in enumerate(sheet.frame.index):
        action = "" if is_blank(actions[at]) else str(actions[at]).strip().casefold()
        if not is_blank(ref_cells[at]):
            known.add((kind.name, str(ref_cells[at]).strip().casefold()))
        if action == "skip":
            continue
        if action == "delete":
            sheet.problems.append(_problem(sheet, int(row), action_field, "a delete cannot be done with --as-new: "
                                           "the object is not in the account the push creates into; remove the "
                                           "row or make its Action skip"))
            continue
        if is_blank(ids[at]):
            continue
        old = _id_of(ids[at])
        if old is None:
            continue  # not an ID: validation says why, as without --as-new
        if old in first_row:
            sheet.problems.append(_problem(sheet, int(row), id_field, f"ID {old} is also on row {first_row[old]}: "
                                           "with --as-new each row is a new object, so an ID may be on one row only"))
            continue
        first_row[old] = int(row)
        if is_blank(ref_cells[at]):
            ref_cells[at] = f"old-{kind.name}-{old}"
            known.add((kind.name, ref_cells[at]))
        refs[(kind.name, old)] = str(ref_cells[at]).strip()
        ids[at] = None
        if action == "update":
            actions[at] = "create"
        renewed.old_ids[(number, int(row))] = old
    if id_field in sheet.frame:
        _store(sheet, id_field, ids)
    _store(sheet, ref_field, ref_cells)
    if action_field and action_field in sheet.frame:
        _store(sheet, action_field, actions)


def _repoint_parents(sheet: SheetData, refs: dict[tuple[str, int], str], known: set[tuple[str, str]]) -> None:
    column = sheet.kind.parent_column
    assert column is not None and column.parent is not None
    if column.field not in sheet.frame:
        return
    action_field = _field(sheet.kind, Role.ACTION)
    actions = _column(sheet, action_field) if action_field else [None] * len(sheet.frame.index)
    cells = _column(sheet, column.field)
    for at, row in enumerate(sheet.frame.index):
        if is_blank(cells[at]) or (not is_blank(actions[at]) and str(actions[at]).strip().casefold() == "skip"):
            continue
        texts = split_list(cells[at], by_line=False) if column.role is Role.PARENTS else [_text(cells[at])]
        named: list[str] = []
        for text in texts:
            if (column.parent, text.casefold()) in known:
                named.append(text)  # a Ref of a row of the job (Refs win, as in any job)
                continue
            old = id_number(text)
            if old is not None and (column.parent, old) in refs:
                named.append(refs[(column.parent, old)])
                continue
            if old is not None:
                sheet.problems.append(_problem(
                    sheet, int(row), column.field,
                    f"names {column.parent} {text}, which no row of the job holds: with --as-new every object is "
                    f"created anew, so its parent must be a row of the job (export it too, or name the new "
                    f"{column.parent}'s Ref)"))
            named.append(text)
        cells[at] = ", ".join(named) if column.role is Role.PARENTS else named[0]
    _store(sheet, column.field, cells)


def _warn_account_ids(sheet: SheetData) -> None:
    """A filled column of IDs of the account's own objects (`Column.account_ids`), or a cell holding an
    ID in a column looked up among the account's own objects (its dictionary is `of_account`), names
    objects of the account the workbook came from: in another account they are other objects or none."""
    action_field = _field(sheet.kind, Role.ACTION)
    actions = _column(sheet, action_field) if action_field else [None] * len(sheet.frame.index)
    for column in sheet.kind.columns:
        if not (column.account_ids or _names_account_objects(sheet.kind, column)) or column.field not in sheet.frame:
            continue
        header = sheet.header(column.field)
        for at, (row, cell) in enumerate(zip(sheet.frame.index, _column(sheet, column.field), strict=True)):
            if is_blank(cell) or (not is_blank(actions[at]) and str(actions[at]).strip().casefold() == "skip"):
                continue
            if column.account_ids:
                message = (f"{header} holds IDs of the account the workbook came from; in the account it is "
                           "pushed to they name other objects or none: check them")
            elif isinstance(cell, bool) or id_number(_text(cell)) is None:
                continue  # a name: looked up in the account pushed to
            else:
                message = (f"{header} {_text(cell)} is an ID of the account the workbook came from; in the account "
                           "it is pushed to it may name another object, or none: write its name as that account "
                           "lists it (looked up there), or that account's ID")
            sheet.problems.append(_problem(sheet, int(row), column.field, message, warning=True))


def _names_account_objects(kind: Kind, column: Column) -> bool:
    """Whether the column looks its values up among the account's own objects (its audiences, rules)."""
    dictionary = platform_named(kind.platform).reference.get(column.lookup) if column.lookup else None
    return dictionary is not None and dictionary.of_account


def _field(kind: Kind, role: Role) -> str:
    column = kind.role_column(role)
    return column.field if column is not None else ""


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _id_of(value: Any) -> int | None:
    number = id_number(_text(value)) if not isinstance(value, bool) else None
    return number if number is not None and is_id(number) else None


def _problem(sheet: SheetData, row: int, field_name: str, message: str, *, warning: bool = False) -> Problem:
    return Problem(sheet.file, sheet.title, row, sheet.header(field_name) if field_name else None, AS_NEW, message,
                   Severity.WARNING if warning else Severity.ERROR)
