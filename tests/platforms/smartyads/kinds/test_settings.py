"""The Campaigns sheet's settings as validation reads them: time targeting in UTC, time zones, device vendors."""

from __future__ import annotations

from bulkops._jobs import validate_files
from tests.conftest import campaign
from tests.kinds._reports import errors, values, warnings


def _validate(write_workbook, *rows: dict[str, object]):
    return validate_files([write_workbook({"campaigns": list(rows)})], "smartyads")


def test_time_targeting_is_read_into_utc_and_the_zone_is_used_up(write_workbook):
    report = _validate(write_workbook, campaign(timeTargeting="mon-fri 9:00-17:00", timeZone=-5),
                       campaign(ref="c2", name="Two", timeTargeting="Sat", timeZone=None))
    assert errors(report, "Campaigns") == []
    assert (values(report, "Campaigns", 2)["timeTargeting"], values(report, "Campaigns", 2)["timeZone"]) == (
        "Mon-Fri 14:00-22:00", None)
    assert values(report, "Campaigns", 3)["timeTargeting"] == "Sat 00:00-24:00"


def test_a_zone_outside_the_offsets_or_between_hours_is_refused(write_workbook):
    report = _validate(write_workbook, campaign(timeTargeting="Mon 09:00-10:00", timeZone=15),
                       campaign(ref="c2", name="Two", timeTargeting="Mon 09:00-10:00", timeZone=-3.5))
    assert [p.message for p in report.problems if p.is_error] == [
        "Time Zone 15 is not a UTC offset (-12 to 14)",
        "Time Zone -3.5 is not a whole number of hours: SmartyAds holds whole hours in UTC, which a half-hour "
        "offset cannot land on; write the hours in UTC (Time Zone blank) instead"]


def test_device_vendors_on_an_existing_campaign_are_a_warning_and_not_sent(write_workbook):
    report = _validate(write_workbook, campaign(id=41, deviceVendor="apple"),
                       campaign(ref="c2", name="Two", deviceVendor="apple, sony ericsson"))
    assert errors(report, "Campaigns") == []
    assert [w[3] for w in warnings(report, "Campaigns")] == [
        "Device Vendors is sent only when a campaign is created (SmartyAds' campaign update, 11.4.1, does not take "
        "it): campaign 41 keeps its device vendors"]
    assert values(report, "Campaigns", 2)["deviceVendor"] is None
    assert values(report, "Campaigns", 3)["deviceVendor"] == ["apple", "sony ericsson"]
