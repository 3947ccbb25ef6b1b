"""The sandbox's knobs, and its built-in account (public by design: README, "Credentials")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bulkops.registry import DEFAULT_PLATFORM, platform_named, platform_names

SANDBOX_EMAIL = "demo@bulkops.test"
SANDBOX_PASSWORD = "sandbox"
SANDBOX_USER_ID = 18  # the `sub` of the document's first example token



@dataclass
class SandboxConfig:
    platform: str = DEFAULT_PLATFORM
    rate_limit: int = None  # type: ignore[assignment]  # per window per token; None: the platform's default
    login_rate_limit: int = 10  # login requests per window per client address
    window_s: float = 60.0  # window length; tests scale it down
    latency_ms: float = 0.0  # added before every answer
    fail_rate: float = 0.0  # share of non-login requests answered 503 before doing anything
    token_ttl_s: float = None  # type: ignore[assignment]  # None: the platform's default
    state_path: str | None = None  # SQLite file; None keeps state in memory
    per_page_max: int = 1000
    seed: int | None = None  # for deterministic fault injection
    # 429 storms: after every `storm_every` non-login requests, the next `storm_length` are refused
    # with 429 and Retry-After `storm_retry_after_s`, whatever the rate limit says.
    storm_every: int = 0
    storm_length: int = 0
    storm_retry_after_s: float = 1.0
    retry_after_date: bool = False  # Retry-After as an HTTP date (RFC 9110 allows both) instead of seconds
    drop_rate: float = 0.0  # share of non-login requests whose connection is cut before the handler sees them
    # Share of writes (POST/PUT/PATCH/DELETE) that are done and committed, then their answer is cut
    # off: the hard case, where the client cannot know that its create exists.
    drop_answer_rate: float = 0.0
    # Called with (method, path, status) after a write committed and before its answer leaves; tests
    # use it to kill a client between the two.
    on_commit: Callable[[str, str, int], None] | None = field(default=None, repr=False, compare=False)
    max_items_per_request: int = 1000  # items one list request may carry (ZIPs, circles, deals, ids)
    max_files_per_upload: int = 10  # files one media upload may carry
    creative_review_s: float = 2.0  # where creatives are reviewed: how long a new one stays pending
    # Where a platform's creative files are said to be (IQM's creativeSource): this origin, or None for
    # the sandbox's own address, where it serves them. The default names a host that does not resolve.
    media_origin: str | None = "https://sandbox.bulkops.test"

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Refuse settings that would make the sandbox lie; called again by create_app, since the CLI
        changes fields after construction."""
        served = sandboxed_platforms()
        if self.platform not in served:
            raise ValueError(f"the sandbox serves {', '.join(served)} only for now, not {self.platform!r}")
        # The platform's documented defaults for the knobs left as None.
        parts = platform_named(self.platform).sandbox
        assert parts is not None
        if self.rate_limit is None:
            self.rate_limit = parts.rate_limit
        if self.token_ttl_s is None:
            self.token_ttl_s = parts.token_ttl_s
        if self.rate_limit < 1 or self.login_rate_limit < 1:
            raise ValueError("rate limits must be at least 1")
        if self.window_s <= 0 or self.token_ttl_s <= 0:
            raise ValueError("window_s and token_ttl_s must be positive")
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        for name in ("fail_rate", "drop_rate", "drop_answer_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.storm_every < 0 or self.storm_length < 0 or self.storm_retry_after_s < 0:
            raise ValueError("storm_every, storm_length and storm_retry_after_s must not be negative")
        if self.per_page_max < 1:
            raise ValueError("per_page_max must be at least 1")
        if self.max_items_per_request < 1 or self.max_files_per_upload < 1:
            raise ValueError("max_items_per_request and max_files_per_upload must be at least 1")
        if self.creative_review_s < 0:
            raise ValueError("creative_review_s must not be negative")


def sandboxed_platforms() -> tuple[str, ...]:
    """The platforms with a sandbox, in registry order."""
    return tuple(name for name in platform_names() if platform_named(name).sandbox is not None)
