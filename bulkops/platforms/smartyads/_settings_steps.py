"""A campaign's one-value settings as steps: time targeting (2), the CTR booster (10) and the optimization
rule (24), each its own request on its own route, after the campaign exists and only when it changes.

The campaign's own create or update never carries them (`without_settings`). Each setting of each
campaign is journaled under the campaign's platform ID and the setting (`setting:<field>:<id>`), with
the value's digest: a later run of the same job sends nothing that an earlier run sent, unless the
live diff found the platform holding something else since.

A rule named by name reaches the steps as its ID: the Optimization Rule column is looked up in the
account's rules (22.1) as reference data before the job is planned (`_reference.py`), so a name no
rule has, or several rules share, is its row's error and nothing of the job is sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops.engine import DONE, FAILED, INTENT, Context, Step, ambiguous, run_named
from bulkops.kinds import fingerprint
from bulkops.planner import Operation, RowKey, RowOutcome, Status
from bulkops.platforms.smartyads._schedule import items_of, parse, text_of
from bulkops.platforms.smartyads.kinds import SETTING_FIELDS, is_always, is_default_setting, is_no_rule

__all__ = ["Settings", "rule_id_of", "settings_requests", "settings_steps", "without_settings"]

_VERB = "campaign-settings"


class Settings:
    """The client's settings routes, as the steps use them."""

    def __init__(self, client) -> None:
        self.client = client

    async def hours(self, campaign_id: int) -> str:
        """The campaign's time targeting as the canonical text (`always` for none)."""
        return text_of((i.dayOfWeek, i.hour) for i in await self.client.get_time_targeting(campaign_id))

    async def set_hours(self, campaign_id: int, text: str) -> None:
        if is_always(text):
            await self.client.delete_time_targeting(campaign_id)
        else:  # the hours are in UTC already (see kinds._settings.repair_settings)
            await self.client.replace_time_targeting(campaign_id, items_of(parse(text)), time_zone=0)

    async def set_booster(self, campaign_id: int, on: bool) -> None:
        if not on:
            await self.client.disable_ctr_booster(campaign_id)
            return
        try:
            await self.client.enable_ctr_booster(campaign_id)
        except PlatformError as exc:
            # 10.2 creates a record: after a lost answer, look before enabling it again.
            if not ambiguous(exc) or not await self.client.get_ctr_booster(campaign_id):
                raise

    async def set_rule(self, campaign_id: int, rule_id: int | None) -> int | None:
        """Assign the rule (None: remove the campaign's rule); the rule ID the answer shows."""
        if rule_id is None:
            await self.client.remove_campaign_rule(campaign_id)
            return None
        await self.client.assign_campaign_rule(campaign_id, rule_id)
        return rule_id


def rule_id_of(value: Any) -> int:
    """The rule ID a cell holds once validation looked its name up (`Optimization Rule` names the
    account's rules as reference data); ValueError for anything else."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"the optimization rule {text!r} was not looked up: push it again to look it up")
    return int(text)


def without_settings(op: Operation) -> Operation:
    """The campaign's own create or update, without the settings; an update whose only changes were
    settings (the live diff trimmed it to them and the fields every update sends) sends nothing itself."""
    if op.kind.name != "campaigns" or not any(f in op.payload for f in SETTING_FIELDS):
        return op
    payload = {k: v for k, v in op.payload.items() if k not in SETTING_FIELDS}
    unchanged = op.unchanged or (op.action == "update" and op.compared and set(payload) <= set(op.kind.update_requires))
    return replace(op, payload=payload, unchanged=unchanged)


def _settings_of(op: Operation) -> dict[str, Any]:
    """The settings this row sends: on a create, those that differ from a new campaign's (no time
    targeting, booster off, no rule)."""
    found = {f: op.payload[f] for f in SETTING_FIELDS if op.payload.get(f) is not None}
    if op.action == "create":
        found = {f: v for f, v in found.items() if not is_default_setting(f, v)}
    return found


def settings_requests(settings: Mapping[str, Any]) -> int:
    """Requests a campaign's settings take: one each, and the read-back of time targeting (2.2 and 2.4
    answer only a message)."""
    return len(settings) + int("timeTargeting" in settings)


def settings_steps(operations: Sequence[Operation], entity_step: Mapping[str, str]) -> list[Step]:
    """The settings steps of the plan's campaign operations, each after its campaign's step."""
    steps: list[Step] = []
    for op in operations:
        if op.kind.name != "campaigns" or op.action == "delete" or op.unchanged:
            continue
        settings = _settings_of(op)
        if settings:
            steps.append(_step(op, settings, entity_step[op.row_ref]))
    return steps


def _step(op: Operation, settings: dict[str, Any], campaign_step: str) -> Step:
    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        campaign_id = ctx.ids.get(op.row_ref) if op.target_id is None else op.target_id
        if campaign_id is None:
            return {op.row_key: RowOutcome(Status.SKIPPED, "settings not sent: the campaign has no ID")}
        verbs: Settings = ctx.verbs[_VERB]
        said, failed = [], []
        earlier: dict[str, list[str]] = {}  # an earlier run, as named → the columns it sent
        for field, value in settings.items():
            key = f"setting:{field}:campaigns:{campaign_id}"
            digest = fingerprint({field: value})
            entry = ctx.journal.get(key)
            if entry is not None and entry.state == DONE and entry.fingerprint == digest and not op.compared:
                earlier.setdefault(run_named(entry, ctx.journal), []).append(op.column(field))
                continue
            ctx.journal.record(key, kind="campaigns", action="setting", state=INTENT, fingerprint=digest)
            try:
                said.append(await _send(verbs, ctx, op, campaign_id, field, value))
            except (PlatformError, ValueError) as exc:
                message = getattr(exc, "message", None) or str(exc)
                if not (isinstance(exc, PlatformError) and ambiguous(exc)):
                    ctx.journal.record(key, kind="campaigns", action="setting", state=FAILED, fingerprint=digest,
                                       message=message)
                failed.append(f"{op.column(field)}: {message}")
                continue
            ctx.journal.record(key, kind="campaigns", action="setting", state=DONE, fingerprint=digest,
                               result_id=campaign_id)
        said += [f"{', '.join(columns)} sent by {run}" for run, columns in earlier.items()]
        if failed:
            return {op.row_key: RowOutcome(Status.FAILED, "; ".join(failed + said), campaign_id, written=True)}
        status = Status.CREATED if op.action == "create" else Status.UPDATED
        return {op.row_key: RowOutcome(status, "; ".join(said), campaign_id)}

    what = f"the settings of {op.label or op.row_ref}"
    return Step(f"settings:{op.row_ref}", what, run, rows=(op.row_key,), needs=(campaign_step,),
                requests=settings_requests(settings))


async def _send(verbs: Settings, ctx: Context, op: Operation, campaign_id: int, field: str, value: Any) -> str:
    """Send one setting and check it; what the row's Message says of it."""
    column = op.column(field)
    if field == "timeTargeting":
        await verbs.set_hours(campaign_id, str(value))
        held = await verbs.hours(campaign_id)  # 2.2 and 2.4 answer only a message: read it back
        ctx.tick(2)
        if held != str(value):
            raise ValueError(f"sent {value}, but the platform holds {held}")
        return f"{column} set"
    if field == "ctrBooster":
        await verbs.set_booster(campaign_id, bool(value))
        ctx.tick(1)
        return f"{column} {'on' if value else 'off'}"
    rule_id = None if is_no_rule(value) else rule_id_of(value)
    await verbs.set_rule(campaign_id, rule_id)
    ctx.tick(1)
    return f"{column} removed" if rule_id is None else f"{column} set to rule {rule_id}"
