"""Every validation rule of the SmartyAds targeting sheets (Geo ZIP, Geo GPS, Deals), with row and column."""

from __future__ import annotations

import pytest
import zipcodes

from bulkops._jobs import ValidationReport, validate_files
from bulkops.platforms.smartyads.kinds import DEALS, GEO_GPS, GEO_ZIP
from tests.conftest import campaign
from tests.kinds._reports import errors, values, warnings


def validate(write_workbook, kind: str, rows, *, with_campaign: bool = False) -> ValidationReport:
    """Rows name campaign 123 (an ID) unless the test is about a campaign row of the job (Ref c1)."""
    sheets = {"campaigns": [campaign()]} if with_campaign else {}
    return validate_files([write_workbook({**sheets, kind: rows})], "smartyads")








# --- Geo ZIP ---------------------------------------------------------------------------------------------------

ZIP = "Geo ZIP"


def zip_row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {"campaign": "123", "zip": "02134", "iso2": "US"}
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def test_a_zip_typed_as_text_keeps_its_leading_zero(write_workbook):
    report = validate(write_workbook, "geo-zip", [zip_row()])
    assert report.problems == []
    assert values(report, ZIP)["zip"] == "02134"


def test_a_us_zip_typed_as_a_number_is_padded_back_with_a_warning(write_workbook):
    report = validate(write_workbook, "geo-zip", [zip_row(zip=2134)])
    assert report.errors == []
    assert warnings(report, ZIP) == [(2, "ZIP", "zip", "2134 lost its leading zero in a number cell; sent as 02134")]
    assert values(report, ZIP)["zip"] == "02134"
    assert GEO_ZIP.payload(values(report, ZIP))["zip"] == "02134"


@pytest.mark.parametrize("number,iso2,padded", [(1067, "DE", "01067"), (800, "AU", "0800"), (10115, "DE", "10115")])
def test_numeric_zips_of_fixed_length_countries(write_workbook, number, iso2, padded):
    report = validate(write_workbook, "geo-zip", [zip_row(zip=number, iso2=iso2, lat=50.0, lng=10.0)])
    assert report.errors == []
    assert values(report, ZIP)["zip"] == padded
    expected = [] if str(number) == padded else [(2, "ZIP", "zip", f"{number} lost its leading zero in a number "
                                                  f"cell; sent as {padded}")]
    assert warnings(report, ZIP) == expected


@pytest.mark.parametrize("number,iso2,message", [
    (2134, "GB", "2134 was typed as a number, and postal codes of GB are not digits of one length, so what the "
                 "spreadsheet dropped cannot be told; type it as text (format the column as Text)"),
    (213456, "US", "213456 is not a US ZIP code, which is five digits (such as 02134) or ZIP+4 (02134-1234)"),
    (2134.5, "US", "2134.5 was typed as a number; type the postal code as text (format the column as Text) so it is "
                   "kept exactly")])
def test_a_numeric_zip_that_cannot_be_repaired_is_an_error(write_workbook, number, iso2, message):
    report = validate(write_workbook, "geo-zip", [zip_row(zip=number, iso2=iso2, lat=51.5, lng=-0.1)])
    assert errors(report, ZIP) == [(2, "ZIP", "zip", message)]


def test_an_unknown_country(write_workbook):
    [(row, column, code, message)] = errors(validate(write_workbook, "geo-zip", [zip_row(iso2="XX", lat=1, lng=1)]),
                                            ZIP)
    assert (row, column, code) == (2, "Country", "allowed")
    assert message.startswith("'XX' not allowed")


def test_country_is_case_insensitive(write_workbook):
    report = validate(write_workbook, "geo-zip", [zip_row(iso2="us")])
    assert report.problems == []
    assert values(report, ZIP)["iso2"] == "US"


@pytest.mark.parametrize("code", ["02134", "10001", "94105"])
def test_coordinates_of_a_us_zip_are_filled_offline(write_workbook, code):
    report = validate(write_workbook, "geo-zip", [zip_row(zip=code)])
    assert report.problems == []
    known = zipcodes.matching(code)[0]
    typed = values(report, ZIP)
    assert typed["lat"] == pytest.approx(float(known["lat"]), abs=1e-6)
    assert typed["lng"] == pytest.approx(float(known["long"]), abs=1e-6)
    assert GEO_ZIP.payload(typed) == {"lat": typed["lat"], "lng": typed["lng"], "zip": code, "iso2": "US",
                                      "include": True}


def test_coordinates_typed_for_a_us_zip_are_kept(write_workbook):
    report = validate(write_workbook, "geo-zip", [zip_row(lat=42.0, lng=-71.0)])
    assert report.problems == []
    assert (values(report, ZIP)["lat"], values(report, ZIP)["lng"]) == (42.0, -71.0)


@pytest.mark.parametrize("lat,lng", [(None, None), (52.52, None), (None, 13.40)])
def test_coordinates_are_required_outside_the_us(write_workbook, lat, lng):
    found = errors(validate(write_workbook, "geo-zip", [zip_row(zip="10115", iso2="DE", lat=lat, lng=lng)]), ZIP)
    assert found == [(2, "Latitude", "required", "Latitude and Longitude are required for ZIPs outside the US "
                      "(the API needs them; US ones are filled in)")]


def test_a_us_zip_the_offline_list_does_not_know(write_workbook):
    found = errors(validate(write_workbook, "geo-zip", [zip_row(zip="00000")]), ZIP)
    assert found == [(2, "Latitude", "required", "ZIP 00000 is not in the offline US ZIP list; fill Latitude and "
                      "Longitude")]


@pytest.mark.parametrize("code", ["ABCDE", "0213", "021345"])
def test_a_us_zip_must_be_five_digits(write_workbook, code):
    found = errors(validate(write_workbook, "geo-zip", [zip_row(zip=code)]), ZIP)
    assert found == [(2, "ZIP", "zip", f"{code!r} is not a US ZIP code, which is five digits (such as 02134) or "
                                       "ZIP+4 (02134-1234)")]


@pytest.mark.parametrize("field,label,value,message", [
    ("lat", "Latitude", 90.5, "90.5 is above the maximum of 90"),
    ("lat", "Latitude", -91, "-91 is below the minimum of -90"),
    ("lng", "Longitude", 180.5, "180.5 is above the maximum of 180"),
    ("lng", "Longitude", -200, "-200 is below the minimum of -180"),
])
def test_zip_coordinates_out_of_range(write_workbook, field, label, value, message):
    row = zip_row(zip="10115", iso2="DE", lat=52.5, lng=13.4) | {field: value}
    assert errors(validate(write_workbook, "geo-zip", [row]), ZIP) == [(2, label, "range", message)]


def test_zip_campaign_is_required(write_workbook):
    found = errors(validate(write_workbook, "geo-zip", [zip_row(campaign=None)]), ZIP)
    assert found == [(2, "Campaign", "required", "Campaign is required")]


def test_zip_campaign_must_name_a_row_of_the_job_or_an_id(write_workbook):
    rows = [zip_row(campaign="C1"), zip_row(campaign="c-1"), zip_row(campaign="123"), zip_row(campaign="0")]
    found = errors(validate(write_workbook, "geo-zip", rows, with_campaign=True), ZIP)
    assert found == [(3, "Campaign", "reference", "'c-1' is neither the Ref of a campaigns row in this job nor an "
                      "ID (did you mean 'c1'?)"),
                     (5, "Campaign", "reference", "'0' is neither the Ref of a campaigns row in this job nor an ID")]


@pytest.mark.parametrize("typed,sent", [(None, True), ("include", True), ("Exclude", False), ("block", False),
                                        (False, False)])
def test_zip_include_values(write_workbook, typed, sent):
    report = validate(write_workbook, "geo-zip", [zip_row(include=typed)])
    assert report.problems == []
    assert GEO_ZIP.payload(values(report, ZIP))["include"] is sent


def test_zip_include_refuses_other_words(write_workbook):
    found = errors(validate(write_workbook, "geo-zip", [zip_row(include="maybe")]), ZIP)
    assert found == [(2, "Include", "type", "'maybe' is not one of include or exclude (include/exclude expected)")]


@pytest.mark.parametrize("mode", ["replace", "append", "APPEND"])
def test_zip_modes(write_workbook, mode):
    assert validate(write_workbook, "geo-zip", [zip_row(mode=mode)]).problems == []


def test_zip_mode_remove_is_not_offered(write_workbook):
    [(row, column, code, message)] = errors(validate(write_workbook, "geo-zip", [zip_row(mode="remove")]), ZIP)
    assert (row, column, code) == (2, "Mode", "allowed")
    assert message == "'remove' not allowed; allowed: replace, append"


def test_rows_of_one_campaign_must_agree_on_mode(write_workbook):
    rows = [zip_row(mode="append"), zip_row(zip="10001"), zip_row(campaign="77", zip="10001")]
    found = errors(validate(write_workbook, "geo-zip", rows), ZIP)
    assert found == [(3, "Mode", "mode", "Mode is replace but row 2 of the same parent says append; one parent's "
                      "rows must agree")]


def test_a_zip_twice_for_one_campaign_is_a_warning(write_workbook):
    rows = [zip_row(), zip_row(zip=2134), zip_row(campaign="77")]
    report = validate(write_workbook, "geo-zip", rows)
    assert report.errors == []
    assert sorted(warnings(report, ZIP)) == [(3, "ZIP", "duplicate", "the same item as row 2; sent once"),
                                             (3, "ZIP", "zip", "2134 lost its leading zero in a number cell; "
                                              "sent as 02134")]


# --- Geo GPS ---------------------------------------------------------------------------------------------------

GPS = "Geo GPS"


def gps_row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {"campaign": "123", "lat": 50.4501, "lng": 30.5234, "radius": 10, "unit": "km"}
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def test_a_valid_circle(write_workbook):
    report = validate(write_workbook, "geo-gps", [gps_row()])
    assert report.problems == []
    assert GEO_GPS.payload(values(report, GPS)) == {"lat": 50.4501, "lng": 30.5234, "radius": 10.0, "include": True}


@pytest.mark.parametrize("field,label,value,message", [
    ("lat", "Latitude", 90.01, "90.01 is above the maximum of 90"),
    ("lat", "Latitude", -90.01, "-90.01 is below the minimum of -90"),
    ("lng", "Longitude", 180.01, "180.01 is above the maximum of 180"),
    ("lng", "Longitude", -180.01, "-180.01 is below the minimum of -180"),
])
def test_gps_coordinates_out_of_range(write_workbook, field, label, value, message):
    assert errors(validate(write_workbook, "geo-gps", [gps_row(**{field: value})]), GPS) == [
        (2, label, "range", message)]


@pytest.mark.parametrize("field,label", [("lat", "Latitude"), ("lng", "Longitude"), ("radius", "Radius"),
                                         ("unit", "Unit"), ("campaign", "Campaign")])
def test_gps_required_columns(write_workbook, field, label):
    assert errors(validate(write_workbook, "geo-gps", [gps_row(**{field: None})]), GPS) == [
        (2, label, "required", f"{label} is required")]


@pytest.mark.parametrize("radius,message", [(0, "0 is below the minimum of 0.001"),
                                            (-5, "-5 is below the minimum of 0.001")])
def test_radius_must_be_above_zero(write_workbook, radius, message):
    assert errors(validate(write_workbook, "geo-gps", [gps_row(radius=radius)]), GPS) == [
        (2, "Radius", "range", message)]


@pytest.mark.parametrize("unit", ["miles", "m", "nm"])
def test_unit_is_km_or_mi(write_workbook, unit):
    [(row, column, code, message)] = errors(validate(write_workbook, "geo-gps", [gps_row(unit=unit)]), GPS)
    assert (row, column, code) == (2, "Unit", "allowed")
    assert message.startswith(f"{unit!r} not allowed") and message.endswith("allowed: km, mi")


@pytest.mark.parametrize("radius,unit,km", [(10, "mi", 16.093), (1, "MI", 1.609), (25, "mi", 40.234),
                                            (10, "KM", 10.0), (2.5, "km", 2.5)])
def test_a_radius_in_miles_is_sent_in_kilometres(write_workbook, radius, unit, km):
    report = validate(write_workbook, "geo-gps", [gps_row(radius=radius, unit=unit)])
    assert report.problems == []
    sent = GEO_GPS.payload(values(report, GPS))["radius"]
    assert sent == km
    assert sent == pytest.approx(radius * (1.609344 if unit.lower() == "mi" else 1), abs=5e-4)


def test_one_point_in_two_units_is_two_circles_and_in_one_unit_a_duplicate(write_workbook):
    report = validate(write_workbook, GPS, [gps_row(radius=10, unit="km"), gps_row(radius=10, unit="mi"),
                                            gps_row(radius=10, unit="km")])
    assert warnings(report, GPS) == [(4, "Latitude", "duplicate", "the same item as row 2; sent once")]


def test_gps_include_exclude(write_workbook):
    report = validate(write_workbook, "geo-gps", [gps_row(include="exclude"), gps_row(lat=1, include="perhaps")])
    assert errors(report, GPS) == [(3, "Include", "type", "'perhaps' is not one of include or exclude "
                                    "(include/exclude expected)")]
    assert GEO_GPS.payload(values(report, GPS))["include"] is False


def test_gps_modes(write_workbook):
    assert validate(write_workbook, "geo-gps", [gps_row(mode="append")]).problems == []
    [(row, column, code, message)] = errors(validate(write_workbook, "geo-gps", [gps_row(mode="remove")]), GPS)
    assert (row, column, code, message) == (2, "Mode", "allowed", "'remove' not allowed; allowed: replace, append")


# --- Deals -----------------------------------------------------------------------------------------------------

DEAL = "Deals"


def deal_row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {"campaign": "123", "dealId": "00417", "bidPrice": 2.5}
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def test_a_deal_id_keeps_its_leading_zeros(write_workbook):
    report = validate(write_workbook, "deals", [deal_row()])
    assert report.problems == []
    assert values(report, DEAL)["dealId"] == "00417"
    assert DEALS.payload(values(report, DEAL)) == {"dealId": "00417", "bidPrice": "2.50"}


@pytest.mark.parametrize("bid,message", [(0, "0 is below the minimum of 0.01"),
                                         (-2, "-2 is below the minimum of 0.01")])
def test_deal_bid_price_must_be_above_zero(write_workbook, bid, message):
    assert errors(validate(write_workbook, "deals", [deal_row(bidPrice=bid)]), DEAL) == [
        (2, "Bid Price", "range", message)]


@pytest.mark.parametrize("mode", [None, "replace", "append"])
def test_deal_bid_price_is_required_unless_removing(write_workbook, mode):
    found = errors(validate(write_workbook, "deals", [deal_row(bidPrice=None, mode=mode)]), DEAL)
    assert found == [(2, "Bid Price", "required", "Bid Price is required (except to remove a deal)")]


@pytest.mark.parametrize("mode", ["replace", "append", "remove", "Remove"])
def test_deal_modes(write_workbook, mode):
    report = validate(write_workbook, "deals", [deal_row(mode=mode, bidPrice=None if mode.lower() == "remove" else 2)])
    assert report.problems == []
    assert values(report, DEAL)["mode"] == mode.lower()


def test_an_unknown_deal_mode(write_workbook):
    [(row, column, code, message)] = errors(validate(write_workbook, "deals", [deal_row(mode="merge")]), DEAL)
    assert (row, column, code, message) == (2, "Mode", "allowed",
                                            "'merge' not allowed; allowed: replace, append, remove")


@pytest.mark.parametrize("field,label", [("campaign", "Campaign"), ("dealId", "Deal ID")])
def test_deal_required_columns(write_workbook, field, label):
    assert errors(validate(write_workbook, "deals", [deal_row(**{field: None})]), DEAL) == [
        (2, label, "required", f"{label} is required")]


def test_a_deal_twice_for_one_campaign_is_a_warning(write_workbook):
    rows = [deal_row(), deal_row(dealId="DEAL-2"), deal_row(bidPrice=2.50), deal_row(campaign="77")]
    report = validate(write_workbook, "deals", rows)
    assert report.errors == []
    assert warnings(report, DEAL) == [(4, "Deal ID", "duplicate", "the same item as row 2; sent once")]


def test_a_deal_twice_for_one_campaign_with_two_bids_is_an_error(write_workbook):
    found = errors(validate(write_workbook, "deals", [deal_row(), deal_row(bidPrice=3)]), DEAL)
    assert found == [(3, "Bid Price", "conflict", "the same item as row 2, whose Bid Price is 2.5; keep one row")]


def test_rows_of_one_campaign_must_agree_on_deal_mode(write_workbook):
    rows = [deal_row(mode="remove", bidPrice=None), deal_row(dealId="B")]
    assert errors(validate(write_workbook, "deals", rows), DEAL) == [
        (3, "Mode", "mode", "Mode is replace but row 2 of the same parent says remove; one parent's rows must agree")]
