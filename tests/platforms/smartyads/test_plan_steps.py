"""Lists, deals, assignments and their order, with fake verbs in memory: chunks, modes, resume."""

from __future__ import annotations

import asyncio

import pytest

from bulkops._exceptions import ApiError, TransportError
from bulkops._retry import DEFAULT_RETRY, RetryPolicy
from bulkops.engine import Adapter, Journal, execute
from bulkops.io import read_files
from bulkops.kinds import REPLACE
from bulkops.planner import Status, build_plan
from bulkops.platforms.smartyads._steps import TargetList
from bulkops.platforms.smartyads.client import GeoZip
from bulkops.validation import validate_sheets
from tests.conftest import campaign


class FakeCampaigns(Adapter):
    def __init__(self, refuse: str | None = None) -> None:
        self.next_id = 500
        self.refuse = refuse  # a campaign name the platform refuses

    async def create(self, payload: dict) -> int:
        if payload["name"] == self.refuse:
            raise ApiError("The a domain field is required.", status_code=422)
        self.next_id += 1
        return self.next_id

    async def update(self, object_id: int, payload: dict) -> None: ...

    async def delete(self, object_id: int) -> None: ...

    async def find(self, natural_key: str, newer_than: float = 0.0) -> list[int]:
        return []


class FakeClient:
    """Just the geo ZIP routes of the client, over a dict; PATCH appends without de-duplicating."""

    def __init__(self) -> None:
        self.zips: dict[int, list[dict]] = {}
        self.calls: list[tuple[str, int, int]] = []  # (verb, campaign, items)
        self.fail_call: int | None = None  # the n-th send (1-based) raises
        self.lose_answer_of_call: int | None = None  # the n-th send commits, then the answer is lost
        self.reads_fail = False

    async def _sent(self, verb: str, cid: int, items: list[dict]) -> None:
        self.calls.append((verb, cid, len(items)))
        number = len(self.calls)
        await asyncio.sleep(0.01 if verb == "replace" else 0)  # a replace is slow: an append could overtake it
        if self.fail_call == number:
            raise ApiError("The items field must not have more than 2 items.", status_code=422)
        if verb == "replace":
            self.zips[cid] = list(items)
        else:
            self.zips.setdefault(cid, []).extend(items)
        if self.lose_answer_of_call == number:
            raise TransportError("connection dropped", maybe_sent=True)

    async def replace_geo_zips(self, cid: int, items: list[dict]) -> None:
        await self._sent("replace", cid, items)

    async def append_geo_zips(self, cid: int, items: list[dict]) -> None:
        await self._sent("append", cid, items)

    async def get_geo_zips(self, cid: int):
        self.calls.append(("get", cid, 0))
        if cid == 404:
            raise ApiError("No query results for model [Campaign] 404", status_code=404)
        if self.reads_fail:
            raise TransportError("no answer", maybe_sent=True)

        return [GeoZip.model_validate(z) for z in self.zips.get(cid, [])]


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "j.sqlite", scope="test") as j:
        yield j


def zips(campaign_ref: object, codes: list[str], **extra: object) -> list[dict]:
    return [{"campaign": campaign_ref, "zip": code, "iso2": "US", "lat": 42.0, "lng": -71.0, **extra}
            for code in codes]


CODES = [f"0{n:04d}" for n in range(1001, 1008)]  # seven ZIPs


def run_job(write_workbook, journal, sheets, *, cap=3, client=None, append=frozenset(), more=None,
            campaigns=None, control=None, retry=DEFAULT_RETRY):
    paths = [write_workbook(sheets)] + ([write_workbook(more, name="more.xlsx")] if more else [])
    plan = build_plan(validate_sheets(read_files(paths, "smartyads")), skip_invalid=False, item_cap=cap,
                      append=append)
    client = client or FakeClient()
    verbs = {"campaigns": campaigns or FakeCampaigns(),
             "geo-zip": TargetList(client, "geo-zip")}
    journal.start_run(inputs=[str(p) for p in paths], results="results.xlsx")
    outcomes = asyncio.run(execute(plan, verbs, journal, control=control, retry=retry))
    return client, outcomes


def test_replace_is_one_post_then_appends_in_chunks_of_the_cap(write_workbook, journal):
    client, outcomes = run_job(write_workbook, journal, {"campaigns": [campaign(ref="c1")],
                                                         "geo-zip": zips("c1", CODES)})
    # and one read of the list after the last chunk: what the platform holds (6.2.4 answers a message)
    assert client.calls == [("replace", 501, 3), ("append", 501, 3), ("append", 501, 1), ("get", 501, 0)]
    assert [z["zip"] for z in client.zips[501]] == CODES
    messages = [outcomes[(1, row)].message for row in range(2, 9)]
    assert messages[0] == "request 1 of 3 (replace)" and messages[-1] == "request 3 of 3 (replace)"
    assert {outcomes[(1, row)].status for row in range(2, 9)} == {Status.CREATED}


def test_a_second_run_sends_nothing_and_a_changed_list_is_sent_again(write_workbook, journal):
    sheets = {"geo-zip": zips(77, CODES)}
    client, _ = run_job(write_workbook, journal, sheets)
    assert len(client.calls) == 4  # three chunks and the read that checks them
    client, outcomes = run_job(write_workbook, journal, sheets, client=client)
    assert client.calls[4:] == [("get", 77, 0)]  # no write: the list is only checked again
    assert "earlier run" in outcomes[(0, 2)].message
    client, _ = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES[:-1])}, client=client)
    assert client.calls[5:] == [("replace", 77, 3), ("append", 77, 3), ("get", 77, 0)]
    assert [z["zip"] for z in client.zips[77]] == CODES[:-1]


def test_a_refused_chunk_fails_its_rows_and_the_later_chunks_are_not_run(write_workbook, journal):
    client = FakeClient()
    client.fail_call = 2
    _, outcomes = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES)}, client=client)
    statuses = [outcomes[(0, row)].status for row in range(2, 9)]
    assert statuses == [Status.CREATED] * 3 + [Status.FAILED] * 3 + [Status.NOT_RUN]
    assert "must not have more than 2" in outcomes[(0, 5)].message
    assert client.calls == [("replace", 77, 3), ("append", 77, 3)]


def test_a_lost_answer_is_made_good_in_the_same_run_without_sending_an_item_twice(write_workbook, journal):
    client = FakeClient()
    client.lose_answer_of_call = 2  # the second chunk arrived, its answer did not
    _, outcomes = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES)}, client=client)
    # The run reads the list, finds chunk 2 there, sends nothing for it and goes on with chunk 3.
    assert client.calls == [("replace", 77, 3), ("append", 77, 3), ("get", 77, 0), ("append", 77, 1),
                            ("get", 77, 0)]
    assert [z["zip"] for z in client.zips[77]] == CODES
    assert {outcomes[(0, row)].status for row in range(2, 9)} == {Status.CREATED}


def test_a_lost_answer_is_resumed_without_sending_an_item_twice(write_workbook, journal):
    client = FakeClient()
    client.lose_answer_of_call = 2  # the second chunk arrived, its answer did not
    client.reads_fail = True  # nor can the run read the list to see: the next run must
    _, outcomes = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES)}, client=client)
    assert outcomes[(0, 5)].status is Status.FAILED
    client.lose_answer_of_call = None
    client.reads_fail = False
    assert client.calls == [("replace", 77, 3), ("append", 77, 3), ("get", 77, 0)]  # the read that failed
    client, outcomes = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES)}, client=client)
    # The next run reads the list, sends nothing for chunk 2 (all there) and goes on with chunk 3.
    assert client.calls[3:] == [("get", 77, 0), ("append", 77, 1), ("get", 77, 0)]
    assert [z["zip"] for z in client.zips[77]] == CODES
    assert {outcomes[(0, row)].status for row in range(2, 9)} == {Status.CREATED}


@pytest.mark.parametrize("second_tries", [0, 2, DEFAULT_RETRY.second_tries])
def test_a_list_whose_answers_never_come_is_sent_again_as_often_as_the_policy_says(write_workbook, journal,
                                                                                    second_tries):
    class Unanswered(FakeClient):
        async def _sent(self, verb: str, cid: int, items: list[dict]) -> None:
            await super()._sent(verb, cid, items)
            raise TransportError("connection dropped", maybe_sent=True)

    client, outcomes = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES[:2])}, client=Unanswered(),
                               retry=RetryPolicy(second_tries=second_tries))
    assert client.calls == [("replace", 77, 2)] * (1 + second_tries)
    assert {outcomes[(0, row)].status for row in (2, 3)} == {Status.FAILED}


def test_append_reads_first_and_sends_only_what_is_missing(write_workbook, journal):
    client = FakeClient()
    client.zips[77] = zips(77, CODES[:2], include=True)
    _, outcomes = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES[:4])}, client=client,
                          append=frozenset({"geo-zip"}))
    assert client.calls == [("get", 77, 0), ("append", 77, 2), ("get", 77, 0)]
    assert [outcomes[(0, r)].status for r in range(2, 6)] == [Status.UNCHANGED] * 2 + [Status.CREATED] * 2


def test_without_the_live_state_an_append_counts_the_read_it_makes_and_one_to_a_new_campaign_reads_none(
        write_workbook, journal):
    from bulkops.engine import steps_of

    for sheets, calls in (({"geo-zip": zips(77, CODES[:2])}, [("get", 77, 0), ("append", 77, 2), ("get", 77, 0)]),
                          ({"campaigns": [campaign(ref="c1")], "geo-zip": zips("c1", CODES[:2])},
                           [("append", 501, 2), ("get", 501, 0)])):
        plan = build_plan(validate_sheets(read_files([write_workbook(sheets)], "smartyads")), skip_invalid=False,
                          item_cap=3, append=frozenset({"geo-zip"}))
        [zip_step] = [s for s in steps_of(plan) if s.key.startswith("geo-zip")]
        client, _ = run_job(write_workbook, journal, sheets, append=frozenset({"geo-zip"}))
        assert client.calls == calls
        assert zip_step.requests == len(calls)


def test_a_mode_column_wins_over_the_default_and_append_waits_for_replace(write_workbook, journal):
    # One sheet refuses mixed modes for a parent (tests/validation/test_links.py); two files of a job can still
    # mix them, and --append makes the blank Mode of the second file an append.
    client, _ = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES[:2], mode=REPLACE)},
                        more={"geo-zip": zips(77, CODES[2:4])}, append=frozenset({"geo-zip"}))
    # Replace first (or the append would be wiped), then the append reads and adds.
    assert client.calls == [("replace", 77, 2), ("get", 77, 0), ("get", 77, 0), ("append", 77, 2), ("get", 77, 0)]
    assert [z["zip"] for z in client.zips[77]] == CODES[:4]


def test_two_campaigns_lists_are_independent(write_workbook, journal):
    client = FakeClient()
    client.fail_call = 1
    _, outcomes = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES[:2]) + zips(78, CODES[:2])},
                          client=client)
    assert sorted(o.status.value for o in outcomes.values()) == ["created", "created", "failed", "failed"]
    assert sum(1 for c in client.calls if c[0] == "replace") == 2


def test_children_of_a_campaign_the_platform_refused_are_skipped_with_its_reason(write_workbook, journal):
    sheets = {"campaigns": [campaign(ref="ok", name="Fine"), campaign(ref="no", name="Refused")],
              "geo-zip": zips("ok", CODES[:1]) + zips("no", CODES[1:3])}
    client, outcomes = run_job(write_workbook, journal, sheets, campaigns=FakeCampaigns(refuse="Refused"))
    assert outcomes[(0, 3)].status is Status.FAILED
    assert [outcomes[(1, r)].status for r in (2, 3, 4)] == [Status.CREATED, Status.SKIPPED, Status.SKIPPED]
    reason = outcomes[(1, 3)].message
    assert "Campaigns row 3" in reason and "a domain field is required" in reason
    assert client.calls == [("replace", 501, 1), ("get", 501, 0)]


@pytest.mark.parametrize("action", ["skip", None])
def test_a_creative_that_will_not_be_sent_stops_a_replace_of_its_campaigns_creatives(write_workbook, action):
    tag = {"format": "banner-tag", "width": 300, "height": 250, "admBody": "<script></script>", "bidPrice": 1,
           "categories": "IAB1", "campaigns": "77"}
    good = {"id": 11, "name": "Kept", "isActive": "yes", **tag}
    held = {"id": 12, "name": "Held", "isActive": "maybe", **tag}
    if action:
        held = dict(held, action=action, isActive="yes")
    path = write_workbook({"creatives": [good, held]})
    plan = build_plan(validate_sheets(read_files([path], "smartyads")), skip_invalid=True)
    assert [g.kind for g in plan.groups] == []
    reason = plan.outcomes[(0, 2)].message
    assert plan.outcomes[(0, 2)].status is Status.SKIPPED
    assert reason == ("not sent: creative row 3 of the same list is invalid or skipped, and replacing the list "
                      "without it would remove it")


def test_a_read_that_fails_fails_its_list_only(write_workbook, journal):
    client, outcomes = run_job(write_workbook, journal, {"geo-zip": zips(404, CODES[:1]) + zips(78, CODES[:1])},
                               append=frozenset({"geo-zip"}))
    assert outcomes[(0, 2)].status is Status.FAILED and "[Campaign] 404" in outcomes[(0, 2)].message
    assert outcomes[(0, 3)].status is Status.CREATED
    assert ("append", 78, 1) in client.calls


def test_a_graceful_stop_ends_a_long_list_between_its_chunks(write_workbook, journal):
    from bulkops._control import RunControl

    control = RunControl()
    client = FakeClient()
    real = client._sent

    async def sent(verb: str, cid: int, items: list[dict]) -> None:
        await real(verb, cid, items)
        control.stop("interrupted (Ctrl-C)")  # arrives while the first chunk is in flight

    client._sent = sent  # type: ignore[method-assign]
    _, outcomes = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES)}, client=client, control=control)
    assert client.calls == [("replace", 77, 3)]  # the chunk in flight finished; no other was sent (nor read)
    assert [outcomes[(0, r)].status for r in range(2, 9)] == [Status.CREATED] * 3 + [Status.NOT_RUN] * 4
    client._sent = real  # type: ignore[method-assign]
    _, again = run_job(write_workbook, journal, {"geo-zip": zips(77, CODES)}, client=client)
    assert client.calls[1:] == [("append", 77, 3), ("append", 77, 1), ("get", 77, 0)]  # goes on at chunk 2
    assert [z["zip"] for z in client.zips[77]] == CODES
