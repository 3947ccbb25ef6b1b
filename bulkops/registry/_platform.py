"""What one platform is, as the generic pipeline sees it: the `Platform` object and the interfaces it
is made of. docs/platforms.md explains each part and how to add a platform.

Nothing here imports a platform, pandas or httpx at runtime: the registry (`bulkops.registry`) can be
imported by any module, and a platform's own folder is loaded only when its object is first asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bulkops._config import Credentials
    from bulkops._ratelimit import RateLimiter
    from bulkops._retry import RetryPolicy
    from bulkops.engine import Step
    from bulkops.kinds import Kind
    from bulkops.planner import Plan, RowKey
    from bulkops.reference import Dictionary
    from bulkops.reporting import Metric, ReadStatistics
    from bulkops.sandbox import SandboxConfig
    from bulkops.validation import ValidatedSheet

# What a read of live state answers: per `Kind.name`, rows as `{Column.field: value}` in the coercer's
# value space (see `bulkops.exporter`).
State = dict[str, list[dict[str, Any]]]
# A row of State may carry, under this key, where its media files are on the platform: {Column.field:
# URL} (a file column's field; a URL relative to the base URL is joined to it). `export --media` saves
# them and fills those columns with the saved files' paths; nothing else reads it.
MEDIA_URLS = "_media_urls"
# An exported entity row may carry the platform's object as read, under this key (no column has it):
# the export lists on its Summary what of it no column of any sheet holds.
RAW_OBJECT = "_raw"


@dataclass
class Touched:
    """What a job touches that exists already: entity IDs its rows name, and the parents whose lists it
    sends. The live diff reads exactly these (`Platform.read_touched`)."""

    ids: dict[str, set[int]] = field(default_factory=dict)  # kind name (campaigns, creatives, ...) → IDs
    lists: dict[str, set[int]] = field(default_factory=dict)  # child kind → parent IDs (campaigns, lists)
    # kind name → ID → what the job's update row of that object sends (its payload): a platform may read
    # what only some rows fill (a campaign's settings on their own routes) for those rows alone.
    filled: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)


class ApiClient(Protocol):
    """A platform's typed API client, as the run drives it: opened as an async context manager, logged
    in once, its requests counted in `stats` and its retries and the run's budget decided by its `retry` policy."""

    retry: RetryPolicy
    stats: Any  # `requests_sent` and `responses_429`, at least

    async def __aenter__(self) -> ApiClient: ...
    async def __aexit__(self, *exc: object) -> object: ...
    async def login(self) -> None: ...


class ReadState(Protocol):
    """Export's read of an account: what the answer holds is described in `bulkops.exporter`."""

    async def __call__(self, client: Any, kinds: Sequence[Kind], campaign_ids: Sequence[int] | None,
                       progress: Callable[[int], None]) -> State: ...


class ReadTouched(Protocol):
    """The live diff's read: only what a job touches (`Touched`), in export's value space."""

    async def __call__(self, client: Any, touched: Touched, progress: Callable[[int], None]) -> State: ...


class HeldReading(Protocol):
    """A platform without a live diff whose push still compares, in its own steps, what it is about to
    change: what it holds is read once before anything is sent, so that bulkops's own checks refuse
    only values it does not hold (and `plan` reads only what that settling needs)."""

    async def read(self, plan: Plan, validated: Sequence[ValidatedSheet], existing: Mapping[RowKey, int],
                   verbs: Any, *, for_steps: bool = True) -> Any: ...

    def note_unread(self, validated: Sequence[ValidatedSheet], existing: Mapping[RowKey, int], held: Any) -> None: ...

    def use(self, plan: Plan, validated: Sequence[ValidatedSheet], held: Any, verbs: Any) -> None: ...

    def mark(self, plan: Plan, object_ids: Any) -> None: ...


@dataclass(frozen=True)
class Connection:
    """How bulkops logs in: the API's address, the credential fields (field → environment variable;
    a profile's `[name]` table holds the same fields), and the fields naming the account (never a
    secret) that scope its journal."""

    default_base_url: str
    credential_env: Mapping[str, str]
    # The client for a base URL, credentials and the run's rate limiter (not logged in yet).
    open_client: Callable[[str, Credentials, RateLimiter, RetryPolicy], AbstractAsyncContextManager[ApiClient]]
    identity: tuple[str, ...] = ("email",)


@dataclass(frozen=True)
class SandboxParts:
    """The platform's sandbox: its app, its documented defaults, its built-in account (public by design)
    as `bulkops sandbox` announces it, and what `bulkops demo` pushes to it."""

    app: Callable[[SandboxConfig], Any]
    rate_limit: int  # requests a window, as the platform documents
    token_ttl_s: float  # how long a login lasts, as the platform documents
    # (credential field, label, value) of the built-in account beyond the shared email and password
    account: tuple[tuple[str, str, str], ...] = ()
    demo_samples: tuple[str, ...] = ()  # the sample workbooks `bulkops demo` pushes, in order
    demo_note: str = ""  # what the demo's closing line says of this platform's deliberate failures


@dataclass(frozen=True)
class Estimating:
    """What a plan's estimate adds for this platform beyond its steps' requests."""

    extra_requests: Callable[[Plan], int] = lambda plan: 0
    waits_for_review: Callable[[Plan], bool] = lambda plan: False


@dataclass(frozen=True)
class Reporting:
    """What a platform offers `bulkops report` (docs/report.md): the metrics its statistics hold, in
    column order, and its read of every page of them (`bulkops.reporting.ReadStatistics`)."""

    metrics: tuple[Metric, ...]
    read: ReadStatistics
    page_rows: int  # rows a page at most, as the platform documents


@dataclass(frozen=True)
class Platform:
    """Everything one platform is. Generic code asks this object and never names a platform."""

    name: str  # as `--platform` and `Kind.platform` spell it
    label: str  # as messages write it
    kinds: tuple[Kind, ...]
    connection: Connection
    # The run's verbs per kind (the executor's `Adapter`s, and whatever the platform's steps use),
    # for a logged-in client: `verbs(client, item_cap=..., approval_timeout_s=...)`.
    verbs: Callable[..., dict[str, Any]]
    steps: Callable[[Plan], list[Step]]  # a plan as steps of the dependency graph
    rate_limit: int  # requests a minute the platform documents (corrected by its headers as it answers)
    read_state: ReadState | None = None  # export; None: no export
    read_touched: ReadTouched | None = None  # the live diff of plan and push; None: no diff
    held: HeldReading | None = None  # without a diff: what push reads before sending
    # What looks up an unanswered create by name, per kind, given the run's verbs (default: the verbs).
    finders: Callable[[Mapping[str, Any]], Mapping[str, Any]] = lambda verbs: verbs
    # List kinds whose items travel in their parent's own create request; None: every list kind (the
    # parent is created whole, and cannot be given an item later).
    items_in_create: frozenset[str] | None = frozenset()
    # Settles, before any read, own-check errors on rows whose values are never sent.
    settle_unsent: Callable[[Sequence[ValidatedSheet]], None] = lambda validated: None
    # A filter list item's problem given its list's type and that column's header (None: fine).
    item_problem: Callable[[str, str, str], str | None] = lambda list_type, item, header: None
    estimating: Estimating = field(default_factory=Estimating)
    sandbox: SandboxParts | None = None
    # The platform's dictionaries by name (`bulkops.reference`), which columns name as `Column.lookup`.
    reference: Mapping[str, Dictionary] = field(default_factory=dict)
    reporting: Reporting | None = None  # statistics for `bulkops report`; None: no report
    # Per kind name, the fields of its objects as read (`RAW_OBJECT`) that are no setting a sheet lacks:
    # bookkeeping (IDs, timestamps, counters) or what another sheet holds (a campaign's targeting read
    # from its own fields). Dotted paths; `*` stands for any text. Everything else a read object holds
    # that no column declares is listed on the export's Summary.
    not_settings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def creates_whole(self) -> bool:
        """Whether a parent and all its lists go in one create (nothing can be added to it later)."""
        return self.items_in_create is None

    @property
    def reads_live(self) -> bool:
        """Whether plan and push read live state before sending (a diff, or what the steps compare)."""
        return self.read_touched is not None or self.held is not None
