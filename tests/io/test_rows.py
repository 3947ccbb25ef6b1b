"""The results workbook's rows are plain values: the Status words io writes are the executor's, and
the job turns each outcome into one."""

from __future__ import annotations

from bulkops._jobs import row_results
from bulkops.io import STATUSES, ResultRow
from bulkops.planner import RowOutcome, Status


def test_the_summary_counts_every_status_the_executor_gives_in_its_order():
    assert tuple(status.value for status in Status) == STATUSES


def test_an_outcome_becomes_a_plain_row_result():
    outcomes = {(0, 2): RowOutcome(Status.CREATED, "", 41, written=True), (1, 5): RowOutcome(Status.NOT_RUN, "later")}
    results = row_results(outcomes)
    assert results == {(0, 2): ResultRow("created", "", 41), (1, 5): ResultRow("not run", "later", None)}
    assert all(type(result.status) is str for result in results.values())
