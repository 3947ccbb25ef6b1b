"""A campaign row's settings as steps: a rule by its ID (its name was looked up before), and the requests each takes."""

from __future__ import annotations

import pytest

from bulkops.platforms.smartyads._settings_steps import rule_id_of, settings_requests


@pytest.mark.parametrize(("cell", "rule"), [("4", 4), (" 12 ", 12)])
def test_a_rule_reaches_the_steps_as_its_id(cell, rule):
    assert rule_id_of(cell) == rule


def test_a_rule_name_not_looked_up_is_refused_not_sent():
    with pytest.raises(ValueError, match="was not looked up"):
        rule_id_of("Pause weak sources")


def test_time_targeting_is_read_back_and_the_others_are_one_request_each():
    assert settings_requests({"timeTargeting": "always"}) == 2
    assert settings_requests({"ctrBooster": True, "optimizationRule": "4"}) == 2
    assert settings_requests({"timeTargeting": "Mon 09:00-10:00", "ctrBooster": False, "optimizationRule": "x"}) == 4
