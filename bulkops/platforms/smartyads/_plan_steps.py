"""A SmartyAds plan's operations and groups as steps of the dependency graph, each journaled.

Journal keys name what a step is about (see _keys: what a row sends, the parent of a list by its
platform ID, the chunk's position and the list's digest), so a later run of the same job, from any
file and with any results path, skips what is done and goes on at the next chunk; a changed list has
another digest and is sent again from its first request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops.engine import (
    DONE,
    FAILED,
    INTENT,
    NOT_HELD,
    THIS_RUN,
    Adapter,
    Context,
    Entry,
    Step,
    StepFailed,
    ambiguous,
    describe,
    journal_message,
    not_kept_text,
    run_named,
    run_one,
)
from bulkops.kinds import APPEND, REMOVE, REPLACE, Kind, fingerprint
from bulkops.planner import (
    SUCCESS,
    UNCHANGED_NOTE,
    Group,
    Member,
    Operation,
    Plan,
    RowKey,
    RowOutcome,
    Status,
    file_refs,
    group_fingerprint,
    media_key,
)
from bulkops.platforms.smartyads._audience_steps import ASSIGNED_KINDS, assigned_requests, run_assigned, unique_members
from bulkops.platforms.smartyads._export import deal_row
from bulkops.platforms.smartyads._settings_steps import settings_steps, without_settings
from bulkops.platforms.smartyads._steps import UNSHOWN_BY_CREATE, pages, sends_unshown, target_key
from bulkops.platforms.smartyads.kinds import DEALS, KINDS
from bulkops.validation import Parent


def smartyads_steps(plan: Plan) -> list[Step]:
    steps: list[Step] = []
    media_step: dict[str, str] = {}
    for number, batch in enumerate(_media_batches(plan)):
        step = _media_step(number, batch)
        steps.append(step)
        media_step.update({path: step.key for path, _ in batch})
    entity_step: dict[str, str] = {}  # "row:S:R" → step key
    # A filter list's items travel in its own create/PUT: a second request would race with it.
    # When one list has rows in two modes, the replace travels (it is last here, so it wins).
    items_of = {g.parent.key: g for g in sorted((g for g in plan.groups if g.kind == "filter-list-items"),
                                                key=lambda g: g.mode == REPLACE)}
    travelled: dict[int, str] = {}  # id(group) → the step of the list that carried its items
    for op in plan.operations:
        items = None
        if op.kind.name == "filter-lists" and op.action != "delete":
            items = items_of.pop(op.row_ref, None) or items_of.pop(f"id:{op.target_id}", None)
        needs = tuple(dict.fromkeys(media_step[ref.path] for ref in file_refs(op.payload)))
        step = _entity_step(without_settings(op), needs, items, plan.item_cap)
        if items is not None:
            travelled[id(items)] = step.key
        steps.append(step)
        entity_step[op.row_ref] = step.key
    checked = [op for op in plan.operations if op.action == "create" and sends_unshown(op.kind.name, op.payload)]
    if checked:
        steps.append(_unshown_step(checked))
    # One parent's lists of one kind in several modes (from several files) go one after another,
    # replace first: they read and write the same list, and a replace would wipe an append.
    previous: dict[tuple[str, str], str] = {}
    for group in sorted(plan.groups, key=lambda g: g.mode != REPLACE):
        place = (group.kind, group.parent.key)
        if id(group) in travelled:
            previous[place] = travelled[id(group)]
            continue
        after = (previous[place],) if place in previous else ()
        step = _group_step(group, entity_step, plan.item_cap, after=after)
        steps.append(step)
        previous[place] = step.key
    return _with_settings(steps, plan, entity_step)


def _with_settings(steps: list[Step], plan: Plan, entity_step: dict[str, str]) -> list[Step]:
    """The campaigns' settings after their campaigns (a rule named by name is its ID by then)."""
    return steps + settings_steps(plan.operations, entity_step)


# -- media --------------------------------------------------------------------------------------

def _media_batches(plan: Plan) -> list[list[tuple[str, str]]]:
    by_type: dict[str, list[tuple[str, str]]] = {}
    for path, media_type in plan.media.items():
        by_type.setdefault(media_type, []).append((path, media_type))
    size = max(1, plan.files_per_upload)
    return [files[i:i + size] for files in by_type.values() for i in range(0, len(files), size)]


def _media_step(number: int, batch: list[tuple[str, str]]) -> Step:
    media_type = batch[0][1]
    names = ", ".join(Path(p).name for p, _ in batch)

    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        todo: dict[str, str] = {}  # path → journal key (the file's digest: read once)
        for path, _ in batch:
            key = media_key(path)
            entry = ctx.journal.get(key)
            if entry and entry.state == DONE and entry.result_id is not None:
                ctx.media[path] = entry.result_id
            else:
                todo[path] = key
        if todo:
            # A lost answer costs an unused copy of a file in the media library, never a duplicate
            # ad: uploads are simply sent again.
            ids = await ctx.verbs["media"].upload(media_type, list(todo))
            for (path, key), media_id in zip(todo.items(), ids, strict=True):
                ctx.media[path] = media_id
                ctx.journal.record(key, kind="media", action="create", state=DONE, fingerprint=key,
                                   result_id=media_id)
            ctx.tick(1)
        return {}

    return Step(f"media:{number}", f"uploading {names}", _failing_as_reason(run), requests=1)


def _failing_as_reason(run):
    """A step with no rows of its own (uploads) reports failure through its dependants' reasons."""

    async def wrapped(ctx: Context) -> dict[RowKey, RowOutcome]:
        try:
            return await run(ctx)
        except PlatformError as exc:
            raise StepFailed(exc.message) from None

    return wrapped


# -- entities -----------------------------------------------------------------------------------

class _Resolved(Adapter):
    """The kind's adapter, with media files swapped for their IDs just before sending."""

    def __init__(self, adapter: Any, ctx: Context) -> None:
        self._adapter = adapter
        self._ctx = ctx

    async def create(self, payload: dict) -> Any:
        return await self._adapter.create(_swap_files(payload, self._ctx.media))

    async def update(self, object_id: int, payload: dict) -> Any:
        return await self._adapter.update(object_id, _swap_files(payload, self._ctx.media))

    async def delete(self, object_id: int) -> None:
        await self._adapter.delete(object_id)

    async def find(self, natural_key: str, newer_than: float = 0.0) -> list[int]:
        return await self._adapter.find(natural_key, newer_than)

    def highest_listed(self) -> int:
        return self._adapter.highest_listed()


def _swap_files(payload: Any, media: dict[str, int]) -> Any:
    if isinstance(payload, dict):
        return {k: _swap_files(v, media) for k, v in payload.items()}
    path = getattr(payload, "path", None)
    if path is not None and getattr(payload, "media_type", None):
        return media[path]
    return payload


def _entity_step(op: Operation, needs: tuple[str, ...], items: Group | None, cap: int) -> Step:
    rows = (op.row_key, *(m.row for m in items.members)) if items else (op.row_key,)
    if items is not None:
        unique = list(dict.fromkeys(m.payload["item"] for m in items.members))
        op = _with_items(op, unique, items.mode)
    appends = items is not None and items.mode == APPEND and op.action == "update" and op.target_id is not None

    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        if op.action == "update" and op.unchanged:
            outcome = RowOutcome(Status.UNCHANGED, UNCHANGED_NOTE, op.target_id)
        elif op.action == "update" and not op.payload:
            outcome = RowOutcome(Status.UNCHANGED, f"nothing {op.kind.sheet} lets bulkops change here", op.target_id)
        else:
            current_op, read = op, 0
            if appends:
                existing = _live_items(items)
                if existing is None:  # the live diff did not read the list
                    existing, read = await ctx.verbs["filter-lists"].items(op.target_id), 1
                merged = list(dict.fromkeys([*existing, *op.payload["items"]]))
                current_op = _with_items(op, merged, APPEND)
            outcome = await run_one(current_op, _Resolved(ctx.verbs[op.kind.name], ctx), ctx.journal,
                                     retry=ctx.retry)
            ctx.tick(1 + read + _list_requests(current_op, cap))
        if outcome.id is not None and (outcome.status is not Status.FAILED or outcome.written):
            ctx.ids[op.row_ref] = outcome.id
        result = {op.row_key: outcome}
        if items is not None:
            # Items travel with their list: they share its outcome, except that a list whose answer
            # showed a field not kept did take its items (the read below says which it holds).
            status = outcome.status if outcome.status is not Status.DELETED else Status.SKIPPED
            if outcome.written:
                status = Status.CREATED if op.action == "create" else Status.UPDATED
            for member in items.members:
                result[member.row] = RowOutcome(status, _item_message(replace(outcome, status=status), op))
            if _wrote(outcome) and outcome.id is not None:
                # The answer counts the items (listCount) but does not show them: one read of the list.
                held = set(await ctx.verbs["filter-lists"].items(outcome.id))
                ctx.tick(1)
                _fail_unheld(result, [m for m in items.members if str(m.payload["item"]) not in held])
        return result

    def ok(result: dict[RowKey, RowOutcome]) -> bool:
        # An object that exists although a field was not kept is still there for its lists.
        own = result.get(op.row_key)
        return own is not None and (own.status in SUCCESS or own.written)

    sends = not (op.action == "update" and (op.unchanged or (not op.payload and items is None)))
    requests = 0
    if sends:
        planned = op
        if appends:  # the list as it will be sent: what the platform holds, and the job's items
            live = _live_items(items)
            requests += live is None  # the list read first, where the live diff did not
            planned = _with_items(op, list(dict.fromkeys([*(live or []), *op.payload["items"]])), APPEND)
        requests += 1 + _list_requests(planned, cap) + (items is not None and op.action != "delete")
    return Step(op.step_key, op.label or op.step_key, run, rows=rows, needs=needs, requests=requests, ok_when=ok)


def _live_items(items: Group) -> list[str] | None:
    """A filter list's items as the live diff read them (None: it did not)."""
    return None if items.live is None else [str(row["item"]) for row in items.live]


def _list_requests(op: Operation, cap: int) -> int:
    """Requests a filter list's create or PUT takes besides itself: its items stored as a file first
    when one request cannot carry them (17.4, `parsefile`), or, for a PUT without them, a read of the
    items it must re-send (the PUT replaces the whole list)."""
    if op.kind.name != "filter-lists" or op.action == "delete":
        return 0
    if "items" not in op.payload:
        return int(op.action == "update")
    return int(len(op.payload["items"]) > cap)


def _wrote(outcome: RowOutcome) -> bool:
    """Whether the write a row asked for happened (this run or an earlier one), so it can be checked."""
    return outcome.status in (Status.CREATED, Status.UPDATED) or outcome.written


def _fail_unheld(result: dict[RowKey, RowOutcome], members: Sequence[Member], where: str = "") -> None:
    """Each of these item rows fails: sent, but not in the list the platform holds after the write."""
    for member in members:
        before = result.get(member.row)
        context = f"{where}: " if where else (f"{before.message}; " if before and before.message else "")
        result[member.row] = RowOutcome(Status.FAILED, f"{context}{NOT_HELD}")


def _with_items(op: Operation, items: list[str], mode: str) -> Operation:
    payload = {**op.payload, "items": items}
    return replace(op, payload=payload, fingerprint=fingerprint({**payload, "mode": mode}))


def _item_message(outcome: RowOutcome, op: Operation) -> str:
    if outcome.status is Status.FAILED:
        return f"the list ({op.label}) failed: {outcome.message}"
    return f"in list {op.label}" + (f" (ID {outcome.id})" if outcome.id else "")


# -- fields a create's answer does not show -----------------------------------------------------

def _unshown_step(ops: Sequence[Operation]) -> Step:
    """After the creates that sent a field their answer is documented not to show (`UNSHOWN_BY_CREATE`:
    a campaign's IAB categories), one read of the kind's list, a page for up to LIST_PAGE_SIZE of
    them; each such field the platform did not keep fails its row, as a field the answer shows would."""
    kind_name = ops[0].kind.name

    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        # The creates this run made (an earlier run's were checked by that run, and its journal says so).
        made = {ctx.ids[op.row_ref]: op for op in ops if op.row_ref in ctx.ids and ctx.journal.recorded_now(op.key)}
        if not made:
            return {}
        verbs = ctx.verbs[kind_name]
        try:
            listed, reads = await verbs.listed(made)
        except PlatformError as exc:
            ctx.tick(pages(len(made)))
            why = f"could not be read back to check {_columns(ops)}: {exc.message}"
            return {op.row_key: RowOutcome(Status.CREATED, why, object_id) for object_id, op in made.items()}
        ctx.tick(reads)
        outcomes = {}
        for object_id, op in made.items():
            found = listed.get(object_id)
            if found is None:
                outcomes[op.row_key] = RowOutcome(Status.CREATED, f"could not be read back to check {_columns(ops)}: "
                                                  f"the list does not show {op.kind.sheet[:-1].lower()} {object_id}",
                                                  object_id)
                continue
            misses = verbs.kept_unshown(op.payload, found)
            if misses:
                message = describe(misses, op.column)
                _journal_not_kept(ctx, op, object_id, message)
                outcomes[op.row_key] = RowOutcome(Status.FAILED, message, object_id, written=True)
        return outcomes

    what = f"the read-back of the {ops[0].kind.sheet.lower()} created"
    return Step(f"check-unshown:{kind_name}", what, run, wants=tuple(op.step_key for op in ops),
                requests=pages(len(ops)))


def _columns(ops: Sequence[Operation]) -> str:
    op = ops[0]
    return ", ".join(dict.fromkeys(op.column(name) for name in UNSHOWN_BY_CREATE[op.kind.name]))


def _journal_not_kept(ctx: Context, op: Operation, object_id: int, message: str) -> None:
    """The create's journal record says what was not kept, as when its answer showed it: a later run of
    the job reports it again rather than taking the create for done as sent."""
    entry = ctx.journal.get(op.key)
    earlier = not_kept_text(entry.message) if entry is not None else None
    text = "; ".join(m for m in (earlier, message) if m)
    run = THIS_RUN if entry is None or ctx.journal.recorded_now(op.key) else entry.run
    ctx.journal.record(op.key, kind=op.kind.name, action=op.action, state=DONE, fingerprint=op.fingerprint,
                       natural_key=op.natural_key, result_id=object_id, message=journal_message(text), ref=op.ref,
                       found=entry.found if entry is not None else False, run=run)


# -- lists and assignments ----------------------------------------------------------------------

def _group_step(group: Group, entity_step: dict[str, str], cap: int, after: tuple[str, ...] = ()) -> Step:
    needs = (entity_step[group.parent.key],) if group.parent.row and group.parent.key in entity_step else ()
    needs += after
    wants = tuple(dict.fromkeys(entity_step[m.target.key] for m in group.members
                                if m.target and m.target.row and m.target.key in entity_step))
    rows = tuple(m.row for m in group.members)
    runner = {"deals": _run_deals, "filter-list-items": _run_items,
              **dict.fromkeys(ASSIGNED_KINDS, run_assigned)}.get(group.kind)
    if group.kind.startswith("assign-"):
        runner = _run_assignment
    elif runner is None:
        runner = _run_target_list

    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        parent_id = _id_of(group.parent, ctx)
        if parent_id is None:  # the parent step succeeded but gave no ID: cannot happen, say so
            return {r: RowOutcome(Status.SKIPPED, "not sent: its parent has no ID") for r in rows}
        return await runner(group, parent_id, ctx)

    what = f"{group.kind} of {group.parent.kind[:-1]} {group.parent.key}"
    return Step(group.key, what, run, rows=rows, needs=needs, wants=wants, requests=group_requests(group, cap))


def group_requests(group: Group, cap: int) -> int:
    """The requests a list's step sends: a read of the list first where an append or a remove needs
    what it holds and the live diff did not read it, the writes (chunks of `cap`; a filter list's
    items in one PUT, stored as a file first past `cap`), and the reads that check them afterwards
    (the list with its GET route's pages; one answer for deals and a filter list's items)."""
    reads_first = int(group.live is None and group.parent.id is not None and
                      (group.mode == REMOVE or (group.mode == APPEND and group.kind != "assign-creatives")))
    if group.kind.startswith("assign-") and group.mode == REMOVE:
        return _unassignment_requests(group, cap)
    if group.kind.startswith("assign-"):
        chunks = max(1, -(-len(group.members) // cap))
        return reads_first + chunks + pages(len(group.members) + (len(group.live or ()) if group.mode == APPEND else 0))
    if group.kind == "deals":
        return reads_first + _deal_requests(group, cap)
    if group.kind in ASSIGNED_KINDS:
        return assigned_requests(group, cap)
    if group.kind == "filter-list-items":
        items = list(dict.fromkeys(str(m.payload["item"]) for m in group.members))
        if group.mode == APPEND and group.live is not None:
            held = [str(row["item"]) for row in group.live]
            if set(items) <= set(held):
                return 0
            items = list(dict.fromkeys([*held, *items]))
        return reads_first + 1 + int(len(items) > cap) + 1
    kind = _kind(group.kind)
    unique = list(dict.fromkeys(target_key(group.kind, m.payload) for m in group.members))
    held = _present_keys(group, kind)
    if group.mode == APPEND and held is not None:
        unique = [key for key in unique if key not in held]
        if not unique:
            return 0
    chunks = max(1, -(-len(unique) // cap))
    return reads_first + chunks + pages(len(unique) + (len(group.live or ()) if group.mode == APPEND else 0))


def _deal_requests(group: Group, cap: int) -> int:
    deals = {m.payload["dealId"]: m.payload for m in group.members}
    if group.live is None:  # a campaign this job creates has none to remove
        return int(group.parent.id is not None) if group.mode == REMOVE else int(len(deals) <= cap) * 2
    current = {row["dealId"]: DEALS.payload(row) for row in group.live}
    if group.mode == REMOVE:
        return int(any(deal in current for deal in deals))
    if group.mode == APPEND:
        if all(current.get(k) == v for k, v in deals.items()):
            return 0
        deals = current | deals
    return int(len(deals) <= cap) * 2  # the replace and the read of deals-all that checks it


def _present_keys(group: Group, kind: Any) -> set[tuple] | None:
    """The identity keys of the items a campaign's list holds, where that is known without a request:
    as the live diff read it, or nothing for a campaign this job creates. None: unknown."""
    if group.live is not None:
        return {target_key(group.kind, kind.payload(row)) for row in group.live}
    return set() if group.parent.id is None else None


def _id_of(parent: Parent, ctx: Context) -> int | None:
    return parent.id if parent.id is not None else ctx.ids.get(parent.key)


def _chunks(items: Sequence[Member], cap: int) -> list[list[Member]]:
    return [list(items[i:i + cap]) for i in range(0, len(items), cap)] or [[]]


async def _run_target_list(group: Group, campaign_id: int, ctx: Context) -> dict[RowKey, RowOutcome]:
    verbs = ctx.verbs[group.kind]
    members, outcomes = unique_members(group, verbs.key)
    if group.mode == APPEND:
        present = _present_keys(group, _kind(group.kind))
        if present is None:  # the live diff did not read the list
            present = await verbs.current(campaign_id)
            ctx.tick(1)
        for member in [m for m in members if verbs.key(m.payload) in present]:
            outcomes[member.row] = RowOutcome(Status.UNCHANGED, "already targeted")
        members = [m for m in members if verbs.key(m.payload) not in present]
        if not members:
            return outcomes
    chunks = _chunks(members, ctx.item_cap)
    digest = group_fingerprint(group)
    keys = [f"{group.journal_key(campaign_id)}:{digest}:{n}/{len(chunks)}" for n in range(1, len(chunks) + 1)]
    entries = [ctx.journal.get(key) for key in keys]
    if group.compared and all(e is not None and e.state == DONE for e in entries):
        # An earlier run sent all of it, yet the platform's list differs now (the live diff read it):
        # it changed since, so the list is sent again whole.
        entries = [None] * len(entries)
    for number, (chunk, key, entry) in enumerate(zip(chunks, keys, entries, strict=True), start=1):
        how = REPLACE if group.mode == REPLACE and number == 1 else APPEND
        where = f"request {number} of {len(chunks)} ({group.mode})"
        if entry is not None and entry.state == DONE:
            outcomes.update({m.row: RowOutcome(Status.CREATED, f"{where}, sent by {_sent_by(entry, ctx)}")
                             for m in chunk})
            continue
        if ctx.stopping:  # Ctrl-C: the next run goes on at this chunk
            for later in chunks[number - 1:]:
                outcomes.update({m.row: RowOutcome(Status.NOT_RUN, f"not sent: {ctx.control.reason}") for m in later})
            return outcomes
        to_send = chunk
        if entry is not None and entry.state == INTENT and how == APPEND:
            # An earlier run sent this chunk and lost the answer: send only what did not arrive.
            present = await verbs.current(campaign_id)
            to_send = [m for m in chunk if verbs.key(m.payload) not in present]
        _record(ctx, key, group.kind, INTENT, digest)
        failure = await _send_chunk(verbs, campaign_id, to_send, how, ctx.retry.second_tries)
        if failure is not None:
            if not ambiguous(failure):
                _record(ctx, key, group.kind, FAILED, digest, failure.message)
            outcomes.update({m.row: RowOutcome(Status.FAILED, f"{where}: {failure.message}") for m in chunk})
            for later in chunks[number:]:
                outcomes.update({m.row: RowOutcome(Status.NOT_RUN, f"not sent: {where} failed") for m in later})
            return outcomes
        _record(ctx, key, group.kind, DONE, digest, result_id=campaign_id)
        ctx.tick(1)
        outcomes.update({m.row: RowOutcome(Status.CREATED, where) for m in chunk})
    await _check_items(group, verbs, campaign_id, ctx, outcomes)
    return outcomes


async def _check_items(group: Group, verbs: Any, parent_id: int, ctx: Context,
                       outcomes: dict[RowKey, RowOutcome], where: str = "") -> None:
    """After a list's last write (5.2, 6.2, 8.3 answer only a message): read it back, every page,
    and fail each item row the platform does not hold."""
    held, reads = await verbs.held(parent_id)
    ctx.tick(reads)
    _fail_unheld(outcomes, [m for m in group.members if verbs.sent_key(m.payload) not in held], where)


async def _send_chunk(verbs: Any, campaign_id: int, members: list[Member], how: str,
                      tries: int) -> PlatformError | None:
    """Send one chunk; after a failure that may have landed, an append first reads the list and
    sends only what is missing (a replace is the same request twice). The failure that stopped it,
    or None."""
    pending = list(members)

    async def send() -> None:
        if pending:
            await verbs.send(campaign_id, [m.payload for m in pending], how)

    async def drop_arrived() -> None:
        present = await verbs.current(campaign_id)
        pending[:] = [m for m in pending if verbs.key(m.payload) not in present]

    return await _sent(send, tries=tries, before_again=drop_arrived if how == APPEND else None)


async def _sent(send: Callable[[], Awaitable[None]], *, tries: int, replayable: bool = True,
                before_again: Callable[[], Awaitable[None]] | None = None) -> PlatformError | None:
    """Run `send`; after a failure that may or may not have landed, run it again (after
    `before_again`), `tries` times at most (the run's `second_tries`), unless it is not
    `replayable`. The failure that stopped it, or None."""
    for attempt in range(tries + 1):
        try:
            await send()
            return None
        except PlatformError as exc:
            if not ambiguous(exc) or not replayable or attempt == tries:
                return exc
            if before_again is not None:
                await before_again()
    return None


def _kind(name: str) -> Kind:
    return next(kind for kind in KINDS if kind.name == name)


def _record(ctx: Context, key: str, kind: str, state: str, digest: str, message: str | None = None,
            result_id: int | None = None) -> None:
    ctx.journal.record(key, kind=kind, action="list", state=state, fingerprint=digest, result_id=result_id,
                       message=message)


def _sent_by(entry: Entry, ctx: Context) -> str:
    return run_named(entry, ctx.journal)


async def _once(group: Group, ctx: Context, digest: str, send, replayable: bool = True, *,
                parent_id: int) -> RowOutcome | None:
    """Run `send` unless an earlier run finished exactly this; journaled. None when it succeeded."""
    key = f"{group.journal_key(parent_id)}:{digest}"
    entry = ctx.journal.get(key)
    # Unless the live diff found the platform's list other than this since (it changed after).
    if entry is not None and entry.state == DONE and not group.compared:
        return RowOutcome(Status.UNCHANGED, f"sent by {_sent_by(entry, ctx)}")
    _record(ctx, key, group.kind, INTENT, digest)
    # `send` replaces a whole list (or adds ids a second add leaves as they are), so after a failure
    # that may have landed it is sent again as it is, unless it must not be.
    failure = await _sent(send, tries=ctx.retry.second_tries, replayable=replayable)
    if failure is not None:
        if not ambiguous(failure):
            _record(ctx, key, group.kind, FAILED, digest, failure.message)
        return RowOutcome(Status.FAILED, failure.message)
    _record(ctx, key, group.kind, DONE, digest)
    ctx.tick(1)
    return None


async def _run_deals(group: Group, campaign_id: int, ctx: Context) -> dict[RowKey, RowOutcome]:
    verbs = ctx.verbs["deals"]
    members, outcomes = unique_members(group, lambda p: (p["dealId"],))
    rows = [m.row for m in members]
    if group.mode == REMOVE:
        current = {row["dealId"]: row["record"] for row in await _deals_held(group, campaign_id, ctx)}
        gone = [m for m in members if m.payload["dealId"] in current]
        outcomes.update({m.row: RowOutcome(Status.UNCHANGED, "was not on the campaign") for m in members
                         if m not in gone})
        if gone:
            failed = await _once(group, ctx, group_fingerprint(group),
                                 lambda: verbs.delete(campaign_id, [current[m.payload["dealId"]] for m in gone]),
                                 replayable=False, parent_id=campaign_id)
            outcomes.update({m.row: failed or RowOutcome(Status.DELETED) for m in gone})
        return outcomes
    deals = {m.payload["dealId"]: m.payload for m in members}
    if group.mode == APPEND:
        current = {row["dealId"]: DEALS.payload(row) for row in await _deals_held(group, campaign_id, ctx)}
        if all(current.get(k) == v for k, v in deals.items()):
            return outcomes | {r: RowOutcome(Status.UNCHANGED, "already on the campaign") for r in rows}
        deals = current | deals
    if len(deals) > ctx.item_cap:
        message = (f"{len(deals)} deals for one campaign, but SmartyAds replaces a campaign's deals in one request "
                   f"of at most {ctx.item_cap}")
        return outcomes | {r: RowOutcome(Status.FAILED, message) for r in rows}
    failed = await _once(group, ctx, group_fingerprint(group, sorted(deals)),
                         lambda: verbs.replace(campaign_id, list(deals.values())), parent_id=campaign_id)
    outcomes |= {r: failed or RowOutcome(Status.CREATED, group.mode) for r in rows}
    if failed is None or failed.status is not Status.FAILED:
        await _check_items(group, verbs, campaign_id, ctx, outcomes)
    return outcomes


async def _deals_held(group: Group, campaign_id: int, ctx: Context) -> list[dict[str, Any]]:
    """The campaign's deals as rows (`dealId`, `bidPrice`, the deal record's ID as `record`): as the
    live diff read them, none for a campaign this job creates, else read (8.2)."""
    if group.live is not None:
        return group.live
    if group.parent.id is None:
        return []
    found = await ctx.verbs["deals"].current(campaign_id)
    ctx.tick(1)
    return [{**deal_row(d), "record": d.id} for d in found]


async def _run_items(group: Group, list_id: int, ctx: Context) -> dict[RowKey, RowOutcome]:
    """Items of a filter list that is not a row of this job (named by ID)."""
    verbs = ctx.verbs["filter-lists"]
    members, outcomes = unique_members(group, lambda p: (p["item"],))
    items = [m.payload["item"] for m in members]
    if group.mode == APPEND:
        existing = _live_items(group)
        if existing is None:  # the live diff did not read the list
            existing = await verbs.items(list_id)
            ctx.tick(1)
        if set(items) <= set(existing):
            return outcomes | {m.row: RowOutcome(Status.UNCHANGED, "already in the list") for m in members}
        items = list(dict.fromkeys([*existing, *items]))
    failed = await _once(group, ctx, group_fingerprint(group, items), lambda: verbs.replace_items(list_id, items),
                         parent_id=list_id)
    if failed is None and len(items) > ctx.item_cap:
        ctx.tick(1)  # the items went as a stored file first (17.4)
    outcomes |= {m.row: failed or RowOutcome(Status.CREATED, f"in list {list_id} ({group.mode})") for m in members}
    if failed is None or failed.status is not Status.FAILED:
        held = set(await verbs.items(list_id))  # 20.4.4 counts the items but does not show them
        ctx.tick(1)
        _fail_unheld(outcomes, [m for m in group.members if str(m.payload["item"]) not in held])
    return outcomes


async def _run_assignment(group: Group, campaign_id: int, ctx: Context) -> dict[RowKey, RowOutcome]:
    if group.mode == REMOVE:
        return await _run_unassignment(group, campaign_id, ctx)
    verbs = ctx.verbs[group.kind]
    resolved = [(m, _id_of(m.target, ctx)) for m in group.members if m.target]
    ids = sorted({i for _, i in resolved if i is not None})
    sendable = [m for m, i in resolved if i is not None]
    if not ids:
        return {}
    noun = "creative" if group.kind == "assign-creatives" else "filter list"
    chunks = [ids[i:i + ctx.item_cap] for i in range(0, len(ids), ctx.item_cap)]
    # What the campaign holds, for a filter-list append (no append route: the union is sent): as the
    # live diff read it, none for a campaign this job creates, else read once.
    present: set[int] = set(group.live or ())
    if group.kind == "assign-filter-lists" and group.mode == APPEND and group.live is None and group.parent.id:
        present = await verbs.current(campaign_id)
        ctx.tick(1)
    sent = False
    for number, chunk in enumerate(chunks, start=1):
        if ctx.stopping and number > 1:  # Ctrl-C: the next run sends the rest
            return {m.row: RowOutcome(Status.NOT_RUN, f"not sent: {ctx.control.reason}") for m in sendable}
        how = REPLACE if group.mode == REPLACE and number == 1 else APPEND
        sub = Group(group.kind, group.parent, f"{group.mode}:{number}/{len(chunks)}", compared=group.compared)
        # An append of creatives is not promised to be a set: after a lost answer it waits for the next run.
        replayable = how == REPLACE or group.kind != "assign-creatives"
        held = (present if group.mode == APPEND else set()) | set(ids[:(number - 1) * ctx.item_cap])
        answer = await _once(sub, ctx, group_fingerprint(group, ids), lambda c=chunk, h=how, p=held: verbs.send(
            campaign_id, c, h, p), replayable=replayable, parent_id=campaign_id)
        if answer is not None and answer.status is Status.FAILED:
            message = f"assigning the {noun} to campaign {campaign_id} failed: {answer.message}"
            return {m.row: RowOutcome(Status.FAILED, message) for m in sendable}
        sent = sent or answer is None
    outcomes = {m.row: RowOutcome(Status.UPDATED, f"assigned to campaign {campaign_id}") if sent else
                RowOutcome(Status.UNCHANGED, "") for m in sendable}
    held, reads = await verbs.held(campaign_id)  # 19.2 and 21.2 answer only a message
    ctx.tick(reads)
    _fail_unheld(outcomes, [m for m, i in resolved if i is not None and i not in held],
                 f"assigning the {noun} to campaign {campaign_id}")
    return outcomes


async def _run_unassignment(group: Group, campaign_id: int, ctx: Context) -> dict[RowKey, RowOutcome]:
    """`Mode` remove on the Creatives or Filter Lists sheet: the campaign's assignments of the rows'
    creatives (filter lists) taken off with the DELETE route (19.4, 21.3), only those it holds (as the
    live diff read them, else read once), chunks of the item cap; then a read-back."""
    verbs = ctx.verbs[group.kind]
    noun = "creative" if group.kind == "assign-creatives" else "filter list"
    resolved = [(m, _id_of(m.target, ctx)) for m in group.members if m.target]
    present = set(group.live) if group.live is not None else None if group.parent.id is not None else set()
    if present is None:
        present = await verbs.current(campaign_id)
        ctx.tick(1)
    outcomes = {m.row: RowOutcome(Status.UNCHANGED, f"was not assigned to campaign {campaign_id}")
                for m, i in resolved if i not in present}
    gone = sorted({i for _, i in resolved if i in present})
    if not gone:
        return outcomes
    chunks = [gone[i:i + ctx.item_cap] for i in range(0, len(gone), ctx.item_cap)]
    for number, chunk in enumerate(chunks, start=1):
        sub = Group(group.kind, group.parent, f"{REMOVE}:{number}/{len(chunks)}", compared=group.compared)
        answer = await _once(sub, ctx, group_fingerprint(group, gone), lambda c=chunk: verbs.remove(campaign_id, c),
                             parent_id=campaign_id)
        if answer is not None and answer.status is Status.FAILED:
            message = f"removing the {noun} from campaign {campaign_id} failed: {answer.message}"
            return outcomes | {m.row: RowOutcome(Status.FAILED, message) for m, i in resolved if i in gone}
    outcomes |= {m.row: RowOutcome(Status.UPDATED, f"removed from campaign {campaign_id}")
                 for m, i in resolved if i in gone}
    held, reads = await verbs.held(campaign_id)  # 19.4 and 21.3 answer only a message
    ctx.tick(reads)
    for member, object_id in resolved:
        if object_id in gone and object_id in held:
            outcomes[member.row] = RowOutcome(Status.FAILED, f"removing the {noun} from campaign {campaign_id}: sent, "
                                              "but the platform still holds it")
    return outcomes


def _unassignment_requests(group: Group, cap: int) -> int:
    """A remove's requests: the read of what the campaign holds (unless the live diff read it), a DELETE
    per chunk of the assignments it holds, and the read-back."""
    wanted = {m.target.id if m.target else None for m in group.members}
    if group.live is None and group.parent.id is None:
        return 0  # a campaign this job creates has nothing to take off
    if group.live is None:
        return 1 + max(1, -(-len(wanted) // cap)) + 1
    present = wanted & set(group.live)
    if not present:
        return 0
    return -(-len(present) // cap) + pages(len(set(group.live) - present))
