"""End to end on IQM: the CLI pushing workbooks to the IQM sandbox over HTTP on 127.0.0.1, asserting
what the sandbox stored, the requests it took, and what the results workbook says."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.sandbox import SandboxConfig, SandboxServer, running
from tests._media import png

pytestmark = pytest.mark.slow

IQM_ACCOUNT = {"BULKOPS_IQM_CLIENT_ID": "sandbox-client", "BULKOPS_IQM_CLIENT_SECRET": "sandbox-secret",
               "BULKOPS_IQM_EMAIL": "demo@bulkops.test", "BULKOPS_IQM_PASSWORD": "sandbox",
               "BULKOPS_IQM_HOST": "sandbox.bulkops.test"}
VAST = '<?xml version="1.0"?><VAST version="4.0"><Ad id="a"><InLine><AdTitle>Spot</AdTitle></InLine></Ad></VAST>'
DETAILS = "/api/v2/crt/creatives/details"


@pytest.fixture
def iqm_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key, value in IQM_ACCOUNT.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))


@pytest.fixture
def media(tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    folder.mkdir()
    for w, h in [(300, 250), (728, 90), (320, 50)]:
        (folder / f"{w}x{h}.png").write_bytes(png(w, h))
    return folder


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with running(SandboxConfig(platform="iqm", rate_limit=1000, creative_review_s=0.0)) as srv:
        yield srv


def push(path: Path, base_url: str, *extra: str) -> tuple[object, dict]:
    result = CliRunner().invoke(cli, ["push", str(path), "-p", "iqm", "--base-url", base_url, "--quiet", "--json",
                                      *extra])
    lines = result.stdout.strip().splitlines()
    return result, (json.loads(lines[-1]) if lines else {})


def rows_of(path: Path, title: str) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path)[title]
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, (c.value for c in row), strict=False)) for row in sheet.iter_rows(min_row=2)
            if any(c.value is not None for c in row)]


def campaign_row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "ref": "c1", "campaignName": "North", "advertiserDomain": "https://shop.example.com", "creativeType": "image",
        "maxBid": 8, "budgetDay": 50, "budgetTotal": 1500, "startTime": "2027-10-01 00:00",
        "endTime": "2027-10-31 23:59", "tz": "America/New_York", "timezone": 433, "ioId": 2695,
        "countryId": "30100001", "isAgreementChecked": "TRUE"}
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def image(ref: str, name: str, campaigns: str, size: str = "300x250") -> dict[str, object]:
    return {"ref": ref, "creativeName": name, "format": "image", "campaigns": campaigns, "file": f"media/{size}.png",
            "clickUrl": "https://shop.example.com/a"}


# POSTs that only read (the lists) and the login's.
READ_BACK = "/api/v3/cmp/customer/campaigns/list"
NOT_WRITES = ("/api/v3/ua/login", "/api/oauth/token", "/api/v3/crt/creatives/list", READ_BACK)


def writes(server: SandboxServer) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.sandbox.request_log
            if r.method in ("POST", "PUT", "PATCH", "DELETE") and r.path not in NOT_WRITES]


def epoch(text: str, zone: str = "America/New_York") -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp())


JOB = {
    "campaigns": [
        campaign_row(ref="north", campaignName="North", exchanges="55, 61", deviceType="13\n15",
                     schedule="Mon-Fri 09:00-17:00", budgetTypeId=1, bidPacing="FALSE"),
        campaign_row(ref="spot", campaignName="Spot", creativeType="video", startTime="2027-10-01T08:00:00Z",
                     endTime=None, maxBid=14),
    ],
    "creatives": [
        image("a", "North 300x250", "north"),
        image("b", "North 728x90", "north", "728x90"),
        {"ref": "v", "creativeName": "Spot VAST", "format": "vast", "campaigns": "spot", "tag": VAST,
         "clickUrl": "https://shop.example.com/v"},
    ],
    "geo-zip": [{"campaign": "north", "zip": "02134"}, {"campaign": "north", "zip": 2135},
                {"campaign": "north", "zip": "10001", "include": "exclude"}],
    "geo-gps": [{"campaign": "north", "latitude": 42.36, "longitude": -71.06, "radius": 2, "address": "Boston"},
                {"campaign": "spot", "latitude": 40.71, "longitude": -74.0, "radius": 1, "include": "exclude"}],
    "deals": [{"campaign": "north", "dealId": "5012"}, {"campaign": "north", "dealId": "77", "dealKind": "group"}],
    "filter-lists": [
        {"campaign": "north", "type": "domain", "value": "news.example.com"},
        {"campaign": "north", "type": "ip", "value": "203.0.113.7", "include": "exclude"},
        {"campaign": "north", "type": "inventory-group", "value": "3301"},
        {"campaign": "spot", "type": "package", "value": "com.example.tv", "include": "exclude"},
        {"campaign": "spot", "type": "app", "value": "389801252"},
        {"campaign": "spot", "type": "device", "value": "dev-1"},
    ],
}


def test_a_whole_job_lands_field_by_field(iqm_env, server, write_workbook, media, tmp_path):
    out = tmp_path / "r.xlsx"
    result, summary = push(write_workbook(JOB, platform="iqm"), server.base_url, "-o", str(out))
    assert result.exit_code == 0, result.output
    creatives = {c["creativeName"]: c for c in server.sandbox.iqm_creatives()}
    assert {n: (c["creativeTypeId"], c["width"], c["height"], c["clickUrl"], c["status"])
            for n, c in creatives.items()} == {
        "North 300x250": (11, 300, 250, "https://shop.example.com/a", "running"),
        "North 728x90": (11, 728, 90, "https://shop.example.com/a", "running"),
        "Spot VAST": (14, None, None, "https://shop.example.com/v", "running")}
    campaigns = {c["campaignName"]: c for c in server.sandbox.iqm_campaigns()}
    north, spot = campaigns["North"], campaigns["Spot"]
    ids = {name: str(c["creativeId"]) for name, c in creatives.items()}
    assert sorted(north["creativeIds"].split(",")) == sorted([ids["North 300x250"], ids["North 728x90"]])
    assert (north["creativeType"], north["maxBid"], north["budgetDay"], north["budgetTotal"]) == (11, 8.0, 50.0, 1500.0)
    assert (north["startTime"], north["endTime"]) == (epoch("2027-10-01T00:00"), epoch("2027-10-31T23:59"))
    assert (north["timezone"], north["ioId"], north["countryId"]) == (433, 2695, "30100001")
    assert (north["exchanges"], north["deviceType"], north["bidPacing"]) == ("55,61", "13,15", False)
    assert north["schedule"] == {str(d): [["09:00:00", "17:00:00"]] for d in range(5)}
    assert (north["whiteListedZipcodes"], north["blackListedZipcodes"]) == ("02134,02135", "10001")
    assert json.loads(north["whiteListedGeoRadiusDetails"]) == [
        {"unit": "mile", "address": "Boston", "latitude": 42.36, "longitude": -71.06, "radius": 2.0,
         "type": "circle"}]
    assert (north["userDealId"], north["groupDealId"]) == ("5012", "77")
    assert (north["whiteListedSiteDomain"], north["blackListedIp"]) == ("news.example.com", "203.0.113.7")
    assert north["whiteListedInventoryGroupIds"] == "3301"
    assert (spot["creativeIds"], spot["creativeType"]) == (ids["Spot VAST"], 14)
    assert spot["startTime"] == epoch("2027-10-01T08:00", "UTC")
    assert spot.get("endTime") is None
    assert json.loads(spot["blackListedGeoRadiusDetails"])[0]["radius"] == 1.0
    assert (spot["blackListedPackageName"], spot["whiteListedAppId"], spot["whiteListedDeviceId"]) == (
        "com.example.tv", "389801252", "dev-1")
    # One campaign with all its targeting is one request (and one read of its status).
    assert writes(server).count("POST /api/v2/cmp/campaigns/add") == 2
    assert [(r["Ref"], r["Status"], r["Message"]) for r in rows_of(out, "Campaigns")] == [
        ("north", "created", "status: pending"), ("spot", "created", "status: pending")]
    assert {r["Ref"]: r["ID"] for r in rows_of(out, "Creatives")} == {
        "a": int(ids["North 300x250"]), "b": int(ids["North 728x90"]), "v": int(ids["Spot VAST"])}
    assert {r["Status"] for r in rows_of(out, "Geo ZIP")} == {"created"}
    assert summary["counts"]["Filter Lists"] == {"created": 6}


def test_creatives_pending_at_first_are_waited_for_then_the_campaign_goes_out(iqm_env, write_workbook, media,
                                                                               tmp_path):
    job = {"campaigns": [campaign_row()], "creatives": [image("a", "A", "c1")]}
    with running(SandboxConfig(platform="iqm", rate_limit=1000, creative_review_s=1.0)) as srv:
        result, _ = push(write_workbook(job, platform="iqm"), srv.base_url, "-o", str(tmp_path / "r.xlsx"))
        log = srv.sandbox.request_log
    assert result.exit_code == 0, result.output
    polls = [r.at for r in log if r.path == DETAILS]
    created = [r.at for r in log if r.path == "/api/v2/cmp/campaigns/add"]
    assert len(polls) >= 2  # the first answer said pending: the run waited and asked again
    assert len(created) == 1 and created[0] > polls[-1]
    assert [r["Message"] for r in rows_of(tmp_path / "r.xlsx", "Creatives")] == ["uploaded; approved"]


def test_a_rejected_creative_skips_its_campaign_with_the_reason(iqm_env, server, write_workbook, media, tmp_path):
    job = {"campaigns": [campaign_row(ref="ok", campaignName="Fine"), campaign_row(ref="bad", campaignName="Held")],
           "creatives": [image("a", "Good", "ok"), image("r", "Bad one [reject]", "bad", "320x50")],
           "geo-zip": [{"campaign": "bad", "zip": "02134"}]}
    out = tmp_path / "r.xlsx"
    result, summary = push(write_workbook(job, platform="iqm"), server.base_url, "-o", str(out))
    assert result.exit_code == 1  # a row failed at the platform (the rejected creative)
    assert [c["campaignName"] for c in server.sandbox.iqm_campaigns()] == ["Fine"]
    creatives = {r["Ref"]: (r["Status"], r["Message"]) for r in rows_of(out, "Creatives")}
    assert creatives["r"][0] == "failed"
    assert "rejected" in creatives["r"][1] and "[reject] marker" in creatives["r"][1]
    held = {r["Ref"]: (r["Status"], r["Message"]) for r in rows_of(out, "Campaigns")}["bad"]
    assert held[0] == "skipped" and "was rejected" in held[1] and "[reject] marker" in held[1]
    assert rows_of(out, "Geo ZIP")[0]["Status"] == "skipped"
    assert summary["counts"]["Campaigns"] == {"created": 1, "skipped": 1}


def test_creatives_go_ten_to_an_upload_and_their_review_is_read_in_batches(iqm_env, server, write_workbook, media,
                                                                            tmp_path):
    sizes = ["300x250", "728x90", "320x50"]
    job = {"campaigns": [campaign_row(ref="c1", campaignName="One"), campaign_row(ref="c2", campaignName="Two")],
           "creatives": [image(f"k{i}", f"Creative {i}", "c1" if i % 2 else "c2", sizes[i % 3]) for i in range(12)]}
    result, summary = push(write_workbook(job, platform="iqm"), server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    paths = [r.path for r in server.sandbox.request_log]
    assert paths.count("/api/v3/crt/creatives") == 2  # 12 creatives: 10 + 2
    assert paths.count(DETAILS) == 1  # all 12 reviews in one request (up to 200 IDs a request)
    assert paths.count("/api/v3/master/creativeTypes") == 1  # cached for the run
    # login + types + 2 uploads + 1 review + 2 creates (each create's answer carries its status) + one
    # read-back of both campaigns from the campaign list
    assert not any(p.startswith("/api/v2/cmp/campaign/") for p in paths)  # no campaign read one by one
    assert paths.count(READ_BACK) == 1
    assert summary["requests_sent"] == len(paths) == 8


def test_twenty_a_minute_is_never_exceeded(iqm_env, write_workbook, media, tmp_path):
    # The window is scaled down (5 a second) for speed; IQM sends no rate headers, so the run is told.
    limit, window = 5, 1.0
    job = {"campaigns": [campaign_row(ref=f"c{i}", campaignName=f"C{i}") for i in range(6)],
           "creatives": [image(f"k{i}", f"K{i}", f"c{i}") for i in range(6)]}
    config = SandboxConfig(platform="iqm", rate_limit=limit, window_s=window, creative_review_s=0.0)
    with running(config) as srv:
        result, summary = push(write_workbook(job, platform="iqm"), srv.base_url, "-o", str(tmp_path / "r.xlsx"),
                               "--rate-limit", str(limit), "--rate-window", str(window))
        arrivals = sorted(r.at for r in srv.sandbox.request_log)
    assert result.exit_code == 0, result.output
    assert len(arrivals) == 11  # login, types, upload, review, 6 creates, the read-back
    worst = max(sum(1 for t in arrivals if start <= t < start + window) for start in arrivals)
    assert worst <= limit
    assert summary["responses_429"] == 0
    assert summary["counts"]["Campaigns"] == {"created": 6}


def test_the_token_is_refreshed_in_the_middle_of_a_run(iqm_env, write_workbook, media, tmp_path):
    # Tokens last 3 s and the review takes 2.5 s: the run outlives its first token, and refreshes it
    # (IQM's refresh route) before it runs out rather than failing a call.
    job = {"campaigns": [campaign_row()], "creatives": [image("a", "A", "c1")]}
    config = SandboxConfig(platform="iqm", rate_limit=1000, token_ttl_s=3.0, creative_review_s=2.5)
    with running(config) as srv:
        result, _ = push(write_workbook(job, platform="iqm"), srv.base_url, "-o", str(tmp_path / "r.xlsx"))
        log = srv.sandbox.request_log
    assert result.exit_code == 0, result.output
    assert [r.status for r in log if r.path == "/api/oauth/token"][:1] == [200]
    assert [r.path for r in log].count("/api/v3/ua/login") == 1
    assert all(r.status != 401 for r in log)
    assert [c["campaignName"] for c in srv.sandbox.iqm_campaigns()] == ["North"]


def test_pushing_the_results_again_sends_no_write_and_reads_the_status(iqm_env, server, write_workbook, media,
                                                                       tmp_path):
    out = tmp_path / "r.xlsx"
    first, _ = push(write_workbook(JOB, platform="iqm"), server.base_url, "-o", str(out))
    assert first.exit_code == 0, first.output
    server.sandbox.reset_request_log()
    again, summary = push(out, server.base_url)
    assert again.exit_code == 0, again.output
    assert writes(server) == []
    assert summary["counts"]["Campaigns"] == {"unchanged": 2}
    assert summary["counts"]["Creatives"] == {"unchanged": 3}
    assert summary["counts"]["Geo ZIP"] == {"unchanged": 3}
    assert {r["Message"] for r in rows_of(out, "Campaigns")} == {"status: pending"}
    assert len(server.sandbox.iqm_campaigns()) == 2


def test_an_edited_existing_campaign_is_updated_with_the_changed_cell_only(iqm_env, server, write_workbook, media,
                                                                          tmp_path):
    out = tmp_path / "r.xlsx"
    first, _ = push(write_workbook({"campaigns": [campaign_row()], "creatives": [image("a", "A", "c1")]},
                                   platform="iqm"), server.base_url, "-o", str(out))
    assert first.exit_code == 0, first.output
    book = openpyxl.load_workbook(out)
    sheet = book["Campaigns"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("Max Bid") + 1, value=9.5)
    sheet.cell(row=2, column=headers.index("Device Types") + 1, value="13, 15")
    book.save(out)
    server.sandbox.reset_request_log()
    again, _ = push(out, server.base_url)
    assert again.exit_code == 0, again.output
    [stored] = server.sandbox.iqm_campaigns()
    assert (stored["maxBid"], stored["deviceType"], stored["budgetDay"]) == (9.5, "13,15", 50.0)
    # One Update Campaign with the two changed fields (not a bid alone: that would be the budget route),
    # then one read-back from the campaign list.
    assert writes(server) == [f"PATCH /api/v2/cmp/campaign/{stored['id']}"]
    [patch] = [r for r in server.sandbox.request_log if r.method == "PATCH"]
    assert [r.path for r in server.sandbox.request_log].count(READ_BACK) == 1
    [row] = rows_of(out, "Campaigns")
    assert row["Status"] == "updated"
    assert row["Message"] == "status: pending; changed: Max Bid 8 → 9.5, Device Types (none) → 13,15"
    assert patch.status == 200


def test_budgets_changed_alike_on_several_campaigns_share_one_request(iqm_env, server, write_workbook, media,
                                                                     tmp_path):
    job = {"campaigns": [campaign_row(ref=f"c{n}", campaignName=f"C{n}") for n in range(4)],
           "creatives": [image(f"k{n}", f"K{n}", f"c{n}") for n in range(4)]}
    out = tmp_path / "r.xlsx"
    first, _ = push(write_workbook(job, platform="iqm"), server.base_url, "-o", str(out))
    assert first.exit_code == 0, first.output
    ids = [c["id"] for c in server.sandbox.iqm_campaigns()]
    update = tmp_path / "campaigns.csv"
    update.write_text("ID,Daily Budget,Max Bid\n" + "".join(
        f"{i},{75 if n < 3 else 60},{8}\n" for n, i in enumerate(ids)), encoding="utf-8")
    server.sandbox.reset_request_log()
    result, summary = push(update, server.base_url, "-o", str(tmp_path / "u.xlsx"))
    assert result.exit_code == 0, result.output
    assert writes(server) == ["PUT /api/v2/cmp/campaigns/update-budget"] * 2  # 75 for three, 60 for one
    assert [c["budgetDay"] for c in server.sandbox.iqm_campaigns()] == [75.0, 75.0, 75.0, 60.0]
    # login, a read of each campaign, two budget requests whose answers say what IQM kept: no read-back
    assert summary["requests_sent"] == 1 + 4 + 2
    assert [r["Status"] for r in rows_of(tmp_path / "u.xlsx", "Campaigns")] == ["updated"] * 4


def test_a_field_iqm_did_not_keep_fails_its_row_naming_the_column_as_the_sheet_does(iqm_env, server, write_workbook,
                                                                                    media, tmp_path, monkeypatch):
    from bulkops.platforms.iqm.sandbox import _campaign_updates as _iqm_campaign_updates
    from bulkops.platforms.iqm.sandbox import _campaigns as _iqm_campaigns

    created, changed = _iqm_campaigns._stored, _iqm_campaign_updates._budget_of

    def capped_create(new_id, ow_id, body, now):  # a platform that caps a total budget at 1000
        return {**created(new_id, ow_id, body, now), "budgetTotal": min(float(body["budgetTotal"]), 1000.0)}

    def capped_change(campaign, values, update_type, share):
        return {**changed(campaign, values, update_type, share), "budgetTotal": 1000.0}

    monkeypatch.setattr(_iqm_campaigns, "_stored", capped_create)
    monkeypatch.setattr(_iqm_campaign_updates, "_budget_of", capped_change)
    out = tmp_path / "r.xlsx"
    result, _ = push(write_workbook({"campaigns": [campaign_row()], "creatives": [image("a", "A", "c1")]},
                                    platform="iqm"), server.base_url, "-o", str(out))
    assert result.exit_code == 1
    [row] = rows_of(out, "Campaigns")
    assert (row["Status"], row["ID"]) == ("failed", server.sandbox.iqm_campaigns()[0]["id"])  # it exists: its ID
    assert row["Message"] == "status: pending; Total Budget: sent 1500, the platform kept 1000"
    # An update whose answer shows what IQM kept; the header is the API field, as this CSV writes it.
    update = tmp_path / "campaigns.csv"
    update.write_text(f"ID,budgetTotal,Max Bid\n{row['ID']},1200,9\n", encoding="utf-8")
    result, _ = push(update, server.base_url, "-o", str(tmp_path / "u.xlsx"))
    assert result.exit_code == 1
    [row] = rows_of(tmp_path / "u.xlsx", "Campaigns")
    assert (row["Status"], row["Message"]) == ("failed", "budgetTotal: sent 1200, the platform kept 1000")
    assert server.sandbox.iqm_campaigns()[0]["maxBid"] == 9.0


def test_an_update_row_with_a_few_columns_changes_only_those(iqm_env, server, write_workbook, media, tmp_path):
    out = tmp_path / "r.xlsx"
    first, _ = push(write_workbook({"campaigns": [campaign_row()], "creatives": [image("a", "A", "c1")]},
                                   platform="iqm"), server.base_url, "-o", str(out))
    assert first.exit_code == 0, first.output
    [before] = server.sandbox.iqm_campaigns()
    update = tmp_path / "campaigns.csv"
    update.write_text(f"ID,Name,Daily Budget\n{before['id']},North,75\n", encoding="utf-8")
    server.sandbox.reset_request_log()
    result, summary = push(update, server.base_url, "-o", str(tmp_path / "u.xlsx"))
    assert result.exit_code == 0, result.output
    assert result.exception is None
    [after] = server.sandbox.iqm_campaigns()
    assert {k for k in after if after[k] != before[k]} == {"budgetDay"}
    assert writes(server) == ["PUT /api/v2/cmp/campaigns/update-budget"]
    assert summary["counts"]["Campaigns"] == {"updated": 1}


def test_an_account_on_hold_is_said_so_on_the_row(iqm_env, server, write_workbook, media, tmp_path):
    job = {"campaigns": [campaign_row(campaignName="Paused [on-hold]")], "creatives": [image("a", "A", "c1")]}
    out = tmp_path / "r.xlsx"
    result, _ = push(write_workbook(job, platform="iqm"), server.base_url, "-o", str(out))
    assert result.exit_code == 1
    [row] = rows_of(out, "Campaigns")
    assert row["Status"] == "failed" and "On Hold" in row["Message"] and "missed payment" in row["Message"]


def test_invalid_iqm_rows_stop_the_push_before_anything_is_sent(iqm_env, server, write_workbook, media, tmp_path):
    job = {"campaigns": [campaign_row(tz="Mars/Olympus", isAgreementChecked="FALSE")],
           "creatives": [image("a", "A", "c1")]}
    result, summary = push(write_workbook(job, platform="iqm"), server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 2
    assert server.sandbox.request_log == []
    messages = {p["column"]: p["message"] for p in summary["problems"]}
    assert "not a time zone" in messages["Time Zone Name"] and "TRUE" in messages["Agreement Checked"]


def test_plan_says_requests_and_time_at_twenty_a_minute(write_workbook, media):
    job = {"campaigns": [campaign_row(ref=f"c{i}", campaignName=f"C{i}") for i in range(29)],
           "creatives": [image(f"k{i}", f"K{i}", f"c{i}") for i in range(29)]}
    result = CliRunner().invoke(cli, ["plan", str(write_workbook(job, platform="iqm")), "-p", "iqm"])
    assert result.exit_code == 0, result.output
    # login + types + 3 uploads + 1 review + 29 creates + 1 read-back = 36 requests: a second window of 20
    assert "Campaigns: 29 to create" in result.output
    assert "about 36 requests; at 20 a minute that takes about 1 min" in result.output


def test_with_skip_invalid_a_campaign_missing_one_of_its_rows_is_not_sent(iqm_env, server, write_workbook, media,
                                                                           tmp_path):
    job = {"campaigns": [campaign_row(ref="zips", campaignName="Zips"), campaign_row(ref="ads", campaignName="Ads"),
                         campaign_row(ref="fine", campaignName="Fine")],
           "creatives": [image("a", "A", "zips, fine"), {**image("b", "B", "ads"), "file": "media/missing.png"}],
           "geo-zip": [{"campaign": "zips", "zip": "02134"}, {"campaign": "zips", "zip": "0213"}]}
    out = tmp_path / "r.xlsx"
    result, _ = push(write_workbook(job, platform="iqm"), server.base_url, "-o", str(out), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert [c["campaignName"] for c in server.sandbox.iqm_campaigns()] == ["Fine"]
    campaigns = {r["Ref"]: (r["Status"], r["Message"]) for r in rows_of(out, "Campaigns")}
    assert campaigns["zips"] == ("skipped", "not sent: Geo ZIP row 3 for this campaign is invalid or skipped, and "
                                            "IQM cannot add it later")
    assert campaigns["ads"] == ("skipped", "not sent: Creatives row 3 for this campaign is invalid or skipped, and "
                                           "IQM cannot add it later")


def test_rows_naming_an_existing_campaign_change_its_creatives_and_check_its_zips(iqm_env, server, write_workbook,
                                                                                  media, tmp_path):
    first, _ = push(write_workbook({"campaigns": [campaign_row()], "creatives": [image("a", "A", "c1")],
                                    "geo-zip": [{"campaign": "c1", "zip": "02134"}]}, platform="iqm", name="one.xlsx"),
                    server.base_url, "-o", str(tmp_path / "one-results.xlsx"))
    assert first.exit_code == 0, first.output
    [stored] = server.sandbox.iqm_campaigns()
    [creative] = server.sandbox.iqm_creatives()
    server.sandbox.reset_request_log()
    campaign_id = str(stored["id"])
    known = {"id": creative["creativeId"], "creativeName": "A", "format": "image", "campaigns": campaign_id}
    job = {"creatives": [known, image("n", "New", campaign_id)],
           "geo-zip": [{"campaign": campaign_id, "zip": "02134"}, {"campaign": campaign_id, "zip": "10001"}]}
    out = tmp_path / "two-results.xlsx"
    result, _ = push(write_workbook(job, platform="iqm", name="two.xlsx"), server.base_url, "-o", str(out))
    assert result.exit_code == 1  # the ZIP IQM cannot add
    assert [(r["Status"], r["Message"]) for r in rows_of(out, "Geo ZIP")] == [
        ("unchanged", f"already on campaign {stored['id']}"),
        ("failed", f"not on campaign {stored['id']}, and IQM's campaign guide has no route that adds ZIP codes to an "
                   "existing campaign (Geo ZIP rows can only be sent with a new campaign): add it in IQM, or name a "
                   "new campaign row")]
    [updated] = server.sandbox.iqm_campaigns()
    new = next(c for c in server.sandbox.iqm_creatives() if c["creativeName"] == "New")
    assert sorted(updated["creativeIds"].split(",")) == sorted([str(creative["creativeId"]), str(new["creativeId"])])
    assert updated["whiteListedZipcodes"] == "02134"
    creatives = rows_of(out, "Creatives")
    assert creatives[0]["Status"] == "unchanged" and f"already on campaign {stored['id']}" in creatives[0]["Message"]
    assert creatives[1]["Status"] == "created" and f"sent with campaign {stored['id']}" in creatives[1]["Message"]
    assert writes(server) == ["POST /api/v3/crt/creatives", f"PATCH /api/v2/cmp/campaign/{stored['id']}"]


def test_a_creative_still_in_review_skips_its_campaign_until_the_job_is_pushed_again(iqm_env, write_workbook, media,
                                                                                     tmp_path):
    job = write_workbook({"campaigns": [campaign_row()], "creatives": [image("a", "A", "c1")]}, platform="iqm")
    out = tmp_path / "r.xlsx"
    with running(SandboxConfig(platform="iqm", rate_limit=1000, creative_review_s=3600.0)) as srv:
        result, _ = push(job, srv.base_url, "-o", str(out), "--approval-timeout", "0")
        assert result.exit_code == 0, result.output
        assert srv.sandbox.iqm_campaigns() == []
        [row] = rows_of(out, "Campaigns")
        assert row["Status"] == "skipped" and "still in review; push the same job again later" in row["Message"]
        srv.sandbox.clock = lambda: time.time() + 7200  # the review has ended
        srv.sandbox.reset_request_log()
        again, _ = push(job, srv.base_url, "-o", str(out), "--approval-timeout", "0")
        assert again.exit_code == 0, again.output
        assert writes(srv) == ["POST /api/v2/cmp/campaigns/add"]  # the upload is in the journal: not sent again
        assert [c["campaignName"] for c in srv.sandbox.iqm_campaigns()] == ["North"]


def test_every_creative_type_goes_in_one_request_to_the_creative_guides_route(iqm_env, server, write_workbook,
                                                                             media, tmp_path):
    from tests._media import mp4

    (media / "clip.mp4").write_bytes(mp4(640, 360, 15))
    (media / "song.mp3").write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(200))
    daast = '<DAAST version="1.0"><Ad id="r"><InLine><AdTitle>Radio</AdTitle></InLine></Ad></DAAST>'
    html = '<div><a href="https://shop.example.com">Shop</a></div>'
    job = {
        "campaigns": [campaign_row(ref="img", campaignName="Images"),
                      campaign_row(ref="vid", campaignName="Videos", creativeType="video"),
                      campaign_row(ref="aud", campaignName="Audio", creativeType="audio"),
                      campaign_row(ref="htm", campaignName="HTML", creativeType="html")],
        "creatives": [
            {**image("i", "Image", "img"), "pixelUrl": "https://px.example.com/p.gif"},
            {"ref": "v", "creativeName": "Clip", "format": "video", "campaigns": "vid", "file": "media/clip.mp4"},
            {"ref": "x", "creativeName": "Spot", "format": "vast", "campaigns": "vid", "tag": VAST},
            {"ref": "a", "creativeName": "Song", "format": "audio", "campaigns": "aud", "file": "media/song.mp3"},
            {"ref": "d", "creativeName": "Radio", "format": "daast", "campaigns": "aud", "tag": daast},
            {"ref": "h", "creativeName": "Tag", "format": "html", "campaigns": "htm", "tag": html, "width": 300,
             "height": 250, "clickUrl": "https://shop.example.com/h"}],
    }
    result, _ = push(write_workbook(job, platform="iqm"), server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    assert writes(server).count("POST /api/v3/crt/creatives") == 1  # six creatives of five types: one request
    assert "POST /api/v2/crt/add/image/banner/creative" not in writes(server)
    stored = {c["creativeName"]: c for c in server.sandbox.iqm_creatives()}
    assert {name: c["creativeTypeId"] for name, c in stored.items()} == {
        "Image": 11, "Clip": 14, "Spot": 14, "Song": 17, "Radio": 17, "Tag": 13}
    assert (stored["Spot"]["creativeSource"], stored["Radio"]["creativeSource"], stored["Tag"]["creativeSource"]) == (
        VAST, daast, html)
    assert stored["Image"]["pixelUrls"] == "https://px.example.com/p.gif"
    campaigns = {c["campaignName"]: c for c in server.sandbox.iqm_campaigns()}
    assert {name: (c["creativeType"], len(c["creativeIds"].split(","))) for name, c in campaigns.items()} == {
        "Images": (11, 1), "Videos": (14, 2), "Audio": (17, 2), "HTML": (13, 1)}
    assert {r["Status"] for r in rows_of(tmp_path / "r.xlsx", "Creatives")} == {"created"}
