"""From validated sheets to operations: what to send for each row, and what needs no request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bulkops.kinds import Kind, Role
from bulkops.kinds._payload import fingerprint, payload_of
from bulkops.run._outcome import RowKey, RowOutcome, Status
from bulkops.validate import CREATE, DELETE, SKIP, UPDATE, ValidatedSheet


@dataclass(frozen=True)
class Operation:
    key: str  # journal key: stable across runs of the same job
    kind: Kind
    row_key: RowKey
    action: str  # create / update / delete
    target_id: int | None
    payload: dict[str, Any]
    fingerprint: str
    natural_key: str | None  # e.g. the campaign name, to find a create whose answer was lost


@dataclass
class Plan:
    operations: list[Operation] = field(default_factory=list)
    outcomes: dict[RowKey, RowOutcome] = field(default_factory=dict)  # rows settled without a request

    def count(self, action: str) -> int:
        return sum(1 for op in self.operations if op.action == action)


def build_plan(sheets: Sequence[ValidatedSheet], *, skip_invalid: bool) -> Plan:
    plan = Plan()
    for index, item in enumerate(sheets):
        invalid = item.invalid_rows
        messages = _messages_by_row(item)
        spoiled = item.sheet_errors
        for row, action in item.actions.items():
            row_key = (index, int(row))
            if spoiled:
                plan.outcomes[row_key] = RowOutcome(Status.INVALID, "; ".join(p.message for p in spoiled))
            elif row in invalid:
                plan.outcomes[row_key] = RowOutcome(Status.INVALID, messages.get(int(row), ""))
            elif action == SKIP:
                plan.outcomes[row_key] = RowOutcome(Status.SKIPPED, "Action is skip")
            else:
                plan.operations.append(_operation(item, row_key, action))
    if not skip_invalid and any(o.status is Status.INVALID for o in plan.outcomes.values()):
        for op in plan.operations:
            plan.outcomes[op.row_key] = RowOutcome(Status.NOT_RUN, "not sent: other rows of the job are invalid")
        plan.operations = []
    return plan


def _messages_by_row(item: ValidatedSheet) -> dict[int, str]:
    by_row: dict[int, list[str]] = {}
    for problem in item.problems:
        if problem.is_error and problem.row is not None:
            by_row.setdefault(problem.row, []).append(f"{problem.column}: {problem.message}")
    return {row: "; ".join(texts) for row, texts in by_row.items()}


def _operation(item: ValidatedSheet, row_key: RowKey, action: str) -> Operation:
    kind = item.sheet.kind
    values = item.values.loc[row_key[1]].to_dict()
    payload = payload_of(kind, values)
    id_col, ref_col = kind.role_column(Role.ID), kind.role_column(Role.REF)
    target_id = values.get(id_col.field) if id_col else None
    ref = values.get(ref_col.field) if ref_col else None
    if action == CREATE:
        where = f"row:{item.sheet.file}:{item.sheet.title}:{row_key[1]}"
        ident = f"ref:{str(ref).casefold()}" if ref is not None else where
    else:
        ident = f"id:{target_id}"
    natural = "|".join(str(payload.get(f, "")) for f in kind.natural_key) if kind.natural_key else None
    if action == DELETE:
        payload = {}
    assert action in (CREATE, UPDATE, DELETE)
    return Operation(key=f"{kind.name}:{action}:{ident}", kind=kind, row_key=row_key, action=action,
                     target_id=target_id, payload=payload, fingerprint=fingerprint(payload), natural_key=natural)
