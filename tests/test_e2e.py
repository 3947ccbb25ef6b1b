"""End to end: the real CLI pushing real workbooks to the real sandbox over HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.sandbox import SandboxConfig, running
from tests.conftest import ACCOUNT, campaign

pytestmark = pytest.mark.slow


def push(path: Path, base_url: str, *extra: str):
    result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", base_url, "--quiet",
                                      "--json", *extra])
    summary = json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else None
    return result, summary


def results_rows(path: Path) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path)["Campaigns"]
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, (c.value for c in row), strict=False)) for row in sheet.iter_rows(min_row=2)
            if any(c.value is not None for c in row)]


def writes(server) -> list[str]:
    return [f"{r.method} {r.path}" for r in server.sandbox.request_log if r.method in ("POST", "PATCH", "DELETE")
            and not r.path.endswith("/login")]


ROWS = [
    campaign(ref="spring", name="Spring Sale", type="Banner", aDomain="shop.example.com",
             dateStart=dt.datetime(2027, 3, 1), dateEnd="2027-03-31", isTablet="no", isSmartphone="yes",
             contentCategories="IAB1, iab3", contentCategoriesIsInclude="exclude", connectionTypes="wifi\ncellular_4g",
             OS="android 13.0, iOS", OSIsInclude="include", browser="Chrome", deviceLanguage="en, es",
             geoCountries="USA, CAN", userAgeMin=18, userAgeMax="50", spentDailyLimit="1 000",
             spentTotalLimit=50000, budgetUse="Pacer", frequency="TRUE", frequencyType="user", frequencyCap=3,
             frequencyPeriod=1),
    campaign(ref="summer", name="Summer Video", type="video", aDomain="video.example.org",
             dateStart="2027-06-01", dateEnd="2027-08-31"),
    campaign(ref="audio", name="Drive-time Audio", type="audio", aDomain="radio.example.net"),
]


def test_push_creates_every_campaign_field_by_field(env, server, write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx(ROWS)
    result, summary = push(path, server.base_url, "-o", str(tmp_path / "results.xlsx"))
    assert result.exit_code == 0, result.output
    assert summary["counts"] == {"Campaigns": {"created": 3}}
    stored = {c["name"]: c for c in server.sandbox.campaigns()}
    assert set(stored) == {"Spring Sale", "Summer Video", "Drive-time Audio"}
    spring = stored["Spring Sale"]
    expected = {
        "type": "banner", "aDomain": "shop.example.com", "dateStart": "2027-03-01", "dateEnd": "2027-03-31",
        "isTablet": False, "isSmartphone": True, "contentCategories": ["IAB1", "IAB3"],
        "contentCategoriesIsInclude": False, "connectionTypes": ["wifi", "cellular_4g"],
        "OS": ["Android 13.0", "iOS"], "OSIsInclude": True, "browser": ["Chrome"], "deviceLanguage": ["en", "es"],
        "geoCountries": ["USA", "CAN"], "userAgeMin": 18, "userAgeMax": 50, "spentDailyLimit": 1000,
        "spentTotalLimit": 50000, "budgetUse": "pacer", "frequency": True, "frequencyType": "user",
        "frequencyCap": 3, "frequencyPeriod": 1,
    }
    assert {k: spring[k] for k in expected} == expected
    assert stored["Summer Video"]["type"] == "video" and stored["Summer Video"]["dateEnd"] == "2027-08-31"

    rows = results_rows(tmp_path / "results.xlsx")
    assert [(r["Ref"], r["Status"], r["Message"]) for r in rows] == [
        ("spring", "created", None), ("summer", "created", None), ("audio", "created", None)]
    assert {r["Ref"]: r["ID"] for r in rows} == {
        "spring": stored["Spring Sale"]["id"], "summer": stored["Summer Video"]["id"],
        "audio": stored["Drive-time Audio"]["id"]}


def test_second_push_and_results_push_create_nothing(env, server, write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx(ROWS)
    out = tmp_path / "results.xlsx"
    assert push(path, server.base_url, "-o", str(out))[0].exit_code == 0
    first_ids = sorted(c["id"] for c in server.sandbox.campaigns())
    server.sandbox.reset_request_log()

    result, summary = push(path, server.base_url, "-o", str(out))
    assert result.exit_code == 0
    assert writes(server) == []
    assert sorted(c["id"] for c in server.sandbox.campaigns()) == first_ids

    result, summary = push(out, server.base_url)
    assert result.exit_code == 0, result.output
    assert writes(server) == []
    assert summary["counts"] == {"Campaigns": {"unchanged": 3}}
    assert sorted(c["id"] for c in server.sandbox.campaigns()) == first_ids


def test_updates_and_deletes_by_id(env, server, write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx(ROWS[1:])
    out = tmp_path / "r.xlsx"
    push(path, server.base_url, "-o", str(out))
    ids = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    edit = write_campaigns_xlsx([{"id": ids["Summer Video"], "name": "Summer Video v2", "geoCountries": "FRA"},
                                 {"id": ids["Drive-time Audio"], "action": "delete"}], name="edit.xlsx")
    result, summary = push(edit, server.base_url)
    assert result.exit_code == 0, result.output
    assert summary["counts"] == {"Campaigns": {"updated": 1, "deleted": 1}}
    [left] = server.sandbox.campaigns()
    assert (left["name"], left["geoCountries"], left["type"]) == ("Summer Video v2", ["FRA"], "video")


def test_platform_refusal_gets_its_own_message_and_others_go_on(env, server, write_campaigns_xlsx, tmp_path):
    # Valid to bulkops, refused by the platform: an update of a campaign that does not exist.
    path = write_campaigns_xlsx([campaign(ref="ok", name="Fine"), {"id": 999999, "name": "Ghost"}])
    result, summary = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 1
    rows = results_rows(tmp_path / "r.xlsx")
    assert rows[0]["Status"] == "created"
    assert rows[1]["Status"] == "failed" and "No query results" in rows[1]["Message"]


def test_invalid_rows_with_skip_invalid(env, server, write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([campaign(ref="ok", name="Fine"), campaign(ref="bad", name="Bad", type="billboard")])
    result, summary = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 2 and server.sandbox.campaigns() == []
    result, summary = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"), "--skip-invalid")
    assert result.exit_code == 0
    assert [c["name"] for c in server.sandbox.campaigns()] == ["Fine"]
    assert [r["Status"] for r in results_rows(tmp_path / "r.xlsx")] == ["created", "invalid"]


def test_low_rate_limit_is_never_exceeded_and_the_push_finishes(env, write_campaigns_xlsx, tmp_path):
    # The sandbox's window is scaled down to 1 s for speed; the client is told the window, not the
    # limit: it starts from the platform's documented 500 and must learn 8 from the headers.
    limit, window = 8, 1.0
    rows = [campaign(ref=f"r{i}", name=f"Campaign {i}") for i in range(30)]
    with running(SandboxConfig(rate_limit=limit, window_s=window)) as srv:
        result, summary = push(write_campaigns_xlsx(rows), srv.base_url, "-o", str(tmp_path / "r.xlsx"),
                               "--rate-window", str(window))
        assert result.exit_code == 0, result.output
        assert len(srv.sandbox.campaigns()) == 30
        arrivals = sorted(r.at for r in srv.sandbox.request_log if r.path != "/api/users/login")
    worst = max(sum(1 for t in arrivals if start <= t < start + window) for start in arrivals)
    assert worst <= limit  # every request that reached the sandbox counts, refused or not
    assert summary["responses_429"] == 0
    assert summary["counts"] == {"Campaigns": {"created": 30}}


def test_a_killed_push_resumes_without_duplicates(env, tmp_path, write_campaigns_xlsx):
    rows = [campaign(ref=f"r{i}", name=f"Campaign {i}") for i in range(40)]
    path = write_campaigns_xlsx(rows)
    out = tmp_path / "r.xlsx"
    command = [sys.executable, "-m", "bulkops", "push", str(path), "-p", "smartyads", "-o", str(out), "--quiet",
               "--concurrency", "4"]
    with running(SandboxConfig(latency_ms=60)) as srv:
        process = subprocess.Popen([*command, "--base-url", srv.base_url], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while len(srv.sandbox.campaigns()) < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        created_before = len(srv.sandbox.campaigns())
        assert 10 <= created_before < 40
        finished = subprocess.run([*command, "--base-url", srv.base_url], env=env, capture_output=True, text=True)
        assert finished.returncode == 0, finished.stderr
        names = sorted(c["name"] for c in srv.sandbox.campaigns())
    assert names == sorted(f"Campaign {i}" for i in range(40))
    assert {r["Status"] for r in results_rows(out)} == {"created"}


def test_demo_runs_end_to_end(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "-o", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    rows = results_rows(tmp_path / "smartyads-campaigns-results.xlsx")
    statuses = [r["Status"] for r in rows]
    assert statuses.count("created") == 8 and statuses.count("invalid") == 3
    launch = openpyxl.load_workbook(tmp_path / "smartyads-launch-results.xlsx")
    for title in ("Campaigns", "Creatives", "Geo ZIP", "Geo GPS", "Deals", "Filter Lists", "Filter List Items"):
        sheet = launch[title]
        status_col = [c.value for c in sheet[1]].index("Status")
        statuses = {row[status_col].value for row in sheet.iter_rows(min_row=2) if row[0].value is not None}
        assert statuses == {"created"}, (title, statuses)
    assert "results workbook" in result.output


def test_no_token_or_password_in_any_artefact(env, server, write_campaigns_xlsx, tmp_path, caplog, state_folder):
    import logging
    import zipfile

    path = write_campaigns_xlsx(ROWS)
    out = tmp_path / "r.xlsx"
    with caplog.at_level(logging.DEBUG):
        result, summary = push(path, server.base_url, "-o", str(out))
    assert result.exit_code == 0
    [journal] = state_folder.glob("journal-*.sqlite")  # the account's journal, in the state folder
    with zipfile.ZipFile(out) as book:
        workbook_text = b"".join(book.read(name) for name in book.namelist())
    artefacts = [workbook_text, journal.read_bytes(), result.output.encode(), caplog.text.encode()]
    for blob in artefacts:
        for secret in (b"eyJ", b"Bearer", ACCOUNT["BULKOPS_SMARTYADS_PASSWORD"].encode() + b"\""):
            assert secret not in blob
    assert ACCOUNT["BULKOPS_SMARTYADS_EMAIL"].encode() not in journal.read_bytes()  # the account by digest only
