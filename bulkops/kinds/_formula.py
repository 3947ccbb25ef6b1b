"""A formula cell as a reader hands it over: never a value to send.

A reader turns the constant formulas LibreOffice writes for every TRUE/FALSE cell (`TRUE()`,
`FALSE()`, with an agreeing saved value) into the value itself; every other formula reaches
coercion as a `Formula`, which is refused with what the cell really holds: its formula and the
value the file saved for it (what the buyer sees in the cell).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# The formula texts that are constants, by the value they stand for (compared stripped, in any case).
CONSTANTS: dict[str, bool] = {"=TRUE()": True, "=FALSE()": False}


class Formula(str):
    """The formula's text as the reader gives it (`=B2*2`), and `shown`: the value the file saved for
    it (None when it saved none). A str, so that code handling raw cells (headers, the results
    workbook's copy of a CSV job) sees the text it saw before; coercion refuses it."""

    shown: Any

    def __new__(cls, text: str, shown: Any = None) -> Formula:
        formula = super().__new__(cls, text)
        formula.shown = shown
        return formula

    @property
    def refusal(self) -> str:
        saved = "with no saved value" if _blank(self.shown) else f"showing {_display(self.shown)}"
        return f"is a formula ({self}) {saved}; bulkops never sends formulas: type the value itself"


def constant_of(text: str, shown: Any) -> bool | None:
    """The value of a constant formula whose saved value agrees with it (`=TRUE()` showing TRUE);
    None for any other formula, or a constant saved with another value or none."""
    value = CONSTANTS.get(text.strip().upper())
    return value if value is not None and shown is value else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value)


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str) and value.startswith("#"):
        return value  # an error value (#DIV/0!, #N/A), shown as the spreadsheet shows it
    if isinstance(value, str):
        return repr(value)
    return str(value)
