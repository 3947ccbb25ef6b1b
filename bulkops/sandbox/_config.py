"""The sandbox's knobs, and its built-in account (public by design: DESIGN.md, section "Sandbox")."""

from __future__ import annotations

from dataclasses import dataclass

SANDBOX_EMAIL = "demo@bulkops.test"
SANDBOX_PASSWORD = "sandbox"
SANDBOX_USER_ID = 18  # the `sub` of the document's first example token

PLATFORMS = ("smartyads",)  # IQM joins when bulkops/sandbox/iqm.py exists


@dataclass
class SandboxConfig:
    platform: str = "smartyads"
    rate_limit: int = 500  # requests per window per token subject (non-login calls)
    login_rate_limit: int = 10  # login requests per window per client address
    window_s: float = 60.0  # window length; tests scale it down
    latency_ms: float = 0.0  # added before every answer
    fail_rate: float = 0.0  # share of non-login requests answered 503 before doing anything
    token_ttl_s: float = 3600.0
    state_path: str | None = None  # SQLite file; None keeps state in memory
    per_page_max: int = 1000
    seed: int | None = None  # for deterministic fault injection
    max_items_per_request: int = 1000  # items one list request may carry (ZIPs, circles, deals, ids)
    max_files_per_upload: int = 10  # files one media upload may carry

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Refuse settings that would make the sandbox lie; called again by create_app, since the CLI
        changes fields after construction."""
        if self.platform not in PLATFORMS:
            raise ValueError(f"the sandbox serves {', '.join(PLATFORMS)} only for now, not {self.platform!r}")
        if self.rate_limit < 1 or self.login_rate_limit < 1:
            raise ValueError("rate limits must be at least 1")
        if self.window_s <= 0 or self.token_ttl_s <= 0:
            raise ValueError("window_s and token_ttl_s must be positive")
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        if not 0.0 <= self.fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        if self.per_page_max < 1:
            raise ValueError("per_page_max must be at least 1")
        if self.max_items_per_request < 1 or self.max_files_per_upload < 1:
            raise ValueError("max_items_per_request and max_files_per_upload must be at least 1")
