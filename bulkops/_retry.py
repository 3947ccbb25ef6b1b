"""When bulkops tries again, in one frozen object: the HTTP core, both platform clients and the
engine read their retries from a `RetryPolicy`, and nothing else decides how often, how long, or
what is worth repeating.

Two layers use it. The HTTP core repeats one request (`retries` times at most, after a backoff or
`Retry-After`) when repeating it is safe; the engine, after a create or list write whose answer
never came, looks before sending it again (`second_tries` times at most). Both spend the run's
budget, because the engine's sends and looks go through the core.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = ["DEFAULT_RETRY", "RetryPolicy"]


@dataclass(frozen=True)
class RetryPolicy:
    """How bulkops retries; `DEFAULT_RETRY` is what the CLI and the clients use unless told.

    - `retries`: times one call is sent again after a 429, a connection that could not be opened,
      or (when repeating it changes nothing) a lost answer or a status in `statuses`.
    - `backoff_base_s`, `backoff_cap_s`: the wait before retry n (from 0) is drawn uniformly from
      0 to min(cap, base * 2**n) ("full jitter"), so clients that failed together come back apart.
    - A 429 with `Retry-After` is always waited out, by every request on the token (the rate
      limiter does that), and costs no budget: the platform said when to come back, so that is
      pacing, not failing. A 429 without it is backed off and spends the budget like a 503.
    - `budget`: retries the whole run may spend, every call's together; past it the run stops,
      resumably. None: `budget_for` the job's expected requests (a push), or no run-wide bound
      (a client on its own, an export).
    - `second_tries`: times the engine looks and sends again a write whose answer never came.
    """

    retries: int = 6
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 30.0
    statuses: frozenset[int] = field(default=frozenset({502, 503, 504}))
    budget: int | None = None
    min_budget: int = 200
    budget_share: float = 0.25
    # As many as the client gives a call it may repeat: a fixed 3 failed rows of a push through
    # 10 % 503s plus cut connections (about one write in five lost).
    second_tries: int = 6

    def __post_init__(self) -> None:
        for name in ("retries", "min_budget", "second_tries"):
            if getattr(self, name) < 0:
                raise ValueError(f"RetryPolicy.{name} must be 0 or more, not {getattr(self, name)}")
        if self.budget is not None and self.budget < 0:
            raise ValueError(f"RetryPolicy.budget must be 0 or more (or None), not {self.budget}")
        if not 0 < self.backoff_base_s <= self.backoff_cap_s:
            raise ValueError("RetryPolicy needs 0 < backoff_base_s <= backoff_cap_s, not "
                             f"{self.backoff_base_s} and {self.backoff_cap_s}")
        if not 0 <= self.budget_share <= 1:
            raise ValueError(f"RetryPolicy.budget_share must be between 0 and 1, not {self.budget_share}")
        object.__setattr__(self, "statuses", frozenset(self.statuses))

    def may_retry(self, attempt: int) -> bool:
        """Whether a call that just failed on `attempt` (0: its first send) may be sent again."""
        return attempt < self.retries

    def retries_status(self, status: int, *, replayable: bool) -> bool:
        """Whether an answer with `status` is worth sending again (429 aside: it is always retried).
        Only a call that repeating changes nothing: a 5xx after a create may hide a commit."""
        return replayable and status in self.statuses

    def backoff_ceiling(self, attempt: int) -> float:
        """The longest wait before retry `attempt` (0: the first); the wait is drawn below it."""
        return min(self.backoff_cap_s, self.backoff_base_s * 2**attempt)

    def budget_for(self, expected_requests: int) -> int:
        """The run's budget for a job of `expected_requests`: `budget` if set, otherwise a share of
        the requests and never fewer than `min_budget`, so a 10,000-row migration through a bad hour
        still finishes while a platform that is down stops it."""
        if self.budget is not None:
            return self.budget
        return max(self.min_budget, int(expected_requests * self.budget_share))

    def for_job(self, expected_requests: int) -> RetryPolicy:
        """This policy with its budget fixed for a job of `expected_requests`."""
        return replace(self, budget=self.budget_for(expected_requests))


DEFAULT_RETRY = RetryPolicy()
