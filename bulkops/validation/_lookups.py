"""Columns checked against a platform's dictionaries (`Column.lookup`): each value typed as a code,
an alias or a name becomes the code the API takes; an unknown or ambiguous one is an error on its
row (so nothing of the row is sent), marked as bulkops's own check where the dictionary says so
(`Dictionary.own`): a value the platform already holds (an export pushed back) is then only warned
about, as for every own check. A column narrowed by another (`Column.lookup_within`, an audience's
Type) looks only among the entries that value selects, and a blank narrowing cell is filled with
the parent of the entry found. A dictionary the job
could not load leaves the column's values as typed, with one warning for the column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from bulkops._problems import Problem, Severity
from bulkops.kinds import coerce_column
from bulkops.reference import Entry, Index, Reference, Resolved
from bulkops.validation._sheet import SheetInput

LOOKUP, UNCHECKED = "lookup", "unchecked"


def resolve_lookups(sheet: SheetInput, values: pd.DataFrame, rows: pd.Index, reference: Reference,
                    problems: list[Problem], broken: set[tuple[int, str]]) -> None:
    """Codes in place of what the rows' lookup columns hold; problems for what does not resolve."""
    for column in sheet.kind.columns:
        if column.lookup is None or column.field not in sheet.frame.columns:
            continue
        header = sheet.header(column.field)
        filled = [row for row in rows if values.at[row, column.field] is not None and (row, header) not in broken]
        if not filled:
            continue
        index = reference.indexes.get(column.lookup)
        if index is None:
            why = reference.missing.get(column.lookup, "")
            problems.append(Problem(sheet.file, sheet.title, None, header, UNCHECKED,
                                    f"these names could not be checked and were left as typed{_why(why)}",
                                    Severity.WARNING))
            if column.pattern:  # the codes' shape, which a name left as typed is not held to
                broken.update((int(row), header) for row in filled)
            continue
        within = column.lookup_within if column.lookup_within in values.columns else None
        for row in filled:
            narrowing = values.at[row, within] if within else None
            resolved, messages, entry = _resolved(index, values.at[row, column.field], narrowing)
            if messages:
                broken.add((int(row), header))
                problems.extend(Problem(sheet.file, sheet.title, int(row), header, LOOKUP, m,
                                        own=index.dictionary.own) for m in messages)
                continue
            values.at[row, column.field] = resolved
            if within and narrowing is None and entry is not None and entry.parent is not None:
                values.at[row, within] = entry.parent  # a blank narrowing cell: the list the entry is in


def _why(reason: str) -> str:
    return f" ({reason})" if reason else ""


def _resolved(index: Index, value: Any, within: Any = None) -> tuple[Any, list[str], Entry | None]:
    """The value with codes for what it names (a list stays a list), a message per item that does
    not resolve, and the entry a single value names (None: a list, or a value taken as a code)."""
    items = value if isinstance(value, list) else [value]
    codes, messages, entry = [], [], None
    for item in items:
        text = str(item)
        found = index.resolve(text, None if within is None else str(within))
        if isinstance(found, Resolved):
            codes.append(found.code)
            entry = found.entry
        else:
            messages.append(index.describe(text.strip(), found))
    if isinstance(value, list):
        return list(dict.fromkeys(codes)), messages, None  # a name and its code given both are one item
    return (codes[0] if codes else value), messages, entry


def lookup_values(sheets: Sequence[SheetInput]) -> dict[str, set[str]]:
    """Per dictionary, the values the sheets' lookup columns hold (each item of a list): what the job
    must load before it validates."""
    named: dict[str, set[str]] = {}
    for sheet in sheets:
        for column in sheet.kind.columns:
            if column.lookup is None or column.field not in sheet.frame.columns:
                continue
            typed, _ = coerce_column(column, sheet.frame[column.field].tolist(), sheet.decimal)
            for value in typed:
                items = value if isinstance(value, list) else [] if value is None else [value]
                named.setdefault(column.lookup, set()).update(str(item).strip() for item in items)
    return {name: values for name, values in named.items() if values}


def lookup_narrowing(sheets: Sequence[SheetInput]) -> dict[str, set[tuple[str, str | None]]]:
    """Per dictionary of a narrowed column (`Column.lookup_within`), each value the column holds with
    its row's narrowing value (None: blank): which parts of the dictionary the job must read."""
    found: dict[str, set[tuple[str, str | None]]] = {}
    for sheet in sheets:
        by_field = {column.field: column for column in sheet.kind.columns}
        for column in sheet.kind.columns:
            if column.lookup is None or column.lookup_within is None or column.field not in sheet.frame.columns:
                continue
            typed, _ = coerce_column(column, sheet.frame[column.field].tolist(), sheet.decimal)
            within = by_field.get(column.lookup_within)
            narrowing: list[Any] = [None] * len(typed)
            if within is not None and within.field in sheet.frame.columns:
                narrowing, _ = coerce_column(within, sheet.frame[within.field].tolist(), sheet.decimal)
            for value, narrow in zip(typed, narrowing, strict=True):
                items = value if isinstance(value, list) else [] if value is None else [value]
                key = None if narrow is None else str(narrow).strip() or None
                found.setdefault(column.lookup, set()).update((str(item).strip(), key) for item in items)
    return found
