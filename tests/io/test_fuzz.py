"""Fuzz: whatever a workbook's cells or a CSV's bytes hold, reading and validating raise nothing
but InputError (which the CLI turns into exit 2 with the file's name); every other problem is a
record on its row and column.

Examples are bounded (and the database off) so the suite stays fast and deterministic in CI.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from bulkops._exceptions import InputError
from bulkops.io import read_files
from bulkops.kinds import PLATFORMS, kinds_for
from bulkops.validation import validate_sheets

pytestmark = pytest.mark.slow

FUZZ = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
KINDS = [(platform, kind) for platform in PLATFORMS for kind in kinds_for(platform)]

# What a buyer's cell may hold: the templates' example values, lookalikes of them, and anything.
_text = st.text(max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
_nasty = st.sampled_from(["", " ", "=1+1", "+1", "-1", "@x", "1e309", "nan", "inf", "-0", "1,000", "1.000,5",
                          "0x10", "١٢٣", "TRUE", "yes", "2027-02-30", "03/01/2027", "9" * 40, "../../etc/passwd",
                          "/etc/passwd", "~nobody-here/x.png", "a" * 300 + ".png", "x\ny", "IAB1, IAB999",
                          "include", "replace", "c1", "c1, c2", "Campaign One", "banner-image", "USA", "02134"])
_cell = st.one_of(
    st.none(), _text, _nasty, st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1)),
)


def _check(paths: list[Path], platform: str, kind: str | None = None) -> None:
    # InputError is the project's own error for input it cannot use (the CLI's exit 2); any other
    # exception fails the test.
    with contextlib.suppress(InputError):
        validate_sheets(read_files(paths, platform, kind=kind))


@FUZZ
@given(choice=st.sampled_from(KINDS), data=st.data())
def test_any_cells_in_a_workbook(choice, data):
    platform, kind = choice
    labels = [c.label for c in kind.columns]
    headers = data.draw(st.lists(st.one_of(st.sampled_from(labels), _text), min_size=1, max_size=len(labels) + 2,
                                 unique=True), label="headers")
    rows = data.draw(st.lists(st.lists(_cell, max_size=len(headers) + 1), max_size=6), label="rows")
    # rows that start as the template's example and have a few cells spoiled reach the deeper rules
    # (cross-field checks, files, references) that a row of noise never gets past
    example = [c.example for c in kind.columns]
    for _ in range(data.draw(st.integers(0, 4), label="near-valid rows")):
        spoiled = {data.draw(st.integers(0, len(labels) - 1)): data.draw(_cell) for _ in range(data.draw(
            st.integers(1, 3)))}
        rows.append([spoiled.get(i, value) for i, value in enumerate(example)])
    if rows and len(rows[-1]) == len(labels):
        headers = labels
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = kind.sheet
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "job.xlsx"
        book.save(path)
        _check([path], platform)


@FUZZ
@given(choice=st.sampled_from(KINDS), head=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
       body=st.binary(max_size=600), data=st.data())
def test_any_bytes_in_a_csv(choice, head, body, data):
    platform, kind = choice
    header = data.draw(st.sampled_from([b"", ",".join(c.label for c in kind.columns).encode() + b"\r\n",
                                        ";".join(c.field for c in kind.columns).encode() + b"\n"]), label="header")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind.name}.csv"
        path.write_bytes(head + header + body)
        _check([path], platform)


@FUZZ
@given(choice=st.sampled_from(KINDS), values=st.lists(st.lists(st.one_of(_text, _nasty), max_size=8), max_size=6))
def test_any_text_in_a_csv(choice, values):
    import csv

    platform, kind = choice
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.label for c in kind.columns])
            writer.writerows(values)
        _check([path], platform, kind=kind.name)


FILE_CELLS = [(platform, kind, column) for platform, kind in KINDS for column in kind.columns
              if column.field in ("mediaFile", "logoFile", "file")]
_path_text = st.one_of(_nasty, _text, st.text(alphabet="~/.\\:a", max_size=12),
                       st.builds(lambda n: "a/" * n, st.integers(0, 3000)))  # NUL: no xlsx cell can hold one


@FUZZ
@given(choice=st.sampled_from(FILE_CELLS), text=_path_text)
def test_any_text_in_a_file_cell(choice, text):
    """Paths are resolved on the user's disk: a NUL, a name too long, an unknown ~user are still a
    problem on the row, not a crash."""
    platform, kind, column = choice
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = kind.sheet
    sheet.append([c.label for c in kind.columns])
    sheet.append([text if c is column else c.example for c in kind.columns])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "job.xlsx"
        book.save(path)
        _check([path], platform)
