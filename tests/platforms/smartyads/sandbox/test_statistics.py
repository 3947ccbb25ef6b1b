"""3. Statistic (`POST api/statistic`) in the sandbox: the document's shape, deterministic numbers in
realistic ratios, grouping, totals as 3.1.5 shows them, paging, and Laravel's 422s."""

from __future__ import annotations

import httpx
import pytest

from bulkops.sandbox import SandboxConfig, running
from tests._stats import stock_smartyads
from tests.sandbox.conftest import assert_refused, login

pytestmark = pytest.mark.slow  # each test serves a sandbox over HTTP

ALL_FIELDS = ["bids", "wins", "impressions", "clicks", "dspSpend", "winrate", "ctr"]
QUERY = {"from": "2026-02-10", "to": "2026-02-12", "groupBy": ["YMD", "campaignId", "creativeId"],
         "agregatedFields": ALL_FIELDS, "orderField": "YMD", "orderDir": "asc", "page": 1, "rowsOnPage": 25}


def _statistic(seed: int | None = None, **changes) -> dict:
    with running(SandboxConfig(platform="smartyads", seed=seed)) as server:
        stock_smartyads(server, campaigns=2, creatives_each=2)
        with httpx.Client(base_url=server.base_url, timeout=10) as http:
            answer = http.post("/api/statistic", json={**QUERY, **changes}, headers=login(http))
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def answer() -> dict:
    return _statistic()


def test_the_answer_is_shaped_as_3_1_5(answer):
    assert answer["status"] == "success"
    assert answer["pagination"] == {"page": 1, "per_page": 25, "total": 12}  # 3 days × 2 campaigns × 2 creatives
    assert len(answer["data"]) == 12
    for row in answer["data"]:
        assert list(row) == ["YMD", "campaignId", "creativeId", "campaignId_dict", "creativeId_dict", *ALL_FIELDS]
        assert all(isinstance(row[k], int) for k in ("campaignId", "creativeId", "bids", "wins", "impressions",
                                                     "clicks"))
        assert all(isinstance(row[k], float) for k in ("dspSpend", "ctr", "winrate"))
    assert list(answer["totals"]) == ["YMD", "campaignId", "campaignId_dict", "creativeId", "creativeId_dict",
                                      *ALL_FIELDS]
    assert answer["totals"]["YMD"] == "" and answer["totals"]["campaignId"] == 0


def test_numbers_are_realistic_and_rates_are_the_rows_own(answer):
    for row in answer["data"]:
        assert 0 < row["clicks"] <= row["impressions"] <= row["wins"] <= row["bids"]
        assert row["ctr"] == round(row["clicks"] / row["impressions"] * 100, 6)
        assert row["winrate"] == round(row["wins"] / row["bids"] * 100, 6)
        assert 0.3 <= row["dspSpend"] / row["impressions"] * 1000 <= 4.5  # a CPM in dollars


def test_totals_sum_the_rows_and_average_their_rates_as_3_1_5_does(answer):
    rows, totals = answer["data"], answer["totals"]
    for name in ("bids", "wins", "impressions", "clicks"):
        assert totals[name] == sum(r[name] for r in rows)
    assert totals["dspSpend"] == pytest.approx(sum(r["dspSpend"] for r in rows), abs=1e-6)
    assert totals["ctr"] == pytest.approx(sum(r["ctr"] for r in rows) / len(rows))
    assert totals["winrate"] == pytest.approx(sum(r["winrate"] for r in rows) / len(rows))


def test_the_same_seed_gives_the_same_numbers_and_another_seed_others(answer):
    assert _statistic() == answer
    assert _statistic(seed=7)["totals"]["bids"] != answer["totals"]["bids"]


def test_grouping_by_campaign_sums_days_and_creatives(answer):
    grouped = _statistic(groupBy=["campaignId"], orderField="campaignId")
    assert [list(r)[:2] for r in grouped["data"]] == [["campaignId", "campaignId_dict"]] * 2
    for row in grouped["data"]:
        mine = [r for r in answer["data"] if r["campaignId"] == row["campaignId"]]
        assert row["impressions"] == sum(r["impressions"] for r in mine)
        assert row["ctr"] == round(row["clicks"] / row["impressions"] * 100, 6)
    assert grouped["totals"]["impressions"] == answer["totals"]["impressions"]


def test_pages_split_the_rows_without_overlap(answer):
    pages = [_statistic(rowsOnPage=10, page=n) for n in (1, 2)]
    assert [len(p["data"]) for p in pages] == [10, 2]
    assert pages[0]["pagination"] == {"page": 1, "per_page": 10, "total": 12}
    assert pages[0]["data"] + pages[1]["data"] == answer["data"]
    assert pages[1]["totals"] == answer["totals"]  # every page carries the whole report's totals


def test_3_2_filters_by_campaign(answer):
    filtered = _statistic(filter={"campaignId": 1})
    assert {r["campaignId"] for r in filtered["data"]} == {1}


def test_refusals_are_laravel_422s():
    with running(SandboxConfig(platform="smartyads")) as server, \
            httpx.Client(base_url=server.base_url, timeout=10) as http:
        headers = login(http)
        answer = http.post("/api/statistic", json={**QUERY, "rowsOnPage": 50_001, "from": None}, headers=headers)
        assert_refused(answer, {"from": ["The from field is required."],
                                "rowsOnPage": ["The rows on page field must be between 10 and 50000."]})
        answer = http.post("/api/statistic", json={**QUERY, "groupBy": ["hour"]}, headers=headers)
        assert_refused(answer, {"groupBy.0": ["The selected group by.0 is invalid."]})
        assert http.post("/api/statistic", json=QUERY).status_code == 401
