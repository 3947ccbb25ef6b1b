"""The quick results writer (an .xlsx input's package copied, its job sheets rewritten as bytes)
against the openpyxl path it replaces: the same workbook, cell for cell."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from bulkops.io import ResultRow, _results, read_file, write_template
from bulkops.io._results import RunFacts, openpyxl_plan, openpyxl_results, write_plan, write_results
from bulkops.kinds import kind_named
from tests.conftest import campaign
from tests.io._compare import differences

pytestmark = pytest.mark.slow

NAMES = ["Plain", "=1+2", "-minus", " spaced ", "a & b < c", "line\nbreak"]
MESSAGES = ["", "The name has already been taken.", '=HYPERLINK("http://evil.example","x")', "+sum", "10\" wide"]
STATUSES = ["created", "failed", "invalid", "unchanged", "skipped", "not run"]


def facts() -> RunFacts:
    return RunFacts(platform="smartyads", base_url="http://127.0.0.1:1", requests_sent=3, responses_429=1,
                    extra={"Note": "=not a formula"})


@pytest.fixture
def no_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick path must handle these workbooks itself."""
    def refuse(*_args: object) -> None:
        raise AssertionError("took the openpyxl path")

    monkeypatch.setattr(_results, "openpyxl_results", refuse)
    monkeypatch.setattr(_results, "openpyxl_plan", refuse)


def job(write_workbook, rows: int = 24, *, ids: bool = True) -> Path:
    """Campaigns and their ZIPs in a template; without `ids`, one whose ID column was deleted."""
    campaigns = [campaign(ref=f"c{i}", name=NAMES[i % len(NAMES)], dateStart=dt.date(2027, 3, 1),
                          **({"id": 70 + i} if i % 5 == 0 and ids else {})) for i in range(rows)]
    zips = [{"campaign": "c1", "zip": f"0213{i}", "iso2": "US"} for i in range(6)]
    if not ids:
        return without_ids(write_workbook({"campaigns": campaigns, "geo-zip": zips}))
    return write_workbook({"campaigns": campaigns, "geo-zip": zips})


def without_ids(path: Path) -> Path:
    """The same workbook after its Campaigns sheet's ID column was deleted (as a template of the
    kind without it is: notes, dropdowns and widths where they would be)."""
    from tests.io.test_results_ids import without_id

    book = openpyxl.load_workbook(path)
    kinds = [without_id(kind_named("smartyads", "campaigns")), kind_named("smartyads", "geo-zip")]
    rows = {kind.sheet: [dict(zip([c.value for c in book[kind.sheet][1]], (c.value for c in row), strict=False))
                         for row in book[kind.sheet].iter_rows(min_row=2)] for kind in kinds}
    target = path.with_name("without-ids.xlsx")
    write_template(kinds, target)
    made = openpyxl.load_workbook(target)
    for kind in kinds:
        sheet = made[kind.sheet]
        labels = [c.label for c in kind.columns]
        for number, values in enumerate(rows[kind.sheet], start=2):
            for label, value in values.items():
                if label in labels:
                    sheet.cell(number, labels.index(label) + 1, value)
    made.save(target)
    return target


def outcomes(sheets, seed: int = 0) -> dict:
    found = {}
    for index, sheet in enumerate(sheets):
        for n, row in enumerate(sheet.frame.index):
            k = n + seed + index
            found[(index, int(row))] = ResultRow(STATUSES[k % len(STATUSES)], MESSAGES[k % len(MESSAGES)],
                                                  100 + k if k % 3 == 0 else None)
    return found


def both(sheets, done, tmp_path: Path, name: str) -> tuple[Path, Path]:
    quick = write_results(sheets, done, facts(), tmp_path / f"{name}-quick.xlsx")
    slow = openpyxl_results(sheets, done, facts(), tmp_path / f"{name}-slow.xlsx")
    return quick, slow


@pytest.mark.parametrize("ids", [True, False], ids=["with-id-column", "id-column-deleted"])
def test_the_quick_workbook_equals_openpyxls_cell_for_cell(write_workbook, tmp_path, no_fallback, ids):
    sheets = read_file(job(write_workbook, ids=ids), "smartyads")
    done = outcomes(sheets)
    del done[(0, 5)]  # a row with no outcome keeps its cells and gets no status
    quick, slow = both(sheets, done, tmp_path, "first")
    assert differences(quick, slow) == []
    assert_every_id_written(quick, done)
    book = openpyxl.load_workbook(quick, read_only=True)
    assert book.sheetnames[0] == "Summary"
    book.close()


def assert_every_id_written(path: Path, done: dict) -> None:
    """Every Campaigns row an outcome gives an ID shows it in the ID column, right after Ref."""
    sheet = openpyxl.load_workbook(path)["Campaigns"]
    assert [c.value for c in sheet[1]][:2] == ["Ref", "ID"]
    for (index, row), outcome in done.items():
        if index == 0 and outcome.id is not None:
            assert sheet.cell(row, 2).value == outcome.id, row


@pytest.mark.parametrize("ids", [True, False], ids=["with-id-column", "id-column-deleted"])
def test_results_pushed_again_are_updated_in_place_like_openpyxl_does(write_workbook, tmp_path, no_fallback, ids):
    sheets = read_file(job(write_workbook, ids=ids), "smartyads")
    quick, slow = both(sheets, outcomes(sheets), tmp_path, "first")
    again_quick, again_slow = read_file(quick, "smartyads"), read_file(slow, "smartyads")
    assert [s.previous_status for s in again_quick] == [s.previous_status for s in again_slow]
    assert [s.problems for s in again_quick] == [[], []]
    second = outcomes(again_quick, seed=1)
    quick2 = write_results(again_quick, second, facts(), tmp_path / "second-quick.xlsx")
    slow2 = openpyxl_results(again_slow, second, facts(), tmp_path / "second-slow.xlsx")
    assert differences(quick2, slow2) == []
    assert_every_id_written(quick2, second)
    headers = [c.value for c in openpyxl.load_workbook(quick2)["Campaigns"][1]]
    assert headers.count("Status") == 1 and headers.count("Message") == 1


def test_the_quick_workbook_reads_back_with_bulkops_own_reader(write_workbook, tmp_path, no_fallback):
    path = job(write_workbook)
    sheets = read_file(path, "smartyads")
    done = outcomes(sheets)
    back = read_file(write_results(sheets, done, facts(), tmp_path / "r.xlsx"), "smartyads")
    for before, after in zip(sheets, back, strict=True):
        assert after.problems == [] and set(after.output_columns) == {"Status", "Message"}
        assert after.previous_status == {row: o.status for (i, row), o in done.items()
                                         if sheets[i].title == before.title}
        inputs = [f for f in before.frame.columns if f != "id"]
        assert after.frame[inputs].equals(before.frame[inputs])


def test_platform_text_is_never_a_formula_in_the_quick_workbook(write_workbook, tmp_path, no_fallback):
    sheets = read_file(job(write_workbook), "smartyads")
    evil = '=HYPERLINK("http://evil.example","click")'
    out = write_results(sheets, {(0, 2): ResultRow("failed", evil)}, facts(), tmp_path / "r.xlsx")
    with zipfile.ZipFile(out) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    # The input's own formula cell (a name typed as =1+2) stays; the platform's text is no formula.
    assert b"HYPERLINK" in xml and not re.search(rb"<f>[^<]*HYPERLINK", xml)
    cell = [c for row in openpyxl.load_workbook(out)["Campaigns"].iter_rows() for c in row if c.value == evil][0]
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_plan_workbook_equals_openpyxls(write_workbook, tmp_path, no_fallback):
    sheets = read_file(job(write_workbook), "smartyads")
    plans = {key: ["create", "unchanged", "update: Name: 'North' → 'Nord'", "=trap"][n % 4]
             for n, key in enumerate(outcomes(sheets))}
    quick = write_plan(sheets, plans, tmp_path / "plan-quick.xlsx")
    slow = openpyxl_plan(sheets, plans, tmp_path / "plan-slow.xlsx")
    assert differences(quick, slow) == []


def rewrite_part(path: Path, part: str, change, target: Path) -> Path:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info.filename, change(data) if info.filename == part else data)
    return target


def campaigns_part(path: Path) -> str:
    # openpyxl, which wrote the template, numbers its worksheet parts in tab order
    return f"xl/worksheets/sheet{openpyxl.load_workbook(path).sheetnames.index('Campaigns') + 1}.xml"


@pytest.mark.parametrize("change", [
    pytest.param(lambda xml: re.sub(rb'<c r="[A-Z]+\d+"', b"<c", xml), id="cells-without-r"),
    pytest.param(lambda xml: re.sub(rb'<row r="\d+"', b"<row", xml), id="rows-without-r"),
    pytest.param(lambda xml: re.sub(rb"<cols>.*?</cols>", b'<cols><col min="1" max="16384" width="9"/></cols>', xml),
                 id="one-col-range-for-all"),
    pytest.param(lambda xml: re.sub(rb"<cols>.*?</cols>", b"", xml), id="no-cols"),
    pytest.param(lambda xml: xml.replace(b"<sheetData>", b"<sheetData><!-- a note -->"), id="comment-fallback"),
    pytest.param(lambda xml: re.sub(rb'<row r="(\d+)"', rb'<row r="\1" spans="1:3"', xml), id="spans"),
])
@pytest.mark.parametrize("ids", [True, False], ids=["with-id-column", "id-column-deleted"])
def test_workbooks_written_by_other_programs(write_workbook, tmp_path, change, ids):
    original = job(write_workbook, rows=8, ids=ids)
    path = rewrite_part(original, campaigns_part(original), change, tmp_path / "other.xlsx")
    sheets = read_file(path, "smartyads")
    done = outcomes(sheets)
    quick, slow = both(sheets, done, tmp_path, "other")
    # openpyxl writes a new width over a range that covers its column; the quick writer splits the range
    assert differences(quick, slow, widths=False) == []
    assert_every_id_written(quick, done)
    campaigns = openpyxl.load_workbook(quick)["Campaigns"]
    message = [c.value for c in campaigns[1]].index("Message") + 1
    dims = campaigns.column_dimensions
    assert dims[get_column_letter(message)].width == 60


def test_a_workbook_the_quick_writer_refuses_is_written_by_openpyxl(write_workbook, tmp_path, monkeypatch):
    original = job(write_workbook, rows=4)
    path = rewrite_part(original, campaigns_part(original),
                        lambda xml: xml.replace(b"<sheetData>", b"<sheetData><!-- x -->"), tmp_path / "commented.xlsx")
    sheets = read_file(path, "smartyads")
    used = []
    real = _results.openpyxl_results
    monkeypatch.setattr(_results, "openpyxl_results", lambda *a: used.append(1) or real(*a))
    out = write_results(sheets, outcomes(sheets), facts(), tmp_path / "r.xlsx")
    assert used == [1] and openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.")] == []  # no temporary file left


@pytest.mark.parametrize("ids", [True, False], ids=["with-id-column", "id-column-deleted"])
def test_rows_the_sheet_does_not_have_are_made_in_order(write_workbook, tmp_path, no_fallback, ids):
    original = job(write_workbook, rows=8, ids=ids)
    path = rewrite_part(original, campaigns_part(original),
                        lambda xml: re.sub(rb'<row r="4">.*?</row>', b"", xml), tmp_path / "gap.xlsx")
    sheets = read_file(path, "smartyads")
    done = {**outcomes(sheets), (0, 4): ResultRow("failed", "gone"), (0, 60): ResultRow("skipped", "far")}
    quick, slow = both(sheets, done, tmp_path, "gap")
    assert differences(quick, slow) == []
    assert_every_id_written(quick, done)


def test_a_csv_input_becomes_the_same_workbook_as_openpyxls(write_csv, tmp_path, no_fallback):
    path = write_csv([["Ref", "Name", "Type", "Advertiser Domain", "# note"],
                      *[[f"r{i}", NAMES[i % len(NAMES)], "banner", "example.com", "x"] for i in range(12)],
                      ["", "", "", "", ""], ["r99", "'=SUM(A1)", "banner", "example.com", ""]])
    sheets = read_file(path, "smartyads")
    done = outcomes(sheets)
    quick, slow = both(sheets, done, tmp_path, "csv")
    assert differences(quick, slow) == []
    again = read_file(quick, "smartyads")
    assert again[0].frame.drop(columns="id").equals(sheets[0].frame) and again[0].problems == []
    # The CSV had no ID column: the results add one after Ref, holding every ID the platform gave.
    assert list(again[0].positions)[:2] == ["ref", "id"]
    ids = {row: int(value) for row, value in again[0].frame["id"].items() if value == value and value is not None}
    assert ids == {row: o.id for (_, row), o in done.items() if o.id is not None}


def test_several_inputs_are_gathered_like_openpyxl_does(write_workbook, write_csv, tmp_path, no_fallback):
    csv_path = write_csv([["Ref", "Name", "Type", "Advertiser Domain"], ["x1", "From CSV", "banner", "example.com"]])
    # Dates typed as dates would send this job down the openpyxl path (it knows their formats): text here.
    xlsx = write_workbook({"campaigns": [campaign(ref=f"c{i}", name=NAMES[i]) for i in range(5)],
                           "geo-zip": [{"campaign": "c1", "zip": "02134", "iso2": "US"}]})
    sheets = read_file(xlsx, "smartyads") + read_file(csv_path, "smartyads")
    quick, slow = both(sheets, outcomes(sheets), tmp_path, "several")
    assert differences(quick, slow) == []
    assert openpyxl.load_workbook(quick).sheetnames == ["Summary", "Campaigns", "Geo ZIP", "Campaigns (2)"]


def test_a_csv_plan_workbook_equals_openpyxls(write_csv, tmp_path, no_fallback):
    path = write_csv([["Ref", "Name", "Type", "Advertiser Domain"], ["a", "-A", "banner", "example.com"]])
    sheets = read_file(path, "smartyads")
    quick = write_plan(sheets, {(0, 2): "create"}, tmp_path / "plan-quick.xlsx")
    assert differences(quick, openpyxl_plan(sheets, {(0, 2): "create"}, tmp_path / "plan-slow.xlsx")) == []


# A ';' CSV as Excel saves it in German settings, with a cell of each kind a number column meets:
# grouped thousands, decimal commas, an exponent, a whole number written with a zero fraction, and
# cells that are not read (a fraction in a whole-number column, a currency sign, a misfit '1.5').
SEMICOLON_CAMPAIGNS = [
    ["Ref", "Name", "Type", "Advertiser Domain", "Daily Spend Limit", "Total Spend Limit", "Min Age"],
    ["a", "Nord", "banner", "example.com", "1.000", "12.500", "18"],
    ["b", "Süd", "banner", "example.com", "1,5", "2.000,0", "18,0"],
    ["c", "Ost", "banner", "example.com", "25 €", "1,5E+03", ""],
    ["d", "West", "banner", "example.com", "1 000", "1.5", " 7 "],
]
SEMICOLON_DEALS = [["Campaign", "Deal ID", "Bid Price"], ["a", "PMP-1", "0,125"], ["a", "PMP-2", "2,500"],
                   ["a", "PMP-3", "1.000,50"], ["b", "1.000", "abc"]]


def cells(path: Path, title: str, *headers: str) -> list[list[tuple[object, str]]]:
    """Each data row's cells of those columns, as (value, openpyxl's data type)."""
    sheet = openpyxl.load_workbook(path)[title]
    found = [c.value for c in sheet[1]]
    at = [found.index(h) + 1 for h in headers]
    return [[(sheet.cell(row, col).value, sheet.cell(row, col).data_type) for col in at]
            for row in range(2, sheet.max_row + 1)]


def test_numbers_of_a_semicolon_csv_are_number_cells_in_both_writers(tmp_path, no_fallback):
    from tests._excel_csv import write_excel_csv

    paths = [write_excel_csv(tmp_path / "campaigns.csv", SEMICOLON_CAMPAIGNS),
             write_excel_csv(tmp_path / "deals.csv", SEMICOLON_DEALS)]
    sheets = [s for p in paths for s in read_file(p, "smartyads")]
    assert sheets[0].frame["spentDailyLimit"].tolist() == ["1.000", "1,5", "25 €", "1 000"]  # read as typed
    done = outcomes(sheets)
    quick, slow = both(sheets, done, tmp_path, "semicolon")
    assert differences(quick, slow) == []
    plan_quick = write_plan(sheets, {(0, 2): "create"}, tmp_path / "plan-quick.xlsx")
    assert differences(plan_quick, openpyxl_plan(sheets, {(0, 2): "create"}, tmp_path / "plan-slow.xlsx")) == []
    for path in (quick, plan_quick):
        assert cells(path, "Campaigns", "Daily Spend Limit", "Total Spend Limit", "Min Age") == [
            [(1000, "n"), (12500, "n"), (18, "n")],
            [("1,5", "s"), (2000, "n"), (18, "n")],  # 1,5 is no whole number: kept as typed
            [("25 €", "s"), (1500, "n"), (None, "n")],
            [(1000, "n"), ("1.5", "s"), (7, "n")],  # '1.5' does not fit a ';' file: kept as typed
        ]
        # Bid Price is a number column; Deal ID is text, whatever it looks like.
        assert cells(path, "Deals", "Deal ID", "Bid Price") == [
            [("PMP-1", "s"), (0.125, "n")], [("PMP-2", "s"), (2.5, "n")], [("PMP-3", "s"), (1000.5, "n")],
            [("1.000", "s"), ("abc", "s")]]


def test_a_comma_csv_reads_back_from_its_results_with_the_values_it_had(write_csv, tmp_path, no_fallback):
    from bulkops.validation import validate_sheets

    path = write_csv([["Ref", "Name", "Type", "Advertiser Domain", "Daily Spend Limit", "Total Spend Limit"],
                      ["a", "North", "banner", "example.com", "1,000", "2,500"],
                      ["b", "South", "banner", "example.com", "0.125", "1,5"]])
    sheets = read_file(path, "smartyads")
    quick, slow = both(sheets, {}, tmp_path, "comma")
    assert differences(quick, slow) == []
    before = validate_sheets(sheets)[0]
    for written in (quick, slow):
        again = validate_sheets(read_file(written, "smartyads"))[0]
        assert again.values[["spentDailyLimit", "spentTotalLimit"]].equals(
            before.values[["spentDailyLimit", "spentTotalLimit"]])
        # 0.125 is no whole number, and '1,5' no number in a ',' file: refused there, refused here
        assert [(p.row, p.column) for p in again.problems if p.is_error] == \
            [(p.row, p.column) for p in before.problems if p.is_error] == [(3, "Daily Spend Limit"),
                                                                           (3, "Total Spend Limit")]


def test_inputs_sharing_a_sheet_title_are_numbered_and_listed_with_their_kind(write_csv, tmp_path, no_fallback):
    east = write_csv([["Campaign", "ZIP", "Country"], ["7", "02134", "US"], ["7", "10001", "US"]], "east.csv")
    west = write_csv([["Campaign", "ZIP", "Country"], ["8", "94103", "US"]], "west.csv")
    sheets = [s for p in (east, west, east) for s in read_file(p, "smartyads", kind="geo-zip")]
    done = {(0, 2): ResultRow("created", ""), (0, 3): ResultRow("failed", "no"),
            (1, 2): ResultRow("unchanged", ""), (2, 2): ResultRow("skipped", "")}
    quick, slow = both(sheets, done, tmp_path, "three")
    assert differences(quick, slow) == []
    book = openpyxl.load_workbook(quick)
    assert book.sheetnames == ["Summary", "Geo ZIP", "Geo ZIP (2)", "Geo ZIP (3)"]
    rows = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    table = rows[[row[0] for row in rows].index("Sheet"):]
    header = table[0]
    assert header[:2] == ["Sheet", "Kind"]
    # each sheet its own counts (they were added up under one title), and one with none still listed
    assert [(row[0], row[1], row[header.index("created")], row[header.index("failed")],
             row[header.index("unchanged")], row[header.index("skipped")], row[-1]) for row in table[1:]] == [
        ("Geo ZIP", "geo-zip", 1, 1, 0, 0, 2), ("Geo ZIP (2)", "geo-zip", 0, 0, 1, 0, 1),
        ("Geo ZIP (3)", "geo-zip", 0, 0, 0, 1, 1)]


def test_a_results_workbook_pushed_with_another_file_of_its_kind_numbers_from_the_plain_title(write_csv, tmp_path):
    from bulkops.io import fresh_titles

    east = write_csv([["Campaign", "ZIP", "Country"], ["7", "02134", "US"]], "east.csv")
    west = write_csv([["Campaign", "ZIP", "Country"], ["8", "94103", "US"]], "west.csv")
    both_csvs = [s for p in (east, west) for s in read_file(p, "smartyads", kind="geo-zip")]
    results = write_results(both_csvs, {}, facts(), tmp_path / "r.xlsx")  # Geo ZIP, Geo ZIP (2)
    again = read_file(results, "smartyads")
    assert [s.title for s in again] == ["Geo ZIP", "Geo ZIP (2)"]
    assert fresh_titles([*again, *both_csvs[:1]]) == ["Geo ZIP", "Geo ZIP (2)", "Geo ZIP (3)"]
    gathered = [*both_csvs[:1], *again]  # its Geo ZIP (2) comes third: Geo ZIP (3), not Geo ZIP (2) (2)
    assert fresh_titles(gathered) == ["Geo ZIP", "Geo ZIP (2)", "Geo ZIP (3)"]
    out = write_results(gathered, {}, facts(), tmp_path / "gathered.xlsx")
    assert [(s.title, s.frame["zip"].tolist()) for s in read_file(out, "smartyads")] == [
        ("Geo ZIP", ["02134"]), ("Geo ZIP (2)", ["02134"]), ("Geo ZIP (3)", ["94103"])]


def test_number_cells_hold_exactly_the_number_read():
    from bulkops.io._fastresults import number_cells
    from bulkops.kinds import Decimals

    semicolon = Decimals(",", ";")
    values = ["1.000", "0,125", "12,0", "1,5E+03", "-0,5", "9007199254740993", "1.5", "25 €", "", None, 7, 2.5]
    assert number_cells(values, semicolon, whole=False) == [
        1000, 0.125, 12, 1500, -0.5, "9007199254740993", "1.5", "25 €", "", None, 7, 2.5]
    assert number_cells(values, semicolon, whole=True)[:3] == [1000, "0,125", 12]  # 0,125 is no whole number
    # past 2^53 a number cell cannot hold every whole number: the digits, which read alike everywhere
    assert number_cells(["9.007.199.254.740.993"], semicolon, whole=True) == ["9007199254740993"]
    assert number_cells(["9.007.199.254.740.992"], semicolon, whole=True) == ["9007199254740992"]
    assert number_cells(["9.007.199.254.740.991"], semicolon, whole=True) == [9007199254740991]


def pushed_as_new(sheets) -> dict:
    """Outcomes of a push as new: every Campaigns row read with an ID has that as its old ID, and a
    new ID where it made something (its ID cell emptied where it made nothing)."""
    done = outcomes(sheets)
    for (index, row), outcome in list(done.items()):
        old = sheets[index].frame["id"].get(row) if "id" in sheets[index].frame else None
        if index == 0 and isinstance(old, int | float) and old == old:
            done[(index, row)] = ResultRow(outcome.status, outcome.message, outcome.id, blank_id=True, old_id=int(old))
    return done


def assert_old_ids_beside_new(path: Path, done: dict) -> None:
    book = openpyxl.load_workbook(path)
    heads = [c.value for c in book["Campaigns"][1]]
    assert heads.index("Old ID") == heads.index("ID") + 1 and heads.count("Old ID") == 1
    for (index, row), outcome in done.items():
        if index == 0:
            assert book["Campaigns"].cell(row, heads.index("Old ID") + 1).value == outcome.old_id, row
            assert book["Campaigns"].cell(row, heads.index("ID") + 1).value == outcome.id, row
    assert "Old ID" not in [c.value for c in book["Geo ZIP"][1]]  # no row of it was pushed as new


def test_a_push_as_new_writes_the_old_id_beside_the_new_in_both_writers(write_workbook, tmp_path, no_fallback):
    sheets = read_file(job(write_workbook), "smartyads")
    done = pushed_as_new(sheets)
    assert sum(o.old_id is not None for o in done.values()) == 5
    quick, slow = both(sheets, done, tmp_path, "as-new")
    assert differences(quick, slow) == []
    assert_old_ids_beside_new(quick, done)


def test_a_csv_pushed_as_new_gets_the_old_id_column_in_both_writers(write_csv, tmp_path, no_fallback):
    path = write_csv([["ID", "Ref", "Name", "Type", "Advertiser Domain"],
                      *[[str(70 + i), f"r{i}", NAMES[i % len(NAMES)], "banner", "example.com"] for i in range(6)]])
    sheets = read_file(path, "smartyads")
    done = {key: ResultRow(o.status, o.message, o.id, blank_id=True, old_id=70 + n)
            for n, (key, o) in enumerate(outcomes(sheets).items())}
    quick, slow = both(sheets, done, tmp_path, "csv-as-new")
    assert differences(quick, slow) == []
    heads = [c.value for c in openpyxl.load_workbook(quick)["Campaigns"][1]]
    assert heads[:3] == ["ID", "Old ID", "Ref"]
    assert [row[1] for row in openpyxl.load_workbook(quick)["Campaigns"].iter_rows(min_row=2, values_only=True)] \
        == list(range(70, 76))


def test_the_old_id_column_reads_back_as_output_and_is_kept_when_pushed_again(write_workbook, tmp_path, no_fallback):
    """A results workbook of a push as new is an ordinary job: the Old ID column is never sent nor an
    unknown header, and a later push keeps what it shows."""
    sheets = read_file(job(write_workbook), "smartyads")
    done = pushed_as_new(sheets)
    quick, slow = both(sheets, done, tmp_path, "as-new")
    again_quick, again_slow = read_file(quick, "smartyads"), read_file(slow, "smartyads")
    assert [s.problems for s in again_quick] == [[], []]
    assert set(again_quick[0].output_columns) == {"Status", "Message", "Old ID"}
    assert set(again_quick[0].frame.columns) == set(sheets[0].frame.columns)
    second = outcomes(again_quick, seed=1)
    quick2 = write_results(again_quick, second, facts(), tmp_path / "second-quick.xlsx")
    slow2 = openpyxl_results(again_slow, second, facts(), tmp_path / "second-slow.xlsx")
    assert differences(quick2, slow2) == []
    sheet = openpyxl.load_workbook(quick2)["Campaigns"]
    heads = [c.value for c in sheet[1]]
    assert heads.count("Old ID") == 1 and heads.index("Old ID") == heads.index("ID") + 1
    assert {row: sheet.cell(row, heads.index("Old ID") + 1).value for (i, row), o in done.items() if i == 0} \
        == {row: o.old_id for (i, row), o in done.items() if i == 0}
