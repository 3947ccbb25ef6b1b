"""Every validation rule of the SmartyAds Filter Lists and Filter List Items sheets, with row and column."""

from __future__ import annotations

import pytest

from bulkops._jobs import ValidationReport, validate_files
from bulkops.platforms.smartyads._enums import FILTER_LIST_TYPES
from bulkops.platforms.smartyads.kinds._filterlists import ITEM_RULES
from tests.conftest import campaign
from tests.kinds._reports import errors, values, warnings

LISTS, ITEMS = "Filter Lists", "Filter List Items"


def validate(write_workbook, **sheets) -> ValidationReport:
    named = {name.replace("_", "-"): rows for name, rows in sheets.items()}
    return validate_files([write_workbook(named)], "smartyads")








def a_list(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {"ref": "safe", "title": "Brand-safe domains", "type": "domain"}
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


# --- Filter Lists ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("list_type", FILTER_LIST_TYPES)
def test_every_documented_type_is_accepted(write_workbook, list_type):
    report = validate(write_workbook, filter_lists=[a_list(type=list_type)])
    assert report.problems == []
    assert values(report, LISTS)["type"] == list_type


@pytest.mark.parametrize("typed,message", [
    ("domains", "'domains' not allowed (did you mean 'domain'?); allowed: domain, apps, bundles, deviceIfas, "
                "publishers, ipAdresses, siteAndAppsIds, urls, tagIds"),
    ("keywords", "'keywords' not allowed; allowed: domain, apps, bundles, deviceIfas, publishers, ipAdresses, "
                 "siteAndAppsIds, urls, tagIds"),
])
def test_a_type_outside_the_documented_set(write_workbook, typed, message):
    assert errors(validate(write_workbook, filter_lists=[a_list(type=typed)]), LISTS) == [
        (2, "Type", "allowed", message)]


def test_type_is_matched_ignoring_case(write_workbook):
    report = validate(write_workbook, filter_lists=[a_list(type="IPADRESSES")])
    assert report.problems == []
    assert values(report, LISTS)["type"] == "ipAdresses"


@pytest.mark.parametrize("field,label", [("title", "Title"), ("type", "Type")])
def test_title_and_type_are_required_on_create(write_workbook, field, label):
    assert errors(validate(write_workbook, filter_lists=[a_list(**{field: None})]), LISTS) == [
        (2, label, "required", f"{label} is required")]


def test_an_update_by_id_needs_neither(write_workbook):
    assert validate(write_workbook, filter_lists=[{"id": 42, "isInclude": "exclude"}]).problems == []


@pytest.mark.parametrize("typed,sent", [("include", True), ("whitelist", True), ("exclude", False),
                                        ("Blacklist", False)])
def test_include_exclude(write_workbook, typed, sent):
    report = validate(write_workbook, filter_lists=[a_list(isInclude=typed)])
    assert report.problems == []
    assert values(report, LISTS)["isInclude"] is sent


def test_include_refuses_other_words(write_workbook):
    assert errors(validate(write_workbook, filter_lists=[a_list(isInclude="grey")]), LISTS) == [
        (2, "Include", "type", "'grey' is not one of include or exclude (include/exclude expected)")]


def test_campaigns_by_ref_and_by_id(write_workbook):
    report = validate(write_workbook, campaigns=[campaign()], filter_lists=[a_list(campaigns="C1, 77")])
    assert report.problems == []
    assert values(report, LISTS)["campaigns"] == ["C1", "77"]


def test_campaigns_naming_nothing(write_workbook):
    report = validate(write_workbook, campaigns=[campaign()],
                      filter_lists=[a_list(campaigns="c1"), a_list(ref="two", campaigns="c1, cx, -4")])
    assert errors(report, LISTS) == [
        (3, "Campaigns", "reference", "'cx' is neither the Ref of a campaigns row in this job nor an ID"),
        (3, "Campaigns", "reference", "'-4' is neither the Ref of a campaigns row in this job nor an ID"),
    ]


def test_a_filter_list_mode_outside_replace_append_and_remove(write_workbook):
    [(row, column, code, message)] = errors(validate(write_workbook, filter_lists=[a_list(mode="merge")]), LISTS)
    assert (row, column, code, message) == (2, "Mode", "allowed",
                                            "'merge' not allowed; allowed: replace, append, remove")


def test_a_filter_list_removed_from_its_campaigns_is_an_existing_one(write_workbook):
    [(row, column, code, message)] = errors(validate(write_workbook, filter_lists=[a_list(mode="remove")]), LISTS)
    assert (row, column, code, message) == (2, "ID", "required",
                                            "Mode remove takes an existing filter list off its campaigns: fill its ID")


# --- Filter List Items -----------------------------------------------------------------------------------------

# type → (an item the type takes, an item it refuses, what the refusal says a good item is)
EXAMPLES: dict[str, tuple[str, str, str]] = {
    "domain": ("news.example.com", "news example.com", "a domain such as news.example.com"),
    "urls": ("https://news.example.com/sport?id=1", "news.example.com/sport", "a URL starting with http:// or https://"),
    "ipAdresses": ("2001:db8::/32", "10.0.0.256", "an IPv4 or IPv6 address (or a CIDR range)"),
    "deviceIfas": ("6d92078a-8246-4ba4-ae5b-76104861e7dc", "6D92078A82464BA4AE5B76104861E7DC",
                   "a device advertising ID (a UUID such as 6D92078A-8246-4BA4-AE5B-76104861E7DC)"),
    "bundles": ("id1234567890", "my app", "an app bundle such as com.example.app or an App Store ID"),
    "apps": ("com.example.app", "example app", "an app ID without spaces"),
    "publishers": ("pub-123", "pub 123", "a publisher ID without spaces"),
    "siteAndAppsIds": ("site_77", "site 77", "a site or app ID without spaces"),
    "tagIds": ("tag-9", "tag 9", "a tag ID without spaces"),
}


def test_every_item_rule_has_examples():
    assert set(EXAMPLES) == set(ITEM_RULES) == set(FILTER_LIST_TYPES)


@pytest.mark.parametrize("list_type", EXAMPLES)
def test_items_are_checked_by_their_lists_type(write_workbook, list_type):
    good, bad, what = EXAMPLES[list_type]
    report = validate(write_workbook, filter_lists=[a_list(type=list_type)],
                      filter_list_items=[{"filterList": "safe", "item": good}, {"filterList": "safe", "item": bad}])
    assert errors(report, ITEMS) == [(3, "Item", "item", f"{bad!r} is not {what} (the list's Type is {list_type})")]


def test_an_item_is_checked_against_its_own_list(write_workbook):
    lists = [a_list(), a_list(ref="ips", title="IPs", type="ipAdresses")]
    items = [{"filterList": "ips", "item": "10.1.2.3"}, {"filterList": "safe", "item": "10.1.2.3"},
             {"filterList": "ips", "item": "news.example.com"}]
    found = errors(validate(write_workbook, filter_lists=lists, filter_list_items=items), ITEMS)
    assert [(r, c, code, m.split(" (")[-1]) for r, c, code, m in found] == [
        (3, "Item", "item", "the list's Type is domain)"), (4, "Item", "item", "the list's Type is ipAdresses)")]


def test_a_list_named_by_the_id_of_a_row_of_the_job(write_workbook):
    report = validate(write_workbook, filter_lists=[{"id": 42, "type": "domain"}],
                      filter_list_items=[{"filterList": "42", "item": "ok.example.com"},
                                         {"filterList": 42, "item": "not ok"}])
    assert errors(report, ITEMS) == [(3, "Item", "item", "'not ok' is not a domain such as news.example.com "
                                      "(the list's Type is domain)")]


def test_each_list_named_by_id_is_looked_up_once_and_checked_by_its_own_type(write_workbook, monkeypatch):
    # The Type is remembered per parent: rows of two lists named by ID, interleaved, each keep their own.
    from bulkops.validation import _links
    looked_up: list[object] = []
    real = _links._list_type
    monkeypatch.setattr(_links, "_list_type",
                        lambda index, parent, rule: looked_up.append(parent.id) or real(index, parent, rule))
    lists = [{"id": 42, "type": "domain"}, {"id": 43, "type": "ipAdresses"}]
    items = [{"filterList": "42", "item": "ok.example.com"}, {"filterList": "43", "item": "10.1.2.3"},
             {"filterList": 42, "item": "10.1.2.3"}, {"filterList": "43", "item": "ok.example.com"},
             {"filterList": "42", "item": "fine.example.com"}, {"filterList": 43, "item": "10.1.2.4"}]
    found = errors(validate(write_workbook, filter_lists=lists, filter_list_items=items), ITEMS)
    assert [(r, c, code, m.split(" (")[-1]) for r, c, code, m in found] == [
        (4, "Item", "item", "the list's Type is domain)"), (5, "Item", "item", "the list's Type is ipAdresses)")]
    assert sorted(looked_up) == [42, 43]


def test_a_list_named_by_an_id_outside_the_job_is_not_type_checked(write_workbook):
    report = validate(write_workbook, filter_list_items=[{"filterList": "42", "item": "anything at all"}])
    assert report.problems == []


def test_a_list_named_by_ref_ignoring_case(write_workbook):
    report = validate(write_workbook, filter_lists=[a_list(ref="Safe-Domains")],
                      filter_list_items=[{"filterList": "safe-DOMAINS", "item": "not a domain"}])
    assert errors(report, ITEMS) == [(2, "Item", "item", "'not a domain' is not a domain such as news.example.com "
                                      "(the list's Type is domain)")]


def test_an_unknown_list_ref(write_workbook):
    report = validate(write_workbook, filter_lists=[a_list()],
                      filter_list_items=[{"filterList": "safe", "item": "a.example.com"},
                                         {"filterList": "unsafe", "item": "b.example.com"}])
    assert errors(report, ITEMS) == [(3, "Filter List", "reference", "'unsafe' is neither the Ref of a filter-lists "
                                      "row in this job nor an ID (did you mean 'safe'?)")]


def test_a_campaign_ref_does_not_name_a_list(write_workbook):
    report = validate(write_workbook, campaigns=[campaign()],
                      filter_list_items=[{"filterList": "c1", "item": "a.example.com"}])
    assert errors(report, ITEMS) == [(2, "Filter List", "reference", "'c1' is neither the Ref of a filter-lists "
                                      "row in this job nor an ID")]


@pytest.mark.parametrize("field,label", [("filterList", "Filter List"), ("item", "Item")])
def test_item_required_columns(write_workbook, field, label):
    row = {"filterList": "42", "item": "a.example.com"}
    del row[field]
    assert errors(validate(write_workbook, filter_list_items=[row]), ITEMS) == [
        (2, label, "required", f"{label} is required")]


def test_a_duplicate_item_in_one_list_is_reported_on_its_row_and_column(write_workbook):
    lists = [a_list(), a_list(ref="other", title="Other")]
    items = [{"filterList": "safe", "item": "a.example.com"}, {"filterList": "other", "item": "a.example.com"},
             {"filterList": "safe", "item": "b.example.com"}, {"filterList": "SAFE", "item": "a.example.com"}]
    report = validate(write_workbook, filter_lists=lists, filter_list_items=items)
    assert report.errors == []
    assert warnings(report, ITEMS) == [(5, "Item", "duplicate", "the same item as row 2; sent once")]


def test_items_on_another_sheet_of_the_workbook_find_their_list(write_workbook):
    report = validate(write_workbook, filter_lists=[a_list(type="bundles")],
                      filter_list_items=[{"filterList": "safe", "item": "com.example.app"}])
    assert report.problems == []
    assert [v.sheet.title for v in report.validated] == [LISTS, ITEMS]


def test_rows_of_one_list_must_agree_on_mode(write_workbook):
    items = [{"filterList": "safe", "item": "a.example.com", "mode": "append"},
             {"filterList": "safe", "item": "b.example.com"}]
    assert errors(validate(write_workbook, filter_lists=[a_list()], filter_list_items=items), ITEMS) == [
        (3, "Mode", "mode", "Mode is replace but row 2 of the same parent says append; one parent's rows must agree")]
