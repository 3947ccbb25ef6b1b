"""What a run's sessions are opened with: the default retry budget."""

from __future__ import annotations

from bulkops.engine._adapters import MIN_RETRY_BUDGET, retry_budget_for


def test_the_default_retry_budget_grows_with_the_job():
    assert retry_budget_for(10) == MIN_RETRY_BUDGET
    assert retry_budget_for(40_000) == 10_000
