"""The live diff on its own: validated rows against a live state given as rows (as an export
reads it), without a network."""

from __future__ import annotations

from bulkops.engine import DEFAULT_PACE, estimate
from bulkops.io import read_files
from bulkops.planner import LiveState, Status, apply_diff, build_plan, touched_by
from bulkops.registry import Touched
from bulkops.validation import validate_sheets

LIVE_CAMPAIGN = {"id": 7, "ref": "campaign-7", "name": "North", "type": "banner", "aDomain": "example.com",
                 "spentDailyLimit": 0, "OS": ["iOS", "Android 13.0"]}


def planned(write_workbook, sheets: dict, state: dict):
    validated = validate_sheets(read_files([write_workbook(sheets)], "smartyads"))
    assert [p for v in validated for p in v.problems if p.is_error] == []
    plan = build_plan(validated, skip_invalid=False)
    touched = touched_by(plan)
    return plan, apply_diff(plan, validated, LiveState("smartyads", state, touched)), touched


def test_an_update_row_as_the_platform_has_it_sends_nothing(write_workbook):
    row = {"id": 7, "name": "North", "aDomain": "example.com", "OS": "Android 13.0, iOS", "spentDailyLimit": 0}
    plan, diff, touched = planned(write_workbook, {"campaigns": [row]}, {"campaigns": [LIVE_CAMPAIGN]})
    assert touched.ids == {"campaigns": {7}}
    [op] = plan.operations
    assert op.unchanged and diff.rows[(0, 2)].verdict == "unchanged"
    assert estimate(plan, DEFAULT_PACE).requests == 0


def test_a_changed_row_sends_only_the_changed_field_and_the_name_the_api_requires(write_workbook):
    row = {"id": 7, "name": "North", "spentDailyLimit": 300, "type": "banner"}  # blank cells: not compared
    plan, diff, _ = planned(write_workbook, {"campaigns": [row]}, {"campaigns": [LIVE_CAMPAIGN]})
    [op] = plan.operations
    assert not op.unchanged and op.payload == {"name": "North", "spentDailyLimit": 300}
    assert diff.rows[(0, 2)].describe() == "update: Daily Spend Limit: 0 → 300"


def test_a_field_the_platform_cannot_change_fails_its_row_without_a_request(write_workbook):
    creative = {"id": 3, "ref": "creative-3", "name": "Old name", "format": "banner-tag", "isActive": False,
                "bidPrice": 1.0}
    row = {"id": 3, "name": "New name", "format": "banner-tag", "isActive": "TRUE", "bidPrice": 1}
    plan, diff, _ = planned(write_workbook, {"creatives": [row]}, {"creatives": [creative]})
    said = ("Name: the platform holds 'Old name'; SmartyAds cannot change an existing creative's Name (18.11.1): "
            "create a new creative")
    assert plan.operations == []  # not even the Active change it could send: the row asks what cannot be
    assert diff.rows[(0, 2)].describe() == f"fail: {said}"
    assert plan.outcomes[(0, 2)].status is Status.FAILED and plan.outcomes[(0, 2)].message == said
    assert plan.outcomes[(0, 2)].id == 3


def test_a_filter_lists_type_cannot_change_and_its_items_are_not_sent(write_workbook):
    live = {"filter-lists": [{"id": 4, "ref": "filter-list-4", "title": "Safe", "type": "domain", "isInclude": True}],
            "filter-list-items": [{"filterList": "4", "item": "a.example.com"}]}
    row = {"id": 4, "title": "Safe", "type": "ipAdresses", "isInclude": "include"}
    items = [{"filterList": "4", "item": "203.0.113.7"}]
    plan, diff, _ = planned(write_workbook, {"filter-lists": [row], "filter-list-items": items}, live)
    assert plan.operations == [] and plan.groups == []
    assert diff.rows[(0, 2)].describe() == ("fail: Type: the platform holds 'domain'; SmartyAds cannot change an "
                                           "existing filter list's Type (20.4.1): create a new filter list")
    assert plan.outcomes[(1, 2)].status is Status.SKIPPED
    assert plan.outcomes[(1, 2)].message.startswith("not sent: its filter list's row (")


def zip_row(code: str, mode: str | None = None) -> dict:
    return {"campaign": "7", "zip": code, "iso2": "US", "lat": 1.0, "lng": 2.0, "mode": mode}


def live_zips(*codes: str) -> list[dict]:
    return [{"campaign": "7", "zip": c, "iso2": "US", "lat": 1.0, "lng": 2.0, "include": True} for c in codes]


def test_a_replace_says_what_it_removes_and_an_append_already_there_is_settled(write_workbook):
    state = {"geo-zip": live_zips("02134", "01001", "10001")}
    plan, diff, touched = planned(write_workbook, {"geo-zip": [zip_row("02134"), zip_row("90210")]}, state)
    assert touched.lists == {"geo-zip": {7}} and len(plan.groups) == 1
    assert [str(r) for r in diff.removals] == ["Geo ZIP: replacing the list of campaign 7 removes 2 existing items"]
    assert [diff.rows[(0, r)].verdict for r in (2, 3)] == ["unchanged", "create"]

    plan, diff, _ = planned(write_workbook, {"geo-zip": [zip_row("02134", "append")]}, state)
    assert plan.groups == [] and plan.outcomes[(0, 2)].status is Status.UNCHANGED and diff.removals == []

    plan, diff, _ = planned(write_workbook, {"geo-zip": [zip_row(c) for c in ("10001", "01001", "02134")]}, state)
    assert plan.groups == [] and {o.status for o in plan.outcomes.values()} == {Status.UNCHANGED}


def test_a_list_not_read_is_not_taken_for_empty(write_workbook):
    validated = validate_sheets(read_files([write_workbook({"geo-zip": [zip_row("02134")]})], "smartyads"))
    plan = build_plan(validated, skip_invalid=False)
    # Nothing was read (the read failed): send as the row says.
    apply_diff(plan, validated, LiveState("smartyads", {}, Touched()))
    assert len(plan.groups) == 1


def test_a_retitled_filter_list_keeps_its_items_without_reading_them_again(write_workbook):
    live = {"filter-lists": [{"id": 4, "ref": "filter-list-4", "title": "Old", "type": "domain",
                              "isInclude": True}],
            "filter-list-items": [{"filterList": "4", "item": "a.example.com"},
                                  {"filterList": "4", "item": "b.example.com"}]}
    row = {"id": 4, "title": "New", "type": "domain", "isInclude": "include"}
    plan, diff, _ = planned(write_workbook, {"filter-lists": [row]}, live)
    [op] = plan.operations
    assert op.payload == {"title": "New", "isInclude": True, "items": ["a.example.com", "b.example.com"]}

    items = [{"filterList": "4", "item": i} for i in ("b.example.com", "a.example.com")]
    plan, diff, _ = planned(write_workbook, {"filter-lists": [dict(row, title="Old")], "filter-list-items": items},
                            live)
    assert plan.operations[0].unchanged and {diff.rows[(1, r)].verdict for r in (2, 3)} == {"unchanged"}


def test_assignments_already_in_place_send_nothing(write_workbook):
    live = {"creatives": [{"id": 3, "ref": "creative-3", "name": "A", "isActive": True, "bidPrice": 1.0,
                           "campaigns": ["7"]}]}
    row = {"id": 3, "name": "A", "format": "banner-tag", "bidPrice": 1, "campaigns": "7", "isActive": "TRUE"}
    plan, _, touched = planned(write_workbook, {"creatives": [row]}, live)
    assert touched.lists == {"creatives": {7}} and plan.groups == []
    assert plan.outcomes[(0, 2)].status is Status.UNCHANGED


def test_a_text_cell_that_is_exactly_the_live_value_keeps_its_whitespace(write_workbook):
    live = dict(LIVE_CAMPAIGN, name="\tNorth ")
    plan, diff, _ = planned(write_workbook, {"campaigns": [{"id": 7, "name": "\tNorth "}]}, {"campaigns": [live]})
    assert plan.operations[0].unchanged and diff.rows[(0, 2)].verdict == "unchanged"

    plan, diff, _ = planned(write_workbook, {"campaigns": [{"id": 7, "name": "\tNorth ", "frequencyCap": 3}]},
                            {"campaigns": [live]})
    [op] = plan.operations
    assert op.payload == {"name": "\tNorth ", "frequencyCap": 3}  # the name the PATCH requires, as it is
    assert diff.rows[(0, 2)].describe() == "update: Frequency Cap: (blank) → 3"

    # Text that differs from the live value is new: it goes out as the coercer leaves it.
    plan, diff, _ = planned(write_workbook, {"campaigns": [{"id": 7, "name": "\tSouth"}]}, {"campaigns": [live]})
    assert plan.operations[0].payload == {"name": "South"}


def test_an_item_cell_that_is_exactly_a_live_item_is_that_item(write_workbook):
    live = {"filter-list-items": [{"filterList": "4", "item": " padded.example.com"}],
            "filter-lists": [{"id": 4, "ref": "filter-list-4", "title": "L", "type": "domain", "isInclude": True}]}
    plan, diff, _ = planned(write_workbook, {"filter-list-items": [{"filterList": "4", "item": " padded.example.com"}]},
                            live)
    assert plan.groups == [] and plan.outcomes[(0, 2)].status is Status.UNCHANGED


def test_an_update_of_a_field_the_update_route_does_not_list_is_warned_about(write_workbook):
    row = {"id": 7, "name": "North", "spentDailyLimit": 300, "OS": "iOS", "geoCountries": "USA"}
    _, diff, _ = planned(write_workbook, {"campaigns": [row]}, {"campaigns": [LIVE_CAMPAIGN]})
    warned = {(key, p.column): p.message for key, p in diff.warnings}
    assert warned == {
        ((0, 2), "Daily Spend Limit"): "0 → 300 (SmartyAds' campaign update, 11.4.1, does not list this field: the "
                                       "platform may keep 0)",
        ((0, 2), "Operating Systems"): "iOS, Android 13.0 → iOS (SmartyAds' campaign update, 11.4.1, does not list "
                                       "this field: the platform may keep iOS, Android 13.0)"}
    assert all(not p.is_error for _, p in diff.warnings)  # Countries: 11.4.1 lists it


def test_an_append_checks_the_whole_list_it_adds_to(write_workbook):
    state = {"geo-zip": live_zips(*(f"{n:05d}" for n in range(1000, 2500)))}
    plan, _, _ = planned(write_workbook, {"geo-zip": [zip_row("90210", "append")]}, state)
    [group] = plan.groups
    assert len(group.live) == 1500
    # one append, then the list read back: 1,501 ZIPs are two pages of 1,000
    assert estimate(plan, DEFAULT_PACE).requests == 1 + 1 + 2


def test_an_append_after_a_replace_of_the_same_list_is_not_settled_by_what_the_list_holds_now(write_workbook):
    # 02134 is on the platform now, but the replace (first) takes it off: the append must still send it.
    state = {"geo-zip": live_zips("02134", "10001")}
    # Two files of one job may give one list both modes: the replace goes first.
    paths = [write_workbook({"geo-zip": [zip_row("90210", "replace")]}),
             write_workbook({"geo-zip": [zip_row("02134", "append")]}, name="more.xlsx")]
    validated = validate_sheets(read_files(paths, "smartyads"))
    assert [p for v in validated for p in v.problems if p.is_error] == []
    plan = build_plan(validated, skip_invalid=False)
    apply_diff(plan, validated, LiveState("smartyads", state, touched_by(plan)))
    append = next(g for g in plan.groups if g.mode == "append")
    assert append.live is None  # its step reads the list after the replace
    assert (1, 2) not in plan.outcomes
