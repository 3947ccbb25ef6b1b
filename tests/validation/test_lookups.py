"""Columns checked against a dictionary: names become codes on the rows to send, unknown and ambiguous
values are errors on their row, and a dictionary not loaded leaves the column as typed with one warning."""

from __future__ import annotations

from bulkops._jobs import validate_files
from bulkops.reference import Dictionary, Entry, Index, Reference
from tests.conftest import campaign


async def _never(client, scope):
    raise AssertionError("not read")


COUNTRIES = Index(Dictionary("countries", _never, what="country"),
                  [Entry("USA", "United States", aliases=("US",)), Entry("CAN", "Canada", aliases=("CA",))])
CITIES = Index(Dictionary("cities", _never, what="city", parent="countries"),
               [Entry("4250542", "Springfield", "US-IL"), Entry("4951788", "Springfield", "US-MA"),
                Entry("4930956", "Boston", "US-MA")])


def _validated(path, reference):
    return validate_files([path], "smartyads", reference=lambda sheets: reference)


def test_names_and_aliases_become_codes(write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(geoCountries="United States, CA, usa", geoCities="boston")])
    report = _validated(path, Reference({"countries": COUNTRIES, "cities": CITIES}))
    assert report.problems == []
    values = report.validated[0].values
    assert values.at[2, "geoCountries"] == ["USA", "CAN"]
    assert values.at[2, "geoCities"] == ["4930956"]


def test_an_unknown_code_is_refused_with_a_suggestion(write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(geoCountries="USS")])
    report = _validated(path, Reference({"countries": COUNTRIES}))
    assert [(p.row, p.column, p.code, p.is_error) for p in report.problems] == [(2, "Countries", "lookup", True)]
    assert "'USS' is not a known country (did you mean 'USA (United States)'" in report.problems[0].message


def test_an_ambiguous_name_is_refused_with_its_candidates(write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(geoCities="Springfield"), campaign(ref="c2", name="Two",
                                                                              geoCities="Springfield (US-MA)")])
    report = _validated(path, Reference({"cities": CITIES}))
    assert [(p.row, p.code) for p in report.errors] == [(2, "lookup")]
    assert "Springfield (US-IL) = 4250542" in report.errors[0].message
    assert report.validated[0].values.at[3, "geoCities"] == ["4951788"]


def test_a_dictionary_not_loaded_warns_once_per_column_and_leaves_the_values(write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(geoCountries="USS"), campaign(ref="c2", name="Two", geoCountries="Atlantis")])
    report = _validated(path, Reference(missing={"countries": "no fresh copy is cached"}))
    assert report.ok
    assert [(p.row, p.column, p.code, p.is_error) for p in report.problems] == [(None, "Countries", "unchecked", False)]
    assert report.problems[0].message == ("these names could not be checked and were left as typed (no fresh copy is "
                                          "cached)")
    assert report.validated[0].values.at[3, "geoCountries"] == ["Atlantis"]
