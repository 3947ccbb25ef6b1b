"""A problem names its column as the user's header reads (`dateEnd` in a CSV a script wrote with API
names), so the word can be found in the sheet; the template label only for a column the file lacks."""

from __future__ import annotations

from bulkops._jobs import validate_files
from tests.kinds._reports import errors, warnings


def found(write_csv, rows, name: str = "campaigns.csv", platform: str = "smartyads") -> list[tuple]:
    report = validate_files([write_csv(rows, name)], platform)
    return errors(report, report.validated[0].sheet.title) + warnings(report, report.validated[0].sheet.title)


CAMPAIGN = ["c1", "One", "banner", "example.com"]


def test_order_rules_name_both_columns_as_the_file_does(write_csv):
    rows = [["ref", "name", "type", "aDomain", "dateStart", "dateEnd", "userAgeMin", "userAgeMax"],
            [*CAMPAIGN, "2027-03-01", "2027-02-01", "50", "18"]]
    assert found(write_csv, rows) == [
        (2, "dateEnd", "order", "dateEnd (2027-02-01) must be on or after dateStart (2027-03-01)"),
        (2, "userAgeMax", "order", "userAgeMax ('18') must be at least userAgeMin ('50')")]


def test_required_type_and_range_problems_name_the_header(write_csv):
    rows = [["ref", "name", "type", "aDomain", "spentDailyLimit", "userAgeMax"],
            ["c1", "", "banner", "example.com", "lots", "130"]]
    assert sorted(found(write_csv, rows)) == [
        (2, "name", "required", "name is required"),
        (2, "spentDailyLimit", "type", "'lots' is not a number (integer expected)"),
        (2, "userAgeMax", "range", "'130' is above the maximum of 120")]


def test_a_rule_names_a_column_the_file_lacks_by_its_label(write_csv):
    rows = [["ref", "name", "type", "aDomain", "frequency", "frequencyCap", "frequencyPeriod"],
            [*CAMPAIGN, "TRUE", "", "1"]]
    assert sorted(found(write_csv, rows)) == [
        (2, "Frequency Type", "required", "Frequency Type is required when frequency is on"),
        (2, "frequencyCap", "required", "frequencyCap is required when frequency is on")]


def test_action_and_id_are_named_as_the_file_names_them(write_csv):
    rows = [["REF", "NAME", "TYPE", "ADOMAIN", "ACTION"], ["c1", "One", "banner", "example.com", "update"]]
    assert found(write_csv, rows) == [
        (2, "ID", "required", "ACTION is update, which needs the ID of the existing object")]


def test_references_modes_and_repairs_name_the_files_headers(write_csv):
    rows = [["campaign", "zip", "iso2", "mode", "lat", "lng"], ["123", "10115", "DE", "replace", "", ""],
            ["123", "10117", "DE", "append", "", ""], ["c-9", "02134", "US", "", "", ""]]
    assert sorted(found(write_csv, rows, "geo-zip.csv")) == [
        (2, "lat", "required", "lat and lng are required for ZIPs outside the US (the API needs them; US ones are "
                               "filled in)"),
        (3, "lat", "required", "lat and lng are required for ZIPs outside the US (the API needs them; US ones are "
                               "filled in)"),
        (3, "mode", "mode", "mode is append but row 2 of the same parent says replace; one parent's rows must agree"),
        (4, "campaign", "reference", "'c-9' is neither the Ref of a campaigns row in this job nor an ID")]


def test_creative_checks_name_the_files_headers(write_csv):
    rows = [["ref", "name", "format", "bidPrice", "categories", "mediaFile", "width", "height", "admBody"],
            ["b1", "Banner", "banner-image", "1.5", "IAB22", "", "300", "250", "<div></div>"]]
    assert sorted(found(write_csv, rows, "creatives.csv")) == [
        (2, "Click URL", "required", "Click URL is required for banner-image creatives"),  # not in the file
        (2, "admBody", "ignored", "admBody is not used by banner-image creatives and will not be sent"),
        (2, "mediaFile", "required", "mediaFile is required for banner-image creatives")]


def test_iqm_checks_name_the_files_headers(write_csv):
    rows = [["ref", "campaignName", "advertiserDomain", "creativeType", "maxBid", "budgetDay", "budgetTotal",
             "startTime", "endTime", "tz", "timezone", "ioId", "countryId", "isAgreementChecked", "conversionType"],
            ["c1", "North", "https://shop.example.com", "image", "8", "50", "1500", "2027-10-02 00:00",
             "2027-10-01 00:00", "America/New_York", "433", "2695", "30100001", "TRUE", "install"]]
    assert sorted(found(write_csv, rows, platform="iqm")) == [
        (2, "App URL", "required", "App URL is required when conversionType is install"),
        (2, "endTime", "order", "endTime (2027-10-01 00:00) must be after startTime (2027-10-02 00:00)")]


def test_a_duplicate_ref_is_named_as_the_file_does(write_csv):
    rows = [["ref", "name", "type", "aDomain"], CAMPAIGN, ["C1", "Two", "banner", "example.com"]]
    assert found(write_csv, rows) == [
        (3, "ref", "duplicate", "ref 'C1' is already used by campaigns.csv / Campaigns row 2; each Ref must be "
                                "unique")]
