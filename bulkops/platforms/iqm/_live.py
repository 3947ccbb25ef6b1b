"""What IQM holds of the campaigns a job names, read once before anything is sent.

IQM has no live diff: each existing campaign is compared with the job's rows in its own update step
(`_iqm_updates`). But bulkops's own checks (stricter than IQM's documents: `Column.own`) refuse only
values IQM does not hold already, and only the campaign can tell. So:

- `push` reads every existing campaign its update steps compare (`GET /api/v2/cmp/campaign/{id}`,
  each once; `read_held`) before invalid rows hold the job, settles own-check errors against them
  (`bulkops.engine._own.settle_against_live`, which sees them through `HeldCampaigns`), and hands them
  to those steps (`use_held`), which then read nothing: the job sends no more requests than without
  the settling, and the estimate counts each read once;
- `plan` reads only the campaigns whose rows have own-check errors to settle;
- a text cell whose raw text is exactly the campaign's (a name with a trailing tab, which the reader's
  coercion strips) is that text (`bulkops.planner._diff.exact_values`), so an export pushed back renames
  nothing;
- a row naming an existing creative sends nothing of it (IQM's creative is used as it is), so its
  own-check errors are warnings, with no read at all (`settle_unsent`).

For the settling a campaign reads as an export writes it (`bulkops.platforms.iqm._export`): its fields as its
Campaigns row (times in the zone the job's row names), its targeting as Geo ZIP, Geo GPS, Deals and
Filter Lists rows, in the coercer's value space.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Container, Iterable, Mapping, Sequence
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops._problems import Severity
from bulkops.kinds import fingerprint
from bulkops.planner import Operation, Plan, RowKey, exact_values
from bulkops.platforms.iqm._export import campaign_row, targeting_rows
from bulkops.platforms.iqm._steps import campaigns_compared
from bulkops.platforms.iqm.kinds import zone_of
from bulkops.validation import UPDATE, ValidatedSheet

Campaign = Mapping[str, Any]
READS_IN_FLIGHT = 16  # the client's rate limiter paces them; this only bounds the sockets open at once


class HeldCampaigns:
    """The campaigns read, and the same as `bulkops.planner._diff.LiveState` shows a live state to the
    settling: `objects` (each campaign as its Campaigns row) and `items` (its targeting rows)."""

    def __init__(self, campaigns: Mapping[int, Campaign | PlatformError], zones: Mapping[int, str]) -> None:
        self.campaigns = dict(campaigns)
        read = {campaign_id: c for campaign_id, c in campaigns.items() if not isinstance(c, PlatformError)}
        self.objects: dict[str, dict[int, dict[str, Any]]] = {
            "campaigns": {campaign_id: campaign_row({**c, "id": campaign_id}, zones.get(campaign_id))
                          for campaign_id, c in read.items()}}
        self._items = {campaign_id: targeting_rows({**c, "id": campaign_id}) for campaign_id, c in read.items()}

    def items(self, kind_name: str, parent_id: int) -> list[dict[str, Any]] | None:
        """The campaign's rows of a targeting sheet; None when it was not read."""
        rows = self._items.get(parent_id)
        return None if rows is None else rows.get(kind_name, [])

    @property
    def unread(self) -> dict[int, PlatformError]:
        return {i: c for i, c in self.campaigns.items() if isinstance(c, PlatformError)}


def campaigns_to_settle(validated: Sequence[ValidatedSheet], existing: Mapping[RowKey, int]) -> set[int]:
    """The campaigns the rows with own-check errors name (existing creatives are no campaign's)."""
    return {object_id for (sheet_no, _), object_id in existing.items()
            if validated[sheet_no].sheet.kind.name != "creatives"}


async def read_held(plan: Plan, validated: Sequence[ValidatedSheet], existing: Mapping[RowKey, int], verbs: Any,
                    *, for_steps: bool = True) -> HeldCampaigns:
    """Read, once each, the campaigns the settling needs and (`for_steps`) those the plan's update steps
    compare. A campaign that cannot be read holds nothing for the settling; its step fails its rows with
    the reason, as if it had read it itself."""
    wanted = campaigns_to_settle(validated, existing) | (campaigns_compared(plan) if for_steps else set())
    gate = asyncio.Semaphore(READS_IN_FLIGHT)

    async def read(campaign_id: int) -> Campaign | PlatformError:
        async with gate:
            try:
                return await verbs.campaign(campaign_id)
            except PlatformError as exc:
                return exc

    ids = sorted(wanted)
    campaigns = dict(zip(ids, await asyncio.gather(*(read(i) for i in ids)), strict=True))
    return HeldCampaigns(campaigns, _zones(validated, existing))


def _zones(validated: Sequence[ValidatedSheet], existing: Mapping[RowKey, int]) -> dict[int, str]:
    """Campaign ID → the time zone its Campaigns row reads times in, so that the campaign's times are
    compared as the same moments."""
    zones: dict[int, str] = {}
    for (sheet_no, row), object_id in existing.items():
        item = validated[sheet_no]
        if item.sheet.kind.name == "campaigns" and "tz" in item.values.columns:
            tz = item.values.at[row, "tz"]
            if isinstance(tz, str) and zone_of(tz) is not None:
                zones.setdefault(object_id, tz)
    return zones


def note_unread(validated: Sequence[ValidatedSheet], existing: Mapping[RowKey, int], held: HeldCampaigns) -> None:
    """Own-check errors left on rows of campaigns that could not be read say why they were not settled."""
    unread = held.unread
    for (sheet_no, row), object_id in existing.items():
        if object_id not in unread or validated[sheet_no].sheet.kind.name == "creatives":
            continue
        problems = validated[sheet_no].problems
        for at, problem in enumerate(problems):
            if problem.row == row and problem.own and problem.is_error:
                problems[at] = dataclasses.replace(problem, message=(
                    f"{problem.message}; IQM's campaign {object_id} could not be read to see whether it holds this "
                    f"value: {unread[object_id].message}"))


def use_held(plan: Plan, validated: Sequence[ValidatedSheet], held: HeldCampaigns, verbs: Any) -> None:
    """Hand the campaigns read to the update steps (which then read nothing: their operations and lists
    are marked compared), each Campaigns row's text exactly as IQM holds it where its raw cell is."""
    campaigns = held.campaigns
    plan.operations = [_as_held(op, validated, campaigns[op.target_id]) if _updates(op, campaigns) else op
                       for op in plan.operations]
    for group in plan.groups:
        if group.parent.id is not None and group.parent.id in campaigns:
            group.compared = True
    verbs.held.update(campaigns)


def mark_held(plan: Plan, campaign_ids: Iterable[int]) -> None:
    """`plan`: the campaigns read for the settling are counted once, as that read (not by their steps)."""
    read = set(campaign_ids)
    plan.operations = [dataclasses.replace(op, compared=True) if _updates(op, read) else op
                       for op in plan.operations]
    for group in plan.groups:
        if group.parent.id is not None and group.parent.id in read:
            group.compared = True


def _updates(op: Operation, campaign_ids: Container[int]) -> bool:
    return op.kind.name == "campaigns" and op.action == "update" and op.target_id in campaign_ids


def _as_held(op: Operation, validated: Sequence[ValidatedSheet], live: Campaign | PlatformError) -> Operation:
    if isinstance(live, PlatformError):
        return dataclasses.replace(op, compared=True)
    sheet_no, row = op.row_key
    values = exact_values(validated[sheet_no], row, live)
    # Only flat text fields: a kept tab in a name is compared (and sent, if another field changes) as IQM has it.
    exact = {k: values[k] for k, v in op.payload.items()
             if isinstance(v, str) and isinstance(values.get(k), str) and values[k] != v}
    if not exact:
        return dataclasses.replace(op, compared=True)
    payload = {**op.payload, **exact}
    return dataclasses.replace(op, payload=payload, fingerprint=fingerprint(payload), compared=True)


def settle_unsent(validated: Sequence[ValidatedSheet]) -> None:
    """Own-check errors on rows naming an existing IQM creative become warnings: bulkops sends nothing
    of an existing creative (it is used as it is), so no value of the row reaches IQM, and no read is
    needed to tell."""
    for item in validated:
        kind = item.sheet.kind
        if kind.platform != "iqm" or kind.name != "creatives":
            continue
        existing = {int(row) for row, action in item.actions.items() if action == UPDATE
                    and item.values.at[row, "id"] is not None}
        for at, problem in enumerate(item.problems):
            if problem.own and problem.is_error and problem.row in existing:
                item.problems[at] = dataclasses.replace(problem, severity=Severity.WARNING, message=(
                    f"{problem.message}; the row names IQM's creative {item.values.at[problem.row, 'id']}, which is "
                    "used as it is (none of its cells are sent), and this check is bulkops's own (stricter than "
                    "IQM's documents), so it is only a warning"))
