"""bulkops from Python: validate, plan, push and export, as the CLI does them (docs/python-api.md).

Each function reads credentials from the environment or the profile as the CLI does, unless they are
passed in (`credentials=`), and never logs them. The synchronous functions also work inside a running
event loop (a Jupyter cell): the job then runs on a loop of its own in a worker thread. Nothing here
draws a progress bar, installs a signal handler or exits: progress comes through `progress=`, a
graceful stop through `stop=`, and errors are the exceptions of `bulkops` (BulkopsError and below).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from bulkops import _jobs
from bulkops._config import Credentials, given_credentials
from bulkops._config import base_url as configured_base_url
from bulkops._config import credentials as configured_credentials
from bulkops._control import ProgressCallback, StopHandle
from bulkops._retry import RetryPolicy
from bulkops._sync import run_sync
from bulkops.engine import Pace
from bulkops.exporter import ExportReport, export_job, exporter_for
from bulkops.planner import DEFAULT_ITEM_CAP
from bulkops.registry import platform_named
from bulkops.reporting import ReportResult, report_job, report_query, reporter_for

PathLike = str | os.PathLike[str]
GivenCredentials = Credentials | Mapping[str, str] | None
Say = Callable[[str], None]
RowCallback = Callable[[_jobs.RowResult], None]


@dataclass(frozen=True)
class Options:
    """How a job reads its files and how fast it goes; the same settings as the CLI's options.

    Every function that takes `options=` also takes these fields as keywords
    (`bulkops.push(path, platform="smartyads", skip_invalid=True)`)."""

    kind: str | None = None  # kind of a CSV whose name does not say it (--kind)
    decimal: str | None = None  # "," or "." for numbers typed as text, in every file (--decimal-comma/-point)
    skip_invalid: bool = False  # push (or plan) the valid rows, mark the invalid ones (--skip-invalid)
    append: tuple[str, ...] = ()  # kinds whose rows add to each campaign's list instead of replacing it
    item_cap: int = DEFAULT_ITEM_CAP  # items per list request at most; longer lists go in chunks
    concurrency: int = 16  # requests in flight at most (push)
    rate_limit: int | None = None  # requests per window at most (None: the platform's)
    rate_window: float = 60.0  # the platform's rate window, in seconds
    retry_budget: int | None = None  # retries the whole push may spend (None: a quarter of its requests)
    approval_timeout_s: float = 900.0  # IQM: seconds to wait for new creatives' review (push)
    offline: bool = False  # plan: do not read the live state (needs no credentials)
    state_folder: Path | None = None  # where the account's journal is (None: $BULKOPS_STATE_DIR or its default)
    refresh_reference: bool = False  # read the platform's dictionaries anew, not from the cache (--refresh-reference)
    as_new: bool = False  # push (or plan) every object anew, IDs read as the rows' old IDs (--as-new)

    @property
    def pace(self) -> Pace:
        return Pace(self.rate_limit, self.rate_window, RetryPolicy(budget=self.retry_budget))


def _options(given: Options | None, settings: Mapping[str, Any]) -> Options:
    names = {f.name for f in fields(Options)}
    unknown = sorted(set(settings) - names)
    if unknown:
        raise TypeError(f"unknown option {', '.join(unknown)}; bulkops.Options has: {', '.join(sorted(names))}")
    options = replace(given or Options(), **settings)
    append = (options.append,) if isinstance(options.append, str) else tuple(options.append)
    return replace(options, append=append)


def _paths(paths: Sequence[PathLike]) -> list[Path]:
    if not paths:
        raise TypeError("name at least one file")
    return [Path(p) for p in paths]


def _credentials(platform: str, given: GivenCredentials) -> Callable[[], Credentials]:
    """Looked up only when the job needs them (an invalid job sends nothing and needs none)."""
    if given is None:
        return lambda: configured_credentials(platform)
    if isinstance(given, Credentials):
        return lambda: given
    values = dict(given)
    return lambda: given_credentials(platform, values)


def _url(platform: str, base_url: str | None) -> str:
    _known(platform)
    return configured_base_url(platform, base_url)


def _known(platform: str) -> None:
    platform_named(platform)  # ConfigError naming the choices


def validate(*paths: PathLike, platform: str, kind: str | None = None, decimal: str | None = None,
             base_url: str | None = None, credentials: GivenCredentials = None,
             refresh_reference: bool = False) -> _jobs.ValidationReport:
    """Every problem of the files, without the network (the `validate` command): `.ok`, `.problems`
    (records with file, sheet, row, column, code, message, severity), `.errors`, `.rows`. Names in
    columns checked against the platform's dictionaries are checked with the account's cached copy
    (the account of `credentials` and `base_url`); `refresh_reference` reads them from the platform."""
    reference = _jobs.reference_of(platform, base_url=_url(platform, base_url),
                                   creds=_credentials(platform, credentials), online=refresh_reference,
                                   refresh=refresh_reference)
    return _jobs.validate_files(_paths(paths), platform, kind=kind, offline=True, decimal=decimal,
                                reference=reference)


def plan(*paths: PathLike, platform: str, base_url: str | None = None, credentials: GivenCredentials = None,
         options: Options | None = None, **settings: Any) -> _jobs.PlanSummary:
    """What a push of the files would do (the `plan` command): `.sheets` (per sheet, rows per verdict:
    create, update, delete, unchanged, fix (invalid), ...), `.requests`, `.seconds`, `.warnings`,
    `.problems`, `.ok`. The live state of what the job touches is read first, unless `offline=True`."""
    chosen = _options(options, settings)
    return _jobs.plan_files(_paths(paths), platform, kind=chosen.kind, skip_invalid=chosen.skip_invalid,
                            item_cap=chosen.item_cap, pace=chosen.pace, base_url=_url(platform, base_url),
                            creds=_credentials(platform, credentials), offline=chosen.offline,
                            append=chosen.append, decimal=chosen.decimal,
                            refresh_reference=chosen.refresh_reference, as_new=chosen.as_new)


async def apush(*paths: PathLike, platform: str, base_url: str | None = None, output: PathLike | None = None,
                credentials: GivenCredentials = None, options: Options | None = None,
                progress: ProgressCallback | None = None, announce: Say | None = None, notice: Say | None = None,
                stop: StopHandle | None = None, row_done: RowCallback | None = None,
                **settings: Any) -> _jobs.PushReport:
    """`push`, on the caller's event loop; reading the files and writing the results workbook go to a
    worker thread, so the loop stays free. Cancelling the task abandons the requests in flight (their
    journaled intents make the next push look before sending again); `stop` is the graceful way."""
    return await _push_job(paths, platform, base_url, output, credentials, options, progress, announce, notice,
                           stop, settings, offload=True, row_done=row_done)


def push(*paths: PathLike, platform: str, base_url: str | None = None, output: PathLike | None = None,
         credentials: GivenCredentials = None, options: Options | None = None,
         progress: ProgressCallback | None = None, announce: Say | None = None, notice: Say | None = None,
         stop: StopHandle | None = None, row_done: RowCallback | None = None,
         **settings: Any) -> _jobs.PushReport:
    """Validate the files, push them and write the results workbook (the `push` command): `.rows`
    (sheet, row, status, message, id per row), `.counts`, `.results_path`, `.problems`, `.sent`, `.ok`.

    `output`: the results workbook (default FILE-results.xlsx beside the first file). `announce`
    hears the job's size before anything is sent; `notice` hears warnings said before sending;
    `row_done` hears each row's `RowResult` as the sending settles it."""
    stop = stop or StopHandle()
    job = _push_job(paths, platform, base_url, output, credentials, options, progress, announce, notice, stop,
                    settings, offload=False, row_done=row_done)
    return run_sync(job, on_interrupt=functools.partial(_interrupt, stop))


async def _push_job(paths: Sequence[PathLike], platform: str, base_url: str | None, output: PathLike | None,
                    credentials: GivenCredentials, options: Options | None, progress: ProgressCallback | None,
                    announce: Say | None, notice: Say | None, stop: StopHandle | None, settings: Mapping[str, Any],
                    *, offload: bool, row_done: RowCallback | None = None) -> _jobs.PushReport:
    chosen = _options(options, settings)
    return await _jobs.push_job(
        _paths(paths), platform, base_url=_url(platform, base_url), creds=_credentials(platform, credentials),
        output=Path(output) if output is not None else None, skip_invalid=chosen.skip_invalid, kind=chosen.kind,
        progress=progress, concurrency=chosen.concurrency, pace=chosen.pace, item_cap=chosen.item_cap,
        append=chosen.append, approval_timeout_s=chosen.approval_timeout_s, announce=announce or _quiet,
        notice=notice or _quiet, decimal=chosen.decimal, state_folder=chosen.state_folder, stop=stop,
        offload=offload, refresh_reference=chosen.refresh_reference, as_new=chosen.as_new, row_done=row_done)


async def aexport(platform: str, *, base_url: str | None = None, output: PathLike | None = None,
                  campaigns: Sequence[int] | None = None, kinds: Sequence[str] = (), as_csv: bool = False,
                  credentials: GivenCredentials = None, rate_limit: int | None = None, rate_window: float = 60.0,
                  progress: ProgressCallback | None = None, media: bool = False) -> ExportReport:
    """`export`, on the caller's event loop (the files are written in a worker thread)."""
    return await _export_job(platform, base_url, output, campaigns, kinds, as_csv, credentials,
                             Pace(rate_limit, rate_window), progress, offload=True, media=media)


def export(platform: str, *, base_url: str | None = None, output: PathLike | None = None,
           campaigns: Sequence[int] | None = None, kinds: Sequence[str] = (), as_csv: bool = False,
           credentials: GivenCredentials = None, rate_limit: int | None = None, rate_window: float = 60.0,
           progress: ProgressCallback | None = None, media: bool = False) -> ExportReport:
    """Read the live account (or only `campaigns`, by ID, and what they use) and write it in the
    template format (the `export` command): `.paths`, `.counts` (rows per sheet), `.requests_sent`.
    `output`: the workbook (default PLATFORM-state.xlsx), or with `as_csv` a folder of CSVs. `media`:
    also save the creatives' files beside it (`.media` says what was saved), named in their file columns."""
    return run_sync(_export_job(platform, base_url, output, campaigns, kinds, as_csv, credentials,
                                Pace(rate_limit, rate_window), progress, offload=False, media=media))


async def _export_job(platform: str, base_url: str | None, output: PathLike | None, campaigns: Sequence[int] | None,
                      kinds: Sequence[str], as_csv: bool, credentials: GivenCredentials, pace: Pace,
                      progress: ProgressCallback | None, *, offload: bool, media: bool = False) -> ExportReport:
    exporter_for(platform)  # a platform without an exporter is refused before any login
    return await export_job(platform, base_url=_url(platform, base_url), creds=_credentials(platform, credentials),
                            output=Path(output) if output is not None else None, kinds=tuple(kinds),
                            campaign_ids=None if campaigns is None else [int(c) for c in campaigns],
                            as_csv=as_csv, progress=progress, pace=pace, offload=offload, media=media)


async def areport(platform: str, *, start: dt.date | str, end: dt.date | str, by: Sequence[str] | str = ("day",),
                  base_url: str | None = None, output: PathLike | None = None, as_csv: bool = False,
                  write: bool = True, credentials: GivenCredentials = None, options: Options | None = None,
                  progress: ProgressCallback | None = None, **settings: Any) -> ReportResult:
    """`report`, on the caller's event loop (the file is written in a worker thread)."""
    return await _report_job(platform, start, end, by, base_url, output, as_csv, write, credentials, options,
                             progress, settings, offload=True)


def report(platform: str, *, start: dt.date | str, end: dt.date | str, by: Sequence[str] | str = ("day",),
           base_url: str | None = None, output: PathLike | None = None, as_csv: bool = False, write: bool = True,
           credentials: GivenCredentials = None, options: Options | None = None,
           progress: ProgressCallback | None = None, **settings: Any) -> ReportResult:
    """The platform's statistics from `start` to `end` (dates or `YYYY-MM-DD`, both included), grouped
    `by` "day", "campaign" and/or "creative" (the `report` command): `.rows` (day, campaign and
    creative IDs and names, `.values` per metric), `.metrics`, `.totals` (the platform's own),
    `.sums` and `.disagreements` (where the rows do not add up to those totals; `.ok` when they do),
    `.path` (the workbook, or with `as_csv` the CSV; `write=False` writes nothing), `.pages`,
    `.requests_sent`. `options`: `rate_limit` and `rate_window` are the ones used here."""
    return run_sync(_report_job(platform, start, end, by, base_url, output, as_csv, write, credentials, options,
                                progress, settings, offload=False))


async def _report_job(platform: str, start: dt.date | str, end: dt.date | str, by: Sequence[str] | str,
                      base_url: str | None, output: PathLike | None, as_csv: bool, write: bool,
                      credentials: GivenCredentials, options: Options | None, progress: ProgressCallback | None,
                      settings: Mapping[str, Any], *, offload: bool) -> ReportResult:
    chosen = _options(options, settings)
    query = report_query(start, end, by)
    reporter_for(platform)  # a platform without statistics is refused before any login
    return await report_job(platform, query, base_url=_url(platform, base_url),
                            creds=_credentials(platform, credentials),
                            output=Path(output) if output is not None else None, as_csv=as_csv, write=write,
                            progress=progress, pace=Pace(chosen.rate_limit, chosen.rate_window), offload=offload)


def _interrupt(stop: StopHandle) -> None:
    """A KeyboardInterrupt while a push runs in a worker thread (in a notebook): the first stops it
    gracefully, the next abandons the requests in flight, as the CLI's Ctrl-C does."""
    if stop.stopped:
        stop.abandon()
    else:
        stop.stop()


def _quiet(text: str) -> None:
    """Messages nobody asked for: the report keeps what matters (warnings are in `.problems`)."""


__all__ = ["Options", "aexport", "apush", "areport", "export", "plan", "push", "report", "validate"]
