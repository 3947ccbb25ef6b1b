"""IQM export at the row level: an IQM sandbox seeded with every kind and awkward values is read back
by `read_state`, the rows become sheets, and pushing them back sends no write: every row is
`unchanged`. The awkward values include what another tool may leave in IQM: a name with leading spaces
and a trailing tab (kept, never renamed), values bulkops's own checks refuse when typed new (a max bid
of 0.0001, a circle of radius 0.001, a domain item `-y.org`: warnings, not refusals) and a rejected
creative (its review a warning). A changed cell sends that change alone; a ZIP added to an existing
campaign fails its row (IQM has no route for it), still without a write for it."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from bulkops._config import Credentials
from bulkops._jobs import PushReport, push_files
from bulkops.engine import Pace
from bulkops.exporter._write import write_workbook
from bulkops.io import SheetData
from bulkops.kinds import Kind, Text
from bulkops.planner import Status
from bulkops.platforms.iqm._export import format_schedule, read_state
from bulkops.platforms.iqm.client import IQMClient, NewCreative
from bulkops.platforms.iqm.kinds import CREATIVES, KINDS
from bulkops.platforms.iqm.kinds._campaigns import parse_schedule
from bulkops.platforms.iqm.sandbox._creatives import REJECT_MARKER as REJECTED
from bulkops.platforms.iqm.sandbox._creatives import REJECTION_REASON
from bulkops.sandbox import SandboxConfig, SandboxServer, running
from bulkops.validation import validate_sheets
from tests._media import png

pytestmark = pytest.mark.slow

ACCOUNT = {"client_id": "sandbox-client", "client_secret": "sandbox-secret", "email": "demo@bulkops.test",
           "password": "sandbox", "host": "sandbox.bulkops.test"}
READS = {"/api/v3/ua/login", "/api/oauth/token", "/api/v3/crt/creatives/list",
         "/api/v3/cmp/customer/campaigns/list"}  # POSTs that change nothing
VAST = '<?xml version="1.0"?><VAST version="4.0"><Ad id="a"><InLine><AdTitle>Spot</AdTitle></InLine></Ad></VAST>'
DAAST = '<DAAST version="1.0"><Ad id="b"><InLine><AdTitle>Radio</AdTitle></InLine></Ad></DAAST>'
DOMAINS = [f"site{i:03d}.example.com" for i in range(250)]
PADDED = "  Zip lost zero\t"


def client(server: SandboxServer) -> IQMClient:
    return IQMClient(server.base_url, **ACCOUNT)


def base(name: str, creative_type: int, creative_ids: Sequence[int], **fields: Any) -> dict[str, Any]:
    return {"campaignName": name, "advertiserDomain": "https://shop.example.com", "creativeType": creative_type,
            "creativeIds": ",".join(map(str, creative_ids)), "maxBid": 8.5, "budgetDay": 50, "budgetTotal": 1500,
            "startTime": 1822363200, "endTime": 1825041540, "timezone": 433, "ioId": 2695, "countryId": "30100001",
            "isAgreementChecked": True, "campaignType": 1, "isAdvanceAudioVideoTargeted": False, **fields}


async def seed(api: IQMClient) -> dict[str, int]:
    """Every kind, with unicode names, names starting with '=' and '-', leading-zero ZIPs and long lists."""
    creatives = [
        NewCreative("Été 300×250 — 北京 ☀", "image", "FILE", file=("a.png", png(300, 250), None),
                    click_url="https://shop.example.com/a", pixel_url="https://px.example.com/i.gif", width=300,
                    height=250),
        NewCreative('=HYPERLINK("x")', "image", "FILE", file=("b.png", png(728, 90), None),
                    click_url="https://shop.example.com/b", width=728, height=90),
        NewCreative("-Spot VAST", "video", "VAST_XML", source=VAST, click_url="https://shop.example.com/v"),
        NewCreative("+Clip", "video", "FILE", file=("clip.mp4", b"\0\0\0\x18ftypisom" + b"\0" * 64, None),
                    click_url="https://shop.example.com/c"),
        NewCreative("@Radio", "audio", "DAAST_XML", source=DAAST, click_url="https://shop.example.com/r"),
        NewCreative("Banner HTML", "html", "HTML", source="<div><a href='https://shop.example.com'>Shop</a></div>",
                    width=300, height=250),
        NewCreative("Not in any campaign", "image", "FILE", file=("loose.png", png(320, 50), None),
                    click_url="https://shop.example.com/l", width=320, height=50),
        NewCreative(f"{REJECTED} in review", "image", "FILE", file=("no.png", png(300, 250), None),
                    click_url="https://shop.example.com/n", width=300, height=250),
    ]
    a, b, spot, clip, radio, banner, _, rejected = (added.id for added in await api.add_creatives(creatives))
    circles = [{"unit": "mile", "address": "Bâtiment 7, Montréal", "latitude": 45.5017, "longitude": -73.5673,
                "radius": 1.5, "type": "circle", "sid": "444", "cid": "30100001"},
               {"unit": "mile", "address": "", "latitude": 40.7128, "longitude": -74.006, "radius": 0.25,
                "type": "circle"}]
    north = await api.create_campaign(base(
        "Été – 北京 🚀 North", 11, [a, b], exchanges="55,61", deviceType="13,15", schedule=parse_schedule(
            "Mon-Fri 09:00-12:00; Mon-Fri 13:00-17:30; Sat 10:00-14:00"), bidPacing=False, budgetTypeId=1,
        whiteListedZipcodes="00501,02134,07030", blackListedZipcodes="10001",
        whiteListedGeoRadiusDetails=json.dumps(circles), userDealId="5012,0077", groupDealId="77",
        whiteListedSiteDomain=",".join(DOMAINS), blackListedIp="203.0.113.7,198.51.100.1",
        whiteListedInventoryGroupIds="3301", conversionType="non-install", prebidAudienceSegmentIdList=[101, 102],
        whiteListedStateIds="444,445", creativeAdvanceTargeting={"1": [2, 3]}, impressionCapping=3))
    spot_campaign = await api.create_campaign(base(
        "-Spot (video)", 14, [spot, clip], timezone=29, endTime=None,
        blackListedGeoRadiusDetails=json.dumps(circles[1:]), blackListedPackageName="com.example.tv",
        whiteListedAppId="389801252", whiteListedDeviceId="dev-1,dev-2"))
    radio_campaign = await api.create_campaign(base("=SUM(A1:A2) radio", 17, [radio], timezone=999,
                                                    startTime=1822363230))
    html_campaign = await api.create_campaign(base("Banner", 13, [banner], blackListedSiteDomain="bad.example.com"))
    # What another tool may leave: spaces and a tab around a name, IDs spaced after their commas, and
    # values below bulkops's own minimums or outside its own domain syntax.
    padded = await api.create_campaign(base(PADDED, 11, [b], exchanges="55, 61",
                                            whiteListedDeviceId=" dev-1 , dev-2\t"))
    tiny = [{"unit": "mile", "address": "", "latitude": 40.7128, "longitude": -74.006, "radius": 0.001,
             "type": "circle"}]
    odd = await api.create_campaign(base("Held odd values", 11, [b], maxBid=0.0001,
                                         whiteListedGeoRadiusDetails=json.dumps(tiny),
                                         blackListedSiteDomain="news.example.com,-y.org"))
    return {"north": north.id, "spot": spot_campaign.id, "radio": radio_campaign.id, "html": html_campaign.id,
            "padded": padded.id, "odd": odd.id, "rejected": rejected}


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[SandboxServer, dict[str, int]]]:
    with running(SandboxConfig(platform="iqm", rate_limit=10_000, creative_review_s=0.0)) as srv:
        async def go() -> dict[str, int]:
            async with client(srv) as api:
                return await seed(api)

        yield srv, asyncio.run(go())


def export(server: SandboxServer, kinds: Sequence[Kind] = KINDS, campaign_ids: Sequence[int] | None = None,
           ticks: list[int] | None = None) -> dict[str, list[dict[str, Any]]]:
    async def go() -> dict[str, list[dict[str, Any]]]:
        async with client(server) as api:
            return await read_state(api, kinds, campaign_ids, (ticks if ticks is not None else []).append)

    return asyncio.run(go())


def cell(value: Any) -> Any:
    """What a reader hands validation for a typed value: lists as one text per line, text as text."""
    if isinstance(value, list):
        return Text("\n".join(value))
    return Text(value) if isinstance(value, str) else value


def sheets_of(state: Mapping[str, list[dict[str, Any]]], folder: Path) -> list[SheetData]:
    sheets = []
    for kind in KINDS:
        rows = state.get(kind.name) or []
        if not rows:
            continue
        fields = [c.field for c in kind.columns]
        frame = pd.DataFrame([{f: cell(row.get(f)) for f in fields} for row in rows],
                             index=pd.Index(range(2, len(rows) + 2), name="row"), columns=fields).astype(object)
        frame = frame.where(frame.notna(), None)
        sheets.append(SheetData(path=folder / "export.xlsx", title=kind.sheet, kind=kind, frame=frame,
                                headers={c.field: c.label for c in kind.columns},
                                positions={f: n for n, f in enumerate(fields, start=1)}, width=len(fields)))
    return sheets


def writes(server: SandboxServer) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.sandbox.request_log
            if r.method in ("POST", "PUT", "PATCH", "DELETE") and r.path not in READS]


def errors(validated: list) -> list[str]:
    return [f"{p.sheet} row {p.row} {p.column}: {p.message}" for v in validated for p in v.problems if p.is_error]


def push_back(server: SandboxServer, state: Mapping[str, list[dict[str, Any]]], folder: Path,
              kinds: Sequence[Kind] = KINDS) -> PushReport:
    """The rows written as an export writes them, then pushed as `bulkops push` does."""
    path = write_workbook(kinds, state, folder / "export.xlsx", [])
    return push_files([path], "iqm", base_url=server.base_url, creds=Credentials("iqm", ACCOUNT),
                      output=folder / "results.xlsx", pace=Pace(limit=10_000),
                      approval_timeout_s=5, state_folder=folder / "state")


def messages(report: PushReport, title: str) -> list[tuple[str, str]]:
    sheet_no = next(n for n, sheet in enumerate(report.sheets) if sheet.title == title)
    return [(o.status.value, o.message) for (n, _), o in sorted(report.outcomes.items()) if n == sheet_no]


def test_an_export_pushed_back_unchanged_sends_no_write_and_every_row_is_unchanged(seeded, tmp_path):
    server, ids = seeded
    state = export(server)
    assert {k: len(v) for k, v in state.items()} == {
        "campaigns": 6, "creatives": 8, "geo-zip": 4, "geo-gps": 4, "deals": 3, "filter-lists": 250 + 2 + 1 + 5 + 2 + 2}
    # Offline, the values IQM holds below bulkops's own minimums or outside its own syntax are errors:
    # only IQM can say it holds them.
    validated = validate_sheets(sheets_of(state, tmp_path))
    assert {(p.sheet, p.column, p.own) for v in validated for p in v.problems if p.is_error} == {
        ("Campaigns", "Max Bid", True), ("Geo GPS", "Radius (miles)", True), ("Filter Lists", "Value", True)}
    server.sandbox.reset_request_log()
    report = push_back(server, state, tmp_path)
    assert writes(server) == []
    assert report.exit_code == 0
    rows = sum(len(rows) for rows in state.values())
    assert len(report.outcomes) == rows
    assert {o.status for o in report.outcomes.values()} == {Status.UNCHANGED}, [
        (key, o.message) for key, o in report.outcomes.items() if o.status is not Status.UNCHANGED]


def test_a_name_iqm_holds_with_spaces_and_a_tab_is_compared_exactly_and_never_renamed(seeded, tmp_path):
    server, ids = seeded
    state = export(server, campaign_ids=[ids["padded"]])
    [row] = state["campaigns"]
    assert row["campaignName"] == PADDED and row["exchanges"] == ["55", "61"]
    assert sorted(r["value"] for r in state["filter-lists"]) == ["dev-1", "dev-2"]
    server.sandbox.reset_request_log()
    report = push_back(server, state, tmp_path)
    assert (report.exit_code, writes(server)) == (0, [])
    assert messages(report, "Campaigns") == [("unchanged", "status: pending")]
    # Another field changed: only it is sent; the name stays as IQM has it.
    assert row["bidPacing"] is True
    row["bidPacing"] = False
    server.sandbox.reset_request_log()
    try:
        report = push_back(server, state, tmp_path)
        assert writes(server) == [f"PATCH /api/v2/cmp/campaign/{ids['padded']}"]
        assert messages(report, "Campaigns") == [("updated", "status: pending; changed: Bid Pacing TRUE → FALSE")]
        stored = next(c for c in server.sandbox.iqm_campaigns() if c["id"] == ids["padded"])
        assert (stored["campaignName"], stored["bidPacing"]) == (PADDED, False)
    finally:
        asyncio.run(_patch(server, ids["padded"], {"bidPacing": True}))


def test_values_iqm_holds_that_bulkops_own_checks_refuse_go_back_unchanged_with_warnings(seeded, tmp_path):
    server, ids = seeded
    state = export(server, campaign_ids=[ids["odd"]])
    server.sandbox.reset_request_log()
    report = push_back(server, state, tmp_path)
    assert (report.exit_code, writes(server)) == (0, [])
    assert {o.status for o in report.outcomes.values()} == {Status.UNCHANGED}
    held = "the platform already holds this value, so it is only a warning (this check is bulkops's own, " \
           "stricter than IQM's document)"
    assert sorted((p.sheet, p.column, p.message) for p in report.problems if p.own) == [
        ("Campaigns", "Max Bid", f"0.0001 is below the minimum of 0.01; {held}"),
        ("Filter Lists", "Value", f"'-y.org' is not a site domain such as news.example.com; {held}"),
        ("Geo GPS", "Radius (miles)", f"0.001 is below the minimum of 0.01; {held}")]
    # The read that settles them is the one the update step makes anyway: one read of the campaign.
    reads = [r.path for r in server.sandbox.request_log if r.method == "GET" and "/cmp/campaign/" in r.path]
    assert reads == [f"/api/v2/cmp/campaign/{ids['odd']}"]


def test_the_same_odd_values_typed_new_are_refused_and_nothing_is_sent(seeded, tmp_path):
    server, ids = seeded
    state = export(server, campaign_ids=[ids["odd"]])
    ref = state["campaigns"][0]["ref"]
    state["filter-lists"].append({"campaign": ref, "type": "domain", "value": "-z.org", "include": False})
    state["geo-gps"].append({"campaign": ref, "latitude": 1.0, "longitude": 2.0, "radius": 0.002, "include": True})
    server.sandbox.reset_request_log()
    report = push_back(server, state, tmp_path)
    assert (report.exit_code, writes(server)) == (2, [])
    refused = sorted((p.sheet, p.message) for p in report.problems if p.is_error)
    assert refused == [("Filter Lists", "'-z.org' is not a site domain such as news.example.com"),
                       ("Geo GPS", "0.002 is below the minimum of 0.01")]


def test_an_exported_rejected_creative_goes_back_unchanged_with_its_review_as_a_warning(seeded, tmp_path):
    server, ids = seeded
    state = export(server, kinds=[CREATIVES])
    server.sandbox.reset_request_log()
    report = push_back(server, state, tmp_path, kinds=[CREATIVES])
    assert (report.exit_code, writes(server)) == (0, [])
    rejected = next(o for o in report.outcomes.values() if o.id == ids["rejected"])
    assert (rejected.status, rejected.message) == (Status.UNCHANGED, f"used as it is; warning: rejected: "
                                                                     f"{REJECTION_REASON}")


def test_a_campaign_that_needs_a_rejected_creative_is_skipped_and_the_creatives_row_fails(seeded, tmp_path):
    server, ids = seeded
    state = {"creatives": [{"id": ids["rejected"], "creativeName": f"{REJECTED} in review", "format": "image",
                            "campaigns": [str(ids["north"])]}]}
    server.sandbox.reset_request_log()
    report = push_back(server, state, tmp_path, kinds=[CREATIVES])
    assert (report.exit_code, writes(server)) == (1, [])
    [(status, message)] = messages(report, "Creatives")
    assert status == "failed"
    assert message == (f"used as it is; warning: rejected: {REJECTION_REASON}; campaign {ids['north']} needs it, so "
                       "it was not sent")


def test_the_rows_say_what_iqm_holds_field_by_field(seeded):
    server, ids = seeded
    state = export(server)
    campaigns = {row["id"]: row for row in state["campaigns"]}
    north = campaigns[ids["north"]]
    assert north["ref"] == f"campaign-{ids['north']}" and north["campaignName"] == "Été – 北京 🚀 North"
    assert (north["tz"], north["timezone"], north["startTime"]) == ("America/New_York", 433,
                                                                    dt.datetime(2027, 10, 1, 0, 0))
    assert (north["creativeType"], north["maxBid"], north["bidPacing"], north["isAgreementChecked"]) == (
        "image", 8.5, False, True)
    assert north["schedule"] == "Mon-Fri 09:00-12:00; Mon-Fri 13:00-17:30; Sat 10:00-14:00"
    assert (north["exchanges"], north["prebidAudienceSegmentIdList"]) == (["55", "61"], ["101", "102"])
    assert north["creativeAdvanceTargeting"] == '{"1": [2, 3]}' and north["conversionType"] == "non-install"
    assert "creativeIds" not in north  # its creatives are rows of the export, which name it
    assert "whiteListedZipcodes" not in north and "userDealId" not in north
    assert campaigns[ids["radio"]]["tz"] == "UTC"  # a zone IQM does not name: the moment is kept in UTC
    assert campaigns[ids["radio"]]["startTime"] == dt.datetime(2027, 10, 1, 4, 0, 30)
    assert campaigns[ids["radio"]]["campaignName"] == "=SUM(A1:A2) radio"
    assert "endTime" not in campaigns[ids["spot"]] and campaigns[ids["spot"]]["tz"] == "US/Eastern"
    ref = north["ref"]
    assert [(r["zip"], r["include"]) for r in state["geo-zip"]] == [
        ("00501", True), ("02134", True), ("07030", True), ("10001", False)]
    assert {r["campaign"] for r in state["geo-zip"]} == {ref}
    montreal = next(r for r in state["geo-gps"] if r.get("address"))
    assert montreal == {"campaign": ref, "latitude": 45.5017, "longitude": -73.5673, "radius": 1.5,
                        "address": "Bâtiment 7, Montréal", "stateId": "444", "countryId": "30100001",
                        "include": True}
    assert sorted((r["dealId"], r["dealKind"]) for r in state["deals"]) == [
        ("0077", "user"), ("5012", "user"), ("77", "group")]
    filters = state["filter-lists"]
    assert [r["value"] for r in filters if r["type"] == "domain" and r["include"]] == DOMAINS
    assert {(r["type"], r["value"], r["include"]) for r in filters if r["campaign"] != ref} >= {
        ("package", "com.example.tv", False), ("app", "389801252", True), ("device", "dev-2", True),
        ("domain", "bad.example.com", False)}
    creatives = {row["creativeName"]: row for row in state["creatives"]}
    assert {name: row["format"] for name, row in creatives.items()} == {
        "Été 300×250 — 北京 ☀": "image", '=HYPERLINK("x")': "image", "-Spot VAST": "vast", "+Clip": "video",
        "@Radio": "daast", "Banner HTML": "html", "Not in any campaign": "image", f"{REJECTED} in review": "image"}
    first = creatives["Été 300×250 — 北京 ☀"]
    assert (first["campaigns"], first["pixelUrl"], first["width"], first["height"]) == (
        [ref], "https://px.example.com/i.gif", 300, 250)
    assert "campaigns" not in creatives["Not in any campaign"] and "file" not in first


def test_a_changed_cell_sends_that_change_alone_and_a_zip_iqm_cannot_add_fails_its_row(seeded, tmp_path):
    server, ids = seeded
    state = export(server, campaign_ids=[ids["north"]])
    north = next(r for r in state["campaigns"] if r["id"] == ids["north"])
    north["maxBid"] = 9.75
    state["geo-zip"].append({"campaign": north["ref"], "zip": "02135", "include": True})
    validated = validate_sheets(sheets_of(state, tmp_path))
    assert errors(validated) == []
    server.sandbox.reset_request_log()
    try:
        outcomes = push_back(server, state, tmp_path).outcomes
        assert writes(server) == ["PUT /api/v2/cmp/campaigns/update-budget"]  # the bid, and nothing else
        stored = next(c for c in server.sandbox.iqm_campaigns() if c["id"] == ids["north"])
        assert (stored["maxBid"], stored["whiteListedZipcodes"]) == (9.75, "00501,02134,07030")
    finally:  # the module's other tests read the seeded account as it was
        asyncio.run(_set_bid(server, ids["north"], 8.5))
    changed = {key: (o.status, o.message) for key, o in outcomes.items() if o.status is not Status.UNCHANGED}
    assert sorted(status.value for status, _ in changed.values()) == ["failed", "updated"]
    messages = " ".join(message for _, message in changed.values())
    assert "changed: Max Bid 8.5 → 9.75" in messages and "no route that adds ZIP codes" in messages


async def _set_bid(server: SandboxServer, campaign_id: int, bid: float) -> None:
    async with client(server) as api:
        await api.update_budgets([campaign_id], max_bid=bid)


async def _patch(server: SandboxServer, campaign_id: int, fields: dict[str, Any]) -> None:
    async with client(server) as api:
        await api.update_campaign(campaign_id, fields)


def test_campaign_ids_limit_the_export_to_those_campaigns_and_their_creatives(seeded, tmp_path):
    server, ids = seeded
    state = export(server, campaign_ids=[ids["spot"]])
    assert [r["id"] for r in state["campaigns"]] == [ids["spot"]]
    assert sorted(r["creativeName"] for r in state["creatives"]) == ["+Clip", "-Spot VAST"]
    assert {r["campaign"] for k in ("geo-gps", "filter-lists") for r in state[k]} == {f"campaign-{ids['spot']}"}
    assert state["geo-zip"] == [] and state["deals"] == []
    assert errors(validate_sheets(sheets_of(state, tmp_path))) == []


def test_kinds_limit_what_is_read_and_creatives_then_name_campaigns_by_id(seeded, tmp_path):
    server, ids = seeded
    creatives = next(k for k in KINDS if k.name == "creatives")
    ticks: list[int] = []
    server.sandbox.reset_request_log()
    state = export(server, kinds=[creatives], ticks=ticks)
    assert list(state) == ["creatives"]
    first = next(r for r in state["creatives"] if r["creativeName"].startswith("Été"))
    assert first["campaigns"] == [str(ids["north"])]
    answered = [r.path for r in server.sandbox.request_log if r.path not in ("/api/v3/ua/login",)]
    assert answered == ["/api/v3/crt/creatives/list"] and sum(ticks) == 1
    assert errors(validate_sheets(sheets_of(state, tmp_path))) == []


def test_progress_is_told_after_every_request(seeded):
    server, _ = seeded
    ticks: list[int] = []
    server.sandbox.reset_request_log()
    export(server, ticks=ticks)
    requests = [r for r in server.sandbox.request_log if r.path != "/api/v3/ua/login"]
    # the campaign list, six campaigns, creative types, time zones, the creative list
    assert len(requests) == sum(ticks) == 10 and set(ticks) == {1}


def test_an_unknown_campaign_id_is_an_input_error(seeded):
    from bulkops._exceptions import InputError

    server, _ = seeded
    with pytest.raises(InputError, match="no campaign 999999"):
        export(server, campaign_ids=[999999])


@pytest.mark.parametrize("text", ["Mon-Fri 09:00-17:00", "Mon 09:00-10:00; Mon 13:00-14:00; Wed-Thu 08:00-24:00",
                                  "Sat-Sun 10:00-14:00; Tue 01:00-02:00", "Mon 09:00-10:00; Tue 09:00-11:00"])
def test_a_schedule_reads_back_to_the_same_schedule(text):
    assert parse_schedule(format_schedule(parse_schedule(text))) == parse_schedule(text)


class FakeIqm:
    """Just enough of IQMClient for read_state's choices the sandbox cannot produce."""

    def __init__(self, campaigns: list[dict[str, Any]], creatives: list[dict[str, Any]]) -> None:
        from bulkops.platforms.iqm.client import Campaign, CampaignSummary, Creative, CreativeType, TimeZone

        self.summaries = [CampaignSummary(id=c["id"], name=c["campaignName"], status=c["status"]) for c in campaigns]
        self.details = {c["id"]: Campaign.model_validate(c) for c in campaigns}
        self.creatives = [Creative.model_validate(c) for c in creatives]
        self.types = [CreativeType(id=11, label="Image", keyName="image")]
        self.zones = [TimeZone(id=29, name="US/Eastern")]
        self.read: list[int] = []

    async def iter_campaigns(self, on_request):
        on_request(1)
        for summary in self.summaries:
            yield summary

    async def get_campaign(self, campaign_id):
        self.read.append(campaign_id)
        return self.details[campaign_id]

    async def iter_creatives(self, campaign_ids, on_request):
        on_request(1)
        for creative in self.creatives:
            yield creative

    async def creative_types(self):
        return self.types

    async def time_zones(self):
        return self.zones


def test_deleted_and_unsheetable_objects_are_left_out_and_units_are_made_the_sheets(caplog):
    live = {"campaignName": "C", "status": "running", "creativeType": 11, "timezone": 29, "maxBid": 3,
            "startTime": 1822363200000, "whiteListedGeoRadiusDetails": json.dumps(
                [{"unit": "km", "latitude": 1.0, "longitude": 2.0, "radius": 1.609344, "type": "circle"}])}
    fake = FakeIqm([{"id": 1, **live}, {"id": 2, **live, "status": "deleted"}],
                   [{"creativeId": 5, "creativeName": "Native", "platformCreativeTypeId": 15},
                    {"creativeId": 6, "creativeName": "Gone", "platformCreativeTypeId": 11, "creativeStatusId": 4},
                    {"creativeId": 7, "creativeName": "Kept", "platformCreativeTypeId": 11, "creativeStatusId": 3,
                     "campaignDetails": {"campaignIds": [1, 2]}}])
    state = asyncio.run(read_state(fake, KINDS, None, lambda n: None))
    assert fake.read == [1] and [r["id"] for r in state["campaigns"]] == [1]
    assert state["campaigns"][0]["startTime"] == dt.datetime(2027, 10, 1, 0, 0)  # milliseconds read as such
    assert state["geo-gps"] == [{"campaign": "campaign-1", "latitude": 1.0, "longitude": 2.0, "radius": 1.0,
                                 "include": True}]
    assert [(r["id"], r["campaigns"]) for r in state["creatives"]] == [(7, ["campaign-1"])]
    assert "creative 5 (type 15) is not exported" in caplog.text
