"""Formula cells: LibreOffice's constant TRUE()/FALSE() cells are read as their values on both
readers (and keep the fast path); every other formula is refused with its text and the value it shows.

The workbooks in tests/io/libreoffice/ were saved by LibreOffice Calc 7.4 (see make.py there,
which says how); the same XML shapes are also built here from openpyxl's files, since CI has no
LibreOffice."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from bulkops.io import _fastread, read_file
from bulkops.validation import validate_sheets
from tests.conftest import campaign
from tests.io.test_fastread import _assert_same, _fast, _slow

LIBREOFFICE = Path(__file__).resolve().parent / "libreoffice"
LO_TRUE = '<f aca="false">TRUE()</f><v>1</v>'  # what LibreOffice writes in a TRUE cell


def _part(path: Path, title: str) -> str:
    from bulkops.io._shape import sheet_parts

    with zipfile.ZipFile(path) as archive:
        return sheet_parts(archive)[title][0]


def _rewrite(path: Path, title: str, edit) -> Path:
    """The workbook with one sheet's XML changed by `edit` (bytes → bytes), every other part as it was."""
    part, target = _part(path, title), path.with_name("edited-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info, edit(data) if info.filename == part else data)
    return target


def libreoffice_booleans(path: Path, title: str, cell: str = '<f aca="false">{f}</f><v>{v}</v>') -> Path:
    """openpyxl's boolean cells (`<c r="F2" t="b"><v>1</v></c>`) rewritten the way LibreOffice writes
    them (`<c r="F2" s="0" t="b"><f aca="false">TRUE()</f><v>1</v></c>`), or in the shape `cell` gives."""
    def edit(data: bytes) -> bytes:
        def one(match: re.Match) -> bytes:
            value = match.group(2).decode()
            body = cell.format(f="TRUE()" if value == "1" else "FALSE()", v=value)
            return b'<c r="%s" s="0" t="b">%s</c>' % (match.group(1), body.encode())
        return re.sub(rb'<c r="([A-Z]+\d+)" t="b"><v>([01])</v></c>', one, data)
    return _rewrite(path, title, edit)


def _column_letter(path: Path, title: str, header: str) -> str:
    import openpyxl

    return next(c.column_letter for c in openpyxl.load_workbook(path)[title][1] if c.value == header)


def _values(path: Path) -> dict[str, dict[str, list]]:
    return {s.title: {name: s.frame[name].tolist() for name in s.frame.columns} for s in read_file(path, "smartyads")}


def _problems(path: Path) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.sheet, p.row, p.column, p.message) for v in validate_sheets(read_file(path, "smartyads"))
            for p in v.problems if p.is_error]


def test_a_workbook_saved_by_libreoffice_reads_its_booleans_on_the_fast_path():
    path = LIBREOFFICE / "booleans.xlsx"
    with zipfile.ZipFile(path) as archive:  # the fixture holds LibreOffice's booleans
        xml = archive.read(_part(path, "Geo ZIP")).decode()
    assert re.search(r'<c r="F2" s="\d+" t="b"><f aca="false">TRUE\(\)</f><v>1</v></c>', xml)
    assert re.search(r'<c r="F3" s="\d+" t="b"><f aca="false">FALSE\(\)</f><v>0</v></c>', xml)
    assert _fast(path) == {"Campaigns": True, "Geo ZIP": True}
    values = _values(path)
    assert values["Geo ZIP"]["include"] == [True, False, True]
    assert values["Campaigns"]["isTablet"] == [False, True]
    assert values["Campaigns"]["isSmartphone"] == [True, False]
    assert _problems(path) == []
    _assert_same(path, "smartyads")  # the openpyxl path reads the same values


def test_the_openpyxl_path_reads_libreoffice_booleans_as_their_values():
    [campaigns, zips] = _slow(LIBREOFFICE / "booleans.xlsx", "smartyads")
    assert zips.frame["include"].tolist() == [True, False, True]
    assert [type(v) for v in campaigns.frame["isTablet"]] == [bool, bool]


def test_libreoffice_booleans_built_without_libreoffice_keep_the_fast_path(write_workbook):
    path = write_workbook({"geo-zip": [{"campaign": "7", "zip": "02134", "iso2": "US", "include": True},
                                       {"campaign": "7", "zip": "10001", "iso2": "US", "include": False}]})
    shaped = libreoffice_booleans(path, "Geo ZIP")
    assert LO_TRUE.encode() in zipfile.ZipFile(shaped).read(_part(shaped, "Geo ZIP"))
    assert _fast(shaped) == {"Geo ZIP": True}
    assert _values(shaped)["Geo ZIP"]["include"] == [True, False]
    assert _problems(shaped) == []
    _assert_same(shaped, "smartyads")


@pytest.mark.parametrize(("cell", "fast"), [
    ("<f>{f}</f><v>{v}</v>", True),  # Excel's own spelling of a typed =TRUE()
    ('<f aca="false">{f}</f><v>{v}</v>', True),
    ("<f>{f}</f>\n<v>{v}</v>", False),  # another writer's spacing: openpyxl reads it, to the same values
    ("<f>{f} </f><v>{v}</v>", False),
])
def test_constant_formula_spellings(write_workbook, cell, fast):
    path = write_workbook({"geo-zip": [{"campaign": "7", "zip": "02134", "iso2": "US", "include": True},
                                       {"campaign": "7", "zip": "10001", "iso2": "US", "include": False}]})
    shaped = libreoffice_booleans(path, "Geo ZIP", cell)
    assert _fast(shaped) == {"Geo ZIP": fast}
    _assert_same(shaped, "smartyads")
    assert _values(shaped)["Geo ZIP"]["include"] == [True, False]


@pytest.mark.parametrize(("cell", "message"), [
    ("<f>TRUE()</f><v>0</v>", "is a formula (=TRUE()) showing FALSE"),  # a saved value that disagrees
    ("<f>TRUE()</f>", "is a formula (=TRUE()) with no saved value"),  # none saved
    ('<f aca="false">TRUE()</f><v></v>', "is a formula (=TRUE()) with no saved value"),
    ("<f>AND({f})</f><v>{v}</v>", "is a formula (=AND(TRUE())) showing TRUE"),  # not a constant
])
def test_a_constant_formula_whose_saved_value_disagrees_or_is_missing_is_refused(write_workbook, cell, message):
    path = write_workbook({"geo-zip": [{"campaign": "7", "zip": "02134", "iso2": "US", "include": True}]})
    shaped = libreoffice_booleans(path, "Geo ZIP", cell)
    assert _fast(shaped) == {"Geo ZIP": False}
    _assert_same(shaped, "smartyads")
    [problem] = _problems(shaped)
    assert problem[:3] == ("Geo ZIP", 2, "Include")
    assert problem[3].startswith(message + "; bulkops never sends formulas: type the value itself")


def test_a_constant_formula_in_a_number_cell_is_refused(write_workbook):
    path = write_workbook({"geo-zip": [{"campaign": "7", "zip": "02134", "iso2": "US", "include": True}]})
    shaped = _rewrite(path, "Geo ZIP", lambda data: re.sub(rb'<c r="F2" t="b"><v>1</v></c>',
                                                           b'<c r="F2" t="n"><f>TRUE()</f><v>1</v></c>', data))
    assert _fast(shaped) == {"Geo ZIP": False}
    [problem] = _problems(shaped)
    assert problem[3].startswith("is a formula (=TRUE()) showing 1;")


def test_libreoffice_formulas_are_refused_with_their_text_and_the_value_they_show():
    path = LIBREOFFICE / "formulas.xlsx"
    assert _fast(path) == {"Campaigns": False}
    _assert_same(path, "smartyads")
    problems = {column: message for _, row, column, message in _problems(path)}
    assert problems == {
        "Daily Spend Limit": "is a formula (=AS2*2) showing 300; bulkops never sends formulas: type the value "
                             "itself (integer expected)",
        "Tablet": "is a formula (=1=1) showing TRUE; bulkops never sends formulas: type the value itself "
                  "(true/false expected)",
    }
    # The LibreOffice booleans of the same row are read, not refused.
    [sheet] = read_file(path, "smartyads")
    assert sheet.frame["isSmartphone"].tolist() == [True]


def test_an_array_formula_and_text_starting_with_equals_keep_their_messages(tmp_path):
    from tests import _hostile as h

    [array] = _problems(h.array_formula(tmp_path))
    assert array[3].startswith('is a formula ({=UPPER("x")}) with no saved value')
    (tmp_path / "t").mkdir()
    [text] = _problems(h.text_starting_with_equals(tmp_path / "t"))
    assert text[3].startswith("looks like a formula (it starts with '=')")


def test_boolean_cells_cut_by_a_chunk_boundary_are_counted_once(write_workbook, monkeypatch):
    rows = [{"campaign": "7", "zip": f"{n:05d}", "iso2": "US", "include": n % 2 == 0} for n in range(1, 400)]
    shaped = libreoffice_booleans(write_workbook({"geo-zip": rows}), "Geo ZIP")
    for chunk in (97, 128, 1000, 4093):  # boundaries fall everywhere in and between the cells
        monkeypatch.setattr(_fastread, "_CHUNK", chunk)
        assert _fast(shaped) == {"Geo ZIP": True}, chunk
    # One formula that is not a constant, anywhere in the part, still sends the sheet to openpyxl.
    other = _rewrite(shaped, "Geo ZIP", lambda data: data.replace(b'<f aca="false">TRUE()</f><v>1</v></c>',
                                                                  b'<f aca="false">NOW()</f><v>1</v></c>', 1))
    for chunk in (97, 1000):
        monkeypatch.setattr(_fastread, "_CHUNK", chunk)
        assert _fast(other) == {"Geo ZIP": False}, chunk


def test_an_openpyxl_formula_among_libreoffice_booleans_reads_each_cell_from_its_own_row(write_workbook):
    """The openpyxl path reads saved values from a second pass over the sheet, moved along to each
    row holding a formula: rows far apart get their own values."""
    rows = [campaign(ref=f"c{n}", name=f"C{n}", isTablet=n % 3 == 0) for n in range(1, 40)]
    path = libreoffice_booleans(write_workbook({"campaigns": rows}), "Campaigns")

    name = _column_letter(path, "Campaigns", "Name").encode()

    def one_formula(data: bytes) -> bytes:  # row 30's Name: a formula LibreOffice calculated
        return re.sub(rb'(<c r="%s30")[^>]*>.*?</c>' % name, rb'\1 t="str"><f>"C"&amp;29</f><v>C29</v></c>', data,
                      count=1)
    shaped = _rewrite(path, "Campaigns", one_formula)
    assert _fast(shaped) == {"Campaigns": False}
    [sheet] = read_file(shaped, "smartyads")
    assert sheet.frame["isTablet"].tolist() == [n % 3 == 0 for n in range(1, 40)]
    assert _problems(shaped) == [("Campaigns", 30, "Name", "is a formula (=\"C\"&29) showing 'C29'; bulkops never "
                                  "sends formulas: type the value itself (text expected)")]


def test_a_formula_showing_an_error_value_says_so(write_workbook):
    """calamine gives an error value as blank: that row's saved values come from openpyxl instead."""
    rows = [campaign(ref=f"c{n}", name=f"C{n}", spentDailyLimit=n) for n in range(1, 6)]
    path = write_workbook({"campaigns": rows})
    limit = _column_letter(path, "Campaigns", "Daily Spend Limit").encode()

    def formulas(data: bytes) -> bytes:
        data = re.sub(rb'<c r="%s3"[^>]*>.*?</c>' % limit, rb'<c r="%s3" t="e"><f>1/0</f><v>#DIV/0!</v></c>' % limit,
                      data, count=1)
        return re.sub(rb'<c r="%s5"[^>]*>.*?</c>' % limit, rb'<c r="%s5"><f>2*2</f><v>4</v></c>' % limit, data,
                      count=1)
    shaped = _rewrite(path, "Campaigns", formulas)
    assert [(row, message.split(";")[0]) for _, row, _, message in _problems(shaped)] == [
        (3, "is a formula (=1/0) showing #DIV/0!"), (5, "is a formula (=2*2) showing 4")]


def test_a_workbook_with_a_doctype_anywhere_gets_its_saved_values_from_openpyxl_alone(tmp_path, monkeypatch):
    """A part declaring a DOCTYPE (here one openpyxl never opens) keeps calamine away from the whole
    workbook, the saved values of its formulas included."""
    from bulkops.io import _saved

    path = tmp_path / "formulas.xlsx"
    with zipfile.ZipFile(LIBREOFFICE / "formulas.xlsx") as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        out.writestr("customXml/item1.xml", b'<?xml version="1.0"?>\n<!DOCTYPE x []>\n<x/>')
    monkeypatch.setattr(_saved, "open_book", lambda p: pytest.fail("calamine opened the workbook"))
    assert _fast(path) == {}
    problems = {column: message.split(";")[0] for _, _, column, message in _problems(path)}
    assert problems == {"Daily Spend Limit": "is a formula (=AS2*2) showing 300",
                        "Tablet": "is a formula (=1=1) showing TRUE"}
