"""SmartyAds as the generic pipeline sees it: its `Platform` object."""

from __future__ import annotations

from typing import Any

from bulkops._config import Credentials
from bulkops._ratelimit import RateLimiter
from bulkops._retry import RetryPolicy
from bulkops.platforms.smartyads._export import NOT_SETTINGS, read_state, read_touched
from bulkops.platforms.smartyads._plan_steps import smartyads_steps
from bulkops.platforms.smartyads._reference import REFERENCE
from bulkops.platforms.smartyads._report import METRICS, read_statistics
from bulkops.platforms.smartyads._steps import verbs_for
from bulkops.platforms.smartyads.client import DEFAULT_RATE_LIMIT, ROWS_ON_PAGE_MAX, SmartyAdsClient
from bulkops.platforms.smartyads.kinds import KINDS, item_problem
from bulkops.registry import Connection, Platform, Reporting, SandboxParts

DEFAULT_BASE_URL = "https://dsp-api.smartyads.com"
CREDENTIAL_ENV = {"email": "BULKOPS_SMARTYADS_EMAIL", "password": "BULKOPS_SMARTYADS_PASSWORD"}


def _client(base_url: str, creds: Credentials, limiter: RateLimiter, retry: RetryPolicy) -> SmartyAdsClient:
    return SmartyAdsClient(base_url, creds["email"], creds["password"], limiter=limiter, retry=retry)


def _verbs(client: Any, *, item_cap: int, approval_timeout_s: float | None = None) -> dict[str, Any]:
    return verbs_for(client, item_cap)  # nothing of SmartyAds waits for a review


def _sandbox_app(config: Any) -> Any:
    from bulkops.platforms.smartyads.sandbox import create_app  # starlette's routes: only when a sandbox starts

    return create_app(config)


PLATFORM = Platform(
    name="smartyads",
    label="SmartyAds",
    kinds=KINDS,
    connection=Connection(DEFAULT_BASE_URL, CREDENTIAL_ENV, _client, identity=("email",)),
    verbs=_verbs,
    steps=smartyads_steps,
    rate_limit=DEFAULT_RATE_LIMIT,
    read_state=read_state,
    read_touched=read_touched,
    # A filter list's items travel in its own create/PUT: a second request would race with it.
    items_in_create=frozenset({"filter-list-items"}),
    item_problem=item_problem,
    not_settings=NOT_SETTINGS,
    # 500 requests a window (its X-ratelimit-limit); tokens for an hour.
    sandbox=SandboxParts(app=_sandbox_app, rate_limit=500, token_ttl_s=3600.0,
                         demo_samples=("smartyads-campaigns.xlsx", "smartyads-launch.xlsx")),
    # The geo dictionaries (15), for the campaigns' Countries, Regions and Cities; the account's audiences
    # (12.1, 12.6), contextual targeting rules (13.1) and optimization rules (22.1), named by ID or name.
    reference=REFERENCE,
    reporting=Reporting(METRICS, read_statistics, ROWS_ON_PAGE_MAX),  # section 3.1
)
