"""Send a plan's operations concurrently, journaled, and settle every row with an outcome.

Pace comes from the client's rate limiter; `concurrency` only bounds requests in flight, so that
a slow platform is kept busy without opening hundreds of sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from bulkops._exceptions import ApiError, AuthError, PlatformError, TransportError
from bulkops.run._journal import DONE, FAILED, INTENT, Journal
from bulkops.run._outcome import RowKey, RowOutcome, Status
from bulkops.run._plan import Operation, Plan
from bulkops.run._verify import Written, describe, journal_message, not_kept_text, written

if TYPE_CHECKING:
    from bulkops.run._graph import RunControl, Step


class Adapter(Protocol):
    """One platform's verbs for one kind. A create answers the new ID, or a `Written` (the ID and
    the fields its answer shows not kept); an update answers None or a `Written`."""

    async def create(self, payload: dict) -> int | Written: ...
    async def update(self, object_id: int, payload: dict) -> Written | None: ...
    async def delete(self, object_id: int) -> None: ...
    # IDs of the objects named `natural_key`, from a listing read no earlier than `newer_than`
    # (time.monotonic()): after a create went unanswered, an older listing cannot show it.
    async def find(self, natural_key: str, newer_than: float = 0.0) -> list[int]: ...


# After an unanswered create or list request, how many times bulkops looks and sends it again in
# the same run before it leaves the row for the next run: as many as the client gives a call it may
# repeat. A fixed 3 failed rows of a push through 10 % 503s plus cuts (about one write in five lost).
# Each look goes through the client, whose retries the run's budget bounds, so an outage still stops
# the run instead of being hammered.
SECOND_TRIES = 6


async def execute(plan: Plan, adapters: Mapping[str, Adapter], journal: Journal, *, concurrency: int = 16,
                  on_done: Callable[[], None] = lambda: None, item_cap: int | None = None,
                  outcomes: dict[RowKey, RowOutcome] | None = None, control: RunControl | None = None,
                  steps: Sequence[Step] | None = None) -> dict[RowKey, RowOutcome]:
    """Run every step of the plan in dependency order; `outcomes` (if given) is filled as rows
    settle, so an interrupted run still knows what it finished. Creates an earlier run sent without
    an answer are looked up first, before anything new is sent."""
    from bulkops.run._graph import Context, RunControl, run_steps
    from bulkops.run._steps import steps_of

    if plan.platform == "iqm":
        from bulkops.run._iqm import finders

        await reconcile_pending(plan, finders(adapters), journal)
    else:
        await reconcile_pending(plan, adapters, journal)
    ctx = Context(journal, adapters, item_cap=item_cap or plan.item_cap, tick=lambda n: [on_done() for _ in range(n)],
                  control=control or RunControl())
    steps = steps_of(plan) if steps is None else steps
    return await run_steps(steps, ctx, concurrency=concurrency, outcomes=outcomes)


async def reconcile_pending(plan: Plan, adapters: Mapping[str, Adapter], journal: Journal) -> None:
    """Every create of this job left `intent` by an earlier run is looked up by its natural key now:
    found, it is recorded as done (and not sent again); not found, it is sent in its turn. A lookup
    that fails leaves it for its step, which looks again before sending."""
    pending = {entry.key for entry in journal.pending()}
    for op in plan.operations:
        if op.action != "create" or op.key not in pending or op.kind.name not in adapters:
            continue
        with contextlib.suppress(PlatformError):
            await _reconcile(op, adapters[op.kind.name], journal)


async def _run_one(op: Operation, adapter: Adapter, journal: Journal) -> RowOutcome:
    if op.action != "create" or not op.natural_key:
        return await _run_unlocked(op, adapter, journal)
    # Two rows creating the same name go one after the other, from intent to answer: otherwise a
    # lookup after one's lost answer could adopt the object the other just made.
    async with _name_lock(journal, op.kind.name, op.natural_key):
        return await _run_unlocked(op, adapter, journal)


_LOCKS: weakref.WeakKeyDictionary[Journal, dict[tuple[str, str], asyncio.Lock]] = weakref.WeakKeyDictionary()


def _name_lock(journal: Journal, kind: str, name: str) -> asyncio.Lock:
    locks = _LOCKS.setdefault(journal, {})
    return locks.setdefault((kind, name), asyncio.Lock())


@contextlib.asynccontextmanager
async def name_locks(journal: Journal, kind: str, names: Iterable[str]) -> AsyncIterator[None]:
    """Every name's lock, for a request that creates several objects at once (an IQM upload);
    taken in one order so that two such requests sharing names cannot wait on each other."""
    async with contextlib.AsyncExitStack() as stack:
        for name in sorted(set(names)):
            await stack.enter_async_context(_name_lock(journal, kind, name))
        yield


async def _run_unlocked(op: Operation, adapter: Adapter, journal: Journal) -> RowOutcome:
    earlier = _settled_earlier(op, journal)
    if earlier is not None:
        return earlier
    if op.action == "create":
        entry = journal.get(op.key)
        if entry is not None and entry.state == INTENT:
            try:
                found = await _reconcile(op, adapter, journal)
            except PlatformError as exc:
                return _unknown(f"an earlier run sent it and got no answer, and looking it up failed ({exc.message})")
            if found is not None:
                return found
    _record_intent(journal, op, adapter)
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


def _record_intent(journal: Journal, op: Operation, adapter: Adapter) -> None:
    """The intent, with (for a create) its watermark: the highest ID of the kind the job or this
    run's listings know of, so that only a newer object can be adopted as what the create made."""
    watermark = None
    if op.action == "create":
        listed = getattr(adapter, "highest_listed", lambda: 0)()
        watermark = max(journal.highest_id(op.kind.name), listed)
    journal.record(op.key, kind=op.kind.name, action=op.action, state=INTENT, fingerprint=op.fingerprint,
                   natural_key=op.natural_key, result_id=op.target_id, watermark=watermark)


def _settled_earlier(op: Operation, journal: Journal) -> RowOutcome | None:
    """Work an earlier run of this job already finished needs no request now."""
    if op.action == "create":
        entry = journal.get(op.key)
        if entry and entry.state == DONE and entry.result_id is not None:
            if (missed := not_kept_text(entry.message)) is not None:
                return RowOutcome(Status.FAILED, f"created by an earlier run of this job, which did not keep it as "
                                  f"sent: {missed}", entry.result_id, written=True)
            return RowOutcome(Status.CREATED, entry.message if entry.message == _FOUND else
                              "created by an earlier run of this job", entry.result_id)
    elif op.action == "update":
        entry = journal.get(op.key)
        if entry and entry.state == DONE and entry.fingerprint == op.fingerprint and \
                (missed := not_kept_text(entry.message)) is not None:
            # The same update again would be ignored again: say so rather than send it blindly.
            return RowOutcome(Status.FAILED, f"an earlier run of this job sent this update and the platform did not "
                              f"keep it: {missed}", op.target_id, written=True)
        if op.target_id is not None and journal.done_with(op.kind.name, op.target_id, op.fingerprint):
            return RowOutcome(Status.UNCHANGED, "already up to date from an earlier run", op.target_id)
    else:
        entry = journal.get(op.key)
        if entry and entry.state == DONE:
            return RowOutcome(Status.DELETED, "deleted by an earlier run of this job", op.target_id)
    return None


async def _send(op: Operation, adapter: Adapter, journal: Journal) -> RowOutcome:
    if op.action == "create":
        return _answered(op, journal, written(await adapter.create(op.payload)), Status.CREATED)
    assert op.target_id is not None
    if op.action == "update":
        return _answered(op, journal, written(await adapter.update(op.target_id, op.payload), op.target_id),
                         Status.UPDATED)
    await adapter.delete(op.target_id)
    _record(journal, op, DONE, op.target_id)
    return RowOutcome(Status.DELETED, "", op.target_id)


def _answered(op: Operation, journal: Journal, done: Written, status: Status) -> RowOutcome:
    """A create or update the platform answered: done, unless its answer shows a field it did not
    keep, which fails the row (with the object's ID: it exists) and is journaled as such."""
    if not done.not_kept:
        _record(journal, op, DONE, done.id)
        return RowOutcome(status, "", done.id)
    message = describe(done.not_kept, op.column)
    _record(journal, op, DONE, done.id, journal_message(message))
    return RowOutcome(Status.FAILED, message, done.id, written=True)


async def _after_ambiguous(op: Operation, adapter: Adapter, journal: Journal, exc: PlatformError) -> RowOutcome:
    """The create may have been committed although no answer came: look before sending it again.
    Found, it is adopted; not there, it never happened, so it is sent again (a few times at most);
    if looking fails, the row is `unknown` and the journal keeps the intent for the next run. The
    first intent's watermark stays: a late commit of the first send must still be found later."""
    for _ in range(SECOND_TRIES):
        failed_at = time.monotonic()  # a listing started after the failure was seen can show the create
        try:
            found = await _reconcile(op, adapter, journal, newer_than=failed_at)
        except PlatformError as looked:
            return _unknown(f"{exc.message}; looking it up failed too ({looked.message})")
        if found is not None:
            return found
        try:
            return await _send(op, adapter, journal)
        except ApiError as again:
            if again.status_code < 500:
                _record(journal, op, FAILED, None, again.message)
                return RowOutcome(Status.FAILED, again.message)
            exc = again
        except TransportError as again:
            if not again.maybe_sent:
                _record(journal, op, FAILED, None, again.message)
                return RowOutcome(Status.FAILED, again.message)
            exc = again
    return _unknown(exc.message)


def _unknown(why: str) -> RowOutcome:
    # Left as `intent` in the journal: the next run looks the object up before creating it again.
    return RowOutcome(Status.UNKNOWN, f"{why}; no answer came, so it may or may not exist: run the same push "
                      "again and bulkops will look it up before creating it")


_FOUND = "created by an interrupted run; found it by name"


async def _reconcile(op: Operation, adapter: Adapter, journal: Journal, newer_than: float = 0.0) -> RowOutcome | None:
    """Adopt the one object named like the row, newer than the intent's watermark and claimed by no
    other row; None if there is none; `unknown` if several could be it."""
    if not op.natural_key:
        return None
    entry = journal.get(op.key)
    floor = (entry.watermark or 0) if entry is not None else 0
    listed = await adapter.find(op.natural_key, newer_than)
    claimed = journal.claimed_ids(op.kind.name)  # after the listing: another row may have claimed one meanwhile
    candidates = [i for i in listed if i not in claimed and i > floor]
    if len(candidates) == 1:
        _record(journal, op, DONE, candidates[0], _FOUND)
        return RowOutcome(Status.CREATED, _FOUND, candidates[0])
    if len(candidates) > 1:
        return RowOutcome(Status.UNKNOWN, f"no answer came to its create, and {len(candidates)} new objects named "
                          f"{op.natural_key!r} exist (IDs {', '.join(map(str, sorted(candidates)))}); put the right "
                          "ID in the row (and delete the others) before pushing again")
    return None


def _record(journal: Journal, op: Operation, state: str, result_id: int | None, message: str | None = None) -> None:
    journal.record(op.key, kind=op.kind.name, action=op.action, state=state, fingerprint=op.fingerprint,
                   natural_key=op.natural_key, result_id=result_id, message=message)
