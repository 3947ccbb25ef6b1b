"""The exact round trip on IQM, through the CLI against the IQM sandbox: an account holding what another
tool may leave there (a name with spaces and a tab around it, a max bid of 0.0001, a circle of radius
0.001, a domain item `-y.org`, a creative whose click URL has no scheme, a rejected creative) exports,
validates with warnings only, plans and pushes back with no write and exit 0. The same odd values typed
new are refused; a message that sends the user to a column names it as their header does."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.platforms.iqm.client import IQMClient, NewCreative
from bulkops.platforms.iqm.sandbox._creatives import REJECT_MARKER
from bulkops.sandbox import SandboxConfig, SandboxServer, running
from tests._media import png
from tests.test_e2e_iqm_updates import ACCOUNT, ENV, rows_of, write_csv

pytestmark = pytest.mark.slow

PADDED = "  Zip lost zero\t"
OWN = "this check is bulkops's own"


def cli_run(*args: str):
    return CliRunner().invoke(cli, [*args], env=ENV)


def base(name: str, creative_ids: list[int], **fields: object) -> dict[str, object]:
    return {"campaignName": name, "advertiserDomain": "https://shop.example.com", "creativeType": 11,
            "creativeIds": ",".join(map(str, creative_ids)), "maxBid": 8.5, "budgetDay": 50, "budgetTotal": 1500,
            "startTime": 1822363200, "endTime": 1825041540, "timezone": 433, "ioId": 2695, "countryId": "30100001",
            "isAgreementChecked": True, "campaignType": 1, "isAdvanceAudioVideoTargeted": False, **fields}


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with running(SandboxConfig(platform="iqm", rate_limit=10_000, creative_review_s=0.0)) as srv:
        yield srv


@pytest.fixture
def account(server) -> dict[str, int]:
    """Made through the client, as another tool would."""

    async def seed() -> dict[str, int]:
        async with IQMClient(server.base_url, **ACCOUNT) as api:
            added = await api.add_creatives([
                NewCreative("Plain", "image", "FILE", file=("a.png", png(300, 250), None),
                            click_url="shop.example.com/a", width=300, height=250),
                NewCreative(f"{REJECT_MARKER} Loose", "image", "FILE", file=("b.png", png(300, 250), None),
                            click_url="https://shop.example.com/b", width=300, height=250)])
            plain, rejected = (a.id for a in added)
            tiny = [{"unit": "mile", "address": "", "latitude": 40.7128, "longitude": -74.006, "radius": 0.001,
                     "type": "circle"}]
            padded = await api.create_campaign(base(PADDED, [plain], maxBid=0.0001,
                                                    whiteListedGeoRadiusDetails=json.dumps(tiny),
                                                    blackListedSiteDomain="news.example.com,-y.org"))
            return {"campaign": padded.id, "plain": plain, "rejected": rejected}

    return asyncio.run(seed())


def exported(server, path: Path) -> Path:
    result = cli_run("export", "-p", "iqm", "--base-url", server.base_url, "--quiet", "--json", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def push(server, path: Path, out: Path):
    before = len(server.sandbox.request_log)
    result = cli_run("push", str(path), "-p", "iqm", "--base-url", server.base_url, "--quiet", "--json",
                     "-o", str(out))
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return result, summary, [f"{r.method} {r.path}" for r in server.sandbox.request_log[before:]
                             if r.method in ("POST", "PUT", "PATCH") and r.path not in _READS]


_READS = ("/api/v3/ua/login", "/api/oauth/token", "/api/v3/crt/creatives/list", "/api/v3/cmp/customer/campaigns/list")


def own_problems(problems: list[dict]) -> dict[tuple[str, str], str]:
    return {(p["sheet"], p["column"]): p["severity"] for p in problems if OWN in p["message"]}


def test_an_export_of_odd_values_pushed_back_sends_nothing_and_exits_0(server, account, tmp_path):
    state = exported(server, tmp_path / "state.xlsx")
    result, summary, sent = push(server, state, tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == []
    assert {sheet: set(counts) for sheet, counts in summary["counts"].items() if counts} == {
        "Campaigns": {"unchanged"}, "Creatives": {"unchanged"}, "Geo GPS": {"unchanged"},
        "Filter Lists": {"unchanged"}}
    assert own_problems(summary["problems"]) == {
        ("Campaigns", "Max Bid"): "warning", ("Geo GPS", "Radius (miles)"): "warning",
        ("Filter Lists", "Value"): "warning", ("Creatives", "Click URL"): "warning"}
    stored = server.sandbox.iqm_campaigns()[0]
    assert (stored["campaignName"], stored["maxBid"]) == (PADDED, 0.0001)
    creatives = {r["ID"]: r for r in rows_of(tmp_path / "r.xlsx", "Creatives")}
    assert creatives[account["rejected"]]["Status"] == "unchanged"
    assert "warning: rejected: " in creatives[account["rejected"]]["Message"]
    assert "used as it is (none of its cells are sent)" in creatives[account["plain"]]["Message"]


def test_validate_warns_on_the_odd_values_it_cannot_check(server, account, tmp_path):
    state = exported(server, tmp_path / "state.xlsx")
    result = cli_run("validate", str(state), "-p", "iqm", "--json")
    assert result.exit_code == 0, result.output
    problems = json.loads(result.stdout.strip().splitlines()[-1])["problems"]
    odd = [p for p in problems if OWN in p["message"]]
    assert {p["severity"] for p in odd} == {"warning"} and len(odd) == 4
    campaign_ones = [p for p in odd if p["sheet"] != "Creatives"]
    assert all("plan and push refuse the value unless the platform already holds it" in p["message"]
               for p in campaign_ones)


def test_plan_reads_the_campaign_once_and_counts_what_the_push_then_sends(server, account, tmp_path):
    state = exported(server, tmp_path / "state.xlsx")
    book = openpyxl.load_workbook(state)
    sheet = book["Campaigns"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("Name") + 1).value = "Zip found"
    book.save(state)
    before = len(server.sandbox.request_log)
    result = cli_run("plan", str(state), "-p", "iqm", "--base-url", server.base_url, "--json")
    assert result.exit_code == 0, result.output
    planned = json.loads(result.stdout.strip().splitlines()[-1])
    read = [r.path for r in server.sandbox.request_log[before:] if r.method == "GET"]
    assert read == [f"/api/v2/cmp/campaign/{account['campaign']}"] and planned["reads"] == 1
    assert own_problems(planned["problems"]) == {
        ("Campaigns", "Max Bid"): "warning", ("Geo GPS", "Radius (miles)"): "warning",
        ("Filter Lists", "Value"): "warning", ("Creatives", "Click URL"): "warning"}
    result, summary, sent = push(server, state, tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == [f"PATCH /api/v2/cmp/campaign/{account['campaign']}"]
    # login, one read of the campaign (which settles the own checks and is compared), one review poll,
    # IQM's creative types, the update, its read-back: what plan said
    assert summary["requests_sent"] == planned["requests"] == 6
    assert server.sandbox.iqm_campaigns()[0]["campaignName"] == "Zip found"


def test_the_same_odd_values_typed_new_are_refused_with_nothing_sent(server, account, tmp_path):
    state = exported(server, tmp_path / "state.xlsx")
    book = openpyxl.load_workbook(state)
    book["Filter Lists"].append([f"campaign-{account['campaign']}", "domain", "-z.org", "exclude"])
    book.save(state)
    result, summary, sent = push(server, state, tmp_path / "r.xlsx")
    assert result.exit_code == 2, result.output
    assert sent == []
    refused = [p for p in summary["problems"] if p["severity"] == "error"]
    assert [(p["sheet"], p["message"]) for p in refused] == [
        ("Filter Lists", "'-z.org' is not a site domain such as news.example.com")]


def test_a_campaign_without_creatives_is_told_where_to_name_them_as_the_users_headers_read(server, tmp_path):
    path = write_csv(tmp_path / "campaigns.csv", [
        "campaignName", "advertiserDomain", "creativeType", "maxBid", "budgetDay", "budgetTotal", "startTime", "tz",
        "timezone", "ioId", "countryId", "isAgreementChecked", "creativeIds"], [
        ["Lonely", "https://shop.example.com", "image", "8", "50", "1500", "2027-10-01 00:00", "America/New_York",
         "433", "2695", "30100001", "TRUE", ""]])
    result, summary, sent = push(server, path, tmp_path / "r.xlsx")
    assert result.exit_code == 1, result.output
    [row] = rows_of(tmp_path / "r.xlsx", "Campaigns")
    assert row["Message"] == ("no creatives: name this campaign in the Campaigns column of a Creatives row, or fill "
                              "creativeIds")
    assert sent == []


def test_an_own_check_on_a_campaign_iqm_cannot_read_stays_an_error_and_says_why(server, tmp_path):
    path = write_csv(tmp_path / "campaigns.csv", ["ID", "Max Bid"], [["999", "0.0001"]])
    result, summary, sent = push(server, path, tmp_path / "r.xlsx")
    assert result.exit_code == 2, result.output
    assert sent == []
    [refused] = [p for p in summary["problems"] if p["severity"] == "error"]
    assert refused["message"] == ("'0.0001' is below the minimum of 0.01; IQM's campaign 999 could not be read to "
                                  "see whether it holds this value: Campaign 999 not found.")


def test_a_new_campaign_that_needs_a_rejected_creative_is_skipped_and_the_creatives_row_fails(server, account,
                                                                                              write_workbook,
                                                                                              tmp_path):
    campaign = {"ref": "c1", "campaignName": "Needs it", "advertiserDomain": "https://shop.example.com",
                "creativeType": "image", "maxBid": 8, "budgetDay": 50, "budgetTotal": 1500,
                "startTime": "2027-10-01 00:00", "tz": "America/New_York", "timezone": 433, "ioId": 2695,
                "countryId": "30100001", "isAgreementChecked": "TRUE"}
    path = write_workbook({"campaigns": [campaign], "creatives": [{"id": account["rejected"], "campaigns": "c1"}]},
                          platform="iqm")
    result, summary, sent = push(server, path, tmp_path / "r.xlsx")
    assert result.exit_code == 1, result.output
    assert sent == []
    [row] = rows_of(tmp_path / "r.xlsx", "Creatives")
    assert row["Status"] == "failed"
    assert row["Message"].endswith("Campaigns row 2 ('c1') needs it, so it was not sent")
    [campaign_row] = rows_of(tmp_path / "r.xlsx", "Campaigns")
    assert campaign_row["Status"] == "skipped" and "was rejected" in campaign_row["Message"]
