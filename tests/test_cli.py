"""Every command through the CLI runner, with exit codes and output asserted (no network here;
end-to-end pushes against the sandbox are in test_e2e.py)."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from tests.conftest import campaign


@pytest.fixture
def runner(monkeypatch, tmp_path) -> CliRunner:
    for name in ("BULKOPS_SMARTYADS_EMAIL", "BULKOPS_SMARTYADS_PASSWORD", "BULKOPS_IQM_CLIENT_ID",
                 "BULKOPS_IQM_CLIENT_SECRET", "BULKOPS_IQM_EMAIL", "BULKOPS_IQM_PASSWORD", "BULKOPS_IQM_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))
    return CliRunner()


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(cli.commands[command].help or "") > 20


def test_template_xlsx_and_csv(runner, tmp_path):
    result = runner.invoke(cli, ["template", "campaigns", "--platform", "smartyads", "-o", str(tmp_path / "c.xlsx")])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "c.xlsx").sheetnames == ["Instructions", "Campaigns", "Lists"]
    result = runner.invoke(cli, ["template", "all", "-p", "smartyads", "--csv", "-o", str(tmp_path)])
    assert result.exit_code == 0 and (tmp_path / "campaigns.csv").exists()


def test_template_help_names_every_kind(runner):
    from bulkops.kinds import kind_names

    shown = runner.invoke(cli, ["template", "--help"]).output
    assert [name for name in kind_names() if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", shown)] == []


def test_the_kinds_and_append_choices_are_todays_in_their_order(runner):
    shown = runner.invoke(cli, ["template", "--help"]).output
    assert " ".join(shown.split()).count("KINDS: campaigns, creatives, geo-zip, geo-gps, deals, audiences, "
                                         "contextual, filter-lists, filter-list-items (the kinds the platform has), "
                                         "or all.") == 1
    assert "--append [geo-zip|geo-gps|deals|audiences|contextual|filter-list-items|creatives|filter-lists]" in \
        " ".join(runner.invoke(cli, ["push", "--help"]).output.split())
    result = runner.invoke(cli, ["template", "banners", "-p", "smartyads"])
    assert "choose from: campaigns, creatives, geo-zip, geo-gps, deals, audiences, contextual, filter-lists, " \
        "filter-list-items, all" in result.output


def test_a_new_platforms_kinds_are_templates_and_append_choices(runner, monkeypatch, tmp_path):
    from tests import _third_platform as third

    third.register(monkeypatch)
    result = runner.invoke(cli, ["template", third.NEW_KIND, "-p", third.NAME, "-o", str(tmp_path / "b.xlsx")])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames == ["Instructions", "Banners", "Lists"]
    assert re.search(rf"KINDS: .*{third.NEW_KIND}", " ".join(runner.invoke(cli, ["template", "--help"]).output.split()))
    result = runner.invoke(cli, ["plan", str(tmp_path / "nope.xlsx"), "-p", third.NAME, "--append", third.NEW_KIND])
    assert "Invalid value for '--append'" not in result.output and result.exit_code == 2, result.output


def test_the_help_names_no_platform_of_its_own(runner, monkeypatch):
    from bulkops.registry import platform_label, platform_names
    from tests import _third_platform as third

    third.register(monkeypatch)
    shown = runner.invoke(cli, ["--help"]).output
    assert [name for name in platform_names() if platform_label(name) in shown or name in shown] == []


def test_template_unknown_kind_is_a_usage_error(runner):
    result = runner.invoke(cli, ["template", "banners", "-p", "smartyads"])
    assert result.exit_code == 3 and "unknown kind" in result.output


def test_validate_clean_file(runner, write_campaigns_xlsx):
    result = runner.invoke(cli, ["validate", str(write_campaigns_xlsx([campaign()])), "-p", "smartyads"])
    assert result.exit_code == 0 and "1 rows checked: no problems" in result.output


def test_validate_prints_one_line_per_problem_and_exits_2(runner, write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(type="billboard"), campaign(ref="c2", frequency="yes")])
    result = runner.invoke(cli, ["validate", str(path), "-p", "smartyads"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if " / row " in line]
    assert len(lines) == 4
    assert lines[0].startswith("campaigns.xlsx / Campaigns / row 2 / Type: 'billboard' not allowed")


def test_validate_json(runner, write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(type="billboard")])
    result = runner.invoke(cli, ["validate", str(path), "-p", "smartyads", "--json"])
    assert result.exit_code == 2
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["errors"] == 1
    assert summary["problems"][0] | {"message": ""} == {"file": "campaigns.xlsx", "sheet": "Campaigns", "row": 2,
                                                       "column": "Type", "code": "allowed", "message": "",
                                                       "severity": "error"}


def test_validate_missing_file_is_exit_2(runner, tmp_path):
    result = runner.invoke(cli, ["validate", str(tmp_path / "nope.xlsx"), "-p", "smartyads"])
    assert result.exit_code == 2 and "no such file" in result.output


def test_unknown_platform_is_exit_3(runner, tmp_path):
    assert runner.invoke(cli, ["validate", "x.xlsx", "-p", "myspace"]).exit_code == 3


def test_push_invalid_sends_nothing_needs_no_credentials_and_writes_results(runner, write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([campaign(), campaign(ref="c2", type="billboard")])
    out = tmp_path / "out.xlsx"
    result = runner.invoke(cli, ["push", str(path), "-p", "smartyads", "-o", str(out), "--base-url",
                                 "http://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert "Nothing was sent" in result.output
    sheet = openpyxl.load_workbook(out)["Campaigns"]
    headers = [c.value for c in sheet[1]]
    status = headers.index("Status") + 1
    assert [sheet.cell(2, status).value, sheet.cell(3, status).value] == ["not run", "invalid"]


def test_push_without_credentials_is_exit_3(runner, write_campaigns_xlsx):
    result = runner.invoke(cli, ["push", str(write_campaigns_xlsx([campaign()])), "-p", "smartyads",
                                 "--base-url", "http://127.0.0.1:9"])
    assert result.exit_code == 3
    assert "BULKOPS_SMARTYADS_EMAIL" in result.output


def test_credentials_are_never_options(runner):
    for command in cli.commands.values():
        names = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert not any("password" in n or "secret" in n or "token" in n for n in names), command.name


@pytest.mark.slow  # a real `bulkops sandbox` process, started and stopped
def test_sandbox_command_serves_with_its_options_and_stops_on_ctrl_c():
    import re
    import signal
    import subprocess
    import sys

    import httpx

    process = subprocess.Popen([sys.executable, "-m", "bulkops", "sandbox", "-p", "smartyads", "--port", "0",
                                "--rate-limit", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen = ""
        while "password" not in seen or not re.search(r"http://127\.0\.0\.1:\d+", seen):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            seen += line
        base_url = re.search(r"http://127\.0\.0\.1:\d+", seen).group(0)
        assert "demo@bulkops.test" in seen
        login = httpx.post(f"{base_url}/api/users/login", json={"email": "demo@bulkops.test", "password": "sandbox"})
        token = login.json()["access_token"]
        answer = httpx.get(f"{base_url}/api/campaigns", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and answer.headers["X-ratelimit-limit"] == "5"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) in (0, 130)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_iqm_templates_have_iqm_sheets_and_columns(runner, tmp_path):
    out = tmp_path / "iqm.xlsx"
    result = runner.invoke(cli, ["template", "all", "-p", "iqm", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert [t for t in book.sheetnames if t != "Instructions"] == [
        "Campaigns", "Creatives", "Geo ZIP", "Geo GPS", "Deals", "Filter Lists"]
    headers = [c.value for c in book["Campaigns"][1]]
    assert {"Time Zone Name", "Time Zone ID", "Insertion Order ID", "Schedule", "Allowed States"} <= set(headers)


def test_plan_counts_rows_and_requests_without_the_network(runner, write_campaigns_xlsx):
    path = write_campaigns_xlsx([campaign(), campaign(ref="c2", name="Two"), campaign(ref="c3", type="billboard")])
    result = runner.invoke(cli, ["plan", str(path), "-p", "smartyads", "--json"])
    assert result.exit_code == 2  # one row is invalid: a push would send nothing
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["sheets"] == {"Campaigns": {"create": 2, "fix (invalid)": 1}} and summary["invalid"] == 1
    skipping = runner.invoke(cli, ["plan", str(path), "-p", "smartyads", "--skip-invalid"])
    assert skipping.exit_code == 0
    assert "about 3 requests; at 500 a minute that takes under a minute" in skipping.output  # login + 2


@pytest.mark.slow  # an HTTP sandbox
def test_push_says_up_front_what_the_job_needs(runner, write_campaigns_xlsx, monkeypatch, tmp_path):
    from bulkops.sandbox import SandboxConfig, running

    monkeypatch.setenv("BULKOPS_SMARTYADS_EMAIL", "demo@bulkops.test")
    monkeypatch.setenv("BULKOPS_SMARTYADS_PASSWORD", "sandbox")
    with running(SandboxConfig()) as srv:
        result = runner.invoke(cli, ["push", str(write_campaigns_xlsx([campaign()])), "-p", "smartyads",
                                     "--base-url", srv.base_url, "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    assert "This job needs about 2 requests; at 500 a minute that takes under a minute." in result.stderr


def test_push_iqm_without_credentials_names_every_missing_variable(runner, write_workbook):
    from tests.test_e2e_iqm import campaign_row

    path = write_workbook({"campaigns": [campaign_row(creativeIds="5")]}, platform="iqm")
    result = runner.invoke(cli, ["push", str(path), "-p", "iqm", "--base-url", "http://127.0.0.1:9"])
    assert result.exit_code == 3
    for name in ("BULKOPS_IQM_CLIENT_ID", "BULKOPS_IQM_CLIENT_SECRET", "BULKOPS_IQM_EMAIL", "BULKOPS_IQM_PASSWORD",
                 "BULKOPS_IQM_HOST"):
        assert name in result.output


def test_options_read_from_the_declarations_show_and_check_their_values(runner, write_campaigns_xlsx):
    shown = runner.invoke(cli, ["push", "--help"])
    assert shown.exit_code == 0
    assert "--platform [smartyads|iqm]" in shown.output and "[default:" in shown.output.split("--item-cap")[1]
    assert "--append [geo-zip|geo-gps|deals|audiences|contextual|filter-list-items|creatives|filter-lists]" in \
        " ".join(shown.output.split())
    path = write_campaigns_xlsx([campaign()])
    wrong = runner.invoke(cli, ["validate", str(path), "-p", "dv360"])
    assert wrong.exit_code == 3 and "'dv360' is not one of 'smartyads', 'iqm'" in wrong.output
    appended = runner.invoke(cli, ["plan", str(path), "-p", "smartyads", "--offline", "--append", "campaigns"])
    assert appended.exit_code == 3 and "'campaigns' is not one of" in appended.output


def test_the_item_cap_default_reaches_the_plan(runner, write_workbook):
    zips = [{"campaign": "c1", "zip": f"{10001 + i:05d}", "iso2": "US", "lat": 40.0, "lng": -70.0}
            for i in range(1001)]
    path = write_workbook({"campaigns": [campaign()], "geo-zip": zips})

    def requests(*cap: str) -> int:
        result = runner.invoke(cli, ["plan", str(path), "-p", "smartyads", "--offline", "--json", *cap])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout.strip().splitlines()[-1])["requests"]

    # 1,001 ZIPs go in two requests by default (at most 1,000 each), in one with a cap of 2,000
    assert requests() == requests("--item-cap", "1000") == requests("--item-cap", "2000") + 1
