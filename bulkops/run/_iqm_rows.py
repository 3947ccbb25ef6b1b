"""What IQM's create and update steps share about a job's rows: which sheets fold into a campaign,
how a sheet and a column are named in messages, and which creatives a campaign gets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from bulkops.kinds import kind_named
from bulkops.kinds.iqm import KINDS
from bulkops.run._graph import Context
from bulkops.run._iqm_verbs import Review
from bulkops.run._plan import Operation, Plan

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


def creatives_of(op: Operation | None, assigned: Sequence[Any], ctx: Context,
                 already: Iterable[int] = ()) -> tuple[list[int], str]:
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
            return [], f"its creative (Creatives row {member.row[1]}) was not uploaded"
        ids.append(creative_id)
        named[creative_id] = f"creative {creative_id} (Creatives row {member.row[1]})"
    kept = set(already)
    for creative_id in (i for i in dict.fromkeys(ids) if i not in kept):
        review = reviews.get(creative_id, Review("missing", "its review was not read"))
        if review.status == "pending":
            return [], f"{named[creative_id]} is still in review; push the same job again later to send it"
        if review.status != "approved":
            return [], f"{named[creative_id]} was {review.status}: {review.reason}"
    return list(dict.fromkeys(ids)), ""
