"""Existing IQM campaigns: read, compared with the job's rows, and changed through the campaign guide.

A campaign with an ID is named by a Campaigns row, or by Geo ZIP, Geo GPS, Deals, Filter Lists rows
and Creatives rows' Campaigns. Its step compares each filled cell with the campaign (`GET
/api/v2/cmp/campaign/{id}`, read once before the run by `_iqm_live`, or by the step itself when it was
not; blank cells leave IQM's value alone; text as `_iqm_live` made it exact): nothing differs, nothing
is sent. What differs goes out by the fewest requests the guide allows:

- only budget fields (Daily Budget, Total Budget, Max Bid) or only the End Time: the guide's batch
  routes ("Change Campaign Budget", "Change Campaign End Date") take one value for many campaigns, so
  campaigns changed the same way share one request, sent once every campaign has been compared
  (`batch_step`);
- anything else: one "Update Campaign" (`PATCH`) with every changed field; a Status of paused or
  running among them pauses or resumes the campaign (the guide has no route that does it for several
  campaigns at once); any other Status that differs from IQM's is not sent, and the Message says so:
  IQM sets those itself, and an export a day old differs without any edit.

Deals (`userDealId`, `groupDealId`) and creatives (`creativeIds`) are fields of that route, so Deals
rows and Creatives rows naming the campaign change it too: `replace` (the default) makes them the
campaign's whole list, `append` adds to it. ZIP codes, circles and the filter lists have no update
route (the Update Campaign route does not list their fields, and the guide has no other route for
them): their rows are checked against the campaign, `unchanged` when it has them and `failed`
otherwise, as a field of the row that the route cannot change fails the row with nothing sent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops.engine import Context, Step
from bulkops.kinds import APPEND, REPLACE
from bulkops.planner import Group, Operation, Plan, RowKey, RowOutcome, Status
from bulkops.platforms.iqm._rows import APPROVAL, CampaignCreatives, creatives_of, header_of, listed_ids, sheet_of
from bulkops.platforms.iqm._verbs import comparable, fold, holds
from bulkops.platforms.iqm._verify import BUDGETED, LISTED, Header, Written, budget_not_kept, shown
from bulkops.platforms.iqm.client import UPDATE_FIELDS
from bulkops.platforms.iqm.kinds import ASKABLE_STATUSES

BATCHED = "iqm:batched-updates"
UPDATABLE_LISTS = frozenset({"deals", "assign-creatives"})
# IQM keeps no such field: a campaign exists only with the agreement checked, so there is nothing to compare.
NEVER_COMPARED = frozenset({"isAgreementChecked"})
_DEAL_FIELDS = ("userDealId", "groupDealId")
_NO_ROUTE = {"geo-zip": "ZIP codes", "geo-gps": "circles", "filter-lists": "filter-list items"}


@dataclass
class Change:
    """One campaign's changes, waiting to go out with others changed the same way."""

    campaign_id: int
    row: RowKey
    fields: dict[str, Any]
    header: Header
    note: str  # "status: running; changed: Max Bid 8 → 9.5"


def update_step(plan: Plan, campaign_id: int | None, op: Operation | None, groups: Sequence[Group],
                spoiled: tuple[str, int] | None) -> Step:
    rows = ((op.row_key,) if op else ()) + tuple(m.row for g in groups for m in g.members)
    key = op.step_key if op else f"iqm:existing:{groups[0].parent.key}"
    what = (op.label or op.step_key) if op else f"campaign {campaign_id}"

    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        assert campaign_id is not None
        if spoiled is not None:
            why = f"not sent: {sheet_of(spoiled[0])} row {spoiled[1]} for this campaign is invalid or skipped"
            return dict.fromkeys(rows, RowOutcome(Status.SKIPPED, why))
        return await _update(plan, campaign_id, op, groups, ctx)

    # The read (none when the campaign was read before the run, `_iqm_live`), and at most one write (a
    # batched change shares its request with other campaigns): none when the rows name only lists IQM
    # cannot change, which are only checked. A spoiled campaign sends nothing.
    writes = op is not None or any(g.kind in UPDATABLE_LISTS for g in groups)
    requests = 0 if spoiled is not None else (0 if read_before(op, groups) else 1) + (1 if writes else 0)
    return Step(key, what, run, rows=rows, wants=(APPROVAL,), requests=requests)


def read_before(op: Operation | None, groups: Sequence[Group]) -> bool:
    """Whether the campaign was read before the run (its operation or lists are marked compared), so
    that its step reads nothing."""
    return op.compared if op is not None else all(g.compared for g in groups)


async def _update(plan: Plan, campaign_id: int, op: Operation | None, groups: Sequence[Group],
                  ctx: Context) -> dict[RowKey, RowOutcome]:
    verbs = ctx.verbs["iqm"]
    live = await _live(verbs, campaign_id, ctx)
    assigned = [m for g in groups if g.kind == "assign-creatives" for m in g.members]
    on_it = [int(i) for i in _split(live.get("creativeIds")) if i.isdigit()]
    creatives = creatives_of(op, assigned, ctx, on_it) if assigned or listed_ids(op) else CampaignCreatives([])
    if creatives.problem:
        failed = creatives.rows_failed(plan, (op.label if op else "") or f"campaign {campaign_id}")
        return failed | {row: RowOutcome(Status.SKIPPED, f"not sent: {creatives.problem}")
                         for row in _rows(op, groups) if row not in failed}
    creative_ids = creatives.ids
    wanted = dict(op.payload) if op is not None else {}
    if "creativeType" in wanted:
        wanted["creativeType"] = await verbs.creative_type_id(wanted["creativeType"])
    wanted |= _deals([g for g in groups if g.kind == "deals"], live)
    if assigned or "creativeIds" in wanted:
        append = any(g.mode == APPEND for g in groups if g.kind == "assign-creatives")
        wanted["creativeIds"] = _joined((_split(live.get("creativeIds")) if append else []) + creative_ids)
    changes = {f: v for f, v in wanted.items() if f not in NEVER_COMPARED and
               comparable(f, v) != comparable(f, live.get(f))}
    outcomes = _checked(campaign_id, [g for g in groups if g.kind not in UPDATABLE_LISTS], live)
    outcomes |= await _changed(plan, campaign_id, op, groups, live, changes, ctx)
    return outcomes


async def _live(verbs: Any, campaign_id: int, ctx: Context) -> Mapping[str, Any]:
    """The campaign as IQM holds it: as read before the run (or that read's failure), or read now."""
    held = verbs.held.get(campaign_id)
    if isinstance(held, PlatformError):
        raise held  # the step's rows fail with it, as if it had read the campaign itself
    if held is not None:
        return held
    try:
        return await verbs.campaign(campaign_id)
    finally:
        ctx.tick(1)


def _rows(op: Operation | None, groups: Sequence[Group]) -> list[RowKey]:
    return ([op.row_key] if op else []) + [m.row for g in groups for m in g.members]


async def _changed(plan: Plan, campaign_id: int, op: Operation | None, groups: Sequence[Group],
                   live: Mapping[str, Any], changes: dict[str, Any], ctx: Context) -> dict[RowKey, RowOutcome]:
    """The outcomes of the campaign's row and of the rows of its updatable lists."""
    verbs = ctx.verbs["iqm"]
    header = header_of(plan, op) if op is not None else (lambda field_name: field_name)
    lists = [g for g in groups if g.kind in UPDATABLE_LISTS]
    status = live.get("status") or "unknown"
    aside = _not_askable(changes, status, header)
    if aside and op is not None:
        outcomes = await _changed(plan, campaign_id, op, groups, live, changes, ctx)
        said = outcomes.get(op.row_key)
        if said is not None:
            return outcomes | {op.row_key: dataclasses.replace(said, message=f"{said.message}; {aside}")}
        for waiting in verbs.batched.values():  # its row speaks once the shared request is answered
            for change in waiting:
                if change.row == op.row_key:
                    change.note = f"{change.note}; {aside}"
        return outcomes
    fixed = [f for f in changes if f not in UPDATE_FIELDS and f != "status"]
    if fixed:
        said = "; ".join(f"{header(f)}: {shown(live.get(f))} → {shown(changes[f])}" for f in fixed)
        why = (f"status: {status}; differs from IQM ({said}), and IQM's Update Campaign route cannot change "
               f"{'it' if len(fixed) == 1 else 'them'}: change it in IQM, or clear ID to create a new campaign")
        return ({op.row_key: RowOutcome(Status.FAILED, why, campaign_id)} if op else {}) | _members(
            lists, RowOutcome(Status.SKIPPED, f"not sent: campaign {campaign_id} (its row) cannot be changed"))
    if not changes:
        return ({op.row_key: RowOutcome(Status.UNCHANGED, f"status: {status}", campaign_id)} if op else {}) | \
            _members(lists, RowOutcome(Status.UNCHANGED, f"already on campaign {campaign_id}"))
    note = f"status: {status}; changed: " + ", ".join(
        f"{header(f)} {shown(live.get(f), f)} → {shown(v, f)}" for f, v in changes.items())
    if op is not None and _batchable(changes):
        route = ("budget", tuple(sorted(changes.items()))) if "endTime" not in changes else ("end", changes["endTime"])
        verbs.batched.setdefault(route, []).append(Change(campaign_id, op.row_key, changes, header, note))
        # The batch step speaks for the campaign's row; its lists did not change.
        return _members(lists, RowOutcome(Status.UNCHANGED, f"already on campaign {campaign_id}"))
    return await _patched(campaign_id, op, lists, changes, header, note, lambda m: _on(live, m, ctx), ctx)


def _not_askable(changes: dict[str, Any], held: str, header: Header) -> str:
    """A Campaign Status other than paused or running that differs from IQM's is not sent (IQM sets it
    itself; an export a day old differs without any edit): taken out of `changes`, and said."""
    asked = changes.get("status")
    if asked is None or asked in ASKABLE_STATUSES:
        return ""
    del changes["status"]
    return (f"{header('status')} {asked} is not sent: IQM sets it itself (it holds {held}); "
            f"only {' or '.join(ASKABLE_STATUSES)} can be asked for, to pause or resume")


def _on(live: Mapping[str, Any], member: Any, ctx: Context) -> bool:
    """Was this deal or creative row's item on the campaign before the update?"""
    if member.target is None:
        return holds(live, member.payload)
    creative_id = member.target.id if member.target.id is not None else ctx.ids.get(member.target.key)
    return str(creative_id) in _split(live.get("creativeIds"))


def _batchable(changes: Mapping[str, Any]) -> bool:
    return set(changes) <= set(BUDGETED) or set(changes) == {"endTime"}


async def _patched(campaign_id: int, op: Operation | None, lists: Sequence[Group], changes: dict[str, Any],
                   header: Header, note: str, was_on: Callable[[Any], bool], ctx: Context) -> dict[RowKey, RowOutcome]:
    """One Update Campaign with every change; the row and the rows of the lists say how it went (an item
    that was on the campaign already is `unchanged`)."""
    verbs = ctx.verbs["iqm"]
    changed = [g for g in lists if _list_field(g) & set(changes)]
    try:
        status = await verbs.update(campaign_id, changes)
    except PlatformError as exc:
        return ({op.row_key: RowOutcome(Status.FAILED, exc.message, campaign_id)} if op else {}) | _members(
            changed, RowOutcome(Status.FAILED, f"campaign {campaign_id} failed: {exc.message}"))
    finally:
        ctx.tick(1)
    if status:
        note = f"status: {status};" + note.split(";", 1)[1]
    if op is not None and set(changes) & set(LISTED):
        verbs.written[campaign_id] = Written(op.row_key, Status.UPDATED, changes, header, verbs.type_names())
    sent, kept = RowOutcome(Status.UPDATED, f"sent with campaign {campaign_id}"), \
        RowOutcome(Status.UNCHANGED, f"already on campaign {campaign_id}")
    return ({op.row_key: RowOutcome(Status.UPDATED, note, campaign_id)} if op else {}) | {
        m.row: kept if g not in changed or was_on(m) else sent for g in lists for m in g.members}


def _list_field(group: Group) -> set[str]:
    return set(_DEAL_FIELDS) if group.kind == "deals" else {"creativeIds"}


def _members(groups: Iterable[Group], outcome: RowOutcome) -> dict[RowKey, RowOutcome]:
    return {m.row: outcome for g in groups for m in g.members}


def _checked(campaign_id: int, groups: Sequence[Group], live: Mapping[str, Any]) -> dict[RowKey, RowOutcome]:
    """Rows of lists IQM has no route to change: `unchanged` when the campaign has them, else `failed`."""
    outcomes = {}
    for group in groups:
        sheet, what = sheet_of(group.kind), _NO_ROUTE.get(group.kind, "these items")
        for member in group.members:
            outcomes[member.row] = RowOutcome(Status.UNCHANGED, f"already on campaign {campaign_id}") if holds(
                live, member.payload) else RowOutcome(
                Status.FAILED, f"not on campaign {campaign_id}, and IQM's campaign guide has no route that adds "
                f"{what} to an existing campaign ({sheet} rows can only be sent with a new campaign): add it in "
                "IQM, or name a new campaign row")
    return outcomes


def _deals(groups: Sequence[Group], live: Mapping[str, Any]) -> dict[str, str]:
    """The campaign's deal fields as the Deals rows make them: a replace sets both fields (a kind with no
    row is emptied), an append adds to what the campaign has."""
    wanted: dict[str, str] = {}
    for group in sorted(groups, key=lambda g: g.mode != REPLACE):  # a replace first, an append onto it
        folded = fold(m.payload for m in group.members)
        for field_name in _DEAL_FIELDS:
            if group.mode == REPLACE:
                wanted[field_name] = folded.get(field_name, "")
            elif field_name in folded:
                base = _split(wanted.get(field_name, live.get(field_name)))
                wanted[field_name] = _joined(base + _split(folded[field_name]))
    return wanted


def _split(value: Any) -> list[Any]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _joined(values: Iterable[Any]) -> str:
    return ",".join(dict.fromkeys(str(v) for v in values))


# -- the requests several campaigns share ---------------------------------------------------------------

def batch_step(wants: Iterable[str]) -> Step:
    """The budget and end-date changes the update steps left, one request per set of values."""

    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        verbs = ctx.verbs["iqm"]
        outcomes: dict[RowKey, RowOutcome] = {}
        for (route, values), changes in list(verbs.batched.items()):
            ids = [c.campaign_id for c in changes]
            try:
                if route == "budget":
                    answer = await verbs.update_budgets(ids, dict(values))
                else:
                    await verbs.update_end_dates(ids, values)
                    answer = None
            except PlatformError as exc:
                outcomes |= {c.row: RowOutcome(Status.FAILED, exc.message, c.campaign_id) for c in changes}
                continue
            finally:
                ctx.tick(1)
            outcomes |= {c.row: _budgeted(c, answer, verbs) for c in changes}
        return outcomes

    # Its requests are counted by the update steps (each may write once).
    return Step(BATCHED, "the updates several campaigns share", run, wants=tuple(wants), requests=0)


def _budgeted(change: Change, answer: Any, verbs: Any) -> RowOutcome:
    """A batched change's outcome: the budget route's answer says per campaign what it holds; what it
    does not show (and an end date) is read back by the verify step."""
    if answer is not None and change.campaign_id in answer.refused:
        return RowOutcome(Status.FAILED, answer.refused[change.campaign_id], change.campaign_id)
    if answer is not None and change.campaign_id in answer.modified:
        problems = budget_not_kept(change.fields, answer.modified[change.campaign_id], change.header)
        if problems:
            return RowOutcome(Status.FAILED, "; ".join(problems), change.campaign_id)
        return RowOutcome(Status.UPDATED, change.note, change.campaign_id)
    verbs.written[change.campaign_id] = Written(change.row, Status.UPDATED, change.fields, change.header)
    return RowOutcome(Status.UPDATED, change.note, change.campaign_id)
