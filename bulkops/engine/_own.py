"""bulkops's own rules against values the platform already holds.

Some checks are stricter than the platform's document (a pattern, a length, a range, a filter-list
item's syntax by type: `Column.own`, `own_rule`). They exist to catch mistakes in what a buyer
types; a value the platform already holds is no mistake of theirs, and refusing it would make an
export impossible to push back. So such a check refuses only new or changed values:

- `plan` and `push` read the live state of what the job touches first, then turn each own-check
  error whose value the platform already holds into a warning (`settle_against_live`); the rest
  stay errors, and hold the job as any invalid row does;
- `validate` (and `plan --offline`) cannot read the platform: an own-check error on a row that names
  an existing object becomes a warning saying it could not be checked there (`settle_offline`),
  and each sheet gets one warning naming the columns its update rows fill that the document's
  update route does not list (`undocumented_columns`).

A create row names nothing that exists: its own-check errors stay errors everywhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from bulkops._problems import Problem, Severity
from bulkops.kinds import ColType, Kind, Role, exact, exact_list, item_key, same
from bulkops.planner import RowKey
from bulkops.registry import platform_label
from bulkops.validation import DELETE, SKIP, UPDATE, RefIndex, ValidatedSheet, parents_of


def naming_existing(validated: Sequence[ValidatedSheet]) -> dict[RowKey, int]:
    """The rows with an own-check error that speak of an object that exists already, with its ID:
    an entity row with an ID, or a list item whose parent is named by ID (or by the Ref of a row with
    an ID). Only rows with such an error are looked at: a million-row sheet without one costs nothing."""
    wanted = {(sheet_no, p.row) for sheet_no, item in enumerate(validated) for p in item.problems
              if p.own and p.is_error and p.row is not None}
    if not wanted:
        return {}
    index = RefIndex.of(validated)
    found: dict[RowKey, int] = {}
    for sheet_no, row in sorted(wanted):
        object_id = _existing_object(validated[sheet_no], row, index)
        if object_id is not None:
            found[(sheet_no, row)] = object_id
    return found


def _existing_object(item: ValidatedSheet, row: int, index: RefIndex) -> int | None:
    """The ID of the existing object the row speaks of (itself, or its list's parent), if any."""
    if row not in item.actions.index or item.actions[row] in (DELETE, SKIP):
        return None
    kind = item.sheet.kind
    id_col = kind.role_column(Role.ID)
    if id_col is not None:
        object_id = item.values.at[row, id_col.field]
        return int(object_id) if item.actions[row] == UPDATE and object_id is not None else None
    if not kind.item_fields:
        return None
    parent = next((p for _, p in parents_of(item, row, index)), None)
    return parent.id if parent is not None else None


def lenient(validated: Sequence[ValidatedSheet], rows: Mapping[RowKey, int]) -> list[ValidatedSheet]:
    """The sheets as they would be if every own-check error on `rows` were a warning: what the job
    could send once the live state is known, hence what it touches."""
    return [dataclasses.replace(item, problems=[p for p in item.problems if not _own_error_on(p, sheet_no, rows)])
            for sheet_no, item in enumerate(validated)]


def settle_offline(validated: Sequence[ValidatedSheet]) -> None:
    """`validate` and `plan --offline`: own-check errors on rows naming an existing object become
    warnings that say they could not be checked against the platform."""
    rows = naming_existing(validated)
    for sheet_no, item in enumerate(validated):
        platform = platform_label(item.sheet.kind.platform)
        _soften(item, sheet_no, rows, lambda problem: True,
                f"this row names an existing object, and this check is bulkops's own (stricter than {platform}'s "
                "document), so it is only a warning here: plan and push refuse the value unless the platform "
                "already holds it")


def settle_against_live(validated: Sequence[ValidatedSheet], rows: Mapping[RowKey, int], live: Any) -> int:
    """`plan` and `push`: each own-check error whose value the platform already holds (in `live`, a
    `LiveState`) becomes a warning. Returns how many did."""
    softened = 0
    for sheet_no, item in enumerate(validated):
        platform = platform_label(item.sheet.kind.platform)
        fields = _fields_by_column(item)

        def holds(problem: Problem, sheet_no: int = sheet_no, item: ValidatedSheet = item,
                  fields: Mapping[str, str] = fields) -> bool:
            name = fields.get(problem.column or "")
            return name is not None and _holds(item, int(problem.row or 0), name, rows[(sheet_no, problem.row)], live)

        softened += _soften(item, sheet_no, rows, holds,
                            f"the platform already holds this value, so it is only a warning (this check is "
                            f"bulkops's own, stricter than {platform}'s document)")
    return softened


def undocumented_columns(validated: Sequence[ValidatedSheet]) -> None:
    """`validate` and `plan --offline`: one warning per sheet naming the columns its update rows fill
    that the kind's documented update route does not list (which values change, only the live state
    can say; an export pushed back fills them all, so one line per sheet, not one per cell)."""
    for item in validated:
        kind = item.sheet.kind
        route = kind.update_route
        if route is None:
            continue
        updates = item.actions.index[item.actions == UPDATE]
        if not len(updates):
            continue
        filled = [c.field for c in kind.fields
                  if not route.lists(c.field) and (kind.updatable is None or c.field in kind.updatable)
                  and item.values.loc[updates, c.field].notna().any()]
        if filled:
            names = ", ".join(item.sheet.header(f) for f in filled)
            item.problems.append(Problem(
                item.sheet.file, item.sheet.title, None, None, "undocumented",
                f"update rows fill {names}, which {route.name} does not list: the platform may keep its own values "
                "there (plan shows which ones a push would change; push checks what the platform kept)",
                Severity.WARNING))


def _own_error_on(problem: Problem, sheet_no: int, rows: Mapping[RowKey, int]) -> bool:
    return problem.is_error and problem.own and problem.row is not None and (sheet_no, problem.row) in rows


def _soften(item: ValidatedSheet, sheet_no: int, rows: Mapping[RowKey, int], held: Callable[[Problem], bool],
            why: str) -> int:
    count = 0
    for at, problem in enumerate(item.problems):
        if _own_error_on(problem, sheet_no, rows) and held(problem):
            item.problems[at] = dataclasses.replace(problem, severity=Severity.WARNING,
                                                    message=f"{problem.message}; {why}")
            count += 1
    return count


def _fields_by_column(item: ValidatedSheet) -> dict[str, str]:
    """Column name (the user's header, or the template's label, as problems give it) → API field."""
    kind = item.sheet.kind
    by_column = {c.label: c.field for c in kind.columns}
    by_column.update({item.sheet.header(c.field): c.field for c in kind.columns})
    return by_column


def _holds(item: ValidatedSheet, row: int, name: str, object_id: int, live: Any) -> bool:
    """Whether the platform holds the row's value of `name` already: the object's field (an entity
    row), or the row's whole item in its parent's list (a list item)."""
    kind = item.sheet.kind
    if kind.is_entity:
        current = live.objects.get(kind.name, {}).get(object_id)
        if current is None:
            return False
        value = _exact(item, row, name, current.get(name))
        return value is not None and same(kind, name, current.get(name), value)
    current = live.items(kind.name, object_id)
    if not current:
        return False
    if kind.name == "filter-list-items":
        held = {str(r.get("item")) for r in current}
        return _exact(item, row, "item", None, held) in held
    return _item_key(kind, item, row, current) in {_key_of(kind, r) for r in current}


def _exact(item: ValidatedSheet, row: int, name: str, live_value: Any, among: Iterable[str] = ()) -> Any:
    value = item.values.at[row, name]
    column = item.sheet.kind.column(name)
    if name not in item.sheet.frame.columns:
        return value
    raw = item.sheet.frame.at[row, name]
    if column.type in (ColType.LIST, ColType.ENUM_LIST):
        return exact_list(column, raw, value, live_value)
    if column.type is not ColType.TEXT:
        return value
    if live_value is None and isinstance(raw, str) and raw in set(among):
        return raw
    return exact(raw, value, live_value)


def _item_key(kind: Kind, item: ValidatedSheet, row: int, current: Sequence[Mapping[str, Any]]) -> str | None:
    values = item.values.loc[row].to_dict()
    for name in kind.item_fields:
        if kind.column(name).type is ColType.TEXT:
            values[name] = _exact(item, row, name, None, (str(r.get(name)) for r in current))
    try:
        return item_key(kind.payload(values) if kind.payload else values)
    except (KeyError, TypeError, ValueError):  # a value a repair blanked: the item cannot be held
        return None


def _key_of(kind: Kind, row: Mapping[str, Any]) -> str:
    return item_key(kind.payload(row) if kind.payload else row)
