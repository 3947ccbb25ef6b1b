"""A campaign's one-value settings as an export and the live diff read them: time targeting (2.1), the
CTR booster (10.1) and the rule assigned (24.1), each its own request per campaign, in the values the
Campaigns sheet writes (`always`, TRUE/FALSE, the rule's name or ID, `none`).

An export writes a rule by its name when no other rule of the account has that name (one read of the
rules, 22.1), else by its ID. The live diff writes it as the job's row does (its ID when the row names
it by ID), so that a row naming the rule the campaign has compares equal either way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from bulkops.platforms.smartyads._routes import route
from bulkops.platforms.smartyads._schedule import text_of
from bulkops.platforms.smartyads.client import SmartyAdsClient as _Client
from bulkops.platforms.smartyads.kinds import NO_RULE, SETTING_FIELDS

__all__ = ["RULES", "campaign_settings", "unique_rule_names"]

HOURS, BOOSTER, RULE, RULES = (route(_Client.get_time_targeting), route(_Client.get_ctr_booster),
                               route(_Client.get_campaign_rule), route(_Client.iter_optimization_rules))

Call = Callable[..., Awaitable[Any]]  # a reader's call: counts the request, bounds reads at once


async def campaign_settings(call: Call, wanted: Mapping[int, Iterable[str]],
                            unique_names: set[str] | None = None,
                            spelling: Mapping[int, Any] | None = None) -> dict[int, dict[str, Any]]:
    """Campaign ID → {setting field: value} for the fields `wanted` names per campaign.

    `unique_names`: rule names an export may write (None: every name); `spelling`: per campaign, the
    job's cell for the rule (its ID is written when the cell holds digits)."""
    async def one(campaign_id: int, fields: set[str]) -> tuple[int, dict[str, Any]]:
        found: dict[str, Any] = {}
        if "timeTargeting" in fields:
            items = await call(HOURS, campaign_id)
            found["timeTargeting"] = text_of((i.dayOfWeek, i.hour) for i in items)
        if "ctrBooster" in fields:
            found["ctrBooster"] = bool(await call(BOOSTER, campaign_id))
        if "optimizationRule" in fields:
            rule = await call(RULE, campaign_id)
            found["optimizationRule"] = _rule_cell(rule, unique_names, (spelling or {}).get(campaign_id))
        return campaign_id, found

    asked = {cid: set(fields) & set(SETTING_FIELDS) for cid, fields in wanted.items()}
    answers = await asyncio.gather(*(one(cid, fields) for cid, fields in asked.items() if fields))
    return dict(answers)


def _rule_cell(rule: Any, unique_names: set[str] | None, cell: Any) -> str:
    if rule is None:
        return NO_RULE
    text = None if cell is None else str(cell).strip()
    by_id = text is not None and text.isascii() and text.isdigit()
    if by_id or (unique_names is not None and rule.name not in unique_names):
        return str(rule.id)
    return rule.name


def unique_rule_names(rules: Iterable[Any]) -> set[str]:
    """The names exactly one of the account's rules (as 22.1 lists them) has."""
    seen: dict[str, int] = {}
    for rule in rules:
        seen[rule.name] = seen.get(rule.name, 0) + 1
    return {name for name, count in seen.items() if count == 1}
