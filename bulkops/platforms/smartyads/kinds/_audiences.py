"""SmartyAds audiences assigned to a campaign (section 7) and its contextual targeting (section 9).

One audience (rule) per row, naming its campaign by ID or Ref and the audience (rule) by ID or by the
title (name) the account lists it under (12.1 and 12.6; 13.1): a name is looked up in the account's
lists as reference data (`lookup=`, `bulkops/platforms/smartyads/_reference.py`), the audience's Type
narrowing it, and the row then sends its ID. The run groups rows by campaign and mode: one request
per campaign and mode.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import APPEND, REMOVE, REPLACE, ColType, Column, Kind, SheetContext, id_number, is_id, mode, parent

PLATFORM = "smartyads"
AUDIENCE_TYPES = ("collect", "trade", "thirdParty")  # 7.1: the audience's relation type
_MODES = (REPLACE, APPEND, REMOVE)


def named_id(value: Any) -> int | str | None:
    """A cell naming an audience or a rule: its ID (a whole number), else its name as typed."""
    if value is None:
        return None
    number = id_number(str(value))
    return number if number is not None else str(value).strip()


def _not_an_id(frame: pd.DataFrame, field_name: str, where: SheetContext) -> list[Problem]:
    """A whole number that no ID can be (0, or longer than any): refused rather than looked up as a name."""
    header = where.header(field_name)
    return [where.problem(row, header, "id", f"{header} {value} is not an ID (IDs are whole numbers from 1)")
            for row, value in frame[field_name].items()
            if isinstance(named_id(value), int) and not is_id(named_id(value))]  # type: ignore[arg-type]


def _audience_checks(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    problems = _not_an_id(frame, "audience", where)
    audience, kind_header = where.header("audience"), where.header("type")
    for row, values in zip(frame.index, frame[["audience", "type", "mode"]].to_dict("records"), strict=True):
        if isinstance(named_id(values["audience"]), int) and values["type"] is None and values["mode"] != REMOVE:
            # An ID alone does not say which list it is in: 12.1's and 12.6's IDs are numbered apart.
            problems.append(where.problem(row, kind_header, "required",
                                          f"{kind_header} is required when {audience} is an ID (except to remove it)"))
    return problems


def _audience_payload(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"audience": named_id(values["audience"]), "type": values.get("type")}


AUDIENCES = Kind(
    name="audiences", appendable=True, sheet="Audiences", platform=PLATFORM,
    columns=(
        parent("Campaign", "campaign", "campaigns", "campaign", "spring-sale"),
        Column("Audience", "audience", ColType.TEXT,
               "The audience's ID, or its title as the account lists it (first-party or third-party audiences): "
               "a title is looked up when the job is planned or pushed, and must name one audience. A whole "
               "number is read as an ID. Sent as the item's id (7.2.1: items.*.id).", example="Cart abandoners",
               required=True, max_length=255, lookup="audiences", lookup_within="type"),
        Column("Type", "type", ColType.ENUM,
               "How the campaign uses the audience: collect (first-party retargeting), trade (lookalike) or "
               "thirdParty (a data provider's). Required with an ID. With a title, blank means the list the "
               "title is in: collect for a first-party audience, thirdParty for a third-party one. Sent as "
               "items.*.type (7.2.1).",
               example="collect", choices=AUDIENCE_TYPES),
        mode("audience list", _MODES),
    ),
    checks=(_audience_checks,),
    payload=_audience_payload,
    item_fields=("audience", "type"),
)


def _contextual_checks(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    return _not_an_id(frame, "target", where)


CONTEXTUAL = Kind(
    name="contextual", appendable=True, sheet="Contextual", platform=PLATFORM,
    columns=(
        parent("Campaign", "campaign", "campaigns", "campaign", "spring-sale"),
        Column("Contextual Targeting", "target", ColType.TEXT,
               "The contextual targeting rule's ID, or its name as the account lists it: a name is looked up "
               "when the job is planned or pushed, and must name one rule. A whole number is read as an ID. "
               "Sent in targetIds (9.2.1).",
               example="Travel planning", required=True, max_length=255, lookup="contextual-rules"),
        mode("contextual targeting", _MODES),
    ),
    checks=(_contextual_checks,),
    payload=lambda values: {"target": named_id(values["target"])},
    item_fields=("target",),
)

__all__ = ["AUDIENCES", "AUDIENCE_TYPES", "CONTEXTUAL", "named_id"]
