"""Values the platform holds go back as it holds them, through the CLI against the SmartyAds sandbox.

bulkops's own postal-code repair leaves a ZIP the platform holds as it is; list cells (carriers,
regions) keep their items' whitespace and commas from export to push; a creative row asking for a
field SmartyAds cannot change on an existing creative fails, in plan and push, with no request; and
plan says why it did not read the live state of a job whose every row is invalid.
"""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.platforms.smartyads.client import SmartyAdsClient
from tests.test_e2e_export import export, push_back
from tests.test_e2e_kinds import sheet_rows

pytestmark = pytest.mark.slow

ACCOUNT = ("demo@bulkops.test", "sandbox")
CARRIERS = [" ISP Green ", "ISP, with comma"]
REGIONS = ["Ile-de-France "]


def _cli(*args: str):
    return CliRunner().invoke(cli, [*args])


def _seed(server, **fields) -> int:
    async def seed() -> int:
        async with SmartyAdsClient(server.base_url, *ACCOUNT) as client:
            await client.login()
            made = await client.create_campaign({"type": "banner", "name": "Held", "aDomain": "example.com",
                                                 **fields})
            await client.replace_geo_zips(made.id, [{"zip": "1234", "iso2": "US", "lat": 42.0, "lng": -71.0,
                                                     "include": True}])
            return made.id

    return asyncio.run(seed())


@pytest.fixture
def held(env, server) -> int:
    """A campaign whose ZIP list holds `1234` (US), and whose carriers and regions hold items with
    surrounding spaces and a comma, made through the client as another tool would."""
    return _seed(server, deviceCarrier=CARRIERS, geoRegions=REGIONS)


def _exported(server, tmp_path: Path, form: str) -> list[Path]:
    if form == "csv":
        return [Path(p) for p in export(server, "--csv", "-o", str(tmp_path / "state"))["paths"]]
    export(server, "-o", str(tmp_path / "state.xlsx"))
    return [tmp_path / "state.xlsx"]


def _plan(server, paths: list[Path]):
    result = _cli("plan", *map(str, paths), "-p", "smartyads", "--base-url", server.base_url)
    assert result.exit_code == 0, result.output
    return result.output


def _stored_zips(server, campaign_id: int) -> list[str]:
    return [z["zip"] for z in server.sandbox.campaign_zips(campaign_id)]


# --- postal codes the platform holds -------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_zip_the_platform_holds_without_its_leading_zero_goes_back_unchanged(server, held, tmp_path, form):
    paths = _exported(server, tmp_path, form)
    plan = _plan(server, paths)
    assert "Geo ZIP: 1 unchanged" in plan
    assert "to create" not in plan and "removes" not in plan
    assert "'1234' is kept as the platform holds it" in plan

    result, summary, sent = push_back(server, paths, tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == []
    assert summary["counts"]["Geo ZIP"] == {"unchanged": 1}
    [row] = sheet_rows(tmp_path / "r.xlsx", "Geo ZIP")
    assert row["Status"] == "unchanged" and "kept as the platform holds it" in row["Message"]
    assert _stored_zips(server, held) == ["1234"]


def test_a_new_zip_beside_it_is_still_repaired(server, held, tmp_path):
    [folder] = {p.parent for p in _exported(server, tmp_path, "csv")}
    zips = folder / "geo-zip.csv"
    rows = list(csv.reader(zips.open(encoding="utf-8")))
    rows.append([rows[1][0], "2134", "US", "42.3", "-71.1", "include", ""])
    with zips.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    paths = sorted(folder.glob("*.csv"))

    plan = _plan(server, paths)
    assert "Geo ZIP: 1 to create, 1 unchanged" in plan and "removes" not in plan
    assert "'2134' has 4 digits where postal codes of US have 5; sent as 02134, its leading zero restored" in plan

    result, _, sent = push_back(server, paths, tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == [f"POST /api/campaigns/{held}/geo-targeting-zip-code"]
    assert sorted(_stored_zips(server, held)) == ["02134", "1234"]


# --- list cells -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_list_items_with_spaces_and_commas_go_back_unchanged(server, held, tmp_path, form):
    paths = _exported(server, tmp_path, form)
    plan = _plan(server, paths)
    assert "Campaigns: 1 unchanged" in plan and "Carriers" not in plan and "Regions" not in plan

    result, summary, sent = push_back(server, paths, tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == []
    assert summary["counts"]["Campaigns"] == {"unchanged": 1}
    [stored] = server.sandbox.campaigns()
    assert (stored["deviceCarrier"], stored["geoRegions"]) == (CARRIERS, REGIONS)


def test_a_region_added_keeps_the_held_items_as_they_are(server, held, tmp_path):
    state = _exported(server, tmp_path, "xlsx")[0]
    book = openpyxl.load_workbook(state)
    sheet = book["Campaigns"]
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("Regions") + 1)
    assert cell.value == "Ile-de-France "
    cell.value = "Ile-de-France , DE-BY"  # a region's code: new names are looked up (docs/reference-data.md)
    book.save(state)

    plan = _plan(server, [state])
    assert "update: Regions: Ile-de-France  → Ile-de-France , DE-BY" in plan and "Carriers" not in plan
    result, _, sent = push_back(server, [state], tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == [f"PATCH /api/campaigns/{held}"]
    [stored] = server.sandbox.campaigns()
    assert (stored["deviceCarrier"], stored["geoRegions"]) == (CARRIERS, ["Ile-de-France ", "DE-BY"])


# --- fields an existing creative cannot change -----------------------------------------------------------------

@pytest.fixture
def creative(env, server, write_workbook, tmp_path) -> int:
    """A campaign with a tag creative, pushed as a buyer would."""
    path = write_workbook({"campaigns": [{"ref": "c1", "name": "With tag", "type": "banner", "aDomain": "example.com"}],
                           "creatives": [{"ref": "t1", "name": "Tag 300x250", "format": "banner-tag", "campaigns": "c1",
                                          "bidPrice": 1.5, "width": 300, "height": 250, "categories": "IAB22",
                                          "admBody": '<script src="https://ads.example.com/t.js"></script>'}]},
                          name="seed.xlsx")
    result, summary, _ = push_back(server, [path], tmp_path / "seed-results.xlsx")
    assert result.exit_code == 0, result.output
    [made] = server.sandbox.creatives()
    return made["id"]


def _edited(server, tmp_path: Path, changes: dict[str, object]) -> Path:
    state = _exported(server, tmp_path, "xlsx")[0]
    book = openpyxl.load_workbook(state)
    sheet = book["Creatives"]
    headers = [c.value for c in sheet[1]]
    for label, value in changes.items():
        sheet.cell(row=2, column=headers.index(label) + 1).value = value
    book.save(state)
    return state


def test_a_creatives_name_and_bid_price_cannot_change_and_the_row_fails_unsent(server, creative, tmp_path):
    state = _edited(server, tmp_path, {"Name": "Tag 300x250 v2", "Bid Price": 2.25})
    said = ("Name: the platform holds 'Tag 300x250'; Bid Price: the platform holds 1.5; SmartyAds cannot change an "
            "existing creative's Name or Bid Price (18.11.1): create a new creative")
    plan = _plan(server, [state])
    assert "Creatives: 1 would fail" in plan
    assert f"  row 2: fail: {said}" in plan

    result, summary, sent = push_back(server, [state], tmp_path / "r.xlsx")
    assert result.exit_code == 1, result.output
    assert sent == []
    assert summary["counts"]["Creatives"] == {"failed": 1}
    [row] = sheet_rows(tmp_path / "r.xlsx", "Creatives")
    assert row["Status"] == "failed" and row["ID"] == creative and row["Message"] == said
    [stored] = server.sandbox.creatives()
    assert (stored["name"], float(stored["bidPrice"])) == ("Tag 300x250", 1.5)


def test_a_creatives_active_flag_still_changes(server, creative, tmp_path):
    [stored] = server.sandbox.creatives()
    state = _edited(server, tmp_path, {"Active": "FALSE" if stored["isActive"] else "TRUE"})
    result, summary, sent = push_back(server, [state], tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == [f"PUT /api/creatives/{creative}"]
    assert summary["counts"]["Creatives"] == {"updated": 1}
    [stored_after] = server.sandbox.creatives()
    assert stored_after["isActive"] is not stored["isActive"]


# --- plan's reason for not reading the live state ------------------------------------------------------------------

def test_plan_says_why_it_did_not_compare_a_job_whose_every_row_is_invalid(env, write_campaigns_xlsx):
    # The row names an existing campaign (an ID), but its Type is not one SmartyAds knows: nothing is read.
    path = write_campaigns_xlsx([{"id": 7, "name": "North", "type": "billboard"}])
    result = _cli("plan", str(path), "-p", "smartyads", "--base-url", "http://127.0.0.1:9")
    assert result.exit_code == 2, result.output
    assert "Not compared with the live state (the job has invalid rows, so a push would send nothing)" in result.output

    result = _cli("plan", str(path), "-p", "smartyads", "--base-url", "http://127.0.0.1:9", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "Not compared with the live state (every row is invalid, so a push would send nothing)" in result.output
