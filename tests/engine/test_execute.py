"""The executor and journal with a fake platform: resume without duplicates, reconcile lost answers."""

from __future__ import annotations

import asyncio
import contextlib
import re
from pathlib import Path

import pytest

from bulkops._exceptions import ApiError, TransportError
from bulkops._retry import DEFAULT_RETRY, RetryPolicy
from bulkops.engine import INTENT, Adapter, Journal, execute
from bulkops.io import read_files
from bulkops.planner import Status, build_plan
from bulkops.validation import validate_sheets
from tests.conftest import campaign


class FakeCampaigns(Adapter):
    """A platform in memory; `lose_answer_for` commits a create and then drops the answer."""

    def __init__(self) -> None:
        self.objects: dict[int, dict] = {}
        self.calls: list[tuple[str, object]] = []
        self.lose_answer_for: set[str] = set()
        self.refuse: dict[str, str] = {}
        self.unavailable: dict[str, int] = {}  # name -> creates to answer 503 before doing anything
        self.lookups_fail = False

    async def create(self, payload: dict) -> int:
        self.calls.append(("create", payload["name"]))
        if payload["name"] in self.refuse:
            raise ApiError(self.refuse[payload["name"]], status_code=422)
        if self.unavailable.get(payload["name"], 0) > 0:
            self.unavailable[payload["name"]] -= 1
            raise ApiError("Service Unavailable", status_code=503)
        new_id = max(self.objects, default=99) + 1
        self.objects[new_id] = dict(payload)
        if payload["name"] in self.lose_answer_for:
            self.lose_answer_for.discard(payload["name"])
            raise TransportError("connection dropped", maybe_sent=True)
        return new_id

    async def update(self, object_id: int, payload: dict) -> None:
        self.calls.append(("update", object_id))
        self.objects[object_id].update(payload)

    async def delete(self, object_id: int) -> None:
        self.calls.append(("delete", object_id))
        if object_id not in self.objects:
            raise ApiError("No query results", status_code=404)
        del self.objects[object_id]

    async def find(self, natural_key: str, newer_than: float = 0.0) -> list[int]:
        self.calls.append(("find", natural_key))
        if self.lookups_fail:
            raise TransportError("no answer to the listing", maybe_sent=True)
        return [i for i, o in self.objects.items() if o["name"] == natural_key]


def plan_for(path: Path):
    return build_plan(validate_sheets(read_files([path], "smartyads")), skip_invalid=False)


def run(plan, fake, journal):
    return pushed(plan, {"campaigns": fake}, journal)


def pushed(plan, adapters, journal, **options):
    """One push: a run of its own in the journal (what was recorded before is an earlier run's)."""
    journal.start_run(inputs=["campaigns.xlsx"], results="campaigns-results.xlsx")
    return asyncio.run(execute(plan, adapters, journal, **options))


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "j.sqlite", scope="test") as j:
        yield j


def test_creates_then_a_second_run_sends_nothing(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref=f"r{i}", name=f"C{i}") for i in range(5)])
    fake = FakeCampaigns()
    first = run(plan_for(path), fake, journal)
    assert {o.status for o in first.values()} == {Status.CREATED}
    assert len(fake.objects) == 5
    fake.calls.clear()
    second = run(plan_for(path), fake, journal)
    assert fake.calls == []
    assert {k: o.id for k, o in second.items()} == {k: o.id for k, o in first.items()}


def test_lost_answer_is_found_by_name_not_created_again(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha"), campaign(ref="b", name="Beta")])
    fake = FakeCampaigns()
    fake.lose_answer_for = {"Alpha"}
    outcomes = run(plan_for(path), fake, journal)
    assert len(fake.objects) == 2
    alpha = outcomes[(0, 2)]
    assert alpha.status is Status.CREATED and "found it by name" in alpha.message


def test_killed_between_send_and_answer_resumes_without_duplicate(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha")])
    plan = plan_for(path)
    op = plan.operations[0]
    fake = FakeCampaigns()
    # What a kill leaves behind: intent journaled, create committed at the platform, no answer.
    journal.record(op.key, kind="campaigns", action="create", state=INTENT, fingerprint=op.fingerprint,
                   natural_key=op.natural_key)
    fake.objects[7] = {"name": "Alpha"}
    outcomes = run(plan, fake, journal)
    assert [c for c in fake.calls if c[0] == "create"] == []
    assert outcomes[(0, 2)].id == 7


def test_killed_before_the_request_left_creates_it_once(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha")])
    plan = plan_for(path)
    op = plan.operations[0]
    journal.record(op.key, kind="campaigns", action="create", state=INTENT, fingerprint=op.fingerprint,
                   natural_key=op.natural_key)
    fake = FakeCampaigns()
    outcomes = run(plan, fake, journal)
    assert outcomes[(0, 2)].status is Status.CREATED and len(fake.objects) == 1


def test_platform_refusal_fails_the_row_and_others_go_on(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha"), campaign(ref="b", name="Beta")])
    fake = FakeCampaigns()
    fake.refuse = {"Alpha": "The selected OS.0 is invalid."}
    outcomes = run(plan_for(path), fake, journal)
    assert outcomes[(0, 2)].status is Status.FAILED
    assert outcomes[(0, 2)].message == "The selected OS.0 is invalid."
    assert outcomes[(0, 3)].status is Status.CREATED
    fake.refuse.clear()
    fake.calls.clear()
    again = run(plan_for(path), fake, journal)
    assert again[(0, 2)].status is Status.CREATED
    assert [c[0] for c in fake.calls] == ["create"]


def test_update_and_delete_and_a_repeat_is_unchanged(write_campaigns_xlsx, journal):
    fake = FakeCampaigns()
    fake.objects = {100: {"name": "Old"}, 101: {"name": "Doomed"}}
    path = write_campaigns_xlsx([{"id": 100, "name": "New", "spentDailyLimit": 5},
                                 {"id": 101, "action": "delete"}])
    outcomes = run(plan_for(path), fake, journal)
    assert [outcomes[(0, 2)].status, outcomes[(0, 3)].status] == [Status.UPDATED, Status.DELETED]
    assert fake.objects == {100: {"name": "New", "spentDailyLimit": 5}}
    fake.calls.clear()
    again = run(plan_for(path), fake, journal)
    assert fake.calls == []
    assert [again[(0, 2)].status, again[(0, 3)].status] == [Status.UNCHANGED, Status.DELETED]


def test_invalid_rows_stop_the_whole_job_unless_skipped(write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(ref="a"), campaign(ref="b", name="B", type="bad")])
    sheets = validate_sheets(read_files([path], "smartyads"))
    strict = build_plan(sheets, skip_invalid=False)
    assert strict.operations == []
    assert strict.outcomes[(0, 2)].status is Status.NOT_RUN
    assert strict.outcomes[(0, 3)].status is Status.INVALID and "Type" in strict.outcomes[(0, 3)].message
    lenient = build_plan(sheets, skip_invalid=True)
    assert [op.row_key for op in lenient.operations] == [(0, 2)]


def test_a_create_answered_503_is_looked_up_then_sent_again_once(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha")])
    fake = FakeCampaigns()
    fake.unavailable = {"Alpha": 2}  # refused twice before doing anything; the client cannot know that
    outcomes = run(plan_for(path), fake, journal)
    assert outcomes[(0, 2)].status is Status.CREATED
    assert [c[0] for c in fake.calls] == ["create", "find", "create", "find", "create"]
    assert len(fake.objects) == 1


def test_a_create_that_never_gets_an_answer_is_sent_a_bounded_number_of_times_then_unknown(
        write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha")])
    fake = FakeCampaigns()
    fake.unavailable = {"Alpha": 100}
    outcomes = run(plan_for(path), fake, journal)
    assert outcomes[(0, 2)].status is Status.UNKNOWN
    assert [c[0] for c in fake.calls] == ["create"] + ["find", "create"] * DEFAULT_RETRY.second_tries
    assert DEFAULT_RETRY.second_tries == 6 and fake.objects == {}


def test_the_run_s_policy_says_how_often_an_unanswered_create_is_looked_up_and_sent_again(
        write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha")])
    fake = FakeCampaigns()
    fake.unavailable = {"Alpha": 100}
    outcomes = pushed(plan_for(path), {"campaigns": fake}, journal, retry=RetryPolicy(second_tries=2))
    assert outcomes[(0, 2)].status is Status.UNKNOWN
    assert [c[0] for c in fake.calls] == ["create", "find", "create", "find", "create"]


def test_a_create_nobody_can_account_for_is_unknown_and_the_next_run_looks_first(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha"), campaign(ref="b", name="Beta")])
    fake = FakeCampaigns()
    fake.lose_answer_for = {"Alpha"}
    fake.lookups_fail = True
    first = run(plan_for(path), fake, journal)
    assert first[(0, 2)].status is Status.UNKNOWN and "may or may not exist" in first[(0, 2)].message
    assert first[(0, 3)].status is Status.CREATED
    fake.lookups_fail = False
    fake.calls.clear()
    second = run(plan_for(path), fake, journal)
    assert fake.calls == [("find", "Alpha")]  # looked up before anything else; nothing sent again
    assert second[(0, 2)].status is Status.CREATED and second[(0, 2)].id == first[(0, 3)].id - 1
    assert len(fake.objects) == 2


def test_pending_creates_are_reconciled_before_anything_new_is_sent(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="n", name="New"), campaign(ref="a", name="Alpha")])
    plan = plan_for(path)
    alpha = next(op for op in plan.operations if op.natural_key == "Alpha")
    journal.record(alpha.key, kind="campaigns", action="create", state=INTENT, fingerprint=alpha.fingerprint,
                   natural_key=alpha.natural_key, watermark=0)
    fake = FakeCampaigns()
    fake.objects[7] = {"name": "Alpha"}
    outcomes = run(plan, fake, journal)
    assert fake.calls == [("find", "Alpha"), ("create", "New")]
    assert outcomes[(0, 3)].id == 7


def test_an_older_namesake_below_the_watermark_is_never_adopted(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha")])
    plan = plan_for(path)
    op = plan.operations[0]
    fake = FakeCampaigns()
    fake.objects[50] = {"name": "Alpha"}  # someone else's, older than the job's intent
    journal.record(op.key, kind="campaigns", action="create", state=INTENT, fingerprint=op.fingerprint,
                   natural_key=op.natural_key, watermark=60)
    outcomes = run(plan, fake, journal)
    assert outcomes[(0, 2)].status is Status.CREATED and outcomes[(0, 2)].id != 50
    assert sorted(fake.objects) == [50, 51]


def test_two_new_namesakes_leave_the_row_unknown_with_their_ids(write_campaigns_xlsx, journal):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha")])
    plan = plan_for(path)
    op = plan.operations[0]
    journal.record(op.key, kind="campaigns", action="create", state=INTENT, fingerprint=op.fingerprint,
                   natural_key=op.natural_key, watermark=0)
    fake = FakeCampaigns()
    fake.objects.update({8: {"name": "Alpha"}, 9: {"name": "Alpha"}})
    outcomes = run(plan, fake, journal)
    assert outcomes[(0, 2)].status is Status.UNKNOWN and "IDs 8, 9" in outcomes[(0, 2)].message
    assert [c for c in fake.calls if c[0] == "create"] == []


def test_a_spent_retry_budget_stops_the_run_and_leaves_the_rest_not_run(write_campaigns_xlsx, journal):
    from bulkops._exceptions import RunStopped

    path = write_campaigns_xlsx([campaign(ref=f"r{i}", name=f"C{i}") for i in range(4)])
    fake = FakeCampaigns()
    real_create = fake.create

    async def create(payload: dict) -> int:
        if payload["name"] == "C1":
            raise RunStopped("the run's retry budget is spent")
        return await real_create(payload)

    fake.create = create  # type: ignore[method-assign]
    outcomes: dict = {}
    with pytest.raises(RunStopped):
        pushed(plan_for(path), {"campaigns": fake}, journal, concurrency=1, outcomes=outcomes)
    assert outcomes[(0, 2)].status is Status.CREATED
    assert {outcomes[(0, r)].status for r in (3, 4, 5)} == {Status.NOT_RUN}
    assert "not finished" in outcomes[(0, 3)].message and "not sent" in outcomes[(0, 4)].message
    assert journal.get(plan_for(path).operations[1].key).state == INTENT  # the next run looks before sending


def test_a_graceful_stop_lets_the_step_in_flight_finish_and_starts_nothing(write_campaigns_xlsx, journal):
    from bulkops._control import RunControl

    path = write_campaigns_xlsx([campaign(ref=f"r{i}", name=f"C{i}") for i in range(4)])
    control = RunControl()
    fake = FakeCampaigns()
    real_create = fake.create

    async def create(payload: dict) -> int:
        control.stop("interrupted (Ctrl-C)")  # arrives while this create is in flight
        await asyncio.sleep(0.01)
        return await real_create(payload)

    fake.create = create  # type: ignore[method-assign]
    outcomes = pushed(plan_for(path), {"campaigns": fake}, journal, concurrency=1, control=control)
    assert outcomes[(0, 2)].status is Status.CREATED and len(fake.objects) == 1
    assert [outcomes[(0, r)].status for r in (3, 4, 5)] == [Status.NOT_RUN] * 3
    assert outcomes[(0, 3)].message == "not sent: interrupted (Ctrl-C)"


class ListingClient:
    """The client calls `Entities` makes, over a dict: creates can commit and lose their answer."""

    def __init__(self, objects: dict[int, str] | None = None) -> None:
        self.objects: dict[int, str] = dict(objects or {})
        self.creates: list[str] = []
        self.listed = asyncio.Event()
        # name -> its creates in turn: "lose", "503", "422", "slow-lose", "late-answer"
        self.script: dict[str, list[str]] = {}

    def _new(self, name: str) -> int:
        new_id = max(self.objects, default=99) + 1
        self.objects[new_id] = name
        return new_id

    async def create_campaign(self, payload: dict):
        from types import SimpleNamespace

        name = payload["name"]
        self.creates.append(name)
        what = self.script.get(name, []).pop(0) if self.script.get(name) else "ok"
        if what == "503":
            raise ApiError("Service Unavailable", status_code=503)
        if what == "422":
            raise ApiError("The name field is invalid.", status_code=422)
        if what == "slow-lose":  # still being processed while another lookup reads the list
            await self.listed.wait()
        new_id = self._new(name)
        if what == "late-answer":  # committed, answered only after a listing (or 50 ms)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.listed.wait(), 0.05)
        if what in ("lose", "slow-lose"):
            raise TransportError("connection dropped", maybe_sent=True)
        return SimpleNamespace(id=new_id)

    async def iter_campaigns(self):
        from types import SimpleNamespace

        snapshot = list(self.objects.items())
        await asyncio.sleep(0)
        for object_id, name in snapshot:
            yield SimpleNamespace(id=object_id, name=name)
        self.listed.set()


def run_entities(path, client, journal, concurrency=16):
    from bulkops.platforms.smartyads._steps import Entities

    return pushed(plan_for(path), {"campaigns": Entities(client, "campaigns")}, journal, concurrency=concurrency)


def test_a_listing_read_before_a_lost_create_committed_is_not_trusted_for_it(write_campaigns_xlsx, journal):
    client = ListingClient()
    client.script = {"B": ["lose"], "A": ["slow-lose"]}  # A commits only after B's lookup listed
    path = write_campaigns_xlsx([campaign(ref="a", name="A"), campaign(ref="b", name="B")])
    outcomes = run_entities(path, client, journal)
    assert sorted(client.objects.values()) == ["A", "B"]  # nothing created twice
    assert {o.status for o in outcomes.values()} == {Status.CREATED}


def test_two_rows_of_one_name_never_claim_the_same_object(write_campaigns_xlsx, journal):
    client = ListingClient()
    client.script = {"X": ["503", "ok"]}  # the first X is refused before anything is done
    path = write_campaigns_xlsx([campaign(ref="a", name="X"), campaign(ref="b", name="X")])
    outcomes = run_entities(path, client, journal)
    assert sorted(client.objects.values()) == ["X", "X"]
    assert outcomes[(0, 2)].id != outcomes[(0, 3)].id
    assert {o.status for o in outcomes.values()} == {Status.CREATED}


def test_a_lost_create_never_adopts_a_namesake_whose_create_is_still_answering(write_campaigns_xlsx, journal):
    # The first X is committed and its answer is on its way; the second X's answer is lost. Were
    # they not one after the other, the second's lookup would see two unclaimed X's.
    client = ListingClient()
    client.script = {"X": ["late-answer", "lose"]}
    path = write_campaigns_xlsx([campaign(ref="a", name="X"), campaign(ref="b", name="X")])
    outcomes = run_entities(path, client, journal)
    assert {o.status for o in outcomes.values()} == {Status.CREATED}
    assert sorted([outcomes[(0, 2)].id, outcomes[(0, 3)].id]) == sorted(client.objects)


def test_an_older_namesake_a_listing_of_the_run_showed_is_never_adopted(write_campaigns_xlsx, journal):
    client = ListingClient({50: "Alpha"})  # someone else's, there before the job
    client.script = {"Beta": ["lose"], "Alpha": ["503"]}
    path = write_campaigns_xlsx([campaign(ref="b", name="Beta"), campaign(ref="a", name="Alpha")])
    outcomes = run_entities(path, client, journal, concurrency=1)
    assert outcomes[(0, 3)].status is Status.CREATED and outcomes[(0, 3)].id not in (50, None)
    assert sorted(client.objects.values()) == ["Alpha", "Alpha", "Beta"]  # 50 untouched, one new Alpha


def test_a_namesake_only_a_listing_of_the_run_showed_is_never_adopted(write_campaigns_xlsx, journal):
    # Beta's lookup reads the list (Alpha 50 is in it) and Beta then fails for good, so the job has
    # created nothing: only the listing knows that 50 is older than Alpha's create.
    client = ListingClient({50: "Alpha"})
    client.script = {"Beta": ["503", "422"], "Alpha": ["503"]}
    path = write_campaigns_xlsx([campaign(ref="b", name="Beta"), campaign(ref="a", name="Alpha")])
    outcomes = run_entities(path, client, journal, concurrency=1)
    assert outcomes[(0, 2)].status is Status.FAILED
    assert outcomes[(0, 3)].status is Status.CREATED and outcomes[(0, 3)].id not in (50, None)
    assert sorted(client.objects.values()) == ["Alpha", "Alpha"]


# -- one journal for the account: earlier runs of any job ------------------------------------------

@pytest.mark.parametrize("name", ["Alpha", "Alpha Sale"])
def test_a_row_with_the_ref_of_an_earlier_create_and_other_values_is_refused(write_campaigns_xlsx, journal, name):
    fake = FakeCampaigns()
    first = run(plan_for(write_campaigns_xlsx([campaign(ref="a", name="Alpha")])), fake, journal)
    made = first[(0, 2)].id
    journal.finish_run()  # its results workbook was written
    edited = write_campaigns_xlsx([campaign(ref="A", name=name, aDomain="other.example")], name="other.xlsx")
    fake.calls.clear()
    outcomes = run(plan_for(edited), fake, journal)
    assert fake.calls == [] and outcomes[(0, 2)].status is Status.FAILED and outcomes[(0, 2)].id is None
    assert outcomes[(0, 2)].message.startswith("an earlier run (")
    assert outcomes[(0, 2)].message.endswith(
        f"created campaign {made} from the row with Ref 'a'; to change that campaign, put {made} in the ID column "
        "(the results workbook of that run has it); to create another, give this row a new Ref")
    assert list(fake.objects) == [made]


def test_a_new_ref_is_a_new_create(write_campaigns_xlsx, journal):
    fake = FakeCampaigns()
    run(plan_for(write_campaigns_xlsx([campaign(ref="a", name="Alpha")])), fake, journal)
    changed = write_campaigns_xlsx([campaign(ref="b", name="Alpha", aDomain="other.example")], name="other.xlsx")
    outcomes = run(plan_for(changed), fake, journal)
    assert [o.status for o in outcomes.values()] == [Status.CREATED]
    assert sorted(o["name"] for o in fake.objects.values()) == ["Alpha", "Alpha"]


def test_a_row_without_a_ref_named_like_an_earlier_create_from_other_values_is_refused(write_campaigns_xlsx,
                                                                                       journal):
    fake = FakeCampaigns()
    first = run(plan_for(write_campaigns_xlsx([campaign(ref=None, name="Beta"), campaign(ref="g", name="Gamma")])),
                fake, journal)
    beta, gamma = first[(0, 2)].id, first[(0, 3)].id
    changed = write_campaigns_xlsx([campaign(ref=None, name="Beta", aDomain="other.example"),
                                    campaign(ref=None, name="Gamma"), campaign(ref=None, name="Delta")],
                                   name="other.xlsx")
    fake.calls.clear()
    outcomes = run(plan_for(changed), fake, journal)
    assert fake.calls == [("create", "Delta")]  # a name new to the account is a new create
    assert [o.status for o in outcomes.values()] == [Status.FAILED, Status.FAILED, Status.CREATED]
    assert re.fullmatch(rf"an earlier run \(.*\) created campaign {beta} named 'Beta' from other values; to change "
                        rf"that campaign, put {beta} in the ID column; to create another of that name, give this row "
                        "a Ref", outcomes[(0, 2)].message), outcomes[(0, 2)].message
    # The same values as a row with a Ref: not that row (a Ref was taken away), so not that object either.
    assert f"created campaign {gamma} named 'Gamma' from the row with Ref 'g'" in outcomes[(0, 3)].message


def test_one_more_identical_row_without_a_ref_is_one_more_object(write_campaigns_xlsx, journal):
    fake = FakeCampaigns()
    run(plan_for(write_campaigns_xlsx([campaign(ref=None, name="Twin")] * 2)), fake, journal)
    outcomes = run(plan_for(write_campaigns_xlsx([campaign(ref=None, name="Twin")] * 3, name="three.xlsx")), fake,
                   journal)
    assert [o.status for o in outcomes.values()] == [Status.CREATED] * 3
    assert [o.message.startswith("created by an earlier run") for o in outcomes.values()] == [True, True, False]
    assert len(fake.objects) == 3


def test_rows_of_one_name_and_other_values_in_one_job_are_each_created_and_then_settled(write_campaigns_xlsx,
                                                                                        journal):
    fake = FakeCampaigns()
    path = write_campaigns_xlsx([campaign(ref=None, name="Same"), campaign(ref=None, name="Same", aDomain="b.example")])
    assert [o.status for o in run(plan_for(path), fake, journal).values()] == [Status.CREATED] * 2
    fake.calls.clear()
    again = run(plan_for(path), fake, journal)
    assert fake.calls == [] and [o.id for o in again.values()] == sorted(fake.objects)


def lost_create(journal: Journal, path: Path) -> None:
    """What a kill between a create's commit and its answer leaves in the journal."""
    op = plan_for(path).operations[0]
    journal.start_run(inputs=[str(path)], results="killed.xlsx")
    journal.record(op.key, kind="campaigns", action="create", state=INTENT, fingerprint=op.fingerprint,
                   natural_key=op.natural_key, watermark=0, ref=op.ref)


@pytest.mark.parametrize("ref", [None, "a"])
def test_an_edited_row_whose_earlier_create_lost_its_answer_is_not_made_twice(write_campaigns_xlsx, journal, ref):
    lost_create(journal, write_campaigns_xlsx([campaign(ref=ref, name="Alpha")]))
    fake = FakeCampaigns()
    fake.objects[7] = {"name": "Alpha"}  # it was made
    edited = write_campaigns_xlsx([campaign(ref=ref, name="Alpha", aDomain="edited.example")], name="edited.xlsx")
    outcomes = run(plan_for(edited), fake, journal)
    assert fake.calls == [("find", "Alpha")]  # looked up first; nothing created
    assert outcomes[(0, 2)].status is Status.FAILED and "bulkops found campaign 7" in outcomes[(0, 2)].message
    assert "killed.xlsx" in outcomes[(0, 2)].message and "put 7 in the ID column" in outcomes[(0, 2)].message


@pytest.mark.parametrize("made", [True, False, None])  # found; never arrived; the lookup failed
def test_a_row_whose_name_was_fixed_after_its_create_lost_its_answer_is_looked_up_by_its_ref(
        write_campaigns_xlsx, journal, made):
    lost_create(journal, write_campaigns_xlsx([campaign(ref="a", name="Alpa")]))
    fake = FakeCampaigns()
    if made:
        fake.objects[7] = {"name": "Alpa"}
    fake.lookups_fail = made is None
    fixed = write_campaigns_xlsx([campaign(ref="a", name="Alpha")], name="fixed.xlsx")
    outcome = run(plan_for(fixed), fake, journal)[(0, 2)]
    creates = [c for c in fake.calls if c[0] == "create"]
    if made:
        assert fake.calls == [("find", "Alpa")] and outcome.status is Status.FAILED  # looked up by its old name
        assert "sent the create of a campaign named 'Alpa' and lost its answer; bulkops found campaign 7" in \
            outcome.message and outcome.message.endswith("put 7 in the ID column; to create another, give this row "
                                                         "a new Ref")
    elif made is False:
        assert fake.calls == [("find", "Alpa"), ("create", "Alpha")] and outcome.status is Status.CREATED
    else:
        assert creates == [] and outcome.status is Status.UNKNOWN and "named 'Alpa' and got no answer" in \
            outcome.message


def test_an_edited_row_whose_earlier_create_never_arrived_is_created_once(write_campaigns_xlsx, journal):
    lost_create(journal, write_campaigns_xlsx([campaign(ref=None, name="Alpha")]))
    fake = FakeCampaigns()  # the create never arrived
    edited = write_campaigns_xlsx([campaign(ref=None, name="Alpha", aDomain="edited.example")], name="edited.xlsx")
    outcomes = run(plan_for(edited), fake, journal)
    assert fake.calls == [("find", "Alpha"), ("create", "Alpha")]
    assert outcomes[(0, 2)].status is Status.CREATED and list(fake.objects) == [100]
    fake.calls.clear()
    assert run(plan_for(edited), fake, journal)[(0, 2)].id == 100 and fake.calls == []  # and not looked up again


def test_an_edited_row_is_not_sent_while_an_earlier_lost_create_cannot_be_looked_up(write_campaigns_xlsx, journal):
    lost_create(journal, write_campaigns_xlsx([campaign(ref=None, name="Alpha")]))
    fake = FakeCampaigns()
    fake.lookups_fail = True
    edited = write_campaigns_xlsx([campaign(ref=None, name="Alpha", aDomain="edited.example")], name="edited.xlsx")
    outcomes = run(plan_for(edited), fake, journal)
    assert [c for c in fake.calls if c[0] == "create"] == [] and outcomes[(0, 2)].status is Status.UNKNOWN
    assert "got no answer, and looking it up did not tell whether it exists" in outcomes[(0, 2)].message


def test_another_jobs_unanswered_create_of_another_name_is_left_alone(write_campaigns_xlsx, journal):
    lost_create(journal, write_campaigns_xlsx([campaign(ref=None, name="Alpha")]))
    fake = FakeCampaigns()
    outcomes = run(plan_for(write_campaigns_xlsx([campaign(ref=None, name="Beta")], name="b.xlsx")), fake, journal)
    assert fake.calls == [("create", "Beta")] and outcomes[(0, 2)].status is Status.CREATED


def test_an_update_the_live_diff_compared_is_not_settled_by_the_journal(write_campaigns_xlsx, journal):
    import dataclasses

    path = write_campaigns_xlsx([campaign(ref="a", id=7, name="Alpha")])
    fake = FakeCampaigns()
    fake.objects[7] = {"name": "Old"}
    run(plan_for(path), fake, journal)
    fake.objects[7]["name"] = "Changed by hand"
    fake.calls.clear()
    again = run(plan_for(path), fake, journal)
    assert fake.calls == [] and "already up to date from an earlier run (" in again[(0, 2)].message
    plan = plan_for(path)
    plan.operations = [dataclasses.replace(op, compared=True) for op in plan.operations]
    run(plan, fake, journal)
    assert fake.calls == [("update", 7)] and fake.objects[7]["name"] == "Alpha"
