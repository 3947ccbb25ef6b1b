"""The routes of `bulkops ui`: one page, and the fragments htmx swaps into it (docs/ui.md).

Every job goes through the public API (`bulkops.validate`, `plan`, `apush`, `export`, `report` and
`bulkops.sandbox.running`); the synchronous ones run in a worker thread, the push on the server's
own event loop, its progress and rows sent to the page as server-sent events.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

import bulkops
from bulkops.io import DEFAULT_LIMITS
from bulkops.kinds import media_confined
from bulkops.registry import platform_names
from bulkops.ui._guard import CSRF_HEADER, Guard, GuardMiddleware, SessionStore
from bulkops.ui._profile import found, save_to_profile
from bulkops.ui._samples import sample_paths
from bulkops.ui._session import Account, PushRun, Session
from bulkops.ui._uploads import TooBig, receive, safe_name
from bulkops.ui._views import check_view, duration, failed_view, plan_view

HERE = Path(__file__).resolve().parent
LIVE_ROWS = 500  # rows shown one by one while a push runs; the results workbook has them all
FLUSH_S = 0.25  # rows and progress go to the page at most this often


@dataclass
class UiConfig:
    """How the app was started: the platform and server chosen on the command line, the bound on one
    upload (every file of it together), and the hosts (127.0.0.1:PORT, localhost:PORT) it answers to."""

    hosts: tuple[str, ...]
    platform: str | None = None
    base_url: str | None = None
    max_upload_bytes: int = DEFAULT_LIMITS.max_file_bytes
    demo: bool = False
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))


def create_app(config: UiConfig) -> Starlette:
    folder = Path(tempfile.mkdtemp(prefix="bulkops-ui-"))  # mode 0700: this user's alone
    held = contextlib.ExitStack()
    sandboxes: dict[str, Any] = {}

    first_platform = config.platform or platform_names()[0]

    def started_server(platform: str) -> str | None:
        """`--base-url` is the server of the platform the app started on, never another platform's."""
        return config.base_url if platform == first_platform else None

    def new_session(session_id: str) -> Session:
        own = folder / secrets.token_hex(8)
        own.mkdir(mode=0o700)
        return Session(session_id, own, Account(first_platform, config.base_url))

    sessions = SessionStore(new_session)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(csrf_header=CSRF_HEADER, platforms=platform_names(), duration=duration)
    templates.env.filters["metric"] = shown_metric
    templates.env.filters["size"] = shown_size

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        session: Session = request.state.session
        status = context.pop("status_code", 200)
        context.setdefault("account_found", found(session.account.platform))
        context.setdefault("report_days", _last_days(30))
        return templates.TemplateResponse(request, name, {"session": session, "config": config, **context},
                                          status_code=status)

    async def home(request: Request) -> Response:
        session: Session = request.state.session
        if config.demo and not session.demo_offered:  # once: the buyer may choose another account then
            session.demo_offered = True
            await _start_demo(session, sandboxes, held)
        return page(request, "page.html")

    async def account(request: Request) -> Response:
        session: Session = request.state.session
        form = await request.form(max_files=0, max_fields=20)
        platform = str(form.get("platform") or session.account.platform)
        if platform not in platform_names():
            return page(request, "_app.html", error=f"unknown platform {platform!r}", status_code=422)
        base_url = str(form.get("base_url") or "").strip() or None
        if base_url and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", base_url):
            return page(request, "_app.html", error="the server's address starts with http:// or https://")
        if platform != session.account.platform and base_url == session.account.base_url:
            base_url = None  # the field still shows the other platform's server: its credentials must not go there
        if platform != session.account.platform or session.account.demo:
            _forget_files(session)
        session.account = Account(platform, base_url or started_server(platform))
        given = {name.removeprefix("cred_"): str(value) for name, value in form.items() if name.startswith("cred_")}
        if given:
            try:
                saved = await run_in_threadpool(save_to_profile, platform, given)
            except bulkops.ConfigError as error:
                return page(request, "_app.html", error=str(error))
            return page(request, "_app.html", notice=f"Saved to {saved} (mode 0600).")
        return page(request, "_app.html")

    async def demo(request: Request) -> Response:
        session: Session = request.state.session
        await _start_demo(session, sandboxes, held)
        return page(request, "_app.html", notice="Demo: an embedded sandbox, the samples staged.")

    async def _start_demo(session: Session, servers: dict[str, Any], stack: contextlib.ExitStack) -> None:
        platform = session.account.platform
        if platform not in servers:
            servers[platform] = await run_in_threadpool(stack.enter_context, bulkops.sandbox.running(platform))
        server = servers[platform]
        journal = session.folder / "demo-journal"
        journal.mkdir(mode=0o700, exist_ok=True)
        session.account = Account(platform, server.base_url, dict(server.credentials), demo=True,
                                  state_folder=journal)
        _forget_files(session)
        samples = sample_paths(platform)
        session.files = samples
        session.shown_names = {p: p.name for p in samples}
        await _check(session)

    async def files(request: Request) -> Response:
        session: Session = request.state.session
        if session.push and not session.push.finished:
            return page(request, "_check.html", error="A push is running: wait for it, or cancel it, first.",
                        status_code=409)
        try:
            stored = await receive(request, session.upload_folder, config.max_upload_bytes)
        except TooBig:
            return page(request, "_check.html", status_code=413,
                        error=f"Refused: the files are larger than {shown_size(config.max_upload_bytes)} together; "
                              "nothing was kept.")
        except ValueError as refused:
            return page(request, "_check.html", error=str(refused), status_code=422)
        session.files = list(stored)
        session.shown_names = stored
        session.downloads.pop("results", None)
        await _check(session)
        return page(request, "_check.html")

    async def _check(session: Session) -> None:
        acc = session.account
        try:
            # Names are checked with the cached copy of the account the page works on, not the default one's.
            with media_confined():  # an uploaded workbook names media only inside its own folder
                report = await run_in_threadpool(lambda: bulkops.validate(
                    *session.files, platform=acc.platform, base_url=acc.base_url, credentials=acc.credentials))
        except bulkops.BulkopsError as error:
            session.check = failed_view(str(error), session.shown_names)
        else:
            session.check = check_view(report, session.shown_names)

    async def plan(request: Request) -> Response:
        session: Session = request.state.session
        if not session.files:
            return page(request, "_plan.html", error="Drop the job's files first.")
        form = await request.form(max_files=0, max_fields=5)
        acc = session.account
        offline = not acc.demo and not found(acc.platform).source
        try:
            with media_confined():
                summary = await run_in_threadpool(lambda: bulkops.plan(
                    *session.files, platform=acc.platform, base_url=acc.base_url, credentials=acc.credentials,
                    skip_invalid=bool(form.get("skip_invalid")), offline=offline))
        except bulkops.BulkopsError as error:
            return page(request, "_plan.html", error=_named(str(error), session))
        return page(request, "_plan.html", plan=plan_view(summary))

    async def push(request: Request) -> Response:
        session: Session = request.state.session
        if not session.files:
            return page(request, "_push.html", error="Drop the job's files first.")
        if session.push and not session.push.finished:
            return page(request, "_push.html", run=session.push)
        form = await request.form(max_files=0, max_fields=5)
        out = session.folder / "results"
        out.mkdir(mode=0o700, exist_ok=True)
        first = session.shown_names.get(session.files[0], session.files[0].name)
        run = PushRun(out / f"{Path(first).stem}-results.xlsx")
        session.push = run
        session.downloads.pop("results", None)
        run.task = _start_push(session, run, bool(form.get("skip_invalid")), templates)
        return page(request, "_push.html", run=run)

    async def events(request: Request) -> Response:
        session: Session = request.state.session
        run = session.push
        if run is None:
            return Response(status_code=204)  # an EventSource does not reconnect after a 204
        # A page that reconnects says the last event it had (EventSource does): it is sent the rest.
        last = request.headers.get("last-event-id", "")
        return StreamingResponse(_sse(run, int(last) + 1 if last.isdigit() else 0), media_type="text/event-stream")

    async def cancel(request: Request) -> Response:
        session: Session = request.state.session
        run = session.push
        if run is None or run.finished:
            return HTMLResponse("<p>No push is running.</p>")
        if run.stop.stopped:
            run.stop.abandon()
            return HTMLResponse("<p role=\"status\">Stopping now: the requests in flight are not waited for "
                                "(the journal covers them).</p>")
        run.stop.stop()
        return HTMLResponse("<p role=\"status\">Stopping: the requests in flight finish, then every row gets its "
                            "status. Cancel again not to wait for them.</p>")

    async def export(request: Request) -> Response:
        session: Session = request.state.session
        acc = session.account
        out = session.folder / "export"
        out.mkdir(mode=0o700, exist_ok=True)
        target = out / f"{acc.platform}-state.xlsx"
        try:
            report = await run_in_threadpool(lambda: bulkops.export(
                acc.platform, base_url=acc.base_url, credentials=acc.credentials, output=target))
        except bulkops.BulkopsError as error:
            return page(request, "_export.html", error=str(error))
        session.downloads["export"] = target
        return page(request, "_export.html", report=report)

    async def report(request: Request) -> Response:
        session: Session = request.state.session
        acc = session.account
        form = await request.form(max_files=0, max_fields=10)
        start, end = str(form.get("start") or ""), str(form.get("end") or "")
        out = session.folder / "report"
        out.mkdir(mode=0o700, exist_ok=True)
        target = out / f"{acc.platform}-report-{safe_name(start)}-{safe_name(end)}.xlsx"
        try:
            result = await run_in_threadpool(lambda: bulkops.report(
                acc.platform, start=start, end=end, by=[str(b) for b in form.getlist("by")], base_url=acc.base_url,
                credentials=acc.credentials, output=target))
        except bulkops.BulkopsError as error:
            return page(request, "_report.html", error=str(error))
        session.downloads["report"] = target
        return page(request, "_report.html", result=result)

    async def download(request: Request) -> Response:
        session: Session = request.state.session
        what = request.path_params["what"]
        path = session.downloads.get(what)
        if path is None or not path.exists():
            return page(request, "_missing.html", status_code=404)
        return FileResponse(path, filename=path.name,
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    async def icon(request: Request) -> Response:
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            for session in sessions.all():
                if session.push and session.push.task and not session.push.finished:
                    session.push.stop.stop()
                    session.push.stop.abandon()
                    with contextlib.suppress(BaseException):
                        await session.push.task
            held.close()
            shutil.rmtree(folder, ignore_errors=True)

    routes = [
        Route("/", home), Route("/favicon.ico", icon),
        Route("/account", account, methods=["POST"]), Route("/demo", demo, methods=["POST"]),
        Route("/files", files, methods=["POST"]), Route("/plan", plan, methods=["POST"]),
        Route("/push", push, methods=["POST"]), Route("/push/events", events),
        Route("/push/cancel", cancel, methods=["POST"]), Route("/export", export, methods=["POST"]),
        Route("/report", report, methods=["POST"]),
        Route("/download/{what}", download),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    guard = Guard(config.token, config.hosts, sessions)
    app = Starlette(routes=routes, middleware=[Middleware(GuardMiddleware, guard=guard)], lifespan=lifespan)
    app.state.folder = folder
    app.state.sessions = sessions
    return app


def shown_size(size: int) -> str:
    """A number of bytes as people say it (200 MiB), exact where it is not a whole number of units."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor:,} {unit}"
    return f"{size:,} bytes"


def shown_metric(value: Any, style: str) -> str:
    """A report's figure as a buyer reads it: counts with thousands separators, money with cents,
    percentages with two decimals (the platform's percent number: 3.2 is 3.2 %)."""
    if not isinstance(value, int | float):
        return ""
    if style == "money":
        return f"{value:,.2f}"
    if style == "percent":
        return f"{value:.2f} %"
    return f"{value:,}"


def _last_days(days: int) -> tuple[str, str]:
    """The Report form's default: the last `days` days to yesterday (today's statistics are not in yet)."""
    last = dt.date.today() - dt.timedelta(days=1)
    return (last - dt.timedelta(days=days - 1)).isoformat(), last.isoformat()


def _forget_files(session: Session) -> None:
    session.files, session.shown_names, session.check = [], {}, None
    session.downloads.clear()


def _named(message: str, session: Session) -> str:
    for stored, shown in session.shown_names.items():
        message = message.replace(str(stored), shown)
    return message


async def _sse(run: PushRun, start: int) -> AsyncIterator[str]:
    async for number, name, html in run.follow(start):
        data = "\n".join(f"data: {line}" for line in html.splitlines() or [""])
        yield f"id: {number}\nevent: {name}\n{data}\n\n"


def _start_push(session: Session, run: PushRun, skip_invalid: bool, templates: Jinja2Templates) -> Any:
    import asyncio

    from bulkops.ui._live import Live

    live = Live(run, templates, LIVE_ROWS, FLUSH_S, time.monotonic)
    acc = session.account
    files = list(session.files)

    async def go() -> None:
        try:
            report = await bulkops.apush(
                *files, platform=acc.platform, base_url=acc.base_url, credentials=acc.credentials,
                output=run.results, skip_invalid=skip_invalid, state_folder=acc.state_folder,
                progress=live.progress, row_done=live.row, announce=live.announce, stop=run.stop)
        except bulkops.Interrupted:
            live.end(None, "Stopped: every row has its status in the results workbook; push again to finish.")
        except bulkops.BulkopsError as error:
            live.end(None, _named(str(error), session))
        except Exception as error:  # shown, not lost: the page would otherwise wait for ever
            live.end(None, f"The push failed: {type(error).__name__}")
            raise
        else:
            live.end(report, "")
        finally:
            if run.results.exists():
                session.downloads["results"] = run.results
            run.finish()

    with media_confined():  # the task (and the threads it starts) keeps the context it was created in
        return asyncio.get_running_loop().create_task(go())
