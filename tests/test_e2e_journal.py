"""The journal knows a job by its account and its rows, not by where its results go: through the real
CLI against the sandboxes, the same input pushed with any `-o` creates nothing twice and says which
earlier run created what; an unanswered create is looked up before an edited row could make it
twice; two different jobs with the same file names and Refs do not mix."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.io import read_files
from bulkops.kinds import kind_named
from bulkops.planner import build_plan
from bulkops.sandbox import SandboxConfig, running
from bulkops.validation import validate_sheets
from tests._media import png
from tests.test_e2e_faults import Killer
from tests.test_e2e_iqm import IQM_ACCOUNT, campaign_row

pytestmark = pytest.mark.slow


def earlier(inputs: str, results: str) -> str:
    """The Message of a row an earlier run created: which run (when, from what, into what)."""
    return rf"created by an earlier run \(\d{{4}}-\d\d-\d\d \d\d:\d\d, {re.escape(inputs)} → {re.escape(results)}\)"


def push(platform: str, paths: Sequence[Path], base_url: str, *extra: str):
    result = CliRunner().invoke(cli, ["push", *map(str, paths), "-p", platform, "--base-url", base_url, "--quiet",
                                      "--json", *extra])
    lines = result.stdout.strip().splitlines()
    return result, (json.loads(lines[-1]) if lines else {})


def write_csv(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def rows_of(path: Path, title: str) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path)[title]
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, (c.value for c in row), strict=False)) for row in sheet.iter_rows(min_row=2)
            if any(c.value is not None for c in row)]


def writes(server) -> list[str]:
    # IQM's lists are POSTs that only read (`…/creatives/list`, `…/campaigns/list`)
    return [f"{r.method} {r.path}" for r in server.sandbox.request_log
            if r.method in ("POST", "PUT", "PATCH", "DELETE")
            and not r.path.endswith(("/login", "/oauth/token", "/list"))]


CAMPAIGNS = [["Name", "Type", "Advertiser Domain", "Start Date", "End Date"],
             ["Alpha", "banner", "alpha.example.com", "2027-03-01", "2027-03-31"],
             ["Beta", "video", "beta.example.com", "2027-04-01", "2027-04-30"],
             ["Alpha", "banner", "alpha.example.com", "2027-03-01", "2027-03-31"]]  # the same row twice: two objects


# -- SmartyAds ------------------------------------------------------------------------------------

def test_the_same_csv_pushed_with_another_output_creates_nothing_twice(env, server, tmp_path):
    path = write_csv(tmp_path / "campaigns.csv", CAMPAIGNS)  # no ID column, no Ref
    first, summary = push("smartyads", [path], server.base_url, "-o", str(tmp_path / "out-a.xlsx"))
    assert first.exit_code == 0, first.output
    assert summary["counts"] == {"Campaigns": {"created": 3}}
    made = {c["id"]: c["name"] for c in server.sandbox.campaigns()}
    assert sorted(made.values()) == ["Alpha", "Alpha", "Beta"]
    before = writes(server)

    second, summary = push("smartyads", [path], server.base_url, "-o", str(tmp_path / "out-b.xlsx"))
    assert second.exit_code == 0, second.output
    assert writes(server) == before and len(server.sandbox.campaigns()) == 3  # nothing sent, nothing made
    rows = rows_of(tmp_path / "out-b.xlsx", "Campaigns")
    assert [r["Status"] for r in rows] == ["created"] * 3
    assert {r["ID"]: r["Name"] for r in rows} == made  # every row its own object's ID, the two Alphas too
    pattern = earlier("campaigns.csv", "out-a.xlsx")
    assert all(re.fullmatch(pattern, r["Message"]) for r in rows), rows
    first_rows = rows_of(tmp_path / "out-a.xlsx", "Campaigns")
    assert [r["ID"] for r in first_rows] == [r["ID"] for r in rows]  # the first results had the IDs too


def test_a_job_with_lists_pushed_with_another_output_sends_nothing(env, server, tmp_path):
    campaigns = write_csv(tmp_path / "campaigns.csv", [["Ref", *CAMPAIGNS[0]], ["c1", *CAMPAIGNS[1][:]]])
    zips = write_csv(tmp_path / "geo-zip.csv", [["Campaign", "ZIP", "Country"], ["c1", "02134", "US"],
                                                ["c1", "02135", "US"]])
    result, _ = push("smartyads", [campaigns, zips], server.base_url, "-o", str(tmp_path / "a.xlsx"))
    assert result.exit_code == 0, result.output
    before = writes(server)
    result, _ = push("smartyads", [campaigns, zips], server.base_url, "-o", str(tmp_path / "b.xlsx"))
    assert result.exit_code == 0, result.output
    assert writes(server) == before
    [made] = server.sandbox.campaigns()
    assert sorted(z["zip"] for z in server.sandbox.campaign_zips(made["id"])) == ["02134", "02135"]
    assert all("sent by an earlier run (" in r["Message"] for r in rows_of(tmp_path / "b.xlsx", "Geo ZIP"))


def test_the_results_workbook_pushed_again_is_recognised_by_its_ids(env, server, tmp_path):
    path = write_csv(tmp_path / "campaigns.csv", CAMPAIGNS[:3])
    out = tmp_path / "out.xlsx"
    result, _ = push("smartyads", [path], server.base_url, "-o", str(out))
    assert result.exit_code == 0, result.output
    before = writes(server)
    result, summary = push("smartyads", [out], server.base_url)  # in place: IDs filled, so updates
    assert result.exit_code == 0, result.output
    assert writes(server) == before and summary["counts"] == {"Campaigns": {"unchanged": 2}}
    assert len(server.sandbox.campaigns()) == 2


def test_a_template_whose_id_column_was_deleted_gets_its_ids_and_is_pushed_again_by_them(env, server, tmp_path):
    from tests.conftest import campaign
    from tests.io.test_results_ids import filled, without_id

    rows = [campaign(ref=f"c{i}", name=f"Template {i}") for i in range(3)]
    path = filled(tmp_path / "campaigns.xlsx", without_id(kind_named("smartyads", "campaigns")), rows)
    result, _ = push("smartyads", [path], server.base_url)
    assert result.exit_code == 0, result.output
    results = tmp_path / "campaigns-results.xlsx"
    made = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    assert [(r["Ref"], r["ID"]) for r in rows_of(results, "Campaigns")] == [
        (f"c{i}", made[f"Template {i}"]) for i in range(3)]
    before = writes(server)
    result, summary = push("smartyads", [results], server.base_url)
    assert result.exit_code == 0 and summary["counts"] == {"Campaigns": {"unchanged": 3}}
    assert writes(server) == before and len(server.sandbox.campaigns()) == 3


def test_two_jobs_with_the_same_file_names_and_refs_do_not_mix(env, server, tmp_path):
    def job(folder: str, name: str, domain: str, ref: str = "c1") -> list[Path]:
        return [write_csv(tmp_path / folder / "campaigns.csv", [["Ref", *CAMPAIGNS[0]],
                                                                [ref, name, "banner", domain, "2027-03-01",
                                                                 "2027-03-31"]]),
                write_csv(tmp_path / folder / "geo-zip.csv", [["Campaign", "ZIP", "Country"], [ref, "02134", "US"],
                                                              [ref, "10001", "US"]])]

    first = job("a", "Alpha", "alpha.example.com")
    result, summary = push("smartyads", first, server.base_url)
    assert result.exit_code == 0, result.output
    assert summary["counts"] == {"Campaigns": {"created": 1}, "Geo ZIP": {"created": 2}}
    [alpha] = server.sandbox.campaigns()
    before = writes(server)

    # Another job, in another folder, with the same file names and Ref but another campaign: a Ref
    # names one object of the account, so its row is refused, and its ZIPs go nowhere, Alpha's least.
    second = job("b", "Beta", "beta.example.com")
    result, summary = push("smartyads", second, server.base_url)
    assert result.exit_code == 1, result.output
    assert summary["counts"] == {"Campaigns": {"failed": 1}, "Geo ZIP": {"skipped": 2}}
    assert writes(server) == before and server.sandbox.campaigns() == [alpha]
    [row] = rows_of(tmp_path / "b" / "campaigns-results.xlsx", "Campaigns")
    inputs = f"{re.escape('campaigns.csv, geo-zip.csv')} → campaigns-results\\.xlsx"
    assert re.fullmatch(rf"an earlier run \(.*, {inputs}\) created campaign {alpha['id']} from the row with Ref 'c1'; "
                        rf"to change that campaign, put {alpha['id']} in the ID column \(the results workbook of that "
                        r"run has it\); to create another, give this row a new Ref", row["Message"]), row["Message"]
    assert row["ID"] is None

    # Given a Ref of its own, it is a campaign of its own, with its own ZIPs.
    second = job("b", "Beta", "beta.example.com", ref="c2")
    result, summary = push("smartyads", second, server.base_url)
    assert result.exit_code == 0 and summary["counts"] == {"Campaigns": {"created": 1}, "Geo ZIP": {"created": 2}}
    made = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    for name in made:
        assert sorted(z["zip"] for z in server.sandbox.campaign_zips(made[name])) == ["02134", "10001"]
    before = writes(server)
    for paths in (first, second):
        assert push("smartyads", paths, server.base_url)[0].exit_code == 0
    assert writes(server) == before
    assert [r["ID"] for r in rows_of(tmp_path / "b" / "campaigns-results.xlsx", "Campaigns")] == [made["Beta"]]


def raw_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


SPRING = ("Ref,Name,Type,Advertiser Domain,Start Date,End Date,Desktop Web\n"
          "spring,{name},banner,shop.example.com,2027-09-01,2027-10-31,yes\n")


def test_a_row_whose_typo_was_fixed_is_not_created_again_and_its_campaign_can_be_changed_by_id(env, server,
                                                                                              tmp_path):
    path = raw_csv(tmp_path / "campaigns.csv", SPRING.format(name="Sprng Sale"))
    result, _ = push("smartyads", [path], server.base_url)
    assert result.exit_code == 0, result.output
    [made] = server.sandbox.campaigns()
    before = writes(server)

    raw_csv(path, SPRING.format(name="Spring Sale"))  # the typo fixed, the same Ref
    result, summary = push("smartyads", [path], server.base_url, "-o", str(tmp_path / "fixed.xlsx"))
    assert result.exit_code == 1 and summary["counts"] == {"Campaigns": {"failed": 1}}, result.output
    assert writes(server) == before and server.sandbox.campaigns() == [made]  # refused without a request
    [row] = rows_of(tmp_path / "fixed.xlsx", "Campaigns")
    assert row["ID"] is None
    assert re.fullmatch(rf"an earlier run \(\d{{4}}-\d\d-\d\d \d\d:\d\d, campaigns\.csv → campaigns-results\.xlsx\) "
                        rf"created campaign {made['id']} from the row with Ref 'spring'; to change that campaign, put "
                        rf"{made['id']} in the ID column \(the results workbook of that run has it\); to create "
                        "another, give this row a new Ref", row["Message"]), row["Message"]

    # As the message says: the first results workbook has the ID; the fix pushed there is an update.
    first = tmp_path / "campaigns-results.xlsx"
    book = openpyxl.load_workbook(first)
    sheet = book["Campaigns"]
    sheet.cell(row=2, column=[c.value for c in sheet[1]].index("Name") + 1, value="Spring Sale")
    book.save(first)
    result, summary = push("smartyads", [first], server.base_url)
    assert result.exit_code == 0 and summary["counts"] == {"Campaigns": {"updated": 1}}, result.output
    assert [(c["id"], c["name"]) for c in server.sandbox.campaigns()] == [(made["id"], "Spring Sale")]


def test_a_scripts_row_without_a_ref_whose_budget_was_fixed_is_not_created_again(env, server, tmp_path):
    head = "id,name,type,aDomain,dateStart,dateEnd,spentDailyLimit\n"
    path = raw_csv(tmp_path / "campaigns.csv", head + ",Autumn,banner,shop.example.com,2027-09-01,2027-10-31,20000\n")
    result, _ = push("smartyads", [path], server.base_url)
    assert result.exit_code == 0, result.output
    [made] = server.sandbox.campaigns()
    before = writes(server)
    raw_csv(path, head + ",Autumn,banner,shop.example.com,2027-09-01,2027-10-31,200\n")  # a zero too many
    result, summary = push("smartyads", [path], server.base_url, "-o", str(tmp_path / "fixed.xlsx"))
    assert result.exit_code == 1 and summary["counts"] == {"Campaigns": {"failed": 1}}, result.output
    assert writes(server) == before and server.sandbox.campaigns() == [made]
    [row] = rows_of(tmp_path / "fixed.xlsx", "Campaigns")
    assert row["id"] is None
    assert row["Message"].endswith(  # the ID column named as the script's header names it
        f"created campaign {made['id']} named 'Autumn' from other values; to change that campaign, put {made['id']} "
        "in the id column (the results workbook of that run has it); to create another of that name, give this row "
        "a Ref"), row["Message"]

    # Another of that name is wanted after all: a Ref makes it a row of its own.
    raw_csv(path, "ref," + head + "autumn-2,,Autumn,banner,shop.example.com,2027-09-01,2027-10-31,200\n")
    result, summary = push("smartyads", [path], server.base_url)
    assert result.exit_code == 0 and summary["counts"] == {"Campaigns": {"created": 1}}, result.output
    assert sorted(c["spentDailyLimit"] for c in server.sandbox.campaigns()) == [200, 20000]


def killed_push(path: Path, out: Path, base_url: str, env: dict[str, str], killer: Killer) -> None:
    """A real `bulkops push` SIGKILLed at its first committed write, before the answer leaves."""
    process = subprocess.Popen([sys.executable, "-m", "bulkops", "push", str(path), "-p", "smartyads", "-o",
                                str(out), "--quiet", "--concurrency", "1", "--base-url", base_url], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    killer.arm(process.pid, 1)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode < 0, stderr  # killed
    killer.arm(0, None)


@pytest.mark.parametrize("ref", [None, "c1"])
def test_an_unanswered_create_is_looked_up_before_an_edited_row_could_make_it_twice(env, tmp_path, ref):
    head = (["Ref"] if ref else []) + CAMPAIGNS[0]
    rows = [(([ref] if ref else []) + CAMPAIGNS[1])]
    path = write_csv(tmp_path / "campaigns.csv", [head, *rows])
    killer = Killer()
    with running(SandboxConfig(on_commit=killer)) as server:
        killed_push(path, tmp_path / "killed.xlsx", server.base_url, env, killer)
        [made] = server.sandbox.campaigns()  # committed; its answer never arrived
        edited = write_csv(tmp_path / "campaigns.csv", [head, [*rows[0][:-1], "2027-05-31"]])  # a new end date
        result, summary = push("smartyads", [edited], server.base_url, "-o", str(tmp_path / "edited.xlsx"))
        assert result.exit_code == 1, result.output
        assert server.sandbox.campaigns() == [made]  # looked up and found: not made twice
        [row] = rows_of(tmp_path / "edited.xlsx", "Campaigns")
        assert row["Status"] == "failed" and f"bulkops found campaign {made['id']}" in row["Message"], row
        assert "killed.xlsx" in row["Message"] and f"put {made['id']} in the ID column" in row["Message"]

        # The row as it was is that campaign: settled, with the run that sent it.
        original = write_csv(tmp_path / "campaigns.csv", [head, *rows])
        result, _ = push("smartyads", [original], server.base_url, "-o", str(tmp_path / "again.xlsx"))
        assert result.exit_code == 0, result.output
        [row] = rows_of(tmp_path / "again.xlsx", "Campaigns")
        assert (row["Status"], row["ID"]) == ("created", made["id"])
        assert re.fullmatch(r"created by an interrupted run \(.*campaigns\.csv → killed\.xlsx\); found it by name",
                            row["Message"]), row["Message"]
        assert server.sandbox.campaigns() == [made]


def test_a_second_push_to_the_account_stops_at_once_while_the_first_runs(env, tmp_path):
    path = write_csv(tmp_path / "campaigns.csv", [CAMPAIGNS[0], *[[f"C{i}", *CAMPAIGNS[1][1:]] for i in range(5)]])
    with running(SandboxConfig(latency_ms=300)) as server:
        command = [sys.executable, "-m", "bulkops", "push", str(path), "-p", "smartyads", "--quiet", "--concurrency",
                   "1", "--base-url", server.base_url, "-o"]
        first = subprocess.Popen([*command, str(tmp_path / "a.xlsx")], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not [r for r in server.sandbox.request_log if r.method == "POST" and r.path.endswith("/campaigns")]:
            assert first.poll() is None and time.monotonic() < deadline, "the first push did not start creating"
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGSTOP)  # mid-push, between two creates: it holds the account
        try:
            second = subprocess.run([*command, str(tmp_path / "b.xlsx")], env=env, capture_output=True, text=True,
                                    timeout=120)
            assert second.returncode == 3, second.stderr
            assert re.search(rf"another bulkops push to this account is running \(since \d{{4}}-\d\d-\d\d \d\d:\d\d, "
                             rf"process {first.pid}: campaigns\.csv → a\.xlsx\); nothing was sent", second.stderr), \
                second.stderr
            # It did not even log in (the first's create in flight may still be logged), nor write results.
            assert len([r for r in server.sandbox.request_log if r.path.endswith("/login")]) == 1
            assert not (tmp_path / "b.xlsx").exists()
        finally:
            os.kill(first.pid, signal.SIGCONT)
        _, stderr = first.communicate(timeout=120)
        assert first.returncode == 0, stderr
        assert sorted(c["name"] for c in server.sandbox.campaigns()) == [f"C{i}" for i in range(5)]

        # Once it is done, the account is free again: the same push finds every row created.
        again = subprocess.run([*command, str(tmp_path / "b.xlsx")], env=env, capture_output=True, text=True,
                               timeout=120)
        assert again.returncode == 0, again.stderr
        assert len(server.sandbox.campaigns()) == 5


def legacy_journal(path: Path, scope: str, records: Sequence[tuple]) -> Path:
    """A journal as an earlier version of bulkops kept it, beside the results workbook."""
    database = sqlite3.connect(str(path))
    database.executescript("""
        CREATE TABLE ops (scope TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, action TEXT NOT NULL,
            state TEXT NOT NULL, fingerprint TEXT NOT NULL, natural_key TEXT, result_id INTEGER, message TEXT,
            watermark INTEGER, updated_at REAL NOT NULL, PRIMARY KEY (scope, key));""")
    database.executemany("INSERT INTO ops VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                         [(scope, *record) for record in records])
    database.commit()
    database.close()
    return path


def test_a_journal_an_earlier_version_kept_beside_the_results_is_taken_in(env, server, tmp_path, state_folder):
    path = write_csv(tmp_path / "campaigns.csv", CAMPAIGNS[:3])
    result, _ = push("smartyads", [path], server.base_url, "-o", str(tmp_path / "first.xlsx"))
    assert result.exit_code == 0
    made = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    for journal in state_folder.glob("journal-*"):
        journal.unlink()  # as if the earlier version had pushed: only its own journal knows
    plan = build_plan(validate_sheets(read_files([path], "smartyads")), skip_invalid=False)
    alpha, beta = plan.operations
    legacy_journal(tmp_path / "campaigns-results.journal.sqlite", f"smartyads {server.base_url}", [
        # Alpha's create was sent and its answer lost; Beta's was answered.
        ("campaigns:create:row:campaigns.csv:Campaigns:2", "campaigns", "create", "intent", alpha.fingerprint,
         "Alpha", None, None, 0),
        ("campaigns:create:row:campaigns.csv:Campaigns:3", "campaigns", "create", "done", beta.fingerprint,
         "Beta", made["Beta"], None, None)])
    before = writes(server)
    result, _ = push("smartyads", [path], server.base_url)  # beside campaigns-results.xlsx, its default
    assert result.exit_code == 0, result.output
    assert writes(server) == before and len(server.sandbox.campaigns()) == 2
    assert "took 2 records from" in result.stderr
    rows = rows_of(tmp_path / "campaigns-results.xlsx", "Campaigns")
    assert [(r["ID"], r["Status"]) for r in rows] == [(made["Alpha"], "created"), (made["Beta"], "created")]
    assert "found it by name" in rows[0]["Message"] and "created by an earlier run" in rows[1]["Message"]
    assert not (tmp_path / "campaigns-results.journal.sqlite").exists()
    assert (tmp_path / "campaigns-results.journal.sqlite.imported").exists()


def test_rows_edited_since_an_earlier_versions_journal_saw_them_created_are_not_created_again(env, server, tmp_path,
                                                                                              state_folder):
    head = ["Ref", *CAMPAIGNS[0]]
    path = write_csv(tmp_path / "campaigns.csv", [head, ["Spring", *CAMPAIGNS[1]], ["", *CAMPAIGNS[2]],
                                                  ["", "Gamma", *CAMPAIGNS[1][1:]]])
    result, _ = push("smartyads", [path], server.base_url, "-o", str(tmp_path / "first.xlsx"))
    assert result.exit_code == 0
    made = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    for journal in state_folder.glob("journal-*"):
        journal.unlink()  # as if the earlier version had pushed: only its own journal knows
    spring, beta, gamma = build_plan(validate_sheets(read_files([path], "smartyads")), skip_invalid=False).operations
    legacy_journal(tmp_path / "campaigns-results.journal.sqlite", f"smartyads {server.base_url}", [
        # Its keys: by Ref as typed, else by file, sheet and row.
        ("campaigns:create:ref:Spring", "campaigns", "create", "done", spring.fingerprint, "Alpha", made["Alpha"],
         None, None),
        ("campaigns:create:row:campaigns.csv:Campaigns:3", "campaigns", "create", "done", beta.fingerprint, "Beta",
         made["Beta"], None, None),
        ("campaigns:create:row:campaigns.csv:Campaigns:4", "campaigns", "create", "done", gamma.fingerprint, "Gamma",
         made["Gamma"], None, None)])
    # Gamma moved to the top, the Ref'd row renamed, the row without a Ref given another type.
    write_csv(path, [head, ["", "Gamma", *CAMPAIGNS[1][1:]], ["spring", "Alpha Sale", *CAMPAIGNS[1][1:]],
                     ["", "Beta", "video", "other.example.com", *CAMPAIGNS[2][3:]]])
    before = writes(server)
    result, _ = push("smartyads", [path], server.base_url)
    assert result.exit_code == 1, result.output
    assert writes(server) == before and len(server.sandbox.campaigns()) == 3
    gamma_row, spring_row, beta_row = rows_of(tmp_path / "campaigns-results.xlsx", "Campaigns")
    assert (gamma_row["Status"], gamma_row["ID"]) == ("created", made["Gamma"])
    assert spring_row["Status"] == "failed" and f"created campaign {made['Alpha']} from the row with Ref 'spring'" \
        in spring_row["Message"], spring_row
    assert beta_row["Status"] == "failed" and f"created campaign {made['Beta']} named 'Beta' from other values" \
        in beta_row["Message"], beta_row


def test_a_journal_an_earlier_version_left_that_cannot_be_read_stops_the_push(env, server, tmp_path):
    path = write_csv(tmp_path / "campaigns.csv", CAMPAIGNS[:2])
    (tmp_path / "campaigns-results.journal.sqlite").write_bytes(b"not a database at all" * 100)
    result, _ = push("smartyads", [path], server.base_url)
    assert result.exit_code == 3 and "kept, and it cannot be read" in result.output
    assert writes(server) == []


# -- IQM ------------------------------------------------------------------------------------------

@pytest.fixture
def iqm_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key, value in IQM_ACCOUNT.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))


def fields_csv(path: Path, kind: str, rows: Sequence[dict[str, object]]) -> Path:
    """A CSV a script writes: API field names as headers, no ID column."""
    declared = [c.field for c in kind_named("iqm", kind).columns if any(c.field in r for r in rows)]
    return write_csv(path, [declared, *[[row.get(f, "") for f in declared] for row in rows]])


def test_the_same_iqm_job_pushed_with_another_output_creates_nothing_twice(iqm_env, tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "300x250.png").write_bytes(png(300, 250))
    campaigns = fields_csv(tmp_path / "campaigns.csv", "campaigns", [campaign_row(ref="north")])
    creatives = fields_csv(tmp_path / "creatives.csv", "creatives", [
        {"ref": "a", "creativeName": "North 300x250", "format": "image", "campaigns": "north",
         "file": "media/300x250.png", "clickUrl": "https://shop.example.com/a"}])
    zips = fields_csv(tmp_path / "geo-zip.csv", "geo-zip", [{"campaign": "north", "zip": "02134"}])
    paths = [campaigns, creatives, zips]
    with running(SandboxConfig(platform="iqm", rate_limit=1000, creative_review_s=0.0)) as server:
        result, summary = push("iqm", paths, server.base_url, "-o", str(tmp_path / "out-a.xlsx"))
        assert result.exit_code == 0, result.output
        before = writes(server)
        result, summary = push("iqm", paths, server.base_url, "-o", str(tmp_path / "out-b.xlsx"))
        assert result.exit_code == 0, result.output
        assert writes(server) == before
        assert len(server.sandbox.iqm_campaigns()) == 1 and len(server.sandbox.iqm_creatives()) == 1
        [campaign] = rows_of(tmp_path / "out-b.xlsx", "Campaigns")
        [creative] = rows_of(tmp_path / "out-b.xlsx", "Creatives")
        assert campaign["ID"] == server.sandbox.iqm_campaigns()[0]["id"]
        assert creative["ID"] == server.sandbox.iqm_creatives()[0]["creativeId"]
        inputs = "campaigns.csv, creatives.csv, geo-zip.csv"
        assert re.match(earlier(inputs, "out-a.xlsx"), campaign["Message"]), campaign
        assert re.match(earlier(inputs, "out-a.xlsx"), creative["Message"]), creative


def test_an_iqm_campaign_row_whose_name_was_fixed_is_not_created_again(iqm_env, tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "300x250.png").write_bytes(png(300, 250))
    creatives = fields_csv(tmp_path / "creatives.csv", "creatives", [
        {"ref": "a", "creativeName": "North 300x250", "format": "image", "campaigns": "north",
         "file": "media/300x250.png", "clickUrl": "https://shop.example.com/a"}])
    with running(SandboxConfig(platform="iqm", rate_limit=1000, creative_review_s=0.0)) as server:
        campaigns = tmp_path / "campaigns.csv"
        fields_csv(campaigns, "campaigns", [campaign_row(ref="north", campaignName="Nort")])
        result, _ = push("iqm", [campaigns, creatives], server.base_url)
        assert result.exit_code == 0, result.output
        [made] = server.sandbox.iqm_campaigns()
        before = writes(server)
        fields_csv(campaigns, "campaigns", [campaign_row(ref="north", campaignName="North")])
        result, summary = push("iqm", [campaigns, creatives], server.base_url, "-o", str(tmp_path / "again.xlsx"))
        assert result.exit_code == 1 and summary["counts"] == {"Campaigns": {"failed": 1}, "Creatives": {"created": 1}}
        assert writes(server) == before and [c["id"] for c in server.sandbox.iqm_campaigns()] == [made["id"]]
        [row] = rows_of(tmp_path / "again.xlsx", "Campaigns")
        assert row["Message"].endswith(
            f"created campaign {made['id']} from the row with Ref 'north'; to change that campaign, put "
            f"{made['id']} in the ID column (the results workbook of that run has it); to create another, give this "
            "row a new Ref")
