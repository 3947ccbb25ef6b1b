"""IQM as the generic pipeline sees it: its `Platform` object."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bulkops._config import Credentials
from bulkops._ratelimit import RateLimiter
from bulkops._retry import RetryPolicy
from bulkops.planner import Plan, RowKey
from bulkops.platforms.iqm._export import read_state
from bulkops.platforms.iqm._live import HeldCampaigns, mark_held, note_unread, read_held, settle_unsent, use_held
from bulkops.platforms.iqm._report import METRICS, read_statistics
from bulkops.platforms.iqm._sandbox_account import IQM_CLIENT_ID, IQM_CLIENT_SECRET, IQM_HOST
from bulkops.platforms.iqm._steps import finders, iqm_steps
from bulkops.platforms.iqm._verbs import DEFAULT_APPROVAL_TIMEOUT_S, IqmVerbs
from bulkops.platforms.iqm.client import DEFAULT_BASE_URL, DEFAULT_RATE_LIMIT, ENV_VARS, REPORT_PAGE_ROWS, IQMClient
from bulkops.platforms.iqm.kinds import KINDS
from bulkops.registry import Connection, Estimating, Platform, Reporting, SandboxParts
from bulkops.validation import ValidatedSheet


def _client(base_url: str, creds: Credentials, limiter: RateLimiter, retry: RetryPolicy) -> IQMClient:
    return IQMClient(base_url, creds["client_id"], creds["client_secret"], creds["email"], creds["password"],
                     creds["host"], limiter=limiter, retry=retry)


def _verbs(client: Any, *, item_cap: int, approval_timeout_s: float | None = None) -> dict[str, Any]:
    timeout = DEFAULT_APPROVAL_TIMEOUT_S if approval_timeout_s is None else approval_timeout_s
    return {"iqm": IqmVerbs(client, approval_timeout_s=timeout)}


class _HeldCampaigns:
    """IQM has no live diff: each existing campaign is compared in its own update step, and what those
    steps compare is read once before anything is sent (`bulkops.platforms.iqm._live`)."""

    async def read(self, plan: Plan, validated: Sequence[ValidatedSheet], existing: Mapping[RowKey, int],
                   verbs: Any, *, for_steps: bool = True) -> HeldCampaigns:
        return await read_held(plan, validated, existing, verbs, for_steps=for_steps)

    def note_unread(self, validated: Sequence[ValidatedSheet], existing: Mapping[RowKey, int],
                    held: HeldCampaigns) -> None:
        note_unread(validated, existing, held)

    def use(self, plan: Plan, validated: Sequence[ValidatedSheet], held: HeldCampaigns, verbs: Any) -> None:
        use_held(plan, validated, held, verbs)

    def mark(self, plan: Plan, object_ids: Any) -> None:
        mark_held(plan, object_ids)


def _waits_for_review(plan: Plan) -> bool:
    return any(op.kind.name == "creatives" and op.action == "create" for op in plan.operations)


def _creative_types_read(plan: Plan) -> int:
    """IQM's creative types, read once when a campaign row names its Creative Type (every create does)."""
    return int(any(op.kind.name == "campaigns" and "creativeType" in op.payload for op in plan.operations))


def _sandbox_app(config: Any) -> Any:
    from bulkops.platforms.iqm.sandbox import create_app  # starlette's routes: only when a sandbox starts

    return create_app(config)


PLATFORM = Platform(
    name="iqm",
    label="IQM",
    kinds=KINDS,
    connection=Connection(DEFAULT_BASE_URL, ENV_VARS, _client, identity=("host", "email")),
    verbs=_verbs,
    steps=iqm_steps,
    rate_limit=DEFAULT_RATE_LIMIT,
    read_state=read_state,
    held=_HeldCampaigns(),
    finders=finders,
    items_in_create=None,  # a campaign is created whole, its targeting folded in
    settle_unsent=settle_unsent,
    estimating=Estimating(extra_requests=_creative_types_read, waits_for_review=_waits_for_review),
    # 20 requests a minute ("Rate limits"); tokens for 24 h ("Best Practices").
    sandbox=SandboxParts(app=_sandbox_app, rate_limit=20, token_ttl_s=86400.0,
                         account=(("client_id", "client ID", IQM_CLIENT_ID),
                                  ("client_secret", "client secret", IQM_CLIENT_SECRET),
                                  ("host", "host", IQM_HOST)),
                         demo_samples=("iqm-launch.xlsx",),
                         demo_note="the skipped IQM campaign waited on a creative the sandbox rejects on purpose"),
    reporting=Reporting(METRICS, read_statistics, REPORT_PAGE_ROWS),  # the Reports API guide
)
