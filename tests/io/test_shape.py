"""Merged cells and hidden rows, columns and sheets, read from the archive (see _shape.py)."""

from __future__ import annotations

import openpyxl
import pytest

from bulkops.io import _shape
from tests import _hostile as h
from tests.conftest import campaign


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_tags_are_found_whatever_the_chunk_boundaries(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(_shape, "_CHUNK", chunk)
    path = h.valid_xlsx(tmp_path, rows=[campaign(ref=f"c{n}", name=f"hidden {n}") for n in range(12)])
    book = openpyxl.load_workbook(path)
    sheet = book["Campaigns"]
    for row in (3, 9, 13):
        sheet.row_dimensions[row].hidden = True
    sheet.column_dimensions["C"].hidden = True
    sheet.merge_cells("B5:B6")
    sheet.merge_cells("D8:E8")
    book.save(path)
    shape = _shape.read_shapes(path, {"Campaigns"})["Campaigns"]
    assert shape.hidden_rows == {3, 9, 13} and shape.hidden_columns == {3}
    assert sorted(shape.merged) == [(2, 5, 2, 6), (4, 8, 5, 8)]
    assert shape.state == "visible"
