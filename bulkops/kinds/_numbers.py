"""Numbers typed as text, read one way only: every column that carries a number goes through `read_number`.

Spreadsheet programs write a CSV's numbers in the computer's regional settings. Excel in German,
French, Spanish or Italian settings writes `;`-separated files with ',' as the decimal mark and '.'
between thousands (`1.000,50`); in English settings `,`-separated files with '.' as the decimal mark
(`1,000.50`). Read the wrong way, `1.000` is 1 instead of 1000 and `0,125` is 125 instead of 0.125,
without a word. So a file's convention is known (from its separator, or the --decimal-comma /
--decimal-point option) and a value that does not fit it is refused; where nothing says which
convention a file uses (a tab-separated CSV, a number typed as text in a workbook), a value that
reads differently under the two is refused with both readings (`1.000`, `0,125`), and one that has
a single reading (`1,5`, `1.000,50`) is read that way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

COMMA, POINT = ",", "."
# Besides the other mark, what people and programs put between thousands: spaces (French Excel
# writes a no-break or narrow no-break space) and apostrophes (Swiss settings).
_GROUP_SEPARATORS = " \u00a0\u202f'\u2019"
_LONGEST = 64  # characters: longer text is not a number a cell means (and int() of it could be slow)
# The usual cells, `1000`, `48.864`, `0,125`, read without the full grammar (a 100,000-row sheet has
# 100,000 distinct coordinates): whole part, then at most one mark and a fraction.
_SIMPLE = re.compile(r"[+-]?([0-9]{1,18})(?:([.,])([0-9]{1,15}))?")
_LONE_ZERO = re.compile(r"([+-]?)0([.,])([0-9]{3})")  # `0,125`, `0.125`: see _readings


class NotANumber(ValueError):
    """The text is not a number (or not one that can be read without guessing); the message says why."""


@dataclass(frozen=True)
class Decimals:
    """How a file writes numbers: its decimal `mark` (',' or '.'), the other mark separating
    thousands. `separator` is the CSV separator it was told from; None when the --decimal-comma
    or --decimal-point option says it."""

    mark: str
    separator: str | None = None

    @property
    def flag(self) -> str:
        return flag_for(self.mark)

    @property
    def why(self) -> str:
        """Why numbers are read this way, as a message puts it after a reading."""
        if self.separator is None:
            return f"{self.flag} says numbers use '{self.mark}' for decimals"
        return f"this file's numbers use '{self.mark}' for decimals"

    def misfit(self, text: str) -> str:
        """The message for a text that is no number in this convention."""
        other = _other(self.mark)
        elsewhere = _parse(text, other)
        if elsewhere is None:
            return f"{_quoted(text)} is not a number"
        written = spelled(elsewhere, self.mark)
        if self.separator is None:
            return (f"{_quoted(text)} is not a number with '{self.mark}' for decimals, as {self.flag} says: "
                    f"write {written}, or leave {self.flag} out")
        return (f"{_quoted(text)} does not fit this file's numbers, which use '{self.mark}' for decimals (the file is "
                f"{_separated(self.separator)}): write {written}, or pass {flag_for(other)} if its numbers use "
                f"'{other}' for decimals")


def flag_for(mark: str) -> str:
    return "--decimal-comma" if mark == COMMA else "--decimal-point"


def chosen(mark: str | None) -> Decimals | None:
    """The convention the --decimal-comma / --decimal-point option names (None: not given)."""
    if mark is None:
        return None
    if mark not in (COMMA, POINT):
        raise ValueError(f"the decimal mark is ',' or '.', not {mark!r}")
    return Decimals(mark)


def for_separator(separator: str | None) -> Decimals | None:
    """The convention a CSV's separator implies: ';' is what spreadsheet programs write where ','
    is the decimal mark, ',' where '.' is; a tab (or no separator) says nothing."""
    if separator == ";":
        return Decimals(COMMA, ";")
    if separator == ",":
        return Decimals(POINT, ",")
    return None


def _other(mark: str) -> str:
    return POINT if mark == COMMA else COMMA


def _separated(separator: str) -> str:
    return "tab-separated" if separator == "\t" else f"'{separator}'-separated"


def _grammar(mark: str) -> re.Pattern[str]:
    """A number with `mark` for decimals: digits, or groups of three after a first group of one to
    three (not starting with 0) separated by one and the same character; then the mark and the
    fraction; then an exponent. `.5` and `5.` are numbers too."""
    groups = re.escape(_other(mark) + _GROUP_SEPARATORS)
    point = re.escape(mark)
    return re.compile(
        rf"(?P<sign>[+-]?)"
        rf"(?:(?P<whole>[0-9]+|[1-9][0-9]{{0,2}}(?P<sep>[{groups}])[0-9]{{3}}(?:(?P=sep)[0-9]{{3}})*)"
        rf"(?:{point}(?P<fraction>[0-9]*))?|{point}(?P<bare>[0-9]+))"
        rf"(?:[eE](?P<exponent>[+-]?[0-9]{{1,3}}))?")


_GRAMMARS = {COMMA: _grammar(COMMA), POINT: _grammar(POINT)}


def _parse(text: str, mark: str) -> int | float | None:
    """The number `text` means with `mark` for decimals; None if it is not one. Whole numbers are
    ints (exact however long), others floats."""
    match = _GRAMMARS[mark].fullmatch(text)
    if match is None:
        return None
    whole = match["whole"] or "0"
    if match["sep"]:
        whole = whole.replace(match["sep"], "")
    fraction = match["fraction"] or match["bare"] or ""
    exponent = match["exponent"]
    if exponent is None and not fraction.strip("0"):
        return int(match["sign"] + whole)
    number = float(f"{match['sign']}{whole}.{fraction or '0'}e{exponent or '0'}")
    return number if number - number == 0 else None  # infinite: no number a cell means


def read_number(text: str, decimals: Decimals | None) -> int | float:
    """The number a cell's text means in the file's convention (None: the file does not say).
    Raises NotANumber saying why it is not one, or, in no known convention, the two numbers it
    could be."""
    cleaned = text.strip()
    simple = _SIMPLE.fullmatch(cleaned)
    if simple is not None:  # what _parse gives, quicker
        whole, mark, fraction = simple.groups()
        if mark is None:  # digits alone read the same in every convention
            return int(cleaned)
        # the mark is the decimal one: the file's, or where that is not known, one that cannot be
        # between thousands (not three digits after it, or a whole part no thousands group can be)
        if (mark == decimals.mark if decimals is not None
                else len(fraction) != 3 or len(whole) > 3):
            if not fraction.strip("0"):
                return int(cleaned.partition(mark)[0])
            return float(cleaned if mark == POINT else cleaned.replace(COMMA, POINT))
    if len(cleaned) > _LONGEST:
        raise NotANumber(f"{_quoted(cleaned[:20] + '…')} is not a number")
    if decimals is not None:
        found = _parse(cleaned, decimals.mark)
        if found is None:
            raise NotANumber(decimals.misfit(cleaned))
        return found
    point, comma = _readings(cleaned)
    if point is None and comma is None:
        raise NotANumber(f"{_quoted(cleaned)} is not a number")
    if point is None or comma is None or point == comma:
        return comma if point is None else point
    raise NotANumber(_ambiguous(cleaned, point, comma))


def _readings(text: str) -> tuple[int | float | None, int | float | None]:
    """What `text` means with '.' and with ',' for decimals, where nothing says which. `0,125` has
    both readings: no spreadsheet groups thousands after a lone 0, but a reader that drops the mark
    between thousands makes it 125, so the cell is asked about, not guessed."""
    lone = _LONE_ZERO.fullmatch(text)
    if lone is not None:
        sign, mark, digits = lone.groups()
        as_decimal, as_thousands = _parse(f"{sign}0.{digits}", POINT), int(sign + digits)
        return (as_decimal, as_thousands) if mark == POINT else (as_thousands, as_decimal)
    return _parse(text, POINT), _parse(text, COMMA)


def is_number(text: str) -> bool:
    """Whether the text is a number in either convention (however it would be read)."""
    cleaned = text.strip()
    return len(cleaned) <= _LONGEST and (_parse(cleaned, POINT) is not None or _parse(cleaned, COMMA) is not None)


def _ambiguous(text: str, point: int | float, comma: int | float) -> str:
    mark = POINT if POINT in text else COMMA  # an ambiguous text holds one kind of mark, once
    as_decimal, as_thousands = (point, comma) if mark == POINT else (comma, point)
    # each reading written so that it has no other: 48.864 reads two ways both with '.' and with ',',
    # so a trailing 0 makes its fraction four digits long (48.8640), which no thousands group is
    clear = [next(s for s in _spellings(r) if _unambiguous(s)) for r in (as_decimal, as_thousands)
             if any(_unambiguous(s) for s in _spellings(r))]
    instead = {0: "", 1: f", or write {clear[0]} if that is what it means"}.get(len(clear),
                                                                              f", or write {' or '.join(clear)}")
    return (f"{_quoted(text)} could be {plain(as_decimal)} ('{mark}' as the decimal mark) or {plain(as_thousands)} "
            f"('{mark}' between thousands), and nothing says which this file uses: pass --decimal-comma or "
            f"--decimal-point to say so{instead}")


def _spellings(number: int | float) -> list[str]:
    written = [spelled(number, POINT), spelled(number, COMMA)]
    return written + [f"{text}0" for text in written if POINT in text or COMMA in text]


def _unambiguous(text: str) -> bool:
    point, comma = _readings(text)
    return point is None or comma is None or point == comma


def plain(number: int | float) -> str:
    """A number as plain digits: `1000`, `0.125`, `48.864`."""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number) if isinstance(number, float) else str(number)


def spelled(number: int | float, mark: str) -> str:
    """`plain`, with `mark` for decimals."""
    return plain(number).replace(POINT, mark)


def _quoted(text: str) -> str:
    # not repr(): that would show a no-break space as '\xa0', which is not how the cell reads
    return f"'{text}'"


def as_typed(raw: Any, value: Any, decimals: Decimals | None) -> str:
    """A number for a message, quoting the cell as typed: `'48.864' (read as 48864: this file's
    numbers use ',' for decimals)`; a number cell as its number (`48864`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(raw, str) and raw.strip():
        text = raw.strip()
        if text == plain(value):
            return _quoted(text)
        why = f": {decimals.why}" if decimals is not None else ""
        return f"{_quoted(text)} (read as {plain(value)}{why})"
    return plain(value)
