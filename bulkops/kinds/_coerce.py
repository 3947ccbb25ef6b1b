"""Turn what people really type into typed values, one cell at a time.

`coerce` refuses what is never a value (a formula) and hands the rest to the column's cell type
(`ColType.cell.from_cell`, in `_celltypes`), which reads it with one of the readers below. Each
returns the typed value (None for a blank cell) or raises `CellError` with a message that says what
was wrong and what would be accepted.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bulkops.kinds._formula import Formula
from bulkops.kinds._numbers import Decimals, NotANumber, as_typed, is_number, read_number

if TYPE_CHECKING:
    from bulkops.kinds._declare import Column

# Excel in German, French, Spanish and Italian settings writes TRUE and FALSE in a CSV in its own
# words; none of them means the opposite in another of these languages (FALSO is false in two).
_TRUE = {"true", "yes", "y", "1", "on", "t", "wahr", "vrai", "verdadero", "vero"}
_FALSE = {"false", "no", "n", "0", "off", "f", "falsch", "faux", "falso"}
_INCLUDE = {"include", "included", "whitelist", "allow", "allowlist"} | _TRUE
_EXCLUDE = {"exclude", "excluded", "blacklist", "block", "blocklist"} | _FALSE
# An on/off switch (a creative's or a campaign's): the words a buyer pausing and resuming types.
_ACTIVE = {"active", "activate", "resume", "resumed", "running", "enabled", "enable"} | _TRUE
_PAUSED = {"paused", "pause", "inactive", "stopped", "stop", "disabled", "disable"} | _FALSE
_LINE_BREAK = re.compile(r"\r\n|[\n\r]")
_ANY_SEPARATOR = re.compile(r"[,\n\r]")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# What a reader hands over for a cell that holds a value (datetime is a date; numpy numbers register
# as numbers.Real); anything else is a formula object or worse, never a value to send.
_PLAIN = (str, numbers.Real, dt.date, dt.time, dt.timedelta)


class Text(str):
    """Text that a reader knows is text although it starts with '=': a quote-prefixed string cell of
    a workbook, or an apostrophe-escaped CSV value (how bulkops writes platform text)."""

    __slots__ = ()


class CellError(ValueError):
    """The cell cannot be read as its column's type."""


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, dt.datetime) and value != value:  # pandas' NaT: a blank cell of a column of dates
        return True
    return isinstance(value, str) and not value.strip()


def coerce(column: Column, value: Any, decimals: Decimals | None = None) -> Any:
    """The cell's typed value; `decimals`: how the file writes numbers as text (None: it does not say)."""
    return _coerced(column.type.cell.from_cell, column, value, decimals)


def _coerced(read: Callable[[Column, Any, Decimals | None], Any], column: Column, value: Any,
             decimals: Decimals | None) -> Any:
    """`coerce`, the column type's reader looked up once (`coerce_column` reads a whole column with it)."""
    if is_blank(value):
        return None
    if isinstance(value, Formula):  # a formula cell: its text and the value it shows
        raise CellError(value.refusal)
    if isinstance(value, str) and not isinstance(value, Text) and value.lstrip().startswith("="):
        raise CellError("looks like a formula (it starts with '='); bulkops never sends formulas: type the value "
                        "itself, or put an apostrophe (') in front to keep it as text")
    if not isinstance(value, _PLAIN):
        # openpyxl reads an array or data-table formula as an object, not as "=..." text
        raise CellError("is a formula, not a value; bulkops never sends formulas, type the value itself")
    return read(column, value, decimals)


_MISSING = object()


def coerce_column(column: Column, values: list[Any],
                  decimals: Decimals | None = None) -> tuple[list[Any], list[tuple[int, str]]]:
    """`coerce` of each value, and (position, message) of each value refused; a text met before is
    looked up rather than coerced again (a 100,000-row ZIP sheet has a few dozen campaigns, one
    country and two Include values). List columns are not looked up: each row gets its own list."""
    # Only exact str: a Text (quote-prefixed) equals its str but is coerced differently.
    memo: dict[str, tuple[Any, str | None]] | None = {} if not column.type.cell.is_list else None
    suffix = f" ({column.type.value} expected)"
    typed: list[Any] = []
    failures: list[tuple[int, str]] = []
    cell = column.type.cell
    numbers, read = cell.floats_as_is, cell.from_cell
    for position, value in enumerate(values):
        if value is None:
            typed.append(None)
            continue
        if numbers and value.__class__ is float:  # what `coerce` makes of it, without the calls
            typed.append(None if math.isnan(value) else value)
            continue
        remember = memo is not None and value.__class__ is str
        found = memo.get(value, _MISSING) if remember else _MISSING
        if found is _MISSING:
            try:
                found = (_coerced(read, column, value, decimals), None)
            except CellError as exc:
                found = (None, f"{exc}{suffix}")
            if remember:
                memo[value] = found
        typed.append(found[0])
        if found[1] is not None:
            failures.append((position, found[1]))
    return typed, failures


def read_text(column: Column, value: Any, decimals: Decimals | None = None) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def read_int(column: Column, value: Any, decimals: Decimals | None = None) -> int:
    number = _numeric(value, decimals)
    if isinstance(number, int):
        return number
    if number.is_integer():
        return int(number)
    raise CellError(f"{as_typed(value, number, decimals)} is not a whole number")


def read_float(column: Column, value: Any, decimals: Decimals | None = None) -> float:
    return float(_numeric(value, decimals))


def _numeric(value: Any, decimals: Decimals | None) -> int | float:
    """A number cell as it is; text through `read_number`, the one reading of numbers typed as text."""
    if isinstance(value, str):
        try:
            return read_number(value, decimals)
        except NotANumber as exc:
            raise CellError(str(exc)) from None
    if isinstance(value, bool):
        raise CellError(f"{'TRUE' if value else 'FALSE'} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise CellError(f"{value!r} is not a number")


def read_bool(column: Column, value: Any, decimals: Decimals | None = None) -> bool:
    return _flag(value, _TRUE, _FALSE, "TRUE/FALSE, yes/no or 1/0")


def read_include(column: Column, value: Any, decimals: Decimals | None = None) -> bool:
    return _flag(value, _INCLUDE, _EXCLUDE, "include or exclude")


def read_active(column: Column, value: Any, decimals: Decimals | None = None) -> bool:
    return _flag(value, _ACTIVE, _PAUSED, "active or paused (TRUE/FALSE too)")


def _flag(value: Any, truthy: set[str], falsy: set[str], accepted: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if text in truthy:
        return True
    if text in falsy:
        return False
    raise CellError(f"{str(value).strip()!r} is not one of {accepted}")


def read_date(column: Column, value: Any, decimals: Decimals | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?", text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise CellError(f"{text!r} is not a real date") from None
    if is_number(text):  # an Excel day number typed as text (`46447`), read as any number is
        return _excel_serial(_numeric(text, decimals), text)
    raise CellError(f"{text!r} is not a date; write it as YYYY-MM-DD (or use an Excel date cell)")


_DATETIME = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
                       r"\s*(Z|UTC|[+-]\d{2}:?\d{2}|[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+)?", re.IGNORECASE)


def read_datetime(column: Column, value: Any, decimals: Decimals | None = None) -> dt.datetime:
    """A moment, naive (read later in the row's time zone) or with its own offset or zone name:
    `2027-03-01 09:00`, `2027-03-01T09:00-05:00`, `2027-03-01 09:00 America/New_York`, an Excel
    date-time cell; a date alone is midnight."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_moment(float(value))
    text = str(value).strip()
    if is_number(text):  # an Excel day number typed as text (`46447,375` in a ';' file)
        return _excel_moment(float(_numeric(text, decimals)), text)
    match = _DATETIME.fullmatch(text)
    if not match:
        raise CellError(f"{text!r} is not a date and time; write it as YYYY-MM-DD HH:MM (optionally followed by "
                        "an offset such as -05:00 or a zone such as America/New_York)")
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        raise CellError(f"{text!r} is not a real date and time") from None
    return moment if zone is None else moment.replace(tzinfo=_zone(zone, text))


def _zone(name: str, text: str) -> dt.tzinfo:
    if name.upper() in ("Z", "UTC"):
        return dt.UTC
    if name[0] in "+-":
        digits = name[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return dt.timezone(offset if name[0] == "+" else -offset)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CellError(f"{text!r}: {name!r} is not a time zone (use a name such as America/New_York)") from None


def _excel_moment(serial: float, typed: str | None = None) -> dt.datetime:
    day = _excel_serial(serial, typed)
    seconds = round((serial % 1) * 86400)
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds)


def _excel_serial(serial: float, typed: str | None = None) -> dt.date:
    """The date of an Excel day number; `typed`: the cell's text, when the number was typed as text
    (a message quotes the cell as typed)."""
    # Excel's day numbers: 1 is 1900-01-01 (with its 1900 leap-year bug); keep to plausible years.
    if not 20000 <= serial <= 80000:
        shown = repr(typed) if typed is not None else f"{serial:g}"
        raise CellError(f"{shown} is not a date; write it as YYYY-MM-DD")
    return (_EXCEL_EPOCH + dt.timedelta(days=float(serial))).date()


def read_enum(column: Column, value: Any, decimals: Decimals | None = None) -> str:
    return _choice(column, read_text(column, value))


def _choice(column: Column, text: str) -> str:
    folded = text.casefold()
    for choice in column.choices:
        if choice.casefold() == folded:
            return choice
    # Unknown values pass through unchanged; the schema reports them with the allowed list.
    return text


def split_list(value: Any, by_line: bool = True) -> list[str]:
    """A list cell's items, each stripped, blank ones dropped. With `by_line` (a list of free text:
    `Column.items_by_line`), a cell with a line break is one item per line, and an item may hold a comma
    there (`ISP, Inc.`); otherwise items are separated by commas or line breaks alike."""
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in raw_items(str(value), by_line) if part.strip()]


def raw_items(text: str, by_line: bool = True) -> list[str]:
    """A list cell's items as typed, whitespace kept (what `split_list` strips)."""
    if by_line and _LINE_BREAK.search(text):
        return _LINE_BREAK.split(text)
    return _ANY_SEPARATOR.split(text)


def read_list(column: Column, value: Any, decimals: Decimals | None = None) -> list[str]:
    # Not stripped first: a cell's last line break says it is one item per line.
    return split_list(value if isinstance(value, str) else read_text(column, value), column.items_by_line) or []


def read_enum_list(column: Column, value: Any, decimals: Decimals | None = None) -> list[str]:
    return [_choice(column, item) for item in read_list(column, value)]
