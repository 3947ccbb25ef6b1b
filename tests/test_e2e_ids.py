"""An ID is a whole number from 1 to 9223372036854775807 (the largest the journal keeps), in an ID
column and in a parent cell alike: a larger one, as a CSV spells it or as Excel stores it (1E+20),
is refused as a cell, through the CLI, with nothing sent and no traceback; a row naming an invalid
row's Ref is not sent to the number in that row's ID cell."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.io import write_filled
from bulkops.sandbox import SandboxConfig, SandboxServer, running
from tests.conftest import ACCOUNT, campaign
from tests.test_e2e_iqm import IQM_ACCOUNT

pytestmark = pytest.mark.slow

HUGE = "99999999999999999999"
LIMIT = "9223372036854775807"


@pytest.fixture(scope="module")
def sandboxes() -> Iterator[dict[str, SandboxServer]]:
    with running(SandboxConfig()) as smartyads, running(SandboxConfig(platform="iqm")) as iqm:
        yield {"smartyads": smartyads, "iqm": iqm}


@pytest.fixture
def push(sandboxes, monkeypatch, tmp_path) -> Callable[..., tuple[int, str, Path]]:
    for key, value in {**ACCOUNT, **IQM_ACCOUNT}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))

    def run(paths: list[Path], platform: str = "smartyads", *extra: str) -> tuple[int, str, Path]:
        server = sandboxes[platform]
        server.sandbox.reset_request_log()
        out = tmp_path / "results.xlsx"
        result = CliRunner().invoke(cli, ["push", *map(str, paths), "-p", platform, "--base-url", server.base_url,
                                          "--quiet", "-o", str(out), *extra])
        assert isinstance(result.exception, SystemExit), result.exception  # no traceback
        assert [r.path for r in server.sandbox.request_log] == [], "nothing may be sent"
        return result.exit_code, result.output, out

    return run


def text(path: Path, content: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(content.encode(encoding))
    return path


# (files to write, platform, what the message says)
CASES: dict[str, tuple[Callable[[Path], list[Path]], str, str]] = {
    "ID in a CSV": (lambda d: [text(d / "campaigns.csv", "Ref,ID,Name,Type,Advertiser Domain\r\n"
                                    f"c1,{HUGE},Big,banner,shop.example.com\r\n")], "smartyads",
                    f"campaigns.csv / Campaigns / row 2 / ID: '{HUGE}' is above the maximum of {LIMIT}"),
    "ID one past the limit, in a European CSV": (
        lambda d: [text(d / "campaigns.csv", "Ref;ID;Name;Type;Advertiser Domain\r\n"
                        f"c1;{int(LIMIT) + 1};Café;banner;shop.example.com\r\n", "cp1252")], "smartyads",
        f"ID: '{int(LIMIT) + 1}' is above the maximum of {LIMIT}"),
    "ID as Excel stores a number typed that long (1E+20)": (
        lambda d: [write_filled(d / "campaigns.xlsx", "smartyads", {"campaigns": [campaign(id=1e20)]})],
        "smartyads", f"is above the maximum of {LIMIT}"),
    "ID column of a script's IQM CSV": (
        lambda d: [text(d / "campaigns.csv", f"id,campaignName\r\n{HUGE},North\r\n")], "iqm",
        f"campaigns.csv / Campaigns / row 2 / id: '{HUGE}' is above the maximum of {LIMIT}"),
    "Campaign cell of Geo ZIP": (
        lambda d: [text(d / "geo-zip.csv", f"Campaign,ZIP,Country\r\n{HUGE},02134,US\r\n")], "smartyads",
        f"Geo ZIP / row 2 / Campaign: '{HUGE}' is not the Ref of a campaigns row in this job, and too large to be "
        f"an ID (at most {LIMIT})"),
    "Campaigns cell of a creative, among other IDs": (
        lambda d: [text(d / "creatives.csv", "Ref,Name,Format,Bid Price,Categories,Campaigns,Tag,Width,Height\r\n"
                        f'k,Tag,banner-tag,1.5,IAB1,"12, {HUGE}",<div>x</div>,300,250\r\n')], "smartyads",
        f"Creatives / row 2 / Campaigns: '{HUGE}' is not the Ref of a campaigns row in this job, and too large"),
    "Filter List cell, thousands of digits long": (
        lambda d: [text(d / "filter-list-items.csv", f"Filter List,Item\r\n{'9' * 5000},example.com\r\n")],
        "smartyads", "Filter List: '99999999999999999999…' is not the Ref of a filter-lists row in this job, and "
                     f"too large to be an ID (at most {LIMIT})"),
    "campaign cell of IQM's Geo ZIP": (
        lambda d: [text(d / "geo-zip.csv", f"campaign,zip\r\n{HUGE},02134\r\n")], "iqm",
        f"campaign: '{HUGE}' is not the Ref of a campaigns row in this job, and too large to be an ID"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_id_too_large_for_any_platform_is_refused_as_a_cell(push, tmp_path, case):
    build, platform, expected = CASES[case]
    code, output, _ = push(build(tmp_path), platform)
    assert code == 2, output
    assert expected in output, output


def test_a_row_naming_an_invalid_rows_ref_is_not_sent_to_the_number_in_its_id_cell(push, tmp_path):
    campaigns = text(tmp_path / "campaigns.csv", "Ref,ID,Name,Type,Advertiser Domain\r\n"
                                                 f"c1,{HUGE},Big,banner,shop.example.com\r\n")
    zips = text(tmp_path / "geo-zip.csv", "Campaign,ZIP,Country\r\nc1,02134,US\r\n")
    code, output, out = push([campaigns, zips], "smartyads", "--skip-invalid")
    assert code == 2 and "Campaigns: 1 invalid" in output and "Geo ZIP: 1 skipped" in output, output
    sheet = openpyxl.load_workbook(out)["Geo ZIP"]
    assert [c.value for c in sheet[2]][-2:] == ["skipped", "not sent: its campaign (row 2) is invalid"]


def test_export_refuses_a_campaign_id_too_large_for_any_platform(sandboxes, monkeypatch, tmp_path):
    for key, value in ACCOUNT.items():
        monkeypatch.setenv(key, value)
    server = sandboxes["smartyads"]
    server.sandbox.reset_request_log()
    result = CliRunner().invoke(cli, ["export", "-p", "smartyads", "--base-url", server.base_url, "--campaigns",
                                      f"12,{HUGE}", "-o", str(tmp_path / "state.xlsx")])
    assert result.exit_code == 3 and isinstance(result.exception, SystemExit), result.output
    assert f"--campaigns takes campaign IDs (at most {LIMIT}) separated by commas, not '{HUGE}'" in result.output
    assert server.sandbox.request_log == []
