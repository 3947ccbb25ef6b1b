"""Which sheets are read, and what is said of the others: a sheet that looks like a kind's (by its
name or its header row) is an error naming it; any other is listed as ignored; bulkops's own
sheets pass without a word. The same on the calamine and the openpyxl paths."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from bulkops._exceptions import InputError
from bulkops._problems import Severity
from bulkops.io import read_inputs
from bulkops.io._sheets import IGNORED_SHEET, UNREAD_SHEET, close_kind, kind_by_columns
from tests.conftest import campaign
from tests.io.test_fastread import _fast

LIBREOFFICE = Path(__file__).resolve().parent / "libreoffice"
ZIPS = [{"campaign": "c1", "zip": "02134", "iso2": "US"}, {"campaign": "c1", "zip": "10001", "iso2": "US"}]


@pytest.mark.parametrize(("title", "sheet"), [
    ("Geo ZIP (2)", "Geo ZIP"),  # Excel's copy
    ("Geo ZIP (12)", "Geo ZIP"),
    ("Copy of Campaigns", "Campaigns"),  # Google Sheets' copy
    ("Geo ZIP_2", "Geo ZIP"),  # LibreOffice's copy
    ("Geo ZIP - Copy", "Geo ZIP"),
    ("Geo Zip1", "Geo ZIP"),
    ("GEO  ZIPS", "Geo ZIP"),
    ("ZIPs", "Geo ZIP"),  # the kind's last word, in the plural
    ("zip", "Geo ZIP"),
    ("GPS", "Geo GPS"),
    ("Campaign", "Campaigns"),  # singular
    ("Deal", "Deals"),
    ("Creative 2", "Creatives"),
    ("Items", "Filter List Items"),
    ("List Items", "Filter List Items"),
    ("Filter List", "Filter Lists"),
    ("Campagins", "Campaigns"),  # two letters swapped
    ("Creatves", "Creatives"),  # one missing
    ("Geo ZIPP", "Geo ZIP"),  # one added
])
def test_names_close_to_a_kinds_sheet(title, sheet):
    kind = close_kind("smartyads", title)
    assert kind is not None and kind.sheet == sheet


@pytest.mark.parametrize("title", ["My notes", "Sheet1", "Pivot", "Budget 2027", "Zap", "Geo", "Copy of notes",
                                   "(2)", "Campaign notes", "Old ZIP codes"])
def test_names_that_are_not_close(title):
    assert close_kind("smartyads", title) is None


def test_a_header_row_of_a_kinds_columns():
    kind, names = kind_by_columns("smartyads", ["ZIP", "Country", "Campaign", "Include"])
    assert kind.sheet == "Geo ZIP" and names == ["ZIP", "Country", "Campaign", "Include"]
    kind, _ = kind_by_columns("smartyads", ["campaign", "lat", "LNG", "radius", "# why", None, "Status"])
    assert kind.sheet == "Geo GPS"
    assert kind_by_columns("smartyads", ["Name", "Notes"]) is None  # one of two is not most of them
    assert kind_by_columns("smartyads", ["Name", "Owner", "Phone", "Type"]) is None  # two of four is not more than half
    assert kind_by_columns("smartyads", ["ZIP"]) is None  # one column says too little
    assert kind_by_columns("smartyads", []) is None


def _with_sheets(path: Path, extra: dict[str, list[list[object]]], *, hidden: tuple[str, ...] = ()) -> Path:
    book = openpyxl.load_workbook(path)
    for title, rows in extra.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def _unread(path: Path) -> list[tuple[str, str, str, str]]:
    return [(p.sheet, p.code, p.severity.value, p.message) for p in read_inputs([path], "smartyads").unread]


def _geo_zip_copy(book_path: Path) -> Path:
    """The Geo ZIP sheet copied the way Excel copies a sheet: the copy named `Geo ZIP (2)`."""
    book = openpyxl.load_workbook(book_path)
    copy = book.copy_worksheet(book["Geo ZIP"])
    copy.title = "Geo ZIP (2)"
    book.save(book_path)
    return book_path


@pytest.mark.parametrize("slow", [False, True], ids=["calamine", "openpyxl"])
def test_a_copied_sheet_and_a_sheet_of_a_kinds_columns_are_errors_and_other_sheets_are_listed(write_workbook,
                                                                                            slow):
    path = write_workbook({"campaigns": [campaign()], "geo-zip": ZIPS})
    if slow:  # a formula in Campaigns sends the workbook's read through openpyxl
        book = openpyxl.load_workbook(path)
        book["Campaigns"]["Z2"] = "=1+1"
        book.save(path)
    _geo_zip_copy(path)
    _with_sheets(path, {"Sheet1": [["ZIP", "Country", "Campaign", "Include"], ["94103", "US", "c1", "TRUE"]],
                        "My notes": [["call the agency"]], "#old ZIPs": [["ZIP", "Country", "Campaign"]],
                        "Summary": [["Platform", "smartyads"]]}, hidden=("Sheet1",))
    assert _fast(path) == {"Campaigns": not slow, "Geo ZIP": True}
    inputs = read_inputs([path], "smartyads")
    assert [s.title for s in inputs.sheets] == ["Campaigns", "Geo ZIP"]
    assert _unread(path) == [
        ("Geo ZIP (2)", UNREAD_SHEET, "error", "sheet 'Geo ZIP (2)' is not read: did you mean 'Geo ZIP'? Move its "
         "rows into sheet 'Geo ZIP' to push them, or start its name with # to keep it out of the job"),
        ("Sheet1", UNREAD_SHEET, "error", "sheet 'Sheet1' is not read: its columns (ZIP, Country, Campaign, "
         "Include) are those of 'Geo ZIP'. Move its rows into sheet 'Geo ZIP' to push them, or start its name "
         "with # to keep it out of the job"),
        ("My notes", IGNORED_SHEET, "warning", "sheet 'My notes' ignored (it is not a sheet bulkops reads)"),
        ("#old ZIPs", IGNORED_SHEET, "warning", "sheet '#old ZIPs' ignored (its name starts with #)"),
    ]  # Summary, Instructions and Lists are bulkops's own: nothing said


@pytest.mark.parametrize("slow", [False, True], ids=["calamine", "openpyxl"])
def test_a_sheet_named_like_bulkopss_own_is_an_error_when_its_columns_are_a_kinds(write_workbook, slow):
    path = write_workbook({"campaigns": [campaign()]})
    if slow:
        book = openpyxl.load_workbook(path)
        book["Campaigns"]["Z2"] = "=1+1"
        book.save(path)
    _with_sheets(path, {"summary": [["Title", "Type", "Include"], ["Blocked", "domain", "FALSE"]],
                        "Plan": [["ZIP", "Country", "Campaign"], ["94103", "US", "c1"]]})
    found = {title: (code, severity) for title, code, severity, _ in _unread(path)}
    # "summary" is named like a results workbook's own sheet, but holds Filter Lists rows; bulkops
    # writes no sheet called Plan, so a buyer's Plan of ZIPs is theirs like any other sheet; the
    # template's own hidden Lists sheet (a column of choices per field) is still passed over
    assert found == {"summary": (UNREAD_SHEET, "error"), "Plan": (UNREAD_SHEET, "error")}


def test_a_misnamed_sheet_whose_kind_is_missing_is_told_to_be_renamed(write_workbook):
    path = write_workbook({"campaigns": [campaign()], "geo-zip": ZIPS})
    book = openpyxl.load_workbook(path)
    book["Geo ZIP"].title = "Geo Zip1"
    book.save(path)
    [(title, code, severity, message)] = _unread(path)
    assert (title, code, severity) == ("Geo Zip1", UNREAD_SHEET, Severity.ERROR.value)
    assert message == ("sheet 'Geo Zip1' is not read: did you mean 'Geo ZIP'? Rename it to 'Geo ZIP' to push it, "
                       "or start its name with # to keep it out of the job")


def test_a_sheet_whose_name_starts_with_hash_is_never_read(write_workbook):
    path = write_workbook({"campaigns": [campaign()], "geo-zip": ZIPS})
    book = openpyxl.load_workbook(path)
    book["Geo ZIP"].title = "#Geo ZIP"
    book.save(path)
    assert [s.title for s in read_inputs([path], "smartyads").sheets] == ["Campaigns"]
    assert _unread(path) == [("#Geo ZIP", IGNORED_SHEET, "warning",
                              "sheet '#Geo ZIP' ignored (its name starts with #)")]


def test_a_workbook_whose_only_sheet_is_misnamed_says_which_and_why(write_workbook):
    path = write_workbook({"geo-zip": ZIPS})
    book = openpyxl.load_workbook(path)
    book["Geo ZIP"].title = "Geo ZIP (2)"
    book.save(path)
    with pytest.raises(InputError, match=r"no sheet bulkops knows for smartyads .*; sheet 'Geo ZIP \(2\)' is not "
                                         r"read: did you mean 'Geo ZIP'\?"):
        read_inputs([path], "smartyads")


def test_a_libreoffice_saved_workbook_with_a_copied_sheet():
    """sheets.xlsx: the boolean job with Excel's copy of Geo ZIP and a notes sheet, saved by LibreOffice."""
    assert _unread(LIBREOFFICE / "sheets.xlsx") == [
        ("Geo ZIP (2)", UNREAD_SHEET, "error", "sheet 'Geo ZIP (2)' is not read: did you mean 'Geo ZIP'? Move its "
         "rows into sheet 'Geo ZIP' to push them, or start its name with # to keep it out of the job"),
        ("My notes", IGNORED_SHEET, "warning", "sheet 'My notes' ignored (it is not a sheet bulkops reads)"),
    ]


def test_a_chartsheet_is_listed_as_ignored(write_workbook):
    from openpyxl.chart import BarChart, Reference

    path = write_workbook({"campaigns": [campaign()]})
    book = openpyxl.load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book["Campaigns"], min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Chart1").add_chart(chart)
    book.save(path)
    assert _unread(path) == [("Chart1", IGNORED_SHEET, "warning", "sheet 'Chart1' ignored (it is not a sheet bulkops "
                              "reads)")]


# -- a results workbook reads back the sheets bulkops wrote, as its Summary sheet lists them ----------

EAST = [["Campaign", "ZIP", "Country"], ["7", "02134", "US"], ["7", "10001", "US"]]
WEST = [["Campaign", "ZIP", "Country"], ["8", "94103", "US"]]
COPY_OF_SECOND = ("sheet 'Geo ZIP (3)' is not read: did you mean 'Geo ZIP'? Move its rows into sheet 'Geo ZIP' to "
                  "push them, or start its name with # to keep it out of the job")


def _results_of_two_csvs(write_csv, tmp_path: Path) -> Path:
    """What `push geo-zip-east.csv geo-zip-west.csv --kind geo-zip -o r.xlsx` writes: `Geo ZIP` and
    `Geo ZIP (2)`, listed with their kind on the Summary sheet."""
    from bulkops.io import RunFacts, read_files, write_results

    paths = [write_csv(EAST, "geo-zip-east.csv"), write_csv(WEST, "geo-zip-west.csv")]
    return write_results(read_files(paths, "smartyads", kind="geo-zip"), {},
                         RunFacts("smartyads", "http://127.0.0.1:1"), tmp_path / "r.xlsx")


def _edited(path: Path, change, *, slow: bool) -> Path:
    """The workbook after `change(book)`, saved by openpyxl; `slow`: with a formula in the Summary and
    in each Geo ZIP sheet, which sends their reading through openpyxl instead of calamine."""
    book = openpyxl.load_workbook(path)
    change(book)
    if slow:
        for sheet in book.worksheets:
            if sheet.title == "Summary" or sheet.title.startswith("Geo ZIP"):
                sheet["Z1"] = "=1+1"
    book.save(path)
    return path


def _listed(book, title: str):
    """The Summary sheet's Kind cell of that sheet's line."""
    summary = book["Summary"]
    row = next(r for r in summary.iter_rows() if r[0].value == title)
    return row[1]


@pytest.mark.parametrize("slow", [False, True], ids=["calamine", "openpyxl"])
def test_a_results_workbook_reads_back_its_numbered_sheet_and_refuses_a_later_copy(write_csv, tmp_path, slow):
    path = _edited(_results_of_two_csvs(write_csv, tmp_path), lambda book: None, slow=slow)
    from bulkops.io._fastread import plan_sheets

    chosen = plan_sheets(path, lambda title: title in ("Summary", "Geo ZIP", "Geo ZIP (2)"))
    assert {title: size is not None for title, size in chosen} == dict.fromkeys(("Summary", "Geo ZIP", "Geo ZIP (2)"),
                                                                                  not slow)
    inputs = read_inputs([path], "smartyads")
    assert [(s.title, s.kind.name, s.frame["zip"].tolist()) for s in inputs.sheets] == [
        ("Geo ZIP", "geo-zip", ["02134", "10001"]), ("Geo ZIP (2)", "geo-zip", ["94103"])]
    assert [p for p in inputs.unread if p.is_error] == []

    def copy_second(book) -> None:  # Excel's "Move or Copy…" of `Geo ZIP (2)`
        book.copy_worksheet(book["Geo ZIP (2)"]).title = "Geo ZIP (3)"

    _edited(path, copy_second, slow=slow)
    assert [s.title for s in read_inputs([path], "smartyads").sheets] == ["Geo ZIP", "Geo ZIP (2)"]
    assert _unread(path) == [("Geo ZIP (3)", UNREAD_SHEET, "error", COPY_OF_SECOND)]


@pytest.mark.parametrize("slow", [False, True], ids=["calamine", "openpyxl"])
@pytest.mark.parametrize(("edit", "why"), [
    (lambda book: setattr(_listed(book, "Geo ZIP (2)"), "value", "deals"),
     "the Summary sheet lists it as 'deals', but its name says 'geo-zip'"),
    (lambda book: setattr(_listed(book, "Geo ZIP (2)"), "value", "zips"),
     "the Summary sheet lists it as 'zips', which is not a kind bulkops knows for smartyads"),
    (lambda book: setattr(_listed(book, "Geo ZIP (2)"), "value", None), "the Summary sheet lists it with no kind"),
    (lambda book: book["Summary"].append(["Geo ZIP (2)", "geo-gps"]),
     "the Summary sheet lists it more than once, as 'geo-zip' and 'geo-gps'"),
], ids=["another-kind", "no-such-kind", "no-kind", "listed-twice"])
def test_a_summary_sheet_edited_about_a_sheet_refuses_that_sheet(write_csv, tmp_path, slow, edit, why):
    path = _edited(_results_of_two_csvs(write_csv, tmp_path), edit, slow=slow)
    assert [s.title for s in read_inputs([path], "smartyads").sheets] == ["Geo ZIP"]
    assert _unread(path) == [("Geo ZIP (2)", UNREAD_SHEET, "error", f"sheet 'Geo ZIP (2)' is not read: {why}. Put "
                              "back what bulkops wrote on the Summary sheet (its line for this sheet), or start the "
                              "sheet's name with # to keep it out of the job")]


@pytest.mark.parametrize("slow", [False, True], ids=["calamine", "openpyxl"])
def test_a_sheet_renamed_with_its_summary_line_is_refused(write_csv, tmp_path, slow):
    def rename_both(book) -> None:
        book["Geo ZIP (2)"].title = "West"
        next(r for r in book["Summary"].iter_rows() if r[0].value == "Geo ZIP (2)")[0].value = "West"

    path = _edited(_results_of_two_csvs(write_csv, tmp_path), rename_both, slow=slow)
    assert [s.title for s in read_inputs([path], "smartyads").sheets] == ["Geo ZIP"]
    assert _unread(path) == [("West", UNREAD_SHEET, "error", (
        "sheet 'West' is not read: the Summary sheet lists it as 'geo-zip', but bulkops names a sheet of that kind "
        "'Geo ZIP', or 'Geo ZIP (2)' and so on. Put back what bulkops wrote on the Summary sheet (its line for this "
        "sheet), or start the sheet's name with # to keep it out of the job"))]


@pytest.mark.parametrize("slow", [False, True], ids=["calamine", "openpyxl"])
def test_a_sheet_listed_under_a_kind_its_name_does_not_say_is_refused(write_csv, tmp_path, slow):
    path = _edited(_results_of_two_csvs(write_csv, tmp_path),
                   lambda book: setattr(_listed(book, "Geo ZIP"), "value", "deals"), slow=slow)
    assert [s.title for s in read_inputs([path], "smartyads").sheets] == ["Geo ZIP (2)"]
    [(title, code, _, message)] = _unread(path)
    assert (title, code) == ("Geo ZIP", UNREAD_SHEET)
    assert message.startswith("sheet 'Geo ZIP' is not read: the Summary sheet lists it as 'deals', but its name says "
                              "'geo-zip'. Put back what bulkops wrote")


@pytest.mark.parametrize("slow", [False, True], ids=["calamine", "openpyxl"])
def test_a_listed_sheet_renamed_is_refused_and_told_its_listed_name(write_csv, tmp_path, slow):
    def rename(book) -> None:
        book["Geo ZIP (2)"].title = "West ZIP codes"

    path = _edited(_results_of_two_csvs(write_csv, tmp_path), rename, slow=slow)
    assert [s.title for s in read_inputs([path], "smartyads").sheets] == ["Geo ZIP"]
    assert _unread(path) == [("West ZIP codes", UNREAD_SHEET, "error", (
        "sheet 'West ZIP codes' is not read: its columns (Campaign, ZIP, Country) are those of 'Geo ZIP'. The Summary "
        "sheet lists a sheet 'Geo ZIP (2)' that this workbook no longer has: if this is it, give it back that name; "
        "else move its rows into sheet 'Geo ZIP' to push them, or start its name with # to keep it out of the job"))]
    _edited(path, lambda book: setattr(book["West ZIP codes"], "title", "Geo ZIP (2)"), slow=False)
    assert [s.title for s in read_inputs([path], "smartyads").sheets] == ["Geo ZIP", "Geo ZIP (2)"]


def test_a_summary_without_its_kind_column_lists_nothing(write_csv, tmp_path):
    """A results workbook an earlier version wrote: its numbered sheet is refused as before."""
    def drop_kinds(book) -> None:
        book["Summary"].delete_cols(2)

    path = _edited(_results_of_two_csvs(write_csv, tmp_path), drop_kinds, slow=False)
    assert [s.title for s in read_inputs([path], "smartyads").sheets] == ["Geo ZIP"]
    assert _unread(path) == [("Geo ZIP (2)", UNREAD_SHEET, "error", "sheet 'Geo ZIP (2)' is not read: did you mean "
                              "'Geo ZIP'? Move its rows into sheet 'Geo ZIP' to push them, or start its name with # to "
                              "keep it out of the job")]


def test_the_results_workbook_reads_the_same_both_ways(write_csv, tmp_path):
    from tests.io.test_fastread import _assert_same

    _assert_same(_results_of_two_csvs(write_csv, tmp_path), "smartyads")


@pytest.mark.parametrize(("formula_in_summary", "loads"), [(False, 0), (True, 1)], ids=["calamine", "openpyxl"])
def test_the_summary_sheet_is_read_once(write_csv, tmp_path, monkeypatch, formula_in_summary, loads):
    """Its header row (is it a kind's?) comes from the rows read for what it lists: openpyxl, whose
    read-only mode parses in full each sheet without a `<dimension>` as it opens, is not opened
    for it again."""
    def summary_formula(book) -> None:
        if formula_in_summary:
            book["Summary"]["Z1"] = "=1+1"

    path = _edited(_results_of_two_csvs(write_csv, tmp_path), summary_formula, slow=False)
    opened = []
    real_load = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a) or real_load(*a, **k))
    inputs = read_inputs([path], "smartyads")
    assert [s.title for s in inputs.sheets] == ["Geo ZIP", "Geo ZIP (2)"] and inputs.unread == []
    assert len(opened) == loads


def test_a_line_added_in_bulkops_form_reads_a_copied_sheet(write_csv, tmp_path):
    def copy_and_list(book) -> None:
        book.copy_worksheet(book["Geo ZIP (2)"]).title = "Geo ZIP (3)"
        book["Summary"].append(["Geo ZIP (3)", "geo-zip"])  # right under the table, which ends the sheet

    path = _edited(_results_of_two_csvs(write_csv, tmp_path), copy_and_list, slow=False)
    assert [s.title for s in read_inputs([path], "smartyads").sheets] == ["Geo ZIP", "Geo ZIP (2)", "Geo ZIP (3)"]
    assert _unread(path) == []
