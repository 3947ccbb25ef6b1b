"""Each column type is one object: what it writes into a cell reads back as the same value, through
the same object, and what a platform answers reads as the value a cell would give."""

from __future__ import annotations

import datetime as dt

import pytest

from bulkops.kinds import CELL_TYPES, ColType, Column, coerce

SAMPLES = {
    ColType.TEXT: "0123", ColType.INT: 42, ColType.NUMBER: 2.5, ColType.BOOL: False, ColType.INCLUDE: False,
    ColType.DATE: dt.date(2027, 3, 1), ColType.DATETIME: dt.datetime(2027, 3, 1, 9, 30), ColType.ENUM: "user",
    ColType.LIST: ["ISP, Inc.", "Other"], ColType.ENUM_LIST: ["IAB1", "IAB2"], ColType.FILE: "media/a.png",
    ColType.ACTIVE: False,
}


def column(kind: ColType) -> Column:
    choices = {ColType.ENUM: ("user", "ip"), ColType.ENUM_LIST: ("IAB1", "IAB2"),
               ColType.INCLUDE: ("include", "exclude")}.get(kind, ())
    return Column("Label", "field", kind, "note", choices=choices)


def test_every_type_has_its_cell_type():
    assert set(CELL_TYPES) == set(ColType)
    assert all(kind.cell is CELL_TYPES[kind] for kind in ColType)


@pytest.mark.parametrize("kind", list(ColType))
def test_a_value_written_to_a_cell_reads_back_as_itself(kind):
    declared = column(kind)
    assert coerce(declared, declared.cell.to_cell(SAMPLES[kind])) == SAMPLES[kind]


@pytest.mark.parametrize("kind", list(ColType))
def test_a_platform_value_reads_as_the_value_of_its_cell(kind):
    declared = column(kind)
    assert declared.cell.from_api(declared, SAMPLES[kind]) == SAMPLES[kind]
    assert declared.cell.from_api(declared, None) is None


def test_strict_reading_leaves_a_value_of_another_shape_blank():
    assert column(ColType.BOOL).cell.from_api(column(ColType.BOOL), 1, strict=True) is None
    assert column(ColType.BOOL).cell.from_api(column(ColType.BOOL), 1) is True
    assert column(ColType.ENUM).cell.from_api(column(ColType.ENUM), "USER", strict=True) == "user"
    assert column(ColType.ENUM).cell.from_api(column(ColType.ENUM), "nobody", strict=True) is None
    assert column(ColType.INT).cell.from_api(column(ColType.INT), True, strict=True) is None


def test_templates_and_exports_format_cells_by_type():
    assert {kind for kind in ColType if kind.cell.number_format == "@"} == {ColType.TEXT, ColType.LIST, ColType.FILE}
    assert ColType.DATE.cell.number_format == "yyyy-mm-dd"
    assert ColType.DATETIME.cell.number_format == "yyyy-mm-dd hh:mm"
    assert ColType.BOOL.cell.dropdown(column(ColType.BOOL)) == ("TRUE", "FALSE")
    assert ColType.INCLUDE.cell.dropdown(column(ColType.INCLUDE)) == ("include", "exclude")


@pytest.mark.parametrize(("typed", "active"), [
    ("active", True), ("Paused", False), ("pause", False), ("resume", True), ("TRUE", True), ("0", False),
    (True, True), ("FALSCH", False)])
def test_an_on_off_switch_reads_the_words_a_buyer_pausing_and_resuming_types(typed, active):
    assert coerce(column(ColType.ACTIVE), typed) is active


def test_an_on_off_switch_is_written_and_shown_as_those_words():
    switch = CELL_TYPES[ColType.ACTIVE]
    assert (switch.to_cell(True), switch.to_cell(False)) == ("active", "paused")
    assert switch.dropdown(column(ColType.ACTIVE)) == ("active", "paused")
