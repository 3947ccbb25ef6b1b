"""Reference data against the SmartyAds sandbox: the geo routes as section 15 gives them, a push by
names that sends the codes, the dictionaries read once per run and then from the cache, validate
offline with and without the cache, an ambiguous name that sends nothing, and a code the platform
holds that the dictionary lacks, which goes back unchanged with a warning."""

from __future__ import annotations

import asyncio
import json
import os
import stat

import httpx
import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.platforms.smartyads.client import SmartyAdsClient
from tests.conftest import campaign
from tests.test_e2e_export import export, push_back

pytestmark = pytest.mark.slow


def _geo_reads(server) -> list[str]:
    return [r.path for r in server.sandbox.request_log if r.path.startswith("/api/geo/")]


def _login(http: httpx.Client) -> None:
    token = http.post("/api/users/login", json={"email": "demo@bulkops.test", "password": "sandbox"}).json()
    http.headers["Authorization"] = f"Bearer {token['access_token']}"


def test_the_sandbox_serves_section_15(server):
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        assert http.get("/api/geo/countries").status_code == 401
        _login(http)
        countries = http.get("/api/geo/countries").json()
        assert countries["meta"]["pagination"]["per_page"] == 300
        assert countries["meta"]["pagination"]["total"] == len(countries["data"]) == 249
        usa = next(c for c in countries["data"] if c["country_iso3"] == "USA")
        assert usa["country_name"] == "United States" and usa["country_iso2"] == "US" and isinstance(usa["id"], int)
        regions = http.get("/api/geo/regions", params={"selectedCountries": "USA,CAN"}).json()["data"]
        assert {"country_iso3": "USA", "state": "California", "state_iso2": "US-CA"} in regions
        assert {r["country_iso3"] for r in regions} == {"USA", "CAN"}
        assert http.get("/api/geo/regions").status_code == 422  # selectedCountries is required
        cities = http.get("/api/geo/cities", params={"selectedCountries": "USA", "selectedRegions": "US-CA"}).json()
        assert {c["state_iso2"] for c in cities["data"]} == {"US-CA"}
        assert {"country_iso3": "USA", "state": "California", "state_iso2": "US-CA", "city_name": "Los Angeles",
                "geoname_id": "5368361"} in cities["data"]
        short = http.get("/api/geo/cities", params={"selectedCountries": "USA", "selectedRegions": "CA"}).json()
        assert short["data"] == cities["data"]
        springfields = [c for c in http.get("/api/geo/cities", params={"selectedCountries": "USA"}).json()["data"]
                        if c["city_name"] == "Springfield"]
        assert len(springfields) >= 5


def test_a_push_by_names_sends_the_codes_and_reads_each_dictionary_once(server, env, write_campaigns_xlsx,
                                                                          reference_cache):
    path = write_campaigns_xlsx([
        campaign(geoCountries="United States, canada", geoRegions="California, Québec", geoCities="Boston"),
        campaign(ref="c2", name="Two", geoCountries="USA", geoCities="Springfield (US-IL)"),
    ])
    result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", server.base_url, "-q"])
    assert result.exit_code == 0, result.output
    stored = {c["name"]: c for c in server.sandbox.campaigns()}
    assert stored["Campaign One"]["geoCountries"] == ["USA", "CAN"]
    assert stored["Campaign One"]["geoRegions"] == ["US-CA", "CA-QC"]
    assert stored["Campaign One"]["geoCities"] == ["4930956"]
    assert stored["Two"]["geoCities"] == ["4250542"]
    assert sorted(_geo_reads(server)) == ["/api/geo/cities", "/api/geo/countries", "/api/geo/regions"]
    cached = list(reference_cache.iterdir())
    assert len(cached) == 1 and stat.S_IMODE(os.stat(cached[0]).st_mode) == 0o600
    text = cached[0].read_text(encoding="utf-8")
    assert "sandbox" not in text and "demo@bulkops.test" not in text and "demo@bulkops.test" not in cached[0].name

    # The next run reads the cache, not the platform; --refresh-reference reads again.
    server.sandbox.reset_request_log()
    planned = CliRunner().invoke(cli, ["plan", str(path), "-p", "smartyads", "--base-url", server.base_url])
    assert planned.exit_code == 0, planned.output
    assert _geo_reads(server) == []
    refreshed = CliRunner().invoke(cli, ["plan", str(path), "-p", "smartyads", "--base-url", server.base_url,
                                         "--refresh-reference"])
    assert refreshed.exit_code == 0, refreshed.output
    assert sorted(_geo_reads(server)) == ["/api/geo/cities", "/api/geo/countries", "/api/geo/regions"]


def test_a_push_and_a_plan_that_read_the_dictionaries_log_in_once(server, env, write_campaigns_xlsx,
                                                                   reference_cache):
    path = write_campaigns_xlsx([campaign(geoCountries="United States", geoRegions="California")])
    planned = CliRunner().invoke(cli, ["plan", str(path), "-p", "smartyads", "--base-url", server.base_url,
                                       "--refresh-reference"])
    assert planned.exit_code == 0, planned.output
    sent = [f"{r.method} {r.path}" for r in server.sandbox.request_log]
    assert sent == ["POST /api/users/login", "GET /api/geo/countries", "GET /api/geo/regions"]
    server.sandbox.reset_request_log()
    result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", server.base_url, "--json",
                                      "--refresh-reference", "-q"])
    assert result.exit_code == 0, result.output
    sent = [f"{r.method} {r.path}" for r in server.sandbox.request_log]
    # The dictionaries' reads and the sending share the push's one session.
    assert sent[:3] == ["POST /api/users/login", "GET /api/geo/countries", "GET /api/geo/regions"]
    assert sent.count("POST /api/users/login") == 1 and "POST /api/campaigns" in sent
    assert json.loads(result.stdout.strip().splitlines()[-1])["requests_sent"] == len(sent)


def test_validate_offline_warns_without_a_cache_and_checks_with_one(server, env, write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(geoCountries="USS, United States")])
    args = ["validate", str(path), "-p", "smartyads", "--base-url", server.base_url, "--json"]
    unchecked = CliRunner().invoke(cli, args)
    assert unchecked.exit_code == 0, unchecked.output
    problems = json.loads(unchecked.stdout.strip().splitlines()[-1])["problems"]
    assert [(p["column"], p["code"], p["severity"]) for p in problems] == [("Countries", "unchecked", "warning")]
    assert "could not be checked and were left as typed" in problems[0]["message"]
    assert server.sandbox.request_log == []  # validate reads nothing from the network

    filled = CliRunner().invoke(cli, [*args, "--refresh-reference"])  # reads the dictionaries, fills the cache
    assert filled.exit_code == 2
    server.sandbox.reset_request_log()
    checked = CliRunner().invoke(cli, args)
    assert checked.exit_code == 2
    problems = json.loads(checked.stdout.strip().splitlines()[-1])["problems"]
    assert [(p["row"], p["code"]) for p in problems] == [(2, "lookup")]
    assert "did you mean 'USA (United States)'" in problems[0]["message"]
    assert server.sandbox.request_log == []


def test_an_ambiguous_name_sends_nothing(server, env, write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(geoCities="Springfield")])
    result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", server.base_url, "-q"])
    assert result.exit_code == 2, result.output
    assert "'Springfield' names" in result.output and "Springfield (US-IL) = 4250542" in result.output
    assert server.sandbox.campaigns() == []
    assert not [r for r in server.sandbox.request_log if r.method != "GET" and "login" not in r.path]


def test_a_code_the_platform_holds_goes_back_unchanged_and_a_new_unknown_one_is_refused(server, env, tmp_path):
    async def seed() -> int:
        async with SmartyAdsClient(server.base_url, "demo@bulkops.test", "sandbox") as client:
            await client.login()
            made = await client.create_campaign({"type": "banner", "name": "Legacy", "aDomain": "example.com",
                                                 "geoCountries": ["XKX"]})  # a code the dictionary lacks
            return made.id

    campaign_id = asyncio.run(seed())
    export(server, "-o", str(tmp_path / "state.xlsx"))
    result, summary, sent = push_back(server, [tmp_path / "state.xlsx"], tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == [] and summary["counts"]["Campaigns"] == {"unchanged": 1}
    assert any(p["code"] == "lookup" and p["severity"] == "warning" for p in summary["problems"])

    book = openpyxl.load_workbook(tmp_path / "state.xlsx")
    sheet = book["Campaigns"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("Countries") + 1).value = "XKX, Atlantis"
    book.save(tmp_path / "state.xlsx")
    result, summary, sent = push_back(server, [tmp_path / "state.xlsx"], tmp_path / "r.xlsx")
    assert result.exit_code == 2 and sent == []
    assert any("'Atlantis' is not a known country" in p["message"] for p in summary["problems"])
    assert server.sandbox.campaigns()[0]["geoCountries"] == ["XKX"] and campaign_id
