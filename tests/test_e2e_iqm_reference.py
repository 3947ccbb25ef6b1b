"""IQM's master data end to end, through the CLI against the IQM sandbox: a campaign typed by names
(country, states, carriers, operating systems, device types, exchanges, and its time zone by Time Zone
Name alone) is pushed with IQM's IDs, each list read once and then from the cache; its export holds
the IDs and pushed back sends no write; an unknown name sends nothing and says what was meant."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.sandbox import SandboxConfig, SandboxServer, running
from tests._media import png
from tests.test_e2e_iqm import campaign_row, image, rows_of
from tests.test_e2e_iqm_updates import ENV

pytestmark = pytest.mark.slow

MASTER = ("/api/v3/master/", "/api/v2/master/", "/api/countries/", "/api/device_os")
NOT_WRITES = ("/api/v3/ua/login", "/api/oauth/token", "/api/v3/crt/creatives/list",
              "/api/v3/cmp/customer/campaigns/list")
NAMES = {"countryId": "United States", "whiteListedStateIds": "Texas, CA", "carriers": "Verizon Wireless",
         "os": "Android, iOS", "deviceType": "Mobile, Tablet", "exchanges": "Magnite, PubMatic", "timezone": None}


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with running(SandboxConfig(platform="iqm", rate_limit=10_000, creative_review_s=0.0)) as srv:
        yield srv


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    cache = tmp_path / "cache"
    monkeypatch.setenv("BULKOPS_CACHE_DIR", str(cache))
    return {**ENV, "BULKOPS_CACHE_DIR": str(cache)}


@pytest.fixture
def job(write_workbook, tmp_path: Path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "300x250.png").write_bytes(png(300, 250))

    def write(**overrides: object) -> Path:
        return write_workbook({"campaigns": [campaign_row(**{**NAMES, **overrides})],
                               "creatives": [image("a", "Banner", "c1")]}, platform="iqm")

    return write


def run(env: dict[str, str], *args: str) -> tuple[object, dict]:
    result = CliRunner().invoke(cli, [*args, "--json"], env=env)
    lines = result.stdout.strip().splitlines()
    return result, (json.loads(lines[-1]) if lines else {})


def master_reads(server: SandboxServer, since: int = 0) -> Counter[str]:
    """The master data read (the creative types every campaign push reads aside)."""
    return Counter(r.path for r in server.sandbox.request_log[since:] if r.path.startswith(MASTER)
                   and r.path != "/api/v3/master/creativeTypes")


def writes(server: SandboxServer, since: int = 0) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.sandbox.request_log[since:]
            if r.method in ("POST", "PUT", "PATCH", "DELETE") and r.path not in NOT_WRITES
            and not r.path.startswith(MASTER)]


def test_a_campaign_typed_by_names_is_sent_with_iqms_ids(server, env, job, tmp_path):
    path = job()
    result, summary = run(env, "push", str(path), "-p", "iqm", "--base-url", server.base_url, "--quiet",
                          "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    stored = server.sandbox.iqm_campaigns()[0]
    assert {k: stored.get(k) for k in ("countryId", "whiteListedStateIds", "carriers", "os", "deviceType",
                                       "exchanges", "timezone")} == {
        "countryId": "30100001", "whiteListedStateIds": "30200044,30200005", "carriers": "312",
        "os": "20200001,20200022", "deviceType": "20300001,20300004", "exchanges": "78,16", "timezone": 433}
    # Each list once, the states and carriers of the one country named; the time zones for Time Zone Name.
    assert master_reads(server) == Counter({
        "/api/v3/master/segment/country": 1, "/api/v3/master/segment/state": 1, "/api/countries/30100001/carriers": 1,
        "/api/v2/master/segment/device-os": 1, "/api/v3/master/segment/device-type": 1,
        "/api/v3/master/exchanges": 1, "/api/v3/master/timezones": 1})
    campaigns = rows_of(tmp_path / "r.xlsx", "Campaigns")
    assert campaigns[0]["Status"] == "created" and campaigns[0]["Country ID"] == "United States"  # as typed

    # The next run reads the account's cache, not IQM.
    before = len(server.sandbox.request_log)
    planned, _ = run(env, "plan", str(path), "-p", "iqm", "--base-url", server.base_url)
    assert planned.exit_code == 0, planned.output
    assert master_reads(server, before) == Counter()


def test_the_export_holds_the_ids_and_pushed_back_sends_no_write(server, env, job, tmp_path):
    pushed, _ = run(env, "push", str(job()), "-p", "iqm", "--base-url", server.base_url, "--quiet",
                    "-o", str(tmp_path / "r.xlsx"))
    assert pushed.exit_code == 0, pushed.output
    state = tmp_path / "state.xlsx"
    exported, _ = run(env, "export", "-p", "iqm", "--base-url", server.base_url, "--quiet", "-o", str(state))
    assert exported.exit_code == 0, exported.output
    row = rows_of(state, "Campaigns")[0]
    assert (row["Country ID"], row["Allowed States"], row["Carriers"], row["Time Zone ID"]) == (
        "30100001", "30200044, 30200005", "312", 433)
    before = len(server.sandbox.request_log)
    again, summary = run(env, "push", str(state), "-p", "iqm", "--base-url", server.base_url, "--quiet",
                         "-o", str(tmp_path / "again.xlsx"))
    assert again.exit_code == 0, again.output
    assert writes(server, before) == [] and master_reads(server, before) == Counter()  # IDs need no lookup
    assert {r["Status"] for r in rows_of(tmp_path / "again.xlsx", "Campaigns")} == {"unchanged"}


def test_an_unknown_name_sends_nothing_and_says_what_was_meant(server, env, job, tmp_path):
    result, summary = run(env, "push", str(job(carriers="Verizon Wireles", deviceType="Mobile")), "-p", "iqm",
                          "--base-url", server.base_url, "--quiet", "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 2, result.output
    assert writes(server) == [] and server.sandbox.iqm_campaigns() == []
    refused = [(p["sheet"], p["column"], p["message"]) for p in summary["problems"] if p["severity"] == "error"]
    assert [(sheet, column) for sheet, column, _ in refused] == [("Campaigns", "Carriers")]
    assert refused[0][2].startswith("'Verizon Wireles' is not a known carrier (did you mean 'Verizon Wireless',")


def test_a_time_zone_iqm_does_not_list_fails_its_campaign_with_what_to_do(server, env, job, tmp_path):
    result, _ = run(env, "push", str(job(tz="Europe/Belfast")), "-p", "iqm", "--base-url", server.base_url,
                    "--quiet", "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code != 0
    row = rows_of(tmp_path / "r.xlsx", "Campaigns")[0]
    assert row["Status"] == "failed" and "have no 'Europe/Belfast': fill Time Zone ID" in row["Message"]
    assert server.sandbox.iqm_campaigns() == []
