"""Verified writes with fake platforms in memory: what a create's or update's answer shows is
compared with what was sent; a list is read back after its last write; the journal keeps a write
that was not kept, so a later run says so again instead of sending it blindly."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bulkops.engine import Journal, execute
from bulkops.engine._verify import NotKept, Written, describe, not_kept, written
from bulkops.io import read_files
from bulkops.planner import Status, build_plan
from bulkops.platforms.smartyads._steps import Assignments, Entities, FilterLists, TargetList
from bulkops.platforms.smartyads.client import Campaign, FilterList, GeoZip
from bulkops.platforms.smartyads.kinds import CAMPAIGNS
from bulkops.validation import validate_sheets
from tests.conftest import campaign


class FakeClient:
    """The client's campaign, ZIP, filter-list and assignment routes over dicts. `keeps` names the
    campaign fields a PATCH keeps (11.4.1); `drops` items the platform answers for but does not keep."""

    def __init__(self) -> None:
        self.campaigns: dict[int, dict] = {}
        self.zips: dict[int, list[dict]] = {}
        self.lists: dict[int, dict] = {}
        self.assigned: dict[int, set[int]] = {}
        self.calls: list[str] = []
        self.keeps = {"name", "frequencyCap"}
        self.create_keeps: set[str] | None = None  # None: a create keeps every field
        self.drops: set[str] = set()

    async def create_campaign(self, payload: dict) -> Campaign:
        self.calls.append("create campaign")
        new_id = 500 + len(self.campaigns) + 1
        kept = {k: v for k, v in payload.items() if self.create_keeps is None or k in self.create_keeps}
        self.campaigns[new_id] = {"id": new_id, "spentDailyLimit": 0, **kept}
        return Campaign.model_validate(self.campaigns[new_id])

    async def update_campaign(self, campaign_id: int, payload: dict) -> Campaign:
        self.calls.append(f"update campaign {campaign_id}")
        self.campaigns[campaign_id].update({k: v for k, v in payload.items() if k in self.keeps})
        return Campaign.model_validate(self.campaigns[campaign_id])

    async def replace_geo_zips(self, campaign_id: int, items: list[dict]) -> None:
        self.calls.append(f"replace zips {campaign_id}")
        self.zips[campaign_id] = [dict(i) for i in items if i["zip"] not in self.drops]

    async def get_geo_zips(self, campaign_id: int) -> list[GeoZip]:
        self.calls.append(f"get zips {campaign_id}")
        return [GeoZip.model_validate(z) for z in self.zips.get(campaign_id, [])]

    async def create_filter_list(self, payload: dict) -> FilterList:
        self.calls.append("create list")
        new_id = 700 + len(self.lists) + 1
        items = [i for i in payload["items"] if i not in self.drops]
        self.lists[new_id] = {"id": new_id, **{k: v for k, v in payload.items() if k != "items"}, "items": items}
        return FilterList.model_validate({**self.lists[new_id], "items": [], "listCount": len(items)})

    async def replace_filter_list(self, list_id: int, payload: dict) -> FilterList:
        self.calls.append(f"put list {list_id}")
        self.lists[list_id].update(payload)
        return FilterList.model_validate({**self.lists[list_id], "items": []})

    async def get_filter_list(self, list_id: int) -> FilterList:
        self.calls.append(f"get list {list_id}")
        return FilterList.model_validate(self.lists[list_id])

    async def replace_campaign_filter_lists(self, campaign_id: int, ids: list[int]) -> None:
        self.calls.append(f"assign lists {campaign_id}")
        self.assigned[campaign_id] = {i for i in ids if str(i) not in self.drops}

    async def get_campaign_filter_lists(self, campaign_id: int) -> list[int]:
        self.calls.append(f"get assigned {campaign_id}")
        return sorted(self.assigned.get(campaign_id, set()))


@pytest.fixture
def journal(tmp_path):
    with Journal(tmp_path / "j.sqlite", scope="test") as j:
        yield j


def run(write_workbook, journal, sheets: dict, client: FakeClient, name: str = "job.xlsx"):
    plan = build_plan(validate_sheets(read_files([write_workbook(sheets, name=name)], "smartyads")),
                      skip_invalid=False)
    verbs = {"campaigns": Entities(client, "campaigns"), "filter-lists": FilterLists(client, item_cap=1000),
             "geo-zip": TargetList(client, "geo-zip"),
             "assign-filter-lists": Assignments(client, "filter-lists")}
    return asyncio.run(execute(plan, verbs, journal))


# --- the comparison ------------------------------------------------------------------------------

def test_values_are_compared_as_the_coercer_types_them():
    sent = {"name": "North", "dateStart": dt.date(2027, 3, 1), "geoCountries": ["USA", "CAN"], "spentDailyLimit": 150}
    kept = {"name": "North", "dateStart": dt.date(2027, 3, 1), "geoCountries": ["CAN", "USA"], "spentDailyLimit": 100}
    misses = not_kept(CAMPAIGNS, sent, kept)
    assert misses == (NotKept("spentDailyLimit", 150, 100),)
    assert describe(misses, lambda f: CAMPAIGNS.column(f).label) == "Daily Spend Limit: sent 150, the platform kept 100"
    # A field the answer does not show cannot be checked; a blank kept value is a value.
    assert not_kept(CAMPAIGNS, {"budgetUse": "pacer"}, {}) == ()
    blank = not_kept(CAMPAIGNS, {"name": "N"}, {"name": None})
    assert describe(blank, str) == "name: sent 'N', the platform kept (blank)"


def test_adapters_that_check_nothing_answer_ids():
    assert written(42) == Written(42)
    assert written(None, 7) == Written(7)
    assert written(Written(3, (NotKept("x", 1, 2),))).not_kept


# --- entities ------------------------------------------------------------------------------------

def test_an_update_the_platform_did_not_keep_fails_and_is_not_sent_blindly_again(write_workbook, journal):
    client = FakeClient()
    client.campaigns[77] = {"id": 77, "name": "North", "spentDailyLimit": 100, "frequencyCap": 1}
    sheets = {"campaigns": [{"id": 77, "name": "North", "spentDailyLimit": 150, "frequencyCap": 2}]}
    outcomes = run(write_workbook, journal, sheets, client)
    outcome = outcomes[(0, 2)]
    assert (outcome.status, outcome.id) == (Status.FAILED, 77)
    assert outcome.message == "Daily Spend Limit: sent 150, the platform kept 100"
    assert client.calls == ["update campaign 77"]

    again = run(write_workbook, journal, sheets, client)
    assert client.calls == ["update campaign 77"]  # the same update is not sent again
    assert again[(0, 2)].status is Status.FAILED
    assert "did not keep it: Daily Spend Limit: sent 150, the platform kept 100" in again[(0, 2)].message

    changed = {"campaigns": [{"id": 77, "name": "North", "spentDailyLimit": 150, "frequencyCap": 3}]}
    run(write_workbook, journal, changed, client, name="changed.xlsx")
    assert client.calls[1:] == ["update campaign 77"]  # another update is a new intent: sent


def test_a_kept_update_is_updated(write_workbook, journal):
    client = FakeClient()
    client.campaigns[77] = {"id": 77, "name": "North", "frequencyCap": 1}
    outcomes = run(write_workbook, journal, {"campaigns": [{"id": 77, "name": "Nord", "frequencyCap": 2}]}, client)
    assert (outcomes[(0, 2)].status, outcomes[(0, 2)].message) == (Status.UPDATED, "")


def test_a_create_not_kept_keeps_its_id_its_lists_go_out_and_it_is_not_made_twice(write_workbook, journal):
    client = FakeClient()
    client.create_keeps = {"type", "name", "aDomain", "dateStart", "dateEnd"}  # drops the daily limit
    sheets = {"campaigns": [campaign(ref="c1", spentDailyLimit=150)],
              "geo-zip": [{"campaign": "c1", "zip": "02134", "iso2": "US"}]}
    outcomes = run(write_workbook, journal, sheets, client)
    assert (outcomes[(0, 2)].status, outcomes[(0, 2)].id) == (Status.FAILED, 501)
    assert outcomes[(0, 2)].message == "Daily Spend Limit: sent 150, the platform kept 0"
    assert outcomes[(1, 2)].status is Status.CREATED  # the campaign exists: its ZIPs were sent, and held
    assert client.calls == ["create campaign", "replace zips 501", "get zips 501"]

    again = run(write_workbook, journal, sheets, client)
    assert client.calls.count("create campaign") == 1
    assert (again[(0, 2)].status, again[(0, 2)].id) == (Status.FAILED, 501)
    assert "did not keep it as sent: Daily Spend Limit: sent 150" in again[(0, 2)].message


# --- lists ---------------------------------------------------------------------------------------

def test_a_zip_the_list_does_not_hold_after_its_write_fails_its_row(write_workbook, journal):
    client = FakeClient()
    client.drops = {"10001"}
    rows = [{"campaign": "77", "zip": z, "iso2": "US", "lat": 1.0, "lng": 2.0} for z in ("02134", "10001")]
    outcomes = run(write_workbook, journal, {"geo-zip": rows}, client)
    assert client.calls == ["replace zips 77", "get zips 77"]  # one read, after the write
    assert outcomes[(0, 2)].status is Status.CREATED
    assert (outcomes[(0, 3)].status, outcomes[(0, 3)].message) == (
        Status.FAILED, "request 1 of 1 (replace); sent, but the platform does not hold it")


def test_a_filter_lists_items_are_read_once_after_its_create(write_workbook, journal):
    client = FakeClient()
    client.drops = {"gone.example.com"}
    sheets = {"filter-lists": [{"ref": "fl", "title": "Safe", "type": "domain", "campaigns": "77"}],
              "filter-list-items": [{"filterList": "fl", "item": i} for i in ("news.example.com", "gone.example.com")]}
    outcomes = run(write_workbook, journal, sheets, client)
    assert client.calls == ["create list", "get list 701", "assign lists 77", "get assigned 77"]
    assert outcomes[(0, 2)].status is Status.CREATED
    assert outcomes[(1, 2)].status is Status.CREATED
    assert outcomes[(1, 3)].status is Status.FAILED and outcomes[(1, 3)].message.endswith(
        "sent, but the platform does not hold it")


def test_an_assignment_the_campaign_does_not_hold_fails_the_assigned_row(write_workbook, journal):
    client = FakeClient()
    client.lists[41] = {"id": 41, "title": "Old", "type": "domain", "items": ["a.example.com"]}
    client.drops = {"41"}
    sheets = {"filter-lists": [{"id": 41, "title": "Old", "type": "domain", "campaigns": "77"}]}
    outcomes = run(write_workbook, journal, sheets, client)
    assert client.calls[-2:] == ["assign lists 77", "get assigned 77"]
    assert outcomes[(0, 2)].status is Status.FAILED
    assert "assigning the filter list to campaign 77: sent, but the platform does not hold it" in \
        outcomes[(0, 2)].message


class _ManyCampaigns:
    """A campaign list of `count` campaigns in ID order (11.1.4), `per_page` a page."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.pages: list[int] = []

    async def list_campaigns(self, page: int = 1, per_page: int = 100):
        from bulkops.platforms.smartyads.client import Page, Pagination

        self.pages.append(page)
        ids = range((page - 1) * per_page + 1, min(page * per_page, self.count) + 1)
        items = [Campaign.model_validate({"id": i, "name": f"C{i}", "contentCategories": ["IAB1"]}) for i in ids]
        total_pages = max(1, -(-self.count // per_page))
        return Page[Campaign](items=items, pagination=Pagination(
            total=self.count, count=len(items), per_page=per_page, current_page=page, total_pages=total_pages))


def test_the_campaign_list_is_read_from_its_first_page_then_from_its_last_page_back():
    small = _ManyCampaigns(700)
    found, reads = asyncio.run(Entities(small, "campaigns").listed([699, 700]))
    assert (sorted(found), reads, small.pages) == ([699, 700], 1, [1])

    big = _ManyCampaigns(3_500)  # four pages of 1,000; the new campaigns are the last ones
    found, reads = asyncio.run(Entities(big, "campaigns").listed([2_990, 3_500]))
    assert (sorted(found), reads, big.pages) == ([2_990, 3_500], 3, [1, 4, 3])
    assert found[3_500].contentCategories == ["IAB1"]

    gone = _ManyCampaigns(1_500)  # one that is not there: every page is read once, then it is missing
    found, reads = asyncio.run(Entities(gone, "campaigns").listed([1_499, 9_999]))
    assert (sorted(found), reads, gone.pages) == ([1_499], 2, [1, 2])
