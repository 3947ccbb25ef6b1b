"""One postal-code rule for number cells and text, on SmartyAds and IQM: lost leading zeros come back with a
warning, a US ZIP+4 goes as its ZIP with a warning, a value that cannot be the country's code is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulkops._jobs import validate_files
from bulkops.kinds import read_postcode
from tests._excel_csv import write_excel_csv
from tests.kinds._reports import errors, values, warnings

# (typed as a number, typed as text, country, sent, the warnings for a number cell and for text); None: none
RESTORED = [
    (1067, "1067", "DE", "01067", ("1067 lost its leading zero in a number cell; sent as 01067",
                                   "'1067' has 4 digits where postal codes of DE have 5; sent as 01067, its leading "
                                   "zero restored")),
    (6000, "6000", "FR", "06000", ("6000 lost its leading zero in a number cell; sent as 06000",
                                   "'6000' has 4 digits where postal codes of FR have 5; sent as 06000, its leading "
                                   "zero restored")),
    (2134, "2134", "US", "02134", ("2134 lost its leading zero in a number cell; sent as 02134",
                                   "'2134' has 4 digits where postal codes of US have 5; sent as 02134, its leading "
                                   "zero restored")),
    (10115, "10115", "DE", "10115", None),
    (75001, "75001", "FR", "75001", None),
]
ZIP_PLUS_4 = [  # what Excel's "Zip Code + 4" format keeps (a number, zeros gone) and what a CSV of it says
    (21341234, "02134-1234", "02134", "is a ZIP+4; sent as its five-digit ZIP 02134"),
    (100011234, "10001-1234", "10001", "is a ZIP+4; sent as its five-digit ZIP 10001"),
]


def smartyads_sheet(tmp_path: Path, write_workbook, as_csv: bool, cells: list[tuple[object, str]]) -> Path:
    rows = [{"campaign": "123", "zip": typed, "iso2": country, "lat": 48.0, "lng": 2.0} | (
        {"lat": None, "lng": None} if country == "US" else {}) for typed, country in cells]
    if not as_csv:
        return write_workbook({"geo-zip": rows})
    header = ["Campaign", "ZIP", "Country", "Latitude", "Longitude"]
    return write_excel_csv(tmp_path / "geo-zip.csv", [header, *[
        [r["campaign"], r["zip"], r["iso2"], "" if r["lat"] is None else "48,0", "" if r["lng"] is None else "2,0"]
        for r in rows]])


def iqm_sheet(tmp_path: Path, write_workbook, as_csv: bool, cells: list[object]) -> Path:
    if not as_csv:
        return write_workbook({"geo-zip": [{"campaign": "123", "zip": typed} for typed in cells]}, platform="iqm")
    return write_excel_csv(tmp_path / "geo-zip.csv", [["Campaign", "ZIP"], *[["123", typed] for typed in cells]])


@pytest.mark.parametrize("as_csv", [False, True], ids=["xlsx number cells", "csv text"])
def test_smartyads_restores_lost_zeros_the_same_from_a_number_cell_and_from_text(tmp_path, write_workbook, as_csv):
    cells = [(number if not as_csv else text, country) for number, text, country, _, _ in RESTORED]
    report = validate_files([smartyads_sheet(tmp_path, write_workbook, as_csv, cells)], "smartyads")
    assert report.errors == []
    assert [values(report, "Geo ZIP", row)["zip"] for row in range(2, 2 + len(RESTORED))] == [
        sent for *_, sent, _ in RESTORED]
    assert warnings(report, "Geo ZIP") == [(row, "ZIP", "zip", said[as_csv])
                                           for row, (*_, said) in enumerate(RESTORED, start=2) if said]


@pytest.mark.parametrize("as_csv", [False, True], ids=["xlsx number cells", "csv text"])
def test_smartyads_sends_a_zip_plus_4_as_its_zip(tmp_path, write_workbook, as_csv):
    cells = [(number if not as_csv else text, "US") for number, text, _, _ in ZIP_PLUS_4]
    report = validate_files([smartyads_sheet(tmp_path, write_workbook, as_csv, cells)], "smartyads")
    assert report.errors == []
    assert [values(report, "Geo ZIP", row)["zip"] for row in (2, 3)] == ["02134", "10001"]
    assert values(report, "Geo ZIP")["lat"] is not None  # the ZIP's coordinates, from the offline list
    found = warnings(report, "Geo ZIP")
    assert [(row, column, code) for row, column, code, _ in found] == [(2, "ZIP", "zip"), (3, "ZIP", "zip")]
    if as_csv:
        assert [m for *_, m in found] == [f"'{text}' {tail}" for _, text, _, tail in ZIP_PLUS_4]
    else:
        assert found[0][3] == "21341234 is a ZIP+4 (02134-1234); sent as its five-digit ZIP 02134"


@pytest.mark.parametrize("as_csv", [False, True], ids=["xlsx number cells", "csv text"])
@pytest.mark.parametrize("typed,country,message", [
    (123456, "DE", "cannot be a postal code of DE, whose codes are 5 digits"),
    (1234567, "FR", "cannot be a postal code of FR, whose codes are 5 digits, such as 33380"),
    (213456, "US", "is not a US ZIP code, which is five digits (such as 02134) or ZIP+4 (02134-1234)"),
])
def test_smartyads_refuses_what_cannot_be_the_countrys_code_with_a_hint(tmp_path, write_workbook, as_csv, typed,
                                                                        country, message):
    cell = str(typed) if as_csv else typed
    report = validate_files([smartyads_sheet(tmp_path, write_workbook, as_csv, [(cell, country)])], "smartyads")
    shown = f"'{typed}'" if as_csv else str(typed)
    assert errors(report, "Geo ZIP") == [(2, "ZIP", "zip", f"{shown} {message}")]


@pytest.mark.parametrize("as_csv", [False, True], ids=["xlsx number cells", "csv text"])
def test_iqm_follows_the_same_rule(tmp_path, write_workbook, as_csv):
    cells: list[object] = [2134, 10001, 10011234, 213456] if not as_csv else ["2134", "10001", "01001-1234", "213456"]
    report = validate_files([iqm_sheet(tmp_path, write_workbook, as_csv, cells)], "iqm")
    assert [values(report, "Geo ZIP", row)["zip"] for row in (2, 3, 4)] == ["02134", "10001", "01001"]
    quote = "'" if as_csv else ""
    assert warnings(report, "Geo ZIP") == [
        (2, "ZIP", "zip", RESTORED[2][4][as_csv]),
        (4, "ZIP", "zip", f"{quote}{cells[2]}{quote} is a ZIP+4{' (01001-1234)' if not as_csv else ''}; sent as its "
                          "five-digit ZIP 01001")]
    assert errors(report, "Geo ZIP") == [(5, "ZIP", "zip", f"{quote}213456{quote} is not a US ZIP code, which is five "
                                          "digits (such as 02134) or ZIP+4 (02134-1234)")]


@pytest.mark.parametrize("cell,country,sent", [
    ("0213", "US", None),  # text that starts with 0 did not lose a zero to a number: a mistake, not 00213
    ("75 001", "FR", "75 001"),  # as the address data writes some French codes: sent as typed
    ("SW1A 1AA", "GB", "SW1A 1AA"),  # not digits of one length: text goes as typed
    (2134, "GB", None),  # ... and a number cannot be told back
    ("907", "PR", "00907"),  # US territories use ZIP codes
    (1310100, "BR", "01310100"),
    ("950", "PL", "950"),  # written with a hyphen (00-950): not one of the countries the rule knows
])
def test_the_rule_for_other_countries(cell, country, sent):
    assert read_postcode(cell, country)[0] == sent
