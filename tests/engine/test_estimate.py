"""The up-front estimate: how many requests a plan needs and how long they take at the platform's rate."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from bulkops._jobs import validate_files
from bulkops.engine import Pace, steps_of
from bulkops.engine._estimate import Estimate, documented_limit, estimate
from bulkops.planner import Plan, build_plan
from bulkops.platforms.iqm.client import DEFAULT_RATE_LIMIT as IQM_LIMIT
from bulkops.platforms.smartyads.client import DEFAULT_RATE_LIMIT as SMARTYADS_LIMIT
from tests._media import png
from tests.conftest import campaign as smartyads_campaign

# --- Estimate --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("requests,limit,window_s,seconds", [
    (0, 20, 60.0, 0),
    (1, 20, 60.0, 0),
    (20, 20, 60.0, 0),  # the first window's worth goes at once
    (21, 20, 60.0, 60),
    (40, 20, 60.0, 60),
    (41, 20, 60.0, 120),
    (45, 20, 60.0, 120),
    (100, 10, 30.0, 270),
    (501, 500, 60.0, 60),
])
def test_seconds_wait_one_window_per_further_windows_worth(requests, limit, window_s, seconds):
    assert Estimate(requests, limit, window_s).seconds == seconds


@pytest.mark.parametrize("estimate_,text", [
    (Estimate(20, 20, 60.0), "about 20 requests; at 20 a minute that takes under a minute"),
    (Estimate(21, 20, 60.0), "about 21 requests; at 20 a minute that takes about 1 min"),
    (Estimate(45, 20, 60.0), "about 45 requests; at 20 a minute that takes about 2 min"),
    (Estimate(2, 1, 30.0), "about 2 requests; at 1 per 30 s that takes about 30 s"),
    (Estimate(4000, 20, 60.0), "about 4000 requests; at 20 a minute that takes about 3.3 h"),
    (Estimate(9, 20, 60.0, waits_for_review=True),
     "about 9 requests; at 20 a minute that takes under a minute; plus the platform's creative review"),
])
def test_describe_says_requests_pace_and_duration(estimate_, text):
    assert estimate_.describe() == text


def test_documented_limits():
    assert documented_limit("iqm") == IQM_LIMIT == 20
    assert documented_limit("smartyads") == SMARTYADS_LIMIT


# --- IQM plans -------------------------------------------------------------------------------------------------

def iqm_campaign(ref: str, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "ref": ref, "campaignName": f"Campaign {ref}", "advertiserDomain": "https://shop.example.com",
        "creativeType": "image", "maxBid": 10, "budgetDay": 10, "budgetTotal": 100,
        "startTime": "2027-03-01 00:00", "tz": "America/New_York", "timezone": 433, "ioId": 2695,
        "countryId": "30100001", "isAgreementChecked": True,
    }
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def image(number: int, campaigns: str) -> dict[str, object]:
    return {"creativeName": f"Banner {number}", "format": "image", "file": "banner.png",
            "clickUrl": "https://shop.example.com", "campaigns": campaigns}


@pytest.fixture
def iqm_plan(write_workbook: Callable[..., Path], tmp_path: Path) -> Callable[..., Plan]:
    """A plan from a real IQM workbook (validated, no problems) beside a real PNG."""
    (tmp_path / "banner.png").write_bytes(png(300, 250))

    def plan(**sheets: list[dict[str, object]]) -> Plan:
        named = {name.replace("_", "-"): rows for name, rows in sheets.items() if rows}
        report = validate_files([write_workbook(named, platform="iqm")], "iqm")
        assert report.errors == [], report.errors
        return build_plan(report.validated, skip_invalid=False)

    return plan


@pytest.mark.parametrize("creatives,campaigns", [(1, 1), (10, 2), (11, 2), (25, 3)])
def test_an_iqm_job_counts_login_types_uploads_one_review_and_one_per_campaign(iqm_plan, creatives, campaigns):
    refs = [f"c{n}" for n in range(1, campaigns + 1)]
    plan = iqm_plan(campaigns=[iqm_campaign(ref) for ref in refs],
                    creatives=[image(n, refs[n % campaigns]) for n in range(creatives)],
                    geo_zip=[{"campaign": "c1", "zip": "02134"}])  # folded into c1's create: no request
    uploads = math.ceil(creatives / 10)
    # a create's answer carries its status; one campaign-list read (500 a request) checks what IQM kept
    expected = 1 + 1 + uploads + 1 + campaigns + 1
    found = estimate(plan, Pace())
    assert found == Estimate(expected, IQM_LIMIT, 60.0, waits_for_review=True, steps=expected - 2)
    assert found.steps == sum(step.requests for step in steps_of(plan))


def test_an_iqm_job_of_existing_creatives_uploads_nothing_and_waits_for_no_review(iqm_plan):
    plan = iqm_plan(campaigns=[iqm_campaign("c1", creativeIds="148971, 148972")],
                    creatives=[{"id": 148973, "creativeName": "Existing", "format": "image", "campaigns": "c1"}])
    found = estimate(plan, Pace())
    assert (found.requests, found.waits_for_review) == (1 + 1 + 0 + 1 + 1 + 1, False)


def test_an_existing_iqm_campaign_is_read_once_not_created(iqm_plan):
    plan = iqm_plan(campaigns=[iqm_campaign("c1", creativeIds="148971"), iqm_campaign("c2", id=555,
                                                                                     creativeIds="148971")])
    # login, creative types, one review poll; 1 for the new campaign (its create); 1 to read the existing one
    # and at most 1 to change it; 1 campaign-list read to check both
    assert estimate(plan, Pace()).requests == 1 + 1 + 1 + 1 + 2 + 1


def test_an_iqm_estimate_uses_the_pace_asked_for(iqm_plan):
    plan = iqm_plan(campaigns=[iqm_campaign("c1")], creatives=[image(1, "c1")])
    found = estimate(plan, Pace(limit=3, window_s=10.0))
    assert (found.requests, found.limit, found.window_s) == (6, 3, 10.0)
    assert found.seconds == 10.0
    assert found.describe() == ("about 6 requests; at 3 per 10 s that takes about 10 s; plus the platform's "
                                "creative review")


def test_an_iqm_plan_with_nothing_to_send_needs_no_request(write_workbook):
    report = validate_files([write_workbook({"campaigns": [iqm_campaign("c1", tz="Mars/Base")]}, platform="iqm")],
                            "iqm")
    assert report.errors
    plan = build_plan(report.validated, skip_invalid=True)
    assert estimate(plan, Pace()) == Estimate(0, IQM_LIMIT, 60.0)


# --- SmartyAds plans -------------------------------------------------------------------------------------------

@pytest.fixture
def smartyads_report(write_workbook: Callable[..., Path]):
    zips = [{"campaign": "c1", "zip": code, "iso2": "US"} for code in ("02134", "02135", "10001", "10002", "94103")]
    report = validate_files([write_workbook({
        "campaigns": [smartyads_campaign(), smartyads_campaign(ref="c2", name="Campaign Two")],
        "geo-zip": zips})], "smartyads")
    assert report.errors == []
    return report


@pytest.mark.parametrize("item_cap,steps", [(1000, 4), (2, 6)])
def test_a_smartyads_job_is_its_steps_requests_and_the_login(smartyads_report, item_cap, steps):
    plan = build_plan(smartyads_report.validated, skip_invalid=False, item_cap=item_cap)
    counted = sum(step.requests for step in steps_of(plan))
    # two creates (their answers carry the campaigns: no read), the five ZIPs in one request or in
    # ceil(5 / 2) = 3, then one read of the ZIP list to see what the platform holds (6.2.4 answers
    # "Replaced." only; a page holds 1,000 ZIPs, whatever the item cap)
    assert counted == steps
    assert estimate(plan, Pace()) == Estimate(counted + 1, SMARTYADS_LIMIT, 60.0, waits_for_review=False,
                                              steps=counted)


def test_a_smartyads_plan_with_nothing_to_send_needs_no_request(smartyads_report):
    plan = build_plan(smartyads_report.validated[:0], skip_invalid=False)
    assert plan.empty
    assert estimate(plan, Pace()) == Estimate(0, SMARTYADS_LIMIT, 60.0)
    assert estimate(plan, Pace()).describe() == (f"about 0 requests; at {SMARTYADS_LIMIT} a minute that takes "
                                                 "under a minute")


def test_an_iqm_job_with_nothing_to_review_counts_no_review_poll(write_workbook):
    # ZIP rows for an existing campaign: the login, then one read of campaign 123 to check them (IQM
    # has no route to change its ZIPs, so no write and nothing to read back).
    report = validate_files([write_workbook({"geo-zip": [{"campaign": "123", "zip": "02134"}]}, platform="iqm")],
                            "iqm")
    assert report.problems == []
    plan = build_plan(report.validated, skip_invalid=False)
    assert estimate(plan, Pace()).requests == 2


def test_an_iqm_update_counts_its_read_its_write_and_the_read_back_but_no_creative_types(write_workbook):
    report = validate_files([write_workbook({"campaigns": [{"id": 123, "budgetDay": 75}, {"id": 124, "maxBid": 3}],
                                             "deals": [{"campaign": "125", "dealId": "5012"}]}, platform="iqm")],
                            "iqm")
    assert report.problems == []
    plan = build_plan(report.validated, skip_invalid=False)
    # login; per campaign a read and at most one write; one campaign-list read for the two campaign rows
    # (the deals of 125 are not on that list, so 125 is not read back)
    assert estimate(plan, Pace()).requests == 1 + 3 * 2 + 1
