"""Every hostile or broken input of docs/hostile-input.md's table, through the CLI: `push` exits 2, the
message names the file (and sheet, row, column where there is one), and the sandbox it would push to hears nothing.

A second table holds the inputs bulkops reads correctly instead (with a warning where the buyer
should look): CSV encodings and separators, hidden rows, blank rows between data.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.io import write_filled
from bulkops.sandbox import SandboxConfig, SandboxServer, running
from tests import _hostile as h
from tests.conftest import ACCOUNT, campaign

pytestmark = pytest.mark.slow

CSV_HEADER = b"Ref,Name,Type,Advertiser Domain,Date Start,Date End\r\n"
CSV_ROW = b"c1,One,banner,example.com,2027-03-01,2027-03-31\r\n"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with running(SandboxConfig()) as server:
        yield server


@pytest.fixture
def push(sandbox, monkeypatch, tmp_path) -> Callable[..., tuple[int, str]]:
    """Push one file to the module's sandbox with working credentials; assert nothing reached it."""
    for key, value in ACCOUNT.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))

    def run(path: Path, *extra: str) -> tuple[int, str]:
        sandbox.sandbox.reset_request_log()
        result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", sandbox.base_url,
                                          "--quiet", "-o", str(tmp_path / "out" / "results.xlsx"), *extra])
        assert sandbox.sandbox.request_log == [], "nothing may be sent for invalid input"
        return result.exit_code, result.output

    return run


def _csv(data: bytes, name: str = "campaigns.csv") -> Callable[[Path], Path]:
    return lambda folder: h.csv_bytes(folder, data, name)


# (builder, what the message must say besides the file name)
REFUSED: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "empty file": (_csv(b""), ["the file is empty"]),
    "text named .xlsx": (h.text_named_xlsx, ["it is text: a CSV named .xlsx?"]),
    "old .xls or encrypted .xlsx": (h.ole_named_xlsx, ["old .xls workbook", "password"]),
    "a .docx named .xlsx": (h.docx_named_xlsx, ["not an Excel workbook"]),
    "an .xlsx named .csv": (lambda f: h.csv_bytes(f, h.valid_xlsx(f, "x.xlsx").read_bytes()),
                            ["not a CSV file", "an .xlsx workbook named .csv"]),
    "a PDF named .csv": (_csv(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), ["not a CSV file", "PDF"]),
    "a PNG named .csv": (_csv(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), ["binary data"]),
    "truncated xlsx": (h.truncated_xlsx, ["truncated or damaged"]),
    "corrupt sheet data": (h.corrupt_sheet_data, ["damaged", "save it again"]),
    "sizes that lie": (h.sizes_that_lie, ["damaged", "save it again"]),
    "declared size over the limit": (h.declared_size_over_the_limit, ["unpacks to", "over the"]),
    "zip bomb (compression ratio)": (h.zip_bomb, ["docProps/app.xml", "zip bomb"]),
    "too many parts": (h.too_many_parts, ["10,0", "parts inside the workbook"]),
    "encrypted part": (h.encrypted_part, ["encrypted"]),
    "entity bomb in a sheet": (h.entity_bomb_in_sheet, ["declares entities", "XML bomb"]),
    "external entity in a sheet": (h.external_entity_in_sheet, ["declares entities"]),
    "entity bomb in the workbook part": (h.entity_bomb_in_workbook_part, ["declares entities"]),
    "formula without a cached value": (h.formula_without_cached_value,
                                       ["Campaigns / row 3 / Name", "formula"]),
    "array formula": (h.array_formula, ["Campaigns / row 2 / Name", "formula"]),
    "formula showing a value (LibreOffice)": (h.formula_showing_a_value, [
        "Campaigns / row 2 / Daily Spend Limit: is a formula (=AS2*2) showing 300; bulkops never sends formulas"]),
    "a copied sheet (Excel's name for a copy)": (h.copied_sheet, [
        "campaigns.xlsx / Campaigns (2): sheet 'Campaigns (2)' is not read: did you mean 'Campaigns'?"]),
    "a sheet whose header row is a kind's columns": (h.sheet_of_a_kinds_columns, [
        "sheet 'Sheet1' is not read: its columns (ZIP, Country, Campaign, Include) are those of 'Geo ZIP'"]),
    "a plain text cell starting with '='": (h.text_starting_with_equals,
                                             ["Campaigns / row 4 / Advertiser Domain", "starts with '='",
                                              "apostrophe"]),
    "formula in a CSV": (_csv(CSV_HEADER + b'c1,"=HYPERLINK(""http://x"")",banner,example.com,,\r\n'),
                         ["Campaigns / row 2 / Name", "formula"]),
    "merged cells": (h.merged_cells, ["Campaigns / row 2 / Type", "Campaigns / row 3 / Type", "are merged"]),
    "header that matches nothing": (h.unknown_header, ["Campaigns / row 1 / Nmae", "did you mean 'Name'?"]),
    "values under no header": (_csv(b"Ref,Name,Type,Advertiser Domain,,\r\nc1,One,banner,example.com,,oops\r\n"),
                               ["Campaigns / row 1 / column F", "no header", "row 2"]),
    "header not in row 1": (_csv(b",,,\r\n" + CSV_HEADER + CSV_ROW), ["Campaigns / row 1", "row 1 is blank"]),
    "csv neither UTF-8 nor cp1252": (_csv(CSV_HEADER + CSV_ROW + b"c2,Caf\x81,banner,x.com,,\r\n"),
                                     ["line 3", "byte 0x81", "CSV UTF-8"]),
    "csv quote left open": (_csv(CSV_HEADER + CSV_ROW + b'c2,"Two,banner,x.com,,\r\nc3,Three,banner,,,\r\n'),
                            ["line", "CSV UTF-8"]),
    "csv NUL past the sample": (_csv(CSV_HEADER + CSV_ROW * 300 + b"c9,N\x00L,banner,,,\r\n"), ["line 302", "NUL"]),
    "csv field past the csv module's limit": (_csv(CSV_HEADER + b'c1,"' + b"x" * 140_000 + b'",banner,,,\r\n'),
                                              ["line", "field larger than field limit"]),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_hostile_input_exits_2_names_the_place_and_sends_nothing(push, tmp_path, case):
    build, expected = REFUSED[case]
    (tmp_path / "in").mkdir()
    path = build(tmp_path / "in")
    code, output = push(path)
    assert code == 2, output
    assert path.name in output
    for text in expected:
        assert text in output, (text, output)
    assert "Traceback" not in output


def test_more_rows_than_the_cap_is_refused_and_the_cap_is_configurable(push, tmp_path, monkeypatch):
    path = h.valid_xlsx(tmp_path, rows=[campaign(ref=f"c{n}", name=f"C{n}") for n in range(4)])
    monkeypatch.setenv("BULKOPS_MAX_ROWS", "3")
    code, output = push(path)
    assert code == 2 and "campaigns.xlsx / Campaigns: more than 3 rows" in output and "BULKOPS_MAX_ROWS" in output
    monkeypatch.setenv("BULKOPS_MAX_ROWS", "lots")
    code, output = push(path)
    assert code == 3 and "BULKOPS_MAX_ROWS" in output


def _validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", str(path), "-p", "smartyads"])
    return result.exit_code, result.output


CAFE = "Ref,Name,Type,Advertiser Domain\r\nc1,Café Crème,banner,example.com\r\n"


@pytest.mark.parametrize("encoding,separator", [
    ("utf-8-sig", ","), ("utf-16", ","), ("utf-16-le", "\t"), ("utf-16-be", ";"), ("utf-32", ","),
    ("cp1252", ";"), ("utf-8", "\t"),
])
def test_csv_encodings_and_separators_are_read_correctly(tmp_path, encoding, separator):
    from bulkops.io import read_file

    path = tmp_path / "campaigns.csv"
    path.write_bytes(CAFE.replace(",", separator).encode(encoding))
    if encoding == "utf-16-le":  # Excel's "Unicode text" carries a BOM; a script's may not
        assert not path.read_bytes().startswith(codecs.BOM_UTF16_LE)
    [sheet] = read_file(path, "smartyads")
    assert sheet.frame.loc[2, "name"] == "Café Crème" and sheet.frame.loc[2, "aDomain"] == "example.com"
    assert _validate(path)[0] == 0


def test_blank_rows_between_data_lose_no_row_after_them(tmp_path):
    rows = [campaign(), {}, {}, campaign(ref="c2", name="Two"), {}, campaign(ref="c3", name="Three", type="billboard")]
    code, output = _validate(h.valid_xlsx(tmp_path, rows=rows))
    assert code == 2 and "campaigns.xlsx / Campaigns / row 7 / Type: 'billboard' not allowed" in output


def test_hidden_rows_columns_and_sheets_are_read_with_a_warning(env, tmp_path, sandbox):
    path = h.valid_xlsx(tmp_path, rows=[campaign(), campaign(ref="c2", name="Two")])
    book = openpyxl.load_workbook(path)
    sheet = book["Campaigns"]
    sheet.row_dimensions[3].hidden = True
    letter = next(c.column_letter for c in sheet[1] if c.value == "Advertiser Domain")
    sheet.column_dimensions[letter].hidden = True
    book.active = book.index(book["Instructions"])  # the active sheet cannot be the hidden one
    sheet.sheet_state = "hidden"
    book.save(path)
    code, output = _validate(path)
    assert code == 0, output
    assert "campaigns.xlsx / Campaigns / row 3: warning: this row is hidden in Excel" in output
    assert "campaigns.xlsx / Campaigns / row 1 / Advertiser Domain: warning: this column is hidden" in output
    assert "campaigns.xlsx / Campaigns: warning: this sheet is hidden in Excel" in output
    result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", sandbox.base_url,
                                      "--quiet", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    assert {"Campaign One", "Two"} <= {c["name"] for c in sandbox.sandbox.campaigns()}


@pytest.mark.parametrize("where", ["../outside.png", "{abs}", "media/link.png"])
def test_media_outside_the_workbooks_folder_is_refused_unless_allowed(tmp_path, monkeypatch, where):
    from tests._media import png
    from tests.platforms.smartyads.kinds.test_creatives import creative

    outside = tmp_path / "outside.png"
    outside.write_bytes(png(300, 250))
    job = tmp_path / "job"
    (job / "media").mkdir(parents=True)
    (job / "media" / "link.png").symlink_to(outside)  # a link inside that points out is outside too
    text = where.format(abs=outside)
    path = write_filled(job / "creatives.xlsx", "smartyads", {"creatives": [creative(mediaFile=text)]})
    monkeypatch.delenv("BULKOPS_MEDIA_ANYWHERE", raising=False)
    code, output = _validate(path)
    assert code == 2 and "creatives.xlsx / Creatives / row 2 / Media File" in output
    assert "outside the workbook's folder" in output and "BULKOPS_MEDIA_ANYWHERE" in output
    monkeypatch.setenv("BULKOPS_MEDIA_ANYWHERE", "1")
    assert _validate(path) == (0, "1 rows checked: no problems.\n")
