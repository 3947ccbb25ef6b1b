"""How an existing IQM campaign's rows become its changes: the deal fields a replace or an append
makes, and what a batched budget change's outcome is when the budget route's answer says little."""

from __future__ import annotations

from types import SimpleNamespace

from bulkops.kinds import APPEND, REPLACE
from bulkops.planner import Group, Member, Status
from bulkops.platforms.iqm._updates import Change, _batchable, _budgeted, _deals
from bulkops.platforms.iqm.client import BudgetUpdate


def deals(mode: str, *items: tuple[str, str]) -> Group:
    return Group("deals", SimpleNamespace(key="id:7"), mode,  # type: ignore[arg-type]
                 [Member((0, n), {"field": field, "value": value}) for n, (field, value) in enumerate(items, 2)])


LIVE = {"userDealId": "5012,5013", "groupDealId": "77"}


def test_a_replace_makes_the_rows_the_whole_list_and_empties_a_kind_with_no_row():
    assert _deals([deals(REPLACE, ("userDealId", "6001"))], LIVE) == {"userDealId": "6001", "groupDealId": ""}


def test_an_append_adds_to_what_the_campaign_has_and_leaves_the_other_kind():
    assert _deals([deals(APPEND, ("userDealId", "6001"), ("userDealId", "5012"))], LIVE) == {
        "userDealId": "5012,5013,6001"}


def test_a_replace_goes_first_and_an_append_onto_it():
    groups = [deals(APPEND, ("groupDealId", "88")), deals(REPLACE, ("groupDealId", "99"))]
    assert _deals(groups, LIVE) == {"userDealId": "", "groupDealId": "99,88"}


def test_only_budget_fields_or_only_an_end_share_a_request():
    assert _batchable({"budgetDay": 5, "maxBid": 2}) and _batchable({"endTime": 1})
    assert not _batchable({"budgetDay": 5, "endTime": 1}) and not _batchable({"campaignName": "x"})


def change() -> Change:
    return Change(7, (0, 2), {"budgetDay": 75.0}, lambda f: {"budgetDay": "Daily Budget"}[f], "status: running; "
                  "changed: Daily Budget 50 → 75")


def test_a_campaign_the_budget_answer_does_not_mention_is_read_back():
    verbs = SimpleNamespace(written={})
    outcome = _budgeted(change(), BudgetUpdate(), verbs)
    assert (outcome.status, outcome.message, outcome.id) == (Status.UPDATED, "status: running; changed: Daily Budget "
                                                                             "50 → 75", 7)
    assert list(verbs.written) == [7] and verbs.written[7].sent == {"budgetDay": 75.0}


def test_a_campaign_the_budget_answer_shows_is_judged_by_it():
    verbs = SimpleNamespace(written={})
    kept = _budgeted(change(), BudgetUpdate(modified={7: {"dailyBudget": 75}}), verbs)
    refused = _budgeted(change(), BudgetUpdate(refused={7: "max bid cannot be less than minimum bid 3.0"}), verbs)
    lost = _budgeted(change(), BudgetUpdate(modified={7: {"dailyBudget": 50}}), verbs)
    assert kept.status is Status.UPDATED and verbs.written == {}
    assert (refused.status, refused.message) == (Status.FAILED, "max bid cannot be less than minimum bid 3.0")
    assert (lost.status, lost.message) == (Status.FAILED, "Daily Budget: sent 75, the platform kept 50")
