"""`row_done=`: a push tells each row's outcome as the sending settles it, before the report comes back."""

from __future__ import annotations

import pytest

import bulkops
from tests.conftest import campaign


@pytest.mark.slow
def test_push_tells_each_row_as_it_is_settled(write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(3)])
    heard: list[bulkops.RowResult] = []
    counts_when_heard: list[int] = []

    def progress(event: bulkops.Progress) -> None:
        counts_when_heard.append(len(heard))

    with bulkops.sandbox.running("smartyads") as server:
        report = bulkops.push(path, platform="smartyads", base_url=server.base_url, credentials=server.credentials,
                              output=tmp_path / "out.xlsx", concurrency=1, row_done=heard.append,
                              progress=progress)
    assert report.ok
    assert {(r.sheet, r.row, r.status, r.id) for r in heard} == {
        (r.sheet, r.row, r.status, r.id) for r in report.rows}
    # Heard while the push went on: the first rows before the last request was answered.
    assert counts_when_heard[-2] < len(report.rows)


@pytest.mark.slow
def test_a_row_pushed_as_new_is_told_with_its_old_id(write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}", id=40 + i) for i in range(2)])
    heard: list[bulkops.RowResult] = []
    with bulkops.sandbox.running("smartyads") as server:
        report = bulkops.push(path, platform="smartyads", base_url=server.base_url, credentials=server.credentials,
                              output=tmp_path / "out.xlsx", row_done=heard.append, as_new=True)
    assert report.ok
    assert {(r.row, r.old_id) for r in report.rows} == {(2, 40), (3, 41)}
    assert {(r.row, r.old_id) for r in heard if r.status == "created"} == {(2, 40), (3, 41)}
