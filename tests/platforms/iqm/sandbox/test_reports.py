"""The Reports API guide's "Execute a Report" in the sandbox: the guide's shape, deterministic
numbers, daily and aggregated reports, the guide's totals, paging and refusals."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from bulkops.sandbox import SandboxConfig, running
from tests._stats import stock_iqm
from tests.platforms.iqm.sandbox.conftest import login

pytestmark = pytest.mark.slow  # each test serves a sandbox over HTTP

EXECUTE = "/api/v3/ra/report/execute"
FEB_10 = int(dt.datetime(2026, 2, 10, tzinfo=dt.UTC).timestamp() * 1000)
DAY_MS = 86_400_000
QUERY = {"dimensions": json.dumps([{"filter": "campaign"}, {"filter": "creative"}]),
         "columns": ["date", "campaignId", "campaignName", "creativeId", "creativeName", "impressions", "clicks"],
         "requestType": 1, "reportAggregated": "0", "startDate": FEB_10, "endDate": FEB_10 + 3 * DAY_MS - 1,
         "timezoneName": "UTC", "pageNo": 1, "noOfEntries": 50}


def _execute(**changes) -> httpx.Response:
    with running(SandboxConfig(platform="iqm")) as server:
        stock_iqm(server, campaigns=2, creatives_each=2)
        with httpx.Client(base_url=server.base_url, timeout=10) as http:
            return http.post(EXECUTE, json={**QUERY, **changes}, headers=login(http))


@pytest.fixture(scope="module")
def answer() -> dict:
    response = _execute()
    assert response.status_code == 200, response.text
    return response.json()


def test_the_answer_is_shaped_as_the_guide_shows(answer):
    assert answer["success"] is True
    data = answer["data"]
    assert set(data) == {"total", "data", "totalRecords"}
    assert data["totalRecords"] == 12 and len(data["data"]) == 12  # 3 days × 2 campaigns × 2 creatives
    row = data["data"][0]
    assert row["date"] == "2026-02-10" and row["campaignName"] == "Camp 1" and row["creativeName"] == "Banner 1"
    for name in ("CTR", "eCPM", "bidImpressions", "mediaSpent", "spent", "impressions", "clicks", "dataCost"):
        assert name in row and name in data["total"]
    assert data["total"]["date"] is None and data["total"]["campaignId"] is None


def test_rows_are_realistic_and_totals_are_the_guides(answer):
    rows, total = answer["data"]["data"], answer["data"]["total"]
    for row in rows:
        assert 0 < row["clicks"] <= row["impressions"] <= row["bidImpressions"]
        assert row["CTR"] == round(row["clicks"] / row["impressions"] * 100, 4)
    for name in ("bidImpressions", "impressions", "clicks"):
        assert total[name] == sum(r[name] for r in rows)
    assert total["spent"] == pytest.approx(sum(r["spent"] for r in rows), abs=1e-6)
    # As in the guide's example: the total's CTR and eCPM come from the total's sums.
    assert total["CTR"] == round(total["clicks"] / total["impressions"] * 100, 5)
    assert total["eCPM"] == pytest.approx(total["spent"] / total["impressions"] * 1000)


def test_the_same_request_gives_the_same_numbers(answer):
    assert _execute().json() == answer


def test_an_aggregated_report_by_campaign_has_no_dates(answer):
    response = _execute(requestType=2, dimensions=json.dumps([{"filter": "campaign"}]))
    rows = response.json()["data"]["data"]
    assert [(r["date"], r["campaignId"], r["creativeId"]) for r in rows] == [(None, 1, None), (None, 2, None)]
    assert sum(r["impressions"] for r in rows) == answer["data"]["total"]["impressions"]


def test_pages_split_the_rows(answer):
    pages = [_execute(noOfEntries=5, pageNo=n).json()["data"] for n in (1, 2, 3)]
    assert [len(p["data"]) for p in pages] == [5, 5, 2]
    assert [r for p in pages for r in p["data"]] == answer["data"]["data"]
    assert all(p["totalRecords"] == 12 for p in pages)


@pytest.mark.parametrize(("changes", "error"), [
    ({"noOfEntries": 1001}, "noOfEntries between 1 and 1000"),
    ({"dimensions": json.dumps([{"filter": "gender"}])}, "Unsupported dimension 'gender'"),
    ({"startDate": None}, "startDate and endDate are required"),
    ({"endDate": FEB_10 - DAY_MS}, "endDate must be after startDate"),
])
def test_refusals_in_the_v3_envelope(changes, error):
    response = _execute(**changes)
    assert response.status_code == 400
    assert response.json()["success"] is False and error in response.json()["errorObjects"][0]["error"]
