"""The ID column a sheet lacks is added to its results (after Ref, else first), in both writers, with
everything right of it moved: the oracle is the same template that still has its ID column, whose
results must be the same workbook cell for cell, note for note, dropdown for dropdown."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import FilterColumn, Filters
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table

from bulkops.io import ResultRow, _results, read_file, write_template
from bulkops.io._results import RunFacts, openpyxl_results, write_results
from bulkops.kinds import Kind, Role, kind_named, kinds_for
from tests.conftest import campaign
from tests.io._compare import differences, links, notes, validations

pytestmark = pytest.mark.slow

STATUSES = ["created", "failed", "unchanged", "invalid", "unknown", "deleted"]


def facts() -> RunFacts:
    return RunFacts(platform="smartyads", base_url="http://127.0.0.1:1", started_at="2027-01-01T00:00:00+00:00")


@pytest.fixture
def no_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("took the openpyxl path")

    monkeypatch.setattr(_results, "openpyxl_results", refuse)


def without_id(kind: Kind) -> Kind:
    """The kind as a sheet shows it after its ID column was deleted."""
    return dataclasses.replace(kind, columns=tuple(c for c in kind.columns if c.role is not Role.ID))


def filled(path: Path, kind: Kind, rows: Sequence[dict[str, object]],
           decorate: Callable[..., None] = lambda sheet, column: None) -> Path:
    """A template of `kind` with rows written by field, then `decorate(sheet, column_of)` adds what a
    buyer adds (formats, filters, names...) by field, wherever that field's column is."""
    write_template([kind], path)
    book = openpyxl.load_workbook(path)
    sheet = book[kind.sheet]
    column_of = {c.field: n for n, c in enumerate(kind.columns, start=1)}
    column_of["#note"] = len(kind.columns) + 1
    sheet.cell(1, column_of["#note"], "# my notes")
    for number, row in enumerate(rows, start=2):
        for field_name, value in row.items():
            if field_name in column_of:
                sheet.cell(number, column_of[field_name], value)
    decorate(sheet, column_of)
    book.save(path)
    return path


def outcomes_for(rows: int, index: int = 0) -> dict:
    return {(index, row): ResultRow(STATUSES[n % len(STATUSES)], f"m{n}" if n % 2 else "",
                                     None if STATUSES[n % len(STATUSES)] == "invalid" else 500 + n)
            for n, row in enumerate(range(2, 2 + rows))}


def written(path: Path, done: dict, out: Path, *, quick: bool) -> Path:
    sheets = read_file(path, _platform(path))
    if quick:
        return write_results(sheets, done, facts(), out)
    return openpyxl_results(sheets, done, facts(), out)


def _platform(path: Path) -> str:
    return "iqm" if "iqm" in path.name else "smartyads"


def same_results(without: Path, full: Path, done: dict, tmp_path: Path, *, sheets: Sequence[str]) -> None:
    """Both writers give the ID-less sheet the results of the same sheet with its ID column, and the
    two writers agree."""
    for quick in (True, False):
        a = written(without, done, tmp_path / f"a-{quick}.xlsx", quick=quick)
        b = written(full, done, tmp_path / f"b-{quick}.xlsx", quick=quick)
        assert differences(a, b, only=sheets) == [], "quick" if quick else "openpyxl"
    assert differences(tmp_path / "a-True.xlsx", tmp_path / "a-False.xlsx") == []


# The column right of the campaigns' last one, where `decorated` writes (AS and AR with 44 columns).
NOTE = get_column_letter(len(kind_named("smartyads", "campaigns").columns) + 1)
NOTE_WITHOUT_ID = get_column_letter(len(kind_named("smartyads", "campaigns").columns))
ROWS = [campaign(ref=f"c{i}", name=f"Campaign {i}", dateStart=dt.date(2027, 3, 1)) for i in range(12)]


def decorated(sheet, column: dict[str, int]) -> None:
    """What people do to a sheet: hide a column, freeze panes, colour by rule, filter, link, name."""
    name, kind, last, note = (get_column_letter(column[f]) for f in ("name", "type", "aDomain", "#note"))
    right = get_column_letter(column["#note"] + 1)
    sheet.column_dimensions[get_column_letter(column["OS"])].hidden = True
    sheet.column_dimensions[note].width = 33
    sheet.freeze_panes = f"{get_column_letter(column['name'] + 1)}2"
    sheet.conditional_formatting.add(f"{name}2:{name}40", FormulaRule(formula=[f"LEN({name}2)>20"],
                                                                     fill=PatternFill("solid", fgColor="FFC7CE")))
    sheet.auto_filter.ref = f"A1:{note}40"
    sheet.auto_filter.filterColumn.append(FilterColumn(colId=column["type"] - 1, filters=Filters(filter=["banner"])))
    sheet[f"{note}3"].hyperlink = Hyperlink(ref="", location=f"'{sheet.title}'!{name}2")
    sheet[f"{note}3"].value = "see the first name"
    sheet.merge_cells(f"{note}30:{right}31")
    sheet.merge_cells(f"A35:{name}36")  # over the new column: it grows
    sheet.conditional_formatting.add(f"A2:{name}40", FormulaRule(formula=[f'AND($A2="",{name}2<>"")'],
                                                                 fill=PatternFill("solid", fgColor="FFEB9C")))
    across = DataValidation(type="textLength", operator="lessThan", formula1="200")
    across.add(f"A2:{name}40")
    sheet.add_data_validation(across)
    sheet[f"{note}4"].comment = Comment("a note of the buyer's own", "buyer")
    sheet.parent.defined_names["my_names"] = DefinedName("my_names", attr_text=f"'{sheet.title}'!${name}$2:${name}$40")
    sheet.print_area = f"A1:{last}40"
    sheet[f"{note}5"] = f"=LEN({name}2)&\" chars in \"&$A$2"  # a buyer's own formula beside the data
    others = sheet.parent.create_sheet("Counts")
    others["A1"] = f"=COUNTA('{sheet.title}'!{kind}:{kind})"
    others["A2"] = f"=SUM('{sheet.title}'!{name}2:{name}9)+1"


def test_a_template_whose_id_column_was_deleted_gets_it_back_with_everything_moved(tmp_path):
    campaigns = kind_named("smartyads", "campaigns")
    without = filled(tmp_path / "without.xlsx", without_id(campaigns), ROWS, decorated)
    full = filled(tmp_path / "full.xlsx", campaigns, ROWS, decorated)
    # The oracle is right only if the two inputs differ by exactly the ID column.
    before = openpyxl.load_workbook(without)["Campaigns"]
    assert [c.value for c in before[1]][:3] == ["Ref", "Action", "Name"] and notes(before)[1][0] == "B1"
    same_results(without, full, outcomes_for(len(ROWS)), tmp_path, sheets=["Summary", "Campaigns", "Counts"])
    after = openpyxl.load_workbook(tmp_path / "a-True.xlsx")
    sheet = after["Campaigns"]
    assert [c.value for c in sheet[1]][:4] == ["Ref", "ID", "Action", "Name"]
    assert sheet["B1"].comment.text == campaigns.column("id").header_note()
    assert [sheet.cell(row, 2).value for row in range(2, 8)] == [500, 501, 502, None, 504, 505]
    assert sheet.freeze_panes == "E2" and sheet.column_dimensions["B"].width == 12
    assert after["Counts"]["A1"].value == "=COUNTA('Campaigns'!E:E)"  # Type: D before, E now
    assert sheet[f"{NOTE}5"].value == '=LEN(D2)&" chars in "&$A$2'  # its own formula: Name moved, Ref did not
    assert after.defined_names["my_names"].attr_text == "'Campaigns'!$D$2:$D$40"  # Name: C before
    assert not any(ref.startswith("D2:") for ref, _ in validations(sheet))  # Name has no dropdown
    assert any(ref.startswith("E2:") for ref, _ in validations(sheet))  # Type's moved with it


def as_table(sheet, column: dict[str, int]) -> None:
    """The data formatted as an Excel table (Insert > Table), header row included."""
    sheet.add_table(Table(displayName="Buys", ref=f"A1:{get_column_letter(column['#note'])}{len(ROWS) + 1}"))


def with_calc_chain(path: Path, target: Path) -> Path:
    """The workbook as Excel saves it: with the calculation chain that names each formula cell."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdCalc" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
                                    b"</Relationships>")
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.'
                                    b'openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
            out.writestr(info, data)
        out.writestr("xl/calcChain.xml", b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns='
                     b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="' + NOTE_WITHOUT_ID.encode() +
                     b'5" i="2"/></calcChain>')
    return target


def test_a_calculation_chain_naming_moved_formulas_is_left_for_excel_to_make_again(tmp_path, no_fallback):
    campaigns = kind_named("smartyads", "campaigns")
    source = filled(tmp_path / "source.xlsx", without_id(campaigns), ROWS, decorated)
    path = with_calc_chain(source, tmp_path / "excel.xlsx")
    out = write_results(read_file(path, "smartyads"), outcomes_for(len(ROWS)), facts(), tmp_path / "r.xlsx")
    with zipfile.ZipFile(out) as archive:
        assert "xl/calcChain.xml" not in archive.namelist()
        assert b"calcChain" not in archive.read("[Content_Types].xml") + archive.read("xl/_rels/workbook.xml.rels")
    assert openpyxl.load_workbook(out)["Campaigns"][f"{NOTE}5"].value.startswith("=LEN(D2)")


def test_a_table_over_the_data_gains_the_id_column(tmp_path, no_fallback):
    campaigns = kind_named("smartyads", "campaigns")
    without = filled(tmp_path / "without.xlsx", without_id(campaigns), ROWS, as_table)
    full = filled(tmp_path / "full.xlsx", campaigns, ROWS, as_table)
    same_results(without, full, outcomes_for(len(ROWS)), tmp_path, sheets=["Summary", "Campaigns"])
    table = openpyxl.load_workbook(tmp_path / "a-True.xlsx")["Campaigns"].tables["Buys"]
    assert table.ref == f"A1:{NOTE}13" and [c.name for c in table.tableColumns][:3] == ["Ref", "ID", "Action"]


def test_the_quick_writer_moves_the_template_itself(tmp_path, no_fallback):
    campaigns = kind_named("smartyads", "campaigns")
    without = filled(tmp_path / "without.xlsx", without_id(campaigns), ROWS, decorated)
    quick = write_results(read_file(without, "smartyads"), outcomes_for(len(ROWS)), facts(), tmp_path / "q.xlsx")
    with zipfile.ZipFile(quick) as archive:
        names = archive.namelist()
    assert openpyxl.load_workbook(quick)["Campaigns"]["B1"].value == "ID"
    assert any(n.endswith(".vml") for n in names)


ENTITY_KINDS = [(kind.platform, kind.name) for platform in ("smartyads", "iqm") for kind in kinds_for(platform)
                if kind.is_entity]


@pytest.mark.parametrize(("platform", "name"), ENTITY_KINDS)
def test_every_entity_kind_gets_its_id_column(platform, name, tmp_path, no_fallback):
    kind = kind_named(platform, name)
    rows = [{"ref": f"r{i}", kind.columns[3].field: f"value {i}"} for i in range(5)]
    without = filled(tmp_path / f"{platform}-without.xlsx", without_id(kind), rows)
    full = filled(tmp_path / f"{platform}-full.xlsx", kind, rows)
    same_results(without, full, outcomes_for(5), tmp_path, sheets=["Summary", kind.sheet])


def filled_template(path: str) -> Path:
    """The input tests/io/data/libreoffice.py gives LibreOffice (see there)."""
    return filled(Path(path), kind_named("smartyads", "campaigns"), ROWS, decorated)


DATA = Path(__file__).parent / "data"


def test_a_sheet_whose_id_column_libreoffice_deleted_gets_it_back(tmp_path, no_fallback):
    """LibreOffice's own file (anchored notes, shared strings, its <col> and validation forms)."""
    without, full = DATA / "campaigns-libreoffice-no-id.xlsx", DATA / "campaigns-libreoffice.xlsx"
    assert [c.value for c in openpyxl.load_workbook(without)["Campaigns"][1]][:2] == ["Ref", "Action"]
    done = outcomes_for(len(ROWS))
    quick = write_results(read_file(without, "smartyads"), done, facts(), tmp_path / "a.xlsx")
    oracle = write_results(read_file(full, "smartyads"), done, facts(), tmp_path / "b.xlsx")
    # Calc does not move a hyperlink's own target when it deletes a column (it pointed at Name, D2,
    # and still says D2): the results move it with its column, as they move everything else.
    assert links(openpyxl.load_workbook(without)["Campaigns"]) == [("AR3", None, "'Campaigns'!D2")]
    assert links(openpyxl.load_workbook(quick)["Campaigns"]) == [("AS3", None, "'Campaigns'!E2")]
    assert [d for d in differences(quick, oracle, only=["Summary", "Campaigns", "Counts"])
            if "hyperlinks" not in d] == []
    slow = openpyxl_results(read_file(without, "smartyads"), done, facts(), tmp_path / "c.xlsx")
    assert differences(quick, slow) == []
    with zipfile.ZipFile(quick) as archive:
        vml = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".vml"))
    # The boxes of the notes right of the new column moved with their cells (LibreOffice anchors them).
    assert b"<x:Column>1</x:Column>" in vml and b"<x:Column>42</x:Column>" in vml


def script_made(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """A workbook a script writes: one sheet, plain headers, no notes, no formats."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Campaigns"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.mark.parametrize(("headers", "at"), [
    (["Ref", "Name", "Type", "Advertiser Domain"], 2),
    (["Name", "Type", "Advertiser Domain"], 1),
    (["Name", "Ref", "Type", "Advertiser Domain", "# mine"], 3),
])
def test_a_script_made_workbook_without_notes_gets_the_id_column_and_its_note(headers, at, tmp_path, no_fallback):
    values = {"Ref": "r{}", "Name": "Name {}", "Type": "banner", "Advertiser Domain": "example.com", "# mine": "x{}"}
    path = script_made(tmp_path / "campaigns.xlsx", headers, [[values[h].format(i) for h in headers] for i in range(6)])
    sheets = read_file(path, "smartyads")
    done = outcomes_for(6)
    quick = write_results(sheets, done, facts(), tmp_path / "quick.xlsx")
    assert differences(quick, openpyxl_results(sheets, done, facts(), tmp_path / "slow.xlsx")) == []
    sheet = openpyxl.load_workbook(quick)["Campaigns"]
    expected = list(headers)
    expected.insert(at - 1, "ID")
    assert [c.value for c in sheet[1]][:len(expected)] == expected
    assert notes(sheet) == [(f"{get_column_letter(at)}1", kind_named("smartyads", "campaigns").column("id")
                             .header_note())]
    assert [sheet.cell(row, at).value for row in range(2, 8)] == [o.id for o in done.values()]
    back = read_file(quick, "smartyads")[0]
    assert back.problems == [] and back.positions["id"] == at


def test_several_files_each_get_their_id_column(write_csv, tmp_path, no_fallback):
    first = write_csv([["Ref", "Name", "Type", "Advertiser Domain"], ["a", "A", "banner", "example.com"]])
    second = script_made(tmp_path / "more.xlsx", ["Name", "Type", "Advertiser Domain"], [["B", "video", "example.org"]])
    sheets = read_file(first, "smartyads") + read_file(second, "smartyads")
    done = {(0, 2): ResultRow("created", "", 41), (1, 2): ResultRow("created", "", 42)}
    quick = write_results(sheets, done, facts(), tmp_path / "r.xlsx")
    assert differences(quick, openpyxl_results(sheets, done, facts(), tmp_path / "s.xlsx")) == []
    book = openpyxl.load_workbook(quick)
    assert [c.value for c in book["Campaigns"][1]] == ["Ref", "ID", "Name", "Type", "Advertiser Domain", "Status",
                                                       "Message"]
    assert book["Campaigns"]["B2"].value == 41 and book["Campaigns (2)"]["A2"].value == 42


def test_a_chart_of_the_sheet_moves_with_its_cells(tmp_path, no_fallback):
    from openpyxl.chart import BarChart, Reference

    def charted(sheet, column: dict[str, int]) -> None:
        chart = BarChart()
        budget = column["spentDailyLimit"]
        chart.add_data(Reference(sheet, min_col=budget, min_row=1, max_row=len(ROWS) + 1), titles_from_data=True)
        sheet.add_chart(chart, f"{get_column_letter(column['#note'] + 2)}2")

    kind = without_id(kind_named("smartyads", "campaigns"))
    path = filled(tmp_path / "charted.xlsx", kind, [{**row, "spentDailyLimit": 10 + n} for n, row in enumerate(ROWS)],
                  charted)
    budget = get_column_letter(kind.columns.index(kind.column("spentDailyLimit")) + 1)
    moved = get_column_letter(kind.columns.index(kind.column("spentDailyLimit")) + 2)
    out = write_results(read_file(path, "smartyads"), outcomes_for(len(ROWS)), facts(), tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as before, zipfile.ZipFile(out) as after:
        chart_before = before.read("xl/charts/chart1.xml")
        chart_after, drawing = after.read("xl/charts/chart1.xml"), after.read("xl/drawings/drawing1.xml")
    assert f"'Campaigns'!${budget}$2:${budget}$13".encode() in chart_before
    assert f"'Campaigns'!${moved}$2:${moved}$13".encode() in chart_after  # the series follows its cells
    # Anchored at the column two right of the notes (zero-based: len + 2), one more now.
    assert b"<col>%d</col>" % (len(kind.columns) + 3) in drawing


def test_a_pivot_tables_source_range_on_the_sheet_moves():
    from bulkops.io._shiftxml import shift_pivot_source

    part = (b'<pivotCacheDefinition><cacheSource type="worksheet"><worksheetSource ref="A1:F13" sheet="Campaigns"/>'
            b'</cacheSource></pivotCacheDefinition>')
    assert b'ref="A1:G13"' in shift_pivot_source(part, 2, "Campaigns")
    assert shift_pivot_source(part, 2, "Other") == part
