"""Campaign status and pause/resume against the SmartyAds sandbox: the export writes each campaign's
Active, Running and Extended Status (read-only) and lists on its Summary what no sheet holds; an
export pushed back after the platform changed a status sends nothing and says so; a changed campaign
Active fails its row unsent; creatives are paused and resumed many at once, one update each, shown by
plan as old → new, and a run stopped half way and run again sends no update twice."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import bulkops
from bulkops.cli import cli
from bulkops.exporter._unmodelled import MAX_SHOWN
from bulkops.exporter._write import UNMODELLED_HEADERS
from bulkops.platforms.smartyads.kinds import CAMPAIGNS
from bulkops.sandbox import CAMPAIGN
from tests.test_e2e_export import ACCOUNT, export, push_back, seeded, writes  # noqa: F401 - seeded is a fixture
from tests.test_e2e_kinds import media, sheet_rows  # noqa: F401 - media is a fixture

pytestmark = pytest.mark.slow

PRETARGETS = list(range(1000, 1100))  # a value far longer than the Summary shows


def _patch_campaign(server, name: str, **fields: object) -> int:
    stored = next(c for c in server.sandbox.campaigns() if c["name"] == name)
    server.sandbox.store.put(CAMPAIGN, stored["id"], {**stored, **fields})
    return stored["id"]


def _exported(server, path: Path, *extra: str) -> dict:
    return export(server, "-o", str(path), *extra)


def _unmodelled_table(path: Path) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(path)["Summary"]
    lines = [tuple(c.value for c in row[:4]) for row in sheet.iter_rows()]
    start = lines.index(UNMODELLED_HEADERS)
    return [line for line in lines[start + 1:] if any(v is not None for v in line)]


def _summary_cell(path: Path, field: str):
    sheet = openpyxl.load_workbook(path)["Summary"]
    return next(row[3] for row in sheet.iter_rows() if row[2].value == field)


def _set_column(path: Path, title: str, label: str, value: object, out: Path) -> Path:
    book = openpyxl.load_workbook(path)
    sheet = book[title]
    column = [c.value for c in sheet[1]].index(label) + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 2).value is not None:  # an object's row (its ID)
            sheet.cell(row, column).value = value
    book.save(out)
    return out


def _puts(server, since: int = 0) -> list[str]:
    return [r.path for r in server.sandbox.request_log[since:] if r.method == "PUT"]


def test_an_export_writes_each_campaigns_status_and_lists_what_no_sheet_holds(seeded, tmp_path):  # noqa: F811 - the fixture
    north = _patch_campaign(seeded, "=1+2 Café ☕ 北", isActive=True, isRunning=True, extendedStatus="Running",
                            isCTV=True, googleAnalyticsTrackingCode='=HYPERLINK("http://evil.example")',
                            pretargets=PRETARGETS)
    out = tmp_path / "state.xlsx"
    summary = _exported(seeded, out)
    rows = {r["ID"]: r for r in sheet_rows(out, "Campaigns")}
    assert (rows[north]["Active"], rows[north]["Running"], rows[north]["Extended Status"]) == (
        "active", "TRUE", "Running")
    others = [r for i, r in rows.items() if i != north]
    assert {(r["Active"], r["Running"], r["Extended Status"]) for r in others} == {
        ("paused", "FALSE", "Campaign is not active")}

    table = _unmodelled_table(out)
    assert summary["not_in_any_sheet"] == len(table) > 0
    mine = {field: value for sheet, ref, field, value in table if ref == f"campaign-{north}"}
    assert mine["isCTV"] == "true" and mine["googleAnalyticsTrackingCode"] == '=HYPERLINK("http://evil.example")'
    assert len(mine["pretargets"]) == MAX_SHOWN and mine["pretargets"].endswith("…")
    assert mine["pretargets"].startswith(json.dumps(PRETARGETS)[:50])
    assert _summary_cell(out, "googleAnalyticsTrackingCode").quotePrefix  # text, never a formula
    # What a sheet holds, or is bookkeeping, is not listed: the status columns among them.
    listed = {field for _, _, field, _ in table}
    assert not listed & ({c.field for c in CAMPAIGNS.columns} | {"userId", "createdAt", "updatedAt"})
    assert {sheet for sheet, _, _, _ in table} <= {"Campaigns", "Creatives", "Filter Lists"}


def test_a_csv_export_lists_what_no_sheet_holds_beside_its_csvs(seeded, tmp_path):  # noqa: F811 - the fixture
    _patch_campaign(seeded, "-South Ünïcode", isCTV=True)
    folder = tmp_path / "state"
    summary = _exported(seeded, folder, "--csv")
    listed = (folder / "not-in-any-sheet.tsv").read_text(encoding="utf-8").splitlines()
    assert listed[0].split("\t") == list(UNMODELLED_HEADERS)
    assert summary["not_in_any_sheet"] == len(listed) - 1
    assert any(line.split("\t")[2:] == ["isCTV", "true"] for line in listed)


def test_an_export_pushed_back_after_the_platform_changed_a_status_sends_nothing_and_says_so(seeded, tmp_path):  # noqa: F811 - the fixture
    out = tmp_path / "state.xlsx"
    _exported(seeded, out)
    _patch_campaign(seeded, "=1+2 Café ☕ 北", isRunning=True, extendedStatus="Running")  # after the export
    result, summary, sent = push_back(seeded, [out], tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert sent == []
    assert summary["counts"]["Campaigns"] == {"unchanged": 2}
    warned = [p for p in summary["problems"] if p["code"] == "read-only"]
    assert {(p["column"], p["severity"]) for p in warned} == {("Running", "warning"), ("Extended Status", "warning")}
    assert "FALSE is not sent: Running is read-only" in {p["column"]: p["message"] for p in warned}["Running"]


def test_a_changed_campaign_active_fails_its_row_with_nothing_sent(seeded, tmp_path):  # noqa: F811 - the fixture
    out = tmp_path / "state.xlsx"
    _exported(seeded, out)
    edited = _set_column(out, "Campaigns", "Active", "active", tmp_path / "edited.xlsx")
    plan = CliRunner().invoke(cli, ["plan", str(edited), "-p", "smartyads", "--base-url", seeded.base_url, "--json"])
    notes = {r["note"] for r in json.loads(plan.stdout.strip().splitlines()[-1])["rows"] if r["plan"] == "fail"}
    assert len(notes) == 1 and "SmartyAds' documents give no way to change an existing campaign's Active" in \
        notes.pop()
    result, summary, sent = push_back(seeded, [edited], tmp_path / "r.xlsx")
    assert result.exit_code == 1 and sent == []
    assert summary["counts"]["Campaigns"] == {"failed": 2}
    messages = {r["Message"] for r in sheet_rows(tmp_path / "r.xlsx", "Campaigns")}
    assert messages == {"Active: the platform holds FALSE, the row says TRUE; SmartyAds' documents give no "
                        "way to change an existing campaign's Active (its update route, 11.4.1, does not list it): "
                        "change it in SmartyAds"}


def test_creatives_pause_and_resume_many_at_once_one_update_each_and_a_stopped_run_repeats_none(seeded, tmp_path):  # noqa: F811 - the fixture
    out = tmp_path / "state.xlsx"
    _exported(seeded, out)
    creatives = {c["id"] for c in seeded.sandbox.creatives()}
    assert len(creatives) >= 5 and {c["isActive"] for c in seeded.sandbox.creatives()} == {0}
    resume = _set_column(out, "Creatives", "Active", "resume", tmp_path / "resume.xlsx")

    plan = CliRunner().invoke(cli, ["plan", str(resume), "-p", "smartyads", "--base-url", seeded.base_url, "--json"])
    planned = json.loads(plan.stdout.strip().splitlines()[-1])
    changes = [r["changes"] for r in planned["rows"] if r["sheet"] == "Creatives"]
    assert changes == [[{"column": "Active", "old": "FALSE", "new": "TRUE"}]] * len(creatives)

    stop = bulkops.StopHandle()
    credentials = dict(zip(("email", "password"), ACCOUNT, strict=True))
    start = len(seeded.sandbox.request_log)

    def stop_after_two(event: bulkops.Progress) -> None:
        if len(_puts(seeded, start)) >= 2:
            stop.stop()

    with pytest.raises(bulkops.Interrupted):
        bulkops.push(str(resume), platform="smartyads", base_url=seeded.base_url, credentials=credentials,
                     output=str(tmp_path / "stopped.xlsx"), concurrency=1, progress=stop_after_two, stop=stop)
    assert 2 <= len(_puts(seeded, start)) < len(creatives)
    bulkops.push(str(resume), platform="smartyads", base_url=seeded.base_url, credentials=credentials,
                 output=str(tmp_path / "resumed.xlsx"))
    assert sorted(_puts(seeded, start)) == sorted(f"/api/creatives/{i}" for i in creatives)  # each once, in all
    assert {c["isActive"] for c in seeded.sandbox.creatives()} == {1}

    pause = _set_column(out, "Creatives", "Active", "paused", tmp_path / "pause.xlsx")
    before = len(seeded.sandbox.request_log)
    result, summary, sent = push_back(seeded, [pause], tmp_path / "paused.xlsx")
    assert result.exit_code == 0, result.output
    assert sorted(sent) == sorted(f"PUT /api/creatives/{i}" for i in creatives)
    assert summary["counts"]["Creatives"] == {"updated": len(creatives)}
    assert {c["isActive"] for c in seeded.sandbox.creatives()} == {0}
    assert writes(seeded, before) == sent
    result, _, sent = push_back(seeded, [pause], tmp_path / "again.xlsx")
    assert result.exit_code == 0 and sent == []
