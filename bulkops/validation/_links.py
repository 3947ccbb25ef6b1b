"""References between rows of one job: a child row names its parent by ID or by the parent row's Ref.

A value that is the Ref of a row of the parent kind anywhere in the job is that row (Refs win, so a
Ref may look like a number); otherwise a whole number is the ID of an object that already exists.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from bulkops._problems import Problem, Severity
from bulkops.kinds import ID_MAX, REPLACE, ItemCheck, Role, id_number, is_id
from bulkops.validation._sheet import DELETE, SKIP, ValidatedSheet, context_of


@dataclass(frozen=True)
class RowRef:
    sheet: int  # index of the sheet in the job
    row: int


@dataclass(frozen=True)
class Parent:
    """Who a child row belongs to: a row of this job (`row`), or an existing object (`id`)."""

    kind: str
    row: RowRef | None = None
    id: int | None = None
    ref: str | None = field(default=None, compare=False)  # the Ref it was named by (casefolded), if any

    @property
    def key(self) -> str:
        """The parent within this run: its row of the job, or its ID. (The journal knows a list by
        its parent's platform ID instead: see Group.journal_key.)"""
        return f"row:{self.row.sheet}:{self.row.row}" if self.row else f"id:{self.id}"


@dataclass
class RefIndex:
    """Every Ref of every entity sheet of the job: (kind, ref casefolded) → row."""

    rows: dict[tuple[str, str], RowRef]
    sheets: Sequence[ValidatedSheet]

    @classmethod
    def of(cls, sheets: Sequence[ValidatedSheet]) -> RefIndex:
        rows: dict[tuple[str, str], RowRef] = {}
        for index, item in enumerate(sheets):
            ref = item.sheet.kind.role_column(Role.REF)
            if ref is None:
                continue
            for row, value in item.values[ref.field].items():
                if value is not None:
                    rows.setdefault((item.sheet.kind.name, str(value).casefold()), RowRef(index, int(row)))
        return cls(rows, sheets)

    def resolve(self, kind: str, text: str) -> Parent | None:
        found = self.rows.get((kind, text.strip().casefold()))
        if found is not None:
            sheet = self.sheets[found.sheet]
            id_col = sheet.sheet.kind.role_column(Role.ID)
            existing = sheet.values.at[found.row, id_col.field] if id_col else None
            # A Ref to a row that already has an ID is that ID: nothing has to wait for the row. An ID
            # its own cell refuses (0, or beyond ID_MAX) is none: the row is invalid, and so are its children.
            ref = text.strip().casefold()
            if existing is not None and is_id(existing) and sheet.actions[found.row] != DELETE:
                return Parent(kind, id=int(existing), ref=ref)
            return Parent(kind, row=found, ref=ref)
        number = id_number(text)
        return Parent(kind, id=number) if number is not None and is_id(number) else None

    def refs_of(self, kind: str) -> list[str]:
        return [ref for (k, ref) in self.rows if k == kind]


def _texts(value: Any) -> list[str]:
    """The parent texts of a parent cell: a list of them, none, or one."""
    texts = value if isinstance(value, list) else ([] if value is None else [value])
    return [str(text) for text in texts]


def parents_of(item: ValidatedSheet, row: int, index: RefIndex) -> Iterator[tuple[str, Parent | None]]:
    """Each parent text of the row with what it names (None when it names nothing)."""
    column = item.sheet.kind.parent_column
    if column is None or column.parent is None:
        return
    for text in _texts(item.values.at[row, column.field]):
        yield text, index.resolve(column.parent, text)


def check_links(sheets: Sequence[ValidatedSheet]) -> None:
    """Add a problem for every reference that names nothing (or a row being deleted), for rows of
    one parent that disagree on Mode, for duplicate items and for items that do not fit their list."""
    index = RefIndex.of(sheets)
    for item in sheets:
        if item.sheet.kind.parent_column is None:
            continue
        _check_references(item, index)
        if item.sheet.kind.item_fields:
            _check_lists(item, index)


def _live_cells(item: ValidatedSheet, fields: Sequence[str]) -> Iterator[tuple[int, list[Any]]]:
    """(row, [value of each field]) of each row not deleted or skipped, read a column at a time
    (cell by cell through pandas costs ~30 µs a cell, which a 100,000-row sheet feels)."""
    columns = [item.values[f].tolist() for f in fields]
    for row, action, *cells in zip(item.values.index, item.actions.tolist(), *columns, strict=True):
        if action not in (DELETE, SKIP):
            yield int(row), cells


def resolver(index: RefIndex, kind: str) -> Callable[[Any], list[tuple[str, Parent | None]]]:
    """`parents_of` for a cell's value, each distinct text resolved once (so rows naming one parent
    share one Parent, and its key)."""
    seen: dict[str, Parent | None] = {}
    by_value: dict[str, list[tuple[str, Parent | None]]] = {}  # a one-parent cell's answer, shared: read only

    def parents(value: Any) -> list[tuple[str, Parent | None]]:
        if value.__class__ is str and value in by_value:
            return by_value[value]
        found = []
        for text in _texts(value):
            if text not in seen:
                seen[text] = index.resolve(kind, text)
            found.append((text, seen[text]))
        if value.__class__ is str:
            by_value[value] = found
        return found

    return parents


def _check_references(item: ValidatedSheet, index: RefIndex) -> None:
    column = item.sheet.kind.parent_column
    assert column is not None and column.parent is not None
    header = item.sheet.header(column.field)
    parents = resolver(index, column.parent)
    for row, (value,) in _live_cells(item, [column.field]):
        for text, parent in parents(value):
            if parent is None and (id_number(text) or 0) > ID_MAX:
                shown = text.strip() if len(text.strip()) <= 30 else text.strip()[:20] + "…"
                item.problems.append(_problem(item, row, header, "reference", f"{shown!r} is not the Ref of a "
                                              f"{column.parent} row in this job, and too large to be an ID (at most "
                                              f"{ID_MAX})"))
            elif parent is None:
                close = difflib.get_close_matches(text.casefold(), index.refs_of(column.parent), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                item.problems.append(_problem(item, row, header, "reference", f"{text!r} is neither the Ref of a "
                                              f"{column.parent} row in this job nor an ID{hint}"))
            elif parent.row is not None and _action(index, parent) in (DELETE, SKIP):
                named = index.sheets[parent.row.sheet].sheet
                action_col = named.kind.role_column(Role.ACTION)
                action = named.header(action_col.field) if action_col else "Action"
                item.problems.append(_problem(item, row, header, "reference", f"{text!r} names a row whose {action} "
                                              f"is {_action(index, parent)}"))


# Fields outside an item's identity that its duplicates must repeat (a deal has one bid per campaign).
_MUST_AGREE: dict[str, tuple[str, ...]] = {"deals": ("bidPrice",)}


def _check_lists(item: ValidatedSheet, index: RefIndex) -> None:
    kind = item.sheet.kind
    mode_col, parent_col = kind.role_column(Role.MODE), kind.parent_column
    if parent_col is None or parent_col.parent is None:
        return  # no row names a parent, so none is in a list
    parents = resolver(index, parent_col.parent)
    first_mode: dict[str, tuple[str, int]] = {}
    keys: dict[int, str] = {}
    fields = [parent_col.field, mode_col.field if mode_col else parent_col.field, *kind.item_fields]
    # The rows in a list, held a column at a time (a tuple per row of a million-row sheet is ~150 MB).
    rows: list[int] = []
    listed_parents: list[Parent] = []
    items: list[list[Any]] = [[] for _ in kind.item_fields]
    for row, (value, mode, *cells) in _live_cells(item, fields):
        named = parents(value)
        parent = named[0][1] if named else None
        if parent is None:
            continue
        rows.append(row)
        listed_parents.append(parent)
        for column, cell in zip(items, cells, strict=True):
            column.append(cell)
        chosen = (mode if mode_col else None) or REPLACE
        key = keys.get(id(parent)) or keys.setdefault(id(parent), parent.key)  # shared Parents: see resolver
        earlier = first_mode.setdefault(key, (chosen, row))
        if mode_col and earlier[0] != chosen:
            named = item.sheet.header(mode_col.field)
            item.problems.append(_problem(item, row, named, "mode", f"{named} is {chosen} but row {earlier[1]} of the "
                                          f"same parent says {earlier[0]}; one parent's rows must agree"))
    # Problems of one row stay in the order the row-by-row checks made them: duplicate, then item type.
    first_of = _first_of_duplicates(rows, listed_parents, items)
    rule = kind.item_check
    texts = items[kind.item_fields.index(rule.item_field)] if rule else rows
    list_types: dict[int, tuple[str, str] | None] = {}  # by id: rows naming one parent share its Parent
    for row, parent, text in zip(rows, listed_parents, texts, strict=True):
        if row in first_of:
            _duplicate(item, row, first_of[row])
        if rule:
            if id(parent) not in list_types:  # a parent named by ID costs a scan of the parent's frame
                list_types[id(parent)] = _list_type(index, parent, rule)
            _check_item_type(item, rule, row, list_types[id(parent)], text)


def _first_of_duplicates(rows: list[int], parents: list[Parent], items: list[list[Any]]) -> dict[int, int]:
    """Row → the first row with the same item in the same parent's list, for each repeated item (a
    refused, blanked item is no one's duplicate); found by pandas' hashing of whole columns rather
    than a Python dict of a million tuples."""
    keys: dict[int, str] = {}  # by id: rows naming one parent share its Parent (see resolver)
    columns: dict[str, Any] = {"parent": [keys.get(id(p)) or keys.setdefault(id(p), p.key) for p in parents]}
    for at, column in enumerate(items):
        columns[f"item{at}"] = pd.Series(_normed(column), dtype=object)
    identities = pd.DataFrame(columns)
    identities = identities[identities["item0"].notna().to_numpy()]
    repeated = identities.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return {}
    groups = identities.groupby(list(identities.columns), sort=False, dropna=False).ngroup().to_numpy()
    wanted = set(groups[repeated].tolist())
    first: dict[int, int] = {}
    found: dict[int, int] = {}
    for position, group, again in zip(identities.index.tolist(), groups.tolist(), repeated.tolist(), strict=True):
        if group not in wanted:
            continue
        if again:
            found[rows[position]] = first[group]
        else:
            first[group] = rows[position]
    return found


def _normed(column: list[Any]) -> list[Any]:
    """`_norm` of each value, one casefolded string per distinct text."""
    seen: dict[str, Any] = {}
    return [(seen.get(v) or seen.setdefault(v, _norm(v))) if v.__class__ is str else _norm(v) for v in column]


def _duplicate(item: ValidatedSheet, row: int, first: int) -> None:
    kind = item.sheet.kind
    clash = next((f for f in _MUST_AGREE.get(kind.name, ()) if f in item.values.columns
                  if item.values.at[row, f] != item.values.at[first, f]), None)
    if clash is not None:  # only one of the two can be sent: which one the user meant is unknown
        named = item.sheet.header(clash)
        earlier = context_of(item.sheet).as_typed(first, clash, item.values.at[first, clash])
        item.problems.append(_problem(item, row, named, "conflict",
                                      f"the same item as row {first}, whose {named} is {earlier}; keep one row"))
    else:
        item.problems.append(_problem(item, row, item.sheet.header(kind.item_fields[0]), "duplicate",
                                      f"the same item as row {first}; sent once", warning=True))


def _check_item_type(item: ValidatedSheet, rule: ItemCheck, row: int, list_type: tuple[str, str] | None,
                     text: Any) -> None:
    if list_type is None or list_type[0] is None or text is None:
        return
    why = rule.problem(list_type[0], str(text), list_type[1])
    if why:
        own = item.sheet.kind.column(rule.item_field).is_own("syntax")
        header = item.sheet.header(rule.item_field)
        item.problems.append(dataclasses.replace(_problem(item, row, header, "item", why), own=own))


def _list_type(index: RefIndex, parent: Parent, rule: ItemCheck) -> tuple[str, str] | None:
    """The type of a list of this job (by Ref, or a row carrying its ID), with the header its sheet
    gives the column; None if not here."""
    field_name = rule.type_field
    for sheet in index.sheets:
        if sheet.sheet.kind.name != parent.kind:
            continue
        if parent.row is not None and index.sheets[parent.row.sheet] is sheet:
            return sheet.values.at[parent.row.row, field_name], sheet.sheet.header(field_name)
        if parent.id is not None:
            match = sheet.values[sheet.values["id"] == parent.id]
            if len(match):
                return match[field_name].iloc[0], sheet.sheet.header(field_name)
    return None


def _action(index: RefIndex, parent: Parent) -> str:
    assert parent.row is not None
    return str(index.sheets[parent.row.sheet].actions[parent.row.row])


def _norm(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def _problem(item: ValidatedSheet, row: int, column: str | None, code: str, message: str, *,
             warning: bool = False) -> Problem:
    return Problem(item.sheet.file, item.sheet.title, row, column, code, message,
                   Severity.WARNING if warning else Severity.ERROR)
