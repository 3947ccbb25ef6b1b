"""Numbers typed as text: one reading in the file's convention, both readings refused where none is known."""

from __future__ import annotations

import pytest

from bulkops.kinds import (
    CellError,
    ColType,
    Column,
    Decimals,
    NotANumber,
    as_typed,
    chosen,
    coerce,
    for_separator,
    read_number,
)

SEMICOLON = Decimals(",", ";")  # what a ';'-separated CSV says: ',' for decimals
COMMA_FILE = Decimals(".", ",")  # a ','-separated CSV: '.' for decimals


@pytest.mark.parametrize("text,expected", [
    ("1.000", 1000), ("0,125", 0.125), ("2,500", 2.5), ("1.500", 1500), ("1,5", 1.5), ("48,864", 48.864),
    ("1.000,50", 1000.5), ("1.234.567,89", 1234567.89), ("-0,5", -0.5), ("+12", 12), ("12,0", 12),
    ("1 000,5", 1000.5), ("1\u00a0000,5", 1000.5), ("1\u202f000,5", 1000.5), ("1,5E+03", 1500.0), (" 7 ", 7),
])
def test_a_semicolon_file_reads_comma_as_the_decimal_mark(text, expected):
    assert read_number(text, SEMICOLON) == expected


@pytest.mark.parametrize("text,expected", [
    ("1,000", 1000), ("0.125", 0.125), ("2.50", 2.5), ("1,000.50", 1000.5), ("48.864", 48.864), ("1.000", 1),
    ("1 000.5", 1000.5), ("1'000.5", 1000.5), ("12.0", 12), ("1e3", 1000.0), (".5", 0.5),
])
def test_a_comma_file_reads_point_as_the_decimal_mark(text, expected):
    assert read_number(text, COMMA_FILE) == expected


@pytest.mark.parametrize("text,decimals,suggested,flag", [
    ("1.5", SEMICOLON, "write 1,5", "--decimal-point"),
    ("0.125", SEMICOLON, "write 0,125", "--decimal-point"),
    ("1,000.50", SEMICOLON, "write 1000,5", "--decimal-point"),
    ("1,5", COMMA_FILE, "write 1.5", "--decimal-comma"),
    ("0,125", COMMA_FILE, "write 0.125", "--decimal-comma"),
    ("1.000,50", COMMA_FILE, "write 1000.5", "--decimal-comma"),
])
def test_a_value_that_does_not_fit_the_files_convention_is_refused_not_guessed(text, decimals, suggested, flag):
    with pytest.raises(NotANumber) as refused:
        read_number(text, decimals)
    message = str(refused.value)
    assert message.startswith(f"'{text}' does not fit this file's numbers, which use '{decimals.mark}' for decimals "
                              f"(the file is '{decimals.separator}'-separated)")
    assert suggested in message and flag in message


@pytest.mark.parametrize("text,first,second", [
    ("1.000", "1 ('.' as the decimal mark)", "1000 ('.' between thousands)"),
    ("2,500", "2.5 (',' as the decimal mark)", "2500 (',' between thousands)"),
    ("48,864", "48.864 (',' as the decimal mark)", "48864 (',' between thousands)"),
    ("1,000", "1 (',' as the decimal mark)", "1000 (',' between thousands)"),
    # no spreadsheet groups thousands after a lone 0, but a reader that drops the mark would make it 125
    ("0,125", "0.125 (',' as the decimal mark)", "125 (',' between thousands)"),
    ("0.125", "0.125 ('.' as the decimal mark)", "125 ('.' between thousands)"),
])
def test_where_nothing_says_a_value_that_reads_two_ways_is_refused_with_both(text, first, second):
    with pytest.raises(NotANumber) as refused:
        read_number(text, None)
    message = str(refused.value)
    assert message.startswith(f"'{text}' could be {first} or {second}")
    assert "--decimal-comma or --decimal-point" in message


def test_the_refusal_suggests_only_spellings_that_read_one_way():
    with pytest.raises(NotANumber, match=r"or write 2\.5 or 2500$"):
        read_number("2,500", None)
    # 48.864 and 0.125 are as ambiguous as the cell: a fourth decimal makes the fraction no thousands group
    with pytest.raises(NotANumber, match=r"or write 48\.8640 or 48864$"):
        read_number("48,864", None)
    with pytest.raises(NotANumber, match=r"or write 0\.1250 or 125$"):
        read_number("0,125", None)
    assert read_number("48.8640", None) == 48.864 and read_number("0,1250", None) == 0.125


@pytest.mark.parametrize("text,expected", [
    ("1,5", 1.5), ("1.5", 1.5), ("1.000,50", 1000.5), ("1,000.50", 1000.5), ("1.234.567", 1234567),
    ("1,234,567", 1234567), ("12,3456", 12.3456), ("1234,567", 1234.567),
    ("0,5", 0.5), ("0.1250", 0.125), ("0,000", 0),  # a lone 0 and other than three digits, or zero both ways
    ("1 000", 1000), ("46447", 46447),
])
def test_where_nothing_says_a_value_with_one_reading_is_read_that_way(text, expected):
    assert read_number(text, None) == expected


@pytest.mark.parametrize("text", ["1.0000.000", "12.34.567", "1,2,3", "1.000 000", "1.00.000", "abc", "nan",
                                  "inf", "1_000", "١٢٣", "--1", "1,5,", "", "9" * 70])
def test_thousands_groups_are_groups_of_three_and_nothing_else_is_a_number(text):
    for decimals in (SEMICOLON, COMMA_FILE, None):
        with pytest.raises(NotANumber):
            read_number(text, decimals)


def test_whole_numbers_stay_exact_however_long():
    assert read_number("123456789012345678901", SEMICOLON) == 123456789012345678901
    assert read_number("123.456.789.012.345.678.901", SEMICOLON) == 123456789012345678901


def test_the_option_names_its_own_convention_in_its_messages():
    with pytest.raises(NotANumber, match=r"^'1\.5' is not a number with ',' for decimals, as --decimal-comma says: "
                                         r"write 1,5, or leave --decimal-comma out$"):
        read_number("1.5", chosen(","))
    assert read_number("1.000", chosen(",")) == 1000 and read_number("1.000", chosen(".")) == 1


def test_the_separator_says_the_convention_and_a_tab_says_nothing():
    assert for_separator(";") == SEMICOLON and for_separator(",") == COMMA_FILE
    assert for_separator("\t") is None and for_separator(None) is None


def test_a_number_in_a_message_quotes_the_cell_as_typed():
    assert as_typed("48.864", 48864, SEMICOLON) == "'48.864' (read as 48864: this file's numbers use ',' for decimals)"
    assert as_typed("0,125", 0.125, None) == "'0,125' (read as 0.125)"
    assert as_typed("120", 120.0, SEMICOLON) == "'120'"
    assert as_typed(48864.0, 48864.0, SEMICOLON) == "48864"  # a number cell is its number


def col(kind: ColType) -> Column:
    return Column("Label", "field", kind, "note")


@pytest.mark.parametrize("column_type,text,expected", [
    (ColType.INT, "1.000", 1000), (ColType.NUMBER, "0,125", 0.125), (ColType.NUMBER, "2,500", 2.5),
    (ColType.INT, "1.500", 1500), (ColType.NUMBER, "48,864", 48.864),
])
def test_every_number_column_goes_through_the_one_reading(column_type, text, expected):
    assert coerce(col(column_type), text, SEMICOLON) == expected


def test_a_fraction_in_a_whole_number_column_is_quoted_as_typed():
    with pytest.raises(CellError, match=r"^'1,5' \(read as 1\.5: this file's numbers use ',' for decimals\) is not a "
                                        r"whole number$"):
        coerce(col(ColType.INT), "1,5", SEMICOLON)


def test_number_cells_are_numbers_whatever_the_convention():
    assert coerce(col(ColType.NUMBER), 1.5, SEMICOLON) == 1.5
    assert coerce(col(ColType.INT), 1000, COMMA_FILE) == 1000


def test_an_excel_day_number_typed_as_text_is_read_in_the_files_convention():
    import datetime as dt

    assert coerce(col(ColType.DATETIME), "46447,5", SEMICOLON) == dt.datetime(2027, 3, 1, 12, 0)
    assert coerce(col(ColType.DATE), "46447", None) == dt.date(2027, 3, 1)
    with pytest.raises(CellError, match="does not fit"):
        coerce(col(ColType.DATETIME), "46447,5", COMMA_FILE)
    with pytest.raises(CellError, match="write it as YYYY-MM-DD"):
        coerce(col(ColType.DATE), "01.03.2027", SEMICOLON)


@pytest.mark.parametrize("word,expected", [("WAHR", True), ("FALSCH", False), ("VRAI", True), ("FAUX", False),
                                           ("VERDADERO", True), ("FALSO", False), ("VERO", True), ("Wahr", True)])
def test_excels_true_and_false_in_german_french_spanish_and_italian(word, expected):
    assert coerce(col(ColType.BOOL), word) is expected
    assert coerce(col(ColType.INCLUDE), word) is expected


@pytest.mark.parametrize("column_type", [ColType.DATE, ColType.DATETIME])
def test_a_day_number_typed_as_text_is_quoted_as_typed_when_refused(column_type):
    column = Column("Start", "start", column_type, "")
    with pytest.raises(CellError, match=r"^'1e3' is not a date"):
        coerce(column, "1e3")
