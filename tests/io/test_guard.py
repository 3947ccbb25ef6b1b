"""The reader's guards one by one (the CLI table in tests/test_hostile.py runs them end to end)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl.xml
import openpyxl.xml.functions
import pytest

from bulkops._exceptions import ConfigError, InputError
from bulkops.io import read_file
from bulkops.io._guard import DEFAULT_LIMITS, Limits, check_xlsx_container
from tests import _hostile as h


def test_defusedxml_is_what_openpyxl_parses_with():
    assert openpyxl.xml.DEFUSEDXML is True and openpyxl.xml.LXML is False
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")
    assert openpyxl.xml.functions.fromstring.__module__.startswith("defusedxml")


@pytest.mark.parametrize("build", [h.entity_bomb_in_sheet, h.external_entity_in_sheet, h.entity_bomb_in_workbook_part])
def test_entity_declarations_are_refused_before_expansion(tmp_path, build):
    with pytest.raises(InputError, match="declares entities"):
        read_file(build(tmp_path), "smartyads")


def test_entities_in_a_sheet_are_refused_while_its_rows_are_read(tmp_path, monkeypatch):
    """The sheet's rows are parsed lazily, outside load_workbook: the guard covers that parse too."""
    import openpyxl.worksheet._read_only as read_only

    monkeypatch.setattr(read_only.ReadOnlyWorksheet, "_get_size", lambda self: None)
    with pytest.raises(InputError, match=r"campaigns.xlsx / Campaigns: refused: its XML declares entities"):
        read_file(h.entity_bomb_in_sheet(tmp_path), "smartyads")


def test_a_part_that_lies_about_its_size_is_never_unpacked_past_it(tmp_path):
    path = h.sizes_that_lie(tmp_path)
    with zipfile.ZipFile(path) as archive:
        part = next(i for i in archive.infolist() if i.file_size == 200)
        with archive.open(part) as stream, pytest.raises(zipfile.BadZipFile, match="CRC"):
            stream.read()
    with pytest.raises(InputError, match="damaged"):
        read_file(path, "smartyads")


@pytest.mark.parametrize("limits,match", [
    (Limits(max_zip_entries=5), "parts inside the workbook"),
    (Limits(max_unzipped_bytes=1000), "unpacks to"),
    (Limits(max_compression_ratio=2.0), "zip bomb"),
])
def test_each_archive_bound_is_checked_on_the_directory(tmp_path, limits, match):
    path = h.valid_xlsx(tmp_path)
    check_xlsx_container(path, DEFAULT_LIMITS)
    with pytest.raises(InputError, match=match):
        check_xlsx_container(path, limits)


def test_file_size_bound(tmp_path: Path):
    with pytest.raises(InputError, match="over the 100-byte limit"):
        read_file(h.valid_xlsx(tmp_path), "smartyads", limits=Limits(max_file_bytes=100))


def test_row_cap_from_the_environment():
    assert Limits.from_env({}) is DEFAULT_LIMITS
    assert Limits.from_env({"BULKOPS_MAX_ROWS": "50_000"}).max_rows == 50_000
    with pytest.raises(ConfigError):
        Limits.from_env({"BULKOPS_MAX_ROWS": "0"})
