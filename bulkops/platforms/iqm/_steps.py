"""An IQM job as steps of the dependency graph: upload creatives → wait for their review → create
each campaign with its targeting folded in (its answer carries the campaign's status), or update an
existing one → send the updates that several campaigns share → read back what was written.

- A campaign is created whole, in one request, or not at all: if one of its creatives was rejected or
  is still in review, or one of its targeting rows is invalid, it is skipped with that reason, since
  IQM has no route to add ZIPs, circles or filter items to a campaign later.
- A campaign with an ID (a Campaigns row, or the campaign targeting and creative rows name) is read,
  compared, and changed through the campaign guide's routes: `_iqm_updates`.
- What IQM answers, or a read-back batched per page, is compared with what was sent: `_iqm_verify`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from bulkops._exceptions import PlatformError
from bulkops.engine import (
    DONE,
    FAILED,
    INTENT,
    Context,
    Finder,
    Step,
    ambiguous,
    name_locks,
    reconcile,
    record,
    record_intent,
    run_one,
    settled_earlier,
)
from bulkops.planner import Group, Operation, Plan, RowKey, RowOutcome, Status
from bulkops.platforms.iqm._rows import (
    APPROVAL,
    TARGETING_KINDS,
    column_in,
    creatives_of,
    header_of,
    listed_ids,
    sheet_of,
)
from bulkops.platforms.iqm._updates import BATCHED, batch_step, update_step
from bulkops.platforms.iqm._verbs import Review, fold
from bulkops.platforms.iqm._verify import Written, creative_not_kept, verify_step
from bulkops.platforms.iqm.client import FILE_LIMITS

# A request carries at most this many bytes of files, whatever the file count: ten 400 MB videos
# would otherwise sit in memory at once. One file may be as large as IQM takes.
UPLOAD_BYTES = max(FILE_LIMITS.values())


class CampaignUnit(NamedTuple):
    """One campaign of the job and everything that goes with it: its row (None when only other sheets'
    rows name it by ID), the lists naming it, and the invalid or skipped row that spoils it, if any."""

    campaign_id: int | None  # None: a campaign the job creates
    op: Operation | None
    groups: list[Group]
    spoiled: tuple[str, int] | None


def campaign_units(plan: Plan) -> list[CampaignUnit]:
    """The job's campaigns, each with its row and the lists naming it: campaign rows first, in order,
    then the existing campaigns only other sheets' rows name."""
    units: list[CampaignUnit] = []
    campaign_keys: set[str] = set()
    for op in plan.operations:
        if op.kind.name != "campaigns":
            continue
        keys = {op.row_ref} | ({f"id:{op.target_id}"} if op.target_id else set())
        campaign_keys |= keys
        groups = [g for g in plan.groups if g.parent.key in keys]
        spoiled = next(((kind, row) for (kind, key), row in plan.tainted.items() if key in keys), None)
        units.append(CampaignUnit(op.target_id if op.action == "update" else None, op, groups, spoiled))
    for parent_key in dict.fromkeys(g.parent.key for g in plan.groups if g.parent.key not in campaign_keys):
        groups = [g for g in plan.groups if g.parent.key == parent_key]
        units.append(CampaignUnit(groups[0].parent.id, None, groups, None))
    return units


def campaigns_compared(plan: Plan) -> set[int]:
    """The existing campaigns whose steps read them to compare them with the job's rows (a spoiled
    campaign's step sends nothing, and reads nothing)."""
    return {u.campaign_id for u in campaign_units(plan) if u.campaign_id is not None and u.spoiled is None}


def iqm_steps(plan: Plan) -> list[Step]:
    creatives = [op for op in plan.operations if op.kind.name == "creatives"]
    uploads = [op for op in creatives if op.action == "create"]
    steps = [_upload_step(number, batch) for number, batch in enumerate(_batches(uploads, plan.files_per_upload))]
    known = [op for op in creatives if op.action != "create"]
    steps.append(_approval_step(plan, uploads, known, tuple(s.key for s in steps)))
    creates, updates = [], []
    for unit in campaign_units(plan):
        if unit.campaign_id is not None:
            updates.append(update_step(plan, unit.campaign_id, unit.op, unit.groups, unit.spoiled))
        else:
            assert unit.op is not None
            creates.append(_campaign_step(plan, unit.op, unit.groups, unit.spoiled))
    steps += creates + updates
    if updates:
        steps.append(batch_step(s.key for s in updates))
    # Campaign rows (created or updated) are read back; rows only naming a campaign change lists the
    # campaign list does not show.
    read_back = len(creates) + sum(1 for op in plan.operations if op.kind.name == "campaigns" and op.action == "update")
    if read_back:
        after = [s.key for s in creates] + ([BATCHED] if updates else [])
        steps.append(verify_step(after, read_back))
    return steps


# -- creatives ----------------------------------------------------------------------------------

def _batches(ops: Sequence[Operation], most: int) -> list[list[Operation]]:
    """Up to `most` creatives a request, and no more than UPLOAD_BYTES of files unless one is alone."""
    batches: list[list[Operation]] = []
    size = 0
    for op in ops:
        weight = Path(op.payload["file"]).stat().st_size if op.payload.get("file") else len(op.payload.get("tag", ""))
        if not batches or len(batches[-1]) >= max(1, most) or size + weight > UPLOAD_BYTES:
            batches.append([])
            size = 0
        batches[-1].append(op)
        size += weight
    return batches


def _upload_step(number: int, ops: Sequence[Operation]) -> Step:
    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        outcomes: dict[RowKey, RowOutcome] = {}
        todo = []
        for op in ops:
            earlier = settled_earlier(op, ctx.journal)
            if earlier is not None:
                if earlier.id is not None:  # a refused row has none
                    ctx.ids[op.row_ref] = earlier.id
                outcomes[op.row_key] = earlier
            else:
                todo.append(op)
        # Another batch uploading a creative of the same name must not be mistaken for this one's
        # lost upload, nor this one for it: from lookup to answer, the names are this batch's.
        async with name_locks(ctx.journal, "creatives", [op.natural_key for op in todo if op.natural_key]):
            outcomes.update(await _look_then_upload(todo, ctx))
        return outcomes

    rows = tuple(op.row_key for op in ops)
    return Step(f"iqm:upload:{number}", f"uploading creatives (request {number + 1})", run, rows=rows)


async def _look_then_upload(todo: list[Operation], ctx: Context) -> dict[RowKey, RowOutcome]:
    """Creatives an earlier run uploaded without an answer are looked up first; the rest uploaded."""
    outcomes: dict[RowKey, RowOutcome] = {}
    pending = [op for op in todo if getattr(ctx.journal.get(op.key), "state", None) == INTENT]
    if pending:
        try:
            found, todo = await _looked_up(todo, pending, ctx)
        except PlatformError as exc:
            message = (f"an earlier run uploaded it and got no answer, and looking it up failed ({exc.message}); "
                       "push again later, or find it in IQM and put its ID in the row")
            outcomes = {op.row_key: RowOutcome(Status.UNKNOWN, message) for op in pending}
            found, todo = {}, [op for op in todo if op not in pending]  # never sent: nothing to look for
        outcomes.update(found)
    if todo:
        outcomes.update(await _upload(todo, ctx))
    return outcomes


class CreativeFinder(Finder):
    """The adapter `reconcile` needs, for IQM's creatives: a search of the creative list by name."""

    def __init__(self, verbs: Any) -> None:
        self._verbs = verbs

    async def find(self, natural_key: str, newer_than: float = 0.0) -> list[int]:
        return await self._verbs.find_creatives(natural_key)  # a fresh search each time: newer_than holds


def finders(adapters: Mapping[str, Any]) -> dict[str, Any]:
    """What `reconcile_pending` looks IQM's creates up with, by kind."""
    verbs = adapters["iqm"]
    return {"campaigns": verbs, "creatives": CreativeFinder(verbs)}


async def _looked_up(todo: Sequence[Operation], suspects: Sequence[Operation],
                     ctx: Context) -> tuple[dict[RowKey, RowOutcome], list[Operation]]:
    """Adopt each suspect upload found by name (newer than its watermark, claimed by no other row);
    the ones left still need uploading."""
    finder = CreativeFinder(ctx.verbs["iqm"])
    found: dict[RowKey, RowOutcome] = {}
    for op in suspects:
        outcome = await reconcile(op, finder, ctx.journal)
        if outcome is not None:
            found[op.row_key] = outcome
            if outcome.id is not None and outcome.status is Status.CREATED:
                ctx.ids[op.row_ref] = outcome.id
    return found, [op for op in todo if op.row_key not in found]


async def _upload(ops: Sequence[Operation], ctx: Context) -> dict[RowKey, RowOutcome]:
    """One upload request, sent again (for what a lookup does not find) after an answer that never
    came, a few times at most; `unknown` rows if nobody can tell."""
    finder = CreativeFinder(ctx.verbs["iqm"])
    for op in ops:
        record_intent(ctx.journal, op, finder)
    try:
        return await _upload_until_settled(list(ops), ctx)
    finally:
        ctx.tick(1)  # one request in the estimate, however many tries it took


async def _upload_until_settled(ops: list[Operation], ctx: Context) -> dict[RowKey, RowOutcome]:
    outcomes: dict[RowKey, RowOutcome] = {}
    tries = ctx.retry.second_tries
    for attempt in range(tries + 1):
        try:
            results = await ctx.verbs["iqm"].upload([op.payload for op in ops])
        except PlatformError as exc:
            if not ambiguous(exc):  # refused: safe to send again next run
                for op in ops:
                    record(ctx.journal, op, FAILED, None, exc.message)
                return outcomes | {op.row_key: RowOutcome(Status.FAILED, exc.message) for op in ops}
            found, ops = await _after_lost_upload(ops, ctx, exc, last=attempt == tries)
            outcomes.update(found)
            if not ops:
                return outcomes
            continue
        for op, result in zip(ops, results, strict=True):
            if result.id is None:  # IQM refused this one creative: nothing of it exists
                record(ctx.journal, op, FAILED, None, result.error)
                outcomes[op.row_key] = RowOutcome(Status.FAILED, result.error or "refused")
                continue
            record(ctx.journal, op, DONE, result.id)
            ctx.ids[op.row_ref] = result.id
            outcomes[op.row_key] = RowOutcome(Status.CREATED, "uploaded", result.id)
        return outcomes
    return outcomes


async def _after_lost_upload(ops: Sequence[Operation], ctx: Context, exc: PlatformError, *,
                             last: bool) -> tuple[dict[RowKey, RowOutcome], list[Operation]]:
    """After an upload's answer never came: adopt what a lookup finds; the rest is sent again or, on
    the last try or when the lookup fails, left `unknown` for the next run (which looks first)."""
    lost = f"{exc.message}; no answer came, so it may exist: push again later and bulkops looks it up first"
    try:
        found, left = await _looked_up(ops, ops, ctx)
    except PlatformError as looked:
        return {op.row_key: RowOutcome(Status.UNKNOWN, f"{lost} (looking it up failed: {looked.message})")
                for op in ops}, []
    if last:
        return found | {op.row_key: RowOutcome(Status.UNKNOWN, lost) for op in left}, []
    return found, left


def _approval_step(plan: Plan, uploads: Sequence[Operation], known: Sequence[Operation],
                   upload_keys: tuple[str, ...]) -> Step:
    """Poll the review of every creative the job uploads or uses, many IDs per request."""
    named = {i for op in plan.operations if op.kind.name == "campaigns" for i in listed_ids(op)}
    named |= {g_member.target.id for g in plan.groups if g.kind == "assign-creatives" for g_member in g.members
              if g_member.target and g_member.target.id is not None}

    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        ids = {op.row_ref: ctx.ids[op.row_ref] for op in uploads if op.row_ref in ctx.ids}
        ids |= {op.row_ref: op.target_id for op in known if op.target_id is not None}
        wanted = set(ids.values()) | named
        verbs = ctx.verbs["iqm"]
        reviews = await verbs.review(sorted(wanted), on_request=ctx.tick, stopping=lambda: ctx.stopping) \
            if wanted else {}
        outcomes = {}
        for op in (*uploads, *known):
            creative_id = ids.get(op.row_ref)
            if creative_id is None:
                continue
            outcome = _creative_outcome(op, creative_id, reviews[creative_id])
            details = verbs.details.get(creative_id)
            if op.action == "create" and details is not None and outcome.status is not Status.FAILED:
                outcome = _kept(op, outcome, creative_not_kept(op.payload, details, header_of(plan, op)))
            outcomes[op.row_key] = outcome
        return outcomes

    requests = -(-(len(uploads) + len(known) + len(named)) // 200)  # none when there is nothing to review
    return Step(APPROVAL, "creative review", run, wants=upload_keys, requests=requests)


def _kept(op: Operation, outcome: RowOutcome, problems: Sequence[str]) -> RowOutcome:
    if not problems:
        return outcome
    return RowOutcome(Status.FAILED, "; ".join([outcome.message, *problems]), outcome.id)


def _creative_outcome(op: Operation, creative_id: int, review: Review) -> RowOutcome:
    """An uploaded creative's row says how its review went; a row naming an existing creative sends
    nothing (the creative is used as it is), so its review is a warning, unless a campaign of the job
    needs the creative and cannot have it (the campaign's step fails the row then)."""
    used = op.action != "create"
    if review.status == "approved":
        return RowOutcome(Status.UNCHANGED if used else Status.CREATED,
                          "approved" + ("; used as it is" if used else ""), creative_id)
    if review.status == "pending":
        return RowOutcome(Status.UNCHANGED if used else Status.CREATED,
                          f"still in review ({review.reason}) when the run stopped waiting", creative_id)
    if used and review.status == "rejected":
        return RowOutcome(Status.UNCHANGED, f"used as it is; warning: rejected: {review.reason}", creative_id)
    return RowOutcome(Status.FAILED, f"{review.status}: {review.reason}", creative_id)


# -- campaigns ----------------------------------------------------------------------------------

def _campaign_step(plan: Plan, op: Operation, groups: Sequence[Group], spoiled: tuple[str, int] | None) -> Step:
    targeting = [g for g in groups if g.kind in TARGETING_KINDS]
    assigned = [m for g in groups if g.kind == "assign-creatives" for m in g.members]
    child_rows = tuple(m.row for g in targeting for m in g.members)

    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        needed: dict[RowKey, RowOutcome] = {}
        if spoiled is not None:
            outcome = RowOutcome(Status.SKIPPED, f"not sent: {sheet_of(spoiled[0])} row {spoiled[1]} "
                                 "for this campaign is invalid or skipped, and IQM cannot add it later")
        else:
            outcome, needed = await _campaign(plan, op, targeting, assigned, ctx)
        return needed | {op.row_key: outcome} | {row: _child_outcome(outcome) for row in child_rows}

    # One request: the create, whose answer carries the status (the read-back step checks it).
    return Step(op.step_key, op.label or op.step_key, run, rows=(op.row_key, *child_rows), wants=(APPROVAL,),
                requests=1)


async def _campaign(plan: Plan, op: Operation, targeting: Sequence[Group], assigned: Sequence[Any],
                    ctx: Context) -> tuple[RowOutcome, dict[RowKey, RowOutcome]]:
    """The create's outcome, and the rows of a rejected creative it needs (which fail)."""
    verbs = ctx.verbs["iqm"]
    creatives = creatives_of(op, assigned, ctx)
    if creatives.problem:
        return RowOutcome(Status.SKIPPED, f"not sent: {creatives.problem}"), creatives.rows_failed(
            plan, op.label or "its campaign")
    creative_ids = creatives.ids
    payload = dict(op.payload) | fold(m.payload for g in targeting for m in g.members)
    if creative_ids:
        payload["creativeIds"] = ",".join(map(str, creative_ids))
    payload["creativeType"] = await verbs.creative_type_id(op.payload["creativeType"])
    if isinstance(payload.get("timezone"), str):  # Time Zone ID left blank: Time Zone Name's ID
        payload["timezone"] = await verbs.time_zone_id(payload["timezone"])
    if not creative_ids:
        campaigns, ids = column_in(plan, "creatives", "campaigns"), header_of(plan, op)("creativeIds")
        return RowOutcome(Status.FAILED, f"no creatives: name this campaign in the {campaigns} column of a Creatives "
                          f"row, or fill {ids}"), {}
    outcome = await run_one(replace(op, payload=payload), verbs, ctx.journal, retry=ctx.retry)
    ctx.tick(1)
    if outcome.status is Status.CREATED and outcome.id is not None:
        ctx.ids[op.row_ref] = outcome.id
        known = verbs.created_status.get(outcome.id)
        # after what the outcome says already (which earlier run created it)
        said = "; ".join(m for m in (outcome.message, f"status: {known}" if known else "") if m)
        outcome = replace(outcome, message=said)
        verbs.written[outcome.id] = Written(op.row_key, Status.CREATED, payload, header_of(plan, op),
                                            verbs.type_names(), status_known=bool(known))
    return outcome, {}


def _child_outcome(outcome: RowOutcome) -> RowOutcome:
    where = f"campaign {outcome.id}" if outcome.id else "the campaign"
    if outcome.status is Status.CREATED:
        return RowOutcome(Status.CREATED, f"sent with {where}")
    if outcome.status is Status.UNCHANGED:
        return RowOutcome(Status.UNCHANGED, f"already on {where}")
    if outcome.status is Status.FAILED:
        return RowOutcome(Status.FAILED, f"{where} failed: {outcome.message}")
    return RowOutcome(outcome.status, f"{where} was {outcome.status.value}: {outcome.message}")
