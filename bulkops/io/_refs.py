"""Cell references moved for a column inserted into a sheet: single references, ranges, range lists
(a validation's `sqref`) and the references inside formulas (conditional formats, validations,
defined names, cells).

Inserting column `at` moves every column from `at` rightwards one place, as Excel's Insert Column
does: a reference to a column left of `at` stays, one at or right of it moves, and a range that
spans `at` grows by one. The sheet's last column (XFD) has nowhere to go and stays where it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.utils import column_index_from_string, get_column_letter

LAST_COLUMN = 16384  # XFD
_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)")
_COLUMN = re.compile(r"(\$?)([A-Za-z]{1,3})")
_ROW = re.compile(r"\$?\d+")
# An operand's sheet: 'My Sheet'! or Sheet! (an external book's [1]Sheet! is not this workbook's).
_QUALIFIED = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!\[\]]+))!(.+)$")


def shifted_column(column: int, at: int) -> int:
    return min(column + 1, LAST_COLUMN) if column >= at else column


@lru_cache(maxsize=4096)
def _letters(letters: str, at: int) -> str:
    column = column_index_from_string(letters.upper())
    return get_column_letter(shifted_column(column, at)) if column <= LAST_COLUMN else letters


def shift_ref(ref: str, at: int) -> str | None:
    """`B2`, `$B$2:D9`, `B:D` or `2:5` with column `at` inserted; None when it is no reference."""
    parts = ref.split(":")
    if len(parts) > 2:
        return None
    moved = []
    for part in parts:
        cell = _CELL.fullmatch(part)
        if cell is not None:
            moved.append(f"{cell[1]}{_letters(cell[2], at)}{cell[3]}{cell[4]}")
            continue
        column = _COLUMN.fullmatch(part) if len(parts) == 2 else None
        if column is not None:
            moved.append(f"{column[1]}{_letters(column[2], at)}")
        elif len(parts) == 2 and _ROW.fullmatch(part):
            moved.append(part)  # whole rows: no column to move
        else:
            return None
    return ":".join(moved)


def shift_sqref(sqref: str, at: int) -> str:
    """A space-separated list of references (`A1 C2:D9`); anything else is kept as it is."""
    return " ".join(shift_ref(ref, at) or ref for ref in sqref.split())


def same_sheet(name: str, title: str) -> bool:
    return name.casefold() == title.casefold()


def _shift_operand(operand: str, at: int, title: str, own: bool) -> str:
    qualified = _QUALIFIED.match(operand)
    if qualified is not None:
        name = qualified[1].replace("''", "'") if qualified[1] is not None else qualified[2]
        if not same_sheet(name, title):
            return operand
        reference = qualified[3]
        moved = shift_ref(reference, at)
        return operand if moved is None else operand[:len(operand) - len(reference)] + moved
    if not own:
        return operand
    return shift_ref(operand, at) or operand


def shift_formula(formula: str, at: int, title: str, *, own: bool) -> str:
    """A formula (with or without its '=') whose references to sheet `title` move with the
    inserted column; with `own`, so do its unqualified references (the formula is on that sheet)."""
    if title.casefold() not in formula.casefold() and not own:
        return formula  # cannot name the sheet: nothing to move
    lead = "" if formula.startswith("=") else "="
    try:
        tokens = Tokenizer(lead + formula)
    except TokenizerError:
        raise ValueError(f"a formula bulkops cannot read: {formula!r}") from None
    changed = False
    for token in tokens.items:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            moved = _shift_operand(token.value, at, title, own)
            changed = changed or moved != token.value
            token.value = moved
    if not changed:
        return formula
    rendered = tokens.render()
    return rendered[len(lead):] if lead else rendered
