"""The command line: a thin layer over the Python API (bulkops._api). Library errors become CLI
errors in one place (`main`), with the documented exit codes: 0 done, 1 rows failed, 2 invalid
input, 3 usage/config, 130 interrupted. The progress bar and Ctrl-C are the CLI's (bulkops._terminal).

Only click and light modules are imported up front, so that `bulkops --help` starts quickly; each
command imports the jobs it runs (pandas, openpyxl, httpx and the rest behind them) when it runs.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bulkops._exceptions import BulkopsError, Interrupted
from bulkops._retry import DEFAULT_RETRY

if TYPE_CHECKING:
    from bulkops._jobs import PlanSummary, PushReport

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 3, 130


class _Later(click.Option):
    """An option whose choices or default come from a module that is slow to import (the kinds'
    declarations, the planner) or from the registered platforms: they are looked up each time the
    option is parsed or shown (cheap once those modules are loaded), so that `bulkops --help` imports
    none of them and the choices are always the registry's."""

    def __init__(self, *decls: Any, later: Callable[[], dict[str, Any]], **attrs: Any) -> None:
        super().__init__(*decls, **attrs)
        self._later = later

    def _settle(self) -> None:
        for name, value in self._later().items():
            setattr(self, name, value)

    def handle_parse_result(self, ctx: click.Context, opts: Any, args: list[str]) -> Any:
        self._settle()
        return super().handle_parse_result(ctx, opts, args)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self._settle()
        return super().get_help_record(ctx)

    def to_info_dict(self) -> dict[str, Any]:
        self._settle()
        return super().to_info_dict()


def _platforms() -> dict[str, Any]:
    from bulkops.registry import platform_names

    return {"type": click.Choice(platform_names())}


def _appendable() -> dict[str, Any]:
    from bulkops.planner import appendable_kinds

    return {"type": click.Choice(appendable_kinds())}


def _item_cap() -> dict[str, Any]:
    from bulkops.planner import DEFAULT_ITEM_CAP

    return {"default": DEFAULT_ITEM_CAP}


platform_option = click.option("--platform", "-p", cls=_Later, later=_platforms, required=True,
                               help="The ad platform.")
files_argument = click.argument("files", nargs=-1, required=True,
                                type=click.Path(dir_okay=False, path_type=Path))
kind_option = click.option("--kind", help="Kind of a CSV file whose name does not say it (e.g. campaigns).")
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout.")


_RATE_OPTIONS = (
    click.option("--rate-limit", type=click.IntRange(1), default=None,
                 help="Requests per window at most (default: the platform's; lower it to leave room for "
                      "other tools)."),
    click.option("--rate-window", type=click.FloatRange(0.1), default=60.0, show_default=True,
                 help="Length of the platform's rate window in seconds (change it only for a sandbox with "
                      "another)."),
)


def _applied(command, options):
    for option in reversed(options):
        command = option(command)
    return command


def rate_options(command):
    """--rate-limit and --rate-window: how fast (every command that talks to the platform)."""
    return _applied(command, _RATE_OPTIONS)


def pace_options(command):
    """--rate-limit, --rate-window and --item-cap: how fast and in how big requests (push and plan)."""
    return _applied(command, (*_RATE_OPTIONS, click.option(
        "--item-cap", type=click.IntRange(1), cls=_Later, later=_item_cap, show_default=True,
        help="Items per list request at most (ZIPs, circles, ids); longer lists go in chunks.")))


def decimal_options(command: Callable) -> Callable:
    """--decimal-comma / --decimal-point: how numbers typed as text are written in every file of the
    job (validate, plan, push), handed to the command as `decimal` (',' '.' or None)."""

    @functools.wraps(command)
    def with_decimal(*args, decimal_comma: bool, decimal_point: bool, **kwargs):
        if decimal_comma and decimal_point:
            raise click.UsageError("--decimal-comma and --decimal-point cannot be used together")
        return command(*args, decimal="," if decimal_comma else "." if decimal_point else None, **kwargs)

    with_decimal = click.option(
        "--decimal-point", is_flag=True,
        help="Numbers typed as text use '.' for decimals and ',' between thousands (1,000.50), in every file.")(
        with_decimal)
    return click.option(
        "--decimal-comma", is_flag=True,
        help="Numbers typed as text use ',' for decimals and '.' between thousands (1.000,50), in every file "
             "(default: a ';'-separated CSV does, a ','-separated one does not; see docs/input-values.md).")(
        with_decimal)


class _Described(click.Command):
    """A command whose help names what the registered platforms declare: its docstring's `{kinds}` is
    filled in when the help is shown, so that `bulkops --help` (which shows only the first sentence,
    kept free of placeholders) loads no platform."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._text: str | None = None
        self._unfilled = False  # while the short help is made from the first sentence
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def help(self) -> str | None:
        if self._text is None or self._unfilled:
            return self._text
        from bulkops.kinds import kind_names

        return self._text.format(kinds=", ".join(kind_names()))

    @help.setter
    def help(self, text: str | None) -> None:
        self._text = text

    def get_short_help_str(self, limit: int = 45) -> str:
        self._unfilled = True
        try:
            return super().get_short_help_str(limit)
        finally:
            self._unfilled = False


class _Cli(click.Group):
    """Turns library errors and usage mistakes into messages and exit codes, in this one place."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        try:
            return super().main(args=args, prog_name=prog_name or "bulkops", complete_var=complete_var,
                                standalone_mode=False, **extra)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(130)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except Interrupted as exc:  # Ctrl-C during a push: every row has its status, said in the message
            click.echo(str(exc), err=True)
            click.echo("Aborted.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(EXIT_USAGE)
        except BulkopsError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bulkops")
def cli() -> None:
    """Move advertising work between spreadsheets and ad platforms (--platform)."""


@cli.command(cls=_Described)
@click.argument("kinds", nargs=-1, required=True)
@platform_option
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File (or folder, for --csv) to write.")
@click.option("--csv", "as_csv", is_flag=True, help="Write one CSV per kind instead of a workbook.")
def template(kinds: Sequence[str], platform: str, output: Path | None, as_csv: bool) -> None:
    """Write blank templates. KINDS: {kinds} (the kinds the platform has), or all."""
    from bulkops.io import write_csv_template, write_template
    from bulkops.kinds import kind_named, kinds_for

    chosen = _chosen_kinds(platform, kinds, kinds_for, kind_named)
    if as_csv:
        folder = output or Path(".")
        for kind in chosen:
            click.echo(write_csv_template(kind, folder / f"{kind.name}.csv"))
        return
    name = "all" if len(chosen) > 1 else chosen[0].name
    click.echo(write_template(chosen, output or Path(f"{platform}-{name}.xlsx")))


def _chosen_kinds(platform: str, names: Sequence[str], kinds_for: Callable, kind_named: Callable) -> tuple:
    available = kinds_for(platform)
    if "all" in names:
        return available
    _known_kinds(names)
    return tuple(kind_named(platform, name) for name in names)


def _known_kinds(names: Sequence[str]) -> None:
    from bulkops.kinds import kind_names

    known = kind_names()
    for name in names:
        if name not in (*known, "all"):
            raise click.UsageError(f"unknown kind {name!r}; choose from: {', '.join(known)}, all")


refresh_option = click.option("--refresh-reference", is_flag=True,
                              help="Read the platform's dictionaries (countries, regions, ...) anew instead of "
                                   "from the cache.")


@cli.command()
@files_argument
@platform_option
@kind_option
@json_option
@decimal_options
@click.option("--base-url", help="The server whose cached dictionaries to check names with (a sandbox, ...).")
@refresh_option
def validate(files: Sequence[Path], platform: str, kind: str | None, as_json: bool, decimal: str | None,
             base_url: str | None, refresh_reference: bool) -> None:
    """Check every cell of FILES without touching the network (unless --refresh-reference); list every
    problem."""
    from bulkops._api import validate as validate_files

    report = validate_files(*files, platform=platform, kind=kind, decimal=decimal, base_url=base_url,
                            refresh_reference=refresh_reference)
    for problem in report.problems:
        click.echo(problem.render(), err=as_json)
    if as_json:
        click.echo(json.dumps({"rows": report.rows, "errors": len(report.errors),
                               "problems": [_problem_json(p) for p in report.problems]}))
    elif not report.errors:
        click.echo(f"{report.rows} rows checked: no problems.")
    else:
        click.echo(f"{report.rows} rows checked: {len(report.errors)} problems.", err=True)
    sys.exit(EXIT_OK if report.ok else EXIT_INVALID)


def _problem_json(problem) -> dict:
    return {"file": problem.file, "sheet": problem.sheet, "row": problem.row, "column": problem.column,
            "code": problem.code, "message": problem.message, "severity": problem.severity.value}


@cli.command()
@files_argument
@platform_option
@kind_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Results workbook (default: FILE-results.xlsx beside the first input).")
@click.option("--base-url", help="Another server for the platform's API (a sandbox, a staging host).")
@click.option("--skip-invalid", is_flag=True, help="Push the valid rows; mark the invalid ones.")
@click.option("--concurrency", type=click.IntRange(1, 256), default=16, show_default=True,
              help="Requests in flight at most (the rate limiter sets the pace).")
@pace_options
@click.option("--append", "append", multiple=True, cls=_Later, later=_appendable,
              help="Add this kind's rows to what each campaign has instead of replacing it (repeatable). "
                   "A Mode column, where filled, wins over this.")
@click.option("--approval-timeout", type=click.FloatRange(0), default=900.0, show_default=True,
              help="Where the platform reviews new creatives: seconds to wait for their review before skipping the "
                   "campaigns that need them (push again later to finish).")
@click.option("--retry-budget", type=click.IntRange(0), default=None,
              help="Retries (after 5xx answers, dropped connections) the whole run may spend; past it the run "
                   f"stops and the same push goes on later. Default: a quarter of the job's requests, at least "
                   f"{DEFAULT_RETRY.min_budget}.")
@click.option("--as-new", "as_new", is_flag=True,
              help="Create every object anew (into another account, say): IDs in the files name rows, not objects; "
                   "the results show each new ID beside the old one.")
@quiet_option
@json_option
@decimal_options
@refresh_option
def push(files: Sequence[Path], platform: str, kind: str | None, output: Path | None, base_url: str | None,
         skip_invalid: bool, concurrency: int, rate_limit: int | None, rate_window: float, item_cap: int,
         append: Sequence[str], approval_timeout: float, retry_budget: int | None, quiet: bool, as_json: bool,
         decimal: str | None, refresh_reference: bool, as_new: bool = False) -> None:
    """Validate FILES, push them to the platform, and write the results workbook. Ctrl-C stops it
    cleanly: requests in flight finish, every row gets a status, and the same push goes on later."""
    from bulkops._api import Options
    from bulkops._api import push as push_files
    from bulkops._control import StopHandle
    from bulkops._terminal import Bar, graceful_ctrl_c

    options = Options(kind=kind, decimal=decimal, skip_invalid=skip_invalid, append=tuple(append), item_cap=item_cap,
                      concurrency=concurrency, rate_limit=rate_limit, rate_window=rate_window,
                      retry_budget=retry_budget, approval_timeout_s=approval_timeout,
                      refresh_reference=refresh_reference, as_new=as_new)
    tell = (lambda text: None) if quiet or as_json else (lambda text: click.echo(f"This job needs {text}.", err=True))
    stop = StopHandle()
    say = functools.partial(click.echo, err=True)
    with Bar(enabled=not quiet and not as_json) as bar, graceful_ctrl_c(stop, say):
        report = push_files(*files, platform=platform, base_url=base_url, output=output, options=options,
                            progress=bar, announce=tell, notice=say, stop=stop)
    _print_push(report, as_json, quiet)
    sys.exit(report.exit_code)


def _print_push(report: PushReport, as_json: bool, quiet: bool) -> None:
    if as_json:
        click.echo(json.dumps({
            "exit_code": report.exit_code, "results": str(report.results_path), "sent": report.sent,
            "counts": report.counts, "requests_sent": report.facts.requests_sent,
            "responses_429": report.facts.responses_429, "duration_s": round(report.facts.duration_s, 3),
            "platform": report.facts.platform, "base_url": report.facts.base_url,
            "problems": [_problem_json(p) for p in report.problems],
        }))
        return
    for problem in report.problems:
        if problem not in report.warned:  # those were said before anything was sent
            click.echo(problem.render(), err=True)
    if report.unread_sheets:
        click.echo("Nothing was sent: a sheet of the job is not read (see above); rename it, or start its name "
                   "with # to keep it out of the job.", err=True)
    elif not report.sent and report.exit_code == EXIT_INVALID:
        click.echo("Nothing was sent: fix the invalid rows (or use --skip-invalid).", err=True)
    for sheet, counts in report.counts.items():
        click.echo(f"{sheet}: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    click.echo(f"{report.facts.requests_sent} requests in {report.facts.duration_s:.1f} s; "
               f"results: {report.results_path}")


@cli.command()
@files_argument
@platform_option
@kind_option
@click.option("--skip-invalid", is_flag=True, help="Plan the valid rows only.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the job's workbook with a Plan column saying what each row would do.")
@click.option("--base-url", help="Another server for the platform's API (a sandbox, a staging host).")
@click.option("--offline", is_flag=True,
              help="Do not read the live state: rows per action only (needs no credentials).")
@click.option("--append", "append", multiple=True, cls=_Later, later=_appendable,
              help="As for push: this kind's rows add to each campaign's list.")
@click.option("--as-new", "as_new", is_flag=True, help="As for push: plan every object as created anew.")
@pace_options
@json_option
@decimal_options
@refresh_option
def plan(files: Sequence[Path], platform: str, kind: str | None, skip_invalid: bool, output: Path | None,
         base_url: str | None, offline: bool, append: Sequence[str], rate_limit: int | None, rate_window: float,
         item_cap: int, as_json: bool, decimal: str | None, refresh_reference: bool, as_new: bool = False) -> None:
    """Say what a push of FILES would do, against the live state of what they touch: rows to create,
    update (fields changed, old → new), delete or leave unchanged, items a replace would remove,
    then the requests and how long they take at the platform's rate."""
    from bulkops._api import plan as plan_files

    summary = plan_files(*files, platform=platform, base_url=base_url, kind=kind, skip_invalid=skip_invalid,
                         item_cap=item_cap, rate_limit=rate_limit, rate_window=rate_window, offline=offline,
                         append=tuple(append), decimal=decimal, refresh_reference=refresh_reference, as_new=as_new)
    for problem in summary.problems:
        click.echo(problem.render(), err=True)
    if output is not None:
        from bulkops.io import write_plan

        write_plan([v.sheet for v in summary.validated], summary.rows, output)
    if as_json:
        click.echo(json.dumps(_plan_json(summary)))
    else:
        _print_plan(summary)
    sys.exit(EXIT_OK if summary.ok else EXIT_INVALID)


def _plan_json(summary: PlanSummary) -> dict:
    diff = summary.diff
    rows = []
    if diff is not None:
        for (sheet_no, row), verdict in sorted(diff.rows.items()):
            rows.append({"sheet": summary.validated[sheet_no].sheet.title, "row": row, "plan": verdict.verdict,
                         "changes": [{"column": c.label, "old": _shown(c.old), "new": _shown(c.new)}
                                     for c in verdict.changes], "note": verdict.note})
    return {"sheets": summary.sheets, "requests": summary.estimate.requests, "seconds": summary.estimate.seconds,
            "invalid": summary.invalid, "live": summary.live, "reads": summary.reads, "rows": rows,
            "problems": [_problem_json(p) for p in summary.problems],
            "removals": [{"sheet": r.sheet, "parent": r.parent, "count": r.count}
                         for r in (diff.removals if diff else [])]}


def _shown(value) -> str:
    from bulkops.kinds import shown

    return shown(value)


def _print_plan(summary: PlanSummary) -> None:
    diff = summary.diff
    for sheet_no, item in enumerate(summary.validated):
        counts = summary.sheets.get(item.sheet.title, {})
        if counts:
            ordered = sorted(counts.items(), key=lambda pair: _ORDER.index(pair[0]) if pair[0] in _ORDER else 99)
            click.echo(f"{item.sheet.title}: " + ", ".join(_count(action, n) for action, n in ordered))
        for (number, row), verdict in sorted((diff.rows if diff else {}).items()):
            if number == sheet_no and verdict.verdict in ("update", "fail") and (verdict.changes or verdict.note):
                click.echo(f"  row {row}: {verdict.describe()}")
    for removal in diff.removals if diff else []:
        click.echo(str(removal))
    if not summary.live:
        click.echo(f"Not compared with the live state ({summary.offline_reason}).")
    click.echo(f"The push needs {summary.estimate.describe()}.")


_ORDER = ("create", "update", "delete", "replace", "append", "remove", "unchanged", "skip", "fail", "fix (invalid)")


def _count(action: str, n: int) -> str:
    if action == "fail":  # rows that ask what the platform cannot do: failed without a request
        return f"{n} would fail"
    return f"{n} {action}" if action in ("unchanged", "fix (invalid)") else f"{n} to {action}"


@cli.command()
@platform_option
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Workbook to write (default: PLATFORM-state.xlsx), or folder for --csv.")
@click.option("--kinds", "kinds", multiple=True,
              help="Kinds to export (repeatable or comma-separated; default: every kind).")
@click.option("--campaigns", "campaigns", default=None,
              help="Only these campaign IDs (comma-separated) and what they use.")
@click.option("--csv", "as_csv", is_flag=True, help="Write one CSV per kind instead of a workbook.")
@click.option("--media", is_flag=True,
              help="Also save the creatives' files into WORKBOOK-media/ (a CSV folder's media/), named in their "
                   "file columns, so that a push uploads them again.")
@click.option("--base-url", help="Another server for the platform's API (a sandbox, a staging host).")
@rate_options
@quiet_option
@json_option
def export(platform: str, output: Path | None, kinds: Sequence[str], campaigns: str | None, as_csv: bool,
           base_url: str | None, rate_limit: int | None, rate_window: float, quiet: bool, as_json: bool,
           media: bool = False) -> None:
    """Read the live account and write it in the template format (IDs filled, Refs made up)."""
    from bulkops._api import export as export_account
    from bulkops._terminal import Bar
    from bulkops.exporter import exporter_for

    exporter_for(platform)  # a platform without an exporter is a usage error before any login
    names = [n.strip() for text in kinds for n in text.split(",") if n.strip()]
    _known_kinds(names)
    with Bar(enabled=not quiet and not as_json) as bar:
        report = export_account(platform, base_url=base_url, output=output, kinds=names,
                                campaigns=_campaign_ids(campaigns), as_csv=as_csv, rate_limit=rate_limit,
                                rate_window=rate_window, progress=bar, media=media)
    saved = report.media
    if as_json:
        click.echo(json.dumps({"paths": [str(p) for p in report.paths], "counts": report.counts,
                               **({"media": {"folder": str(saved.folder), "saved": saved.written + saved.kept,
                                             "not_saved": [f"{ref}: {why}" for ref, why in saved.missed]}}
                                  if saved else {}),
                               "requests_sent": report.requests_sent, "responses_429": report.responses_429,
                               "duration_s": round(report.duration_s, 3), "platform": platform,
                               "base_url": report.base_url, "not_in_any_sheet": report.unmodelled}))
        return
    click.echo(", ".join(f"{n} {sheet}" for sheet, n in report.counts.items()))
    click.echo(f"{report.requests_sent} requests in {report.duration_s:.1f} s; written: "
               + ", ".join(str(p) for p in report.paths))
    if saved is not None:
        click.echo(f"media: {saved.written + saved.kept} files in {saved.folder}")
        for ref, why in saved.missed:
            click.echo(f"media not saved: {ref}: {why}", err=True)
    if report.unmodelled:
        where = report.unmodelled_path or "the Summary sheet"
        click.echo(f"{report.unmodelled} settings of the objects read are in no sheet: listed in {where}")


def _campaign_ids(text: str | None) -> list[int] | None:
    from bulkops.kinds import ID_MAX, id_number

    if text is None:
        return None
    ids = []
    for part in text.replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        number = id_number(part)
        if number is None or number > ID_MAX:
            raise click.UsageError(f"--campaigns takes campaign IDs (at most {ID_MAX}) separated by commas, "
                                   f"not {part[:30]!r}")
        ids.append(number)
    return ids


@cli.command()
@platform_option
@click.option("--from", "start", required=True, help="First day of the report (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last day of the report (YYYY-MM-DD), included.")
@click.option("--by", "by", default="day", show_default=True,
              help="Rows by day, campaign and/or creative (comma-separated: day,campaign,creative).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: PLATFORM-report-FROM-TO.xlsx, or .csv with --csv).")
@click.option("--csv", "as_csv", is_flag=True, help="Write the rows as CSV instead of a workbook.")
@click.option("--base-url", help="Another server for the platform's API (a sandbox, a staging host).")
@rate_options
@quiet_option
@json_option
def report(platform: str, start: str, end: str, by: str, output: Path | None, as_csv: bool, base_url: str | None,
           rate_limit: int | None, rate_window: float, quiet: bool, as_json: bool) -> None:
    """Read the platform's statistics and write them to Excel (with a chart) or CSV."""
    from bulkops._api import report as read_report
    from bulkops._terminal import Bar

    with Bar(enabled=not quiet and not as_json) as bar:
        result = read_report(platform, start=start, end=end, by=by, base_url=base_url, output=output,
                             as_csv=as_csv, rate_limit=rate_limit, rate_window=rate_window, progress=bar)
    if as_json:
        click.echo(json.dumps({"path": str(result.path), "rows": len(result.rows), "pages": result.pages,
                               "requests_sent": result.requests_sent, "totals": result.totals,
                               "disagreements": result.disagreements, "duration_s": round(result.duration_s, 3),
                               "platform": platform, "base_url": result.base_url}))
    else:
        click.echo(f"{len(result.rows)} rows in {result.pages} page{'s' if result.pages != 1 else ''}, "
                   f"{result.requests_sent} requests in {result.duration_s:.1f} s; written: {result.path}")
        for text in result.disagreements:
            click.echo(f"warning: {text}", err=True)
    if result.disagreements:
        sys.exit(1)  # as a push with failed rows: the file is written, the answer is not whole


@cli.command()
@platform_option
@click.option("--port", type=click.IntRange(0, 65535), default=8900, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--rate-limit", type=click.IntRange(1), default=None, help="Requests per minute per token.")
@click.option("--latency-ms", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Added to every answer, as a far platform would take.")
@click.option("--fail-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of requests answered 503.")
@click.option("--state", type=click.Path(dir_okay=False, path_type=Path), help="SQLite file to keep state in.")
@click.option("--max-items", type=click.IntRange(1), default=1000, show_default=True,
              help="Items one list request may carry (ZIPs, circles, deals, ids).")
@click.option("--creative-review-s", type=click.FloatRange(0), default=2.0, show_default=True,
              help="Where the platform reviews creatives: seconds a new creative stays pending before its review "
                   "ends (a name with [reject] is rejected).")
@click.option("--login-ttl", "token_ttl_s", type=click.FloatRange(0.1), default=None,
              help="Seconds a login lasts (default: the platform's); short values make logins expire mid-run.")
@click.option("--drop-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of requests whose connection is cut before the platform sees them.")
@click.option("--drop-answer-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of writes that are done, then their answer is cut off.")
@click.option("--storm-every", type=click.IntRange(0), default=0, show_default=True,
              help="After every N requests, a storm of 429s (0: none).")
@click.option("--storm-length", type=click.IntRange(0), default=5, show_default=True,
              help="Requests refused with 429 in each storm.")
@click.option("--storm-retry-after", "storm_retry_after_s", type=click.FloatRange(0), default=1.0,
              show_default=True, help="Retry-After, in seconds, of a storm's 429s.")
@click.option("--retry-after-date", is_flag=True, help="Send Retry-After as an HTTP date instead of seconds.")
@click.option("--seed", type=int, default=None, help="Seed for the injected faults (the same seed, the same faults).")
def sandbox(platform: str, port: int, rate_limit: int | None, latency_ms: float, fail_rate: float,
            state: Path | None, max_items: int, creative_review_s: float, token_ttl_s: float | None,
            drop_rate: float, drop_answer_rate: float, storm_every: int, storm_length: int,
            storm_retry_after_s: float, retry_after_date: bool, seed: int | None) -> None:
    """Serve the platform's documented API on 127.0.0.1, for rehearsals and tests, with faults on request."""
    from bulkops.sandbox import SandboxConfig, serve

    config = SandboxConfig(platform=platform, latency_ms=latency_ms, fail_rate=fail_rate,
                           state_path=str(state) if state else None, max_items_per_request=max_items,
                           creative_review_s=creative_review_s, token_ttl_s=token_ttl_s, drop_rate=drop_rate,
                           drop_answer_rate=drop_answer_rate, storm_every=storm_every,
                           storm_length=storm_length if storm_every else 0, storm_retry_after_s=storm_retry_after_s,
                           retry_after_date=retry_after_date, seed=seed,
                           media_origin=None)  # creatives' files named at its own address, where it serves them
    if rate_limit is not None:
        config.rate_limit = rate_limit
    serve(config, port=port, announce=lambda text: click.echo(text, err=False))


@cli.command()
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-output"),
              show_default=True, help="Folder for the results workbook.")
@quiet_option
def demo(output: Path, quiet: bool) -> None:
    """Start an embedded sandbox and push samples/ to it, end to end. No credentials needed."""
    from bulkops._demo import run_demo

    run_demo(output, quiet=quiet, echo=click.echo)


@cli.command()
@click.option("--platform", "-p", cls=_Later, later=_platforms, default=None,
              help="The platform chosen when the page opens (default: the first).")
@click.option("--base-url", help="Another server for the platform's API (a sandbox, a staging host).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open a browser.")
@click.option("--demo", is_flag=True, help="Start on the embedded sandbox with the samples staged.")
def ui(platform: str | None, base_url: str | None, port: int, no_browser: bool, demo: bool) -> None:
    """Serve the local web app (on 127.0.0.1, behind a token) and open it in the browser."""
    from bulkops.ui import serve_ui

    serve_ui(platform=platform, base_url=base_url, port=port, open_browser=not no_browser, demo=demo,
             announce=click.echo)


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=argv)


if __name__ == "__main__":
    main()
