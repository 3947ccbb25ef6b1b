"""From validated sheets to operations and steps: what to send for each row, in which order, and
what needs no request at all.

Entity rows (Campaigns, Creatives, Filter Lists) become one `Operation` each. Media files become
upload steps (several files per request). Child rows are grouped by parent into list steps (a
campaign's ZIPs, circles, deals; a filter list's items) and assignment steps (a campaign's
creatives and filter lists), each chunked to the platform's item cap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bulkops.kinds import APPEND, REPLACE, ColType, FileRef, Kind, Role, fingerprint, kinds_for, payload_of
from bulkops.planner._keys import content_digest, create_key, list_key, object_key
from bulkops.planner._outcome import RowKey, RowOutcome, Status
from bulkops.registry import DEFAULT_PLATFORM, platform_named, platform_names
from bulkops.validation import (
    CREATE,
    DELETE,
    SKIP,
    UPDATE,
    Parent,
    RefIndex,
    RowRef,
    ValidatedSheet,
    parents_of,
    resolver,
)

DEFAULT_ITEM_CAP = 1000  # "at most 1,000 items per request" (per_page max in the document)
DEFAULT_FILES_PER_UPLOAD = 10


def appendable_kinds() -> tuple[str, ...]:
    """The kinds whose rows may add to a parent's list rather than replace it (`push --append KIND`),
    as the registered platforms declare them (`Kind.appendable`): platform by platform in registry
    order, its list kinds first (their rows are a list's items), then its entities whose assignment
    to campaigns appends, each in declaration order; each name once. It loads every platform."""
    names: dict[str, None] = {}
    for platform in platform_names():
        appendable = [kind for kind in kinds_for(platform) if kind.appendable]
        for kind in [kind for kind in appendable if kind.item_fields] + [kind for kind in appendable
                                                                         if not kind.item_fields]:
            names.setdefault(kind.name)
    return tuple(names)


@dataclass(frozen=True)
class Operation:
    key: str  # journal key (see _keys): what the row asks, the same in every run and from any file
    kind: Kind
    row_key: RowKey
    action: str  # create / update / delete
    target_id: int | None
    payload: dict[str, Any]
    fingerprint: str
    natural_key: str | None  # e.g. the campaign name, to find a create whose answer was lost
    label: str = ""  # "Campaigns row 4 'spring-sale'", for the messages of rows that wait on it
    unchanged: bool = False  # the live diff found the platform already as the row says: no request
    ref: str | None = None  # the row's Ref, casefolded
    compared: bool = False  # the live diff compared it with the platform: the journal does not settle it
    # A field's column as the user's header names it (messages about what the platform kept).
    header: Callable[[str], str] | None = field(default=None, compare=False, repr=False)

    def column(self, field_name: str) -> str:
        return self.header(field_name) if self.header else self.kind.column(field_name).label

    @property
    def row_ref(self) -> str:
        return f"row:{self.row_key[0]}:{self.row_key[1]}"

    @property
    def step_key(self) -> str:
        """The operation within this run (its row), for the graph of steps."""
        return f"{self.kind.name}:{self.row_ref}"


@dataclass(frozen=True, slots=True)  # slots: a million-row list is a million Members
class Member:
    """One child row of a group, with its item payload (lists) or the parent it names (assignments)."""

    row: RowKey
    payload: dict[str, Any]
    target: Parent | None = None  # for assignments: the creative / filter list assigned


@dataclass
class Group:
    """The rows of one parent's list: a campaign's ZIPs, a filter list's items, a campaign's creatives."""

    kind: str  # geo-zip / geo-gps / deals / filter-list-items / assign-creatives / assign-filter-lists
    parent: Parent
    mode: str
    members: list[Member] = field(default_factory=list)
    compared: bool = False  # the live diff read the parent's list: the journal does not settle it alone
    # What the parent's list holds now, where the live diff read it (rows as an export reads them; for
    # assignments the assigned IDs): the steps use it instead of reading the list again. None: not read.
    live: list[Any] | None = None

    @property
    def key(self) -> str:
        """The list within this run, for the graph of steps."""
        return f"{self.kind}:{self.parent.key}:{self.mode}"

    def journal_key(self, parent_id: int) -> str:
        """The list in the journal: by its parent's platform ID, known once the parent exists."""
        return list_key(self.kind, self.parent.kind, parent_id, self.mode)


@dataclass
class Plan:
    operations: list[Operation] = field(default_factory=list)
    media: dict[str, str] = field(default_factory=dict)  # absolute path → media type, to upload
    groups: list[Group] = field(default_factory=list)
    outcomes: dict[RowKey, RowOutcome] = field(default_factory=dict)  # rows settled without a request
    item_cap: int = DEFAULT_ITEM_CAP
    files_per_upload: int = DEFAULT_FILES_PER_UPLOAD
    platform: str = DEFAULT_PLATFORM
    group_index: dict[tuple, Group] = field(default_factory=dict, repr=False)
    # (list kind, parent key) → a row of that list that cannot be sent (invalid)
    tainted: dict[tuple[str, str], int] = field(default_factory=dict)
    # sheet index → {field: header as the sheet writes it}, so messages name columns as the user does
    headers: dict[int, dict[str, str]] = field(default_factory=dict, repr=False)

    def header(self, sheet_no: int, kind: Kind, field_name: str) -> str:
        """A column's name as the sheet's header row writes it (its label when the sheet has no such header)."""
        return self.headers.get(sheet_no, {}).get(field_name) or kind.column(field_name).label

    def count(self, action: str) -> int:
        return sum(1 for op in self.operations if op.action == action)

    @property
    def empty(self) -> bool:
        return not (self.operations or self.groups)

    @property
    def rows(self) -> list[RowKey]:
        """Every row some request will speak for."""
        rows = [op.row_key for op in self.operations]
        rows += [m.row for g in self.groups for m in g.members]
        return list(dict.fromkeys(rows))


def build_plan(sheets: Sequence[ValidatedSheet], *, skip_invalid: bool, item_cap: int = DEFAULT_ITEM_CAP,
               files_per_upload: int = DEFAULT_FILES_PER_UPLOAD, append: frozenset[str] = frozenset()) -> Plan:
    platform = sheets[0].sheet.kind.platform if sheets else DEFAULT_PLATFORM
    plan = Plan(item_cap=item_cap, files_per_upload=files_per_upload, platform=platform,
                headers={n: dict(item.sheet.headers) for n, item in enumerate(sheets)})
    index = RefIndex.of(sheets)
    blocked = _settle_without_requests(sheets, plan)
    if not skip_invalid and any(o.status is Status.INVALID for o in plan.outcomes.values()):
        _hold_everything(sheets, plan)
        return plan
    for sheet_no, item in enumerate(sheets):
        kind = item.sheet.kind
        column, entity = kind.parent_column, kind.is_entity
        into = _grouper(plan, item, index, append) if column is not None else None
        for (row, action), values in zip(item.actions.items(), _row_values(item), strict=True):
            row_key = (sheet_no, int(row))
            if row_key in plan.outcomes:
                _taint(plan, item, row_key, index)
                continue
            if entity:
                plan.operations.append(_operation(item, row_key, action, values))
            if into is not None and action not in (DELETE, SKIP):
                into(row_key, values)
    _collect_media(plan)
    _drop_groups_with_unsendable_rows(plan, blocked)
    _key_creates(plan)
    return plan


def _travels(platform: str, list_kind: str, item_kinds: frozenset[str]) -> bool:
    """Whether a list's items go in their parent's own create request (`Platform.items_in_create`)."""
    kinds = platform_named(platform).items_in_create
    return list_kind in (item_kinds if kinds is None else kinds)


def _key_creates(plan: Plan) -> None:
    """Each create's journal key: its kind, Ref, the digest of what it sends (media files by their
    bytes, with the items that travel in the same request) and its occurrence among the job's
    identical creates, in row order."""
    item_kinds = frozenset(k.name for k in kinds_for(plan.platform) if k.item_fields)
    travelling: dict[str, list[tuple[str, str, list[Any]]]] = {}
    for group in plan.groups:
        if group.parent.row is not None and _travels(plan.platform, group.kind, item_kinds):
            travelling.setdefault(group.parent.key, []).append(
                (group.kind, group.mode, [m.payload for m in group.members]))
    seen: dict[tuple[str, str | None, str], int] = {}
    keyed = []
    for op in plan.operations:
        if op.action == CREATE:
            files = [c.field for c in op.kind.columns if c.type is ColType.FILE]
            items = sorted(travelling.get(op.row_ref, []), key=lambda t: (t[0], t[1]))
            # Most creates send neither files nor items: their payload's fingerprint is their content.
            content = content_digest(op.payload, files, items) if files or items else op.fingerprint
            identity = (op.kind.name, op.ref, content)
            seen[identity] = seen.get(identity, 0) + 1
            op = replace(op, key=create_key(op.kind.name, op.ref, content, seen[identity]))
        keyed.append(op)
    plan.operations = keyed


def _taint(plan: Plan, item: ValidatedSheet, row_key: RowKey, index: RefIndex) -> None:
    """A row that will not be sent spoils a replace of its parent's list, which would drop it: an
    invalid item row, or an existing creative / filter list (it has an ID) that is invalid or skipped."""
    kind, row = item.sheet.kind, row_key[1]
    if kind.parent_column is None:
        return
    if kind.item_fields:
        if plan.outcomes[row_key].status is not Status.INVALID:
            return
        list_kind = kind.name
    else:
        id_col = kind.role_column(Role.ID)
        # A create that does not happen takes nothing away, except where a parent is created whole and
        # cannot be given a creative later: a campaign must not go out without one of its creatives.
        if not platform_named(kind.platform).creates_whole and (id_col is None or
                                                                item.values.at[row, id_col.field] is None):
            return
        list_kind = f"assign-{kind.name}"
    for _, parent in parents_of(item, row, index):
        if parent is not None:
            plan.tainted.setdefault((list_kind, parent.key), row)


def _settle_without_requests(sheets: Sequence[ValidatedSheet], plan: Plan) -> set[RowKey]:
    """Invalid and skipped rows get their outcome now; returns them (their dependants cannot run)."""
    blocked: set[RowKey] = set()
    for sheet_no, item in enumerate(sheets):
        invalid = item.invalid_rows
        messages = _messages_by_row(item)
        spoiled = item.sheet_errors
        for row, action in item.actions.items():
            row_key = (sheet_no, int(row))
            if spoiled:
                plan.outcomes[row_key] = RowOutcome(Status.INVALID, "; ".join(p.message for p in spoiled))
            elif row in invalid:
                plan.outcomes[row_key] = RowOutcome(Status.INVALID, messages.get(int(row), ""))
            elif action == SKIP:
                plan.outcomes[row_key] = RowOutcome(Status.SKIPPED, "Action is skip")
            else:
                continue
            blocked.add(row_key)
    return blocked


def _hold_everything(sheets: Sequence[ValidatedSheet], plan: Plan) -> None:
    for sheet_no, item in enumerate(sheets):
        for row in item.actions.index:
            plan.outcomes.setdefault((sheet_no, int(row)),
                                     RowOutcome(Status.NOT_RUN, "not sent: other rows of the job are invalid"))


def _messages_by_row(item: ValidatedSheet) -> dict[int, str]:
    by_row: dict[int, list[str]] = {}
    for problem in item.problems:
        if problem.is_error and problem.row is not None:
            by_row.setdefault(problem.row, []).append(f"{problem.column}: {problem.message}"
                                                      if problem.column else problem.message)
    return {row: "; ".join(texts) for row, texts in by_row.items()}


def _row_values(item: ValidatedSheet) -> Iterator[dict[str, Any]]:
    """Each row's typed values by field, made from the columns one row at a time (a lookup per row
    through pandas costs ~50 µs, and a list of them all would hold the sheet twice)."""
    fields = list(item.values.columns)
    for cells in zip(*(item.values[f].tolist() for f in fields), strict=True):
        yield dict(zip(fields, cells, strict=True))


def _operation(item: ValidatedSheet, row_key: RowKey, action: str, values: dict[str, Any]) -> Operation:
    kind = item.sheet.kind
    payload = kind.payload(values) if kind.payload else payload_of(kind, values)
    if action == UPDATE and kind.updatable is not None:
        payload = {k: v for k, v in payload.items() if k in kind.updatable}
    id_col, ref_col = kind.role_column(Role.ID), kind.role_column(Role.REF)
    target_id = values.get(id_col.field) if id_col else None
    ref = values.get(ref_col.field) if ref_col else None
    natural = "|".join(str(payload.get(f, "")) for f in kind.natural_key) if kind.natural_key else None
    if action == DELETE:
        payload = {}
    assert action in (CREATE, UPDATE, DELETE)
    named = ref or values.get(kind.natural_key[0]) if kind.natural_key else ref
    label = f"{kind.sheet} row {row_key[1]}" + (f" ({named!r})" if named else "")
    # A create's key needs the whole job (identical rows, items travelling with it): see _key_creates.
    key = "" if action == CREATE else object_key(kind.name, action, target_id)
    return Operation(key=key, kind=kind, row_key=row_key, action=action, target_id=target_id, payload=payload,
                     fingerprint=fingerprint(payload), natural_key=natural, label=label,
                     ref=str(ref).casefold() if ref is not None else None, header=item.sheet.header)


def _grouper(plan: Plan, item: ValidatedSheet, index: RefIndex,
             append: frozenset[str]) -> Callable[[RowKey, dict[str, Any]], None]:
    """What puts one child row into the groups of its parents (the sheet's columns looked up once)."""
    kind = item.sheet.kind
    mode_col, column = kind.role_column(Role.MODE), kind.parent_column
    assert column is not None
    parents = resolver(index, column.parent) if column.parent is not None else lambda value: []
    default = APPEND if kind.name in append else REPLACE
    list_kind = kind.name if kind.item_fields else f"assign-{kind.name}"
    # Rows naming one parent share its Parent (see resolver), so its group is found by identity
    # instead of hashing the Parent for every row.
    groups: dict[tuple[int, str], Group] = {}

    def add(row_key: RowKey, values: dict[str, Any]) -> None:
        mode = (values[mode_col.field] if mode_col else None) or default
        for _, parent in parents(values[column.field]):
            assert parent is not None  # validation refused rows naming nothing
            group = groups.get((id(parent), mode))
            if group is None:
                group = groups[(id(parent), mode)] = _group(plan, list_kind, parent, mode)
            if kind.item_fields:  # a targeting list or a filter list's items: the row is an item
                group.members.append(Member(row_key, kind.payload(values) if kind.payload else
                                            payload_of(kind, values)))
            else:  # an entity assigned to campaigns: the row's own object joins each campaign's set
                own = Parent(kind.name, row=_row_ref(row_key)) if values.get("id") is None else \
                    Parent(kind.name, id=int(values["id"]))
                group.members.append(Member(row_key, {}, own))

    return add


def _row_ref(row_key: RowKey) -> RowRef:
    return RowRef(*row_key)


def _group(plan: Plan, kind: str, parent: Parent, mode: str) -> Group:
    group = plan.group_index.get((kind, parent, mode))
    if group is None:
        group = plan.group_index[(kind, parent, mode)] = Group(kind, parent, mode)
        plan.groups.append(group)
    return group


def _collect_media(plan: Plan) -> None:
    for op in plan.operations:
        for ref in file_refs(op.payload):
            plan.media.setdefault(ref.path, ref.media_type)


def file_refs(payload: Any) -> list[Any]:
    """Every FileRef inside a payload (nested dicts), in order. Called for every operation several
    times a push, so it looks only into dicts and file references, never into the other values."""
    return _file_refs(payload, FileRef)


def _file_refs(payload: Any, file_ref: type) -> list[Any]:
    if isinstance(payload, file_ref):
        return [payload]
    if not isinstance(payload, dict):
        return []
    return [ref for value in payload.values() if isinstance(value, dict | file_ref)
            for ref in _file_refs(value, file_ref)]


def _drop_groups_with_unsendable_rows(plan: Plan, blocked: set[RowKey]) -> None:
    """A list whose parent row cannot run is skipped; a replace list missing one of its rows is not
    sent at all (it would take off the platform an item the user meant to keep)."""
    kept = []
    for group in plan.groups:
        parent_row = (group.parent.row.sheet, group.parent.row.row) if group.parent.row else None
        if parent_row in blocked:
            reason = f"not sent: its {group.parent.kind[:-1].replace('-', ' ')} (row {parent_row[1]}) is " \
                     f"{plan.outcomes[parent_row].status.value}"
            _settle(plan, group, Status.SKIPPED, reason)
            continue
        bad_row = plan.tainted.get((group.kind, group.parent.key))
        if group.mode == REPLACE and bad_row is not None:
            assigned = group.kind.removeprefix("assign-")
            sheet = "item" if assigned == group.kind else assigned[:-1].replace("-", " ")
            _settle(plan, group, Status.SKIPPED, f"not sent: {sheet} row {bad_row} of the same list is invalid or "
                    "skipped, and replacing the list without it would remove it")
            continue
        kept.append(group)
    plan.groups = kept


def _settle(plan: Plan, group: Group, status: Status, message: str) -> None:
    for member in group.members:
        plan.outcomes.setdefault(member.row, RowOutcome(status, message))


def group_fingerprint(group: Group, extra: Any = None) -> str:
    return fingerprint({"mode": group.mode, "items": [m.payload for m in group.members], "extra": extra})
