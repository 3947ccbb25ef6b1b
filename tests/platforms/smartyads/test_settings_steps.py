"""A campaign row's settings as steps: rules named by ID or name, and the campaign's own request without them."""

from __future__ import annotations

import pytest

from bulkops.platforms.smartyads._settings_steps import rule_id_in, settings_requests

RULES = {"Pause weak sources": [4], "Keep winners": [7], "Twice": [8, 9]}


@pytest.mark.parametrize(("cell", "rule"), [("4", 4), (" 12 ", 12), ("Pause weak sources", 4),
                                            ("pause WEAK sources", 4), (" Keep winners ", 7)])
def test_a_rule_by_id_or_by_name(cell, rule):
    assert rule_id_in(cell, RULES) == rule


@pytest.mark.parametrize(("cell", "says"), [
    ("Pause weak source", "no optimization rule is named 'Pause weak source'; did you mean 'Pause weak sources'?"),
    ("Twice", "2 optimization rules are named 'Twice' (IDs 8, 9): write the ID of the one you mean"),
    ("Nothing like it", "no optimization rule is named 'Nothing like it'; the account has 3 rules"),
])
def test_an_unknown_or_shared_name_is_refused_with_suggestions(cell, says):
    with pytest.raises(ValueError) as caught:
        rule_id_in(cell, RULES)
    assert str(caught.value) == says


def test_time_targeting_is_read_back_and_the_others_are_one_request_each():
    assert settings_requests({"timeTargeting": "always"}) == 2
    assert settings_requests({"ctrBooster": True, "optimizationRule": "4"}) == 2
    assert settings_requests({"timeTargeting": "Mon 09:00-10:00", "ctrBooster": False, "optimizationRule": "x"}) == 4
