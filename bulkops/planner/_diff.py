"""The exact diff of a job against the platform's live state, for `plan` and `push` alike.

Only what the job touches is read: the objects its rows name by ID and the lists of the existing
parents it sends lists for. Each row is then compared in the coercer's value space (the platform's
answers go through `bulkops.kinds.typed`, the same conversion as an export), so a row exported
and pushed back unchanged compares equal:

- an update row whose filled cells all match the live object sends nothing (`unchanged`); one that
  differs sends only the changed fields (and those the API requires on every update);
- a list (ZIPs, circles, deals, a filter list's items, a campaign's creatives and filter lists) that
  already holds exactly the job's rows (replace) or all of them (append) sends nothing; a replace
  that sends says how many existing items it takes off.

Blank cells are not compared: a blank cell leaves the platform's value as it is (see README). Text
is compared exactly: a cell whose raw text is the live value (a name starting with a tab, which the
coercer would strip) is that value, and is sent as it is where it must be sent (the name of a PATCH).

An update that changes a field its kind's documented update route does not list is warned about
before anything is sent (`Diff.warnings`): the platform may keep its value (the write's answer says).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bulkops._problems import Problem, Severity
from bulkops.kinds import (
    APPEND,
    REMOVE,
    REPLACE,
    ColType,
    Kind,
    Role,
    exact,
    exact_list,
    fingerprint,
    is_repair,
    item_key,
    kept_as_held,
    kind_named,
    same,
    shown,
)
from bulkops.planner._outcome import UNCHANGED_NOTE, RowKey, RowOutcome, Status
from bulkops.planner._plan import Group, Operation, Plan
from bulkops.registry import Touched, platform_label, platform_named
from bulkops.validation import ValidatedSheet

State = dict[str, list[dict[str, Any]]]
_ENTITY_KINDS = ("campaigns", "creatives", "filter-lists")
# Cells an export leaves blank because no answer shows them: nothing to compare them with.
_NOT_COMPARED = {"creatives": ("mediaFile", "logoFile", "categories", "format")}


@dataclass(frozen=True)
class Change:
    label: str  # the column as the user's header names it
    old: Any
    new: Any
    field: str = ""  # its API field; "" for what is no one field (a list's items)

    def __str__(self) -> str:
        return f"{self.label}: {shown(self.old)} → {shown(self.new)}"


@dataclass
class RowPlan:
    """What a push would do with one row: create / update / delete / unchanged, and why."""

    verdict: str
    changes: list[Change] = field(default_factory=list)
    note: str = ""

    def describe(self) -> str:
        detail = "; ".join(str(c) for c in self.changes) or self.note
        return f"{self.verdict}: {detail}" if detail else self.verdict


@dataclass(frozen=True)
class Removal:
    """A replace that takes existing items off a parent's list."""

    sheet: str
    parent: str
    count: int

    def __str__(self) -> str:
        return f"{self.sheet}: replacing the list of {self.parent} removes {self.count} existing item" + \
            ("s" if self.count != 1 else "")


@dataclass
class Diff:
    rows: dict[RowKey, RowPlan] = field(default_factory=dict)
    removals: list[Removal] = field(default_factory=list)
    settled: dict[RowKey, RowOutcome] = field(default_factory=dict)  # rows that need no request
    reads: int = 0
    # Changes of fields the document's update route does not list, said before anything is sent.
    warnings: list[tuple[RowKey, Problem]] = field(default_factory=list)


def touched_by(plan: Plan) -> Touched:
    """The objects and lists a job's rows speak of that exist already (creates touch nothing live)."""
    touched = Touched()
    for op in plan.operations:
        if op.action == "update" and op.target_id is not None:
            touched.ids.setdefault(op.kind.name, set()).add(op.target_id)
            touched.filled.setdefault(op.kind.name, {})[op.target_id] = op.payload
    for group in plan.groups:
        if group.parent.id is not None:
            touched.lists.setdefault(group.kind.removeprefix("assign-"), set()).add(group.parent.id)
    return touched


def reads_live(platform: str) -> bool:
    """Whether `plan` and `push` read the platform's live state before sending (the live diff, or what
    the platform's own steps compare: `Platform.held`), so that bulkops's own checks refuse only values
    it does not hold."""
    return platform_named(platform).reads_live


def can_diff(plan: Plan) -> bool:
    return platform_named(plan.platform).read_touched is not None


async def read_live(plan: Plan, client, progress: Callable[[int], None] = lambda n: None) -> LiveState:
    """The live state of what the plan touches (objects by ID, existing parents' lists), indexed once
    for the settling of bulkops's own checks and for the diff."""
    touched = touched_by(plan)
    read_touched = platform_named(plan.platform).read_touched
    assert read_touched is not None
    state = await read_touched(client, touched, progress) if touched.ids or touched.lists else {}
    return LiveState(plan.platform, state, touched)


class LiveState:
    """The live state indexed: objects by ID, lists by their parent's ID."""

    def __init__(self, platform: str, state: State, touched: Touched) -> None:
        self.platform = platform
        self.touched = touched
        self.objects: dict[str, dict[int, dict[str, Any]]] = {}
        refs: dict[str, dict[str, int]] = {}
        for kind_name in _ENTITY_KINDS:
            for row in state.get(kind_name, ()):
                self.objects.setdefault(kind_name, {})[int(row["id"])] = row
                if row.get("ref"):
                    refs.setdefault(kind_name, {})[str(row["ref"]).casefold()] = int(row["id"])
        self._refs = refs
        self.children: dict[str, dict[int, list[dict[str, Any]]]] = {}
        self.assigned: dict[str, dict[int, set[int]]] = {}
        for kind_name, rows in state.items():
            kind = kind_named(platform, kind_name)
            column = kind.parent_column
            if column is None or column.parent is None:
                continue
            for row in rows:
                texts = row.get(column.field)
                for text in texts if isinstance(texts, list) else [texts]:
                    parent = self._id(column.parent, text)
                    if parent is None:
                        continue
                    if kind.item_fields:
                        self.children.setdefault(kind_name, {}).setdefault(parent, []).append(row)
                    else:
                        self.assigned.setdefault(kind_name, {}).setdefault(parent, set()).add(int(row["id"]))

    def _id(self, kind_name: str, text: Any) -> int | None:
        if text is None:
            return None
        found = self._refs.get(kind_name, {}).get(str(text).casefold())
        if found is not None:
            return found
        text = str(text).strip()
        return int(text) if text.isascii() and text.isdigit() else None

    def items(self, kind_name: str, parent_id: int) -> list[dict[str, Any]] | None:
        """The parent's list as read (empty when read and empty); None when it was not read."""
        if parent_id not in self.touched.lists.get(kind_name, set()) and \
                parent_id not in self.touched.ids.get("filter-lists", set()):
            return None
        return self.children.get(kind_name, {}).get(parent_id, [])

    def assigned_to(self, kind_name: str, campaign_id: int) -> set[int] | None:
        if campaign_id not in self.touched.lists.get(kind_name, set()):
            return None
        return self.assigned.get(kind_name, {}).get(campaign_id, set())


def apply_diff(plan: Plan, sheets: Sequence[ValidatedSheet], live: LiveState) -> Diff:
    """Compare the plan's rows with the live state; drop or trim what needs no request, and mark what
    was compared (in place)."""
    diff = Diff()
    _exact_items(plan, sheets, live)
    travelling = _travelling_items(plan)
    operations = []
    refused: list[Operation] = []  # rows asking for what the platform cannot change: failed, no request
    for op in plan.operations:
        items = travelling.get(f"id:{op.target_id}") if op.kind.name == "filter-lists" else None
        diffed = _diff_operation(op, sheets, live, diff, items)
        (operations if diffed is not None else refused).append(diffed or op)
    plan.operations = operations
    kept = []
    replaced = {(g.kind, g.parent.key) for g in plan.groups if g.mode == REPLACE}
    for group in plan.groups:
        if _of_refused(group, refused, diff):
            continue
        if group.mode != REPLACE and (group.kind, group.parent.key) in replaced:
            # It goes after the replace of the same list, so what the platform holds now says nothing
            # of what it will add to: its step reads the list then.
            diff.rows.update({m.row: RowPlan(group.mode) for m in group.members})
            kept.append(group)
            continue
        if group.kind == "filter-list-items" and group.parent.id is not None and \
                any(op.kind.name == "filter-lists" and op.target_id == group.parent.id for op in operations):
            group.live = live.items(group.kind, group.parent.id)  # an append adds to these, unread again
            kept.append(group)  # travels with its list's update, compared there
            continue
        if _diff_group(group, live, diff, plan):
            kept.append(group)
    plan.groups = kept
    for row, outcome in diff.settled.items():
        plan.outcomes.setdefault(row, outcome)
    _mark_compared(plan, live.touched)
    return diff


def _mark_compared(plan: Plan, touched: Touched) -> None:
    """What the live diff compared with the platform is sent as it decided: a journal record of an
    earlier run does not settle it (the platform may have changed since, by hand or by another job)."""
    plan.operations = [dataclasses.replace(op, compared=True) if op.action == "update" and op.target_id in
                       touched.ids.get(op.kind.name, ()) else op for op in plan.operations]
    for group in plan.groups:
        if group.parent.id is not None and group.parent.id in touched.lists.get(group.kind.removeprefix("assign-"), ()):
            group.compared = True


def _exact_items(plan: Plan, sheets: Sequence[ValidatedSheet], live: LiveState) -> None:
    """List items as the platform holds them. An item cell whose text is not what the row would send
    (the coercer stripped its leading or trailing whitespace, or bulkops's own postal-code repair
    padded it) but is exactly an item of the live list is that item: sent, if at all, as the
    platform holds it. bulkops's own rules change only new values, so a repair's warning on such a
    cell says the value is kept."""
    cells: dict[tuple[int, str], dict[int, str]] = {}  # (sheet, field) → row → text, for differing cells only
    notes = _Repairs(sheets)
    for group in plan.groups:
        if group.parent.id is None or group.kind.startswith("assign-"):
            continue
        current = live.items(group.kind, group.parent.id)
        kind = kind_named(plan.platform, group.kind)
        fields = [f for f in kind.item_fields if kind.column(f).type is ColType.TEXT]
        if not current or not fields or not group.members:
            continue
        held = {_key(_identity(kind, kind.payload(row) if kind.payload else row)) for row in current}
        for at, member in enumerate(group.members):
            sheet_no, row = member.row
            for name in fields:
                text = _differing(cells, sheets, sheet_no, name).get(row)
                if text is None:
                    continue
                for candidate in dict.fromkeys((text, text.strip())):
                    payload = {**member.payload, name: candidate}
                    if candidate != member.payload.get(name) and _key(_identity(kind, payload)) in held:
                        notes.kept(sheet_no, row, name, candidate, member.payload.get(name))
                        member = group.members[at] = dataclasses.replace(member, payload=payload)
                        break


def _differing(cache: dict[tuple[int, str], dict[int, str]], sheets: Sequence[ValidatedSheet], sheet_no: int,
               name: str) -> dict[int, str]:
    """Row → the text of the sheet's cells of `name` that differ from the row's value (a number
    cell's text is its digits)."""
    found = cache.get((sheet_no, name))
    if found is None:
        item = sheets[sheet_no]
        frame = item.sheet.frame
        found = cache[(sheet_no, name)] = {}
        if name in frame.columns:
            for row, cell, value in zip(frame.index, frame[name].tolist(), item.values[name].tolist(), strict=True):
                text = _cell_text(cell)
                if text is not None and text != value:
                    found[int(row)] = text
    return found


def _cell_text(cell: Any) -> str | None:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        return str(int(cell))
    return None


class _Repairs:
    """The warnings of bulkops's own postal-code repairs, by row and column, reworded where the platform
    holds the cell's text as it is (the repair did not apply)."""

    def __init__(self, sheets: Sequence[ValidatedSheet]) -> None:
        self.sheets = sheets
        self._index: dict[int, dict[tuple[int, str], list[int]]] = {}

    def kept(self, sheet_no: int, row: int, name: str, held: str, repaired: Any) -> None:
        item = self.sheets[sheet_no]
        for at in self._of(sheet_no).get((row, item.sheet.header(name)), ()):
            item.problems[at] = dataclasses.replace(item.problems[at], message=kept_as_held(held, repaired))

    def _of(self, sheet_no: int) -> dict[tuple[int, str], list[int]]:
        found = self._index.get(sheet_no)
        if found is None:
            found = self._index[sheet_no] = {}
            for at, problem in enumerate(self.sheets[sheet_no].problems):
                if is_repair(problem) and problem.row is not None and problem.column:
                    found.setdefault((problem.row, problem.column), []).append(at)
        return found


def _travelling_items(plan: Plan) -> dict[str, Group]:
    return {g.parent.key: g for g in sorted((g for g in plan.groups if g.kind == "filter-list-items"),
                                            key=lambda g: g.mode == REPLACE)}


def _of_refused(group: Group, refused: Sequence[Operation], diff: Diff) -> bool:
    """Whether the group is a filter list's items whose list row was refused (they were checked
    against that row's Type): its rows are skipped with the reason."""
    if group.kind != "filter-list-items":
        return False
    op = next((op for op in refused if op.kind.name == "filter-lists" and (group.parent.key == op.row_ref or
               (group.parent.id is not None and group.parent.id == op.target_id))), None)
    if op is None:
        return False
    reason = f"not sent: its filter list's row ({op.label or op.row_ref}) failed"
    for member in group.members:
        diff.rows[member.row] = RowPlan("skip", note=reason)
        diff.settled[member.row] = RowOutcome(Status.SKIPPED, reason)
    return True


def _diff_operation(op: Operation, sheets: Sequence[ValidatedSheet], live: LiveState, diff: Diff,
                    items: Group | None) -> Operation | None:
    """The operation as the live state leaves it (trimmed to its changes, or unchanged); None when
    the row asks for a value the platform cannot change on an existing object (it fails, unsent)."""
    if op.action != "update" or op.target_id is None:
        diff.rows[op.row_key] = RowPlan(op.action)
        return op
    current = live.objects.get(op.kind.name, {}).get(op.target_id)
    if current is None:
        diff.rows[op.row_key] = RowPlan("update", note=f"{op.kind.sheet[:-1].lower()} {op.target_id} was not found "
                                        "on the platform")
        return op
    item = sheets[op.row_key[0]]
    values = exact_values(item, op.row_key[1], current)
    op = _exact_payload(op, values)
    changes = field_changes(op.kind, values, current, header=item.sheet.header)
    changed_items = _item_changes(items, live, op.target_id) if items is not None else None
    if changed_items:
        changes.append(changed_items)
    fixed = field_changes(op.kind, values, current, fixed=True, header=item.sheet.header)
    unsendable = read_only_changes(op.kind, values, current, header=item.sheet.header)
    refused = [c for c in unsendable if op.kind.column(c.field).refuse_change]
    if fixed or refused:
        message = "; ".join(filter(None, (cannot_change(op.kind, fixed) if fixed else "",
                                          cannot_switch(op.kind, refused) if refused else "")))
        diff.rows[op.row_key] = RowPlan("fail", note=message)
        diff.settled[op.row_key] = RowOutcome(Status.FAILED, message, op.target_id)
        return None
    diff.warnings += [(op.row_key, read_only_warning(item, op, c)) for c in unsendable]
    if not changes:
        diff.rows[op.row_key] = RowPlan("unchanged")
        if items is not None:
            diff.rows.update({m.row: RowPlan("unchanged") for m in items.members})
        return dataclasses.replace(op, unchanged=True)
    diff.rows[op.row_key] = RowPlan("update", changes)
    diff.warnings += [(op.row_key, warning) for warning in _undocumented(item, op, changes)]
    held = [str(r["item"]) for r in live.items("filter-list-items", op.target_id) or []]
    if items is not None:
        diff.rows.update({m.row: RowPlan("unchanged" if str(m.payload["item"]) in held else "create")
                          for m in items.members})
    return _trimmed(op, changes, held if items is None and op.kind.name == "filter-lists" else None)


def exact_values(item: ValidatedSheet, row: int, current: Mapping[str, Any]) -> dict[str, Any]:
    """The row's typed values, each text cell as the platform holds it when its raw text is exactly
    the live value (the coercer strips leading and trailing whitespace), and each list item likewise
    (`exact_list`: a list exported one item per line reads back as the same items)."""
    values = item.values.loc[row].to_dict()
    raw = item.sheet.frame
    for column in item.sheet.kind.fields:
        name = column.field
        if name not in raw.columns or values.get(name) is None:
            continue
        if column.type is ColType.TEXT:
            values[name] = exact(raw.at[row, name], values[name], current.get(name))
        elif column.type in (ColType.LIST, ColType.ENUM_LIST):
            values[name] = exact_list(column, raw.at[row, name], values[name], current.get(name))
    return values


def _exact_payload(op: Operation, values: Mapping[str, Any]) -> Operation:
    """The operation with its flat text and list fields as `exact_values` gives them (a kept tab in
    a name, a carrier's surrounding spaces)."""
    restored = {k: values[k] for k, v in op.payload.items() if isinstance(v, str | list) and k in values
                and isinstance(values[k], type(v)) and values[k] != v}
    if not restored:
        return op
    payload = {**op.payload, **restored}
    return dataclasses.replace(op, payload=payload, fingerprint=fingerprint(payload))


def cannot_change(kind: Kind, fixed: Sequence[Change]) -> str:
    """Why a row that differs from its object in fields no update can send fails: "Bid Price: the
    platform holds 1.5; SmartyAds cannot change an existing creative's Bid Price (18.11.1): create a
    new creative"."""
    noun = kind.sheet[:-1].lower()
    held = "; ".join(f"{c.label}: the platform holds {shown(c.old)}" for c in fixed)
    labels = " or ".join(c.label for c in fixed)
    route = kind.update_route
    section = f" ({route.name.rsplit(', ', 1)[-1]})" if route is not None else ""
    platform = platform_label(kind.platform)
    return f"{held}; {platform} cannot change an existing {noun}'s {labels}{section}: create a new {noun}"


def cannot_switch(kind: Kind, refused: Sequence[Change]) -> str:
    """Why a row that flips a switch the platform's documents give no way to flip fails: "Active: the
    platform holds TRUE, the row says FALSE; SmartyAds' documents give no way to change an existing
    campaign's Active (its update route, 11.4.1, does not list it): change it in SmartyAds"."""
    noun = kind.sheet[:-1].lower()
    said = "; ".join(f"{c.label}: the platform holds {shown(c.old)}, the row says {shown(c.new)}" for c in refused)
    labels = " or ".join(c.label for c in refused)
    route = kind.update_route
    where = f" (its update route, {route.name.rsplit(', ', 1)[-1]}, does not list it)" if route is not None else ""
    label = platform_label(kind.platform)
    whose = label + ("'" if label.endswith("s") else "'s")
    return f"{said}; {whose} documents give no way to change an existing {noun}'s {labels}{where}: change it in {label}"


def read_only_warning(item: ValidatedSheet, op: Operation, change: Change) -> Problem:
    """A read-only cell that differs from the platform's value: said, and left out (the platform sets it)."""
    return Problem(item.sheet.file, item.sheet.title, op.row_key[1], change.label, "read-only",
                   f"{shown(change.new)} is not sent: {change.label} is read-only, the platform sets it "
                   f"(it holds {shown(change.old)})", Severity.WARNING)


def read_only_changes(kind: Kind, values: Mapping[str, Any], current: Mapping[str, Any], *,
                      header: Callable[[str], str] | None = None) -> list[Change]:
    """Each filled read-only cell (`Column.read_only`) that differs from the platform's value."""
    changes = []
    for column in kind.fields:
        new = values.get(column.field)
        if not column.read_only or new is None:
            continue
        old = current.get(column.field)
        if not same(kind, column.field, old, new):
            changes.append(Change(header(column.field) if header else column.label, old, new, column.field))
    return changes


def _undocumented(item: ValidatedSheet, op: Operation, changes: Sequence[Change]) -> list[Problem]:
    """A warning per changed field that the kind's documented update route does not list."""
    route = op.kind.update_route
    if route is None:
        return []
    warnings = []
    for change in changes:
        name = change.field
        if not name or route.lists(name):
            continue
        old, new = shown(change.old), shown(change.new)
        warnings.append(Problem(item.sheet.file, item.sheet.title, op.row_key[1], item.sheet.header(name),
                                "undocumented", f"{old} → {new} ({route.name}, does not list this field: the "
                                f"platform may keep {old})", Severity.WARNING))
    return warnings


def field_changes(kind: Kind, values: Mapping[str, Any], current: Mapping[str, Any], *,
                  fixed: bool = False, header: Callable[[str], str] | None = None) -> list[Change]:
    """Each filled field the row would change (only those an update may send); with `fixed`, those
    it differs in that an update cannot send (a SmartyAds creative's name). `header` names a field's
    column as the user's sheet does (default: the template's label)."""
    changes = []
    for column in kind.sent_fields:
        sendable = kind.updatable is None or column.field in kind.updatable
        if sendable == fixed or column.field in _NOT_COMPARED.get(kind.name, ()):
            continue
        new = values.get(column.field)
        if new is None:
            continue
        old = current.get(column.field)
        if not same(kind, column.field, old, new):
            changes.append(Change(header(column.field) if header else column.label, old, new, column.field))
    return changes


def _item_changes(items: Group, live: LiveState, list_id: int) -> Change | None:
    present = [str(r["item"]) for r in live.items("filter-list-items", list_id) or []]
    wanted = list(dict.fromkeys(str(m.payload["item"]) for m in items.members))
    if set(wanted) == set(present) or (items.mode == APPEND and set(wanted) <= set(present)):
        return None
    added = len(set(wanted) - set(present))
    removed = 0 if items.mode == APPEND else len(set(present) - set(wanted))
    return Change("Items", f"{len(present)} items", f"{added} added, {removed} removed")


def _trimmed(op: Operation, changes: list[Change], live_items: list[str] | None) -> Operation:
    """Only what the change needs: the changed fields and those the API requires on every update."""
    changed = {c.field for c in changes if c.field}
    keep = changed | set(op.kind.update_requires)
    payload = {k: v for k, v in op.payload.items() if k in keep}
    if op.kind.name == "filter-lists":
        # PUT replaces the whole list: it gets title and include as the row has them and, unless the
        # job's items travel with it, the items the platform holds (so they are not read again).
        payload = dict(op.payload)
        if live_items is not None:
            payload["items"] = live_items
    return dataclasses.replace(op, payload=payload, fingerprint=fingerprint(payload))


def _diff_group(group: Group, live: LiveState, diff: Diff, plan: Plan) -> bool:
    """Whether the group must still be sent; settles it when not."""
    parent_id = group.parent.id
    members = group.members
    if parent_id is not None and not group.kind.startswith("assign-"):
        group.live = live.items(group.kind, parent_id)  # the steps use it rather than read the list again
    if parent_id is not None and group.kind.startswith("assign-") and group.mode == REMOVE:
        return _diff_assignment(group, parent_id, live, diff, plan)
    if parent_id is None or group.mode not in (REPLACE, APPEND):
        diff.rows.update({m.row: RowPlan(group.mode if group.mode not in (REPLACE, APPEND) else "create")
                          for m in members})
        return True
    if group.kind.startswith("assign-"):
        return _diff_assignment(group, parent_id, live, diff, plan)
    current = group.live
    if current is None:
        diff.rows.update({m.row: RowPlan("create") for m in members})
        return True
    kind = kind_named(plan.platform, group.kind)
    have = Counter(_key(kind.payload(row) if kind.payload else row) for row in current)
    want = {_key(m.payload) for m in members}
    unchanged = set(want) == set(have) if group.mode == REPLACE else set(want) <= set(have)
    if unchanged:
        for m in members:
            diff.rows[m.row] = RowPlan("unchanged")
            diff.settled[m.row] = RowOutcome(Status.UNCHANGED, UNCHANGED_NOTE)
        return False
    # What names an item (a deal by its ID, a ZIP by code, country and include): another bid for the
    # same deal is a change of it, not a removal and an addition.
    names = {_key(_identity(kind, payload)) for payload in (json.loads(k) for k in have)}
    for m in members:
        found = "update" if _key(_identity(kind, m.payload)) in names else "create"
        diff.rows[m.row] = RowPlan("unchanged" if _key(m.payload) in have else found)
    if group.mode == REPLACE:
        wanted_names = {_key(_identity(kind, m.payload)) for m in members}
        gone = sum(n for key, n in have.items() if _key(_identity(kind, json.loads(key))) not in wanted_names)
        if gone:
            diff.removals.append(Removal(kind.sheet, _parent_name(group), gone))
    return True


def _diff_assignment(group: Group, campaign_id: int, live: LiveState, diff: Diff, plan: Plan) -> bool:
    what = group.kind.removeprefix("assign-")
    current = live.assigned_to(what, campaign_id)
    if current is not None:
        group.live = sorted(current)
    targets = [m.target.id if m.target else None for m in group.members]
    if current is None or None in targets:
        return True
    wanted = set(t for t in targets if t is not None)
    if group.mode == REMOVE:
        unchanged = not wanted & current  # none of them is assigned: nothing to take off
    else:
        unchanged = wanted == current if group.mode == REPLACE else wanted <= current
    if unchanged:
        for m in group.members:  # an assigned row's own outcome (a refused creative) stands
            diff.settled.setdefault(m.row, RowOutcome(Status.UNCHANGED, UNCHANGED_NOTE))
        return False
    for m in group.members:
        own = diff.rows.get(m.row)
        if own is not None and own.verdict == "unchanged":
            diff.rows[m.row] = RowPlan("update", note=f"the creatives or filter lists of campaign {campaign_id} change")
    if group.mode == REPLACE and current - wanted:
        sheet = "Creatives" if what == "creatives" else "Filter Lists"
        diff.removals.append(Removal(sheet, f"campaign {campaign_id}", len(current - wanted)))
    return True


def _parent_name(group: Group) -> str:
    noun = group.parent.kind[:-1].replace("-", " ")
    return f"{noun} {group.parent.ref or group.parent.id}"


def _identity(kind: Kind, payload: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k in kind.item_fields} or dict(payload)


_key = item_key


def row_kind(sheets: Sequence[ValidatedSheet], row: RowKey) -> Kind:
    return sheets[row[0]].sheet.kind


__all__ = ["Change", "Diff", "RowPlan", "Role", "apply_diff", "can_diff", "read_live",
           "touched_by"]
