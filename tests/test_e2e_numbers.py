"""End to end through the CLI: European CSVs as Excel saves them reach the sandboxes with the numbers
the buyer meant (1.000 is a thousand, 0,125 an eighth), and --decimal-comma / --decimal-point decide for a
file that does not say."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.sandbox import SandboxConfig, SandboxServer, running
from tests._excel_csv import write_excel_csv
from tests._media import png
from tests.test_e2e_iqm import IQM_ACCOUNT

pytestmark = pytest.mark.slow

CAMPAIGNS = [["Ref", "Name", "Type", "Advertiser Domain", "Start Date", "End Date", "Daily Spend Limit", "Tablet"],
             ["c1", "Café Nord", "banner", "example.com", "2027-03-01", "2027-03-31", "1.000", "FALSCH"]]
DEALS = [["Campaign", "Deal ID", "Bid Price"], ["c1", "PMP-1", "2,500"]]
CIRCLES = [["Campaign", "Latitude", "Longitude", "Radius", "Unit"], ["c1", "48,864", "2,3522", "1,5", "km"]]
CREATIVES = [["Ref", "Name", "Format", "Campaigns", "Bid Price", "Width", "Height", "Tag", "IAB Categories"],
             ["t1", "Tag 300x250", "banner-tag", "c1", "1,25", "300", "250",
              '<script src="https://ads.example.com/t.js"></script>', "IAB22"]]


def smartyads_job(folder: Path, separator: str, encoding: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    return [write_excel_csv(folder / f"{name}.csv", rows, separator=separator, encoding=encoding)
            for name, rows in (("campaigns", CAMPAIGNS), ("creatives", CREATIVES), ("deals", DEALS),
                               ("geo-gps", CIRCLES))]


def run(*args: object) -> tuple[int, str, dict]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    lines = result.stdout.strip().splitlines()
    summary = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return result.exit_code, result.output, summary


def assert_stored_as_meant(sandbox) -> None:
    [campaign] = sandbox.campaigns()
    assert (campaign["name"], campaign["spentDailyLimit"], campaign["isTablet"]) == ("Café Nord", 1000, False)
    [creative] = sandbox.creatives()
    assert float(creative["bidPrice"]) == 1.25
    [deal] = sandbox.campaign_deals(campaign["id"])
    assert (deal["dealId"], float(deal["bidPrice"])) == ("PMP-1", 2.5)
    [circle] = sandbox.campaign_circles(campaign["id"])
    assert (circle["lat"], circle["lng"], circle["radius"]) == (48.864, 2.3522, 1.5)


def test_a_semicolon_cp1252_job_lands_with_the_numbers_meant(env, server, tmp_path):
    paths = smartyads_job(tmp_path / "job", ";", "cp1252")
    assert paths[0].read_bytes().startswith(b"Ref;Name;Type;") and b"Caf\xe9 Nord" in paths[0].read_bytes()
    code, output, summary = run("push", *paths, "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json",
                                "-o", tmp_path / "results.xlsx")
    assert code == 0, output
    assert summary["counts"]["Campaigns"] == {"created": 1}
    assert_stored_as_meant(server.sandbox)


def test_a_comma_job_refuses_a_comma_decimal_then_lands_with_the_numbers_meant(env, server, tmp_path):
    english = {"1.000": "1,000", "2,500": "0,125", "48,864": "48.864", "2,3522": "2.3522", "1,5": "1.5",
               "1,25": "1.25", "FALSCH": "FALSE"}
    folder = tmp_path / "job"
    folder.mkdir()

    def write() -> list[Path]:
        return [write_excel_csv(folder / f"{name}.csv", [[english.get(c, c) for c in row] for row in rows],
                                separator=",", encoding="utf-8")
                for name, rows in (("campaigns", CAMPAIGNS), ("creatives", CREATIVES), ("deals", DEALS),
                                   ("geo-gps", CIRCLES))]

    paths = write()
    assert b'"0,125"' in (folder / "deals.csv").read_bytes()  # quoted, as it holds the separator
    code, output, _ = run("push", *paths, "-p", "smartyads", "--base-url", server.base_url, "--quiet")
    assert code == 2  # not 125: a ','-separated file's decimal mark is '.'
    assert "Bid Price: '0,125' does not fit this file's numbers, which use '.' for decimals (the file is " \
           "','-separated): write 0.125, or pass --decimal-comma" in output
    assert server.sandbox.campaigns() == []

    english["2,500"] = "2.50"
    code, output, _ = run("push", *write(), "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json")
    assert code == 0, output
    assert_stored_as_meant(server.sandbox)


def test_a_tab_job_needs_the_option_and_then_lands(env, server, tmp_path):
    paths = smartyads_job(tmp_path / "job", "\t", "utf-16")  # Excel's "Unicode text"
    code, output, _ = run("validate", *paths, "-p", "smartyads")
    assert code == 2
    assert "campaigns.csv / Campaigns / row 2 / Daily Spend Limit: '1.000' could be 1 ('.' as the decimal mark) or " \
           "1000 ('.' between thousands)" in output
    assert "deals.csv / Deals / row 2 / Bid Price: '2,500' could be 2.5 (',' as the decimal mark) or 2500" in output
    assert "pass --decimal-comma or --decimal-point" in output
    assert run("validate", *paths, "-p", "smartyads", "--decimal-comma")[0] == 0
    code, output, _ = run("validate", *paths, "-p", "smartyads", "--decimal-comma", "--decimal-point")
    assert code == 3 and "--decimal-comma and --decimal-point cannot be used together" in output
    code, output, _ = run("plan", *paths, "-p", "smartyads", "--offline", "--decimal-comma")
    assert code == 0, output
    assert server.sandbox.campaigns() == []

    code, output, _ = run("push", *paths, "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json",
                          "--decimal-comma")
    assert code == 0, output
    assert_stored_as_meant(server.sandbox)


def test_decimal_point_reads_a_semicolon_file_the_swiss_way(env, server, tmp_path):
    swiss = {"1.000": "1000", "2,500": "2.5", "48,864": "48.864", "2,3522": "2.3522", "1,5": "1.5", "1,25": "1.25"}
    folder = tmp_path / "job"
    folder.mkdir()
    paths = [write_excel_csv(folder / f"{name}.csv", [[swiss.get(c, c) for c in row] for row in rows])
             for name, rows in (("campaigns", CAMPAIGNS), ("creatives", CREATIVES), ("deals", DEALS),
                                ("geo-gps", CIRCLES))]
    code, output, _ = run("validate", *paths, "-p", "smartyads")
    assert code == 2 and "'2.5' does not fit this file's numbers, which use ',' for decimals" in output
    code, output, _ = run("push", *paths, "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json",
                          "--decimal-point")
    assert code == 0, output
    assert_stored_as_meant(server.sandbox)


@pytest.fixture
def iqm_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[SandboxServer]:
    for key, value in IQM_ACCOUNT.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))
    with running(SandboxConfig(platform="iqm", rate_limit=1000, creative_review_s=0.0)) as srv:
        yield srv


def test_an_iqm_semicolon_job_lands_with_the_numbers_meant(iqm_server, tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "300x250.png").write_bytes(png(300, 250))
    campaigns = [["Ref", "Name", "Advertiser Domain", "Creative Type", "Max Bid", "Daily Budget", "Total Budget",
                  "Start Time", "Time Zone Name", "Time Zone ID", "Insertion Order ID", "Country ID",
                  "Agreement Checked"],
                 ["c1", "Nord", "https://shop.example.com", "image", "0,125", "50", "1.500", "2027-10-01 00:00",
                  "Europe/Paris", "433", "2695", "30100001", "VRAI"]]
    creatives = [["Ref", "Name", "Format", "Campaigns", "File", "Click URL"],
                 ["a", "Nord 300x250", "image", "c1", "media/300x250.png", "https://shop.example.com/a"]]
    circles = [["Campaign", "Latitude", "Longitude", "Radius (miles)"], ["c1", "48,864", "2,3522", "1,5"]]
    zips = [["Campaign", "ZIP"], ["c1", "2134"]]  # a US ZIP that lost its zero before it reached the CSV
    paths = [write_excel_csv(tmp_path / f"{name}.csv", rows) for name, rows in (
        ("campaigns", campaigns), ("creatives", creatives), ("geo-gps", circles), ("geo-zip", zips))]
    code, output, summary = run("push", *paths, "-p", "iqm", "--base-url", iqm_server.base_url, "--quiet", "--json",
                                "-o", tmp_path / "results.xlsx")
    assert code == 0, output
    [campaign] = iqm_server.sandbox.iqm_campaigns()
    assert (campaign["maxBid"], campaign["budgetDay"], campaign["budgetTotal"]) == (0.125, 50.0, 1500.0)
    [circle] = json.loads(campaign["whiteListedGeoRadiusDetails"])
    assert (circle["latitude"], circle["longitude"], circle["radius"]) == (48.864, 2.3522, 1.5)
    assert campaign["whiteListedZipcodes"] == "02134"
    assert [p["message"] for p in summary["problems"]] == [
        "'2134' has 4 digits where postal codes of US have 5; sent as 02134, its leading zero restored"]
