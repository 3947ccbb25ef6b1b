"""The public Python API (`import bulkops`): the jobs the CLI runs, with reports instead of exit codes,
progress through a callback, no bar, no signal handler, and working inside a running event loop."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

import openpyxl
import pytest

import bulkops
from bulkops._exceptions import ConfigError, Interrupted
from tests.conftest import campaign


@pytest.fixture
def no_login(monkeypatch, tmp_path):
    """Neither the environment nor a profile holds credentials: only `credentials=` may give them."""
    for name in ("BULKOPS_SMARTYADS_EMAIL", "BULKOPS_SMARTYADS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))


def three_campaigns(write_campaigns_xlsx) -> Path:
    return write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(3)])


def test_validate_reports_problem_records(write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(), campaign(ref="c2", name="Two", type="billboard")])
    report = bulkops.validate(path, platform="smartyads")
    assert not report.ok and report.rows == 2
    [problem] = report.errors
    assert isinstance(problem, bulkops.Problem)
    assert (Path(problem.file).name, problem.sheet, problem.row, problem.column) == (
        "campaigns.xlsx", "Campaigns", 3, "Type")
    assert problem.code and "billboard" in problem.message
    assert bulkops.validate(write_campaigns_xlsx([campaign()], name="fine.xlsx"), platform="smartyads").ok


def test_plan_offline_counts_rows_requests_and_time(write_campaigns_xlsx, no_login):
    report = bulkops.plan(three_campaigns(write_campaigns_xlsx), platform="smartyads", offline=True)
    assert report.ok and report.sheets == {"Campaigns": {"create": 3}}
    assert report.requests == 4 and report.seconds == 0  # a login and three creates
    assert report.warnings == [] and not report.live


@pytest.mark.slow
def test_push_with_credentials_passed_in_reports_every_row(write_campaigns_xlsx, no_login, tmp_path, caplog):
    path = three_campaigns(write_campaigns_xlsx)
    caplog.set_level(logging.DEBUG)
    with bulkops.sandbox.running("smartyads") as server:
        report = bulkops.push(path, platform="smartyads", base_url=server.base_url,
                              credentials=server.credentials, output=tmp_path / "out.xlsx")
        made = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    assert report.ok and report.sent and report.counts == {"Campaigns": {"created": 3}}
    assert [(r.sheet, r.row, r.status, r.id) for r in report.rows] == [
        ("Campaigns", row, "created", made[f"Campaign {row - 2}"]) for row in (2, 3, 4)]
    assert report.results_path == tmp_path / "out.xlsx" and report.results_path.exists()
    assert "sandbox" not in caplog.text.replace("sandbox-", "")  # the password is never logged


def test_push_refuses_credentials_that_lack_a_field(write_campaigns_xlsx, no_login):
    with pytest.raises(ConfigError, match="missing: password"):
        bulkops.push(write_campaigns_xlsx([campaign()]), platform="smartyads", base_url="http://127.0.0.1:9",
                     credentials={"email": "demo@bulkops.test"})


def test_push_without_credentials_anywhere_names_the_variables(write_campaigns_xlsx, no_login):
    with pytest.raises(ConfigError, match="BULKOPS_SMARTYADS_EMAIL"):
        bulkops.push(write_campaigns_xlsx([campaign()]), platform="smartyads", base_url="http://127.0.0.1:9")


def test_an_unknown_option_is_a_type_error(write_campaigns_xlsx):
    with pytest.raises(TypeError, match="skip_invalids"):
        bulkops.plan(write_campaigns_xlsx([campaign()]), platform="smartyads", offline=True, skip_invalids=True)


@pytest.mark.slow
def test_push_works_when_called_synchronously_inside_a_running_event_loop(write_campaigns_xlsx, no_login, tmp_path):
    path = three_campaigns(write_campaigns_xlsx)
    with bulkops.sandbox.running("smartyads") as server:

        async def notebook_cell() -> bulkops.PushReport:
            return bulkops.push(path, platform="smartyads", base_url=server.base_url,
                                credentials=server.credentials, output=tmp_path / "out.xlsx")

        report = asyncio.run(notebook_cell())
        assert len(server.sandbox.campaigns()) == 3
    assert report.counts == {"Campaigns": {"created": 3}}


@pytest.mark.slow
def test_plan_and_export_work_inside_a_running_event_loop(write_campaigns_xlsx, no_login, tmp_path):
    path = three_campaigns(write_campaigns_xlsx)
    with bulkops.sandbox.running("smartyads") as server:
        login = {"base_url": server.base_url, "credentials": server.credentials}
        bulkops.push(path, platform="smartyads", output=tmp_path / "out.xlsx", **login)

        async def notebook_cell():
            # The results workbook names every campaign's ID: the plan reads them live.
            planned = bulkops.plan(tmp_path / "out.xlsx", platform="smartyads", **login)
            exported = bulkops.export("smartyads", output=tmp_path / "state.xlsx", **login)
            return planned, exported

        planned, exported = asyncio.run(notebook_cell())
    assert planned.live and planned.sheets == {"Campaigns": {"unchanged": 3}}
    assert exported.counts["Campaigns"] == 3 and exported.paths == [tmp_path / "state.xlsx"]


@pytest.mark.slow
def test_apush_and_aexport_run_on_the_callers_loop(write_campaigns_xlsx, no_login, tmp_path):
    path = three_campaigns(write_campaigns_xlsx)
    with bulkops.sandbox.running("smartyads") as server:
        login = {"base_url": server.base_url, "credentials": server.credentials}

        async def job():
            ticks = []
            ticker = asyncio.create_task(_tick(ticks))  # the loop stays free while the jobs run
            pushed = await bulkops.apush(path, platform="smartyads", output=tmp_path / "out.xlsx", **login)
            exported = await bulkops.aexport("smartyads", output=tmp_path / "state.xlsx", campaigns=[
                row.id for row in pushed.rows], **login)
            ticker.cancel()
            return pushed, exported, ticks

        pushed, exported, ticks = asyncio.run(job())
    assert pushed.counts == {"Campaigns": {"created": 3}} and exported.counts["Campaigns"] == 3
    assert ticks


async def _tick(ticks: list[int]) -> None:
    while True:
        ticks.append(1)
        await asyncio.sleep(0)


@pytest.mark.slow
def test_progress_comes_through_the_callback_without_a_bar_or_a_signal_handler(
        write_campaigns_xlsx, no_login, tmp_path, capsys):
    path = three_campaigns(write_campaigns_xlsx)
    events: list[bulkops.Progress] = []
    handlers = []

    def progress(event: bulkops.Progress) -> None:
        events.append(event)
        handlers.append(signal.getsignal(signal.SIGINT))

    with bulkops.sandbox.running("smartyads") as server:
        bulkops.push(path, platform="smartyads", base_url=server.base_url, credentials=server.credentials,
                     output=tmp_path / "out.xlsx", progress=progress)
        bulkops.export("smartyads", base_url=server.base_url, credentials=server.credentials,
                       output=tmp_path / "state.xlsx", progress=progress)
    pushed = [e for e in events if e.stage == "push"]
    assert pushed[0].done == 0 and pushed[-1].done == pushed[-1].total == 3
    assert [e.done for e in pushed] == sorted(e.done for e in pushed)
    exported = [e for e in events if e.stage == "export"]
    assert exported and exported[-1].total is None and exported[-1].done >= 1
    # The library left Ctrl-C alone: whatever handled SIGINT meanwhile (Python's own, asyncio.run's, a
    # server's) was none of bulkops's.
    assert handlers and not [h for h in handlers if _module_of(h).startswith("bulkops")]
    assert capsys.readouterr().err == ""  # and drew nothing


def _module_of(handler: object) -> str:
    """The module a signal handler (a function, a bound method or a partial of either) comes from."""
    target = getattr(handler, "func", handler)
    return getattr(target, "__module__", None) or ""


@pytest.mark.slow
def test_a_stop_handle_stops_a_push_gracefully_and_the_same_push_finishes_it(
        write_campaigns_xlsx, no_login, tmp_path):
    path = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(8)])
    out = tmp_path / "out.xlsx"
    stop = bulkops.StopHandle()

    def progress(event: bulkops.Progress) -> None:
        if event.done == 2:
            stop.stop()

    with bulkops.sandbox.running("smartyads") as server:
        login = {"base_url": server.base_url, "credentials": server.credentials, "output": out, "concurrency": 1}
        with pytest.raises(Interrupted, match="every row has its status"):
            bulkops.push(path, platform="smartyads", progress=progress, stop=stop, **login)
        made = len(server.sandbox.campaigns())
        book = openpyxl.load_workbook(out, read_only=True)
        rows = list(book["Campaigns"].iter_rows(values_only=True))
        book.close()
        statuses = [row[rows[0].index("Status")] for row in rows[1:]]
        assert 2 <= made < 8 and statuses.count("created") == made
        assert set(statuses) == {"created", "not run"}
        again = bulkops.push(path, platform="smartyads", **login)
        assert len(server.sandbox.campaigns()) == 8
    assert again.ok


@pytest.mark.slow
def test_the_sandbox_starts_from_python_with_its_built_in_account():
    with bulkops.sandbox.running("iqm") as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert set(server.credentials) == {"email", "password", "client_id", "client_secret", "host"}


@pytest.mark.slow
# Abandoning cancels connections still being opened: anyio's connect_tcp (under httpcore) has then
# scheduled attempts that never ran, and Python warns when their coroutines are collected.
@pytest.mark.filterwarnings("ignore:coroutine 'connect_tcp.<locals>.try_connect' was never awaited"
                            ":RuntimeWarning")
def test_abandoning_a_stopped_push_still_gives_every_row_its_status(write_campaigns_xlsx, no_login, tmp_path):
    from bulkops.sandbox import SandboxConfig

    path = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(8)])
    out = tmp_path / "out.xlsx"
    stop = bulkops.StopHandle()

    def progress(event: bulkops.Progress) -> None:
        if event.done == 1:  # the other requests in flight are not waited for
            stop.stop()
            stop.abandon()

    with bulkops.sandbox.running(SandboxConfig(latency_ms=300)) as server:
        with pytest.raises(Interrupted):
            bulkops.push(path, platform="smartyads", base_url=server.base_url, credentials=server.credentials,
                         output=out, concurrency=4, progress=progress, stop=stop)
        book = openpyxl.load_workbook(out, read_only=True)
        rows = list(book["Campaigns"].iter_rows(values_only=True))
        book.close()
        statuses = [row[rows[0].index("Status")] for row in rows[1:]]
        assert statuses.count("created") >= 1 and "not run" in statuses and len(statuses) == 8
        bulkops.push(path, platform="smartyads", base_url=server.base_url, credentials=server.credentials,
                     output=out)
        assert sorted(c["name"] for c in server.sandbox.campaigns()) == [f"Campaign {i}" for i in range(8)]


@pytest.mark.slow
def test_an_interrupt_while_a_notebook_waits_for_a_push_stops_it_gracefully(write_campaigns_xlsx, no_login,
                                                                             tmp_path):
    import threading

    from bulkops.sandbox import SandboxConfig

    path = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(8)])
    main, pressed = threading.main_thread().ident, []

    def progress(event: bulkops.Progress) -> None:
        if event.done == 1 and not pressed:  # the user presses the notebook's interrupt
            pressed.append(1)
            signal.pthread_kill(main, signal.SIGINT)

    with bulkops.sandbox.running(SandboxConfig(latency_ms=100)) as server:

        async def notebook_cell() -> bulkops.PushReport:
            signal.signal(signal.SIGINT, signal.default_int_handler)  # a kernel's interrupt: KeyboardInterrupt
            return bulkops.push(path, platform="smartyads", base_url=server.base_url, concurrency=1,
                                credentials=server.credentials, output=tmp_path / "out.xlsx", progress=progress)

        with pytest.raises(Interrupted):
            asyncio.run(notebook_cell())
        made = len(server.sandbox.campaigns())
    assert 1 <= made < 8  # it stopped sending, and waited for the request in flight
    book = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    rows = list(book["Campaigns"].iter_rows(values_only=True))
    book.close()
    assert [row[rows[0].index("Status")] for row in rows[1:]].count("created") == made


@pytest.mark.parametrize("call", [
    lambda path: bulkops.push(path, platform="dv360"),
    lambda path: bulkops.plan(path, platform="dv360", offline=True),
    lambda path: bulkops.export(platform="dv360"),
    lambda path: bulkops.validate(path, platform="dv360"),
])
def test_an_unknown_platform_is_a_config_error(call, write_campaigns_xlsx):
    with pytest.raises(ConfigError, match="dv360"):
        call(write_campaigns_xlsx([campaign()]))


def test_append_takes_one_kind_or_several(write_workbook, no_login):
    path = write_workbook({"geo-zip": [{"campaign": "123", "zip": "10001", "iso2": "US", "lat": 40.0, "lng": -70.0}]})
    one = bulkops.plan(path, platform="smartyads", offline=True, append="geo-zip")
    several = bulkops.plan(path, platform="smartyads", offline=True, append=("geo-zip", "deals"))
    replaced = bulkops.plan(path, platform="smartyads", offline=True)
    # An append to a list reads it first (the plan counts that read); a replace does not.
    assert one.requests == several.requests == replaced.requests + 1
