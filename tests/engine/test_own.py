"""bulkops's own checks against values the platform holds: refused only when new or changed."""

from __future__ import annotations

from bulkops._problems import Severity
from bulkops.engine import lenient, naming_existing, settle_against_live, settle_offline, undocumented_columns
from bulkops.io import read_files
from bulkops.kinds import kinds_for
from bulkops.planner import LiveState
from bulkops.registry import Touched
from bulkops.validation import validate_sheets

LIVE = {
    "campaigns": [{"id": 7, "ref": "campaign-7", "name": "North", "type": "banner", "aDomain": "not_a_domain"}],
    "filter-lists": [{"id": 4, "ref": "filter-list-4", "title": "Odd", "type": "domain", "isInclude": False}],
    "filter-list-items": [{"filterList": "4", "item": i} for i in ("news.example.com", "-x.org")],
}
TOUCHED = Touched(ids={"campaigns": {7}, "filter-lists": {4}}, lists={"filter-list-items": {4}})


def job(write_workbook):
    return validate_sheets(read_files([write_workbook({
        "campaigns": [{"id": 7, "name": "North", "aDomain": "not_a_domain"},
                      {"ref": "new", "name": "New", "type": "banner", "aDomain": "also_not_one"}],
        "filter-lists": [{"id": 4, "title": "Odd", "type": "domain", "isInclude": "exclude"},
                         {"ref": "fresh", "title": "Fresh", "type": "domain"}],
        "filter-list-items": [{"filterList": "4", "item": "-x.org"}, {"filterList": "4", "item": "-y.org"},
                              {"filterList": "fresh", "item": "-x.org"}],
    })], "smartyads"))


def severities(validated) -> dict[tuple[str, int, str], Severity]:
    return {(v.sheet.title, p.row, p.code): p.severity for v in validated for p in v.problems if p.own}


def test_own_checks_are_marked_and_name_the_rows_of_existing_objects(write_workbook):
    validated = job(write_workbook)
    assert severities(validated) == {
        ("Campaigns", 2, "format"): Severity.ERROR, ("Campaigns", 3, "format"): Severity.ERROR,
        ("Filter List Items", 2, "item"): Severity.ERROR, ("Filter List Items", 3, "item"): Severity.ERROR,
        ("Filter List Items", 4, "item"): Severity.ERROR}
    assert naming_existing(validated) == {(0, 2): 7, (2, 2): 4, (2, 3): 4}  # the rows with own-check errors
    # What the job could send if the platform held them: the create rows stay refused.
    loose = lenient(validated, naming_existing(validated))
    assert {(v.sheet.title, p.row) for v in loose for p in v.problems if p.is_error} == {
        ("Campaigns", 3), ("Filter List Items", 4)}


def test_against_the_live_state_only_values_the_platform_holds_are_warnings(write_workbook):
    validated = job(write_workbook)
    live = LiveState("smartyads", LIVE, TOUCHED)
    assert settle_against_live(validated, naming_existing(validated), live) == 2
    assert severities(validated) == {
        ("Campaigns", 2, "format"): Severity.WARNING, ("Campaigns", 3, "format"): Severity.ERROR,
        ("Filter List Items", 2, "item"): Severity.WARNING, ("Filter List Items", 3, "item"): Severity.ERROR,
        ("Filter List Items", 4, "item"): Severity.ERROR}
    [held] = [p for p in validated[2].problems if p.row == 2]
    assert held.message.endswith("the platform already holds this value, so it is only a warning (this check is "
                                 "bulkops's own, stricter than SmartyAds's document)")


def test_offline_values_of_existing_objects_are_warnings_that_say_they_were_not_checked(write_workbook):
    validated = job(write_workbook)
    settle_offline(validated)
    assert severities(validated) == {
        ("Campaigns", 2, "format"): Severity.WARNING, ("Campaigns", 3, "format"): Severity.ERROR,
        ("Filter List Items", 2, "item"): Severity.WARNING, ("Filter List Items", 3, "item"): Severity.WARNING,
        ("Filter List Items", 4, "item"): Severity.ERROR}
    assert all("plan and push refuse the value unless the platform already holds it" in p.message
               for v in validated for p in v.problems if p.own and not p.is_error)


def test_offline_one_warning_per_sheet_names_the_columns_updates_fill_beyond_the_route(write_workbook):
    validated = validate_sheets(read_files([write_workbook({"campaigns": [
        {"id": 7, "name": "A", "spentDailyLimit": 1, "geoCountries": "USA"},
        {"id": 8, "name": "B", "spentDailyLimit": 2, "budgetUse": "fast", "frequencyCap": 2}]})], "smartyads"))
    undocumented_columns(validated)
    [warning] = [p for p in validated[0].problems if p.code == "undocumented"]
    assert (warning.row, warning.severity) == (None, Severity.WARNING)
    assert warning.message.startswith("update rows fill Daily Spend Limit, Budget Distribution, which SmartyAds' "
                                      "campaign update, 11.4.1 does not list")


def test_every_smartyads_check_that_the_document_does_not_give_is_marked_own():
    marked = {(k.name, c.field): c.own for k in kinds_for("smartyads") for c in k.columns if c.own}
    # The document's own rules stay strict: types, required fields, its value lists, frequency 1–3.
    assert ("campaigns", "type") not in marked and ("campaigns", "frequencyPeriod") not in marked
    assert marked[("campaigns", "aDomain")] == ("length", "pattern")
    assert marked[("filter-list-items", "item")] == ("length", "syntax")
    assert marked[("geo-zip", "zip")] == ("length", "syntax")
