"""Every route of `bulkops ui` and its refusals, through starlette's test client: the token, the
session's CSRF token and the same-origin check, uploads bounded and read through bulkops's guards,
problems on the sheet, the plan, a push followed by server-sent events, Cancel, the downloads, the
demo, and credentials in no answer."""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import tomllib

import openpyxl
import pytest

import bulkops
from bulkops.sandbox import SandboxConfig, running
from tests._stats import stock_smartyads
from tests.conftest import campaign
from tests.ui._client import HOST, ORIGIN, browsing

SECRET_EMAIL = "buyer-7731@example.com"
SECRET_PASSWORD = "pw-Zq81-not-for-eyes"


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    for name in ("BULKOPS_SMARTYADS_EMAIL", "BULKOPS_SMARTYADS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "profile" / "profile.toml"))
    return tmp_path / "profile" / "profile.toml"


@pytest.fixture
def bad_and_good(write_campaigns_xlsx):
    bad = write_campaigns_xlsx([campaign(), campaign(ref="c2", name="Two", type="billboard")], name="bad.xlsx")
    good = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(3)], name="good.xlsx")
    return bad, good


# --- who may come in ---------------------------------------------------------------------------------

def test_without_the_token_every_route_is_refused():
    with browsing(platform="smartyads") as browser:
        for path in ("/", "/static/htmx.min.js", "/push/events", "/download/results"):
            answer = browser.client.get(path)
            assert answer.status_code == 403 and "address it printed" in answer.text
        assert browser.client.post("/files", headers={"origin": ORIGIN}).status_code == 403


def test_a_wrong_token_is_refused_and_the_right_one_becomes_a_strict_cookie():
    with browsing(platform="smartyads") as browser:
        wrong = browser.client.get("/?token=guess", follow_redirects=False)
        assert wrong.status_code == 403 and "bulkops_ui" not in wrong.headers.get("set-cookie", "")
        right = browser.client.get(f"/?token={browser.config.token}", follow_redirects=False)
        assert right.status_code == 303 and right.headers["location"] == "/"
        cookies = right.headers.get_list("set-cookie")
        assert len(cookies) == 2 and all("HttpOnly" in c and "SameSite=Strict" in c for c in cookies)
        page = browser.client.get("/")
        assert page.status_code == 200 and browser.config.token not in page.text


def test_every_answer_carries_a_strict_policy_and_no_framing():
    with browsing(platform="smartyads") as browser:
        refused = browser.client.get("/")
        browser.open()
        for answer in (refused, browser.get("/"), browser.get("/static/ui.css")):
            policy = answer.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy
            assert "frame-ancestors 'none'" in policy
            assert answer.headers["x-frame-options"] == "DENY" and answer.headers["cache-control"] == "no-store"
        assert "<script>" not in browser.get("/").text  # no inline script: the policy would block it


def test_another_host_name_is_refused_even_with_the_token():
    with browsing(platform="smartyads") as browser:
        answer = browser.client.get(f"/?token={browser.config.token}", headers={"host": "evil.example:8765"})
        assert answer.status_code == 403 and "unknown Host" in answer.text


@pytest.mark.parametrize("headers, why", [
    ({"x-csrf-token": ""}, "form token"),
    ({"x-csrf-token": "not-the-token"}, "form token"),
    ({"origin": "http://evil.example"}, "another site"),
    ({"origin": ""}, "another site"),
])
def test_a_post_without_the_csrf_token_or_from_another_origin_is_refused(headers, why, bad_and_good):
    with browsing(platform="smartyads") as browser:
        browser.open()
        answer = browser.post("/files", files=[("files", ("bad.xlsx", bad_and_good[0].read_bytes()))],
                              headers=headers)
        assert answer.status_code == 403 and why in answer.text
        assert browser.get("/").text.count("Campaigns") == 0  # nothing was read


# --- the job's files ---------------------------------------------------------------------------------

def test_an_upload_past_the_bound_is_refused_with_a_clear_message_and_nothing_kept(bad_and_good):
    bad, _ = bad_and_good
    with browsing(platform="smartyads", max_upload_bytes=bad.stat().st_size - 1) as browser:
        browser.open()
        answer = browser.upload(bad)
        assert answer.status_code == 413 and "larger than" in answer.text and "nothing was kept" in answer.text
        assert not list(browser.client.app.state.folder.rglob("*.xlsx"))


def test_an_upload_without_a_length_is_cut_off_at_the_bound(bad_and_good):
    bad, _ = bad_and_good
    with browsing(platform="smartyads", max_upload_bytes=1000) as browser:
        browser.open()
        body = b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.xlsx\"\r\n\r\n"
        body += b"x" * 5000 + b"\r\n--b--\r\n"

        def chunks():
            for start in range(0, len(body), 512):
                yield body[start:start + 512]

        answer = browser.client.post("/files", content=chunks(), headers={
            "content-type": "multipart/form-data; boundary=b", "x-csrf-token": browser.csrf, "origin": ORIGIN})
        assert answer.status_code == 413 and "nothing was kept" in answer.text


def test_a_file_that_is_not_a_workbook_is_named_not_a_traceback(tmp_path):
    fake = tmp_path / "launch.xlsx"
    fake.write_bytes(b"this is a text file saved as .xlsx")
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with browsing(platform="smartyads") as browser:
        browser.open()
        answer = browser.upload(fake)
        assert answer.status_code == 200 and "launch.xlsx" in answer.text and "not readable" in answer.text
        assert "Traceback" not in answer.text and str(browser.client.app.state.folder) not in answer.text
        refused = browser.upload(other)
        assert refused.status_code == 422 and ".xlsx workbooks and .csv files only" in refused.text


def test_hostile_workbooks_go_through_the_same_guards_as_files_on_disk(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    import zipfile
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 30_000_000)
    with browsing(platform="smartyads") as browser:
        browser.open()
        answer = browser.upload(bomb)
        expected = str(pytest.raises(bulkops.InputError, bulkops.validate, bomb, platform="smartyads").value)
        assert "compress" in expected and "not readable" in answer.text
        assert "compress" in answer.text


def test_an_uploaded_workbook_names_no_media_outside_its_folder_whatever_the_environment_says(
        tmp_path, monkeypatch, no_credentials):
    from bulkops.io import write_filled
    from tests._media import png
    from tests.platforms.smartyads.kinds.test_creatives import creative

    private = tmp_path / "private.png"
    private.write_bytes(png(300, 250))
    path = write_filled(tmp_path / "creatives.xlsx", "smartyads", {"creatives": [creative(mediaFile=str(private))]})
    monkeypatch.setenv("BULKOPS_MEDIA_ANYWHERE", "1")
    assert bulkops.validate(path, platform="smartyads").ok  # the command line's own files may
    with browsing(platform="smartyads") as browser:
        browser.open()
        answer = browser.upload(path)
        assert "outside the workbook&#39;s folder; push creatives with media files with the CLI" in answer.text
        planned = browser.post("/plan")
        assert "1 fix (invalid)" in planned.text and "would send nothing" in planned.text
        finished = dict(_push(browser, skip_invalid=True))["finished"]
        assert "<td>1 invalid</td>" in finished  # the push validates with the same rule


def test_every_problem_is_shown_by_sheet_row_and_column_and_on_the_sheet(bad_and_good):
    with browsing(platform="smartyads") as browser:
        browser.open()
        answer = browser.upload(bad_and_good[0])
        text = answer.text
        row = re.search(r"<tr class=\"error\"><td>bad.xlsx</td><td>Campaigns</td><td>3</td><td>Type</td>"
                        r"<td>error</td><td>([^<]*billboard[^<]*)</td></tr>", text)
        assert row, text
        # On the rendering of the sheet: row 3's Type cell is the one marked, and it says why.
        sheet_row = re.search(r"<tr><th scope=\"row\">3</th>(.*?)</tr>", text, re.S).group(1)
        marked = re.findall(r"<td class=\"error\" title=\"([^\"]*)\">billboard", sheet_row)
        assert marked and "billboard" in marked[0]
        assert "<td class=\"error\"" not in re.search(r"<tr><th scope=\"row\">2</th>(.*?)</tr>", text, re.S).group(1)


def test_a_european_csv_is_read_as_the_cli_reads_it(tmp_path):
    csv = tmp_path / "campaigns.csv"
    csv.write_bytes("Ref;Name;Type;Advertiser Domain;Start Date;End Date;Daily Spend Limit\r\n"
                    "c1;Café;banner;example.com;2026-03-01;2027-03-31;1.234\r\n".encode("cp1252"))
    with browsing(platform="smartyads") as browser:
        browser.open()
        text = browser.upload(csv).text
        assert "campaigns.csv: 1 rows;" in text and "no error" in text and "Café" in text and "1.234" in text


# --- plan, push, cancel, downloads ---------------------------------------------------------------------

def test_the_plan_offline_without_credentials_counts_rows_requests_and_time(bad_and_good, no_credentials):
    with browsing(platform="smartyads") as browser:
        page = browser.open()
        assert "Credentials for smartyads" in page and "None found" in page
        browser.upload(bad_and_good[1])
        text = browser.post("/plan").text
        assert "3 create" in text and "4 requests" in text and "Not compared with the live state" in text


@pytest.mark.slow
def test_the_plan_against_the_live_account_shows_old_and_new_values(write_campaigns_xlsx, env, tmp_path):
    with running(SandboxConfig()) as server, browsing(platform="smartyads", base_url=server.base_url) as browser:
        path = write_campaigns_xlsx([campaign(ref="c1", name="Launch")], name="first.xlsx")
        pushed = bulkops.push(path, platform="smartyads", base_url=server.base_url, output=tmp_path / "r.xlsx")
        [made] = pushed.rows
        changed = write_campaigns_xlsx([campaign(ref="c1", id=made.id, name="Launch, renamed")], name="again.xlsx")
        browser.open()
        browser.upload(changed)
        text = browser.post("/plan").text
        assert "1 update" in text and "Launch → Launch, renamed" in text.replace("&#39;", "'").replace("'", "")


@pytest.mark.slow
def test_names_are_checked_with_the_cached_copy_of_the_account_the_page_works_on(write_campaigns_xlsx, env):
    """The page's server is the account's: names are checked with its cached dictionaries, as
    `validate --base-url` checks them, not with those of the platform's default server."""
    with running(SandboxConfig()) as server, browsing(platform="smartyads", base_url=server.base_url) as browser:
        browser.open()
        browser.upload(write_campaigns_xlsx([campaign(geoCountries="United States")], name="first.xlsx"))
        assert "1 create" in browser.post("/plan").text  # the plan reads the countries into the account's cache
        text = browser.upload(write_campaigns_xlsx([campaign(geoCountries="Untied States")], name="typo.xlsx")).text
        assert "is not a known country" in text and "could not be checked" not in text


def _push(browser, *, skip_invalid: bool = False) -> list[tuple[str, str]]:
    started = browser.post("/push", data={"skip_invalid": "1"} if skip_invalid else None)
    assert started.status_code == 200 and 'sse-connect="/push/events"' in started.text
    return browser.events()


@pytest.mark.slow
def test_a_push_sends_progress_and_each_row_as_events_then_the_results_workbook(bad_and_good, env):
    with running(SandboxConfig()) as server, browsing(platform="smartyads", base_url=server.base_url) as browser:
        browser.open()
        browser.upload(bad_and_good[1])
        events = _push(browser)
        names = [name for name, _ in events]
        assert names[-2:] == ["finished", "close"] and "progress" in names
        rows = "".join(html for name, html in events if name == "rows")
        made = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
        for number in (2, 3, 4):
            made_id = made[f"Campaign {number - 2}"]
            assert re.search(rf"<td>Campaigns</td><td>{number}</td><td>created</td><td>{made_id}</td>", rows), rows
        progress = [html for name, html in events if name == "progress"]
        assert any("3 of 3" in html for html in progress)  # three creates
        assert "0 of 3" in progress[1] or "0 of 3" in progress[0]
        finished = dict(events)["finished"]
        assert "Every row was done" in finished and "3 created" in finished and "/download/results" in finished
        again = browser.events(last_id=str(len(events) - 3))  # a page that reconnects: only what it missed
        assert again == events[-2:]
        download = browser.get("/download/results")
        assert download.status_code == 200 and "good-results.xlsx" in download.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(download.content))
        sheet = book["Campaigns"]
        header = [c.value for c in sheet[1]]
        statuses = [sheet.cell(row, header.index("Status") + 1).value for row in (2, 3, 4)]
        assert statuses == ["created"] * 3


@pytest.mark.slow
def test_invalid_rows_hold_the_push_unless_skipped(bad_and_good, env):
    with running(SandboxConfig()) as server, browsing(platform="smartyads", base_url=server.base_url) as browser:
        browser.open()
        browser.upload(bad_and_good[0])
        held = dict(_push(browser))["finished"]
        assert "Nothing was sent" in held and server.sandbox.campaigns() == []
        skipped = dict(_push(browser, skip_invalid=True))["finished"]
        assert "1 created" in skipped and "1 invalid" in skipped and len(server.sandbox.campaigns()) == 1


@pytest.mark.slow
def test_cancel_stops_the_push_as_ctrl_c_does(write_campaigns_xlsx, env):
    path = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(12)], name="many.xlsx")
    with running(SandboxConfig(latency_ms=300)) as server, \
            browsing(platform="smartyads", base_url=server.base_url) as browser:
        browser.open()
        browser.upload(path)
        browser.post("/push", data={"skip_invalid": "1"})
        stopping = browser.post("/push/cancel")
        assert "Stopping" in stopping.text
        events = browser.events()
        finished = dict(events)["finished"]
        assert "Stopped: every row has its status" in finished and "/download/results" in finished
        assert len(server.sandbox.campaigns()) < 12
        book = openpyxl.load_workbook(io.BytesIO(browser.get("/download/results").content))
        header = [c.value for c in book["Campaigns"][1]]
        statuses = {book["Campaigns"].cell(r, header.index("Status") + 1).value for r in range(2, 14)}
        assert "not run" in statuses
        assert "No push is running" in browser.post("/push/cancel").text


@pytest.mark.slow
def test_the_same_files_dropped_again_after_cancel_finish_the_job_and_send_nothing_twice(write_campaigns_xlsx, env):
    import threading
    import time

    path = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(64)], name="many.xlsx")
    with running(SandboxConfig(latency_ms=300)) as server, \
            browsing(platform="smartyads", base_url=server.base_url) as browser:
        browser.open()
        browser.upload(path)

        def cancel_once_something_is_made() -> None:
            deadline = time.monotonic() + 30
            while not server.sandbox.campaigns() and time.monotonic() < deadline:
                time.sleep(0.01)
            browser.post("/push/cancel")

        canceller = threading.Thread(target=cancel_once_something_is_made)
        browser.post("/push")
        canceller.start()
        first = dict(browser.events())["finished"]
        canceller.join()
        made_first = len(server.sandbox.campaigns())
        assert "Stopped" in first and 0 < made_first < 64
        browser.upload(path)  # the same file, dropped again: stored anew, the account's journal the same
        second = dict(_push(browser))["finished"]
        names = [c["name"] for c in server.sandbox.campaigns()]
        assert sorted(names) == sorted(f"Campaign {i}" for i in range(64))  # each once
        assert "Every row was done" in second, second


@pytest.mark.slow
def test_export_has_its_own_button_and_download(bad_and_good, env, tmp_path):
    with running(SandboxConfig()) as server, browsing(platform="smartyads", base_url=server.base_url) as browser:
        bulkops.push(bad_and_good[1], platform="smartyads", base_url=server.base_url, output=tmp_path / "r.xlsx")
        browser.open()
        assert browser.get("/download/export").status_code == 404
        text = browser.post("/export").text
        assert "Exported: 3 Campaigns" in text and "/download/export" in text
        download = browser.get("/download/export")
        assert download.status_code == 200 and "smartyads-state.xlsx" in download.headers["content-disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(download.content))["Campaigns"]
        column = [c.value for c in sheet[1]].index("Name")
        names = {row[column].value for row in sheet.iter_rows(min_row=2)}
        assert {"Campaign 0", "Campaign 1", "Campaign 2"} <= names


@pytest.mark.slow
def test_the_demo_stages_the_samples_on_the_embedded_sandbox(no_credentials):
    with browsing(platform="smartyads") as browser:
        browser.open()
        text = browser.post("/demo").text
        assert "Demo: the embedded smartyads sandbox" in text
        assert "smartyads-campaigns.xlsx" in text and "<td>Budget Distribution</td>" in text
        events = _push(browser, skip_invalid=True)
        finished = dict(events)["finished"]
        assert "created" in finished and "invalid" in finished and "/download/results" in finished
        assert all("demo@bulkops.test" not in seen for seen in browser.seen)


@pytest.mark.slow
def test_the_demo_on_the_other_platform_pushes_its_sample_and_waits_for_review(monkeypatch, tmp_path):
    for name in ("CLIENT_ID", "CLIENT_SECRET", "EMAIL", "PASSWORD", "HOST"):
        monkeypatch.delenv(f"BULKOPS_IQM_{name}", raising=False)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "none.toml"))
    with browsing(platform="iqm") as browser:
        browser.open()
        text = browser.post("/demo").text
        assert "Demo: the embedded iqm sandbox" in text and "iqm-launch.xlsx" in text
        assert "4 create" in browser.post("/plan", data={"skip_invalid": "1"}).text
        finished = dict(_push(browser, skip_invalid=True))["finished"]
        assert "Creatives" in finished and "created" in finished and "/download/results" in finished


@pytest.mark.slow
def test_ui_demo_starts_on_the_sandbox(no_credentials):
    with browsing(platform="smartyads", demo=True) as browser:
        assert "Demo: the embedded smartyads sandbox" in browser.open()
        browser.post("/account", data={"platform": "smartyads"})
        again = browser.get("/").text
        assert "Demo: the embedded smartyads sandbox" not in again and "smartyads-campaigns.xlsx" not in again


# --- credentials ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_credentials_entered_once_go_to_a_0600_profile_and_never_come_back(no_credentials, bad_and_good, caplog):
    caplog.set_level(logging.DEBUG)
    with running(SandboxConfig()) as server, browsing(platform="smartyads", base_url=server.base_url) as browser:
        browser.open()
        saved = browser.post("/account", data={"platform": "smartyads", "base_url": server.base_url,
                                               "cred_email": SECRET_EMAIL, "cred_password": SECRET_PASSWORD})
        assert "Saved to" in saved.text and "from the profile" in saved.text
        assert stat.S_IMODE(os.stat(no_credentials).st_mode) == 0o600
        assert tomllib.loads(no_credentials.read_text())["smartyads"] == {"email": SECRET_EMAIL,
                                                                         "password": SECRET_PASSWORD}
        # The platform refuses them: every error page, event and download still keeps them out.
        browser.upload(bad_and_good[1])
        browser.post("/plan")
        finished = dict(_push(browser))["finished"]
        assert "refused" in finished and "/download/results" in finished
        browser.post("/export")
        browser.get("/download/results")
    for seen in browser.seen:
        assert SECRET_PASSWORD not in seen and SECRET_EMAIL not in seen
    assert SECRET_PASSWORD not in caplog.text


def test_credentials_from_the_environment_are_named_by_source_only(no_credentials, monkeypatch):
    monkeypatch.setenv("BULKOPS_SMARTYADS_EMAIL", SECRET_EMAIL)
    monkeypatch.setenv("BULKOPS_SMARTYADS_PASSWORD", SECRET_PASSWORD)
    with browsing(platform="smartyads") as browser:
        page = browser.open()
        assert "Credentials for smartyads: from the environment" in page
        assert SECRET_PASSWORD not in page and SECRET_EMAIL not in page


def test_a_profile_others_can_read_is_refused_as_the_cli_refuses_it(no_credentials):
    no_credentials.parent.mkdir(parents=True)
    no_credentials.write_text("[iqm]\nhost = \"x\"\n")
    no_credentials.chmod(0o644)
    with browsing(platform="smartyads") as browser:
        browser.open()
        answer = browser.post("/account", data={"platform": "smartyads", "cred_email": SECRET_EMAIL,
                                                "cred_password": SECRET_PASSWORD})
        assert "chmod 600" in answer.text and SECRET_PASSWORD not in answer.text
        assert SECRET_PASSWORD not in no_credentials.read_text()


def test_choosing_another_platform_forgets_the_files(bad_and_good, no_credentials):
    with browsing(platform="smartyads") as browser:
        browser.open()
        browser.upload(bad_and_good[0])
        text = browser.post("/account", data={"platform": "iqm"}).text
        assert 'value="iqm" selected' in text and "bad.xlsx" not in text
        assert "unknown platform" in browser.post("/account", data={"platform": "nope"}).text


def test_the_server_given_for_one_platform_is_never_used_for_another(no_credentials):
    """`--base-url` (or a server typed for one platform) names that platform's server: choosing the
    other platform with the field left as it was must not send the other platform's credentials there."""
    staging = "https://staging.example.com/api"
    with browsing(platform="smartyads", base_url=staging) as browser:
        assert f'value="{staging}"' in browser.open()
        text = browser.post("/account", data={"platform": "iqm", "base_url": staging}).text
        assert 'value="iqm" selected' in text and staging not in text
        text = browser.post("/account", data={"platform": "smartyads", "base_url": ""}).text
        assert f'value="{staging}"' in text  # the platform the app started on keeps its server
        iqm_staging = "https://iqm-staging.example.com"
        text = browser.post("/account", data={"platform": "iqm", "base_url": iqm_staging}).text
        assert f'value="{iqm_staging}"' in text  # a server typed for the platform chosen is used


def test_hosts_are_the_app_s_own():
    assert HOST.startswith("127.0.0.1:")


@pytest.mark.slow
def test_report_has_its_own_button_with_the_platform_s_totals_and_a_download(bad_and_good, env, tmp_path):
    with running(SandboxConfig()) as server, browsing(platform="smartyads", base_url=server.base_url) as browser:
        stock_smartyads(server, campaigns=2, creatives_each=2)
        page = browser.open()
        assert 'name="start" type="date"' in page and 'value="day" checked' in page
        assert browser.get("/download/report").status_code == 404
        text = browser.post("/report", data={"start": "2026-03-01", "end": "2026-03-06",
                                             "by": ["day", "campaign"]}).text
        expected = bulkops.report("smartyads", start="2026-03-01", end="2026-03-06", by="day,campaign",
                                  base_url=server.base_url, write=False)
        assert expected.rows and expected.totals["impressions"] > 0
        assert f"{len(expected.rows)} rows from 2026-03-01 to 2026-03-06, by day, campaign" in text
        assert f"<td>{expected.totals['impressions']:,}</td>" in text and "/download/report" in text
        assert f"<td>{expected.totals['spend']:,.2f}</td>" in text
        download = browser.get("/download/report")
        assert download.status_code == 200 and "smartyads-report-2026-03-01-2026-03-06.xlsx" in \
            download.headers["content-disposition"]
        assert "Report" in openpyxl.load_workbook(io.BytesIO(download.content)).sheetnames
        refused = browser.post("/report", data={"start": "2026-03-06", "end": "2026-03-01", "by": "day"}).text
        assert "after its end" in refused and 'role="alert"' in refused


def test_the_vendored_scripts_are_the_ones_listed_with_their_licences():
    import hashlib
    from pathlib import Path

    static = Path(bulkops.__file__).parent / "ui" / "static"
    listed = (static / "VENDORED.md").read_text(encoding="utf-8")
    for script, licence in (("htmx.min.js", "htmx.LICENSE"), ("htmx-ext-sse.min.js", "htmx-ext-sse.LICENSE")):
        assert hashlib.sha256((static / script).read_bytes()).hexdigest() in listed
        assert "Zero Clause" in (static / licence).read_text(encoding="utf-8").replace("-", " ")
    assert 'version:"2.0.11"' in (static / "htmx.min.js").read_text(encoding="utf-8")


def test_text_from_a_workbook_is_shown_as_text_and_formulas_are_refused(write_campaigns_xlsx):
    hostile = write_campaigns_xlsx([campaign(name="<script>alert(1)</script>"),
                                    campaign(ref="c2", name="=HYPERLINK(\"http://evil.example\")")],
                                   name="hostile.xlsx")
    with browsing(platform="smartyads") as browser:
        browser.open()
        text = browser.upload(hostile).text
        assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        expected = [p for p in bulkops.validate(hostile, platform="smartyads").errors if p.row == 3]
        assert expected and "formula" in expected[0].message.lower()
        assert "<td>3</td><td>Name</td><td>error</td>" in text and "formula" in text.lower()


def test_the_small_routes_and_their_errors(no_credentials):
    with browsing(platform="smartyads") as browser:
        browser.open()
        icon = browser.get("/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
        assert browser.get("/push/events").status_code == 204  # no push: an EventSource stops asking
        assert "Drop the job&#39;s files first" in browser.post("/plan").text
        assert "Drop the job&#39;s files first" in browser.post("/push").text
        assert "No push is running" in browser.post("/push/cancel").text
        assert browser.get("/download/anything").status_code == 404
        assert "missing smartyads credentials" in browser.post("/export").text
        put = browser.client.put("/files", headers={"x-csrf-token": browser.csrf, "origin": ORIGIN})
        assert put.status_code == 403 and "Only GET and POST" in put.text
        empty = browser.post("/files", files=[("other", ("x.txt", b"x"))])
        assert empty.status_code == 422 and "No file came" in empty.text
        bad_url = browser.post("/account", data={"platform": "smartyads", "base_url": "javascript:alert(1)"})
        assert "starts with http:// or https://" in bad_url.text


def test_every_field_of_the_page_has_a_label_a_screen_reader_reads(bad_and_good):
    """Each input, select and textarea a buyer fills is named: a <label for=...>, a wrapping <label>,
    or aria-label/aria-labelledby (hidden fields, such as the CSRF token, are not the buyer's)."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.fields: list[dict[str, str | None]] = []
            self.labelled: set[str] = set()
            self.in_label = 0

        def handle_starttag(self, tag, attrs):
            found = dict(attrs)
            if tag == "label":
                self.in_label += 1
                if found.get("for"):
                    self.labelled.add(str(found["for"]))
            elif tag in ("input", "select", "textarea") and found.get("type") != "hidden":
                self.fields.append({**found, "wrapped": "yes" if self.in_label else None})

        def handle_endtag(self, tag):
            if tag == "label":
                self.in_label -= 1

    with browsing(platform="smartyads") as browser:
        pages = [browser.open(), browser.upload(bad_and_good[0]).text]
    for html in pages:
        parser = Fields()
        parser.feed(html)
        assert parser.fields
        unnamed = [f for f in parser.fields if not (f["wrapped"] or f.get("aria-label") or f.get("aria-labelledby")
                                                     or (f.get("id") and f["id"] in parser.labelled))]
        assert unnamed == [], unnamed
