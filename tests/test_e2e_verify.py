"""Verified writes and the exact round trip, against the SmartyAds sandbox through the CLI.

A campaign update of a field 11.4.1 does not list is warned about before sending and fails on the
answer (the platform keeps its value); a name or frequency change passes, checked. An account
holding values bulkops's own rules would refuse (filter-list domain items `-x.org` and `=evil()`,
a campaign name starting with a tab) exports and pushes back unchanged, from xlsx and from CSV:
no write, exit 0, those values warned; the same value typed as a new item is refused.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.platforms.smartyads.client import SmartyAdsClient
from bulkops.sandbox import SandboxConfig, running
from tests.conftest import campaign
from tests.test_e2e import push
from tests.test_e2e_export import export, push_back, writes
from tests.test_e2e_kinds import sheet_rows

pytestmark = pytest.mark.slow

ACCOUNT = ("demo@bulkops.test", "sandbox")
ODD_ITEMS = ["-x.org", "=evil()"]  # kept by the platform, refused by bulkops's own domain syntax


def _cli(*args: str):
    return CliRunner().invoke(cli, [*args])


@pytest.fixture
def account(env, server):
    """Two campaigns (one named with a leading tab), and a domain filter list holding items bulkops's
    own syntax refuses, assigned to it; made through the client, as another tool would."""

    async def seed() -> dict[str, int]:
        async with SmartyAdsClient(server.base_url, *ACCOUNT) as client:
            await client.login()
            north = await client.create_campaign({"type": "banner", "name": "\tNorth", "aDomain": "example.com",
                                                  "spentDailyLimit": 100, "frequency": False})
            south = await client.create_campaign({"type": "banner", "name": "South", "aDomain": "example.com"})
            odd = await client.create_filter_list({"title": "Odd domains", "type": "domain", "isInclude": False,
                                                   "items": ["news.example.com", *ODD_ITEMS]})
            await client.replace_campaign_filter_lists(north.id, [odd.id])
            return {"north": north.id, "south": south.id, "odd": odd.id}

    return asyncio.run(seed())


def _cells(path: Path, title: str, match: dict[str, object], changes: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[title]
    headers = [c.value for c in sheet[1]]
    [row] = [r for r in sheet.iter_rows(min_row=2) if all(r[headers.index(k)].value == v for k, v in match.items())]
    for label, value in changes.items():
        row[headers.index(label)].value = value
    book.save(path)


# --- verified writes ---------------------------------------------------------------------------------------------

def test_a_daily_spend_limit_update_fails_with_what_the_platform_kept(server, account, write_campaigns_xlsx,
                                                                      tmp_path):
    path = write_campaigns_xlsx([{"id": account["south"], "name": "South", "spentDailyLimit": 150}])
    out = tmp_path / "r.xlsx"
    before = len(server.sandbox.request_log)
    result = _cli("push", str(path), "-p", "smartyads", "--base-url", server.base_url, "--quiet", "-o", str(out))
    assert result.exit_code == 1, result.output
    # Said before anything was sent, then the answer checked.
    assert ("Daily Spend Limit: warning: 0 → 150 (SmartyAds' campaign update, 11.4.1, does not list this field: "
            "the platform may keep 0)") in result.output
    [row] = sheet_rows(out, "Campaigns")
    assert row["Status"] == "failed" and row["ID"] == account["south"]
    assert row["Message"].startswith("Daily Spend Limit: sent 150, the platform kept 0")
    stored = {c["id"]: c for c in server.sandbox.campaigns()}
    assert stored[account["south"]]["spentDailyLimit"] == 0
    assert writes(server, before) == [f"PATCH /api/campaigns/{account['south']}"]

    # The same push again does not send the same update blindly: it says it again.
    before = len(server.sandbox.request_log)
    again = _cli("push", str(path), "-p", "smartyads", "--base-url", server.base_url, "--quiet", "-o", str(out))
    assert again.exit_code == 1
    assert writes(server, before) == []
    [row] = sheet_rows(out, "Campaigns")
    assert row["Status"] == "failed" and "did not keep it: Daily Spend Limit: sent 150" in row["Message"]


def test_a_name_and_frequency_change_passes_checked(server, account, write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([{"id": account["south"], "name": "South 2027", "frequency": "TRUE",
                                  "frequencyType": "ip", "frequencyCap": 4, "frequencyPeriod": 2}])
    result, summary = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    assert summary["counts"] == {"Campaigns": {"updated": 1}} and summary["problems"] == []
    stored = {c["id"]: c for c in server.sandbox.campaigns()}[account["south"]]
    assert (stored["name"], stored["frequency"], stored["frequencyType"], stored["frequencyCap"],
            stored["frequencyPeriod"]) == ("South 2027", True, "ip", 4, 2)


def test_plan_warns_of_a_field_the_update_route_does_not_list(server, account, write_campaigns_xlsx):
    path = write_campaigns_xlsx([{"id": account["north"], "name": "\tNorth", "spentDailyLimit": 150,
                                  "frequencyCap": 2}])
    before = len(server.sandbox.request_log)
    result = _cli("plan", str(path), "-p", "smartyads", "--base-url", server.base_url)
    assert result.exit_code == 0, result.output
    assert ("Daily Spend Limit: warning: 100 → 150 (SmartyAds' campaign update, 11.4.1, does not list this field: "
            "the platform may keep 100)") in result.output
    assert "Frequency Cap: warning" not in result.output  # 11.4.1 lists it
    assert "row 2: update: Daily Spend Limit: 100 → 150; Frequency Cap: (blank) → 2" in result.output
    assert writes(server, before) == []


def test_plan_names_the_changed_columns_as_a_scripts_csv_heads_them(server, account, tmp_path):
    path = tmp_path / "campaigns.csv"
    path.write_text(f"id,name,spentDailyLimit,frequencyCap\n{account['north']},\tNorth,150,2\n", encoding="utf-8")
    result = _cli("plan", str(path), "-p", "smartyads", "--base-url", server.base_url)
    assert result.exit_code == 0, result.output
    assert "row 2: update: spentDailyLimit: 100 → 150; frequencyCap: (blank) → 2" in result.output
    assert "spentDailyLimit: warning: 100 → 150 (SmartyAds' campaign update" in result.output
    assert "Daily Spend Limit" not in result.output


def test_a_list_item_the_platform_does_not_hold_after_the_write_fails_its_row(env, write_workbook, tmp_path,
                                                                               monkeypatch):
    from bulkops.platforms.smartyads.sandbox import _targeting as targeting

    real = targeting._zip

    def drops_one(item, prefix, errors):  # a platform that answers "Replaced." but keeps no 10001
        row = real(item, prefix, errors)
        return None if row is not None and row["zip"] == "10001" else row

    monkeypatch.setattr(targeting, "_zip", drops_one)
    path = write_workbook({"campaigns": [campaign(ref="c1", name="Zips")],
                           "geo-zip": [{"campaign": "c1", "zip": z, "iso2": "US"} for z in ("02134", "10001")]})
    out = tmp_path / "r.xlsx"
    with running(SandboxConfig()) as server:  # built now, with the route that drops it
        result, summary = push(path, server.base_url, "-o", str(out))
    assert result.exit_code == 1, result.output
    rows = {r["ZIP"]: r for r in sheet_rows(out, "Geo ZIP")}
    assert rows["02134"]["Status"] == "created"
    assert rows["10001"]["Status"] == "failed"
    assert rows["10001"]["Message"] == "request 1 of 1 (replace); sent, but the platform does not hold it"


def test_what_an_earlier_run_sent_and_someone_changed_since_is_sent_again(server, account, write_workbook,
                                                                           tmp_path):
    south = account["south"]
    path = write_workbook({"campaigns": [{"id": south, "name": "South 2027"}],
                           "geo-zip": [{"campaign": south, "zip": "02134", "iso2": "US"}]})
    expected = sorted([f"PATCH /api/campaigns/{south}", f"POST /api/campaigns/{south}/geo-targeting-zip-code"])
    result, _, sent = push_back(server, [path], tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sorted(sent) == expected

    async def by_hand() -> None:  # as another tool would, after that push
        async with SmartyAdsClient(server.base_url, *ACCOUNT) as client:
            await client.login()
            await client.update_campaign(south, {"name": "South"})
            await client.replace_geo_zips(south, [{"zip": "10001", "iso2": "US", "lat": 40.7, "lng": -74.0,
                                                   "include": True}])

    asyncio.run(by_hand())
    # The live state wins over the journal's memory of the first push: both are sent again.
    result, summary, sent = push_back(server, [path], tmp_path / "r2.xlsx")
    assert result.exit_code == 0, result.output
    assert sorted(sent) == expected
    assert summary["counts"] == {"Campaigns": {"updated": 1}, "Geo ZIP": {"created": 1}}
    assert {c["id"]: c["name"] for c in server.sandbox.campaigns()}[south] == "South 2027"
    assert [z["zip"] for z in server.sandbox.campaign_zips(south)] == ["02134"]


# --- the exact round trip ----------------------------------------------------------------------------------------

def _warned(summary: dict) -> dict[str, str]:
    return {p["message"].split("'")[1]: p["severity"] for p in summary["problems"] if p["code"] == "item"}


def test_an_export_pushed_back_unchanged_sends_nothing_whatever_the_platform_holds(server, account, tmp_path):
    state = tmp_path / "state.xlsx"
    export(server, "-o", str(state))
    result, summary, sent = push_back(server, [state], tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == []
    assert {sheet: set(counts) for sheet, counts in summary["counts"].items() if counts} == {
        "Campaigns": {"unchanged"}, "Filter Lists": {"unchanged"}, "Filter List Items": {"unchanged"}}
    assert _warned(summary) == {"-x.org": "warning", "=evil()": "warning"}
    stored = {c["id"]: c for c in server.sandbox.campaigns()}
    assert stored[account["north"]]["name"] == "\tNorth"


def test_the_csv_export_pushed_back_unchanged_sends_nothing_either(server, account, tmp_path):
    folder = tmp_path / "state"
    summary = export(server, "--csv", "-o", str(folder))
    result, summary, sent = push_back(server, [Path(p) for p in summary["paths"]], tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == []
    assert summary["counts"]["Campaigns"] == {"unchanged": 2}
    assert _warned(summary) == {"-x.org": "warning", "=evil()": "warning"}


def test_a_tab_leading_name_stays_when_another_field_changes(server, account, tmp_path):
    state = tmp_path / "state.xlsx"
    export(server, "-o", str(state))
    _cells(state, "Campaigns", {"ID": account["north"]}, {"Frequency Cap": 5})
    result, summary, sent = push_back(server, [state], tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == [f"PATCH /api/campaigns/{account['north']}"]
    stored = {c["id"]: c for c in server.sandbox.campaigns()}[account["north"]]
    assert (stored["name"], stored["frequencyCap"]) == ("\tNorth", 5)


def test_the_same_odd_value_typed_as_a_new_item_is_refused(server, account, tmp_path):
    state = tmp_path / "state.xlsx"
    export(server, "-o", str(state))
    book = openpyxl.load_workbook(state)
    book["Filter List Items"].append([f"filter-list-{account['odd']}", "-y.org"])
    book.save(state)
    result, summary, sent = push_back(server, [state], tmp_path / "r.xlsx")
    assert result.exit_code == 2, result.output
    assert sent == []
    assert _warned(summary) == {"-x.org": "warning", "=evil()": "warning", "-y.org": "error"}


def test_validate_warns_once_per_sheet_and_on_values_it_cannot_check(server, account, tmp_path):
    state = tmp_path / "state.xlsx"
    export(server, "-o", str(state))
    result = _cli("validate", str(state), "-p", "smartyads", "--json")
    assert result.exit_code == 0, result.output
    problems = json.loads(result.stdout.strip().splitlines()[-1])["problems"]
    undocumented = [p for p in problems if p["code"] == "undocumented"]
    assert [(p["sheet"], p["row"]) for p in undocumented] == [("Campaigns", None)]
    assert "Daily Spend Limit" in undocumented[0]["message"] and "11.4.1" in undocumented[0]["message"]
    odd = [p for p in problems if p["code"] == "item"]
    assert {p["severity"] for p in odd} == {"warning"} and len(odd) == 2
    assert all("plan and push refuse the value unless the platform already holds it" in p["message"] for p in odd)


def test_the_estimate_and_the_progress_count_the_checks_and_equal_the_requests_sent(env, server, write_workbook,
                                                                                   tmp_path):
    from bulkops.engine import DEFAULT_PACE, Journal, estimate, execute, open_session, steps_of
    from bulkops.io import read_files
    from bulkops.planner import build_plan
    from bulkops.validation import validate_sheets

    zips = [{"campaign": "c1", "zip": f"{n:05d}", "iso2": "US", "lat": 40.0, "lng": -74.0} for n in range(1001, 2201)]
    path = write_workbook({
        "campaigns": [campaign(ref="c1", name="One"), campaign(ref="c2", name="Two")],
        "geo-zip": zips, "geo-gps": [{"campaign": "c2", "lat": 1, "lng": 2, "radius": 3, "unit": "km"}],
        "deals": [{"campaign": "c2", "dealId": "D-1", "bidPrice": 2}],
        "filter-lists": [{"ref": "fl", "title": "Safe", "type": "domain", "campaigns": "c1, c2"}],
        "filter-list-items": [{"filterList": "fl", "item": "news.example.com"}]})
    plan = build_plan(validate_sheets(read_files([path], "smartyads")), skip_invalid=False)
    steps = steps_of(plan)
    expected = estimate(plan, DEFAULT_PACE, steps)
    # 2 creates; 1,200 ZIPs in 2 writes + 2 pages read; a circle, a deal: 1 write + 1 read each; the list's
    # create + 1 read of its items; its assignment to 2 campaigns: 1 write + 1 read each.
    assert expected.steps == 2 + (2 + 2) + 2 * 2 + (1 + 1) + 2 * 2

    async def push() -> tuple[int, int]:
        ticks: list[int] = []
        async with open_session("smartyads", server.base_url, {"email": ACCOUNT[0], "password": ACCOUNT[1]},
                                DEFAULT_PACE) as session:
            before = session.requests_sent
            with Journal(tmp_path / "j.sqlite", scope="test") as journal:
                outcomes = await execute(plan, session.adapters, journal, on_done=lambda: ticks.append(1),
                                         steps=steps)
            assert {o.status.value for o in outcomes.values()} == {"created"}
            return len(ticks), session.requests_sent - before

    ticked, sent = asyncio.run(push())
    assert ticked == sent == expected.steps == expected.requests - 1  # the login is the one more
