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

from bulkops._control import RunControl
from bulkops._exceptions import ApiError, AuthError, PlatformError, TransportError
from bulkops._retry import DEFAULT_RETRY, RetryPolicy
from bulkops.engine._graph import Context, run_steps
from bulkops.engine._journal import DONE, FAILED, INTENT, THIS_RUN, Entry, Journal
from bulkops.engine._verify import Written, describe, journal_message, not_kept_text, written
from bulkops.planner import Operation, Plan, RowKey, RowOutcome, Status, created_from
from bulkops.registry import platform_named

if TYPE_CHECKING:
    from bulkops.engine._graph import Step


class Finder(Protocol):
    """What looks a create up by name after its answer was lost (`reconcile`), and the watermark its
    intent records. A platform's class subclasses it (or `Adapter`) to inherit `highest_listed`."""

    # IDs of the objects named `natural_key`, from a listing read no earlier than `newer_than`
    # (time.monotonic()): after a create went unanswered, an older listing cannot show it.
    async def find(self, natural_key: str, newer_than: float = 0.0) -> list[int]: ...

    def highest_listed(self) -> int:
        """The highest ID of the kind this run's listings and creates have shown, recorded with a
        create's intent so that only a newer object can be adopted as what it made. 0: none kept
        (every search is fresh, say); the journal's own highest ID of the kind still counts."""
        return 0


class Adapter(Finder, Protocol):
    """One platform's verbs for one kind. A create answers the new ID, or a `Written` (the ID and
    the fields its answer shows not kept); an update answers None or a `Written`."""

    async def create(self, payload: dict) -> int | Written: ...
    async def update(self, object_id: int, payload: dict) -> Written | None: ...
    async def delete(self, object_id: int) -> None: ...


async def execute(plan: Plan, adapters: Mapping[str, Adapter], journal: Journal, *, concurrency: int = 16,
                  on_done: Callable[[], None] = lambda: None, item_cap: int | None = None,
                  outcomes: dict[RowKey, RowOutcome] | None = None, control: RunControl | None = None,
                  steps: Sequence[Step] | None = None, retry: RetryPolicy = DEFAULT_RETRY) -> dict[RowKey, RowOutcome]:
    """Run every step of the plan in dependency order; `outcomes` (if given) is filled as rows
    settle, so an interrupted run still knows what it finished. Creates an earlier run sent without
    an answer are looked up first, before anything new is sent; a write whose answer never came is
    looked up and sent again `retry.second_tries` times at most in this run."""
    platform = platform_named(plan.platform)
    await reconcile_pending(plan, platform.finders(adapters), journal)
    ctx = Context(journal, adapters, item_cap=item_cap or plan.item_cap, tick=lambda n: [on_done() for _ in range(n)],
                  control=control or RunControl(), retry=retry)
    steps = platform.steps(plan) if steps is None else steps
    return await run_steps(steps, ctx, concurrency=concurrency, outcomes=outcomes)


async def reconcile_pending(plan: Plan, adapters: Mapping[str, Finder], journal: Journal) -> None:
    """Every create an earlier run sent without an answer, of a kind and name (or Ref) this job
    creates, is looked up by its name now, before anything new is sent, even when its row has
    changed since (a name fixed, or it came from another job): found, it is recorded as done, so the
    row that sent it is settled and an edited row is refused rather than made twice (see _refusal);
    not found, the row that sent it sends it in its turn, and an intent no row of the job sends again
    is marked as never arrived. A lookup that fails leaves it for its step (which looks again) or,
    for another row, holds that row."""
    pending = journal.pending()
    if not pending:
        return
    creates = [op for op in plan.operations if op.action == "create" and op.kind.name in adapters]
    by_key = {op.key: op for op in creates}
    names = {(op.kind.name, op.natural_key) for op in creates if op.natural_key}
    refs = {(op.kind.name, op.ref) for op in creates if op.ref is not None}
    for entry in pending:
        op = by_key.get(entry.key)
        with contextlib.suppress(PlatformError):
            if op is not None:
                await reconcile(op, adapters[op.kind.name], journal)
            elif (entry.kind, entry.natural_key) in names or (entry.kind, entry.ref) in refs:
                await _reconcile_entry(entry, adapters[entry.kind], journal)


async def run_one(op: Operation, adapter: Adapter, journal: Journal, *, retry: RetryPolicy) -> RowOutcome:
    if op.action != "create" or not op.natural_key:
        return await _run_unlocked(op, adapter, journal, retry)
    # Two rows creating the same name go one after the other, from intent to answer: otherwise a
    # lookup after one's lost answer could adopt the object the other just made.
    async with _name_lock(journal, op.kind.name, op.natural_key):
        return await _run_unlocked(op, adapter, journal, retry)


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


async def _run_unlocked(op: Operation, adapter: Adapter, journal: Journal, retry: RetryPolicy) -> RowOutcome:
    earlier = settled_earlier(op, journal)
    if earlier is not None:
        return earlier
    if op.action == "create":
        entry = journal.get(op.key)
        if entry is not None and entry.state == INTENT:
            try:
                found = await reconcile(op, adapter, journal)
            except PlatformError as exc:
                return _unknown(f"an earlier run sent it and got no answer, and looking it up failed ({exc.message})")
            if found is not None:
                return found
            refused = _refusal(op, journal)  # it never arrived; another like it may have
            if refused is not None:
                return refused
    record_intent(journal, op, adapter)
    try:
        return await _send(op, adapter, journal)
    except ApiError as exc:
        if op.action == "delete" and exc.status_code == 404:
            record(journal, op, DONE, op.target_id, "already gone")
            return RowOutcome(Status.DELETED, "it was already gone", op.target_id)
        if op.action == "create" and exc.status_code >= 500:
            return await _after_ambiguous(op, adapter, journal, exc, retry)
        record(journal, op, FAILED, op.target_id, exc.message)
        return RowOutcome(Status.FAILED, exc.message, op.target_id)
    except TransportError as exc:
        if op.action == "create" and exc.maybe_sent:
            return await _after_ambiguous(op, adapter, journal, exc, retry)
        record(journal, op, FAILED, op.target_id, exc.message)
        return RowOutcome(Status.FAILED, exc.message, op.target_id)
    except AuthError:
        raise
    except PlatformError as exc:
        record(journal, op, FAILED, op.target_id, exc.message)
        return RowOutcome(Status.FAILED, exc.message, op.target_id)


def record_intent(journal: Journal, op: Operation, adapter: Finder) -> None:
    """The intent, with (for a create) its watermark: the highest ID of the kind the job or this
    run's listings know of, so that only a newer object can be adopted as what the create made."""
    watermark = None
    if op.action == "create":
        watermark = max(journal.highest_id(op.kind.name), adapter.highest_listed())
    journal.record(op.key, kind=op.kind.name, action=op.action, state=INTENT, fingerprint=op.fingerprint,
                   natural_key=op.natural_key, result_id=op.target_id, watermark=watermark, ref=op.ref)


def settled_earlier(op: Operation, journal: Journal) -> RowOutcome | None:
    """Work an earlier run for the account already finished needs no request now; the row says
    which run. A create that would repeat one made from other values is refused (see _refusal). An
    update the live state was compared for is left to that comparison."""
    if op.action == "create":
        entry = journal.get(op.key)
        if entry and entry.state == DONE and entry.result_id is not None:
            if (missed := not_kept_text(entry.message)) is not None:
                return RowOutcome(Status.FAILED, f"created by {run_named(entry, journal)}, and the platform did not "
                                  f"keep it as sent: {missed}", entry.result_id, written=True)
            return RowOutcome(Status.CREATED, _created_message(entry, journal), entry.result_id)
        if entry is None or entry.state == FAILED:  # an unanswered one is looked up first
            return _refusal(op, journal)
    elif op.action == "update":
        entry = journal.get(op.key)
        if entry and entry.state == DONE and entry.fingerprint == op.fingerprint and \
                (missed := not_kept_text(entry.message)) is not None:
            # The same update again would be ignored again: say so rather than send it blindly.
            return RowOutcome(Status.FAILED, f"{run_named(entry, journal)} sent this update and the platform did "
                              f"not keep it: {missed}", op.target_id, written=True)
        if op.target_id is not None and not op.compared:
            done = journal.done_with(op.kind.name, op.target_id, op.fingerprint)
            if done is not None:
                return RowOutcome(Status.UNCHANGED, f"already up to date from {run_named(done, journal)}",
                                  op.target_id)
    else:
        entry = journal.get(op.key)
        if entry and entry.state == DONE:
            return RowOutcome(Status.DELETED, f"deleted by {run_named(entry, journal)}", op.target_id)
    return None


def run_named(entry: Entry, journal: Journal) -> str:
    """"an earlier run (2026-12-06 14:02, campaigns.csv → out-a.xlsx)", or "this run"."""
    if journal.recorded_now(entry.key):
        return "this run"
    return f"an earlier run ({journal.run_label(entry.run)})" if entry.run is not None else "an earlier run"


def _created_message(entry: Entry, journal: Journal) -> str:
    if not entry.found:
        return f"created by {run_named(entry, journal)}"
    if journal.recorded_now(entry.key):
        return _FOUND
    when = f" ({journal.run_label(entry.run)})" if entry.run is not None else ""
    return f"created by an interrupted run{when}; found it by name"


def _refusal(op: Operation, journal: Journal) -> RowOutcome | None:
    """A create that would repeat one an earlier run of the account finished is refused without a
    request: a row with a Ref, when a create of that kind and Ref was finished from other content
    (its row was edited since: a Ref names one object for good); a row without one, when a create
    of that kind and name was finished from other values (nothing but its name and values tells the
    row). An earlier create of that name or Ref still unanswered, that bulkops could not look up,
    holds the row as `unknown`."""
    earlier = _repeated(op, journal)
    if earlier is not None:
        return RowOutcome(Status.FAILED, _repeat_message(op, earlier, journal))
    if not (op.natural_key or op.ref):
        return None
    unsettled = journal.pending_alike(op.kind.name, op.natural_key, op.ref, op.key)
    if unsettled is not None:
        return RowOutcome(Status.UNKNOWN, f"not sent: {run_named(unsettled, journal)} sent the create of a "
                          f"{_noun(op)} named {unsettled.natural_key!r} and got no answer, and looking it up did not "
                          "tell whether it exists (the lookup failed, or several of that name could be it); push "
                          "again later, or put the right ID in the row")
    return None


def _repeated(op: Operation, journal: Journal) -> Entry | None:
    """The earlier create this row would repeat: by its Ref, else by its name (made from other
    values: another of the same values is one more identical row, a new object)."""
    if op.ref is not None:
        return journal.created_with_ref(op.kind.name, op.ref, op.key)
    if not op.natural_key:
        return None
    content = created_from(op.key)
    return next((e for e in journal.created_named(op.kind.name, op.natural_key, op.key)
                 if e.ref is not None or content is None or created_from(e.key) != content), None)


def _repeat_message(op: Operation, earlier: Entry, journal: Journal) -> str:
    noun, made, who = _noun(op), earlier.result_id, run_named(earlier, journal)
    if earlier.found:
        why = (f"{who} sent the create of a {noun} named {earlier.natural_key!r} and lost its answer; bulkops "
               f"found {noun} {made}, made from other values than this row's")
    elif op.ref is not None:
        why = f"{who} created {noun} {made} from the row with Ref {earlier.ref!r}"
    else:
        row = f"the row with Ref {earlier.ref!r}" if earlier.ref is not None else "other values"
        why = f"{who} created {noun} {made} named {earlier.natural_key!r} from {row}"
    # The results workbook of a run that finished holds the ID; a killed run wrote none.
    where = " (the results workbook of that run has it)" if not earlier.found and \
        journal.finished(earlier.run) else ""
    another = "to create another, give this row a new Ref" if op.ref is not None else \
        "to create another of that name, give this row a Ref"
    return f"{why}; to change that {noun}, put {made} in the {op.column('id')} column{where}; {another}"


def _noun(op: Operation) -> str:
    return op.kind.sheet.lower().removesuffix("s")


async def _send(op: Operation, adapter: Adapter, journal: Journal) -> RowOutcome:
    if op.action == "create":
        return _answered(op, journal, written(await adapter.create(op.payload)), Status.CREATED)
    assert op.target_id is not None
    if op.action == "update":
        return _answered(op, journal, written(await adapter.update(op.target_id, op.payload), op.target_id),
                         Status.UPDATED)
    await adapter.delete(op.target_id)
    record(journal, op, DONE, op.target_id)
    return RowOutcome(Status.DELETED, "", op.target_id)


def _answered(op: Operation, journal: Journal, done: Written, status: Status) -> RowOutcome:
    """A create or update the platform answered: done, unless its answer shows a field it did not
    keep, which fails the row (with the object's ID: it exists) and is journaled as such."""
    if not done.not_kept:
        record(journal, op, DONE, done.id)
        return RowOutcome(status, "", done.id)
    message = describe(done.not_kept, op.column)
    record(journal, op, DONE, done.id, journal_message(message))
    return RowOutcome(Status.FAILED, message, done.id, written=True)


async def _after_ambiguous(op: Operation, adapter: Adapter, journal: Journal, exc: PlatformError,
                           retry: RetryPolicy) -> RowOutcome:
    """The create may have been committed although no answer came: look before sending it again.
    Found, it is adopted; not there, it never happened, so it is sent again (`second_tries` at most);
    if looking fails, the row is `unknown` and the journal keeps the intent for the next run. The
    first intent's watermark stays: a late commit of the first send must still be found later."""
    for _ in range(retry.second_tries):
        failed_at = time.monotonic()  # a listing started after the failure was seen can show the create
        try:
            found = await reconcile(op, adapter, journal, newer_than=failed_at)
        except PlatformError as looked:
            return _unknown(f"{exc.message}; looking it up failed too ({looked.message})")
        if found is not None:
            return found
        try:
            return await _send(op, adapter, journal)
        except ApiError as again:
            if again.status_code < 500:
                record(journal, op, FAILED, None, again.message)
                return RowOutcome(Status.FAILED, again.message)
            exc = again
        except TransportError as again:
            if not again.maybe_sent:
                record(journal, op, FAILED, None, again.message)
                return RowOutcome(Status.FAILED, again.message)
            exc = again
    return _unknown(exc.message)


def ambiguous(exc: PlatformError) -> bool:
    """Whether a failed request may have been done all the same (no answer came, or a 5xx)."""
    return (isinstance(exc, TransportError) and exc.maybe_sent) or (isinstance(exc, ApiError)
                                                                     and exc.status_code >= 500)


def _unknown(why: str) -> RowOutcome:
    # Left as `intent` in the journal: the next run looks the object up before creating it again.
    return RowOutcome(Status.UNKNOWN, f"{why}; no answer came, so it may or may not exist: run the same push "
                      "again and bulkops will look it up before creating it")


_FOUND = "created by an interrupted run; found it by name"


async def reconcile(op: Operation, adapter: Finder, journal: Journal, newer_than: float = 0.0) -> RowOutcome | None:
    """Adopt the one object named like the row, newer than the intent's watermark and claimed by no
    other row; None if there is none; `unknown` if several could be it."""
    if not op.natural_key:
        return None
    entry = journal.get(op.key)
    candidates = await _candidates(op.kind.name, op.natural_key, entry, adapter, journal, newer_than)
    if len(candidates) == 1:
        # The create belongs to the run that sent it: an earlier one, or this one after a lost answer.
        sent_by = THIS_RUN if entry is None or journal.recorded_now(op.key) else entry.run
        journal.record(op.key, kind=op.kind.name, action=op.action, state=DONE, fingerprint=op.fingerprint,
                       natural_key=op.natural_key, result_id=candidates[0], message=_FOUND, ref=op.ref, found=True,
                       run=sent_by)
        adopted = journal.get(op.key)
        assert adopted is not None
        return RowOutcome(Status.CREATED, _created_message(adopted, journal), candidates[0])
    if len(candidates) > 1:
        return RowOutcome(Status.UNKNOWN, f"no answer came to its create, and {len(candidates)} new objects named "
                          f"{op.natural_key!r} exist (IDs {', '.join(map(str, sorted(candidates)))}); put the right "
                          "ID in the row (and delete the others) before pushing again")
    return None


async def _reconcile_entry(entry: Entry, adapter: Finder, journal: Journal) -> None:
    """An unanswered create no row of this job sends any more (its row was edited, or it is another
    job's): found by name, it is recorded as done; not there, as never arrived; several, left."""
    if not entry.natural_key:
        return
    candidates = await _candidates(entry.kind, entry.natural_key, entry, adapter, journal)
    if len(candidates) > 1:
        return  # the rows of that name are refused until someone puts the right ID in one
    state, found, message = (DONE, candidates[0], _FOUND) if candidates else \
        (FAILED, None, "its create never arrived: looked up by name and not found")
    journal.record(entry.key, kind=entry.kind, action=entry.action, state=state, fingerprint=entry.fingerprint,
                   natural_key=entry.natural_key, result_id=found, message=message, ref=entry.ref,
                   found=found is not None, run=entry.run)


async def _candidates(kind: str, natural_key: str, entry: Entry | None, adapter: Finder, journal: Journal,
                      newer_than: float = 0.0) -> list[int]:
    """The objects named `natural_key` that an unanswered create may have made: newer than its
    watermark and claimed by no other row of any run for the account."""
    floor = (entry.watermark or 0) if entry is not None else 0
    listed = await adapter.find(natural_key, newer_than)
    claimed = journal.claimed(kind, listed)  # after the listing: another row may have claimed one meanwhile
    return [i for i in listed if i not in claimed and i > floor]


def record(journal: Journal, op: Operation, state: str, result_id: int | None, message: str | None = None) -> None:
    journal.record(op.key, kind=op.kind.name, action=op.action, state=state, fingerprint=op.fingerprint,
                   natural_key=op.natural_key, result_id=result_id, message=message, ref=op.ref)
