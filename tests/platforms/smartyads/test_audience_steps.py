"""The requests a campaign's audiences or contextual targeting take, by mode and by what is known of the
campaign's list, without a network (the sandbox runs in tests/test_e2e_audiences.py)."""

from __future__ import annotations

import pytest

from bulkops.kinds import APPEND, REMOVE, REPLACE
from bulkops.planner import Group, Member
from bulkops.platforms.smartyads._audience_steps import assigned_requests
from bulkops.validation import Parent, RowRef

EXISTING = Parent("campaigns", id=7)
NEW = Parent("campaigns", row=RowRef(0, 2))


def _audiences(mode: str, parent: Parent, items: list[tuple[object, str | None]], live: list | None = None) -> Group:
    members = [Member((1, n), {"audience": audience, "type": kind}) for n, (audience, kind) in enumerate(items, 2)]
    rows = None if live is None else [{"campaign": "7", "audience": str(i), "type": t, "mode": None} for i, t in live]
    return Group("audiences", parent, mode, members, live=rows)


def _rules(mode: str, parent: Parent, ids: list[object], live: list[int] | None = None) -> Group:
    members = [Member((1, n), {"target": i}) for n, i in enumerate(ids, 2)]
    rows = None if live is None else [{"campaign": "7", "target": str(i), "mode": None} for i in live]
    return Group("contextual", parent, mode, members, live=rows)


@pytest.mark.parametrize(("group", "requests"), [
    # A new campaign holds nothing: one write, one read back.
    (_audiences(REPLACE, NEW, [(2, "collect"), (2, "thirdParty")]), 2),
    (_rules(APPEND, NEW, [4, 3]), 2),
    # An append of what the campaign holds (the live comparison read it) sends nothing.
    (_audiences(APPEND, EXISTING, [(2, "collect")], live=[(2, "collect"), (5, "trade")]), 0),
    (_rules(APPEND, EXISTING, [4, 4], live=[4]), 0),
    # A remove of what it does not hold sends nothing; of what it holds, one write and one read.
    (_audiences(REMOVE, EXISTING, [(9, None)], live=[(2, "collect")]), 0),
    (_audiences(REMOVE, EXISTING, [(2, None)], live=[(2, "collect"), (5, "trade")]), 2),
    (_rules(REMOVE, EXISTING, [4], live=[4]), 2),
    # Not compared (a second file's append after a replace): the list is read first.
    (_audiences(APPEND, EXISTING, [(2, "collect")]), 3),
    (_rules(REMOVE, EXISTING, [4]), 3),
    # A name not looked up yet (plan --offline) counts as the ID it will be.
    (_audiences(REPLACE, EXISTING, [("Cart abandoners", None)], live=[]), 2),
])
def test_requests_at_the_minimum(group, requests):
    assert assigned_requests(group, cap=1000) == requests


def test_past_the_item_cap_a_replace_goes_in_chunks_and_each_page_is_read_back():
    ids = list(range(1, 2501))
    assert assigned_requests(_audiences(REPLACE, NEW, [(i, "collect") for i in ids]), cap=1000) == 3 + 3
    assert assigned_requests(_rules(REPLACE, NEW, ids), cap=1000) == 3 + 1  # 9.1 answers every ID at once
