from __future__ import annotations

import datetime as dt

import pytest

from bulkops.kinds import CellError, ColType, Column, Decimals, coerce


def col(kind: ColType, choices: tuple[str, ...] = ()) -> Column:
    return Column("Label", "field", kind, "note", choices=choices)


@pytest.mark.parametrize("raw", [True, "TRUE", "true", "Yes", "y", "1", 1, 1.0, "on"])
def test_truthy_cells(raw):
    assert coerce(col(ColType.BOOL), raw) is True


@pytest.mark.parametrize("raw", [False, "FALSE", "no", "N", "0", 0, "off"])
def test_falsy_cells(raw):
    assert coerce(col(ColType.BOOL), raw) is False


@pytest.mark.parametrize("raw", ["maybe", 2, "truee"])
def test_bool_refuses_other_values(raw):
    with pytest.raises(CellError, match="TRUE/FALSE"):
        coerce(col(ColType.BOOL), raw)


@pytest.mark.parametrize("raw,expected", [("include", True), ("Exclude", False), ("whitelist", True),
                                          ("blacklist", False), (True, True), ("no", False)])
def test_include_exclude(raw, expected):
    assert coerce(col(ColType.INCLUDE), raw) is expected


@pytest.mark.parametrize("raw,expected", [
    (dt.datetime(2027, 3, 1, 0, 0), dt.date(2027, 3, 1)),
    (dt.date(2027, 3, 1), dt.date(2027, 3, 1)),
    ("2027-03-01", dt.date(2027, 3, 1)),
    ("2027/3/1", dt.date(2027, 3, 1)),
    ("2027-03-01T10:00:00", dt.date(2027, 3, 1)),
    (46447, dt.date(2027, 3, 1)),  # an Excel serial number, as CSV exports sometimes carry
    ("46447", dt.date(2027, 3, 1)),
])
def test_dates_people_type(raw, expected):
    assert coerce(col(ColType.DATE), raw) == expected


@pytest.mark.parametrize("raw", ["03/01/2027", "March 1st", "2027-02-30", 12])
def test_ambiguous_or_wrong_dates_are_refused(raw):
    with pytest.raises(CellError):
        coerce(col(ColType.DATE), raw)


@pytest.mark.parametrize("raw,expected", [(5, 5), (5.0, 5), ("5", 5), (" 1,000 ", 1000), ("12.0", 12)])
def test_integers(raw, expected):
    assert coerce(col(ColType.INT), raw, Decimals(".", ",")) == expected


@pytest.mark.parametrize("raw", [5.5, "5.5", "five", True, "1,5"])
def test_integers_refuse_fractions_and_words(raw):
    with pytest.raises(CellError):
        coerce(col(ColType.INT), raw, Decimals(".", ","))


def test_lists_split_on_commas_or_one_item_per_line():
    assert coerce(col(ColType.LIST), "a, b,, c ") == ["a", "b", "c"]
    # A cell with a line break is one item per line: an item may hold a comma there.
    assert coerce(col(ColType.LIST), "ISP, Inc.\r\n b\n\nc, d") == ["ISP, Inc.", "b", "c, d"]
    assert coerce(col(ColType.LIST), "ISP, Inc.\n") == ["ISP, Inc."]  # one such item: its line break says so


def test_lists_of_codes_split_at_commas_and_line_breaks_alike():
    # Their items never hold a comma (an ID, a code, an enumerated value): no line is one item.
    ids = Column("IDs", "ids", ColType.LIST, "note", pattern=r"^[0-9]+$")
    assert coerce(ids, "a, b\nc\r\n d,,") == ["a", "b", "c", "d"]
    assert coerce(col(ColType.ENUM_LIST, ("Android 9.0", "iOS")), "iOS, android 9.0\n") == ["iOS", "Android 9.0"]


def test_enum_values_are_canonicalised_case_insensitively():
    column = col(ColType.ENUM_LIST, ("Android 9.0", "iOS"))
    assert coerce(column, "android 9.0\nIOS") == ["Android 9.0", "iOS"]
    assert coerce(col(ColType.ENUM, ("fast", "pacer")), "Pacer") == "pacer"


def test_unknown_enum_value_passes_through_for_the_schema_to_report():
    assert coerce(col(ColType.ENUM, ("fast", "pacer")), "even") == "even"


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan")])
def test_blank_cells_are_none(raw):
    assert coerce(col(ColType.TEXT), raw) is None


def test_text_keeps_leading_zeros_and_drops_float_tails():
    assert coerce(col(ColType.TEXT), "02134") == "02134"
    assert coerce(col(ColType.TEXT), 2134.0) == "2134"


@pytest.mark.parametrize("column_type", list(ColType))
def test_formulas_are_never_values(column_type):
    with pytest.raises(CellError, match="formula"):
        coerce(col(column_type), "=HYPERLINK(\"http://evil\")")
