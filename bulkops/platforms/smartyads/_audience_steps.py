"""The steps that send a campaign's audiences (7) and contextual targeting (9): one request per
campaign and mode, journaled so that a run of the same job again sends nothing twice.

- replace: the campaign's list becomes the rows' items (7.2, 9.2; past the item cap, the first chunk
  replaces and the others append);
- append: the items the campaign does not hold yet (7.3, 9.3), none when it holds them all;
- remove: the items the campaign holds, taken off in one request (see the verbs' `remove`), none
  when it holds none of them.

What the campaign holds comes from the live diff where it read it, is nothing for a campaign the job
creates, and is read once otherwise. After a write, one read of the list checks it: a row whose item
the platform does not hold (or still holds, after a remove) fails.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops.engine import DONE, FAILED, INTENT, NOT_HELD, Context, Entry, ambiguous, run_named
from bulkops.kinds import APPEND, REMOVE, REPLACE, kind_named
from bulkops.planner import Group, Member, RowKey, RowOutcome, Status, group_fingerprint
from bulkops.platforms.smartyads._audience_verbs import ASSIGNED_KINDS, CampaignAudiences, CampaignContextual, Key

__all__ = ["ASSIGNED_KINDS", "assigned_requests", "run_assigned", "unique_members"]

_NOT_LOOKED_UP = "not sent: the name was not looked up (plan or push the job online)"
# The verbs' classes by kind: what names an item and how many reads a list takes, for the estimate.
_VERBS_SHAPE: dict[str, Any] = {CampaignAudiences.kind_name: CampaignAudiences,
                                CampaignContextual.kind_name: CampaignContextual}


def _present(group: Group, verbs: Any) -> list[Key] | None:
    """What the campaign holds where known without a request: as the live diff read it, or nothing for
    a campaign this job creates. None: unknown."""
    if group.live is not None:
        kind = kind_named("smartyads", group.kind)
        assert kind.payload is not None
        return [verbs.key(kind.payload(row)) for row in group.live]
    return [] if group.parent.id is None else None


def unique_members(group: Group, identity: Callable[[Any], tuple],
                   sendable: Callable[[Any], bool] | None = None) -> tuple[list[Member], dict[RowKey, RowOutcome]]:
    """Members once each by `identity`; a repeated item's row is settled by the first (validation
    warned). A member `sendable` refuses (a name not looked up) fails without being sent."""
    first: dict[tuple, Member] = {}
    outcomes: dict[RowKey, RowOutcome] = {}
    for member in group.members:
        if sendable is not None and not sendable(member.payload):
            outcomes[member.row] = RowOutcome(Status.FAILED, _NOT_LOOKED_UP)
            continue
        key = identity(member.payload)
        if key in first:
            outcomes[member.row] = RowOutcome(Status.UNCHANGED, f"same item as row {first[key].row[1]}; sent once")
        else:
            first[key] = member
    return list(first.values()), outcomes


class _Send:
    """What a group's step sends: the writes, each `(how, keys)`, and for a remove what stays."""

    def __init__(self, writes: list[tuple[str, list[Key]]], gone: list[Key] | None = None,
                 remaining: list[Key] | None = None) -> None:
        self.writes = writes
        self.gone = gone or []
        self.remaining = remaining or []


def _to_send(group: Group, verbs: Any, members: Sequence[Member], present: list[Key] | None,
             cap: int) -> _Send:
    keys = list(dict.fromkeys(verbs.key(m.payload) for m in members))
    if group.mode == REMOVE:
        held = present or []
        gone = [key for key in held if any(verbs.removes(m.payload, key) for m in members)]
        remaining = [key for key in held if key not in gone]
        return _Send([(REMOVE, gone)] if gone else [], gone, remaining)
    if group.mode == APPEND:
        keys = [key for key in keys if key not in set(present or ())]
        if not keys:
            return _Send([])
    chunks = [keys[i:i + cap] for i in range(0, len(keys), cap)] or [[]]
    return _Send([(REPLACE if group.mode == REPLACE and n == 0 else APPEND, chunk) for n, chunk in enumerate(chunks)])


def assigned_requests(group: Group, cap: int) -> int:
    """The requests a group's step sends: a read of the list first where an append or a remove needs
    what it holds and the live diff did not read it, the writes, and the read that checks them."""
    verbs = _VERBS_SHAPE[group.kind]
    members = group.members  # a name not looked up yet (plan --offline) counts as the ID it will be
    present = _present(group, verbs)
    reads_first = int(present is None and group.mode in (APPEND, REMOVE))
    if present is None and group.mode == REMOVE:
        return reads_first + 1 + verbs.reads(len(members))
    send = _to_send(group, verbs, members, present, cap)
    if not send.writes:
        return reads_first
    after = len(send.remaining) if group.mode == REMOVE else len(members) + len(present or ())
    return reads_first + len(send.writes) + verbs.reads(after)


async def run_assigned(group: Group, campaign_id: int, ctx: Context) -> dict[RowKey, RowOutcome]:
    """A campaign's audiences or contextual targeting, as the group's mode says."""
    verbs = ctx.verbs[group.kind]
    members, outcomes = unique_members(group, verbs.key, verbs.sendable)
    if not members:
        return outcomes
    present = _present(group, verbs)
    if present is None and group.mode in (APPEND, REMOVE):
        present, reads = await verbs.held(campaign_id)
        ctx.tick(reads)
    send = _to_send(group, verbs, members, present, ctx.item_cap)
    if group.mode == REMOVE:  # a row whose item the campaign does not hold has nothing to take off
        absent = [m for m in members if not _still_held(verbs, m, present or [])]
        outcomes |= {m.row: RowOutcome(Status.UNCHANGED, "was not on the campaign") for m in absent}
        members = [m for m in members if m not in absent]
    elif group.mode == APPEND:
        there = [m for m in members if verbs.key(m.payload) in set(present or ())]
        outcomes |= {m.row: RowOutcome(Status.UNCHANGED, "already on the campaign") for m in there}
        members = [m for m in members if m not in there]
    if not send.writes:
        return outcomes
    digest = group_fingerprint(group)
    total = len(send.writes)
    earlier: list[str] = []  # the runs that sent requests of this list before
    for number, (how, keys) in enumerate(send.writes, start=1):
        where = f"request {number} of {total} ({group.mode})" if total > 1 else group.mode
        key = f"{group.journal_key(campaign_id)}:{digest}:{number}/{total}"
        entry = ctx.journal.get(key)
        # Unless the live diff found the campaign's list other than this since (it changed after).
        if entry is not None and entry.state == DONE and not group.compared:
            earlier.append(run_named(entry, ctx.journal))
            continue
        if ctx.stopping:  # Ctrl-C: the next run goes on at this request
            return outcomes | {m.row: RowOutcome(Status.NOT_RUN, f"not sent: {ctx.control.reason}") for m in members}
        failure = await _send_once(ctx, key, group.kind, digest, entry, verbs, campaign_id, how, keys, send)
        if failure is not None:
            return outcomes | {m.row: RowOutcome(Status.FAILED, f"{where}: {failure.message}") for m in members}
    done = Status.DELETED if group.mode == REMOVE else Status.CREATED
    message = group.mode + (f", sent by {', '.join(dict.fromkeys(earlier))}" if earlier else "")
    outcomes |= {m.row: RowOutcome(done, message) for m in members}
    held, reads = await verbs.held(campaign_id)  # 7.2-7.4 and 9.2-9.3 answer only a message
    ctx.tick(reads)
    wrong = [m for m in members if (_still_held(verbs, m, held) if group.mode == REMOVE else
                                    verbs.key(m.payload) not in set(held))]
    for member in wrong:
        note = "the platform still holds it after the remove" if group.mode == REMOVE else NOT_HELD
        outcomes[member.row] = RowOutcome(Status.FAILED, note)
    return outcomes


def _still_held(verbs: Any, member: Member, held: Sequence[Key]) -> bool:
    return any(verbs.removes(member.payload, key) for key in held)


async def _send_once(ctx: Context, key: str, kind: str, digest: str, entry: Entry | None, verbs: Any,
                     campaign_id: int, how: str, keys: list[Key], send: _Send) -> PlatformError | None:
    """One write, journaled before it is sent and after it is answered. An append whose answer was
    lost (this run or an earlier one) reads the list and sends only what did not arrive."""
    pending = list(keys)

    async def drop_arrived() -> None:
        held, reads = await verbs.held(campaign_id)
        ctx.tick(reads)
        pending[:] = [k for k in pending if k not in set(held)]

    async def write() -> None:
        if how == REMOVE:
            await verbs.remove(campaign_id, send.gone, send.remaining)
        elif how == REPLACE:
            await verbs.replace(campaign_id, keys)
        elif pending:
            await verbs.append(campaign_id, pending)

    if entry is not None and entry.state == INTENT and how == APPEND:
        await drop_arrived()
    _record(ctx, key, kind, INTENT, digest)
    failure = await _sent(write, tries=ctx.retry.second_tries, before_again=drop_arrived if how == APPEND else None)
    if failure is not None:
        if not ambiguous(failure):
            _record(ctx, key, kind, FAILED, digest, failure.message)
        return failure
    _record(ctx, key, kind, DONE, digest, result_id=campaign_id)
    ctx.tick(1)
    return None


async def _sent(send: Callable[[], Awaitable[None]], *, tries: int,
                before_again: Callable[[], Awaitable[None]] | None) -> PlatformError | None:
    """Run `send`; after a failure that may have landed, again (after `before_again`), at most
    `tries` times more. Replaces and removes leave the same list however often they land."""
    for attempt in range(tries + 1):
        try:
            await send()
            return None
        except PlatformError as exc:
            if not ambiguous(exc) or attempt == tries:
                return exc
            if before_again is not None:
                await before_again()
    return None


def _record(ctx: Context, key: str, kind: str, state: str, digest: str, message: str | None = None,
            result_id: int | None = None) -> None:
    ctx.journal.record(key, kind=kind, action="list", state=state, fingerprint=digest, result_id=result_id,
                       message=message)

