"""The page's rendering of a sheet is bounded: its first rows, the rows with a problem, a gap marker
between, and every problem still in the table."""

from __future__ import annotations

import bulkops
from bulkops.ui._views import FIRST_ROWS, PROBLEM_ROWS, check_view, duration
from tests.conftest import campaign


def test_a_long_sheet_shows_its_first_rows_and_its_bad_rows_only(write_campaigns_xlsx):
    bad = [89, *range(120, 200)]  # 81 bad rows: more than the rendering shows
    rows = [campaign(ref=f"c{i}", name=f"Campaign {i}", type="billboard" if i in bad else "banner")
            for i in range(200)]
    path = write_campaigns_xlsx(rows, name="long.xlsx")
    view = check_view(bulkops.validate(path, platform="smartyads"), {path: "long.xlsx"})
    [grid] = view.grids
    numbers = [r.number for r in grid.rows]
    first = list(range(2, 2 + FIRST_ROWS))
    shown_bad = [i + 2 for i in bad][:PROBLEM_ROWS]  # spreadsheet rows: the header is row 1
    assert [n for n in numbers if n is not None] == first + shown_bad
    # A gap marker wherever rows are left out, and after the last row shown.
    assert numbers[FIRST_ROWS] is None and numbers[FIRST_ROWS + 2] is None and numbers[-1] is None
    assert len(view.problems) == len(bad) and grid.total_rows == 200  # the table has them all
    marked = [c for r in grid.rows if r.number == 91 for c in r.cells if c.problems]
    assert [c.text for c in marked] == ["billboard"] and marked[0].severity == "error"


def test_durations_are_said_as_people_say_them():
    assert [duration(s) for s in (0, 59.4, 61, 3599, 3600, 7322)] == [
        "0 s", "59 s", "1 min 01 s", "59 min 59 s", "1 h 00 min", "2 h 02 min"]
