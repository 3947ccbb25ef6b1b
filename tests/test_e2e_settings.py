"""A SmartyAds campaign's settings against the sandbox: time targeting, CTR booster, optimization rule (by
ID or name) and device vendors pushed after the campaign, exported back, pushed again with no write; a
change shows old → new in plan and sends only its own request; a rule name that is unknown or shared
sends nothing."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from tests.conftest import campaign
from tests.test_e2e import push
from tests.test_e2e_export import export, writes
from tests.test_e2e_kinds import media, sheet_rows  # noqa: F401 - media is a fixture

pytestmark = pytest.mark.slow

WEEKDAYS = "Mon-Fri 09:00-17:00; Sat 10:00-14:00"
RULE = {"timeRange": "last_day", "then": "blacklist_source", "targetFilterListId": 501,
        "conditions": [{"condition": "when", "action": "dspSpend", "comparison": ">", "value": "10"}]}


def _rules(server, *names: str) -> dict[str, int]:
    """Rules made in the sandbox account (22.3), by name (the last one of a name)."""
    with httpx.Client(base_url=server.base_url) as http:
        token = http.post("/api/users/login", json={"email": "demo@bulkops.test", "password": "sandbox"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        made = [http.post("/api/optimization-rule", json={**RULE, "name": name}, headers=headers).json()["data"]
                for name in names]
    return {rule["name"]: rule["id"] for rule in made}


def _job(write_workbook, **extra: object) -> Path:
    return write_workbook({"campaigns": [
        campaign(ref="north", name="North", timeTargeting=WEEKDAYS, ctrBooster=True,
                 optimizationRule="Pause weak sources", deviceVendor="apple, samsung", **extra),
        campaign(ref="south", name="South", timeTargeting="daily 08:00-20:00", timeZone=-5, ctrBooster=False,
                 optimizationRule="none"),
    ]})


def _by_name(server) -> dict[str, int]:
    return {c["name"]: c["id"] for c in server.sandbox.campaigns()}


def test_settings_go_after_the_campaign_and_export_back_exactly(env, server, write_workbook, tmp_path):
    rules = _rules(server, "Pause weak sources", "Keep winners")
    made = len(server.sandbox.request_log)
    result, summary = push(_job(write_workbook), server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    ids, sandbox = _by_name(server), server.sandbox
    north, south = ids["North"], ids["South"]
    # Two creates, then North's three settings; South's are a new campaign's own (nothing to send)
    # but its time targeting, which goes in UTC: 08:00-20:00 at UTC-5 is 13:00-01:00.
    assert sorted(writes(server, made)) == sorted([
        "POST /api/campaigns", "POST /api/campaigns", f"POST /api/campaigns/{north}/time-targeting",
        "POST /api/booster-settings", "POST /api/campaign/optimization-rule-relation",
        f"POST /api/campaigns/{south}/time-targeting"])
    assert len(sandbox.campaign_hours(north)) == 5 * 8 + 4
    assert sandbox.campaign_booster(north) and not sandbox.campaign_booster(south)
    assert sandbox.campaign_rule_id(north) == rules["Pause weak sources"] and sandbox.campaign_rule_id(south) is None
    assert sandbox.campaign_device_vendors(north) == ["apple", "samsung"]
    assert summary["counts"]["Campaigns"] == {"created": 2}

    out = tmp_path / "state.xlsx"
    export(server, "-o", str(out))
    rows = {r["Name"]: r for r in sheet_rows(out, "Campaigns")}
    assert {k: rows["North"][k] for k in ("Time Targeting", "Time Zone", "CTR Booster", "Optimization Rule",
                                          "Device Vendors")} == {
        "Time Targeting": WEEKDAYS, "Time Zone": None, "CTR Booster": "TRUE",
        "Optimization Rule": "Pause weak sources", "Device Vendors": None}
    assert rows["South"]["Time Targeting"] == "Mon-Sun 00:00-01:00, 13:00-24:00"  # in UTC
    # A new campaign's own settings (booster off, no rule) stay blank: pushed back, nothing is read for them.
    assert (rows["South"]["CTR Booster"], rows["South"]["Optimization Rule"]) == (None, None)

    before = len(sandbox.request_log)
    result, summary = push(out, server.base_url, "-o", str(tmp_path / "r2.xlsx"))
    assert result.exit_code == 0, result.output
    assert writes(server, before) == [] and summary["counts"]["Campaigns"] == {"unchanged": 2}


def test_a_changed_setting_shows_old_and_new_and_sends_only_its_request(env, server, write_workbook, tmp_path):
    rules = _rules(server, "Pause weak sources", "Keep winners")
    assert push(_job(write_workbook), server.base_url, "-o", str(tmp_path / "r.xlsx"))[0].exit_code == 0
    out = tmp_path / "state.xlsx"
    export(server, "-o", str(out))
    north = _by_name(server)["North"]
    book = openpyxl.load_workbook(out)
    sheet = book["Campaigns"]
    headers = [c.value for c in sheet[1]]
    [row] = [r for r in sheet.iter_rows(min_row=2) if r[headers.index("Name")].value == "North"]
    row[headers.index("Time Targeting")].value = "mon-fri 9:00-18:00; sat 10:00-14:00"
    row[headers.index("Optimization Rule")].value = str(rules["Keep winners"])
    row[headers.index("CTR Booster")].value = "FALSE"
    book.save(out)

    planned = CliRunner().invoke(cli, ["plan", str(out), "-p", "smartyads", "--base-url", server.base_url, "--json"])
    assert planned.exit_code == 0, planned.output
    report = json.loads(planned.stdout.strip().splitlines()[-1])
    changed = {c["column"]: (c["old"], c["new"]) for r in report["rows"] for c in r["changes"]}
    assert changed == {"Time Targeting": (f"'{WEEKDAYS}'", "'Mon-Fri 09:00-18:00; Sat 10:00-14:00'"),
                       "Optimization Rule": (f"'{rules['Pause weak sources']}'", f"'{rules['Keep winners']}'"),
                       "CTR Booster": ("TRUE", "FALSE")}
    assert report["sheets"]["Campaigns"] == {"update": 1, "unchanged": 1}
    # login, the live reads, and four: the time targeting with its read-back, the rule, the booster
    assert report["requests"] == 1 + report["reads"] + 4

    before = len(server.sandbox.request_log)
    result, summary = push(out, server.base_url, "-o", str(tmp_path / "r2.xlsx"))
    assert result.exit_code == 0, result.output
    assert sorted(writes(server, before)) == sorted([
        f"POST /api/campaigns/{north}/time-targeting", f"DELETE /api/booster-settings/{north}",
        "POST /api/campaign/optimization-rule-relation"])  # no PATCH of the campaign itself
    assert server.sandbox.campaign_rule_id(north) == rules["Keep winners"]
    assert len(server.sandbox.campaign_hours(north)) == 5 * 9 + 4
    assert summary["counts"]["Campaigns"] == {"updated": 1, "unchanged": 1}
    before = len(server.sandbox.request_log)
    assert push(out, server.base_url, "-o", str(tmp_path / "r3.xlsx"))[0].exit_code == 0
    assert writes(server, before) == []


@pytest.mark.parametrize(("name", "says"), [
    ("Pause weak source", "'Pause weak source' is not a known optimization rule (did you mean 'Pause weak sources'?)"),
    ("Twice", "'Twice' names 2 optimization rule entries: Twice = "),
])
def test_a_rule_name_no_rule_or_several_rules_have_sends_nothing(env, server, write_workbook, tmp_path, name, says):
    _rules(server, "Pause weak sources", "Twice", "Twice")
    job = write_workbook({"campaigns": [campaign(ref="north", name="North", optimizationRule=name),
                                        campaign(ref="other", name="Other")]})
    before = len(server.sandbox.request_log)
    result, summary = push(job, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code != 0
    assert writes(server, before) == [] and server.sandbox.campaigns() == []
    messages = [r["Message"] for r in sheet_rows(tmp_path / "r.xlsx", "Campaigns")]
    # The name is its row's error (looked up as reference data); the other row waits for it.
    assert says in messages[0] and messages[1] == "not sent: other rows of the job are invalid", messages


def test_a_time_targeting_cell_that_cannot_be_read_is_refused_before_anything_is_sent(env, server, write_workbook,
                                                                                      tmp_path):
    job = write_workbook({"campaigns": [campaign(timeTargeting="Mon-Fri 09:30-17:00"),
                                        campaign(ref="c2", name="Two", timeTargeting="Mon 09:00-10:00", timeZone=5.5)]})
    result, _ = push(job, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 2 and writes(server) == []
    messages = [r["Message"] for r in sheet_rows(tmp_path / "r.xlsx", "Campaigns")]
    assert "09:30 in 'Mon-Fri 09:30-17:00' is not on the hour" in messages[0]
    assert "Time Zone 5.5 is not a whole number of hours" in messages[1]


# --- a native creative's folderId (18.8.1, 18.3.4) ---------------------------------------------------------

def test_a_native_creative_is_filed_in_its_folder_and_exported_with_it(env, server, write_workbook, media,  # noqa: F811
                                                                         tmp_path):
    job = write_workbook({
        "campaigns": [campaign(ref="c2", name="South", type="native")],
        "creatives": [
            {"ref": "n1", "name": "Native card", "format": "native", "campaigns": "c2", "bidPrice": 1.1,
             "mediaFile": "media/1200x627.png", "clickUrl": "https://shop.example.com/n", "assetTitle": "Sale",
             "categories": "IAB22", "folderId": "0042"},
            {"ref": "b1", "name": "Banner", "format": "banner-image", "campaigns": "c2", "bidPrice": 1.5,
             "mediaFile": "media/300x250.png", "clickUrl": "https://shop.example.com/a", "categories": "IAB22",
             "folderId": "ignored"}]})
    result, _ = push(job, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    held = {c["name"]: c["folderId"] for c in server.sandbox.creatives()}
    assert held == {"Native card": "0042", "Banner": None}  # text, leading zeros kept; a banner sends none
    [banner] = [r for r in sheet_rows(tmp_path / "r.xlsx", "Creatives") if r["Name"] == "Banner"]
    assert "Folder ID is not used by banner-image creatives and will not be sent" in banner["Message"]

    out = tmp_path / "state.xlsx"
    export(server, "-o", str(out))
    assert {r["Name"]: r["Folder ID"] for r in sheet_rows(out, "Creatives")} == {"Native card": "0042",
                                                                                 "Banner": None}
    before = len(server.sandbox.request_log)
    result, summary = push(out, server.base_url, "-o", str(tmp_path / "r2.xlsx"))
    assert result.exit_code == 0 and writes(server, before) == []
    assert summary["counts"]["Creatives"] == {"unchanged": 2}


# --- Mode remove for creatives (19.4) and filter lists (21.3) --------------------------------------------------

TAG = '<script src="https://ads.example.com/tag.js"></script>'


def _assigned_job(write_workbook) -> Path:
    return write_workbook({
        "campaigns": [campaign(ref="c1", name="North")],
        "creatives": [{"ref": f"t{n}", "name": f"Tag {n}", "format": "banner-tag", "campaigns": "c1", "bidPrice": 1,
                       "admBody": TAG, "width": 300, "height": 250, "categories": "IAB22"} for n in (1, 2, 3)],
        "filter-lists": [{"ref": f"f{n}", "title": f"List {n}", "type": "domain", "campaigns": "c1"} for n in (1, 2)],
        "filter-list-items": [{"filterList": f"f{n}", "item": f"site{n}.example.com"} for n in (1, 2)],
    }, name="seed.xlsx")


def test_remove_takes_creatives_and_filter_lists_off_a_campaign_and_nothing_else(env, server, write_workbook,
                                                                                 tmp_path):
    assert push(_assigned_job(write_workbook), server.base_url, "-o", str(tmp_path / "r.xlsx"))[0].exit_code == 0
    sandbox = server.sandbox
    north = _by_name(server)["North"]
    creatives = {c["name"]: c["id"] for c in sandbox.creatives()}
    lists = {fl["title"]: fl["id"] for fl in sandbox.filter_lists()}
    job = write_workbook({
        "creatives": [{"id": creatives["Tag 1"], "campaigns": str(north), "mode": "remove"},
                      {"id": creatives["Tag 3"], "campaigns": str(north), "mode": "remove"}],
        "filter-lists": [{"id": lists["List 2"], "campaigns": str(north), "mode": "remove"}]}, name="remove.xlsx")

    planned = CliRunner().invoke(cli, ["plan", str(job), "-p", "smartyads", "--base-url", server.base_url, "--json"])
    assert planned.exit_code == 0, planned.output
    report = json.loads(planned.stdout.strip().splitlines()[-1])
    before = len(sandbox.request_log)
    result, summary = push(job, server.base_url, "-o", str(tmp_path / "r2.xlsx"))
    assert result.exit_code == 0, result.output
    assert sorted(writes(server, before)) == [f"DELETE /api/campaigns/{north}/creatives",
                                              f"DELETE /api/campaigns/{north}/filterlists"]
    bodies = {r.path: r for r in sandbox.request_log[before:] if r.method == "DELETE"}
    assert set(bodies) == {f"/api/campaigns/{north}/creatives", f"/api/campaigns/{north}/filterlists"}
    assert sandbox.campaign_creative_ids(north) == [creatives["Tag 2"]]
    assert sandbox.campaign_filter_list_ids(north) == [lists["List 1"]]
    assert len(sandbox.creatives()) == 3 and len(sandbox.filter_lists()) == 2  # the objects stay
    # login, the live reads, the two DELETEs and a read-back of each list
    assert report["requests"] == 1 + report["reads"] + 2 + 2
    messages = [r["Message"] for r in sheet_rows(tmp_path / "r2.xlsx", "Creatives")]
    assert all(f"removed from campaign {north}" in m for m in messages), messages
    assert summary["counts"]["Creatives"] == {"updated": 2}

    before = len(sandbox.request_log)
    result, summary = push(job, server.base_url, "-o", str(tmp_path / "r3.xlsx"))
    assert result.exit_code == 0 and writes(server, before) == []  # not assigned any more: nothing to send
    assert summary["counts"]["Creatives"] == {"unchanged": 2}


def test_remove_needs_an_existing_creative(env, server, write_workbook, tmp_path):
    job = write_workbook({"campaigns": [campaign(ref="c1", name="North")],
                          "creatives": [{"ref": "t1", "name": "Tag", "format": "banner-tag", "campaigns": "c1",
                                         "bidPrice": 1, "admBody": TAG, "width": 300, "height": 250,
                                         "categories": "IAB22", "mode": "remove"}]})
    result, _ = push(job, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 2 and writes(server) == []
    [row] = sheet_rows(tmp_path / "r.xlsx", "Creatives")
    assert "Mode remove takes an existing creative off its campaigns: fill its ID" in row["Message"]


def test_the_same_job_pushed_again_sends_no_setting_twice(env, server, write_workbook, tmp_path):
    _rules(server, "Pause weak sources")
    job = _job(write_workbook)
    assert push(job, server.base_url, "-o", str(tmp_path / "r.xlsx"))[0].exit_code == 0
    before = len(server.sandbox.request_log)
    result, summary = push(job, server.base_url, "-o", str(tmp_path / "r2.xlsx"))
    assert result.exit_code == 0, result.output
    assert writes(server, before) == []  # the journal knows the creates and each setting
    [north] = [r for r in sheet_rows(tmp_path / "r2.xlsx", "Campaigns") if r["Name"] == "North"]
    assert "Time Targeting, CTR Booster, Optimization Rule sent by an earlier run (" in north["Message"]


def test_hours_typed_as_the_platform_holds_them_but_in_a_time_zone_are_a_change(env, server, write_workbook,
                                                                               tmp_path):
    job = write_workbook({"campaigns": [campaign(ref="c1", name="North", timeTargeting="Mon 09:00-10:00")]})
    assert push(job, server.base_url, "-o", str(tmp_path / "r.xlsx"))[0].exit_code == 0
    north = _by_name(server)["North"]
    again = write_workbook({"campaigns": [campaign(id=north, name="North", timeTargeting="Mon 09:00-10:00",
                                                   timeZone=-5)]}, name="again.xlsx")
    before = len(server.sandbox.request_log)
    assert push(again, server.base_url, "-o", str(tmp_path / "r2.xlsx"))[0].exit_code == 0
    assert writes(server, before) == [f"POST /api/campaigns/{north}/time-targeting"]
    assert server.sandbox.campaign_hours(north) == [{"dayOfWeek": 1, "hour": 14}]
