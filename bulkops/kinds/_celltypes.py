"""Column types, each described once: how a typed cell reads (`from_cell`), how a platform's value
reads (`from_api`), the cell a value is written as (`to_cell`), the Excel number format of its cells,
and the dropdown a template gives it. The reader and validator, the exporter, the live diff and the
templates all go through these; no other module switches on a column's type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bulkops.kinds import _coerce as read
from bulkops.kinds._coerce import CellError, coerce

if TYPE_CHECKING:
    from bulkops.kinds._declare import Column

TEXT_FORMAT = "@"  # Excel's text format: a code keeps its leading zeros when edited
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FLAG_CHOICES = ("TRUE", "FALSE")


class ColType(StrEnum):
    TEXT = "text"
    INT = "integer"
    NUMBER = "number"
    BOOL = "true/false"
    INCLUDE = "include/exclude"
    ACTIVE = "active/paused"
    DATE = "date"
    DATETIME = "date and time"
    ENUM = "one of a list"
    LIST = "list"
    ENUM_LIST = "list from a set"
    FILE = "file path"

    @property
    def cell(self) -> CellType:
        """How cells of this type are read, converted and written."""
        return CELL_TYPES[self]


def list_cell(items: Sequence[Any]) -> str:
    """A list as one cell that the reader splits back into the same items (`split_list`): `a, b`,
    or one item per line when an item holds a comma, a line break or leading or trailing whitespace,
    which `, ` would blur. A single item holding a comma ends with a line break, so that the cell
    reads as lines."""
    texts = [str(v) for v in items]
    if not any("," in t or "\n" in t or "\r" in t or t != t.strip() for t in texts):
        return ", ".join(texts)
    text = "\n".join(texts)
    return text if "\n" in text or "\r" in text or "," not in text else text + "\n"


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


class CellType:
    """One column type. `from_api` takes a platform's value (None for nothing); with `strict`, a value
    of another shape than the type's (a number for a flag, a text outside an enumeration's choices) is
    blank rather than converted, and a blank text stays a text."""

    # A non-blank cell that is not a formula (`coerce` refuses those first) as the type's value:
    # from_cell(column, value, decimals); CellError if it cannot be read so.
    from_cell: Callable[[Column, Any, Any], Any] = staticmethod(read.read_text)
    is_list = False  # a cell holds several values (split at commas or lines)
    from_choices = False  # every value must be one of the column's choices
    floats_as_is = False  # a float cell is its own value (no reading needed)
    number_format: str | None = None  # of an exported cell holding a value of this type

    def from_api(self, column: Column, value: Any, *, strict: bool = False) -> Any:
        if value is None or (not strict and (value == "" or value == [])):
            return None
        return self._from_api(column, value, strict)

    def _from_api(self, column: Column, value: Any, strict: bool) -> Any:
        try:
            return coerce(column, value)
        except CellError:
            return str(value)

    def to_cell(self, value: Any) -> Any:
        """The cell value of a typed value (never None: blank is no cell)."""
        return str(value)
    def dropdown(self, column: Column) -> tuple[str, ...]:
        """The values a template's dropdown offers in this column's cells (none: no dropdown)."""
        return column.choices


class Text(CellType):
    number_format = TEXT_FORMAT

    def _from_api(self, column: Column, value: Any, strict: bool) -> Any:
        return str(value)


class File(Text):
    pass


class Int(CellType):
    from_cell = staticmethod(read.read_int)

    def _from_api(self, column: Column, value: Any, strict: bool) -> Any:
        if strict and isinstance(value, bool):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        number = float(value)
        return int(number) if number.is_integer() else number

    def to_cell(self, value: Any) -> Any:
        return _whole(value)


class Number(CellType):
    from_cell = staticmethod(read.read_float)
    floats_as_is = True

    def _from_api(self, column: Column, value: Any, strict: bool) -> Any:
        return None if strict and isinstance(value, bool) else float(value)

    def to_cell(self, value: Any) -> Any:
        return _whole(value)


class Flag(CellType):
    from_cell = staticmethod(read.read_bool)
    words = FLAG_CHOICES

    def _from_api(self, column: Column, value: Any, strict: bool) -> Any:
        if strict and not isinstance(value, bool):
            return None
        return bool(value)

    def to_cell(self, value: Any) -> Any:
        return self.words[0] if value else self.words[1]

    def dropdown(self, column: Column) -> tuple[str, ...]:
        return FLAG_CHOICES


class Include(Flag):
    from_cell = staticmethod(read.read_include)
    words = ("include", "exclude")

    def dropdown(self, column: Column) -> tuple[str, ...]:
        return column.choices


class Active(Flag):
    """An on/off switch written as the words a buyer pausing and resuming types."""

    from_cell = staticmethod(read.read_active)
    words = ("active", "paused")

    def dropdown(self, column: Column) -> tuple[str, ...]:
        return self.words

class Date(CellType):
    from_cell = staticmethod(read.read_date)
    number_format = DATE_FORMAT

    def _from_api(self, column: Column, value: Any, strict: bool) -> Any:
        if isinstance(value, str):
            return dt.date.fromisoformat(value[:10])
        return super()._from_api(column, value, strict)

    def to_cell(self, value: Any) -> Any:
        return value


class DateTime(CellType):
    from_cell = staticmethod(read.read_datetime)
    number_format = DATETIME_FORMAT

    def to_cell(self, value: Any) -> Any:
        return value


class Enum(CellType):
    from_cell = staticmethod(read.read_enum)
    from_choices = True

    def _from_api(self, column: Column, value: Any, strict: bool) -> Any:
        if strict:
            return next((c for c in column.choices if c.casefold() == str(value).casefold()), None)
        return super()._from_api(column, value, strict)


class List(CellType):
    from_cell = staticmethod(read.read_list)
    is_list = True
    number_format = TEXT_FORMAT

    def _from_api(self, column: Column, value: Any, strict: bool) -> Any:
        items = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in items if str(v).strip()] or None

    def to_cell(self, value: Any) -> Any:
        return list_cell(value)


class EnumList(List):
    from_cell = staticmethod(read.read_enum_list)
    from_choices = True
    number_format = None


CELL_TYPES: dict[ColType, CellType] = {
    ColType.TEXT: Text(),
    ColType.INT: Int(),
    ColType.NUMBER: Number(),
    ColType.BOOL: Flag(),
    ColType.INCLUDE: Include(),
    ColType.ACTIVE: Active(),
    ColType.DATE: Date(),
    ColType.DATETIME: DateTime(),
    ColType.ENUM: Enum(),
    ColType.LIST: List(),
    ColType.ENUM_LIST: EnumList(),
    ColType.FILE: File(),
}
