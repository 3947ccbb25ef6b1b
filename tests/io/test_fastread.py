"""The calamine fast path reads every workbook exactly as the openpyxl path does: the same frames
(values and their types), headers, widths and problems, or the same refusal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from bulkops._exceptions import InputError
from bulkops.io import _read, read_file
from bulkops.io._guard import DEFAULT_LIMITS, parse_errors
from bulkops.io._shape import add_shape_problems
from tests import _hostile as h
from tests.conftest import campaign

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted([*ROOT.glob("samples/*.xlsx"), *ROOT.glob("templates/*/*.xlsx")])


def _platform(path: Path) -> str:
    return "iqm" if "iqm" in (path.name + path.parent.name) else "smartyads"


def _slow(path: Path, platform: str) -> list:
    """The openpyxl path for every sheet, as the reader was before the fast path."""
    with parse_errors(path):
        sheets = _read._read_with_openpyxl(path, platform, DEFAULT_LIMITS, {})
        add_shape_problems(path, sheets)
    return sheets


def _typed(frame) -> list:
    """Each value with its type; repr, for nan == nan; a formula object by its text."""
    return [[(type(v).__name__, getattr(v, "text", None) or repr(v)) for v in row] for row in frame.itertuples()]


def _assert_same(path: Path, platform: str) -> None:
    try:
        expected = _slow(path, platform)
    except InputError as exc:
        with pytest.raises(InputError) as raised:
            read_file(path, platform)
        assert str(raised.value) == str(exc)
        return
    got = read_file(path, platform)
    assert [s.title for s in got] == [s.title for s in expected]
    for fast, slow in zip(got, expected, strict=True):
        assert _typed(fast.frame) == _typed(slow.frame), fast.title
        assert list(fast.frame.columns) == list(slow.frame.columns)
        assert list(fast.frame.index) == list(slow.frame.index)
        assert (fast.headers, fast.positions, fast.width) == (slow.headers, slow.positions, slow.width)
        assert (fast.output_columns, fast.previous_status) == (slow.output_columns, slow.previous_status)
        assert fast.problems == slow.problems


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_samples_and_templates_read_the_same_both_ways(path):
    _assert_same(path, _platform(path))


HOSTILE = [h.valid_xlsx, h.entity_bomb_in_sheet, h.external_entity_in_sheet, h.entity_bomb_in_workbook_part,
           h.corrupt_sheet_data, h.formula_without_cached_value, h.text_starting_with_equals, h.array_formula,
           h.merged_cells, h.unknown_header]


@pytest.mark.parametrize("build", HOSTILE, ids=lambda b: b.__name__)
def test_hostile_workbooks_read_or_fail_the_same_both_ways(tmp_path, build):
    _assert_same(build(tmp_path), "smartyads")


def test_cell_types_blank_rows_and_strays_read_the_same_both_ways(write_campaigns_xlsx):
    rows = [campaign(ref="a", dateStart=dt.datetime(2027, 3, 1), dateEnd=dt.date(2027, 3, 31), spentDailyLimit=5,
                     spentTotalLimit=5.5, isRewarded=True, userAgeMin=18.0),
            {}, {},
            campaign(ref="b", name="  padded  ", spentDailyLimit=0, dateStart=dt.datetime(2027, 3, 1, 9, 30)),
            campaign(ref="c", name="-minus", aDomain="+plus", spentDailyLimit=1e20)]
    path = write_campaigns_xlsx(rows)
    book = openpyxl.load_workbook(path)
    sheet = book["Campaigns"]
    sheet.cell(row=3, column=sheet.max_column + 2, value="stray")  # a value under no header
    sheet.cell(row=1, column=sheet.max_column + 3).number_format = "@"  # an empty styled cell
    sheet.cell(row=6, column=2, value="late row")
    book.save(path)
    _assert_same(path, "smartyads")


@pytest.mark.parametrize("quote", [True, False])
def test_text_starting_with_equals_reads_the_same_both_ways(write_campaigns_xlsx, quote):
    from bulkops.io import write_safe

    path = write_campaigns_xlsx([campaign(ref="a"), campaign(ref="b", name="x")])
    book = openpyxl.load_workbook(path)
    cell = book["Campaigns"].cell(row=3, column=2)
    if quote:
        write_safe(cell, "=Q1 push")
    else:
        cell.value, cell.data_type = "=Q1 push", "s"
    book.save(path)
    _assert_same(path, "smartyads")


@pytest.mark.parametrize("dimension", [True, False])
def test_write_only_workbooks_without_a_dimension_read_the_same_both_ways(tmp_path, dimension):
    path = tmp_path / "geo.xlsx"
    book = openpyxl.Workbook(write_only=not dimension)
    sheet = book.create_sheet("Geo ZIP") if not dimension else book.active
    sheet.title = "Geo ZIP"
    sheet.append(["Campaign", "ZIP", "Country", "Latitude", "Longitude", "Include", None, "#notes"])
    sheet.append(["7", "02134", "US", None, None, "include"])
    sheet.append([])
    sheet.append(["7", 2134, "US", 42.35, -71.13, "exclude", None, None, "beyond"])
    book.save(path)
    assert _fast(path) == {"Geo ZIP": True}
    _assert_same(path, "smartyads")


def _fast(path: Path) -> dict:
    from bulkops.io._fastread import plan_sheets

    chosen = plan_sheets(path, lambda title: title in ("Campaigns", "Geo ZIP"))
    return {} if chosen is None else {title: size is not None for title, size in chosen}


def test_the_fast_path_is_taken_for_plain_sheets_and_refused_for_formulas_errors_and_doctypes(tmp_path,
                                                                                             write_campaigns_xlsx):
    assert _fast(write_campaigns_xlsx([campaign()])) == {"Campaigns": True}
    (tmp_path / "f").mkdir()
    assert _fast(h.formula_without_cached_value(tmp_path / "f")) == {"Campaigns": False}
    (tmp_path / "e").mkdir()
    assert _fast(h.entity_bomb_in_workbook_part(tmp_path / "e")) == {}
    error = write_campaigns_xlsx([campaign()], name="error.xlsx")
    book = openpyxl.load_workbook(error)
    book["Campaigns"].cell(row=2, column=2).value = "#N/A"
    book["Campaigns"].cell(row=2, column=2).data_type = "e"
    book.save(error)
    assert _fast(error) == {"Campaigns": False}
    _assert_same(error, "smartyads")


def test_one_sheets_equals_text_sends_only_it_to_openpyxl_and_keeps_the_sheets_read_before(write_workbook,
                                                                                           monkeypatch):
    from bulkops.io import write_safe
    from bulkops.kinds import kind_named

    path = write_workbook({"campaigns": [campaign()], "geo-zip": [{"campaign": "c1", "zip": "02134", "iso2": "US"}],
                           "deals": [{"campaign": "c1", "dealId": "D1", "bidPrice": 2}],
                           "filter-lists": [{"ref": "safe", "title": "Safe", "type": "domain"}]})
    book = openpyxl.load_workbook(path)
    deals = book["Deals"]
    label = kind_named("smartyads", "deals").column("dealId").label
    column = next(c.column for c in deals[1] if c.value == label)
    write_safe(deals.cell(row=2, column=column), "=D1")  # quote-prefixed: text only openpyxl can tell apart
    book.save(path)
    _assert_same(path, "smartyads")  # every sheet, before and after Deals, as the openpyxl path reads it

    opened, built = [], []
    real_open, real_build = _read.open_book, _read._build
    monkeypatch.setattr(_read, "open_book", lambda p: opened.append(p) or real_open(p))
    monkeypatch.setattr(_read, "_build", lambda p, title, *rest: built.append(title) or real_build(p, title, *rest))
    sheets = {s.title: s for s in read_file(path, "smartyads")}
    assert len(opened) == 1  # calamine's book is handed to the fallback, not opened again
    assert sorted(built) == sorted(sheets) and len(built) == len(set(built))  # each sheet read once
    assert built.index("Deals") > built.index("Geo ZIP")  # the sheets before Deals were read already, and kept
    assert sheets["Deals"].frame["dealId"].tolist() == ["=D1"]
    assert sheets["Campaigns"].frame["ref"].tolist() == ["c1"]
    assert sheets["Filter Lists"].frame["title"].tolist() == ["Safe"]
