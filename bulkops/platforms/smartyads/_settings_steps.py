"""A campaign's one-value settings as steps: time targeting (2), the CTR booster (10) and the optimization
rule (24), each its own request on its own route, after the campaign exists and only when it changes.

The campaign's own create or update never carries them (`without_settings`). Each setting of each
campaign is journaled under the campaign's platform ID and the setting (`setting:<field>:<id>`), with
the value's digest: a later run of the same job sends nothing that an earlier run sent, unless the
live diff found the platform holding something else since.

Rules named by name are looked up once per run, in one step every other step of the job waits for:
a name that no rule has, or that several rules share, fails that step with suggestions, and nothing
of the job is sent.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops.engine import DONE, FAILED, INTENT, Context, Step, StepFailed, ambiguous, run_named
from bulkops.kinds import fingerprint
from bulkops.planner import Operation, RowKey, RowOutcome, Status
from bulkops.platforms.smartyads._schedule import items_of, parse, text_of
from bulkops.platforms.smartyads.kinds import SETTING_FIELDS, is_always, is_default_setting, is_no_rule

__all__ = ["RULES_STEP", "Settings", "rule_id_in", "settings_requests", "settings_steps", "without_settings"]

RULES_STEP = "optimization-rules"
_VERB = "campaign-settings"
NO_NAME = "none"  # what a row without a rule is read as, when looking for rules named by name


class Settings:
    """The client's settings routes, as the steps use them; the account's rules read once per run."""

    def __init__(self, client) -> None:
        self.client = client
        self.rules: dict[str, list[int]] | None = None  # name → the IDs of the rules with that name

    async def read_rules(self) -> dict[str, list[int]]:
        if self.rules is None:
            by_name: dict[str, list[int]] = {}
            async for rule in self.client.iter_optimization_rules(per_page=1000):
                by_name.setdefault(rule.name, []).append(rule.id)
            self.rules = by_name
        return self.rules

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


def rule_id_in(value: Any, rules: Mapping[str, list[int]] | None) -> int:
    """The rule a cell names: its ID (digits), or the one rule with that name (exactly, else ignoring
    case); ValueError with suggestions when no rule or several rules have it."""
    text = str(value).strip()
    if text.isascii() and text.isdigit():
        return int(text)
    assert rules is not None
    found = rules.get(text)
    if found is None:
        folded = [ids for name, ids in rules.items() if name.casefold() == text.casefold()]
        found = [i for ids in folded for i in ids] if folded else None
    if not found:
        close = difflib.get_close_matches(text, list(rules), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else \
            f"; the account has {len(rules)} rule{'s' if len(rules) != 1 else ''}"
        raise ValueError(f"no optimization rule is named {text!r}{hint}")
    if len(found) > 1:
        raise ValueError(f"{len(found)} optimization rules are named {text!r} (IDs {', '.join(map(str, found))}): "
                         "write the ID of the one you mean")
    return found[0]


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


def _names_rule(value: Any) -> bool:
    text = str(value).strip()
    return not is_no_rule(text) and not (text.isascii() and text.isdigit())


def settings_requests(settings: Mapping[str, Any]) -> int:
    """Requests a campaign's settings take: one each, and the read-back of time targeting (2.2 and 2.4
    answer only a message)."""
    return len(settings) + int("timeTargeting" in settings)


def settings_steps(operations: Sequence[Operation], entity_step: Mapping[str, str]) -> tuple[list[Step], str | None]:
    """The settings steps of the plan's campaign operations, and the key of the rules lookup every
    other step must wait for (None: no row names a rule by name)."""
    steps: list[Step] = []
    named = False
    for op in operations:
        if op.kind.name != "campaigns" or op.action == "delete" or op.unchanged:
            continue
        settings = _settings_of(op)
        if not settings:
            continue
        named = named or _names_rule(settings.get("optimizationRule", NO_NAME))
        steps.append(_step(op, settings, entity_step[op.row_ref]))
    if not named:
        return steps, None
    names = sorted({str(op.payload["optimizationRule"]).strip() for op in operations
                    if op.kind.name == "campaigns" and _names_rule(op.payload.get("optimizationRule", NO_NAME))})
    return [_rules_step(names), *steps], RULES_STEP


def _rules_step(names: Sequence[str]) -> Step:
    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        try:
            rules = await ctx.verbs[_VERB].read_rules()
        except PlatformError as exc:
            raise StepFailed(f"the optimization rules could not be read: {exc.message}") from None
        ctx.tick(1)
        problems = []
        for name in names:
            try:
                rule_id_in(name, rules)
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise StepFailed("; ".join(problems) + " (nothing of this job was sent)")
        return {}

    return Step(RULES_STEP, "the lookup of optimization rules by name", run, requests=1)


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
    rule_id = None if is_no_rule(value) else rule_id_in(value, verbs.rules)
    await verbs.set_rule(campaign_id, rule_id)
    ctx.tick(1)
    return f"{column} removed" if rule_id is None else f"{column} set to rule {rule_id}"
