"""What an export read that no sheet holds: per object, every field of the platform's object as read
(`RAW_OBJECT` on its row) that no column of its kind declares (`Column.field`, `Column.api_path`) and
that its platform does not mark as bookkeeping or as held by another sheet (`Platform.not_settings`).

It is computed from the declarations, so a column added to a kind leaves the list by itself. Empty
values (null, "", [], {}) are no setting and are not listed; nested objects are walked to their leaves
(`relation.banner.width`), arrays are one value.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bulkops.kinds import Kind
from bulkops.registry import RAW_OBJECT

MAX_SHOWN = 200  # characters of a value shown on the Summary; longer ones are cut with "…"


@dataclass(frozen=True)
class Unmodelled:
    """One field of one exported object that no sheet holds."""

    sheet: str
    object: str  # the row's Ref (its ID when it has none)
    path: str  # dotted, as the platform's object nests it
    value: str  # as JSON text (a string as it is), cut to MAX_SHOWN


def declared_paths(kind: Kind) -> list[str]:
    """The paths a kind's columns hold, as patterns (`{section}.width` → `*.width`), each with what
    nests under it (a Schedule column holds the whole `schedule` object)."""
    paths = []
    for column in kind.columns:
        for path in filter(None, (column.api_path, column.field)):
            paths += [_pattern(path), _pattern(path) + ".*"]
    return paths


def _pattern(path: str) -> str:
    out, depth = [], 0
    for ch in path:
        if ch == "{":
            depth += 1
            if depth == 1:
                out.append("*")
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            out.append("[[]" if ch == "[" else ch)
    return "".join(out)


def unmodelled_fields(kind: Kind, raw: Mapping[str, Any], not_settings: Sequence[str] = ()) -> list[tuple[str, Any]]:
    """(path, value) of each filled leaf of `raw` that neither `kind`'s columns nor `not_settings` cover."""
    covered = declared_paths(kind) + list(not_settings)
    return [(path, value) for path, value in _leaves(raw, "")
            if not any(fnmatch.fnmatchcase(path, pattern) for pattern in covered)]


def _leaves(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _leaves(inner, f"{prefix}.{key}" if prefix else str(key))
    elif not _empty(value):
        yield prefix, value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def shown_value(value: Any) -> str:
    """A value as the Summary shows it: text as it is, anything else as JSON, cut to MAX_SHOWN."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def unmodelled(kinds: Sequence[Kind], rows: Mapping[str, Sequence[Mapping[str, Any]]],
               not_settings: Mapping[str, Sequence[str]]) -> list[Unmodelled]:
    """Every exported object's fields no sheet holds, sheet by sheet, object by object."""
    found = []
    for kind in kinds:
        for row in rows.get(kind.name, ()):
            raw = row.get(RAW_OBJECT)
            if not isinstance(raw, Mapping):
                continue
            name = str(row.get("ref") or row.get("id") or "")
            found += [Unmodelled(kind.sheet, name, path, shown_value(value))
                      for path, value in unmodelled_fields(kind, raw, not_settings.get(kind.name, ()))]
    return found
