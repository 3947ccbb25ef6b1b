"""How many requests a plan needs and how long they take at the platform's rate, said up front."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bulkops.engine._adapters import Pace, documented_limit
from bulkops.engine._steps import steps_of
from bulkops.planner import Plan
from bulkops.registry import platform_named

if TYPE_CHECKING:
    from bulkops.engine._graph import Step


@dataclass(frozen=True)
class Estimate:
    # the login, the writes and the reads the steps make (an append's read where the live diff did not
    # read the list, the checks after each write); a lost answer's reconciliation comes on top
    requests: int
    limit: int
    window_s: float
    waits_for_review: bool = False
    steps: int = 0  # the part the steps count as they go (the progress bar's total)

    @property
    def seconds(self) -> float:
        """The first window's worth goes at once; each further window's worth waits one window."""
        return max(0, math.ceil(self.requests / self.limit) - 1) * self.window_s

    def describe(self) -> str:
        pace = f"{self.limit} a minute" if self.window_s == 60 else f"{self.limit} per {self.window_s:g} s"
        review = "; plus the platform's creative review" if self.waits_for_review else ""
        return f"about {self.requests} requests; at {pace} that takes {_duration(self.seconds)}{review}"


def estimate(plan: Plan, pace: Pace, steps: Sequence[Step] | None = None) -> Estimate:
    """`steps`: the plan's steps when the caller has built them already (a push runs them next)."""
    counted = sum(step.requests for step in (steps_of(plan) if steps is None else steps))
    requests = counted
    if requests == 0 or plan.empty:
        return Estimate(0, pace.limit or documented_limit(plan.platform), pace.window_s)
    requests += 1  # the login
    extra = platform_named(plan.platform).estimating
    review = extra.waits_for_review(plan)
    requests += extra.extra_requests(plan)
    return Estimate(requests, pace.limit or documented_limit(plan.platform), pace.window_s, review, counted)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return "under a minute" if seconds < 1 else f"about {seconds:.0f} s"
    minutes = seconds / 60
    if minutes < 90:
        return f"about {math.ceil(minutes)} min"
    return f"about {minutes / 60:.1f} h"
