"""`bulkops report` through the click runner against the sandboxes: the file written, the summary,
the JSON, exit codes; and the workbook re-saved by LibreOffice, which proves it opens."""

from __future__ import annotations

import json
import shutil
import subprocess

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.sandbox import SandboxConfig, running
from tests._stats import stock_iqm, stock_smartyads

pytestmark = pytest.mark.slow  # each test serves a sandbox over HTTP

ARGS = ["--from", "2026-03-01", "--to", "2026-03-07", "--by", "day,campaign,creative"]


@pytest.fixture
def smartyads(monkeypatch, tmp_path):
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))
    with running(SandboxConfig(platform="smartyads")) as server:
        stock_smartyads(server, campaigns=2, creatives_each=3, name="=cmd|' /C calc'!A0")
        for field, value in server.credentials.items():
            monkeypatch.setenv(f"BULKOPS_SMARTYADS_{field.upper()}", value)
        yield server


def test_report_writes_the_workbook_and_says_so(smartyads, tmp_path):
    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(cli, ["report", "-p", "smartyads", *ARGS, "--base-url", smartyads.base_url,
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "42 rows in 1 page, " in result.output and str(out) in result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Report", "By day"] and book["Summary"]._charts
    assert book["Report"]["C2"].quotePrefix  # the campaign's name stays text


def test_report_csv_and_json(smartyads, tmp_path):
    out = tmp_path / "report.csv"
    result = CliRunner().invoke(cli, ["report", "-p", "smartyads", *ARGS, "--base-url", smartyads.base_url,
                                      "-o", str(out), "--csv", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 42 and summary["pages"] == 1 and summary["disagreements"] == []
    assert summary["path"] == str(out) and len(out.read_text(encoding="utf-8").splitlines()) == 44


def test_rows_that_do_not_add_up_exit_1_with_a_warning(smartyads, tmp_path, monkeypatch):
    from bulkops.reporting import _job

    said = "Clicks: the rows add up to 1, the platform's total is 2"
    monkeypatch.setattr(_job, "disagreements", lambda stats: [said])
    result = CliRunner().invoke(cli, ["report", "-p", "smartyads", *ARGS, "--base-url", smartyads.base_url,
                                      "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 1
    assert f"warning: {said}" in result.output


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_and_resaves_the_iqm_report(monkeypatch, tmp_path):
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))
    out = tmp_path / "iqm.xlsx"
    with running(SandboxConfig(platform="iqm")) as server:
        stock_iqm(server, campaigns=2, creatives_each=2)
        for field, value in server.credentials.items():
            monkeypatch.setenv(f"BULKOPS_IQM_{field.upper()}", value)
        result = CliRunner().invoke(cli, ["report", "-p", "iqm", *ARGS, "--base-url", server.base_url,
                                          "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    resaved = tmp_path / "resaved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "xlsx", "--outdir", str(resaved), str(out)],
                   check=True, capture_output=True, timeout=240)
    book = openpyxl.load_workbook(resaved / "iqm.xlsx")
    assert book.sheetnames == ["Summary", "Report", "By day"]
    assert book["Report"].max_row == 2 * 2 * 7 + 2  # header, 28 rows, the totals row
    report = book["Report"]
    assert [report.cell(row=1, column=c).value for c in (1, 9, 10)] == ["Day", "Spend", "CTR"]
    assert report["A2"].is_date and "0.00" in report["I2"].number_format and "%" in report["J2"].number_format
    charts = book["Summary"]._charts
    assert len(charts) == 1 and len(charts[0].series) == 1 and len(charts[0]._charts) == 2  # bars and the line
