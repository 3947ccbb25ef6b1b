"""How an IQM plan becomes steps: upload batches bounded by count and by bytes, and uploads whose\nanswer is lost."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

from bulkops._exceptions import ApiError, TransportError
from bulkops._retry import DEFAULT_RETRY, RetryPolicy
from bulkops.engine import DONE, FAILED, INTENT, Context, Journal
from bulkops.planner import Operation, Status
from bulkops.platforms.iqm import _steps as _iqm
from bulkops.platforms.iqm._verbs import Uploaded


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


# -- uploads whose answer is lost ---------------------------------------------------------------

class _Kind:
    name = "creatives"
    sheet = "Creatives"


@dataclass
class _Upload:
    """What the upload step reads of an Operation."""

    name: str
    row: int

    kind = _Kind()
    action = "create"
    target_id = None
    fingerprint = "f"
    ref = None

    @property
    def key(self) -> str:
        return f"creatives:{self.row}"

    @property
    def natural_key(self) -> str:
        return self.name

    @property
    def payload(self) -> dict:
        return {"creativeName": self.name}

    def column(self, field_name: str) -> str:
        return field_name.upper() if field_name == "id" else field_name

    @property
    def row_key(self) -> tuple[int, int]:
        return (0, self.row)

    @property
    def row_ref(self) -> str:
        return f"row:0:{self.row}"


class _Iqm:
    """IQM's creative list and upload; `plans` scripts each upload: how many of its files are
    committed before the answer is lost (None: all, answered), and how long it takes."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.uploads: list[list[str]] = []
        self.plans: list[tuple[int | None, float]] = []
        self.lookups_fail = False
        self.refused: dict[str, str] = {}  # creative name → why IQM refuses it (its answer's failedData)

    async def upload(self, payloads: list[dict]) -> list[Uploaded]:
        self.uploads.append([p["creativeName"] for p in payloads])
        committed, delay = self.plans.pop(0) if self.plans else (None, 0.0)
        results = []
        for payload in payloads[:committed]:
            if payload["creativeName"] in self.refused:
                results.append(Uploaded(error=self.refused[payload["creativeName"]]))
                continue
            results.append(Uploaded(id=max(self.names, default=100) + 1))
            self.names[results[-1].id] = payload["creativeName"]
        await asyncio.sleep(delay)
        if committed is not None:
            raise TransportError("no answer from IQM: RemoteProtocolError", maybe_sent=True)
        return results

    async def find_creatives(self, name: str) -> list[int]:
        if self.lookups_fail:
            raise ApiError("IQM answered 503", status_code=503)
        return [i for i, n in self.names.items() if n == name]


def _upload(ops, iqm, journal, number=0, retry=DEFAULT_RETRY):
    return _iqm._upload_step(number, ops).run(Context(journal, {"iqm": iqm}, retry=retry))


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "j.sqlite", scope="test") as j:
        yield j


def test_after_a_lost_upload_only_the_creatives_a_lookup_does_not_find_are_sent_again(journal):
    iqm = _Iqm()
    iqm.plans = [(1, 0.0)]  # the first of two committed, then the answer is lost
    ops = [_Upload("Banner A", 2), _Upload("Banner B", 3)]
    outcomes = asyncio.run(_upload(ops, iqm, journal))
    assert iqm.uploads == [["Banner A", "Banner B"], ["Banner B"]]
    assert sorted(iqm.names.values()) == ["Banner A", "Banner B"]
    assert {outcomes[op.row_key].id for op in ops} == set(iqm.names)
    assert all(outcomes[op.row_key].status is Status.CREATED for op in ops)


@pytest.mark.parametrize("second_tries", [1, DEFAULT_RETRY.second_tries])
def test_an_upload_never_answered_is_sent_again_as_often_as_the_policy_says_then_unknown(journal, second_tries):
    iqm = _Iqm()
    iqm.plans = [(0, 0.0)] * 10  # nothing committed, and no answer, every time
    op = _Upload("Banner A", 2)
    outcomes = asyncio.run(_upload([op], iqm, journal, retry=RetryPolicy(second_tries=second_tries)))
    assert iqm.uploads == [["Banner A"]] * (1 + second_tries)
    assert outcomes[op.row_key].status is Status.UNKNOWN


def test_when_looking_up_an_earlier_runs_upload_fails_only_that_row_is_unknown(journal):
    pending, fresh = _Upload("Banner A", 2), _Upload("Banner B", 3)
    journal.record(pending.key, kind="creatives", action="create", state=INTENT, fingerprint="f",
                   natural_key=pending.name, watermark=0)
    iqm = _Iqm()
    iqm.lookups_fail = True
    outcomes = asyncio.run(_upload([pending, fresh], iqm, journal))
    assert outcomes[pending.row_key].status is Status.UNKNOWN
    assert outcomes[fresh.row_key].status is Status.CREATED  # never sent before: nothing to look for
    assert iqm.uploads == [["Banner B"]]


def test_two_batches_uploading_one_name_never_take_each_others_creative(journal):
    # Batch 1's answer is lost after its commit; batch 2 commits the same name meanwhile and answers
    # late. Without the name's lock, batch 1's lookup would see two unclaimed namesakes.
    iqm = _Iqm()
    iqm.plans = [(1, 0.01), (None, 0.05)]
    first, second = _Upload("Banner", 2), _Upload("Banner", 3)

    async def both():
        return await asyncio.gather(_upload([first], iqm, journal, 0), _upload([second], iqm, journal, 1))

    one, two = asyncio.run(both())
    assert one[first.row_key].status is Status.CREATED and two[second.row_key].status is Status.CREATED
    assert one[first.row_key].id != two[second.row_key].id
    assert sorted(iqm.names) == sorted([one[first.row_key].id, two[second.row_key].id])


def test_a_creative_iqm_refuses_fails_its_row_alone_and_is_journaled_as_failed(journal):
    iqm = _Iqm()
    iqm.refused = {"Banner B": "Creative file missing. Please attach the required file."}
    ops = [_Upload("Banner A", 2), _Upload("Banner B", 3), _Upload("Banner C", 4)]
    outcomes = asyncio.run(_upload(ops, iqm, journal))
    assert [outcomes[op.row_key].status for op in ops] == [Status.CREATED, Status.FAILED, Status.CREATED]
    assert outcomes[ops[1].row_key].message == "Creative file missing. Please attach the required file."
    assert [journal.get(op.key).state for op in ops] == [DONE, FAILED, DONE]
    assert iqm.uploads == [["Banner A", "Banner B", "Banner C"]]  # one request for all three
def test_a_creative_an_earlier_lost_upload_made_from_other_values_is_refused_without_an_id(journal):
    from bulkops.engine import DONE

    journal.start_run(inputs=["creatives.csv"], results="killed.xlsx")
    journal.record("creatives:before-the-edit", kind="creatives", action="create", state=DONE, fingerprint="old",
                   natural_key="Banner", result_id=55, found=True)
    journal.start_run(inputs=["creatives.csv"], results="again.xlsx")
    iqm = _Iqm()
    ctx = Context(journal, {"iqm": iqm})
    outcomes = asyncio.run(_iqm._upload_step(0, [_Upload("Banner", 2)]).run(ctx))
    assert outcomes[(0, 2)].status is Status.FAILED and "bulkops found creative 55" in outcomes[(0, 2)].message
    assert iqm.uploads == [] and ctx.ids == {}  # nothing sent; the campaign that needs it waits
