"""No sheet is left out in silence: through the CLI, a sheet that looks like a kind's but is not
read stops validate, plan and push (exit 2, nothing sent, even with --skip-invalid; the results
workbook says why), and every other sheet not read is listed as ignored, in text and --json."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from tests.conftest import campaign
from tests.test_e2e import push, writes

pytestmark = pytest.mark.slow

ZIPS = [{"campaign": "c1", "zip": "02134", "iso2": "US"}, {"campaign": "c1", "zip": "10001", "iso2": "US"}]
COPY_ERROR = ("job.xlsx / Geo ZIP (2): sheet 'Geo ZIP (2)' is not read: did you mean 'Geo ZIP'? Move its rows into "
              "sheet 'Geo ZIP' to push them, or start its name with # to keep it out of the job")
NOTES_IGNORED = "job.xlsx / My notes: warning: sheet 'My notes' ignored (it is not a sheet bulkops reads)"


@pytest.fixture
def job(write_workbook) -> Path:
    """A campaign with its ZIPs, a copy of the Geo ZIP sheet named as Excel names copies (holding a
    third ZIP the buyer added there), and a sheet of notes."""
    path = write_workbook({"campaigns": [campaign()], "geo-zip": ZIPS})
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book["Geo ZIP"])
    copy.title = "Geo ZIP (2)"
    copy.append(["c1", "94103", "US"])
    book.create_sheet("My notes")["A1"] = "call the agency on Monday"
    book.save(path)
    return path


def _rename(path: Path, old: str, new: str) -> Path:
    book = openpyxl.load_workbook(path)
    book[old].title = new
    book.save(path)
    return path


def _summary(path: Path) -> dict[object, object]:
    sheet = openpyxl.load_workbook(path)["Summary"]
    return {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}


def _statuses(path: Path, title: str) -> list[tuple[object, object]]:
    sheet = openpyxl.load_workbook(path)[title]
    headers = [c.value for c in sheet[1]]
    status, message = headers.index("Status"), headers.index("Message")
    return [(row[status].value, row[message].value) for row in sheet.iter_rows(min_row=2)]


def test_validate_names_the_copied_sheet_and_lists_the_ignored_one(job):
    result = CliRunner().invoke(cli, ["validate", str(job), "-p", "smartyads"])
    assert result.exit_code == 2
    assert COPY_ERROR in result.output and NOTES_IGNORED in result.output
    assert "3 rows checked: 1 problems." in result.output

    as_json = CliRunner().invoke(cli, ["validate", str(job), "-p", "smartyads", "--json"])
    report = json.loads(as_json.stdout.strip().splitlines()[-1])
    assert report["errors"] == 1
    assert [(p["sheet"], p["code"], p["severity"]) for p in report["problems"]] == [
        ("Geo ZIP (2)", "unread-sheet", "error"), ("My notes", "ignored-sheet", "warning")]


def test_validate_of_a_workbook_with_an_ignored_sheet_only_passes_and_says_so(job):
    _rename(job, "Geo ZIP (2)", "# Geo ZIP (2)")
    result = CliRunner().invoke(cli, ["validate", str(job), "-p", "smartyads"])
    assert result.exit_code == 0, result.output
    assert "job.xlsx / # Geo ZIP (2): warning: sheet '# Geo ZIP (2)' ignored (its name starts with #)" in result.output
    assert NOTES_IGNORED in result.output and "3 rows checked: no problems." in result.output


def test_plan_stops_at_the_copied_sheet_even_with_skip_invalid(job):
    for extra in ([], ["--skip-invalid"]):
        result = CliRunner().invoke(cli, ["plan", str(job), "-p", "smartyads", "--offline", "--json", *extra])
        assert result.exit_code == 2, result.output
        summary = json.loads(result.stdout.strip().splitlines()[-1])
        assert [(p["sheet"], p["code"]) for p in summary["problems"]] == [
            ("Geo ZIP (2)", "unread-sheet"), ("My notes", "ignored-sheet")]


def test_push_sends_nothing_and_the_results_workbook_says_why(env, server, job, tmp_path):
    for extra in ([], ["--skip-invalid"]):
        out = tmp_path / f"results{len(extra)}.xlsx"
        result, summary = push(job, server.base_url, "-o", str(out), *extra)
        assert result.exit_code == 2, result.output
        assert summary["sent"] is False and summary["exit_code"] == 2
        assert [(p["sheet"], p["code"]) for p in summary["problems"]] == [
            ("Geo ZIP (2)", "unread-sheet"), ("My notes", "ignored-sheet")]
        assert writes(server) == [] and server.sandbox.campaigns() == []
        facts = _summary(out)
        assert facts["Nothing sent"] == COPY_ERROR.replace(" / Geo ZIP (2):", ":")
        assert facts["Sheets ignored"] == "My notes"
        held = "not sent: sheet 'Geo ZIP (2)' of the job is not read (see the Summary sheet)"
        assert _statuses(out, "Campaigns") == [("not run", held)]
        assert _statuses(out, "Geo ZIP") == [("not run", held), ("not run", held)]

    text = CliRunner().invoke(cli, ["push", str(job), "-p", "smartyads", "--base-url", server.base_url, "--quiet",
                                    "-o", str(tmp_path / "text.xlsx")])
    assert text.exit_code == 2
    assert COPY_ERROR in text.output and NOTES_IGNORED in text.output
    assert "Nothing was sent: a sheet of the job is not read (see above); rename it, or start its name with # to " \
           "keep it out of the job." in text.output

    # Once the copy's rows are moved into Geo ZIP, the same push sends every ZIP.
    book = openpyxl.load_workbook(job)
    book["Geo ZIP"].append(["c1", "94103", "US"])
    del book["Geo ZIP (2)"]
    book.save(job)
    result, summary = push(job, server.base_url, "-o", str(tmp_path / "moved.xlsx"))
    assert result.exit_code == 0, result.output
    [stored] = server.sandbox.campaigns()
    assert [z["zip"] for z in server.sandbox.campaign_zips(stored["id"])] == ["02134", "10001", "94103"]


def test_push_after_the_copy_is_kept_out_with_hash_sends_the_job_and_lists_what_it_ignored(env, server, job,
                                                                                            tmp_path):
    _rename(job, "Geo ZIP (2)", "#Geo ZIP (2)")
    out = tmp_path / "results.xlsx"
    result = CliRunner().invoke(cli, ["push", str(job), "-p", "smartyads", "--base-url", server.base_url, "--quiet",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "job.xlsx / #Geo ZIP (2): warning: sheet '#Geo ZIP (2)' ignored (its name starts with #)" in result.output
    assert NOTES_IGNORED in result.output
    [stored] = server.sandbox.campaigns()
    assert [z["zip"] for z in server.sandbox.campaign_zips(stored["id"])] == ["02134", "10001"]
    assert _summary(out)["Sheets ignored"] == "#Geo ZIP (2), My notes"
