"""`bulkops.report` against both sandboxes: every page read, no page twice (the fewest requests),
the rows checked against the platform's totals, the workbook and the CSV written."""

from __future__ import annotations

import asyncio
import datetime as dt
import math

import openpyxl
import pytest

import bulkops
from bulkops._ratelimit import RateLimiter
from bulkops.platforms.iqm import _report as iqm_report
from bulkops.platforms.iqm.client import IQMClient
from bulkops.platforms.smartyads import _report as smartyads_report
from bulkops.platforms.smartyads.client import SmartyAdsClient
from bulkops.reporting import report_query
from bulkops.sandbox import SandboxConfig, running
from tests._stats import stock_iqm, stock_smartyads

pytestmark = pytest.mark.slow  # each test serves a sandbox over HTTP

QUERY = report_query("2026-03-01", "2026-03-06", "day,campaign,creative")  # 6 days


def _posts(server, path: str) -> int:
    return sum(1 for r in server.sandbox.request_log if r.path == path and r.method == "POST")


def test_smartyads_reads_every_page_once():
    with running(SandboxConfig(platform="smartyads")) as server:
        stock_smartyads(server, campaigns=2, creatives_each=2)  # 24 rows: 3 pages of 10

        async def read():
            async with SmartyAdsClient(server.base_url, **server.credentials) as client:
                return await smartyads_report.read_statistics(client, QUERY, lambda *page: seen.append(page),
                                                              rows_on_page=10)

        seen: list = []
        stats = asyncio.run(read())
        assert len(stats.rows) == 24 and stats.pages == 3 and seen == [(1, 3), (2, 3), (3, 3)]
        assert _posts(server, "/api/statistic") == 3
        assert len({(r.day, r.campaign_id, r.creative_id) for r in stats.rows}) == 24
        assert stats.totals["impressions"] == sum(r.values["impressions"] for r in stats.rows)


def test_iqm_reads_every_page_once():
    with running(SandboxConfig(platform="iqm", rate_limit=1000)) as server:
        stock_iqm(server, campaigns=2, creatives_each=2)

        async def read():
            creds = server.credentials
            async with IQMClient(server.base_url, creds["client_id"], creds["client_secret"], creds["email"],
                                 creds["password"], creds["host"], limiter=RateLimiter(1000, 60)) as client:
                return await iqm_report.read_statistics(client, QUERY, lambda *_: None, rows_on_page=10)

        stats = asyncio.run(read())
        assert len(stats.rows) == 24 and stats.pages == 3
        assert _posts(server, "/api/v3/ra/report/execute") == 3
        assert len({(r.day, r.campaign_id, r.creative_id) for r in stats.rows}) == 24
        assert stats.totals["clicks"] == sum(r.values["clicks"] for r in stats.rows)


@pytest.mark.parametrize("platform", ["smartyads", "iqm"])
def test_report_writes_the_workbook_with_totals_equal_to_the_platforms(platform, tmp_path):
    stock = stock_smartyads if platform == "smartyads" else stock_iqm
    with running(SandboxConfig(platform=platform)) as server:
        stock(server, campaigns=2, creatives_each=2)
        events: list = []
        result = bulkops.report(platform, start="2026-03-01", end="2026-03-06", by="day,campaign",
                                base_url=server.base_url, credentials=server.credentials,
                                output=tmp_path / "r.xlsx", progress=events.append)
    assert result.ok and result.disagreements == [] and result.pages == 1 and len(result.rows) == 12
    assert [(e.stage, e.done, e.total) for e in events] == [("report", 1, 1)]
    sheet = openpyxl.load_workbook(result.path)["Report"]
    totals = {sheet.cell(row=1, column=c).value: sheet.cell(row=14, column=c).value
              for c in range(1, sheet.max_column + 1)}
    assert totals["Day"] == "Total (platform)"
    assert totals["Impressions"] == result.totals["impressions"] == result.sums["impressions"]
    assert totals["Spend"] == pytest.approx(result.totals["spend"])


def test_report_to_csv_and_without_writing(tmp_path):
    with running(SandboxConfig(platform="smartyads")) as server:
        stock_smartyads(server, campaigns=1, creatives_each=1)
        kept = bulkops.report("smartyads", start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 2), by=["day"],
                              base_url=server.base_url, credentials=server.credentials, write=False)
        written = bulkops.report("smartyads", start="2026-03-01", end="2026-03-02", by="day", as_csv=True,
                                 base_url=server.base_url, credentials=server.credentials,
                                 output=tmp_path / "r.csv")
    assert kept.path is None and [r.values for r in kept.rows] == [r.values for r in written.rows]
    assert written.path.read_text(encoding="utf-8").splitlines()[0].startswith("Day,Bids,Wins")


def test_a_report_larger_than_one_page_takes_the_fewest_requests(tmp_path):
    """50,000 rows a page: 51,240 rows (10 campaigns × 12 creatives × 427 days) are two pages."""
    with running(SandboxConfig(platform="smartyads")) as server:
        stock_smartyads(server, campaigns=10, creatives_each=12)
        result = bulkops.report("smartyads", start="2025-01-01", end="2026-03-03", by="day,campaign,creative",
                                base_url=server.base_url, credentials=server.credentials, as_csv=True,
                                output=tmp_path / "big.csv")
        assert len(result.rows) == 10 * 12 * 427 == 51_240
        assert result.pages == math.ceil(51_240 / 50_000) == 2
        assert _posts(server, "/api/statistic") == 2
    assert result.ok
    assert len({(r.day, r.campaign_id, r.creative_id) for r in result.rows}) == 51_240
