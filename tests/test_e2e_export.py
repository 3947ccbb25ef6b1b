"""Export, plan and the round trip against the SmartyAds sandbox: an account seeded with every kind
and awkward values is exported; the export pushed back unchanged sends no write; N edited cells send
exactly the writes they need; plan says so first; no exported cell is a formula."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import importlib
import json
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.kinds import kinds_for
from bulkops.platforms.smartyads.client import SmartyAdsClient
from bulkops.registry import PLATFORMS
from tests.test_e2e import push
from tests.test_e2e_kinds import JOB, media, sheet_rows  # noqa: F401 - media is a fixture

pytestmark = pytest.mark.slow

ACCOUNT = ("demo@bulkops.test", "sandbox")
APP_ITEMS = ["=app-1", "-app-2", "+app-3", "@app-4", "\uff1dapp-5"] + [f"app-{n:03d}" for n in range(6, 26)]
ITEM_CAP = "10"  # the seeded app list (25 items) is longer than one request may carry


def writes(server, since: int = 0) -> list[str]:
    """Every request that could change something (logins aside), in order."""
    return [f"{r.method} {r.path}" for r in server.sandbox.request_log[since:]
            if r.method != "GET" and not r.path.endswith("/login")]


async def _awkward(base_url: str, north: int, south: int) -> None:
    async with SmartyAdsClient(base_url, *ACCOUNT) as client:
        await client.login()
        await client.update_campaign(north, {"name": "=1+2 Café ☕ 北"})
        await client.update_campaign(south, {"name": "-South Ünïcode", "geoCountries": ["USA", "CAN"]})
        apps = await client.create_filter_list({"title": "@apps «list»", "type": "apps", "isInclude": False,
                                                "items": APP_ITEMS[:5]})
        # More items than one request may carry: the file route, as a push would send them.
        parsed = await client.parse_filter_file("apps.csv", "\n".join(APP_ITEMS).encode())
        await client.replace_filter_list(apps.id, {"title": apps.title, "isInclude": False,
                                                   "fileName": parsed.fileName})
        assigned = await client.get_campaign_filter_lists(north)
        await client.replace_campaign_filter_lists(north, [*assigned, apps.id])
        await client.replace_deals(south, [{"dealId": "=DEAL-1", "bidPrice": "1.00"},
                                           {"dealId": "-007", "bidPrice": "2.50"},
                                           {"dealId": "00417", "bidPrice": "9.75"}])
        # The built-in account's audiences and rules; first-party and third-party audience 2 share an ID.
        await client.replace_campaign_audiences(north, [{"id": 2, "type": "collect"}, {"id": 2, "type": "thirdParty"}])
        await client.replace_campaign_contextual(south, [4, 1])


@pytest.fixture
def seeded(env, server, write_workbook, media, tmp_path):  # noqa: F811 - media is the fixture above
    result, _ = push(write_workbook(JOB), server.base_url, "-o", str(tmp_path / "seed-results.xlsx"))
    assert result.exit_code == 0, result.output
    ids = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    asyncio.run(_awkward(server.base_url, ids["North"], ids["South"]))
    return server


def push_back(server, paths: Sequence[Path], out: Path, *extra: str):
    """Push `paths` through the CLI (quiet, JSON): its result, its summary, and the writes it sent."""
    before = len(server.sandbox.request_log)
    result = CliRunner().invoke(cli, ["push", *map(str, paths), "-p", "smartyads", "--base-url", server.base_url,
                                      "--quiet", "--json", "-o", str(out), *extra])
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return result, summary, writes(server, before)


def export(server, *extra: str):
    result = CliRunner().invoke(cli, ["export", "-p", "smartyads", "--base-url", server.base_url, "--quiet",
                                      "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_export_writes_every_kind_as_the_template_with_nothing_a_spreadsheet_would_run(seeded, tmp_path):
    out = tmp_path / "state.xlsx"
    summary = export(seeded, "-o", str(out))
    assert summary["counts"] == {"Campaigns": 2, "Creatives": 7, "Geo ZIP": 4, "Geo GPS": 2, "Deals": 3,
                                 "Audiences": 2, "Contextual": 2, "Filter Lists": 3,
                                 "Filter List Items": 4 + len(APP_ITEMS)}
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Summary"
    facts = {row[0].value: row[1].value for row in book["Summary"].iter_rows() if row[0].value}
    assert facts["Platform"] == "smartyads" and facts["Command"] == "export" and facts["Geo ZIP"] == 4
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    for kind in kinds_for("smartyads"):
        sheet = book[kind.sheet]
        headers = [c.value for c in sheet[1]]
        assert headers == [c.label for c in kind.columns]
        assert sheet.data_validations.dataValidation or not any(c.choices for c in kind.columns)
        for number, column in enumerate(kind.columns, start=1):
            if not column.is_code:
                continue
            for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                if cell.value is not None:
                    assert cell.data_type == "s" and cell.number_format == "@", (kind.sheet, column.label)
    campaigns = {r["Name"]: r for r in sheet_rows(out, "Campaigns")}
    assert set(campaigns) == {"=1+2 Café ☕ 北", "-South Ünïcode"}
    north = campaigns["=1+2 Café ☕ 北"]
    assert north["Ref"] == f"campaign-{north['ID']}" and north["Type"] == "banner"
    name_cell = next(c for c in book["Campaigns"]["D"] if c.value == "=1+2 Café ☕ 北")
    assert name_cell.quotePrefix  # shown as typed, never evaluated
    assert campaigns["-South Ünïcode"]["Countries"] == "USA, CAN"
    zips = {r["ZIP"] for r in sheet_rows(out, "Geo ZIP")}
    assert {"02134", "01001", "10001", "M5V 3L9"} == zips  # text, leading zeros kept
    assert {r["Deal ID"] for r in sheet_rows(out, "Deals")} == {"=DEAL-1", "-007", "00417"}
    items = [r["Item"] for r in sheet_rows(out, "Filter List Items")]
    assert [i for i in items if i.startswith("app") or i[0] in "=-+@\uff1d"] == APP_ITEMS
    formats = {r["Name"]: r["Format"] for r in sheet_rows(out, "Creatives")}
    assert formats == {c["name"]: c["format"] for c in JOB["creatives"]}
    for row in sheet_rows(out, "Creatives"):
        assert row["Media File"] is None and row["Campaigns"]  # media stay on the platform


def test_the_export_pushed_back_unchanged_sends_no_write_and_every_row_is_unchanged(seeded, tmp_path):
    out = tmp_path / "state.xlsx"
    export(seeded, "-o", str(out))
    before = len(seeded.sandbox.request_log)
    result, summary = push(out, seeded.base_url, "-o", str(tmp_path / "r.xlsx"), "--item-cap", ITEM_CAP)
    assert result.exit_code == 0, result.output
    assert writes(seeded, before) == []
    assert {sheet: set(counts) for sheet, counts in summary["counts"].items()} == {
        k.sheet: {"unchanged"} for k in kinds_for("smartyads")}
    assert sum(n for counts in summary["counts"].values() for n in counts.values()) == \
        2 + 7 + 4 + 2 + 3 + 2 + 2 + 3 + 29


def _edit(path: Path, title: str, match: dict[str, object], changes: dict[str, object] | None) -> None:
    """Change (or, with None, delete) the one row of `title` whose cells equal `match`."""
    book = openpyxl.load_workbook(path)
    sheet = book[title]
    headers = [c.value for c in sheet[1]]
    [row] = [r for r in sheet.iter_rows(min_row=2) if all(r[headers.index(k)].value == v for k, v in match.items())]
    if changes is None:
        sheet.delete_rows(row[0].row)
    else:
        for label, value in changes.items():
            row[headers.index(label)].value = value
    book.save(path)


def test_n_changed_cells_send_exactly_their_writes_and_plan_says_so_first(seeded, tmp_path):
    out = tmp_path / "state.xlsx"
    export(seeded, "-o", str(out))
    sandbox = seeded.sandbox
    ids = {c["name"]: c["id"] for c in sandbox.campaigns()}
    north, south = ids["=1+2 Café ☕ 北"], ids["-South Ünïcode"]
    [banner] = [c["id"] for c in sandbox.creatives() if c["name"] == "Banner 728x90"]
    _edit(out, "Campaigns", {"ID": north}, {"Countries": "USA, MEX"})
    _edit(out, "Creatives", {"ID": banner}, {"Active": "TRUE"})
    _edit(out, "Geo ZIP", {"ZIP": "10001"}, None)
    _edit(out, "Deals", {"Deal ID": "-007"}, {"Bid Price": 3.25})

    before = len(sandbox.request_log)
    planned = CliRunner().invoke(cli, ["plan", str(out), "-p", "smartyads", "--base-url", seeded.base_url, "--json",
                                       "--item-cap", ITEM_CAP, "-o", str(tmp_path / "plan.xlsx")])
    assert planned.exit_code == 0, planned.output
    assert writes(seeded, before) == []  # a plan reads, never writes
    report = json.loads(planned.stdout.strip().splitlines()[-1])
    assert report["live"] is True
    assert report["sheets"]["Campaigns"] == {"update": 1, "unchanged": 1}
    assert report["sheets"]["Creatives"] == {"unchanged": 6, "update": 1}
    changed = {(r["sheet"], c["column"]): (c["old"], c["new"]) for r in report["rows"] for c in r["changes"]}
    assert changed == {("Campaigns", "Countries"): ("(blank)", "USA, MEX"), ("Creatives", "Active"): ("FALSE", "TRUE")}
    assert report["removals"] == [{"sheet": "Geo ZIP", "parent": f"campaign campaign-{north}", "count": 1}]
    # login, the reads a push repeats, four writes, and a read of the ZIPs and of the deals after theirs
    # (their answers are only a message; the campaign's and the creative's carry the object)
    assert report["requests"] == 1 + report["reads"] + 4 + 2
    plan_rows = sheet_rows(tmp_path / "plan.xlsx", "Campaigns")
    assert sorted(r["Plan"] for r in plan_rows) == ["unchanged", "update: Countries: (blank) → USA, MEX"]

    before = len(sandbox.request_log)
    result, summary = push(out, seeded.base_url, "-o", str(tmp_path / "r.xlsx"), "--item-cap", ITEM_CAP)
    assert result.exit_code == 0, result.output
    assert sorted(writes(seeded, before)) == sorted([
        f"PATCH /api/campaigns/{north}", f"PUT /api/creatives/{banner}",
        f"POST /api/campaigns/{north}/geo-targeting-zip-code", f"POST /api/campaigns/{south}/deals"])
    stored = {c["id"]: c for c in sandbox.campaigns()}
    assert stored[north]["geoCountries"] == ["USA", "MEX"] and stored[north]["name"] == "=1+2 Café ☕ 北"
    assert sorted(z["zip"] for z in sandbox.campaign_zips(north)) == ["01001", "02134"]
    assert sorted((d["dealId"], d["bidPrice"]) for d in sandbox.campaign_deals(south)) == [
        ("-007", "3.25"), ("00417", "9.75"), ("=DEAL-1", "1.00")]
    assert summary["counts"]["Campaigns"] == {"updated": 1, "unchanged": 1}
    assert summary["counts"]["Filter List Items"] == {"unchanged": 29}

    before = len(sandbox.request_log)
    result, _ = push(out, seeded.base_url, "-o", str(tmp_path / "r2.xlsx"), "--item-cap", ITEM_CAP)
    assert result.exit_code == 0 and writes(seeded, before) == []  # done is done


def test_csv_export_is_text_safe_and_goes_back_unchanged(seeded, tmp_path):
    folder = tmp_path / "state"
    summary = export(seeded, "--csv", "-o", str(folder))
    files = sorted(Path(p).name for p in summary["paths"])
    assert files == sorted(f"{k.name}.csv" for k in kinds_for("smartyads"))
    with (folder / "campaigns.csv").open(encoding="utf-8") as handle:
        names = [row["Name"] for row in csv.DictReader(handle)]
    assert sorted(names) == ["'-South Ünïcode", "'=1+2 Café ☕ 北"]  # spreadsheets hide the apostrophe
    result, _, sent = push_back(seeded, sorted(folder.glob("*.csv")), tmp_path / "r.xlsx", "--item-cap", ITEM_CAP)
    assert result.exit_code == 0, result.output
    assert sent == []


def test_export_of_some_campaigns_and_kinds(seeded, tmp_path):
    ids = {c["name"]: c["id"] for c in seeded.sandbox.campaigns()}
    south = ids["-South Ünïcode"]
    out = tmp_path / "south.xlsx"
    summary = export(seeded, "-o", str(out), "--campaigns", str(south))
    assert summary["counts"]["Campaigns"] == 1
    assert {r["Name"] for r in sheet_rows(out, "Creatives")} == {
        "Banner 300x250", "Tag 300x250", "Native card", "VAST 30s", "Spot 15s"}
    assert {r["Title"] for r in sheet_rows(out, "Filter Lists")} == {"Safe domains", "Bad IPs"}
    assert {r["Campaign"] for r in sheet_rows(out, "Geo ZIP")} == {f"campaign-{south}"}

    only = tmp_path / "zips.xlsx"
    summary = export(seeded, "-o", str(only), "--kinds", "geo-zip")
    assert list(summary["counts"]) == ["Geo ZIP"]
    # Without the Campaigns sheet a Ref would name nothing: the parent is given by its ID.
    assert {r["Campaign"] for r in sheet_rows(only, "Geo ZIP")} == {str(i) for i in ids.values()}
    before = len(seeded.sandbox.request_log)
    result, summary = push(only, seeded.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0 and writes(seeded, before) == [] and summary["counts"] == {"Geo ZIP": {"unchanged": 4}}


def test_export_progress_counts_every_request(seeded):
    from bulkops.platforms.smartyads._export import read_state

    async def run() -> tuple[int, int]:
        async with SmartyAdsClient(seeded.base_url, *ACCOUNT) as client:
            await client.login()
            before = client.stats.requests_sent
            ticks: list[int] = []
            await read_state(client, kinds_for("smartyads"), None, ticks.append)
            return sum(ticks), client.stats.requests_sent - before

    counted, sent = asyncio.run(run())
    assert counted == sent and sent >= 2 * 5 + 3 + 3  # campaigns' lists, the three lists, the top-level lists


def test_export_for_a_platform_without_an_exporter_is_a_usage_error(env, monkeypatch):
    without = dataclasses.replace(PLATFORMS["iqm"], read_state=None)
    monkeypatch.setattr(importlib.import_module("bulkops.platforms.iqm.platform"), "PLATFORM", without)
    result = CliRunner().invoke(cli, ["export", "-p", "iqm", "--base-url", "http://127.0.0.1:9"])
    assert result.exit_code == 3
    assert "export is not available for iqm" in result.output


def test_filter_list_edits_send_one_put_each_and_the_plan_reads_as_text(seeded, tmp_path):
    out = tmp_path / "state.xlsx"
    export(seeded, "-o", str(out))
    lists = {fl["title"]: fl["id"] for fl in seeded.sandbox.filter_lists()}
    safe, apps = lists["Safe domains"], lists["@apps «list»"]
    _edit(out, "Filter Lists", {"ID": safe}, {"Title": "Safe domains 2027"})
    book = openpyxl.load_workbook(out)
    sheet = book["Filter List Items"]
    sheet.append([f"filter-list-{apps}", "app-026"])  # one more item on the long list
    book.save(out)

    planned = CliRunner().invoke(cli, ["plan", str(out), "-p", "smartyads", "--base-url", seeded.base_url,
                                       "--item-cap", ITEM_CAP])
    assert planned.exit_code == 0, planned.output
    assert "Filter Lists: 2 to update, 1 unchanged" in planned.output
    assert "update: Title: 'Safe domains' → 'Safe domains 2027'" in planned.output
    assert "Filter List Items: 1 to create, 29 unchanged" in planned.output
    assert "The push needs about" in planned.output

    before = len(seeded.sandbox.request_log)
    result, summary = push(out, seeded.base_url, "-o", str(tmp_path / "r.xlsx"), "--item-cap", ITEM_CAP)
    assert result.exit_code == 0, result.output
    # The retitled list keeps its items; the longer list goes by file (over the cap).
    assert sorted(writes(seeded, before)) == sorted(["POST /api/parsefile", f"PUT /api/filterlist/{apps}",
                                                     f"PUT /api/filterlist/{safe}"])
    # One read of each list (the diff's), none more before the PUT; one after it, to see the items it holds.
    assert [r.method for r in seeded.sandbox.request_log[before:] if r.path == f"/api/filterlist/{safe}"] == [
        "GET", "PUT", "GET"]
    stored = {fl["id"]: fl for fl in seeded.sandbox.filter_lists()}
    assert stored[safe]["title"] == "Safe domains 2027"
    assert sorted(stored[safe]["items"]) == ["news.example.com", "weather.example.org"]
    assert stored[apps]["items"] == [*APP_ITEMS, "app-026"]
    assert summary["counts"]["Filter Lists"] == {"updated": 2, "unchanged": 1}


def test_plan_of_a_job_that_creates_only_needs_no_network(env, write_workbook):
    path = write_workbook({"campaigns": [{"ref": "n", "name": "New", "type": "banner", "aDomain": "example.com"}]})
    result = CliRunner().invoke(cli, ["plan", str(path), "-p", "smartyads", "--base-url", "http://127.0.0.1:9"])
    assert result.exit_code == 0, result.output
    assert "Campaigns: 1 to create" in result.output
    assert "Not compared with the live state (nothing the job names exists yet)" in result.output
