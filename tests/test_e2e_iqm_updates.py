"""End to end on IQM's updates: `bulkops push` through click's runner against the IQM sandbox, with
update rows carrying any subset of columns (generated), fields IQM cannot change, Deals and Creatives
rows naming an existing campaign, end dates shared by several campaigns, the documented defaults of
a create, and a creative field IQM does not keep."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulkops.cli import cli
from bulkops.exporter._write import csv_value
from bulkops.kinds import ColType, Role
from bulkops.platforms.iqm._export import read_state
from bulkops.platforms.iqm.client import IQMClient
from bulkops.platforms.iqm.kinds import CAMPAIGNS, CREATIVES
from bulkops.sandbox import SandboxConfig, SandboxServer, running
from tests._media import png
from tests.test_e2e_iqm import campaign_row

pytestmark = pytest.mark.slow

ENV = {"BULKOPS_IQM_CLIENT_ID": "sandbox-client", "BULKOPS_IQM_CLIENT_SECRET": "sandbox-secret",
       "BULKOPS_IQM_EMAIL": "demo@bulkops.test", "BULKOPS_IQM_PASSWORD": "sandbox",
       "BULKOPS_IQM_HOST": "sandbox.bulkops.test", "BULKOPS_PROFILE": "/nonexistent/bulkops-profile.toml"}
ACCOUNT = {"client_id": "sandbox-client", "client_secret": "sandbox-secret", "email": "demo@bulkops.test",
           "password": "sandbox", "host": "sandbox.bulkops.test"}
READ_ONLY = ("/api/v3/ua/login", "/api/oauth/token", "/api/v3/crt/creatives/list",
             "/api/v3/cmp/customer/campaigns/list")
SETTINGS = settings(max_examples=25, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def push(path: Path, base_url: str, *extra: str):
    result = CliRunner().invoke(cli, ["push", str(path), "-p", "iqm", "--base-url", base_url, "--quiet", "--json",
                                      *extra], env=ENV)
    lines = result.stdout.strip().splitlines()
    return result, (json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {})


def writes(server: SandboxServer) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.sandbox.request_log
            if r.method in ("POST", "PUT", "PATCH", "DELETE") and r.path not in READ_ONLY]


def rows_of(path: Path, title: str) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path)[title]
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, (c.value for c in row), strict=False)) for row in sheet.iter_rows(min_row=2)
            if any(c.value is not None for c in row)]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def image(ref: str, campaigns: str, **fields: object) -> dict[str, object]:
    return {"ref": ref, "creativeName": f"Image {ref}", "format": "image", "campaigns": campaigns,
            "file": "media/300x250.png", "clickUrl": "https://shop.example.com/a", **fields}


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with running(SandboxConfig(platform="iqm", rate_limit=10_000, creative_review_s=0.0)) as srv:
        yield srv


@pytest.fixture
def job(tmp_path: Path, write_workbook):
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "300x250.png").write_bytes(png(300, 250))

    def write(sheets: dict, name: str = "job.xlsx") -> Path:
        return write_workbook(sheets, platform="iqm", name=name)

    return write


@pytest.fixture
def launched(server, job, tmp_path) -> dict[str, object]:
    """Two campaigns and their creatives, pushed through the CLI: {"ids": [...], "exported": rows}."""
    path = job({"campaigns": [campaign_row(ref="c1", campaignName="North"),
                              campaign_row(ref="c2", campaignName="South", whiteListedStateIds="444")],
                "creatives": [image("a", "c1"), image("b", "c2")],
                "deals": [{"campaign": "c1", "dealId": "5012"}]})
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "launch-results.xlsx"))
    assert result.exit_code == 0, result.output

    async def exported():
        async with IQMClient(server.base_url, **ACCOUNT) as api:
            return await read_state(api, (CAMPAIGNS, CREATIVES), None, lambda n: None)

    state = asyncio.run(exported())
    return {"ids": [c["id"] for c in server.sandbox.iqm_campaigns()], "campaigns": state["campaigns"],
            "creatives": state["creatives"]}


# -- any subset of columns ------------------------------------------------------------------------

def _changed(column, live: object) -> str | None:
    """Another value a buyer could type in the column (None: the column has none to offer)."""
    if column.type in (ColType.NUMBER, ColType.INT) and isinstance(live, int | float):
        return str(live + 1)
    if column.type is ColType.BOOL:
        return "FALSE" if live else "TRUE"
    if column.type is ColType.DATETIME:
        return "2027-10-02 06:30"
    return None if column.example is None else str(column.example)


def _cells(kind, live_row: dict, picks: list[tuple[int, bool]]) -> tuple[list[str], list[str]]:
    columns = [c for c in kind.columns if c.role not in (Role.REF, Role.ID, Role.ACTION)]
    header, cells = ["ID"], [str(live_row["id"])]
    for index, change in picks:
        column = columns[index % len(columns)]
        if column.label in header:
            continue
        value = _changed(column, live_row.get(column.field)) if change else None
        text = value if value is not None else csv_value(column, live_row.get(column.field))
        header.append(column.label)
        cells.append(text)
    return header, cells


PICKS = st.lists(st.tuples(st.integers(0, 200), st.booleans()), max_size=8)


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output


@SETTINGS
@given(picks=PICKS)
def test_a_campaign_update_row_with_any_subset_of_columns_pushes_without_a_traceback(server, launched, tmp_path,
                                                                                   picks):
    live_row = launched["campaigns"][0]
    header, cells = _cells(CAMPAIGNS, live_row, picks)
    path = write_csv(tmp_path / "campaigns.csv", header, [cells])
    out = tmp_path / "subset-results.xlsx"
    result, summary = push(path, server.base_url, "-o", str(out))
    _no_traceback(result)
    if result.exit_code != 2:  # 2: the row is invalid (a time without a zone), nothing sent
        [row] = rows_of(out, "Campaigns")
        assert row["Status"] in ("updated", "unchanged", "failed"), row
        assert row["Message"], row


@SETTINGS
@given(picks=PICKS)
def test_a_creative_row_with_an_id_and_any_subset_of_columns_pushes_without_a_traceback(server, launched, tmp_path,
                                                                                      picks):
    live_row = {**launched["creatives"][0], "campaigns": [str(launched["ids"][0])]}
    header, cells = _cells(CREATIVES, live_row, picks)
    path = write_csv(tmp_path / "creatives.csv", header, [cells])
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "subset-results.xlsx"))
    _no_traceback(result)


def test_a_csv_of_only_id_name_and_daily_budget_changes_only_the_daily_budget(server, launched, tmp_path):
    campaign_id = launched["ids"][0]
    path = write_csv(tmp_path / "campaigns.csv", ["ID", "Name", "Daily Budget"], [[str(campaign_id), "North", "75"]])
    server.sandbox.reset_request_log()
    result, summary = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0 and result.exception is None, result.output
    assert summary["counts"]["Campaigns"] == {"updated": 1}
    assert writes(server) == ["PUT /api/v2/cmp/campaigns/update-budget"]
    assert server.sandbox.iqm_campaigns()[0]["budgetDay"] == 75.0


# -- what an update cannot change ----------------------------------------------------------------

def test_a_field_the_update_route_does_not_take_fails_the_row_and_nothing_is_sent(server, launched, tmp_path):
    campaign_id = launched["ids"][1]
    path = write_csv(tmp_path / "campaigns.csv", ["ID", "Max Bid", "Insertion Order ID", "Allowed States"],
                     [[str(campaign_id), "12", "2700", "445"]])
    server.sandbox.reset_request_log()
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 1
    assert writes(server) == []
    [row] = rows_of(tmp_path / "r.xlsx", "Campaigns")
    assert row["Status"] == "failed"
    assert row["Message"] == ("status: pending; differs from IQM (Insertion Order ID: 2695 → 2700; Allowed States: "
                              "444 → 445), and IQM's Update Campaign route cannot change them: change it in IQM, or "
                              "clear ID to create a new campaign")
    assert server.sandbox.iqm_campaigns()[1]["maxBid"] == 8.0  # the bid was not sent alone either


# -- deals and creatives of an existing campaign -------------------------------------------------

def test_deals_rows_replace_an_existing_campaigns_deals_or_add_to_them(server, launched, tmp_path):
    campaign_id = launched["ids"][0]
    deals = write_csv(tmp_path / "deals.csv", ["Campaign", "Deal ID", "Deal Kind"],
                      [[str(campaign_id), "6001", "user"], [str(campaign_id), "77", "group"]])
    result, _ = push(deals, server.base_url, "-o", str(tmp_path / "r1.xlsx"))
    assert result.exit_code == 0, result.output
    stored = server.sandbox.iqm_campaigns()[0]
    assert (stored["userDealId"], stored["groupDealId"]) == ("6001", "77")  # 5012 was replaced
    assert [r["Status"] for r in rows_of(tmp_path / "r1.xlsx", "Deals")] == ["updated", "updated"]
    more = write_csv(tmp_path / "deals.csv", ["Campaign", "Deal ID"], [[str(campaign_id), "6002"]])
    result, _ = push(more, server.base_url, "-o", str(tmp_path / "r2.xlsx"), "--append", "deals")
    assert result.exit_code == 0, result.output
    stored = server.sandbox.iqm_campaigns()[0]
    assert (stored["userDealId"], stored["groupDealId"]) == ("6001,6002", "77")
    server.sandbox.reset_request_log()
    result, summary = push(more, server.base_url, "-o", str(tmp_path / "r3.xlsx"), "--append", "deals")
    assert result.exit_code == 0 and writes(server) == []  # already there: nothing sent
    assert summary["counts"]["Deals"] == {"unchanged": 1}


def test_a_creative_still_in_review_holds_back_its_assignment_to_an_existing_campaign(launched, server, job,
                                                                                    tmp_path):
    campaign_id = launched["ids"][0]
    server.sandbox.config.creative_review_s = 3600.0
    path = job({"creatives": [image("n", str(campaign_id))]}, name="new.xlsx")
    server.sandbox.reset_request_log()
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"), "--approval-timeout", "0")
    assert result.exit_code == 0, result.output
    [row] = rows_of(tmp_path / "r.xlsx", "Creatives")  # uploaded: its own success outranks the assignment
    assert row["Status"] == "created" and "not sent: creative" in row["Message"]
    assert "is still in review; push the same job again later" in row["Message"]
    assert writes(server) == ["POST /api/v3/crt/creatives"]
    assert len(server.sandbox.iqm_campaigns()[0]["creativeIds"].split(",")) == 1


# -- end dates and defaults ------------------------------------------------------------------------

def test_one_end_date_for_several_campaigns_is_one_request_then_read_back(server, launched, tmp_path):
    first, second = launched["ids"]
    path = write_csv(tmp_path / "campaigns.csv", ["ID", "End Time", "Time Zone Name"],
                     [[str(first), "2027-11-30 23:59", "America/New_York"],
                      [str(second), "2027-12-01 04:59", "UTC"]])  # the same moment
    server.sandbox.reset_request_log()
    result, summary = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    assert writes(server) == ["PUT /api/v2/cmp/campaigns/update-end-date"]
    end = dt.datetime(2027, 12, 1, 4, 59, tzinfo=dt.UTC).timestamp()
    assert {c["endTime"] for c in server.sandbox.iqm_campaigns()} == {int(end)}
    # login, two reads, one write, one read-back of both from the campaign list
    assert summary["requests_sent"] == 5
    assert [r["Status"] for r in rows_of(tmp_path / "r.xlsx", "Campaigns")] == ["updated", "updated"]


def test_a_create_with_blank_campaign_type_and_advanced_targeting_sends_the_documented_values(server, job, tmp_path):
    path = job({"campaigns": [campaign_row(), campaign_row(ref="c2", campaignName="Set", campaignType=2,
                                                           isAdvanceAudioVideoTargeted="TRUE")],
                "creatives": [image("a", "c1, c2")]})
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    # The sandbox refuses a create without either field (tests/platforms/iqm/sandbox/test_campaigns.py): both went out.
    assert result.exit_code == 0, result.output
    stored = {c["campaignName"]: (c["campaignType"], c["isAdvanceAudioVideoTargeted"])
              for c in server.sandbox.iqm_campaigns()}
    assert stored == {"North": (1, False), "Set": (2, True)}


# -- a creative field IQM does not keep ------------------------------------------------------------

def test_a_creative_field_iqm_did_not_keep_fails_its_row(server, job, tmp_path, monkeypatch):
    from bulkops.platforms.iqm.sandbox import _creative_add as _iqm_creative_add

    fields_of = _iqm_creative_add._fields_of

    def without_click(key, entry, files):  # a platform that drops an HTML creative's click URL
        fields = fields_of(key, entry, files)
        return {**fields, "clickUrl": None} if isinstance(fields, dict) and fields["creativeTypeId"] == 13 else fields

    monkeypatch.setattr(_iqm_creative_add, "_fields_of", without_click)
    tag = {"ref": "h", "creativeName": "Tag", "format": "html", "campaigns": "c1", "tag": "<b>ad</b>", "width": 300,
           "height": 250, "clickUrl": "https://shop.example.com/h"}
    path = job({"campaigns": [campaign_row(creativeType="html")], "creatives": [tag]})
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 1
    [row] = rows_of(tmp_path / "r.xlsx", "Creatives")
    assert row["Status"] == "failed" and row["ID"] == server.sandbox.iqm_creatives()[0]["creativeId"]
    assert row["Message"] == ("uploaded; approved; Click URL: sent https://shop.example.com/h, the platform kept "
                              "(none)")


def test_a_campaign_the_budget_route_refuses_fails_with_iqms_reason_and_the_other_is_updated(server, launched,
                                                                                           tmp_path):
    first, second = launched["ids"]
    path = write_csv(tmp_path / "campaigns.csv", ["ID", "Daily Budget"], [[str(first), "1600"], [str(second), "1600"]])
    server.sandbox.reset_request_log()
    assert push(write_csv(tmp_path / "t.csv", ["ID", "Total Budget"], [[str(second), "2000"]]),
                server.base_url, "--kind", "campaigns", "-o", str(tmp_path / "t.xlsx"))[0].exit_code == 0
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 1
    first_row, second_row = rows_of(tmp_path / "r.xlsx", "Campaigns")
    assert (first_row["Status"], first_row["Message"]) == ("failed", "daily budget cannot be greater than total "
                                                                     "budget")
    assert second_row["Status"] == "updated"
    assert [c["budgetDay"] for c in server.sandbox.iqm_campaigns()] == [50.0, 1600.0]
    assert writes(server).count("PUT /api/v2/cmp/campaigns/update-budget") == 2  # 2000 for one; 1600 for both


def test_an_update_iqm_refuses_fails_its_row_with_iqms_words(server, launched, tmp_path):
    campaign_id = launched["ids"][0]
    path = write_csv(tmp_path / "campaigns.csv", ["ID", "Creative Type", "Max Bid"], [[str(campaign_id), "video", "9"]])
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 1
    [row] = rows_of(tmp_path / "r.xlsx", "Campaigns")
    assert row["Status"] == "failed"
    assert "Invalid arguments creative ids!" in row["Message"] and "not 14" in row["Message"]
    assert server.sandbox.iqm_campaigns()[0]["maxBid"] == 8.0


def test_the_lists_of_a_campaign_whose_budget_alone_changed_are_unchanged(server, launched, tmp_path, job):
    campaign_id = launched["ids"][0]
    path = job({"campaigns": [{"id": campaign_id, "budgetDay": 65}],
                "deals": [{"campaign": str(campaign_id), "dealId": "5012"}]}, name="budget.xlsx")
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    assert [r["Status"] for r in rows_of(tmp_path / "r.xlsx", "Campaigns")] == ["updated"]
    assert [(r["Status"], r["Message"]) for r in rows_of(tmp_path / "r.xlsx", "Deals")] == [
        ("unchanged", f"already on campaign {campaign_id}")]
