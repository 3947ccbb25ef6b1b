"""Audience titles and contextual targeting names looked up in the account's lists (12.1, 12.6, 13.1):
each list read once, a name found once becomes its ID (and its audience's type), an unknown or shared
name is its row's error with suggestions."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from bulkops._jobs import validate_files
from bulkops.platforms.smartyads._names import NAMES


class Lists:
    """A client with the three lists, counting the reads."""

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


def _resolved(write_workbook, sheets: dict) -> tuple[list, Lists]:
    report = validate_files([write_workbook(sheets)], "smartyads")
    assert NAMES.wanted(report.validated)
    lists = Lists()
    asyncio.run(NAMES.resolve(lists, report.validated))
    return report.validated, lists


def _sheet(validated, title: str):
    return next(item for item in validated if item.sheet.title == title)


def test_names_found_once_become_ids_and_the_list_says_the_type(write_workbook):
    validated, lists = _resolved(write_workbook, {
        "audiences": [{"campaign": "7", "audience": "cart  ABANDONERS"},
                      {"campaign": "7", "audience": "Frequent travellers"},
                      {"campaign": "7", "audience": "Auto intenders", "type": "thirdParty"},
                      {"campaign": "7", "audience": "Purchasers 90d", "type": "trade"},
                      {"campaign": "7", "audience": "Sale"},
                      {"campaign": "8", "audience": "12", "type": "collect"}],
        "contextual": [{"campaign": "7", "target": "travel planning"}, {"campaign": "7", "target": "3"}]})
    audiences = _sheet(validated, "Audiences")
    assert audiences.problems == []
    assert audiences.values[["audience", "type"]].values.tolist() == [
        ["1", "collect"], ["2", "thirdParty"], ["1", "thirdParty"], ["5", "trade"], ["3", "collect"],
        ["12", "collect"]]
    assert _sheet(validated, "Contextual").values["target"].tolist() == ["4", "3"]
    assert lists.reads == ["12.1", "12.6", "13.1"]  # once each, for eight rows


def test_only_the_lists_the_rows_need_are_read(write_workbook):
    _, lists = _resolved(write_workbook, {"audiences": [{"campaign": "7", "audience": "Pet owners",
                                                         "type": "thirdParty"}]})
    assert lists.reads == ["12.6"]


def test_unknown_and_shared_names_are_row_errors_with_suggestions(write_workbook):
    validated, _ = _resolved(write_workbook, {
        "audiences": [{"campaign": "7", "audience": "Cart abandonners"},
                      {"campaign": "7", "audience": "Auto intenders"},
                      {"campaign": "7", "audience": "Frequent travellers", "type": "collect"},
                      {"campaign": "7", "audience": "Zebra crossing"}],
        "contextual": [{"campaign": "7", "target": "Sports news"}]})
    problems = [(p.row, p.column, p.code, p.message) for p in _sheet(validated, "Audiences").problems]
    assert problems == [
        (2, "Audience", "unknown-name", "Audience 'Cart abandonners': no first-party or third-party audience of this "
                                        "account is named so; did you mean 'Cart abandoners'?"),
        (3, "Audience", "ambiguous-name", "Audience 'Auto intenders' names 2 audiences (2 (first-party audiences), 1 "
                                          "(third-party audiences)): write its ID, or set the Type"),
        (4, "Audience", "unknown-name", "Audience 'Frequent travellers': no first-party audience of this account is "
                                        "named so (and none is close)"),
        (5, "Audience", "unknown-name", "Audience 'Zebra crossing': no first-party or third-party audience of this "
                                        "account is named so (and none is close)")]
    assert all(p.is_error for p in _sheet(validated, "Audiences").problems)
    [rule] = _sheet(validated, "Contextual").problems
    assert rule.message == ("Contextual Targeting 'Sports news' names 2 contextual targeting rules (1, 2): "
                            "write its ID")
    assert _sheet(validated, "Audiences").values["audience"].tolist()[1] == "Auto intenders"  # left as typed


def test_a_job_naming_nothing_by_name_reads_no_list(write_workbook):
    report = validate_files([write_workbook({"audiences": [{"campaign": "7", "audience": 12, "type": "collect"}],
                                             "contextual": [{"campaign": "7", "target": 4}]})], "smartyads")
    assert not NAMES.wanted(report.validated)
