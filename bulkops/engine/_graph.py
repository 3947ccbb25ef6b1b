"""Run a job's steps in dependency order: media → creatives and lists → campaigns' assignments.

Every step starts as soon as the steps it needs have finished, so independent branches (two
campaigns' ZIP lists, a creative while a campaign is created) run at once under the one rate
limiter. A step whose parent failed does not run: its rows are `skipped`, with the parent's reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bulkops._control import RunControl
from bulkops._exceptions import AuthError, PlatformError, RunStopped
from bulkops._retry import DEFAULT_RETRY, RetryPolicy
from bulkops.engine._journal import Journal
from bulkops.planner import SUCCESS, RowKey, RowOutcome, Status

# Worst first: when several steps speak for one row (a creative and its assignments), the row shows
# the worst of them, with every message; a row's own success outranks an assignment that was skipped
# (its message says which campaign it was not assigned to).
_RANK = {Status.FAILED: 0, Status.UNKNOWN: 1, Status.NOT_RUN: 2, Status.INVALID: 3, Status.CREATED: 4,
         Status.UPDATED: 5, Status.DELETED: 6, Status.SKIPPED: 7, Status.UNCHANGED: 8}


@dataclass
class Context:
    """What steps share during a run: IDs as they become known, the journal, the platform's verbs."""

    journal: Journal
    verbs: Mapping[str, Any]  # kind name (or "media", "assign-…") → the platform's adapter for it
    ids: dict[str, int] = field(default_factory=dict)  # "row:S:R" of an entity row → its platform ID
    media: dict[str, int] = field(default_factory=dict)  # absolute file path → media ID
    item_cap: int = 1000
    tick: Callable[[int], None] = lambda n: None  # progress: n requests' worth of work done
    control: RunControl = field(default_factory=RunControl)  # steps of many requests check it between them
    retry: RetryPolicy = DEFAULT_RETRY  # its `second_tries`: how often a write with a lost answer goes again

    @property
    def stopping(self) -> bool:
        return self.control.reason is not None


class StepFailed(Exception):
    """A step with no rows of its own failed; its dependants are skipped with this reason."""


@dataclass
class Done:
    ok: bool
    reason: str = ""
    # A step with no rows of its own (an upload) that the platform refused: its dependants failed
    # with it rather than being skipped, so the exit code says something went wrong.
    fails_children: bool = False
    stopped: bool = False  # it did not run because the run stopped: its dependants are `not run` too


StepRun = Callable[[Context], Awaitable[dict[RowKey, RowOutcome]]]


@dataclass
class Step:
    key: str
    what: str  # how a skipped child names this step: "campaign 'spring-sale' (Campaigns row 4)"
    run: StepRun
    rows: tuple[RowKey, ...] = ()  # rows this step speaks for (settled `not run` if the run stops)
    needs: tuple[str, ...] = ()  # steps that must succeed first
    wants: tuple[str, ...] = ()  # steps whose success it uses if it comes (a failed creative is left out)
    requests: int = 1  # expected requests, for the progress bar and the request count
    ok_when: Callable[[dict[RowKey, RowOutcome]], bool] = lambda outcomes: all(
        o.status in SUCCESS for o in outcomes.values())


def merge(outcomes: dict[RowKey, RowOutcome], row: RowKey, new: RowOutcome) -> None:
    old = outcomes.get(row)
    if old is None:
        outcomes[row] = new
        return
    worst, other = (new, old) if _RANK[new.status] < _RANK[old.status] else (old, new)
    messages = [m for m in (old.message, new.message) if m]
    outcomes[row] = RowOutcome(worst.status, "; ".join(dict.fromkeys(messages)), worst.id or other.id,
                               written=old.written or new.written)


async def run_steps(steps: Iterable[Step], ctx: Context, *, concurrency: int = 16,
                    outcomes: dict[RowKey, RowOutcome] | None = None) -> dict[RowKey, RowOutcome]:
    """Run every step once its needs are met; `outcomes` is filled as rows settle. A step that
    raises AuthError or RunStopped stops the run as `ctx.control.stop()` does: nothing new starts."""
    outcomes = {} if outcomes is None else outcomes
    control = ctx.control
    steps = list(steps)
    loop = asyncio.get_running_loop()
    finished: dict[str, asyncio.Future[Done]] = {s.key: loop.create_future() for s in steps}
    gate = asyncio.Semaphore(concurrency)
    stop: list[BaseException] = []

    async def one(step: Step) -> None:
        try:
            await _one(step)
        except BaseException as exc:
            if not finished[step.key].done():
                finished[step.key].set_result(Done(False, "the run stopped", stopped=True))
            raise exc

    async def _one(step: Step) -> None:
        for need in step.needs:
            done = await finished[need]
            if not done.ok:
                status = Status.NOT_RUN if done.stopped else Status.FAILED if done.fails_children else Status.SKIPPED
                _settle(step, status, done.reason)
                finished[step.key].set_result(Done(False, done.reason, stopped=done.stopped))
                return
        for want in step.wants:
            await finished[want]
        async with gate:
            if stop or control.reason:
                why = str(stop[0]) if stop else control.reason
                _settle(step, Status.NOT_RUN, f"not sent: {why}")
                finished[step.key].set_result(Done(False, f"not sent: {why}", stopped=True))
                return
            try:
                result = await step.run(ctx)
            except (AuthError, RunStopped) as exc:
                stop.append(exc)
                # A step stopped half-way may have sent something: the journal knows, the next run looks.
                why = f"{'not sent' if isinstance(exc, AuthError) else 'not finished'}: {exc}"
                _settle(step, Status.NOT_RUN, why)
                finished[step.key].set_result(Done(False, why, stopped=True))
                return
            except StepFailed as exc:
                _settle(step, Status.FAILED, str(exc))
                finished[step.key].set_result(Done(False, f"{step.what} failed: {exc}", fails_children=True))
                return
            except PlatformError as exc:
                # A read a step needed (a campaign's current list) failed: that step's rows fail,
                # the rest of the job goes on.
                _settle(step, Status.FAILED, exc.message)
                finished[step.key].set_result(Done(False, f"{step.what} failed: {exc.message}"))
                return
        for row, outcome in result.items():
            merge(outcomes, row, outcome)
        ok = step.ok_when(result)
        reason = "" if ok else _reason(step, result)
        finished[step.key].set_result(Done(ok, reason))

    def _settle(step: Step, status: Status, reason: str) -> None:
        for row in step.rows:
            merge(outcomes, row, RowOutcome(status, reason))

    await asyncio.gather(*(one(s) for s in steps))
    if stop:
        raise stop[0]
    return outcomes


def _reason(step: Step, result: Mapping[RowKey, RowOutcome]) -> str:
    failed = next((o for o in result.values() if o.status not in SUCCESS), None)
    why = f": {failed.message}" if failed and failed.message else ""
    return f"{step.what} did not succeed{why}"
