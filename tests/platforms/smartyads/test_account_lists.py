"""SmartyAds' own lists as reference data: audiences by title (12.1, 12.6; the row's Type narrows, a
blank one is filled), contextual targeting rules (13.1) and optimization rules (22.1) by name, through
the one loader, cache and resolver of `bulkops.reference`: each list read once, only when a row names
something by name, kept for a short time; unknown and shared names are their rows' errors."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from bulkops import registry
from bulkops._jobs import validate_files
from bulkops.platforms.smartyads._reference import ACCOUNT_LIST_TTL_S, REFERENCE
from bulkops.reference import ReferenceCache, Scope, load
from bulkops.registry import platform_named
from bulkops.validation import lookup_narrowing, lookup_values
from tests.conftest import campaign


class Lists:
    """A client with the account's lists, counting the reads."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    async def every_audience(self):
        self.reads.append("12.1")
        return [SimpleNamespace(id=i, title=t) for i, t in ((1, "Cart abandoners"), (2, "Auto intenders"),
                                                            (3, "Sale"), (4, "SALE"), (5, "Purchasers 90d"))]

    async def every_third_party_audience(self):
        self.reads.append("12.6")
        return [SimpleNamespace(id=i, title=t) for i, t in ((1, "Auto intenders"), (2, "Frequent travellers"))]

    async def every_contextual_target(self):
        self.reads.append("13.1")
        return [SimpleNamespace(id=i, name=n) for i, n in ((1, "Sports news"), (2, "Sports news"),
                                                           (4, "Travel planning"))]

    async def iter_optimization_rules(self, per_page: int = 100):
        self.reads.append("22.1")
        for rule_id, name in ((4, "Pause weak sources"), (7, "Keep winners"), (8, "Twice"), (9, "Twice")):
            yield SimpleNamespace(id=rule_id, name=name)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _validated(path, lists: Lists, cache: ReferenceCache | None = None):
    async def fetch(dictionary, scope: Scope):
        return await dictionary.load(lists, scope)

    def reference(sheets):
        return asyncio.run(load(REFERENCE, lookup_values(sheets), cache, fetch, narrowed=lookup_narrowing(sheets)))

    return validate_files([path], "smartyads", reference=reference).validated


def _sheet(validated, title: str):
    return next(item for item in validated if item.sheet.title == title)


def test_names_found_once_become_ids_and_the_list_fills_a_blank_type(write_workbook):
    lists = Lists()
    validated = _validated(write_workbook({
        "campaigns": [campaign(ref="c1", optimizationRule="pause WEAK sources"),
                      campaign(ref="c2", name="Two", optimizationRule="none"),
                      campaign(ref="c3", name="Three", optimizationRule="9")],
        "audiences": [{"campaign": "7", "audience": "cart  ABANDONERS"},
                      {"campaign": "7", "audience": "Frequent travellers"},
                      {"campaign": "7", "audience": "Auto intenders", "type": "thirdParty"},
                      {"campaign": "7", "audience": "Purchasers 90d", "type": "trade"},
                      {"campaign": "7", "audience": "Sale"},
                      {"campaign": "8", "audience": "12", "type": "collect"}],
        "contextual": [{"campaign": "7", "target": "travel planning"}, {"campaign": "7", "target": "3"}]}), lists)
    audiences = _sheet(validated, "Audiences")
    assert audiences.problems == []
    assert audiences.values[["audience", "type"]].values.tolist() == [
        ["1", "collect"], ["2", "thirdParty"], ["1", "thirdParty"], ["5", "trade"], ["3", "collect"],
        ["12", "collect"]]
    assert _sheet(validated, "Contextual").values["target"].tolist() == ["4", "3"]
    assert _sheet(validated, "Campaigns").values["optimizationRule"].tolist() == ["4", "none", "9"]
    assert lists.reads == ["12.1", "12.6", "13.1", "22.1"]  # once each, for eleven rows


def test_unknown_and_shared_names_are_row_errors_with_suggestions(write_workbook):
    validated = _validated(write_workbook({
        "campaigns": [campaign(ref="c1", optimizationRule="Pause weak source"),
                      campaign(ref="c2", name="Two", optimizationRule="Twice")],
        "audiences": [{"campaign": "7", "audience": "Cart abandonners"},
                      {"campaign": "7", "audience": "Auto intenders"},
                      {"campaign": "7", "audience": "Frequent travellers", "type": "collect"}],
        "contextual": [{"campaign": "7", "target": "Sports news"}]}), Lists())
    said = {(item.sheet.title, p.row): p.message for item in validated for p in item.problems}
    assert said == {
        ("Campaigns", 2): "'Pause weak source' is not a known optimization rule (did you mean 'Pause weak sources'?)",
        ("Campaigns", 3): "'Twice' names 2 optimization rule entries: Twice = 8; Twice = 9; say which: write the "
                          "code (8)",
        ("Audiences", 2): "'Cart abandonners' is not a known audience (did you mean 'Cart abandoners'?)",
        ("Audiences", 3): "'Auto intenders' names 2 audience entries: Auto intenders (collect) = 2; Auto intenders "
                          "(thirdParty) = 1; say which: write 'Auto intenders (collect)' or the code (2)",
        # The Type narrows: a third-party title is not a first-party audience.
        ("Audiences", 4): "'Frequent travellers' is not a known audience",
        ("Contextual", 2): "'Sports news' names 2 contextual targeting rule entries: Sports news = 1; Sports news = 2; "
                           "say which: write the code (1)"}
    # Errors, not bulkops's own checks: a name that does not resolve cannot be sent at all.
    assert all(p.is_error and not p.own for item in validated for p in item.problems)
    assert _sheet(validated, "Audiences").values["audience"].tolist()[1] == "Auto intenders"  # left as typed


def test_a_title_qualified_by_its_type_resolves_and_fills_the_type(write_workbook):
    validated = _validated(write_workbook({"audiences": [
        {"campaign": "7", "audience": "Auto intenders (thirdParty)"},
        {"campaign": "7", "audience": "Auto intenders (collect)", "type": "trade"}]}), Lists())
    audiences = _sheet(validated, "Audiences")
    assert audiences.problems == []
    assert audiences.values[["audience", "type"]].values.tolist() == [["1", "thirdParty"], ["2", "trade"]]


def test_only_the_audience_lists_the_rows_types_select_are_read(write_workbook, reference_cache):
    clock = Clock()

    def reads(rows: list[dict]) -> list[str]:
        lists = Lists()
        validated = _validated(write_workbook({"audiences": rows}), lists,
                               ReferenceCache("acct", reference_cache, clock=clock))
        assert _sheet(validated, "Audiences").problems == []
        return lists.reads

    assert reads([{"campaign": "7", "audience": "Frequent travellers", "type": "thirdParty"},
                  {"campaign": "7", "audience": "3", "type": "collect"}]) == ["12.6"]  # an ID reads nothing
    assert reads([{"campaign": "7", "audience": "Purchasers 90d", "type": "trade"}]) == ["12.1"]
    assert reads([{"campaign": "7", "audience": "Sale"}]) == []  # both lists are in the cache now
    clock.now += ACCOUNT_LIST_TTL_S
    assert reads([{"campaign": "7", "audience": "Sale"}]) == ["12.1", "12.6"]  # a blank Type: both


def test_a_job_naming_everything_by_id_reads_no_list(write_workbook):
    lists = Lists()
    validated = _validated(write_workbook({
        "campaigns": [campaign(optimizationRule="4")],
        "audiences": [{"campaign": "7", "audience": 12, "type": "collect"}],
        "contextual": [{"campaign": "7", "target": 4}]}), lists)
    assert lists.reads == [] and all(item.problems == [] for item in validated)


def test_the_lists_are_cached_for_a_short_time_and_the_geography_for_a_week(write_workbook, reference_cache):
    path = write_workbook({"campaigns": [campaign(geoCountries="United States", optimizationRule="Keep winners")]})
    clock = Clock()

    class WithCountries(Lists):
        async def list_countries(self):
            self.reads.append("15.1")
            return [SimpleNamespace(country_iso3="USA", country_name="United States", country_iso2="US")]

    def run() -> list[str]:
        lists = WithCountries()
        validated = _validated(path, lists, ReferenceCache("acct", reference_cache, clock=clock))
        assert _sheet(validated, "Campaigns").values.at[2, "optimizationRule"] == "7"
        return lists.reads

    assert run() == ["15.1", "22.1"]
    clock.now += ACCOUNT_LIST_TTL_S - 1
    assert run() == []  # plan, then the push: read once
    clock.now += 2
    assert run() == ["22.1"]  # the account's rules again; the countries are a week's


def test_platform_names_is_gone():
    assert not hasattr(platform_named("smartyads"), "names")
    assert not hasattr(registry, "NameLookup")
    assert {"audiences", "contextual-rules", "optimization-rules"} <= set(platform_named("smartyads").reference)
