"""Plan's estimate and the push's progress count every request the push sends, through the CLI against the
SmartyAds sandbox: an append to a long list (the live diff's read is not made again), a filter list's items
appended with its update, deals appended and removed, a long filter list stored as a file first (17.4), the
launch sample, and campaign creates whose IAB categories the create's answer does not show (11.3.5), read
back from the campaign list (11.1) and failed when the platform did not keep them."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulkops import _terminal
from bulkops.cli import cli
from bulkops.platforms.smartyads.client import SmartyAdsClient
from tests.conftest import campaign
from tests.test_e2e_kinds import sheet_rows

pytestmark = pytest.mark.slow

ACCOUNT = ("demo@bulkops.test", "sandbox")
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


class _Bar:
    """The progress bar a push draws, recorded: its total and what it was advanced by."""

    made: list[_Bar] = []

    def __init__(self, *args, total: int = 0, desc: str = "", **kwargs) -> None:
        self.total, self.done = total, 0
        if desc == "push":  # an export's bar (its total unknown) is not the push's
            _Bar.made.append(self)

    def update(self, n: int = 1) -> None:
        self.done += n

    def close(self) -> None:
        pass


@pytest.fixture
def bar(monkeypatch) -> type[_Bar]:
    _Bar.made = []
    monkeypatch.setattr(_terminal, "tqdm", _Bar)
    return _Bar


def _planned(server, paths: list[Path], *extra: str) -> tuple[int, int]:
    """Plan's estimate, and the reads of the live state it counts (a push makes them again)."""
    result = CliRunner().invoke(cli, ["plan", *map(str, paths), "-p", "smartyads", "--base-url", server.base_url,
                                      "--json", *extra])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return summary["requests"], summary["reads"]


def _pushed(server, paths: list[Path], out: Path, *extra: str) -> tuple[dict, list[str]]:
    before = len(server.sandbox.request_log)
    # Not --quiet: the progress bar is drawn (and recorded by `bar`).
    result = CliRunner().invoke(cli, ["push", *map(str, paths), "-p", "smartyads", "--base-url", server.base_url,
                                      "--json", "-o", str(out), *extra])
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    sent = [f"{r.method} {r.path}" for r in server.sandbox.request_log[before:]]
    assert summary["requests_sent"] == len(sent)
    return summary, sent


def _counted_alike(server, bar, paths: list[Path], out: Path, *extra: str) -> tuple[dict, list[str]]:
    """Plan, then push: the plan's estimate is what the push sends, and the progress bar's total is
    what the steps sent (all but the login and the live diff's reads)."""
    estimated, live_reads = _planned(server, paths, *extra)
    summary, sent = _pushed(server, paths, out, *extra)
    assert estimated == len(sent), sent
    [drawn] = bar.made
    assert drawn.total == drawn.done == len(sent) - 1 - live_reads, (drawn.total, drawn.done, sent)
    return summary, sent


def _seed(server, build) -> dict[str, int]:
    async def seed() -> dict[str, int]:
        async with SmartyAdsClient(server.base_url, *ACCOUNT) as client:
            await client.login()
            return await build(client)

    return asyncio.run(seed())


# --- the live diff's reads are not made again ---------------------------------------------------------------------

def test_two_zips_appended_to_a_list_of_2500_cost_what_plan_said(env, server, bar, write_workbook, tmp_path):
    async def build(client) -> dict[str, int]:
        made = await client.create_campaign({"type": "banner", "name": "Long", "aDomain": "example.com"})
        zips = [{"zip": f"{n:05d}", "iso2": "US", "lat": 40.0, "lng": -74.0, "include": True}
                for n in range(10000, 12500)]
        for start in range(0, 2500, 1000):
            await (client.replace_geo_zips if start == 0 else client.append_geo_zips)(made.id, zips[start:start + 1000])
        return {"campaign": made.id}

    ids = _seed(server, build)
    path = write_workbook({"geo-zip": [{"campaign": str(ids["campaign"]), "zip": code, "iso2": "US", "lat": 40.0,
                                        "lng": -74.0, "mode": "append"} for code in ("02134", "02135")]})
    summary, sent = _counted_alike(server, bar, [path], tmp_path / "r.xlsx")
    zips = f"/api/campaigns/{ids['campaign']}/geo-targeting-zip-code"
    # The login, the list read (3 pages), the append, the list read back (3 pages): 8, as plan said.
    assert sent == ["POST /api/users/login", *[f"GET {zips}"] * 3, f"PATCH {zips}", *[f"GET {zips}"] * 3]
    assert summary["counts"]["Geo ZIP"] == {"created": 2}


def test_items_appended_with_a_filter_list_update_are_not_read_again(env, server, bar, write_workbook, tmp_path):
    async def build(client) -> dict[str, int]:
        made = await client.create_filter_list({"title": "Safe", "type": "domain", "isInclude": True,
                                                "items": ["a.example.com", "b.example.com"]})
        return {"list": made.id}

    ids = _seed(server, build)
    path = write_workbook({
        "filter-lists": [{"id": ids["list"], "title": "Safe sites", "type": "domain", "isInclude": "include"}],
        "filter-list-items": [{"filterList": str(ids["list"]), "item": "c.example.com", "mode": "append"}]})
    summary, sent = _counted_alike(server, bar, [path], tmp_path / "r.xlsx")
    one = f"/api/filterlist/{ids['list']}"
    assert sent == ["POST /api/users/login", f"GET {one}", f"PUT {one}", f"GET {one}"]
    [stored] = server.sandbox.filter_lists()
    assert (stored["title"], stored["items"]) == ("Safe sites", ["a.example.com", "b.example.com", "c.example.com"])


def test_deals_appended_and_removed_are_not_read_again(env, server, bar, write_workbook, tmp_path):
    async def build(client) -> dict[str, int]:
        north = await client.create_campaign({"type": "banner", "name": "North", "aDomain": "example.com"})
        south = await client.create_campaign({"type": "banner", "name": "South", "aDomain": "example.com"})
        for made in (north, south):
            await client.replace_deals(made.id, [{"dealId": "D-1", "bidPrice": "1.00"},
                                                 {"dealId": "D-2", "bidPrice": "2.00"}])
        return {"north": north.id, "south": south.id}

    ids = _seed(server, build)
    path = write_workbook({"deals": [
        {"campaign": str(ids["north"]), "dealId": "D-3", "bidPrice": 3, "mode": "append"},
        {"campaign": str(ids["south"]), "dealId": "D-1", "mode": "remove"}]})
    summary, sent = _counted_alike(server, bar, [path], tmp_path / "r.xlsx")
    north, south = (f"/api/campaigns/{ids[k]}" for k in ("north", "south"))
    assert sorted(sent) == sorted(["POST /api/users/login", f"GET {north}/deals-all", f"GET {south}/deals-all",
                                   f"POST {north}/deals", f"GET {north}/deals-all", f"DELETE {south}/deals"])
    assert sorted(d["dealId"] for d in server.sandbox.campaign_deals(ids["north"])) == ["D-1", "D-2", "D-3"]
    assert [d["dealId"] for d in server.sandbox.campaign_deals(ids["south"])] == ["D-2"]


def test_an_export_pushed_back_unchanged_costs_the_login_and_the_reads_plan_said(env, server, bar, tmp_path):
    async def build(client) -> dict[str, int]:
        made = await client.create_campaign({"type": "banner", "name": "Held", "aDomain": "example.com"})
        await client.replace_geo_zips(made.id, [{"zip": "02134", "iso2": "US", "lat": 42.3, "lng": -71.1,
                                                 "include": True}])
        return {"campaign": made.id}

    ids = _seed(server, build)
    state = tmp_path / "state.xlsx"
    exported = CliRunner().invoke(cli, ["export", "-p", "smartyads", "--base-url", server.base_url, "--quiet",
                                        "-o", str(state)])
    assert exported.exit_code == 0, exported.output
    summary, sent = _counted_alike(server, bar, [state], tmp_path / "r.xlsx")
    assert sent == ["POST /api/users/login", f"GET /api/campaigns/{ids['campaign']}",
                    f"GET /api/campaigns/{ids['campaign']}/geo-targeting-zip-code"]


# --- a list stored as a file first, and the launch sample ---------------------------------------------------------

def test_a_filter_list_longer_than_one_request_counts_its_file(env, server, bar, write_workbook, tmp_path):
    items = [{"filterList": "ips", "item": f"198.18.0.{n}"} for n in range(1, 31)]
    path = write_workbook({"filter-lists": [{"ref": "ips", "title": "IPs", "type": "ipAdresses",
                                             "isInclude": "exclude"}], "filter-list-items": items})
    summary, sent = _counted_alike(server, bar, [path], tmp_path / "r.xlsx", "--item-cap", "10")
    assert sent == ["POST /api/users/login", "POST /api/parsefile", "POST /api/filterlist", "GET /api/filterlist/1"]


def test_the_launch_sample_sends_what_plan_said(env, server, bar, tmp_path):
    shutil.copytree(SAMPLES / "media", tmp_path / "media")
    launch = shutil.copy(SAMPLES / "smartyads-launch.xlsx", tmp_path / "launch.xlsx")
    summary, sent = _counted_alike(server, bar, [Path(launch)], tmp_path / "r.xlsx")
    assert "POST /api/parsefile" in sent
    assert {status for counts in summary["counts"].values() for status in counts} == {"created"}


# --- what a campaign create's answer does not show -------------------------------------------------------------------

def _iab(write_workbook, **extra) -> Path:
    return write_workbook({"campaigns": [
        campaign(ref="c1", name="With IAB", contentCategories="IAB1, IAB3", contentCategoriesIsInclude="exclude",
                 **extra),
        campaign(ref="c2", name="Without")]})


def test_iab_categories_a_create_sent_are_read_back_from_the_campaign_list(env, server, bar, write_workbook,
                                                                           tmp_path):
    summary, sent = _counted_alike(server, bar, [_iab(write_workbook)], tmp_path / "r.xlsx")
    # 11.3.5 answers them blank: the campaign list (11.1) shows what the platform keeps, one page for both.
    assert sorted(sent) == sorted(["POST /api/users/login", "POST /api/campaigns", "POST /api/campaigns",
                                   "GET /api/campaigns"])
    assert summary["exit_code"] == 0 and summary["counts"]["Campaigns"] == {"created": 2}
    stored = {c["name"]: c for c in server.sandbox.campaigns()}["With IAB"]
    assert (stored["contentCategories"], stored["contentCategoriesIsInclude"]) == (["IAB1", "IAB3"], False)


def test_no_read_back_when_no_create_sends_them(env, server, bar, write_workbook, tmp_path):
    path = write_workbook({"campaigns": [campaign(ref="c2", name="Without")]})
    _, sent = _counted_alike(server, bar, [path], tmp_path / "r.xlsx")
    assert sent == ["POST /api/users/login", "POST /api/campaigns"]


def test_iab_categories_the_platform_did_not_keep_fail_the_row(env, server, bar, write_workbook, tmp_path,
                                                               monkeypatch):
    from bulkops.platforms.smartyads import sandbox as smartyads

    real = smartyads.new_campaign
    monkeypatch.setattr(smartyads, "new_campaign", lambda new_id, user, fields, today: real(
        new_id, user, {k: v for k, v in fields.items() if k != "contentCategories"}, today))
    out = tmp_path / "r.xlsx"
    summary, sent = _counted_alike(server, bar, [_iab(write_workbook)], out)
    assert summary["exit_code"] == 1
    rows = {r["Name"]: r for r in sheet_rows(out, "Campaigns")}
    made = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    assert rows["With IAB"]["Status"] == "failed" and rows["With IAB"]["ID"] == made["With IAB"]
    assert rows["With IAB"]["Message"] == "IAB Categories: sent IAB1, IAB3, the platform kept (blank)"
    assert rows["Without"]["Status"] == "created"

    # Pushed again, it is neither created twice nor taken for done: the journal says what was not kept.
    result = CliRunner().invoke(cli, ["push", str(tmp_path / "job.xlsx"), "-p", "smartyads", "--base-url",
                                      server.base_url, "--quiet", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert len(server.sandbox.campaigns()) == 2
    rows = {r["Name"]: r for r in sheet_rows(out, "Campaigns")}
    assert rows["With IAB"]["Status"] == "failed"
    assert rows["With IAB"]["Message"].startswith("created by an earlier run (")
    assert rows["With IAB"]["Message"].endswith("and the platform did not keep it as sent: IAB Categories: sent "
                                                "IAB1, IAB3, the platform kept (blank)")
