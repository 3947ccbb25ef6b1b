"""The library's jobs: validate and push, as plain functions the CLI (or a script) calls.

    read → validate → plan → execute (journaled) → results workbook
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from bulkops._config import Credentials
from bulkops._control import ProgressCallback, StopHandle, counting
from bulkops._exceptions import AccountBusy, ConfigError, Interrupted
from bulkops._lookup import reference_for, reference_loaded
from bulkops._problems import Problem
from bulkops._sync import run_sync
from bulkops.engine import (
    DEFAULT_PACE,
    AccountLock,
    Estimate,
    Journal,
    Pace,
    SessionOnDemand,
    estimate,
    execute,
    import_legacy,
    lenient,
    naming_existing,
    settle_against_live,
    settle_offline,
    settled_earlier,
    steps_of,
    undocumented_columns,
)
from bulkops.io import (
    UNREAD_SHEET,
    Inputs,
    Renewed,
    ResultRow,
    RunFacts,
    SheetData,
    fresh_titles,
    read_inputs,
    renew_sheets,
    status_counts,
    write_results,
)
from bulkops.planner import (
    DEFAULT_ITEM_CAP,
    SUCCESS,
    Diff,
    LiveState,
    Plan,
    RowKey,
    RowOutcome,
    Status,
    apply_diff,
    build_plan,
    can_diff,
    read_live,
    reads_live,
    touched_by,
)
from bulkops.reference import Reference
from bulkops.registry import HeldReading, platform_named
from bulkops.validation import ValidatedSheet, validate_sheets

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
T = TypeVar("T")


@dataclass
class ValidationReport:
    validated: list[ValidatedSheet]
    unread: list[Problem] = field(default_factory=list)  # sheets not read: errors and "ignored" warnings
    renewed: Renewed = field(default_factory=Renewed)  # read as new (`as_new`): each row's old ID
    reference: Reference | None = None  # the dictionaries the lookup columns were checked against

    @property
    def problems(self) -> list[Problem]:
        return [*self.unread, *(p for v in self.validated for p in v.problems)]

    @property
    def unread_sheets(self) -> list[Problem]:
        """Sheets that look like a kind's but are not read: the job must not go out without them."""
        return unread_sheets(self.unread)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        """No error: a push of the files would send every row (warnings do not hold it)."""
        return not self.errors

    @property
    def rows(self) -> int:
        return sum(len(v.values) for v in self.validated)


@dataclass(frozen=True)
class RowResult:
    """What a push did to one row, as the results workbook says it."""

    sheet: str  # the sheet's title in the results workbook
    row: int  # its spreadsheet row number
    status: str  # created, updated, unchanged, deleted, failed, unknown, invalid, skipped, not run
    message: str
    id: int | None  # the platform's ID of the row's object, where it has one
    old_id: int | None = None  # pushed as new: the ID the row held (the object it was made from)


@dataclass
class PushReport:
    sheets: list[SheetData]
    outcomes: dict[RowKey, RowOutcome]
    facts: RunFacts
    results_path: Path
    journal_path: Path | None  # None: nothing was sent, so no journal was opened
    problems: list[Problem] = field(default_factory=list)
    sent: bool = True
    # Said before anything was sent (an update of a field the document's update route does not list).
    warned: list[Problem] = field(default_factory=list)
    # Pushed as new: each row's ID in the workbook it was read from (its new ID is the outcome's).
    old_ids: dict[RowKey, int] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        counted = status_counts(self.sheets, row_results(self.outcomes))
        return {sheet: dict(counter) for sheet, counter in counted.items()}

    @property
    def rows(self) -> list[RowResult]:
        """Every row's outcome, in sheet and row order."""
        titles = fresh_titles(self.sheets)
        return [RowResult(titles[sheet_no], row, outcome.status.value, outcome.message, outcome.id,
                          self.old_ids.get((sheet_no, row)))
                for (sheet_no, row), outcome in sorted(self.outcomes.items())]

    @property
    def requests_sent(self) -> int:
        return self.facts.requests_sent

    @property
    def unread_sheets(self) -> list[Problem]:
        """Sheets that look like a kind's but are not read: nothing was sent."""
        return unread_sheets(self.problems)

    @property
    def ok(self) -> bool:
        """Every row was done (or was unchanged); none failed, was invalid, skipped or left unsent."""
        return all(o.status in SUCCESS for o in self.outcomes.values())

    @property
    def exit_code(self) -> int:
        statuses = {o.status for o in self.outcomes.values()}
        if not self.sent and (Status.INVALID in statuses or unread_sheets(self.problems)):
            return EXIT_INVALID
        if statuses - SUCCESS - {Status.INVALID, Status.SKIPPED}:
            return EXIT_FAILED
        return EXIT_OK


def validate_files(paths: Sequence[Path], platform: str, *, kind: str | None = None,
                   offline: bool = False, decimal: str | None = None,
                   reference: ReferenceOf | None = None, as_new: bool = False) -> ValidationReport:
    """Every problem of the files. `offline` (the `validate` command): bulkops's own checks on rows
    naming an existing object warn instead of refusing, since only the live state could tell whether
    the platform holds the value already (see `bulkops.engine._own`). `decimal`: ',' or '.' to read
    numbers typed as text with that decimal mark in every file. `reference`: loads the dictionaries
    the sheets' lookup columns need (`reference_of`); None: those columns are not checked. `as_new`:
    every object is a create, the IDs only saying which row is which (`push --as-new`: see
    `bulkops.io._renew`)."""
    inputs, renewed = _read_job(paths, platform, kind=kind, decimal=decimal, as_new=as_new)
    loaded = reference(inputs.sheets) if reference is not None else None
    return _validated(inputs, renewed, platform, loaded, offline=offline)


def _read_job(paths: Sequence[Path], platform: str, *, kind: str | None, decimal: str | None,
              as_new: bool) -> tuple[Inputs, Renewed]:
    inputs = read_inputs(paths, platform, kind=kind, decimal=decimal)
    return inputs, (_renew(inputs.sheets) if as_new else Renewed())


def _validated(inputs: Inputs, renewed: Renewed, platform: str, loaded: Reference | None, *,
               offline: bool = False) -> ValidationReport:
    """The sheets read, checked against the dictionaries `loaded` (see `validate_files`)."""
    report = ValidationReport(validate_sheets(inputs.sheets, loaded), inputs.unread, renewed, loaded)
    platform_named(platform).settle_unsent(report.validated)  # e.g. an existing creative used as it is
    if offline:
        _settle_offline(report.validated)
    return report


ReferenceOf = Callable[[Sequence[SheetData]], Reference | None]


def reference_of(platform: str, *, base_url: str, creds: Credentials | Callable[[], Credentials] | None,
                 pace: Pace = DEFAULT_PACE, online: bool, refresh: bool = False) -> ReferenceOf:
    """How a job loads its dictionaries (see `bulkops._lookup`), once, for the account of `creds`."""
    def loaded(sheets: Sequence[SheetData]) -> Reference | None:
        return reference_for(sheets, platform, base_url=base_url, creds=creds, pace=pace, online=online,
                             refresh=refresh, account_of=lambda given: account_scope(platform, base_url, given))

    return loaded


async def _reference_read(sheets: Sequence[SheetData], platform: str, *, base_url: str,
                          creds: Credentials | Callable[[], Credentials] | None, pace: Pace, online: bool,
                          refresh: bool, session: SessionOnDemand) -> Reference | None:
    """The job's dictionaries (as `reference_of` loads them), read in the job's own session: a
    plan or a push that reads some logs in once, for them and for what it does next."""
    return await reference_loaded(sheets, platform, base_url=base_url, creds=creds, pace=pace,
                                  online=online, refresh=refresh, session=session,
                                  account_of=lambda given: account_scope(platform, base_url, given))


def _once(creds: Credentials | Callable[[], Credentials] | None) -> Credentials | Callable[[], Credentials] | None:
    """The credentials, looked up once however often a job asks for them (its dictionaries' read, then
    its sending)."""
    if not callable(creds):
        return creds
    found: list[Credentials] = []

    def looked_up() -> Credentials:
        if not found:
            found.append(creds())
        return found[0]

    return looked_up


def _renew(sheets: Sequence[SheetData]) -> Renewed:
    results = sorted({s.file for s in sheets if s.output_columns})
    if results:
        # Its IDs are the new account's already: read as new, it would make every object once more.
        raise ConfigError(f"{', '.join(results)} is a results workbook (it has Status and Message columns), whose IDs "
                          "are those the objects were given: --as-new takes the workbook they came from (the export); "
                          "to finish a stopped --as-new push, push that workbook with --as-new again")
    return renew_sheets(sheets)


def unread_sheets(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.code == UNREAD_SHEET and p.is_error]


def _settle_offline(validated: Sequence[ValidatedSheet]) -> None:
    settle_offline(validated)
    undocumented_columns(validated)
    for item in validated:
        item.problems.sort(key=lambda p: (p.file, p.sheet, p.row or 0, p.column or ""))


@dataclass
class PlanSummary:
    sheets: dict[str, dict[str, int]]  # sheet → verdict (create, update, delete, unchanged, skip, …) → rows
    estimate: Estimate
    problems: list[Problem]
    invalid: int
    validated: list[ValidatedSheet] = field(default_factory=list)
    rows: dict[RowKey, str] = field(default_factory=dict)  # row → what a push would do, for the Plan column
    diff: Diff | None = None  # None: nothing of the job exists yet, or planned offline
    reads: int = 0  # requests the live read took (a push makes them again)
    offline_reason: str = ""  # why the live state was not read
    skip_invalid: bool = False  # planned with --skip-invalid: invalid rows do not hold the push

    @property
    def live(self) -> bool:
        return self.diff is not None

    @property
    def requests(self) -> int:
        """Requests the push would make, its login included."""
        return self.estimate.requests

    @property
    def seconds(self) -> float:
        """How long they take at the platform's rate."""
        return self.estimate.seconds

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        """A push would go out as planned: no sheet unread, and no invalid row (unless skipped)."""
        return not self.held and (self.skip_invalid or not self.invalid)

    @property
    def held(self) -> bool:
        """A sheet of the job is not read: a push would send nothing, --skip-invalid or not."""
        return bool(unread_sheets(self.problems))


def plan_files(paths: Sequence[Path], platform: str, *, kind: str | None = None, skip_invalid: bool = False,
               item_cap: int = DEFAULT_ITEM_CAP, pace: Pace = DEFAULT_PACE, base_url: str | None = None,
               creds: Credentials | Callable[[], Credentials] | None = None, offline: bool = False,
               append: Sequence[str] = (), decimal: str | None = None, refresh_reference: bool = False,
               as_new: bool = False) -> PlanSummary:
    """What a push would do: rows per sheet to create, update (which fields, old → new), delete or
    leave unchanged, lists a replace would shorten, then requests and time at the platform's rate.

    The live state of what the job touches is read first (with `creds`), unless `offline` or the
    job touches nothing that exists (every row a create), or the platform has no live reader yet;
    bulkops's own checks then refuse only values the platform does not hold already. Dictionaries the
    job names are read where the account's cache lacks them (with `offline`, the cache alone), and
    all of them with `refresh_reference`. The dictionaries' read and the live read share one login.
    """
    return run_sync(_plan_job(paths, platform, kind=kind, skip_invalid=skip_invalid, item_cap=item_cap, pace=pace,
                              base_url=base_url, creds=creds, offline=offline, append=append, decimal=decimal,
                              refresh_reference=refresh_reference, as_new=as_new))


async def _plan_job(paths: Sequence[Path], platform: str, *, kind: str | None, skip_invalid: bool, item_cap: int,
                    pace: Pace, base_url: str | None, creds: Credentials | Callable[[], Credentials] | None,
                    offline: bool, append: Sequence[str], decimal: str | None, refresh_reference: bool,
                    as_new: bool) -> PlanSummary:
    """`plan_files` in one event loop, so that its reads share one session."""
    creds = _once(creds)
    async with SessionOnDemand(platform, base_url or "", creds, pace, item_cap=item_cap) as session:
        inputs, renewed = _read_job(paths, platform, kind=kind, decimal=decimal, as_new=as_new)
        loaded = await _reference_read(inputs.sheets, platform, base_url=base_url or "", creds=creds, pace=pace,
                                       online=not offline and base_url is not None, refresh=refresh_reference,
                                       session=session)
        report = _validated(inputs, renewed, platform, loaded)
        return await _planned(report, platform, skip_invalid=skip_invalid, item_cap=item_cap, pace=pace,
                              offline=offline, append=append, session=session)


async def _planned(report: ValidationReport, platform: str, *, skip_invalid: bool, item_cap: int, pace: Pace,
                   offline: bool, append: Sequence[str], session: SessionOnDemand) -> PlanSummary:
    validated = report.validated
    def build(sheets: Sequence[ValidatedSheet]) -> Plan:
        return build_plan(sheets, skip_invalid=skip_invalid, item_cap=item_cap, append=frozenset(append))

    existing = naming_existing(validated)
    # What the job could send once own-check errors on values the platform holds are warnings.
    probe = build(lenient(validated, existing))
    plan, diff, reads, reason = probe, None, 0, ""
    touched = touched_by(probe)
    if report.unread_sheets:
        reason = "a sheet of the job is not read, so a push would send nothing"
        plan = build(validated)
    elif offline or not reads_live(platform):
        reason = "--offline" if offline else f"bulkops cannot read {platform}'s live state for a plan yet"
        _settle_offline(validated)
        plan = build(validated)
    elif _held(probe, skip_invalid):
        reason = "the job has invalid rows, so a push would send nothing"
        plan = build(validated)
    elif probe.empty:
        invalid = any(o.status is Status.INVALID for o in probe.outcomes.values())
        reason = "every row is invalid, so a push would send nothing" if invalid else "the job sends nothing"
        plan = build(validated)
    elif not (touched.ids or touched.lists):
        reason = "nothing the job names exists yet"
        plan = build(validated)
    elif not can_diff(probe):
        # Its push compares each campaign as it sends; the plan reads only what the settling needs.
        reason = f"{platform.upper()}'s campaigns are compared with the rows as the push sends them"
        plan, reads = (build(validated), 0) if not existing else await _plan_held(
            probe, validated, existing, build, platform, session)
    else:
        plan, diff, reads = await _plan_live(probe, validated, existing, build, skip_invalid, session)
        if diff is None:
            reason = "the job has invalid rows, so a push would send nothing"
    expected = estimate(plan, pace)
    if reads:  # a push reads the same again, after its login (which a job with nothing to send counts not)
        expected = replace(expected, requests=expected.requests + reads + (0 if expected.requests else 1))
    warned = [problem for _, problem in diff.warnings] if diff else []
    summary = PlanSummary({}, expected, report.problems + warned, 0, validated, diff=diff, reads=reads,
                          offline_reason=reason, skip_invalid=skip_invalid)
    for sheet_no, item in enumerate(report.validated):
        counts = summary.sheets.setdefault(item.sheet.title, {})
        bad = item.invalid_rows
        for row, action in item.actions.items():
            key = (sheet_no, int(row))
            if row in bad or item.sheet_errors:
                label = text = "fix (invalid)"
            elif diff is not None and key in diff.rows:
                label, text = diff.rows[key].verdict, diff.rows[key].describe()
            else:
                label = text = str(action)
            summary.invalid += label == "fix (invalid)"
            counts[label] = counts.get(label, 0) + 1
            summary.rows[key] = text
    return summary


def _held(plan: Plan, skip_invalid: bool) -> bool:
    """Whether invalid rows hold the whole job (nothing is sent): the other rows are held back, or
    there are none (every row is invalid)."""
    return not skip_invalid and any(o.status in (Status.NOT_RUN, Status.INVALID) for o in plan.outcomes.values())


async def _plan_live(probe: Plan, validated: Sequence[ValidatedSheet], existing: dict[RowKey, int],
                     build: Callable[[Sequence[ValidatedSheet]], Plan], skip_invalid: bool,
                     shared: SessionOnDemand) -> tuple[Plan, Diff | None, int]:
    """Read what the job touches, let own-check errors on values the platform holds be warnings,
    then plan: the plan, its diff (None when invalid rows hold the job) and the reads it took (its
    login not counted: a push makes the reads again after its own)."""
    session = await shared.get()
    before = session.requests_sent
    live = await read_live(probe, session.client)
    reads = session.requests_sent - before
    settle_against_live(validated, existing, live)
    plan = build(validated)
    if _held(plan, skip_invalid):
        return plan, None, reads
    return plan, apply_diff(plan, validated, live), reads


async def _plan_held(probe: Plan, validated: Sequence[ValidatedSheet], existing: dict[RowKey, int],
                     build: Callable[[Sequence[ValidatedSheet]], Plan], platform: str,
                     shared: SessionOnDemand) -> tuple[Plan, int]:
    """Without a live diff (`Platform.held`): read the campaigns whose rows have own-check errors, settle
    them, then plan: the plan (with those campaigns counted as read) and the reads it took."""
    reading = _held_reading(platform)
    session = await shared.get()
    before = session.requests_sent
    held = await reading.read(probe, validated, existing, session.adapters[platform], for_steps=False)
    reads = session.requests_sent - before
    reading.note_unread(validated, existing, held)
    settle_against_live(validated, existing, held)
    plan = build(validated)
    reading.mark(plan, held.campaigns)
    return plan, reads


def _held_reading(platform: str) -> HeldReading:
    reading = platform_named(platform).held
    assert reading is not None
    return reading


def default_results_path(first_input: Path, *, is_results: bool = False) -> Path:
    """`x.xlsx` → `x-results.xlsx`; a results workbook pushed again is updated in place."""
    if is_results and first_input.suffix.casefold() == ".xlsx":
        return first_input
    return first_input.with_name(first_input.stem + "-results.xlsx")


STATE_VARIABLE = "BULKOPS_STATE_DIR"


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where bulkops keeps its journals: `$BULKOPS_STATE_DIR`, else `$XDG_STATE_HOME/bulkops`, else
    `~/.local/state/bulkops`."""
    env = os.environ if env is None else env
    if env.get(STATE_VARIABLE):
        return Path(env[STATE_VARIABLE]).expanduser()
    if env.get("XDG_STATE_HOME"):
        return Path(env["XDG_STATE_HOME"]).expanduser() / "bulkops"
    return Path.home() / ".local" / "state" / "bulkops"


# Who the account is, by platform: the login's account identity (never a secret).


def account_scope(platform: str, base_url: str, creds: Credentials) -> str:
    """A digest naming the account: platform, base URL and the login's identity (SmartyAds email;
    IQM host and email). It names the journal's file and scopes its records; the email is never
    written, though whoever reads the folder can confirm a guessed one against the digest (see
    docs/results-and-journal.md: any name bulkops can find again from the login alone allows that)."""
    identity = [str(creds[name]).strip().casefold() for name in platform_named(platform).connection.identity]
    text = "\0".join(["bulkops account", platform, base_url.rstrip("/").casefold(), *identity])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def journal_path_for(scope: str, folder: Path | None = None) -> Path:
    """The account's journal file, in a folder only its owner can open (made so when missing)."""
    folder = folder or state_dir()
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    except OSError as exc:
        raise ConfigError(f"cannot make the folder for bulkops's journal, {folder} ({exc.strerror}); set "
                          f"{STATE_VARIABLE} to a folder you can write") from None
    return folder / f"journal-{scope}.sqlite"


def lock_path_for(journal_path: Path) -> Path:
    """The file whose lock one push of the account holds at a time, beside its journal."""
    return journal_path.with_suffix(".lock")


def _open_journal(path: Path, scope: str) -> Journal:
    try:
        return Journal(path, scope=scope)
    except (OSError, sqlite3.Error) as exc:
        raise ConfigError(f"cannot open bulkops's journal {path} ({exc}); nothing was sent. Set {STATE_VARIABLE} "
                          "to a folder you can write, or repair the file") from None


def push_files(paths: Sequence[Path], platform: str, *, base_url: str,
               creds: Credentials | Callable[[], Credentials] | None, **settings) -> PushReport:
    """`push_job`, to the end, from synchronous code (inside a running event loop too)."""
    return run_sync(push_job(paths, platform, base_url=base_url, creds=creds, offload=False, **settings))


async def push_job(paths: Sequence[Path], platform: str, *, base_url: str,
                   creds: Credentials | Callable[[], Credentials] | None,
                   output: Path | None = None, skip_invalid: bool = False, kind: str | None = None,
                   progress: ProgressCallback | None = None, concurrency: int = 16, pace: Pace = DEFAULT_PACE,
                   item_cap: int = DEFAULT_ITEM_CAP, append: Sequence[str] = (),
                   approval_timeout_s: float | None = None, announce: Callable[[str], None] = lambda text: None,
                   notice: Callable[[str], None] = lambda text: None, decimal: str | None = None,
                   state_folder: Path | None = None, stop: StopHandle | None = None,
                   offload: bool = True, refresh_reference: bool = False, as_new: bool = False,
                   row_done: RowCallback | None = None) -> PushReport:
    """Validate, plan, send and write the results workbook. `announce` hears, before anything is
    sent, how many requests the job needs and how long they take at the platform's rate; `notice`
    hears warnings said before sending and journals of an earlier version taken in; `progress` hears
    the requests as they are answered; `stop` lets the caller stop the push gracefully.
    `state_folder`: where the account's journal is (default: state_dir()). `offload`: read the files
    and write the results workbook in a worker thread, so that the caller's event loop stays free
    (a loop of the push's own has nothing else to do, and a Ctrl-C must stop a long read at once).
    `as_new`: every object is created anew, children attached to the new parents (`bulkops.io._renew`);
    each such row's old ID goes in the results' Old ID column, beside its new ID. `row_done` hears each
    row's outcome as the sending settles it (a row may be heard again when a later step adds to its
    outcome); the report has them all."""
    started, clock = dt.datetime.now(dt.UTC), time.monotonic()
    creds = _once(creds)
    # One session for the job: the dictionaries' read (when the cache lacks them) logs in, and the
    # sending goes on in the same session; a job that reads and sends nothing never logs in.
    async with SessionOnDemand(platform, base_url, creds, pace, item_cap=item_cap,
                               approval_timeout_s=approval_timeout_s) as session:
        inputs, renewed = await _blocking(offload, _read_job, paths, platform, kind=kind, decimal=decimal,
                                          as_new=as_new)
        loaded = await _reference_read(inputs.sheets, platform, base_url=base_url, creds=creds, pace=pace,
                                       online=True, refresh=refresh_reference, session=session)
        report = await _blocking(offload, _validated, inputs, renewed, platform, loaded)
        old_ids = report.renewed.old_ids
        sheets = [v.sheet for v in report.validated]
        job = _Job.of(report.validated, platform, skip_invalid=skip_invalid, item_cap=item_cap, append=append)
        is_results = any(s.output_columns for s in sheets)
        results = Path(output) if output else default_results_path(Path(paths[0]), is_results=is_results)
        journal_path: Path | None = None
        facts = RunFacts(platform=platform, base_url=base_url, started_at=started.isoformat(timespec="seconds"))
        facts.requests_sent = session.requests_sent  # the dictionaries' reads before validating, the login included
        outcomes: dict[RowKey, RowOutcome] = (dict(job.plan.outcomes) if row_done is None
                                              else _Told(job.plan.outcomes, fresh_titles(sheets), row_done, old_ids))
        _hold_for_unread_sheets(report, outcomes, facts)
        if report.unread_sheets:
            job.sends = False
        journal: Journal | None = None
        stop = stop or StopHandle()
        # The account's lock and journal are held from the journal's first read to the results written.
        with contextlib.ExitStack() as held:
            try:
                if job.sends:
                    assert creds is not None
                    # Credentials are looked up only when something will be sent (an invalid job needs none).
                    creds = creds() if callable(creds) else creds
                    scope = account_scope(platform, base_url, creds)
                    journal_path = journal_path_for(scope, state_folder)
                    inputs = [str(Path(p).resolve()) for p in paths]
                    held.enter_context(AccountLock(lock_path_for(journal_path), inputs=inputs, results=str(results)))
                    journal = held.enter_context(_open_journal(journal_path, scope))
                    journal.start_run(inputs=inputs, results=str(results.resolve()), started_at=started)
                    for taken in import_legacy(_legacy_candidates(results, Path(paths[0])), journal, job.plan,
                                               report.validated, f"{platform} {base_url}"):
                        notice(taken)
                    try:
                        await _run(job, report.validated, platform, session, journal, facts, progress,
                                   concurrency, pace, outcomes, announce, notice, stop)
                    except BaseException:
                        _keep_earlier_work(job.plan, journal, outcomes)
                        raise
            except AccountBusy:
                raise  # nothing was done; the running push's results (perhaps this very file) are its own
            except BaseException as stopped:
                # Stopped by the caller (Ctrl-C), cancelled, or refused (credentials): still hand back
                # every row with a status.
                interrupted = isinstance(stopped, (KeyboardInterrupt, Interrupted, asyncio.CancelledError))
                reason = "interrupted" if interrupted else str(stopped)
                for row in job.plan.rows:
                    outcomes.setdefault(row, RowOutcome(Status.NOT_RUN, f"not finished ({reason}); run the same push "
                                                        "again to finish it"))
                facts.duration_s = time.monotonic() - clock
                outcomes = with_warnings(report.validated, outcomes, job.warned)
                write_results(sheets, row_results(outcomes, old_ids), facts, results)
                _finished(journal)
                if isinstance(stopped, Interrupted) or (isinstance(stopped, asyncio.CancelledError) and stop.stopped):
                    raise Interrupted(f"interrupted: every row has its status in {results}; run the same push again "
                                      "to finish") from None
                raise
            facts.duration_s = time.monotonic() - clock
            outcomes = with_warnings(report.validated, outcomes, job.warned)
            await _blocking(offload, write_results, sheets, row_results(outcomes, old_ids), facts, results)
            _finished(journal)
        warned = [problem for _, problem in job.warned]
        return PushReport(sheets, outcomes, facts, results, journal_path, report.problems + warned, sent=job.sends,
                          warned=warned, old_ids=old_ids)


RowCallback = Callable[[RowResult], None]


class _Told(dict):
    """The run's outcomes, each row's told to `row_done` as the executor settles it (`merge` sets
    them one by one), so that a caller can show rows while the push goes on."""

    def __init__(self, settled: Mapping[RowKey, RowOutcome], titles: Mapping[int, str], row_done: RowCallback,
                 old_ids: Mapping[RowKey, int]) -> None:
        super().__init__(settled)
        self._titles, self._row_done, self._old_ids = titles, row_done, old_ids

    def __setitem__(self, key: RowKey, outcome: RowOutcome) -> None:
        super().__setitem__(key, outcome)
        sheet_no, row = key
        self._row_done(RowResult(self._titles[sheet_no], row, outcome.status.value, outcome.message, outcome.id,
                                 self._old_ids.get(key)))


async def _blocking(offload: bool, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await asyncio.to_thread(work, *args, **kwargs) if offload else work(*args, **kwargs)


def row_results(outcomes: Mapping[RowKey, RowOutcome],
                old_ids: Mapping[RowKey, int] | None = None) -> dict[RowKey, ResultRow]:
    """The executor's outcomes as the results workbook's plain rows. A row pushed as new (`old_ids`)
    has its old ID written in the Old ID column, beside the new one, and its ID cell emptied when it
    made nothing."""
    old_ids = old_ids or {}
    return {key: ResultRow(o.status.value, o.message, o.id, blank_id=key in old_ids, old_id=old_ids.get(key))
            for key, o in outcomes.items()}


def _finished(journal: Journal | None) -> None:
    """The run's results workbook is written: a later run's message may send the user to it."""
    if journal is not None:
        journal.finish_run()


@dataclass
class _Job:
    """A push's plan as it stands: first what the job could send if bulkops's own checks let every
    value the platform holds through (`settle` makes it the real plan once the live state is read),
    whether it sends anything, and the warnings said before sending."""

    plan: Plan
    build: Callable[[Sequence[ValidatedSheet]], Plan]
    existing: dict[RowKey, int]  # rows naming existing objects whose own-check errors the live state may settle
    sends: bool = True
    warned: list[tuple[RowKey, Problem]] = field(default_factory=list)

    @classmethod
    def of(cls, validated: Sequence[ValidatedSheet], platform: str, *, skip_invalid: bool, item_cap: int,
           append: Sequence[str]) -> _Job:
        def build(sheets: Sequence[ValidatedSheet]) -> Plan:
            return build_plan(sheets, skip_invalid=skip_invalid, item_cap=item_cap, append=frozenset(append))

        # Rows naming existing objects whose own-check errors the live state may settle (none: no read first).
        existing = naming_existing(validated) if reads_live(platform) else {}
        plan = build(lenient(validated, existing) if existing else validated)
        return cls(plan, build, existing, sends=not plan.empty)

    def settle(self, validated: Sequence[ValidatedSheet], live: LiveState, outcomes: dict[RowKey, RowOutcome]) -> None:
        """Own-check errors on values the platform holds become warnings; the rest hold the job again."""
        if not self.existing:
            return
        settle_against_live(validated, self.existing, live)
        self.plan = self.build(validated)
        outcomes.clear()
        outcomes.update(self.plan.outcomes)
        self.sends = not self.plan.empty


def _hold_for_unread_sheets(report: ValidationReport, outcomes: dict[RowKey, RowOutcome], facts: RunFacts) -> None:
    """A sheet that looks like a kind's but is not read stops the whole push, even with
    --skip-invalid: its rows are not known, so neither are the rows that need them (a campaign
    would go out without its ZIPs). The reason goes on the Summary sheet and into every row."""
    ignored = [p.sheet for p in report.unread if not p.is_error]
    if ignored:
        facts.extra["Sheets ignored"] = ", ".join(ignored)
    held = report.unread_sheets
    if not held:
        return
    facts.extra["Nothing sent"] = "; ".join(f"{p.file}: {p.message}" for p in held)
    names = ", ".join(repr(p.sheet) for p in held)
    what = f"sheet {names} of the job is" if len(held) == 1 else f"sheets {names} of the job are"
    message = f"not sent: {what} not read (see the Summary sheet)"
    for sheet_no, item in enumerate(report.validated):
        for row in item.actions.index:
            key = (sheet_no, int(row))
            if key not in outcomes or outcomes[key].status is Status.NOT_RUN:
                outcomes[key] = RowOutcome(Status.NOT_RUN, message)


def _legacy_candidates(results: Path, first_input: Path) -> list[Path]:
    """Where an earlier version kept this job's journal: beside its results workbook."""
    places = [results, default_results_path(first_input)]
    return list(dict.fromkeys(p.with_name(p.stem + ".journal.sqlite") for p in places))


def _keep_earlier_work(plan, journal: Journal, outcomes: dict[RowKey, RowOutcome]) -> None:
    """A run that stopped early leaves rows `not run` whose work an earlier run of the job did; the
    workbook shows them as the journal knows them, with their IDs."""
    for op in plan.operations:
        current = outcomes.get(op.row_key)
        if current is None or current.status is Status.NOT_RUN:
            earlier = settled_earlier(op, journal)
            if earlier is not None:
                outcomes[op.row_key] = earlier


def with_warnings(validated: Sequence[ValidatedSheet], outcomes: dict[RowKey, RowOutcome],
                  more: Sequence[tuple[RowKey, Problem]] = ()) -> dict[RowKey, RowOutcome]:
    """Each row's warnings (a ZIP given its leading zero back, an ignored column; `more`: those said
    before sending) join its Message, after the outcome: the results workbook is where a buyer reads
    what bulkops did to a row."""
    merged = dict(outcomes)
    found = [((sheet_no, p.row) if p.row is not None else None, p) for sheet_no, item in enumerate(validated)
             for p in item.problems]
    for key, problem in [*found, *more]:
        if problem.is_error or key not in merged:
            continue
        outcome = merged[key]
        note = f"warning: {problem.column}: {problem.message}" if problem.column else f"warning: {problem.message}"
        merged[key] = replace(outcome, message="; ".join(m for m in (outcome.message, note) if m))
    return merged


async def _run(job: _Job, validated: Sequence[ValidatedSheet], platform: str, shared: SessionOnDemand,
               journal: Journal, facts: RunFacts, progress: ProgressCallback | None, concurrency: int, pace: Pace,
               outcomes: dict[RowKey, RowOutcome], announce: Callable[[str], None],
               notice: Callable[[str], None] = lambda text: None, stop: StopHandle | None = None) -> None:
    control = stop or StopHandle()
    control.attach()
    try:
        # Logged in already if the dictionaries were read; the requests counted from here on.
        before = shared.requests_sent
        session = await shared.get()
        try:
            plan = job.plan
            if can_diff(plan):
                # The same diff as `plan`: what the platform already has sends nothing. The
                # read comes before invalid rows hold the job: bulkops's own checks refuse
                # only values the platform does not hold already.
                live = await read_live(plan, session.client)
                job.settle(validated, live, outcomes)
                if not job.sends:
                    return
                plan = job.plan
                diff = apply_diff(plan, validated, live)
                for row, outcome in diff.settled.items():
                    outcomes.setdefault(row, outcome)
                job.warned = diff.warnings
                for _, warning in diff.warnings:  # before anything is sent
                    notice(warning.render())
            elif reads_live(platform):
                # The campaigns its steps compare, read once now; bulkops's own checks
                # are settled against them, and the steps read them no more.
                reading = _held_reading(platform)
                held = await reading.read(plan, validated, job.existing, session.adapters[platform])
                reading.note_unread(validated, job.existing, held)
                job.settle(validated, held, outcomes)
                if not job.sends:
                    return
                plan = job.plan
                reading.use(plan, validated, held, session.adapters[platform])
            steps = steps_of(plan)  # once: the estimate counts them, the executor runs them
            expected = estimate(plan, pace, steps)
            announce(expected.describe())
            session.client.retry = pace.retry.for_job(expected.requests)
            await execute(plan, session.adapters, journal, concurrency=concurrency,
                          on_done=counting(progress, "push", expected.steps), outcomes=outcomes, control=control,
                          steps=steps, retry=pace.retry)
        finally:
            facts.requests_sent += session.requests_sent - before  # after the dictionaries' reads, if any
            facts.responses_429 = session.responses_429
    finally:
        control.detach()
    if control.reason:
        raise Interrupted(control.reason)  # after every request in flight was answered and journaled

