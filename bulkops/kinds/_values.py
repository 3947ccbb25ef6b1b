"""Typed values beyond one cell: a platform's answer as a kind's row (each field through its cell
type's `from_api`), and how two values are compared and shown.

The exporter and the live diff both read the platform through these, so a value exported and read
back from the workbook compares equal to the value read live.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any

from bulkops.kinds._celltypes import list_cell
from bulkops.kinds._coerce import raw_items
from bulkops.kinds._declare import Column, Kind, Role


def typed(column: Column, value: Any) -> Any:
    """A value from the platform as the column's coerced type; None for nothing (blank cell).

    An empty list is blank too: a blank cell leaves the platform's value as it is, which for an
    empty list is the same thing.
    """
    return column.cell.from_api(column, value)


def fields_of(kind: Kind, source: Mapping[str, Any]) -> dict[str, Any]:
    """Every field column of the kind, typed, from an answer keyed by API field."""
    return {c.field: typed(c, source.get(c.field)) for c in kind.columns if c.role is Role.FIELD}


def same(kind: Kind, field_name: str, old: Any, new: Any) -> bool:
    """Whether a row's value and the live value mean the same (lists as sets, numbers to 1e-6, text
    case-sensitively: a renamed campaign is a change)."""
    if isinstance(old, list) or isinstance(new, list):
        return sorted(map(str, old or [])) == sorted(map(str, new or []))
    if isinstance(old, int | float) and isinstance(new, int | float) and not isinstance(old, bool) \
            and not isinstance(new, bool):
        return math.isclose(float(old), float(new), rel_tol=1e-9, abs_tol=1e-6)
    if isinstance(old, dt.datetime) and isinstance(new, dt.datetime):
        return old == new
    return old == new


def exact(raw: Any, value: Any, live: Any) -> Any:
    """A text cell as the platform holds it: the coercer strips leading and trailing whitespace, so
    a cell whose raw text is exactly the live value (a name starting with a tab, say) is that value;
    any other cell is its coerced value (a new or changed text goes out stripped). Only whitespace: a
    value a repair made from the cell (time targeting written in a time zone, read into UTC) is that
    value, even where the cell's text happens to be the live one."""
    if isinstance(raw, str) and isinstance(live, str) and raw == live and raw != value and \
            isinstance(value, str) and raw.strip() == value:
        return live
    return value


def exact_list(column: Column, raw: Any, value: Any, live: Any) -> Any:
    """A list cell as the platform holds it, as `exact` is for text: a cell whose text is exactly the
    live list as an export writes it is that list (an item may hold a line break there); otherwise
    each item typed exactly as a live item (whitespace included) is that item, the others as read."""
    if not isinstance(raw, str) or not isinstance(value, list) or not isinstance(live, list):
        return value
    held = [str(v) for v in live]
    if raw == list_cell(held):
        return held
    typed_items = [item for item in raw_items(raw, column.items_by_line) if item.strip()]
    if len(typed_items) != len(value):
        return value
    known = set(held)
    return [text if text in known else item for text, item in zip(typed_items, value, strict=True)]


def item_key(payload: Mapping[str, Any]) -> str:
    """A list item's payload as one comparable text: numbers to a millionth, whole numbers as floats,
    so an item sent and the same item read back (in the export's conversion) give the same key."""
    return json.dumps({k: _rounded(v) for k, v in payload.items()}, sort_keys=True, default=str)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6) + 0.0
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def shown(value: Any) -> str:
    """A value as a plan shows it: `maxBid: 8.0 → 9.5`."""
    if value is None:
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(blank)"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)
