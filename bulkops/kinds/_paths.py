"""Nested API fields, declared once by path on their column (`Column.api_path`, such as
`{section}.width`): the payload puts a row's value there, and the export reads it back from there.

A path is dotted keys; a `{name}` part is filled per row from `slots` (a creative's section is
`banner`, `native` or `video` by its format, and `relation.banner` in the platform's answer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bulkops.kinds._declare import Column

_MISSING = object()


def path_keys(column: Column, slots: Mapping[str, str]) -> list[str]:
    """The column's API path as keys, its `{name}` parts filled from `slots`."""
    return (column.api_path or column.field).format_map(slots).split(".")


def uses_slot(column: Column, slot: str) -> bool:
    """Whether the column's API path goes through `{slot}` (a creative's format section, say)."""
    return "{" + slot + "}" in (column.api_path or "")


def put_at(payload: dict[str, Any], column: Column, value: Any, slots: Mapping[str, str]) -> None:
    """Write `value` into `payload` at the column's API path, making the objects on the way."""
    *parents, last = path_keys(column, slots)
    target = payload
    for key in parents:
        target = target.setdefault(key, {})
    target[last] = value


def value_at(source: Any, column: Column, slots: Mapping[str, str], default: Any = None) -> Any:
    """The value at the column's API path in an answer (mappings and objects alike), `default` where
    the path leads nowhere."""
    found = source
    for key in path_keys(column, slots):
        found = found.get(key, _MISSING) if isinstance(found, Mapping) else getattr(found, key, _MISSING)
        if found is _MISSING or found is None:
            return default if found is _MISSING else None
    return found


def values_at(source: Any, columns: Iterable[Column], slots: Mapping[str, str]) -> dict[str, Any]:
    """{field: value} of each column whose API path the answer holds (those it does not hold are left out)."""
    found = {}
    for column in columns:
        value = value_at(source, column, slots, _MISSING)
        if value is not _MISSING:
            found[column.field] = value
    return found
