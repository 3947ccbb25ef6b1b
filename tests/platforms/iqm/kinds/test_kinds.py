"""Every validation rule of the IQM workbook (Campaigns, Creatives, Geo ZIP, Geo GPS, Deals, Filter Lists),
with the row and column each problem is reported on, and the payloads the valid rows become.

Parametrized cases of one rule share one workbook (validated once per module, one row per case), so the
many cases stay fast; every case still checks its own row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bulkops._jobs import ValidationReport, validate_files
from bulkops.io import write_filled, write_template
from bulkops.kinds import kinds_for
from bulkops.planner import build_plan
from bulkops.platforms.iqm.kinds import DEALS, FILTER_LISTS, GEO_GPS, GEO_ZIP
from bulkops.platforms.iqm.kinds._campaigns import CAMPAIGNS, campaign_payload, parse_schedule
from bulkops.platforms.iqm.kinds._creatives import CREATIVES, creative_payload
from tests._media import gif, jpeg, mp4, png
from tests.kinds._reports import errors, values, warnings

CAMPAIGNS_SHEET, CREATIVES_SHEET, ZIP, GPS, DEALS_SHEET, FILTERS = (
    "Campaigns", "Creatives", "Geo ZIP", "Geo GPS", "Deals", "Filter Lists")
_MB, _KB = 1024 * 1024, 1024

Rows = Sequence[Mapping[str, object]]


def write_job(path: Path, sheets: Mapping[str, Rows]) -> Path:
    """A real IQM template filled in by kind name and API field, usable from module-scoped fixtures."""
    return write_filled(path, "iqm", sheets)


def validate(write_workbook: Callable[..., Path], **sheets: Rows) -> ValidationReport:
    named = {name.replace("_", "-"): rows for name, rows in sheets.items()}
    return validate_files([write_workbook(named, platform="iqm")], "iqm")


def on_row(found: list[tuple], row: int) -> list[tuple]:
    return [item for item in found if item[0] == row]


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, zone: str = "America/New_York") -> int:
    """Epoch seconds of a wall-clock time in a zone, computed with the standard library alone."""
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).timestamp())


def campaign(**overrides: object) -> dict[str, object]:
    """A valid IQM campaign row (by API field); an override of None leaves the cell blank."""
    row: dict[str, object] = {
        "ref": "c1", "campaignName": "Spring Sale", "advertiserDomain": "https://shop.example.com",
        "creativeType": "image", "creativeIds": "148971", "maxBid": 10, "budgetDay": 10, "budgetTotal": 100,
        "startTime": "2027-03-01 00:00", "endTime": "2027-03-31 23:59", "tz": "America/New_York", "timezone": 433,
        "ioId": 2695, "countryId": "30100001", "isAgreementChecked": True,
    }
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def numbered(rows: Rows) -> list[dict[str, object]]:
    """Campaign rows given Refs and names of their own (c3, c4, ...: their spreadsheet row after a valid row 2)."""
    return [{**row, "ref": f"c{n}", "campaignName": f"Campaign {n}"} for n, row in enumerate(rows, start=3)]


# --- Campaigns: a valid row and its payload --------------------------------------------------------------------

FULL = campaign(
    campaignType=1, bidOptimization=True, bidPacing="yes", totalBudgetPacing="FALSE", isTvAd=False,
    budgetTypeId=1, impressionCapping=0, maxDayImpressions=5000, conversionType="non-install",
    deviceType="13, 15\n11, 13", trafficType="11,12", exchanges="55, 61, 58", whiteListedStateIds=444,
    blackListedCityIds="700, 701", prebidAudienceSegmentIdList="101, 102",
    schedule="Mon-Fri 09:00-17:00; Sat 10:00-14:00", creativeAdvanceTargeting='{"1": [2, 3]}',
    campaignEstimatorMetaData='{"reachMeta": {}, "landScapeMeta": {}, "sliderMeta": {}}',
)
WORKDAY = [["09:00:00", "17:00:00"]]
SCHEDULE = {"0": WORKDAY, "1": WORKDAY, "2": WORKDAY, "3": WORKDAY, "4": WORKDAY, "5": [["10:00:00", "14:00:00"]]}
FULL_PAYLOAD = {
    "campaignName": "Spring Sale", "advertiserDomain": "https://shop.example.com", "creativeType": "image",
    "creativeIds": "148971", "campaignType": 1, "maxBid": 10.0, "budgetDay": 10.0, "budgetTotal": 100.0,
    "startTime": 1803877200, "endTime": at(2027, 3, 31, 23, 59), "timezone": 433, "ioId": 2695,
    "countryId": "30100001", "isAgreementChecked": True, "bidOptimization": True, "bidPacing": True,
    "totalBudgetPacing": False, "isTvAd": False, "budgetTypeId": 1, "impressionCapping": 0,
    "maxDayImpressions": 5000, "conversionType": "non-install", "deviceType": "13,15,11", "trafficType": "11,12",
    "exchanges": "55,61,58", "whiteListedStateIds": "444", "blackListedCityIds": "700,701",
    "prebidAudienceSegmentIdList": [101, 102], "schedule": SCHEDULE, "creativeAdvanceTargeting": {"1": [2, 3]},
    "campaignEstimatorMetaData": {"reachMeta": {}, "landScapeMeta": {}, "sliderMeta": {}},
    "isAdvanceAudioVideoTargeted": False,  # blank: the documented default
}


def test_the_reference_epoch_is_midnight_in_new_york():
    assert at(2027, 3, 1) == 1803877200
    assert dt.datetime.fromtimestamp(1803877200, dt.UTC) == dt.datetime(2027, 3, 1, 5, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def full_report(tmp_path_factory: pytest.TempPathFactory) -> ValidationReport:
    path = write_job(tmp_path_factory.mktemp("iqm-full") / "full.xlsx", {"campaigns": [FULL]})
    return validate_files([path], "iqm")


def test_a_full_campaign_row_is_valid_and_becomes_iqms_json(full_report):
    assert full_report.problems == []
    payload = campaign_payload(values(full_report, CAMPAIGNS_SHEET))
    assert payload == FULL_PAYLOAD
    # Ref, ID, Action and Time Zone Name steer the job; none of them is an API field.
    assert not {"ref", "id", "action", "tz"} & set(payload)


def test_the_plan_sends_the_same_payload(full_report):
    plan = build_plan(full_report.validated, skip_invalid=False)
    [operation] = plan.operations
    assert (operation.kind, operation.action) == (CAMPAIGNS, "create")
    assert operation.payload == FULL_PAYLOAD


# Rows of one workbook, each with its own start (and Time Zone Name), and the epoch seconds expected.
START_CASES = [
    ("2027-03-01 00:00", "America/New_York", 1803877200),
    ("2027-03-01", "America/New_York", 1803877200),  # a date alone is midnight
    (dt.datetime(2027, 3, 1, 0, 0), "America/New_York", 1803877200),  # an Excel date-time cell
    ("2027-07-01 00:00", "America/New_York", at(2027, 7, 1)),  # summer time: UTC-4
    ("2027-03-01 09:30", "Asia/Tokyo", at(2027, 3, 1, 9, 30, "Asia/Tokyo")),
    ("2027-03-01 00:00", "UTC", at(2027, 3, 1, zone="UTC")),
    # The cell's own offset or zone wins over Time Zone Name.
    ("2027-03-01T00:00-05:00", "Europe/London", 1803877200),
    ("2027-03-01 00:00 -0500", "Asia/Tokyo", 1803877200),
    ("2027-03-01 00:00 America/New_York", "Asia/Tokyo", 1803877200),
    ("2027-03-01T05:00Z", "Asia/Tokyo", 1803877200),
    ("2027-03-01 05:00 UTC", "Asia/Tokyo", 1803877200),
]


@pytest.fixture(scope="module")
def start_report(tmp_path_factory: pytest.TempPathFactory) -> ValidationReport:
    rows = [campaign()] + numbered([campaign(startTime=start, tz=zone, endTime=None)
                                    for start, zone, _ in START_CASES])
    return validate_files([write_job(tmp_path_factory.mktemp("iqm-start") / "start.xlsx", {"campaigns": rows})],
                          "iqm")


def test_every_start_time_case_is_valid(start_report):
    assert start_report.problems == []


@pytest.mark.parametrize("row,start,zone,expected", [(n, *case) for n, case in enumerate(START_CASES, start=3)])
def test_start_time_is_epoch_seconds_in_the_right_zone(start_report, row, start, zone, expected):
    assert values(start_report, CAMPAIGNS_SHEET, row)["tz"] == zone
    assert campaign_payload(values(start_report, CAMPAIGNS_SHEET, row))["startTime"] == expected


def test_end_time_is_read_in_the_time_zone_name_too(write_workbook):
    report = validate(write_workbook, campaigns=[campaign(tz="Europe/Berlin")])
    assert report.problems == []
    payload = campaign_payload(values(report, CAMPAIGNS_SHEET))
    assert payload["startTime"] == at(2027, 3, 1, zone="Europe/Berlin")
    assert payload["endTime"] == at(2027, 3, 31, 23, 59, "Europe/Berlin")
    assert "endTime" not in campaign_payload({**values(report, CAMPAIGNS_SHEET), "endTime": None})


def test_the_order_of_start_and_end_compares_moments_not_wall_clocks(write_workbook):
    # 06:00 at +01:00 is 05:00 UTC; 00:30 in New York is 05:30 UTC: the end is after the start.
    early = campaign(startTime="2027-03-01 06:00+01:00", endTime="2027-03-01 00:30")
    # 00:00 in New York is 05:00 UTC; 05:30 at +01:00 is 04:30 UTC: the end is before the start.
    late = campaign(ref="c2", campaignName="Two", startTime="2027-03-01 00:00", endTime="2027-03-01 05:30+01:00")
    report = validate(write_workbook, campaigns=[early, late])
    assert [(row, column, code) for row, column, code, _ in errors(report, CAMPAIGNS_SHEET)] == [
        (3, "End Time", "order")]


def test_id_lists_are_comma_separated_strings_without_repeats(write_workbook):
    report = validate(write_workbook, campaigns=[campaign(
        creativeIds="148971\n148972, 148971", os=7, osVersion="1, 2,3", whiteListedCustomAudienceIds="9 , 8",
        prebidAudienceSegmentIdList="101\n102, 7")])
    assert report.problems == []
    payload = campaign_payload(values(report, CAMPAIGNS_SHEET))
    assert payload["creativeIds"] == "148971,148972"
    assert payload["os"] == "7"  # typed as a number, still a string of IDs
    assert payload["osVersion"] == "1,2,3"
    assert payload["whiteListedCustomAudienceIds"] == "9,8"
    assert payload["prebidAudienceSegmentIdList"] == [101, 102, 7]
    assert all(type(segment) is int for segment in payload["prebidAudienceSegmentIdList"])


def test_install_campaigns_with_an_app_url_are_valid(write_workbook):
    report = validate(write_workbook, campaigns=[campaign(conversionType="install",
                                                          appURL="https://apps.apple.com/app/id123", targetCPI=2.5)])
    assert report.problems == []
    assert campaign_payload(values(report, CAMPAIGNS_SHEET))["appURL"] == "https://apps.apple.com/app/id123"


# --- Campaigns: each problem on its row and column -------------------------------------------------------------

CAMPAIGN_PROBLEMS = [
    ({"schedule": "Funday 09:00-17:00"}, "Schedule", "format", "cannot read 'Funday 09:00-17:00'"),
    ({"schedule": "Mon 17:00-09:00"}, "Schedule", "format", "the end is not after the start"),
    ({"schedule": "Mon 25:00-26:00"}, "Schedule", "format", "is not a time of day"),
    ({"tz": "Mars/Base"}, "Time Zone Name", "allowed", "'Mars/Base' is not a time zone name"),
    ({"tz": "new york"}, "Time Zone Name", "allowed", "'new york' is not a time zone name"),
    ({"isAgreementChecked": False}, "Agreement Checked", "allowed", "only with the agreement checked (TRUE)"),
    ({"isAgreementChecked": "no"}, "Agreement Checked", "allowed", "only with the agreement checked (TRUE)"),
    ({"isAgreementChecked": "maybe"}, "Agreement Checked", "type", "'maybe' is not one of TRUE/FALSE"),
    ({"endTime": "2027-02-01 00:00"}, "End Time", "order", "must be after Start Time"),
    ({"conversionType": "install"}, "App URL", "required", "App URL is required when Conversion Type is install"),
    ({"creativeAdvanceTargeting": "{not json"}, "Creative Advanced Targeting", "format", "is not a JSON object"),
    ({"creativeAdvanceTargeting": "[1, 2]"}, "Creative Advanced Targeting", "format", "is not a JSON object"),
    ({"campaignEstimatorMetaData": "reach: 1"}, "Estimator Metadata", "format", "is not a JSON object"),
    ({"deviceType": "13, x1"}, "Device Types", "format", "'x1' is not a whole-number ID"),
    ({"deviceType": "13, ١٥"}, "Device Types", "format", "'١٥' is not a whole-number ID"),  # Arabic-Indic digits
    ({"creativeIds": "148971, abc"}, "Creative IDs", "format", "'abc' is not a whole-number ID"),
    ({"whiteListedStateIds": "444, -5"}, "Allowed States", "format", "'-5' is not a whole-number ID"),
    ({"blackListedDmaIds": "501; 502"}, "Blocked DMAs", "format", "'501; 502' is not a whole-number ID"),
    ({"prebidAudienceSegmentIdList": "101, 1o2"}, "Prebid Audience Segments", "format", "'1o2'"),
    ({"countryId": "US"}, "Country ID", "format", "'US' is not a whole-number ID"),
    ({"creativeType": "banner"}, "Creative Type", "allowed", "'banner' not allowed"),
    ({"maxBid": 0}, "Max Bid", "range", "below the minimum of 0.01"),
    ({"startTime": "March 1st"}, "Start Time", "type", "is not a date and time"),
    ({"startTime": "2027-02-30 00:00"}, "Start Time", "type", "is not a real date and time"),
    ({"startTime": "2027-03-01 00:00 Mars/Base"}, "Start Time", "type", "'Mars/Base' is not a time zone"),
    ({"startTime": None}, "Start Time", "required", "Start Time is required"),
    ({"tz": None}, "Time Zone Name", "required", "Time Zone Name is required"),
]


@pytest.fixture(scope="module")
def problem_report(tmp_path_factory: pytest.TempPathFactory) -> ValidationReport:
    rows = [campaign()] + numbered([campaign(**overrides) for overrides, *_ in CAMPAIGN_PROBLEMS])
    path = write_job(tmp_path_factory.mktemp("iqm-problems") / "problems.xlsx", {"campaigns": rows})
    return validate_files([path], "iqm")


def test_the_valid_row_beside_the_bad_ones_has_no_problem(problem_report):
    assert [p for p in problem_report.problems if p.row == 2] == []
    assert {p.row for p in problem_report.errors} == set(range(3, 3 + len(CAMPAIGN_PROBLEMS)))


@pytest.mark.parametrize("row,overrides,column,code,fragment",
                         [(n, *case) for n, case in enumerate(CAMPAIGN_PROBLEMS, start=3)],
                         ids=[f"{case[1]}-{case[2]}-{n}" for n, case in enumerate(CAMPAIGN_PROBLEMS, start=3)])
def test_each_campaign_problem_is_on_its_row_and_column(problem_report, row, overrides, column, code, fragment):
    found = on_row(errors(problem_report, CAMPAIGNS_SHEET), row)
    assert [(r, col, c) for r, col, c, _ in found] == [(row, column, code)], found
    assert fragment in found[0][3]


def test_a_campaign_row_with_several_problems_reports_each(write_workbook):
    bad = campaign(schedule="Mon 9-5", tz="Nowhere/Land", isAgreementChecked=False, conversionType="install")
    report = validate(write_workbook, campaigns=[bad])
    assert sorted(column for _, column, _, _ in errors(report, CAMPAIGNS_SHEET)) == [
        "Agreement Checked", "App URL", "Schedule", "Time Zone Name"]


def test_a_new_campaign_needs_every_required_column(write_workbook):
    report = validate(write_workbook, campaigns=[{"campaignName": "Only a name and a bid", "maxBid": 5}])
    found = errors(report, CAMPAIGNS_SHEET)
    assert {code for _, _, code, _ in found} == {"required"}
    assert {column for _, column, _, _ in found} == {
        "Advertiser Domain", "Creative Type", "Daily Budget", "Total Budget", "Start Time", "Time Zone Name",
        "Time Zone ID", "Insertion Order ID", "Country ID", "Agreement Checked"}


def test_a_campaign_with_an_id_is_compared_so_it_needs_nothing_more(write_workbook):
    report = validate(write_workbook, campaigns=[{"id": 900, "campaignName": "Existing", "maxBid": 5}])
    assert report.problems == []
    assert list(report.validated[0].actions) == ["update"]


def test_blank_campaign_type_and_advanced_targeting_are_sent_as_documented_on_a_create_only(write_workbook):
    report = validate(write_workbook, campaigns=[
        campaign(), campaign(ref="c2", campaignName="Set", campaignType=2, isAdvanceAudioVideoTargeted=True),
        {"id": 900, "budgetDay": 75}])
    new, kept, existing = (op.payload for op in build_plan(report.validated, skip_invalid=False).operations)
    assert (new["campaignType"], new["isAdvanceAudioVideoTargeted"]) == (1, False)
    assert (kept["campaignType"], kept["isAdvanceAudioVideoTargeted"]) == (2, True)
    assert existing == {"budgetDay": 75.0}  # an update sends only its filled cells: no default changes a campaign


def test_an_update_row_needs_a_time_zone_name_only_for_a_time_without_its_own(write_workbook):
    report = validate(write_workbook, campaigns=[
        {"id": 900, "startTime": "2027-03-01 00:00"},
        {"id": 901, "startTime": "2027-03-01T00:00-05:00"},
        {"id": 902, "endTime": "2027-03-31 23:59", "tz": "America/New_York"}])
    assert [(r, col, code) for r, col, code, _ in errors(report, CAMPAIGNS_SHEET)] == [
        (2, "Time Zone Name", "required")]
    assert "to read Start Time" in errors(report, CAMPAIGNS_SHEET)[0][3]
    plan = build_plan(report.validated, skip_invalid=True)
    assert [op.payload for op in plan.operations] == [{"startTime": at(2027, 3, 1, 0, 0, "EST")},
                                                      {"endTime": at(2027, 3, 31, 23, 59)}]


def test_delete_is_refused_because_iqm_has_no_delete(write_workbook):
    report = validate(write_workbook, campaigns=[campaign(), campaign(ref="c2", id=900, action="delete"),
                                                 campaign(ref="c3", action="delete")])
    refused = (None, "Action", "allowed", "'delete' not allowed; allowed: create, update, skip")
    found = errors(report, CAMPAIGNS_SHEET)
    assert on_row(found, 2) == []
    assert (3, *refused[1:]) in found
    assert (4, *refused[1:]) in found


def test_delete_is_not_offered_on_iqm_sheets():
    for kind in (CAMPAIGNS, CREATIVES):
        assert "delete" not in kind.column("action").choices
        assert {"create", "update", "skip"} <= set(kind.column("action").choices)


def test_a_skipped_row_is_not_checked(write_workbook):
    report = validate(write_workbook, campaigns=[campaign(action="skip", tz="Mars/Base", schedule="nonsense")])
    assert report.problems == []


# --- parse_schedule --------------------------------------------------------------------------------------------

def test_schedule_of_the_template_example():
    assert parse_schedule("Mon-Fri 09:00-17:00; Sat 10:00-14:00") == SCHEDULE


def test_a_day_range_may_wrap_around_the_week():
    hours = [["10:00:00", "14:00:00"]]
    assert parse_schedule("Sat-Mon 10:00-14:00") == {"0": hours, "5": hours, "6": hours}
    assert parse_schedule("Sun-Tue 10:00-14:00") == {"0": hours, "1": hours, "6": hours}


def test_a_wrap_from_tuesday_to_monday_is_the_whole_week():
    assert sorted(parse_schedule("Tue-Mon 08:00-09:00")) == ["0", "1", "2", "3", "4", "5", "6"]


def test_a_day_may_have_several_spans_and_days_are_case_insensitive():
    schedule = parse_schedule("mon 09:00-12:00\nMON 13:00-17:30;;  SUN 0:00-24:00 ;")
    assert schedule == {"0": [["09:00:00", "12:00:00"], ["13:00:00", "17:30:00"]], "6": [["00:00:00", "24:00:00"]]}
    assert list(schedule) == ["0", "6"]  # keys in day order


def test_single_digit_hours_are_padded():
    assert parse_schedule("Wed 9:05-9:06") == {"2": [["09:05:00", "09:06:00"]]}


@pytest.mark.parametrize("text,fragment", [
    ("Mon 10:00-10:00", "the end is not after the start"),
    ("Mon 12:00-09:00", "the end is not after the start"),
    ("Fun 09:00-10:00", "cannot read 'Fun 09:00-10:00'"),
    ("Mon-Fun 09:00-10:00", "cannot read"),
    ("Monday 09:00-10:00", "cannot read"),
    ("Mon 9-17", "cannot read"),
    ("Mon", "cannot read"),
    ("Mon 09:00-10:00; Tue", "cannot read 'Tue'"),
    ("Mon 25:00-26:00", "'25:00' in 'Mon 25:00-26:00' is not a time of day"),
    ("Mon 09:60-10:00", "'09:60'"),
    ("Mon 09:00-24:30", "'24:30'"),
])
def test_schedules_that_cannot_be_read(text, fragment):
    with pytest.raises(ValueError) as raised:
        parse_schedule(text)
    assert fragment in str(raised.value)


# --- Creatives -------------------------------------------------------------------------------------------------

def padded(data: bytes, size: int) -> bytes:
    """The file's bytes followed by zeros up to `size` bytes (its header still says what it is)."""
    assert len(data) <= size
    return data + bytes(size - len(data))


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files beside the workbooks of this module's creatives tests (written into the folder above)."""
    folder = tmp_path_factory.mktemp("iqm-creatives") / "media"
    folder.mkdir()
    files = {
        "300x250.png": png(300, 250), "728x90.gif": gif(728, 90), "320x50.jpg": jpeg(320, 50),
        "clip.mp4": mp4(640, 360, 15), "song.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(200),
        "notes.mp3": b"just some text, not audio", "image.bmp": b"BM" + bytes(100),
        "png-inside.mp4": png(300, 250), "png-inside.gif": png(300, 250),
        "big.png": padded(png(300, 250), 2 * _MB + 1), "edge.png": padded(png(300, 250), 2 * _MB),
        "big.jpg": padded(jpeg(320, 50), 2 * _MB + 10), "big.gif": padded(gif(728, 90), 750 * _KB + 1),
        "edge.gif": padded(gif(728, 90), 750 * _KB),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def check_creatives(media: Path, request: pytest.FixtureRequest) -> Callable[..., ValidationReport]:
    """Validate Creatives rows (and other sheets) in a workbook beside `media`."""

    def check(rows: Rows, **sheets: Rows) -> ValidationReport:
        name = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name)[:120] + ".xlsx"
        return validate_files([write_job(media.parent / name, {**sheets, "creatives": rows})], "iqm")

    return check


def creative(format_name: str = "image", **overrides: object) -> dict[str, object]:
    """A valid creative row of a format, assigned to campaign 123 (an existing one, by ID)."""
    row: dict[str, object] = {"creativeName": "Spring 300x250", "format": format_name, "campaigns": "123"}
    row.update({
        "image": {"file": "media/300x250.png", "clickUrl": "https://shop.example.com/spring"},
        "video": {"file": "media/clip.mp4"},
        "audio": {"file": "media/song.mp3"},
        "html": {"tag": '<div><a href="https://shop.example.com">Shop</a></div>', "width": 300, "height": 250},
        "vast": {"tag": '<VAST version="4.0"><Ad id="1"></Ad></VAST>'},
        "daast": {"tag": '<DAAST version="1.0"><Ad id="1"></Ad></DAAST>'},
    }.get(format_name, {}))
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def test_a_complete_creative_of_each_format_has_no_problems(check_creatives):
    formats = ["image", "video", "audio", "html", "vast", "daast"]
    report = check_creatives([creative(name, creativeName=name) for name in formats])
    assert report.problems == []
    assert [values(report, CREATIVES_SHEET, row)["format"] for row in range(2, 8)] == formats


def test_an_image_payload_has_the_resolved_file_and_the_size_read_from_it(check_creatives, media):
    report = check_creatives([creative()])
    assert report.problems == []
    assert creative_payload(values(report, CREATIVES_SHEET)) == {
        "format": "image", "creativeName": "Spring 300x250", "file": str((media / "300x250.png").resolve()),
        "clickUrl": "https://shop.example.com/spring", "width": 300, "height": 250}


def test_gif_and_jpeg_sizes_are_read_too(check_creatives):
    report = check_creatives([creative(file="media/728x90.gif"), creative(file="media/320x50.jpg")])
    assert report.problems == []
    assert [(values(report, CREATIVES_SHEET, row)["width"], values(report, CREATIVES_SHEET, row)["height"])
            for row in (2, 3)] == [(728, 90), (320, 50)]


def test_an_image_needs_a_file_and_a_click_url(check_creatives):
    report = check_creatives([creative(), creative(file=None, clickUrl=None)])
    assert errors(report, CREATIVES_SHEET) == [
        (3, "Click URL", "required", "Click URL is required for image creatives"),
        (3, "File", "required", "File is required for image creatives"),
    ]


def test_a_typed_width_that_differs_from_the_image_is_reported_and_height_is_filled(check_creatives):
    report = check_creatives([creative(width=320)])
    assert errors(report, CREATIVES_SHEET) == [(2, "Width", "size", "Width is 320 but 300x250.png is 300x250 pixels")]
    assert values(report, CREATIVES_SHEET)["height"] == 250


def test_a_typed_size_that_matches_the_image_is_fine(check_creatives):
    report = check_creatives([creative(width=300, height=250)])
    assert report.problems == []


# Rows of one workbook: (format, File cell, code, what the message says). None: accepted.
FILE_CASES = [
    ("image", "media/edge.png", None),  # exactly 2 MB
    ("image", "media/edge.gif", None),  # exactly 750 KB
    ("image", "media/big.png", "big.png is 2,097,153 bytes; IQM takes at most 2 MB for PNG files"),
    ("image", "media/big.jpg", "IQM takes at most 2 MB for JPG files"),
    ("image", "media/big.gif", "big.gif is 768,001 bytes; IQM takes at most 750 KB for GIF files"),
    ("image", "media/image.bmp", "image.bmp is not an image file IQM takes (expected .gif, .jpeg, .jpg, .png)"),
    ("image", "media/png-inside.mp4", "png-inside.mp4 is not an image file IQM takes"),
    ("image", "media/clip.mp4", "clip.mp4 is not an image file IQM takes"),
    ("image", "media/png-inside.gif", "png-inside.gif does not contain what its extension says"),
    ("video", "media/png-inside.mp4", "png-inside.mp4 does not contain what its extension says"),
    ("video", "media/300x250.png", "(expected .mov, .mp4)"),
    ("audio", "media/notes.mp3", "notes.mp3 does not contain what its extension says"),
    ("image", "media/missing.png", "no file at 'media/missing.png' (paths are relative to the workbook)"),
]


@pytest.fixture(scope="module")
def file_report(media: Path) -> ValidationReport:
    rows = [creative(format_name, file=file, creativeName=f"creative {n}")
            for n, (format_name, file, _) in enumerate(FILE_CASES)]
    return validate_files([write_job(media.parent / "files.xlsx", {"creatives": rows})], "iqm")


@pytest.mark.parametrize("row,format_name,file,fragment", [(n, *case) for n, case in enumerate(FILE_CASES, start=2)],
                         ids=[case[1].removeprefix("media/") + f"-as-{case[0]}" for case in FILE_CASES])
def test_files_are_checked_against_iqms_formats_and_limits(file_report, row, format_name, file, fragment):
    found = on_row(errors(file_report, CREATIVES_SHEET), row)
    if fragment is None:
        assert found == []
        return
    # Refused once, on File: not again as a missing required File.
    assert [(r, column, code) for r, column, code, _ in found] == [(row, "File", "file")], found
    assert fragment in found[0][3]


def test_html_needs_a_tag_a_width_and_a_height(check_creatives):
    report = check_creatives([creative("html", tag=None, width=None, height=None)])
    assert errors(report, CREATIVES_SHEET) == [
        (2, "Height", "required", "Height is required for html creatives"),
        (2, "Tag", "required", "Tag is required for html creatives"),
        (2, "Width", "required", "Width is required for html creatives"),
    ]


def test_an_html_tag_must_be_markup(check_creatives):
    report = check_creatives([creative("html", tag="https://ads.example.com/tag.js")])
    assert errors(report, CREATIVES_SHEET) == [(2, "Tag", "format", "an html creative's Tag must be HTML markup")]


def test_an_html_payload_carries_the_tag_and_size(check_creatives):
    report = check_creatives([creative("html", clickUrl="https://shop.example.com")])
    assert report.problems == []
    assert creative_payload(values(report, CREATIVES_SHEET)) == {
        "format": "html", "creativeName": "Spring 300x250",
        "tag": '<div><a href="https://shop.example.com">Shop</a></div>', "clickUrl": "https://shop.example.com",
        "width": 300, "height": 250}


# Rows of one workbook: (format, Tag cell, accepted?)
TAG_CASES = [
    ("vast", '<VAST version="4.0"></VAST>', True),
    ("vast", '<?xml version="1.0" encoding="UTF-8"?>\n<VAST version="3.0"><Ad/></VAST>', True),
    ("vast", '  <!-- made by hand -->\n<vast version="2.0"></vast>', True),
    ("vast", '<?xml version="1.0"?><!-- a --><!-- b --><VAST version="4.2"/>', True),
    ("daast", '<?xml version="1.0"?>\n<DAAST version="1.0"></DAAST>', True),
    ("vast", '<DAAST version="1.0"></DAAST>', False),
    ("vast", '<?xml version="1.0"?><DAAST version="1.0"></DAAST>', False),
    ("vast", "https://vast.example.com/vast.xml", False),
    ("vast", "<VASTing/>", False),
    ("vast", "<html><body>not xml</body></html>", False),
    ("daast", '<VAST version="4.0"></VAST>', False),
]


@pytest.fixture(scope="module")
def tag_report(media: Path) -> ValidationReport:
    rows = [creative(format_name, tag=tag, creativeName=f"tag {n}")
            for n, (format_name, tag, _) in enumerate(TAG_CASES)]
    return validate_files([write_job(media.parent / "tags.xlsx", {"creatives": rows})], "iqm")


@pytest.mark.parametrize("row,format_name,tag,accepted", [(n, *case) for n, case in enumerate(TAG_CASES, start=2)])
def test_a_vast_or_daast_tag_must_be_a_document_of_its_format(tag_report, row, format_name, tag, accepted):
    found = on_row(errors(tag_report, CREATIVES_SHEET), row)
    upper = format_name.upper()
    expected = [] if accepted else [
        (row, "Tag", "format", f"a {format_name} creative's Tag must be a {upper} XML document (<{upper} ...>)")]
    assert found == expected


def test_vast_and_daast_need_a_tag(check_creatives):
    report = check_creatives([creative("vast", tag=None), creative("daast", tag=None)])
    assert errors(report, CREATIVES_SHEET) == [(2, "Tag", "required", "Tag is required for vast creatives"),
                                               (3, "Tag", "required", "Tag is required for daast creatives")]


def test_a_file_on_a_vast_row_is_a_warning_not_an_error(check_creatives):
    report = check_creatives([creative("vast", file="media/clip.mp4")])
    assert report.errors == []
    assert warnings(report, CREATIVES_SHEET) == [
        (2, "File", "ignored", "File is not used by vast creatives and will not be sent")]


def test_a_tag_on_an_image_row_is_a_warning_not_an_error(check_creatives):
    report = check_creatives([creative(tag="<div>unused</div>")])
    assert report.errors == []
    assert warnings(report, CREATIVES_SHEET) == [
        (2, "Tag", "ignored", "Tag is not used by image creatives and will not be sent")]


def test_a_creative_with_an_id_needs_nothing_else(check_creatives):
    formats = ["image", "video", "html", "vast"]
    report = check_creatives([{"id": 777 + n, "format": name, "campaigns": "123"} for n, name in enumerate(formats)])
    assert report.problems == []
    assert list(report.validated[0].actions) == ["update"] * len(formats)


def test_a_creative_with_an_id_alone_plans_without_its_create_time_cells(check_creatives):
    report = check_creatives([{"id": 777, "campaigns": "123"}])
    assert report.problems == []
    [operation] = build_plan(report.validated, skip_invalid=False).operations
    assert (operation.action, operation.payload) == ("update", {})


@pytest.mark.parametrize("format_name", ["video", "audio", "html", "vast", "daast"])
def test_a_pixel_url_is_refused_on_a_creative_that_is_not_an_image(check_creatives, format_name):
    report = check_creatives([creative(format_name, pixelUrl="https://px.example.com/p.gif"),
                              creative(pixelUrl="https://px.example.com/p.gif")])
    assert errors(report, CREATIVES_SHEET) == [
        (2, "Pixel URL", "allowed", f"IQM keeps a Pixel URL for image creatives only, not for {format_name} creatives")]


def test_an_audio_creatives_size_is_a_warning_and_not_sent(check_creatives):
    report = check_creatives([creative("audio", width=300, height=250)])
    assert report.errors == []
    assert sorted(warnings(report, CREATIVES_SHEET)) == [
        (2, "Height", "ignored", "Height is not used by audio creatives and will not be sent"),
        (2, "Width", "ignored", "Width is not used by audio creatives and will not be sent")]
    assert set(creative_payload(values(report, CREATIVES_SHEET))) == {"format", "creativeName", "file"}


def test_a_creative_row_may_name_a_campaign_row_of_the_job(check_creatives):
    report = check_creatives([creative(campaigns="c1")], campaigns=[campaign()])
    assert report.problems == []
    assert values(report, CREATIVES_SHEET)["campaigns"] == ["c1"]


def test_a_creative_naming_an_unknown_campaign_ref_is_refused(check_creatives):
    report = check_creatives([creative(campaigns="c9")], campaigns=[campaign()])
    [(row, column, code, message)] = errors(report, CREATIVES_SHEET)
    assert (row, column, code) == (2, "Campaigns", "reference")
    assert "'c9' is neither the Ref of a campaigns row" in message


def test_delete_is_refused_for_creatives(check_creatives):
    report = check_creatives([{"id": 777, "action": "delete"}])
    assert errors(report, CREATIVES_SHEET) == [
        (2, "Action", "allowed", "'delete' not allowed; allowed: create, update, skip")]


# --- Geo ZIP ---------------------------------------------------------------------------------------------------

def test_a_zip_typed_as_text_is_kept_and_an_excluded_one_is_blocked(write_workbook):
    report = validate(write_workbook, geo_zip=[{"campaign": "123", "zip": "02134"},
                                               {"campaign": "123", "zip": "02135", "include": "exclude"}])
    assert report.problems == []
    assert GEO_ZIP.payload(values(report, ZIP, 2)) == {"field": "whiteListedZipcodes", "value": "02134"}
    assert GEO_ZIP.payload(values(report, ZIP, 3)) == {"field": "blackListedZipcodes", "value": "02135"}


def test_a_zip_typed_as_a_number_gets_its_zero_back_with_a_warning(write_workbook):
    report = validate(write_workbook, geo_zip=[{"campaign": "123", "zip": 2134}, {"campaign": "123", "zip": 10001}])
    assert report.errors == []
    assert warnings(report, ZIP) == [
        (2, "ZIP", "zip", "2134 lost its leading zero in a number cell; sent as 02134")]
    assert GEO_ZIP.payload(values(report, ZIP, 2)) == {"field": "whiteListedZipcodes", "value": "02134"}
    assert values(report, ZIP, 3)["zip"] == "10001"  # five digits as a number: nothing lost, no warning


@pytest.mark.parametrize("typed,code,fragment", [
    ("0213", "zip", "'0213' is not a US ZIP code, which is five digits"),  # a number never starts with 0
    ("021345", "zip", "'021345' is not a US ZIP code, which is five digits"),
    ("0213A", "zip", "'0213A' is not a US ZIP code, which is five digits"),
    (123456, "zip", "123456 is not a US ZIP code, which is five digits (such as 02134) or ZIP+4 (02134-1234)"),
    (2134.5, "zip", "2134.5 was typed as a number"),
])
def test_zips_that_are_not_five_digits_are_refused(write_workbook, typed, code, fragment):
    report = validate(write_workbook, geo_zip=[{"campaign": "123", "zip": "02134"}, {"campaign": "123", "zip": typed}])
    found = errors(report, ZIP)
    assert [(row, column, c) for row, column, c, _ in found] == [(3, "ZIP", code)], found
    assert fragment in found[0][3]


def test_a_repeated_zip_is_a_warning(write_workbook):
    report = validate(write_workbook, geo_zip=[{"campaign": "123", "zip": "02134"}, {"campaign": "123", "zip": 2134}])
    assert report.errors == []
    assert (3, "ZIP", "duplicate", "the same item as row 2; sent once") in warnings(report, ZIP)


def test_a_zip_for_an_unknown_campaign_ref_is_refused(write_workbook):
    report = validate(write_workbook, campaigns=[campaign()], geo_zip=[{"campaign": "c-one", "zip": "02134"}])
    [(row, column, code, message)] = errors(report, ZIP)
    assert (row, column, code) == (2, "Campaign", "reference")
    assert "'c-one'" in message


# --- Geo GPS ---------------------------------------------------------------------------------------------------

def circle(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {"campaign": "123", "latitude": 42.3539, "longitude": -71.1337, "radius": 1.5}
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def test_a_circle_becomes_iqms_geo_radius_details(write_workbook):
    report = validate(write_workbook, geo_gps=[circle(address="1 Main St", stateId=444, countryId="30100001"),
                                               circle(latitude=40.0, include="exclude")])
    assert report.problems == []
    assert GEO_GPS.payload(values(report, GPS, 2)) == {"field": "whiteListedGeoRadiusDetails", "value": {
        "unit": "mile", "address": "1 Main St", "latitude": 42.3539, "longitude": -71.1337, "radius": 1.5,
        "type": "circle", "sid": "444", "cid": "30100001"}}
    assert GEO_GPS.payload(values(report, GPS, 3)) == {"field": "blackListedGeoRadiusDetails", "value": {
        "unit": "mile", "address": "", "latitude": 40.0, "longitude": -71.1337, "radius": 1.5, "type": "circle"}}


GPS_CASES = [
    ({"latitude": 91}, "Latitude", "range", "91 is above the maximum of 90"),
    ({"latitude": -90.5}, "Latitude", "range", "-90.5 is below the minimum of -90"),
    ({"longitude": 181}, "Longitude", "range", "181 is above the maximum of 180"),
    ({"radius": 0}, "Radius (miles)", "range", "0 is below the minimum of 0.01"),
    ({"radius": 501}, "Radius (miles)", "range", "501 is above the maximum of 500"),
    ({"latitude": None}, "Latitude", "required", "Latitude is required"),
    ({"stateId": "MA"}, "State ID", "format", "'MA' is not a whole-number ID"),
]


@pytest.fixture(scope="module")
def gps_report(tmp_path_factory: pytest.TempPathFactory) -> ValidationReport:
    rows = [circle()] + [circle(**overrides, address=f"circle {n}") for n, (overrides, *_) in enumerate(GPS_CASES)]
    return validate_files([write_job(tmp_path_factory.mktemp("iqm-gps") / "gps.xlsx", {"geo-gps": rows})], "iqm")


@pytest.mark.parametrize("row,overrides,column,code,message", [(n, *case) for n, case in enumerate(GPS_CASES, start=3)])
def test_bad_circles_are_refused_on_their_row(gps_report, row, overrides, column, code, message):
    assert on_row(errors(gps_report, GPS), row) == [(row, column, code, message)]


def test_the_valid_circle_beside_the_bad_ones_has_no_problem(gps_report):
    assert [p for p in gps_report.problems if p.row == 2] == []


# --- Deals -----------------------------------------------------------------------------------------------------

def test_a_deal_is_a_user_deal_unless_it_says_group(write_workbook):
    report = validate(write_workbook, deals=[{"campaign": "123", "dealId": 5012},
                                             {"campaign": "123", "dealId": "5013", "dealKind": "group"}])
    assert report.problems == []
    assert DEALS.payload(values(report, DEALS_SHEET, 2)) == {"field": "userDealId", "value": "5012"}
    assert DEALS.payload(values(report, DEALS_SHEET, 3)) == {"field": "groupDealId", "value": "5013"}


def test_a_non_digit_deal_id_is_refused(write_workbook):
    bad = ["D-5012", "5012a", "50 12", "-5", "٥٠١٢"]  # the last: Arabic-Indic digits
    report = validate(write_workbook, deals=[{"campaign": "123", "dealId": "5012"}]
                      + [{"campaign": "123", "dealId": deal_id} for deal_id in bad])
    assert errors(report, DEALS_SHEET) == [(row, "Deal ID", "format", f"{deal_id!r} is not a whole-number deal ID")
                                           for row, deal_id in enumerate(bad, start=3)]


def test_an_unknown_deal_kind_is_refused(write_workbook):
    report = validate(write_workbook, deals=[{"campaign": "123", "dealId": "5012", "dealKind": "private"}])
    [(row, column, code, _)] = errors(report, DEALS_SHEET)
    assert (row, column, code) == (2, "Deal Kind", "allowed")


# --- Filter Lists ----------------------------------------------------------------------------------------------

# type → (campaign field noun, a valid value, an invalid value, the code and message fragment it gets)
FILTER_CASES = {
    "ip": ("Ip", "10.0.0.1", "10.0.0.256", "format", "'10.0.0.256' is not an IPv4 address"),
    "domain": ("SiteDomain", "news.example.com", "not a domain", "format",
               "'not a domain' is not a site domain such as news.example.com"),
    "app": ("AppId", "389801252", "com.example.app", "format",
            "'com.example.app' is not an iOS app ID (digits, e.g. 389801252)"),
    "package": ("PackageName", "com.example.app", "example", "format",
                "'example' is not an Android package name such as com.example.app"),
    "device": ("DeviceId", "6D92078A-8246-4BA4-AE5B-76104861E7DC", "   ", "required", "Value is required"),
    "inventory-group": ("InventoryGroupIds", "42", "4x2", "format", "'4x2' is not an inventory group ID (digits)"),
}
OTHER_GOOD = [("domain", "https://news.example.com/sports"), ("app", "id389801252"),
              ("package", "com.example_co.app2"), ("ip", "192.168.1.255")]
OTHER_BAD = [("ip", "::1"), ("ip", "10.0.0"), ("domain", "-bad.example.com"), ("domain", "localhost"), ("app", "id"),
             ("package", "1com.example"), ("inventory-group", "4²"), ("app", "٣٨٩")]


def _filter_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for type_name, (_, good, bad, _, _) in FILTER_CASES.items():
        rows += [{"campaign": "123", "type": type_name, "value": good},
                 {"campaign": "123", "type": type_name, "value": good, "include": "exclude"},
                 {"campaign": "123", "type": type_name, "value": bad}]
    rows += [{"campaign": "123", "type": t, "value": v} for t, v in OTHER_GOOD + OTHER_BAD]
    return rows


FILTER_ROWS = _filter_rows()


def filter_row(type_name: str, value: str, include: str | None = None) -> int:
    """The spreadsheet row of a case in the shared Filter Lists workbook."""
    for n, row in enumerate(FILTER_ROWS, start=2):
        if (row["type"], row["value"], row.get("include")) == (type_name, value, include):
            return n
    raise LookupError((type_name, value, include))


@pytest.fixture(scope="module")
def filter_report(tmp_path_factory: pytest.TempPathFactory) -> ValidationReport:
    path = write_job(tmp_path_factory.mktemp("iqm-filters") / "filters.xlsx", {"filter-lists": FILTER_ROWS})
    return validate_files([path], "iqm")


def test_the_shared_filter_workbook_has_no_duplicates(filter_report):
    assert [p for p in filter_report.problems if not p.is_error] == []


@pytest.mark.parametrize("type_name", list(FILTER_CASES))
def test_a_valid_filter_value_of_each_type_is_an_item_of_the_campaign(filter_report, type_name):
    noun, good, *_ = FILTER_CASES[type_name]
    allowed, blocked = filter_row(type_name, good), filter_row(type_name, good, "exclude")
    assert on_row(errors(filter_report, FILTERS), allowed) == on_row(errors(filter_report, FILTERS), blocked) == []
    assert FILTER_LISTS.payload(values(filter_report, FILTERS, allowed)) == {"field": f"whiteListed{noun}",
                                                                             "value": good}
    assert FILTER_LISTS.payload(values(filter_report, FILTERS, blocked)) == {"field": f"blackListed{noun}",
                                                                             "value": good}


@pytest.mark.parametrize("type_name", list(FILTER_CASES))
def test_an_invalid_filter_value_of_each_type_is_refused(filter_report, type_name):
    _, _, bad, code, fragment = FILTER_CASES[type_name]
    row = filter_row(type_name, bad)
    found = on_row(errors(filter_report, FILTERS), row)
    assert [(r, column, c) for r, column, c, _ in found] == [(row, "Value", code)], found
    assert fragment in found[0][3]


@pytest.mark.parametrize("type_name,value", OTHER_GOOD)
def test_other_accepted_filter_value_spellings(filter_report, type_name, value):
    assert on_row(errors(filter_report, FILTERS), filter_row(type_name, value)) == []


@pytest.mark.parametrize("type_name,value", OTHER_BAD)
def test_other_refused_filter_values(filter_report, type_name, value):
    row = filter_row(type_name, value)
    assert [(r, column, code) for r, column, code, _ in on_row(errors(filter_report, FILTERS), row)] == [
        (row, "Value", "format")]


def test_an_unknown_filter_type_is_refused(write_workbook):
    report = validate(write_workbook, filter_lists=[{"campaign": "123", "type": "url", "value": "x.example"}])
    [(row, column, code, message)] = errors(report, FILTERS)
    assert (row, column, code) == (2, "Type", "allowed")
    assert "ip, domain, app, package, device, inventory-group" in message


def test_a_repeated_filter_value_is_a_warning(write_workbook):
    rows = [{"campaign": "123", "type": "domain", "value": "news.example.com"},
            {"campaign": "123", "type": "domain", "value": "other.example.com"},
            {"campaign": "123", "type": "domain", "value": "news.example.com"}]
    report = validate(write_workbook, filter_lists=rows)
    assert report.errors == []
    assert warnings(report, FILTERS) == [(4, "Type", "duplicate", "the same item as row 2; sent once")]


def test_the_same_value_for_another_campaign_or_in_the_block_list_is_not_a_duplicate(write_workbook):
    rows = [{"campaign": "123", "type": "ip", "value": "10.0.0.1"},
            {"campaign": "124", "type": "ip", "value": "10.0.0.1"},
            {"campaign": "123", "type": "ip", "value": "10.0.0.1", "include": "exclude"}]
    report = validate(write_workbook, filter_lists=rows)
    assert report.problems == []


# --- the template ----------------------------------------------------------------------------------------------

def test_the_iqm_template_has_one_sheet_per_kind_and_no_filter_list_items(tmp_path):
    path = write_template(kinds_for("iqm"), tmp_path / "iqm.xlsx")
    book = openpyxl.load_workbook(path)
    kind_sheets = ["Campaigns", "Creatives", "Geo ZIP", "Geo GPS", "Deals", "Filter Lists"]
    assert [name for name in book.sheetnames if name in kind_sheets] == kind_sheets
    assert "Filter List Items" not in book.sheetnames
    assert [kind.sheet for kind in kinds_for("iqm")] == kind_sheets
    for kind in kinds_for("iqm"):
        header = [cell.value for cell in book[kind.sheet][1]][:len(kind.columns)]
        assert header == [column.label for column in kind.columns], kind.sheet


def test_a_superscript_digit_as_campaign_is_a_reference_error_not_an_id(write_workbook):
    # "²".isdigit() is true but int("²") raises: the reference must be refused, not crash validation.
    report = validate(write_workbook, deals=[{"campaign": "²", "dealId": "5012"}])
    [(row, column, code, _)] = errors(report, DEALS_SHEET)
    assert (row, column, code) == (2, "Campaign", "reference")


# --- regressions: rules that once misjudged these rows ---------------------------------------------------------
#
# pandas 3 gives the rows of `DataFrame.iterrows()` the `str` dtype when every filled cell is text, and then a blank
# (None) comes out as NaN; the rows below have only text cells, so a rule reading them that way misjudges them.


def test_a_campaign_row_of_text_cells_only_gets_required_errors_not_a_crash(write_workbook):
    report = validate(write_workbook, campaigns=[{"campaignName": "Only", "advertiserDomain": "https://x.example"}])
    found = errors(report, CAMPAIGNS_SHEET)
    assert {code for _, _, code, _ in found} == {"required"}
    assert {"Start Time", "Time Zone Name", "Agreement Checked"} <= {column for _, column, _, _ in found}


def test_a_vast_row_of_text_cells_only_is_still_checked(write_workbook):
    report = validate(write_workbook, creatives=[{"creativeName": "x", "format": "vast", "tag": "<DAAST/>"}])
    assert [(column, code) for _, column, code, _ in errors(report, CREATIVES_SHEET)] == [("Tag", "format")]


def test_an_image_row_of_text_cells_only_needs_file_and_click_url(write_workbook):
    report = validate(write_workbook, creatives=[{"creativeName": "x", "format": "image"}])
    assert {column for _, column, _, _ in errors(report, CREATIVES_SHEET)} == {"File", "Click URL"}


def test_a_blank_ip_value_is_reported_once_as_required(write_workbook):
    report = validate(write_workbook, filter_lists=[{"campaign": "123", "type": "ip"}])
    assert errors(report, FILTERS) == [(2, "Value", "required", "Value is required")]


def test_a_repeated_deal_is_a_warning(write_workbook):
    # SmartyAds' deals must agree on bidPrice, a column IQM's Deals sheet does not have.
    report = validate(write_workbook, deals=[{"campaign": "123", "dealId": "5012"}] * 2)
    assert report.errors == []
    assert warnings(report, DEALS_SHEET) == [(3, "Deal ID", "duplicate", "the same item as row 2; sent once")]


def test_an_end_time_equal_to_the_start_time_is_refused(write_workbook):
    report = validate(write_workbook, campaigns=[campaign(endTime="2027-03-01 00:00")])
    assert [(column, code) for _, column, code, _ in errors(report, CAMPAIGNS_SHEET)] == [("End Time", "order")]


def test_a_zip_both_allowed_and_blocked_is_not_a_duplicate_sent_once(write_workbook):
    report = validate(write_workbook, geo_zip=[{"campaign": "123", "zip": "02134"},
                                               {"campaign": "123", "zip": "02134", "include": "exclude"}])
    assert [GEO_ZIP.payload(values(report, ZIP, row))["field"] for row in (2, 3)] == [
        "whiteListedZipcodes", "blackListedZipcodes"]
    assert [w for w in warnings(report, ZIP) if "sent once" in w[3]] == []


# --- edge cases found in review -----------------------------------------------------------------------

def test_a_circle_both_allowed_and_blocked_is_not_a_duplicate_sent_once(write_workbook):
    report = validate(write_workbook, geo_gps=[circle(), circle(include="exclude")])
    assert [GEO_GPS.payload(values(report, GPS, row))["field"] for row in (2, 3)] == [
        "whiteListedGeoRadiusDetails", "blackListedGeoRadiusDetails"]
    assert [w for w in warnings(report, GPS) if "sent once" in w[3]] == []


def test_two_refused_zips_are_not_duplicates_of_each_other(write_workbook):
    report = validate(write_workbook, geo_zip=[{"campaign": "123", "zip": 123456}, {"campaign": "123", "zip": 2134.5}])
    assert [row for row, *_ in errors(report, ZIP)] == [2, 3]
    assert warnings(report, ZIP) == []


def test_the_order_message_quotes_the_times_not_epoch_seconds(write_workbook):
    report = validate(write_workbook, campaigns=[campaign(endTime="2027-02-01 00:00")])
    [(_, column, code, message)] = errors(report, CAMPAIGNS_SHEET)
    assert (column, code) == ("End Time", "order")
    assert str(at(2027, 2, 1)) not in message


def test_the_wrong_extension_message_is_grammatical(file_report):
    row = 2 + FILE_CASES.index(("video", "media/300x250.png", "(expected .mov, .mp4)"))
    [(_, _, _, message)] = on_row(errors(file_report, CREATIVES_SHEET), row)
    assert "not a video file" in message


# -- which checks are bulkops's own ----------------------------------------------------------------

def test_every_iqm_check_that_the_documents_do_not_give_is_marked_own():
    marked = {(k.name, c.field): c.own for k in kinds_for("iqm") for c in k.columns if c.own}
    # The documents' rules stay strict: types, required fields, conversionType's values, IDs as numbers.
    for documented in [("campaigns", "creativeType"), ("campaigns", "conversionType"), ("campaigns", "creativeIds"),
                       ("campaigns", "countryId"), ("campaigns", "exchanges"), ("deals", "dealId"),
                       ("creatives", "format"), ("creatives", "file")]:
        assert documented not in marked, documented
    assert marked[("campaigns", "campaignName")] == ("length",)
    assert marked[("campaigns", "maxBid")] == ("minimum",) == marked[("campaigns", "impressionCapping")]
    assert marked[("geo-gps", "radius")] == ("minimum", "maximum") == marked[("geo-gps", "latitude")]
    assert marked[("geo-zip", "zip")] == ("pattern",)
    assert marked[("creatives", "clickUrl")] == ("required", "length", "pattern")
    assert marked[("filter-lists", "value")] == ("length",)
    from bulkops.platforms.iqm.kinds import FILTER_TYPES

    assert {name for name, spec in FILTER_TYPES.items() if spec.own} == {"domain", "app", "package", "device"}


def test_own_check_problems_say_so_and_the_documents_ones_do_not(write_workbook):
    path = write_workbook({
        "campaigns": [{"id": 7, "maxBid": 0.001, "endTime": "2027-10-01 00:00", "startTime": "2027-10-02 00:00",
                       "tz": "UTC", "conversionType": "sometimes"}],
        "filter-lists": [{"campaign": "7", "type": "domain", "value": "-y.org"},
                         {"campaign": "7", "type": "ip", "value": "300.1.1.1"}],
        "creatives": [{"ref": "n", "creativeName": "N", "format": "html", "tag": "plain text", "width": 1,
                       "height": 1}]}, platform="iqm")
    report = validate_files([path], "iqm")
    own = {(p.sheet, p.column, p.own) for p in report.problems if p.is_error}
    assert own == {(CAMPAIGNS_SHEET, "Max Bid", True), (CAMPAIGNS_SHEET, "End Time", True),
                   (CAMPAIGNS_SHEET, "Conversion Type", False), (FILTERS, "Value", True), (FILTERS, "Value", False),
                   (CREATIVES_SHEET, "Tag", True)}


def test_a_campaign_status_is_sent_on_an_update_and_never_on_a_create():
    row = {"campaignName": "North", "status": "paused", "maxBid": 8.0}
    assert "status" not in campaign_payload(row)  # IQM creates a campaign pending
    assert campaign_payload({**row, "id": 7})["status"] == "paused"
