"""What IQM's create and update steps share about a job's rows: which sheets fold into a campaign,
how a sheet and a column are named in messages, and which creatives a campaign gets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bulkops.engine import Context
from bulkops.kinds import kind_named
from bulkops.planner import Operation, Plan, RowKey, RowOutcome, Status
from bulkops.platforms.iqm._verbs import Review
from bulkops.platforms.iqm.kinds import KINDS

APPROVAL = "iqm:approval"
# Sheets whose rows are items of a campaign's own fields (Geo ZIP, Geo GPS, Deals, Filter Lists).
TARGETING_KINDS = frozenset(kind.name for kind in KINDS if kind.item_fields)


def sheet_of(list_kind: str) -> str:
    return kind_named("iqm", list_kind.removeprefix("assign-")).sheet


def header_of(plan: Plan, op: Operation) -> Callable[[str], str]:
    """The columns of the row's sheet as its header row names them."""
    return lambda field_name: plan.header(op.row_key[0], op.kind, field_name)


def listed_ids(op: Operation | None) -> list[int]:
    """A campaign row's own Creative IDs (the payload carries them as the API's string)."""
    if op is None:
        return []
    return [int(i) for i in str(op.payload.get("creativeIds") or "").split(",") if i]


@dataclass(frozen=True)
class CampaignCreatives:
    """The creatives a campaign gets, or why they cannot be sent."""

    ids: list[int]
    problem: str = ""  # why not: a creative failed, was rejected, is still in review
    rejected: int | None = None  # the rejected creative the campaign needs, when that is why

    def rows_failed(self, plan: Plan, what: str) -> dict[RowKey, RowOutcome]:
        """The job's rows of the rejected creative this campaign needs fail: the job cannot do what it asks."""
        if self.rejected is None:
            return {}
        return {op.row_key: RowOutcome(Status.FAILED, f"{what} needs it, so it was not sent", self.rejected)
                for op in plan.operations if op.kind.name == "creatives" and op.target_id == self.rejected}


def creatives_of(op: Operation | None, assigned: Sequence[Any], ctx: Context,
                 already: Iterable[int] = ()) -> CampaignCreatives:
    """The campaign's creative IDs (its row's Creative IDs, then the Creatives rows naming it), or why
    they cannot be sent (a creative failed, was rejected, is still in review; those `already` on the
    campaign are not judged again)."""
    reviews: Mapping[int, Review] = ctx.verbs["iqm"].reviews
    ids = listed_ids(op)
    named = {i: f"creative {i}" for i in ids}
    for member in assigned:
        target = member.target
        creative_id = target.id if target.id is not None else ctx.ids.get(target.key)
        if creative_id is None:
            return CampaignCreatives([], f"its creative (Creatives row {member.row[1]}) was not uploaded")
        ids.append(creative_id)
        named[creative_id] = f"creative {creative_id} (Creatives row {member.row[1]})"
    kept = set(already)
    for creative_id in (i for i in dict.fromkeys(ids) if i not in kept):
        review = reviews.get(creative_id, Review("missing", "its review was not read"))
        if review.status == "pending":
            return CampaignCreatives([], f"{named[creative_id]} is still in review; push the same job again later "
                                     "to send it")
        if review.status != "approved":
            return CampaignCreatives([], f"{named[creative_id]} was {review.status}: {review.reason}",
                                     creative_id if review.status == "rejected" else None)
    return CampaignCreatives(list(dict.fromkeys(ids)))


def column_in(plan: Plan, kind_name: str, field_name: str) -> str:
    """A column of another sheet as the job's sheet of that kind names it (the template's label when
    the job has no such sheet), for messages that send the user there."""
    kind = kind_named("iqm", kind_name)
    sheet_no = next((op.row_key[0] for op in plan.operations if op.kind.name == kind_name), None)
    if sheet_no is None:
        sheet_no = next((m.row[0] for g in plan.groups if g.kind.removeprefix("assign-") == kind_name
                         for m in g.members[:1]), None)
    return plan.header(sheet_no, kind, field_name) if sheet_no is not None else kind.column(field_name).label
