"""What IQM kept, compared with what was sent: a creative with its review details, a campaign with its
row of the campaign list, a budget change with the budget route's answer; and the messages they give."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from bulkops._exceptions import ApiError
from bulkops.engine import Context
from bulkops.planner import Status
from bulkops.platforms.iqm._verify import (
    Written,
    budget_not_kept,
    campaign_not_kept,
    creative_not_kept,
    not_kept,
    shown,
    verify_step,
)
from bulkops.platforms.iqm.client import CreativeDetails, ListedCampaign

LABELS = {"creativeName": "Name", "clickUrl": "Click URL", "width": "Width", "height": "Height", "format": "Format",
          "tag": "Tag", "pixelUrl": "Pixel URL", "budgetTotal": "Total Budget", "budgetDay": "Daily Budget",
          "maxBid": "Max Bid", "endTime": "End Time", "creativeType": "Creative Type", "campaignName": "Name"}


def header(field: str) -> str:
    return LABELS[field]


@pytest.mark.parametrize(("value", "key", "text"), [
    (1500.0, "", "1500"), (8.5, "", "8.5"), (None, "", "(none)"), ("", "", "(none)"), (True, "", "TRUE"),
    (1827637140, "endTime", "2027-12-01 04:59 UTC"), (1827637140000, "endTime", "2027-12-01 04:59 UTC"),
    ("x" * 70, "", "x" * 57 + "…"),
])
def test_a_value_reads_as_a_buyer_would_read_it(value, key, text):
    assert shown(value, key) == text


def test_the_message_names_the_column_the_value_sent_and_the_value_kept():
    assert not_kept("Total Budget", 1500, 1000.0) == "Total Budget: sent 1500, the platform kept 1000"


# -- creatives ------------------------------------------------------------------------------------------------

def details(**answer: object) -> CreativeDetails:
    return CreativeDetails.model_validate({"creativeId": 1, **answer})


IMAGE = {"format": "image", "creativeName": "Banner", "clickUrl": "https://shop.example/a", "width": 300,
         "height": 250, "pixelUrl": "https://px.example/p.gif", "file": "/media/a.png"}


def test_a_creative_kept_as_sent_has_nothing_to_say():
    kept = details(creativeName="Banner", clickUrl="https://shop.example/a", width=300, height=250, creativeTypeId=11,
                   pixelUrls="https://px.example/p.gif")
    assert creative_not_kept(IMAGE, kept, header) == []


def test_each_field_iqm_did_not_keep_is_named():
    kept = details(creativeName="Banner (1)", clickUrl=None, width=300, height=90, creativeTypeId=13,
                   pixelUrls="https://px.example/other.gif")
    assert creative_not_kept(IMAGE, kept, header) == [
        "Name: sent Banner, the platform kept Banner (1)",
        "Click URL: sent https://shop.example/a, the platform kept (none)",
        "Height: sent 250, the platform kept 90",
        "Format: sent image (IQM type 11), the platform kept IQM type 13",
        "Pixel URL: sent https://px.example/p.gif, the platform kept https://px.example/other.gif"]


def test_fields_the_answer_does_not_show_are_not_judged():
    # The quick start's details answer may leave fields out, and shows pixelUrls as null without one.
    assert creative_not_kept(IMAGE, details(creativeName="Banner"), header) == []
    assert creative_not_kept(IMAGE, details(pixelUrls=None), header) == []


def test_a_pixel_url_among_several_is_kept():
    assert creative_not_kept(IMAGE, details(pixelUrls="https://px.example/x, https://px.example/p.gif"), header) == []
    assert creative_not_kept(IMAGE, details(pixelUrls=["https://px.example/p.gif"]), header) == []


@pytest.mark.parametrize("kept", ['<VAST version="4.0"><Ad id="a"/></VAST>',
                                  "&lt;VAST version=&quot;4.0&quot;&gt;&lt;Ad id=&quot;a&quot;/&gt;&lt;/VAST&gt;",
                                  '\n<VAST version="4.0"><Ad id="a"/></VAST>  '])
def test_a_tag_kept_as_sent_or_html_escaped_is_the_same(kept):
    vast = {"format": "vast", "creativeName": "Spot", "tag": '<VAST version="4.0"><Ad id="a"/></VAST>'}
    assert creative_not_kept(vast, details(creativeSource=kept, creativeTypeId=14), header) == []


def test_a_tag_iqm_changed_is_named():
    vast = {"format": "vast", "creativeName": "Spot", "tag": "<VAST/>"}
    assert creative_not_kept(vast, details(creativeSource="<VAST version='2'/>"), header) == [
        "Tag: sent <VAST/>, the platform kept <VAST version='2'/>"]


@pytest.mark.parametrize(("form", "type_id"), [("vast", 14), ("daast", 17), ("video", 14), ("audio", 17),
                                               ("html", 13)])
def test_each_format_is_kept_as_its_iqm_type(form, type_id):
    sent = {"format": form, "creativeName": "C"}
    assert creative_not_kept(sent, details(creativeTypeId=type_id), header) == []
    assert creative_not_kept(sent, details(creativeTypeId=11), header) != []


# -- campaigns ------------------------------------------------------------------------------------------------

def written(**sent: object) -> Written:
    return Written((0, 2), Status.CREATED, dict(sent), header, {11: "image", 14: "video"})


def listed(**row: object) -> ListedCampaign:
    return ListedCampaign.model_validate({"id": 7, **row})


def test_a_campaign_kept_as_sent_has_nothing_to_say():
    sent = written(campaignName="North", budgetTotal=1500.0, budgetDay=50.0, maxBid=8.0, endTime=1827637140,
                   creativeType=11, deviceType="13,15")  # deviceType: not on the list, not judged
    row = listed(name="North", budgetTotal=1500, budgetDay=50.0000001, maxBid=8, endTime=1827637140000,
                 creativeTypeId=11)
    assert campaign_not_kept(sent, row) == []


def test_each_field_the_campaign_list_shows_otherwise_is_named():
    sent = written(budgetTotal=1500.0, endTime=1827637140, creativeType=14, campaignName="North")
    row = listed(name="North", budgetTotal=1000.0, endTime=0, creativeTypeId=11)
    assert campaign_not_kept(sent, row) == [
        "Total Budget: sent 1500, the platform kept 1000",
        "End Time: sent 2027-12-01 04:59 UTC, the platform kept (none)",
        "Creative Type: sent video, the platform kept image"]


def test_a_budget_change_is_checked_against_the_budget_routes_answer():
    sent = {"budgetDay": 75.0, "maxBid": 9.0}
    assert budget_not_kept(sent, {"dailyBudget": 75, "maxBid": 9.0, "totalBudget": 100}, header) == []
    assert budget_not_kept(sent, {"dailyBudget": 50, "maxBid": 9.0}, header) == [
        "Daily Budget: sent 75, the platform kept 50"]
    assert budget_not_kept(sent, {}, header) == []  # an answer that shows nothing is not judged


# -- the read-back step ---------------------------------------------------------------------------------------

class Verbs:
    def __init__(self, rows: dict | Exception) -> None:
        self.rows = rows
        self.asked: list[list[int]] = []
        self.written: dict[int, Written] = {}

    async def listed(self, ids):
        self.asked.append(list(ids))
        if isinstance(self.rows, Exception):
            raise self.rows
        return self.rows


def run_verify(verbs: Verbs) -> tuple[dict, list[int]]:
    ticks: list[int] = []
    ctx = Context(journal=SimpleNamespace(), verbs={"iqm": verbs}, tick=ticks.append)  # type: ignore[arg-type]
    return asyncio.run(verify_step([], 3).run(ctx)), ticks


def test_the_read_back_reads_every_written_campaign_at_once_and_fails_only_what_iqm_did_not_keep():
    verbs = Verbs({7: listed(name="A", budgetTotal=1000.0, status="pending"), 8: listed(id=8, name="B")})
    verbs.written = {7: Written((0, 2), Status.CREATED, {"budgetTotal": 1500.0}, header),
                     8: Written((0, 3), Status.UPDATED, {"campaignName": "B"}, header),
                     9: Written((0, 4), Status.CREATED, {"campaignName": "C"}, header, status_known=False)}
    outcomes, ticks = run_verify(verbs)
    assert verbs.asked == [[7, 8, 9]] and ticks == [1]
    assert outcomes[(0, 2)].status is Status.FAILED
    assert outcomes[(0, 2)].message == "Total Budget: sent 1500, the platform kept 1000"
    assert (outcomes[(0, 3)].status, outcomes[(0, 3)].message) == (Status.UPDATED, "")
    assert outcomes[(0, 4)].status is Status.CREATED
    assert "IQM's campaign list does not show campaign 9" in outcomes[(0, 4)].message


def test_a_create_whose_answer_gave_no_status_gets_it_from_the_read_back():
    verbs = Verbs({7: listed(name="A", status="running")})
    verbs.written = {7: Written((0, 2), Status.CREATED, {"campaignName": "A"}, header, status_known=False)}
    outcomes, _ = run_verify(verbs)
    assert (outcomes[(0, 2)].status, outcomes[(0, 2)].message, outcomes[(0, 2)].id) == (Status.CREATED,
                                                                                        "status: running", 7)


def test_a_read_back_that_fails_says_so_and_keeps_what_the_writes_said():
    verbs = Verbs(ApiError("IQM answered 500", status_code=500))
    verbs.written = {7: Written((0, 2), Status.UPDATED, {"maxBid": 3}, header)}
    outcomes, ticks = run_verify(verbs)
    assert outcomes[(0, 2)].status is Status.UPDATED
    assert outcomes[(0, 2)].message == "could not be read back to check it: IQM answered 500"
    assert ticks == [1]


def test_nothing_written_reads_nothing():
    verbs = Verbs({})
    outcomes, ticks = run_verify(verbs)
    assert (outcomes, ticks, verbs.asked) == ({}, [], [])
