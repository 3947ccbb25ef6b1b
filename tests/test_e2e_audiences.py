"""SmartyAds' Audiences and Contextual sheets against the sandbox: names looked up once per run, one
request per campaign and mode, the exact round trip, plan's diff and count, and a killed push resumed."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bulkops import _terminal
from bulkops.cli import cli
from bulkops.platforms.smartyads.client import SmartyAdsClient
from bulkops.sandbox import SandboxConfig, running
from tests.conftest import campaign
from tests.test_e2e_counts import _Bar, _counted_alike, _planned, _pushed
from tests.test_e2e_faults import Killer
from tests.test_e2e_kinds import sheet_rows

pytestmark = pytest.mark.slow

ACCOUNT = ("demo@bulkops.test", "sandbox")
# The built-in account's seeded lists (bulkops/platforms/smartyads/sandbox/_audiences.py, _contextual.py).
CART, PURCHASERS, APP_INSTALLERS, AUTO_FIRST = 2, 5, 7, 20  # first-party audiences
FREQUENT_TRAVELLERS = 2  # third-party
SPORTS_WEB, FINANCE, TRAVEL = 1, 3, 4  # contextual targeting rules
LOOKUPS = ["GET /api/audiences", "GET /api/audiences/third-parties", "GET /api/contextual-targeting"]


@pytest.fixture
def bar(monkeypatch) -> type[_Bar]:
    """The push's progress bar, recorded (as in tests/test_e2e_counts.py)."""
    _Bar.made = []
    monkeypatch.setattr(_terminal, "tqdm", _Bar)
    return _Bar


def _seed(server, audiences: list[dict], rules: list[int]) -> int:
    async def seed() -> int:
        async with SmartyAdsClient(server.base_url, *ACCOUNT) as client:
            made = await client.create_campaign({"type": "banner", "name": "Held", "aDomain": "example.com"})
            if audiences:
                await client.replace_campaign_audiences(made.id, audiences)
            if rules:
                await client.replace_campaign_contextual(made.id, rules)
            return made.id

    return asyncio.run(seed())


def _killed_push(path: Path, out: Path, base_url: str, env: dict[str, str], killer: Killer, at: int) -> None:
    """A real `bulkops push` SIGKILLed at its `at`-th committed write, before the answer leaves (as in
    tests/test_e2e_journal.py)."""
    process = subprocess.Popen([sys.executable, "-m", "bulkops", "push", str(path), "-p", "smartyads", "-o",
                                str(out), "--quiet", "--concurrency", "1", "--base-url", base_url], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    killer.arm(process.pid, at)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode < 0, stderr  # killed
    killer.arm(0, None)


def _writes(sent: list[str]) -> list[str]:
    return [s for s in sent if not s.startswith("GET ") and not s.endswith("/login")]


def test_a_new_campaign_with_audiences_and_rules_by_name_costs_what_plan_said(env, server, bar, write_workbook,
                                                                             tmp_path):
    path = write_workbook({
        "campaigns": [campaign(ref="c1")],
        "audiences": [{"campaign": "c1", "audience": "Cart abandoners"},  # first-party: collect
                      {"campaign": "c1", "audience": "Frequent travellers"},  # third-party: thirdParty
                      {"campaign": "c1", "audience": "purchasers  90D", "type": "trade"},  # case and spaces aside
                      {"campaign": "c1", "audience": APP_INSTALLERS, "type": "collect"}],
        "contextual": [{"campaign": "c1", "target": "Travel planning"}, {"campaign": "c1", "target": FINANCE}]})
    before = len(server.sandbox.request_log)
    summary, sent = _counted_alike(server, bar, [path], tmp_path / "r.xlsx")
    [made] = server.sandbox.campaigns()
    base = f"/api/campaigns/{made['id']}"
    # plan read each list once (one page each); the push takes them from the account's cache, then
    # sends one write per list and one read back of each.
    planned = [f"{r.method} {r.path}" for r in server.sandbox.request_log[before:before + 4]]
    assert planned == ["POST /api/users/login", *LOOKUPS]
    assert sent[0] == "POST /api/users/login" and not set(LOOKUPS) & set(sent)
    assert sorted(sent[1:]) == sorted(["POST /api/campaigns", f"POST {base}/audiences", f"GET {base}/audiences",
                                       f"POST {base}/contextual-targeting", f"GET {base}/contextual-targeting"])
    assert server.sandbox.campaign_audiences(made["id"]) == [
        {"type": "collect", "id": CART}, {"type": "thirdParty", "id": FREQUENT_TRAVELLERS},
        {"type": "trade", "id": PURCHASERS}, {"type": "collect", "id": APP_INSTALLERS}]
    assert server.sandbox.campaign_contextual(made["id"]) == [TRAVEL, FINANCE]
    assert summary["counts"]["Audiences"] == {"created": 4} and summary["counts"]["Contextual"] == {"created": 2}
    # The results workbook keeps the names as typed.
    assert [r["Audience"] for r in sheet_rows(tmp_path / "r.xlsx", "Audiences")][:2] == ["Cart abandoners",
                                                                                         "Frequent travellers"]


def test_an_unknown_or_shared_name_is_a_clear_error_and_nothing_is_sent(env, server, write_workbook, tmp_path):
    path = write_workbook({
        "campaigns": [campaign(ref="c1")],
        "audiences": [{"campaign": "c1", "audience": "Cart abandonners"},
                      {"campaign": "c1", "audience": "Auto intenders"},
                      {"campaign": "c1", "audience": "Auto intenders", "type": "thirdParty"}],
        "contextual": [{"campaign": "c1", "target": "Sports news"}]})
    before = len(server.sandbox.request_log)
    result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", server.base_url, "--quiet",
                                      "--json", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2, result.output
    sent = [f"{r.method} {r.path}" for r in server.sandbox.request_log[before:]]
    assert sent == ["POST /api/users/login", *LOOKUPS]  # the lists, once each; no write
    assert server.sandbox.campaigns() == []
    rows = sheet_rows(tmp_path / "r.xlsx", "Audiences")
    assert [r["Status"] for r in rows] == ["invalid", "invalid", "not run"]
    assert rows[0]["Message"] == ("Audience: 'Cart abandonners' is not a known audience (did you mean "
                                  "'Cart abandoners'?)")
    assert rows[1]["Message"] == (f"Audience: 'Auto intenders' names 2 audience entries: Auto intenders (collect) = "
                                  f"{AUTO_FIRST}; Auto intenders (thirdParty) = 1; say which: write 'Auto intenders "
                                  f"(collect)' or the code ({AUTO_FIRST})")
    [rule] = sheet_rows(tmp_path / "r.xlsx", "Contextual")
    assert rule["Status"] == "invalid" and rule["Message"] == (
        f"Contextual Targeting: 'Sports news' names 2 contextual targeting rule entries: Sports news = {SPORTS_WEB}; "
        f"Sports news = {SPORTS_WEB + 1}; say which: write the code ({SPORTS_WEB})")
    # plan says the same, before anything is sent.
    planned = CliRunner().invoke(cli, ["plan", str(path), "-p", "smartyads", "--base-url", server.base_url])
    assert planned.exit_code == 2 and "did you mean 'Cart abandoners'?" in planned.output, planned.output


def test_push_then_export_gives_the_rows_back_and_the_export_pushed_back_sends_no_write(env, server, bar,
                                                                                     write_workbook, tmp_path):
    held = _seed(server, [], [])
    rows = [{"campaign": str(held), "audience": str(CART), "type": "collect"},
            {"campaign": str(held), "audience": str(FREQUENT_TRAVELLERS), "type": "thirdParty"},
            {"campaign": str(held), "audience": str(CART), "type": "trade"}]
    rules = [{"campaign": str(held), "target": str(TRAVEL)}, {"campaign": str(held), "target": str(SPORTS_WEB)}]
    result, _ = _pushed(server, [write_workbook({"audiences": rows, "contextual": rules})], tmp_path / "r.xlsx")
    state = tmp_path / "state.xlsx"
    exported = CliRunner().invoke(cli, ["export", "-p", "smartyads", "--base-url", server.base_url, "--quiet",
                                        "-o", str(state)])
    assert exported.exit_code == 0, exported.output
    ref = f"campaign-{held}"
    assert [(r["Campaign"], r["Audience"], r["Type"], r["Mode"]) for r in sheet_rows(state, "Audiences")] == [
        (ref, r["audience"], r["type"], None) for r in rows]
    assert [(r["Campaign"], r["Contextual Targeting"]) for r in sheet_rows(state, "Contextual")] == [
        (ref, r["target"]) for r in rules]
    bar.made.clear()  # the push above drew one
    summary, sent = _counted_alike(server, bar, [state], tmp_path / "again.xlsx")
    assert _writes(sent) == []
    assert sent == ["POST /api/users/login", f"GET /api/campaigns/{held}", f"GET /api/campaigns/{held}/audiences",
                    f"GET /api/campaigns/{held}/contextual-targeting"]
    assert summary["counts"]["Audiences"] == {"unchanged": 3} and summary["counts"]["Contextual"] == {"unchanged": 2}


def test_plan_says_what_a_replace_changes_and_the_push_sends_that_only(env, server, bar, write_workbook, tmp_path):
    held = _seed(server, [{"id": CART, "type": "collect"}, {"id": PURCHASERS, "type": "collect"}], [TRAVEL])
    path = write_workbook({"audiences": [{"campaign": str(held), "audience": str(CART), "type": "collect"},
                                         {"campaign": str(held), "audience": "Frequent travellers"}],
                           "contextual": [{"campaign": str(held), "target": "Travel planning"}]})
    planned = CliRunner().invoke(cli, ["plan", str(path), "-p", "smartyads", "--base-url", server.base_url])
    assert planned.exit_code == 0, planned.output
    assert "Audiences: replacing the list of campaign" in planned.output and "removes 1 existing item" in planned.output
    summary, sent = _counted_alike(server, bar, [path], tmp_path / "r.xlsx")
    assert _writes(sent) == [f"POST /api/campaigns/{held}/audiences"]  # the rules are as the row says
    assert summary["counts"]["Contextual"] == {"unchanged": 1}
    assert server.sandbox.campaign_audiences(held) == [{"type": "collect", "id": CART},
                                                       {"type": "thirdParty", "id": FREQUENT_TRAVELLERS}]


def test_removes_take_off_exactly_their_items_in_one_request_each(env, server, bar, write_workbook, tmp_path):
    # First-party audience 2 and third-party audience 2 share an ID: 7.4 would take both off.
    shared = _seed(server, [{"id": CART, "type": "collect"}, {"id": FREQUENT_TRAVELLERS, "type": "thirdParty"}],
                   [TRAVEL, FINANCE])
    plain = _seed(server, [{"id": CART, "type": "collect"}, {"id": PURCHASERS, "type": "collect"}], [TRAVEL])
    path = write_workbook({
        "audiences": [{"campaign": str(shared), "audience": "Cart abandoners", "mode": "remove"},
                      {"campaign": str(plain), "audience": str(PURCHASERS), "mode": "remove"},
                      {"campaign": str(plain), "audience": "Webinar attendees", "mode": "remove"}],
        "contextual": [{"campaign": str(shared), "target": str(FINANCE), "mode": "remove"},
                       {"campaign": str(plain), "target": str(TRAVEL), "mode": "remove"}]})
    summary, sent = _counted_alike(server, bar, [path], tmp_path / "r.xlsx")
    assert sorted(_writes(sent)) == sorted([
        f"POST /api/campaigns/{shared}/audiences",  # what stays, since an ID alone would take both
        f"DELETE /api/campaigns/{plain}/audiences",
        f"POST /api/campaigns/{shared}/contextual-targeting",  # 9.4 removes all: what stays is sent
        f"DELETE /api/campaigns/{plain}/contextual-targeting"])  # none stays
    assert server.sandbox.campaign_audiences(shared) == [{"type": "thirdParty", "id": FREQUENT_TRAVELLERS}]
    assert server.sandbox.campaign_audiences(plain) == [{"type": "collect", "id": CART}]
    assert server.sandbox.campaign_contextual(shared) == [TRAVEL] and server.sandbox.campaign_contextual(plain) == []
    rows = sheet_rows(tmp_path / "r.xlsx", "Audiences")
    assert [(r["Status"], r["Message"]) for r in rows] == [("deleted", "remove"), ("deleted", "remove"),
                                                            ("unchanged", "was not on the campaign")]


def test_a_push_killed_between_a_lists_write_and_its_answer_goes_on_without_sending_it_again(env, tmp_path,
                                                                                            write_workbook):
    """The campaign is the job's own (no live list to compare): the journal says the append went out, so the
    next run reads the list and sends only what did not arrive; nothing is sent twice."""
    killer = Killer()
    with running(SandboxConfig(on_commit=killer)) as server:
        path = write_workbook({
            "campaigns": [campaign(ref="c1")],
            "audiences": [{"campaign": "c1", "audience": "Frequent travellers", "mode": "append"},
                          {"campaign": "c1", "audience": "Cart abandoners", "mode": "append"}],
            "contextual": [{"campaign": "c1", "target": "Finance and investing", "mode": "append"}]})
        before = len(server.sandbox.request_log)
        _killed_push(path, tmp_path / "killed.xlsx", server.base_url, env, killer, at=2)  # the write after the create
        first = _writes([f"{r.method} {r.path}" for r in server.sandbox.request_log[before:]])
        assert len(first) == 2 and first[0] == "POST /api/campaigns", first
        result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", server.base_url,
                                          "--quiet", "--json", "-o", str(tmp_path / "again.xlsx")])
        assert result.exit_code == 0, result.output
        sent = _writes([f"{r.method} {r.path}" for r in server.sandbox.request_log[before:]])
        [made] = server.sandbox.campaigns()
        base = f"/api/campaigns/{made['id']}"
        assert sorted(sent) == ["PATCH " + f"{base}/audiences", f"PATCH {base}/contextual-targeting",
                                "POST /api/campaigns"]  # each once, over both runs
        assert server.sandbox.campaign_audiences(made["id"]) == [{"type": "thirdParty", "id": FREQUENT_TRAVELLERS},
                                                                 {"type": "collect", "id": CART}]
        assert server.sandbox.campaign_contextual(made["id"]) == [FINANCE]
        statuses = {r["Status"] for title in ("Audiences", "Contextual") for r in sheet_rows(tmp_path / "again.xlsx",
                                                                                              title)}
        assert statuses <= {"created", "unchanged"}


def test_the_names_are_read_once_per_run_whatever_the_rows(env, server, write_workbook, tmp_path):
    made = [_seed(server, [], []) for _ in range(3)]
    path = write_workbook({"audiences": [{"campaign": str(c), "audience": title} for c in made
                                         for title in ("Cart abandoners", "Purchasers 90d", "Pet owners")]})
    before = len(server.sandbox.request_log)
    estimated, reads = _planned(server, [path])
    planned = [f"{r.method} {r.path}" for r in server.sandbox.request_log[before:]]
    # 12.1 and 12.6, one page each (the job names no contextual targeting rule), read before validating;
    # the live reads are each campaign's audiences
    assert planned.count("GET /api/audiences") == planned.count("GET /api/audiences/third-parties") == 1
    assert "GET /api/contextual-targeting" not in planned and reads == 3
    summary, sent = _pushed(server, [path], tmp_path / "r.xlsx")
    assert "GET /api/audiences" not in sent and estimated == len(sent)  # the lists from the account's cache
    assert json.dumps(summary["counts"]["Audiences"]) == json.dumps({"created": 9})
    # Read again when asked, once each.
    before = len(server.sandbox.request_log)
    result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", server.base_url, "--quiet",
                                      "--refresh-reference", "-o", str(tmp_path / "r2.xlsx")])
    assert result.exit_code == 0, result.output
    again = [f"{r.method} {r.path}" for r in server.sandbox.request_log[before:]]
    assert again.count("GET /api/audiences") == again.count("GET /api/audiences/third-parties") == 1


def test_validate_does_not_look_names_up_and_refuses_an_id_without_its_type(env, write_workbook, tmp_path):
    path = write_workbook({"audiences": [{"campaign": "7", "audience": "Anything at all"},
                                         {"campaign": "7", "audience": "12"},
                                         {"campaign": "8", "audience": "12", "mode": "remove"}]})
    result = CliRunner().invoke(cli, ["validate", str(path), "-p", "smartyads"])
    assert result.exit_code == 2, result.output
    assert "row 3 / Type: Type is required when Audience is an ID (except to remove it)" in result.output
    assert "row 2" not in result.output and "row 4" not in result.output


def test_a_push_that_looks_names_up_counts_those_requests_with_its_own(env, server, write_workbook, tmp_path):
    made = _seed(server, [], [])
    path = write_workbook({"audiences": [{"campaign": str(made), "audience": "Cart abandoners"}],
                           "contextual": [{"campaign": str(made), "target": "Travel planning"}]})
    summary, sent = _pushed(server, [path], tmp_path / "r.xlsx")  # asserts requests_sent == what the sandbox saw
    # The lists are read before validating, each once, in the push's one session: one login for the job.
    assert sent[:4] == ["POST /api/users/login", *LOOKUPS] and sent.count("POST /api/users/login") == 1
    assert summary["counts"]["Audiences"] == {"created": 1}


def test_a_plan_that_looks_names_up_and_reads_the_live_state_logs_in_once(env, server, write_workbook, tmp_path):
    made = _seed(server, [{"type": "collect", "id": CART}], [TRAVEL])
    path = write_workbook({"audiences": [{"campaign": str(made), "audience": "Purchasers 90d"}],
                           "contextual": [{"campaign": str(made), "target": "Finance and investing"}]})
    before = len(server.sandbox.request_log)
    estimated, reads = _planned(server, [path])
    planned = [f"{r.method} {r.path}" for r in server.sandbox.request_log[before:]]
    # The lists before validating, then the campaign's lists as they stand: one session for both.
    assert planned[:4] == ["POST /api/users/login", *LOOKUPS] and planned.count("POST /api/users/login") == 1
    assert reads == 2 and len(planned) == 1 + len(LOOKUPS) + reads
    summary, sent = _pushed(server, [path], tmp_path / "r.xlsx")  # the lists from the cache now
    assert estimated == len(sent) and sent.count("POST /api/users/login") == 1
