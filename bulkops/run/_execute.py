"""Send a plan's operations concurrently, journaled, and settle every row with an outcome.

Pace comes from the client's rate limiter; `concurrency` only bounds requests in flight, so that
a slow platform is kept busy without opening hundreds of sockets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from bulkops._exceptions import ApiError, AuthError, PlatformError, TransportError
from bulkops.run._journal import DONE, FAILED, INTENT, Journal
from bulkops.run._outcome import RowKey, RowOutcome, Status
from bulkops.run._plan import Operation, Plan


class Adapter(Protocol):
    """One platform's verbs for one kind."""

    async def create(self, payload: dict) -> int: ...
    async def update(self, object_id: int, payload: dict) -> None: ...
    async def delete(self, object_id: int) -> None: ...
    async def find(self, natural_key: str) -> list[int]: ...


async def execute(plan: Plan, adapters: Mapping[str, Adapter], journal: Journal, *, concurrency: int = 16,
                  on_done: Callable[[], None] = lambda: None, item_cap: int | None = None,
                  outcomes: dict[RowKey, RowOutcome] | None = None) -> dict[RowKey, RowOutcome]:
    """Run every step of the plan in dependency order; `outcomes` (if given) is filled as rows
    settle, so an interrupted run still knows what it finished."""
    from bulkops.run._graph import Context, run_steps
    from bulkops.run._steps import steps_of

    ctx = Context(journal, adapters, item_cap=item_cap or plan.item_cap, tick=lambda n: [on_done() for _ in range(n)])
    return await run_steps(steps_of(plan), ctx, concurrency=concurrency, outcomes=outcomes)


async def _run_one(op: Operation, adapter: Adapter, journal: Journal) -> RowOutcome:
    earlier = _settled_earlier(op, journal)
    if earlier is not None:
        return earlier
    if op.action == "create":
        entry = journal.get(op.key)
        if entry is not None and entry.state == INTENT:
            found = await _reconcile(op, adapter, journal)
            if found is not None:
                return found
    journal.record(op.key, kind=op.kind.name, action=op.action, state=INTENT, fingerprint=op.fingerprint,
                   natural_key=op.natural_key, result_id=op.target_id)
    try:
        return await _send(op, adapter, journal)
    except ApiError as exc:
        if op.action == "delete" and exc.status_code == 404:
            _record(journal, op, DONE, op.target_id, "already gone")
            return RowOutcome(Status.DELETED, "it was already gone", op.target_id)
        if op.action == "create" and exc.status_code >= 500:
            return await _after_ambiguous(op, adapter, journal, exc)
        _record(journal, op, FAILED, op.target_id, exc.message)
        return RowOutcome(Status.FAILED, exc.message, op.target_id)
    except TransportError as exc:
        if op.action == "create" and exc.maybe_sent:
            return await _after_ambiguous(op, adapter, journal, exc)
        _record(journal, op, FAILED, op.target_id, exc.message)
        return RowOutcome(Status.FAILED, exc.message, op.target_id)
    except AuthError:
        raise
    except PlatformError as exc:
        _record(journal, op, FAILED, op.target_id, exc.message)
        return RowOutcome(Status.FAILED, exc.message, op.target_id)


def _settled_earlier(op: Operation, journal: Journal) -> RowOutcome | None:
    """Work an earlier run of this job already finished needs no request now."""
    if op.action == "create":
        entry = journal.get(op.key)
        if entry and entry.state == DONE and entry.result_id is not None:
            return RowOutcome(Status.CREATED, "created by an earlier run of this job", entry.result_id)
    elif op.action == "update":
        if op.target_id is not None and journal.done_with(op.kind.name, op.target_id, op.fingerprint):
            return RowOutcome(Status.UNCHANGED, "already up to date from an earlier run", op.target_id)
    else:
        entry = journal.get(op.key)
        if entry and entry.state == DONE:
            return RowOutcome(Status.DELETED, "deleted by an earlier run of this job", op.target_id)
    return None


async def _send(op: Operation, adapter: Adapter, journal: Journal) -> RowOutcome:
    if op.action == "create":
        new_id = await adapter.create(op.payload)
        _record(journal, op, DONE, new_id)
        return RowOutcome(Status.CREATED, "", new_id)
    assert op.target_id is not None
    if op.action == "update":
        await adapter.update(op.target_id, op.payload)
        _record(journal, op, DONE, op.target_id)
        return RowOutcome(Status.UPDATED, "", op.target_id)
    await adapter.delete(op.target_id)
    _record(journal, op, DONE, op.target_id)
    return RowOutcome(Status.DELETED, "", op.target_id)


async def _after_ambiguous(op: Operation, adapter: Adapter, journal: Journal, exc: PlatformError) -> RowOutcome:
    """The create may have been committed although no answer came: look before anyone sends it again."""
    try:
        found = await _reconcile(op, adapter, journal)
    except PlatformError:
        found = None
    if found is not None:
        return found
    # Left as `intent`: the next run looks the object up again before re-creating it.
    return RowOutcome(Status.FAILED, f"{exc.message}; no answer came, so it may or may not exist: run the same "
                      "push again and bulkops will look before creating")


async def _reconcile(op: Operation, adapter: Adapter, journal: Journal) -> RowOutcome | None:
    if not op.natural_key:
        return None
    candidates = [i for i in await adapter.find(op.natural_key) if i not in journal.claimed_ids(op.kind.name)]
    if len(candidates) == 1:
        _record(journal, op, DONE, candidates[0], "found after an interrupted run")
        return RowOutcome(Status.CREATED, "created by an interrupted run; found it by name", candidates[0])
    if len(candidates) > 1:
        message = (f"an interrupted run may have created it, and {len(candidates)} objects named "
                   f"{op.natural_key!r} exist (IDs {', '.join(map(str, candidates))}); put the right ID in the row")
        _record(journal, op, FAILED, None, message)
        return RowOutcome(Status.FAILED, message)
    return None


def _record(journal: Journal, op: Operation, state: str, result_id: int | None, message: str | None = None) -> None:
    journal.record(op.key, kind=op.kind.name, action=op.action, state=state, fingerprint=op.fingerprint,
                   natural_key=op.natural_key, result_id=result_id, message=message)
