"""How an IQM plan becomes steps: upload batches bounded by count and by bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulkops.run import _iqm
from bulkops.run._plan import Operation


class _Op:
    """Just what batching reads of an Operation: its payload."""

    def __init__(self, payload: dict) -> None:
        self.payload = payload


def _files(tmp_path: Path, sizes: list[int]) -> list[Operation]:
    ops = []
    for number, size in enumerate(sizes):
        path = tmp_path / f"f{number}.mp4"
        path.write_bytes(b"\0" * size)
        ops.append(_Op({"file": str(path)}))
    return ops  # type: ignore[return-value]


def test_batches_hold_at_most_the_file_count(tmp_path):
    ops = _files(tmp_path, [1] * 23)
    assert [len(b) for b in _iqm._batches(ops, 10)] == [10, 10, 3]


def test_batches_hold_at_most_the_byte_budget_but_a_big_file_goes_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(_iqm, "UPLOAD_BYTES", 100)
    ops = _files(tmp_path, [60, 30, 20, 150, 10])
    batches = _iqm._batches(ops, 10)
    assert [[ops.index(op) for op in batch] for batch in batches] == [[0, 1], [2], [3], [4]]


def test_tags_weigh_their_text(monkeypatch):
    monkeypatch.setattr(_iqm, "UPLOAD_BYTES", 10)
    ops = [_Op({"tag": "<div>1234</div>"}), _Op({"tag": "<b>"})]
    assert [len(b) for b in _iqm._batches(ops, 10)] == [1, 1]  # type: ignore[arg-type]


@pytest.mark.parametrize("most", [0, 1])
def test_a_count_below_one_still_sends_one_a_request(tmp_path, most):
    assert [len(b) for b in _iqm._batches(_files(tmp_path, [1, 1]), most)] == [1, 1]
