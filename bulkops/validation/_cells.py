"""Validate sheets: coerce every cell, then check them with pandera (lazily: every failure), then the
cross-field rules of the kind, then the references between rows (`_links`). The result keeps typed
values and every problem as a record."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from bulkops._problems import Problem
from bulkops.kinds import ACTIONS, Column, Kind, Role, SheetContext, coerce_column, format_bound
from bulkops.reference import Reference
from bulkops.validation._links import check_links
from bulkops.validation._lookups import resolve_lookups
from bulkops.validation._sheet import CREATE, DELETE, SKIP, UPDATE, SheetInput, ValidatedSheet, context_of


def validate_sheets(sheets: Sequence[SheetInput], reference: Reference | None = None) -> list[ValidatedSheet]:
    """`reference`: the job's dictionaries, for the columns checked against one (`Column.lookup`);
    None leaves those columns as typed, unchecked and unsaid."""
    validated = [validate_sheet(s, reference) for s in sheets]
    _check_refs_across_sheets(validated)
    check_links(validated)
    for item in validated:
        item.problems[:] = _sorted(item.problems)
    return validated


def validate_sheet(sheet: SheetInput, reference: Reference | None = None) -> ValidatedSheet:
    problems = list(sheet.problems)
    values, broken = _coerce_frame(sheet, problems)
    actions = _resolve_actions(sheet, values, problems)
    where = context_of(sheet)
    live_rows = actions.index[actions.isin([CREATE, UPDATE])]
    if reference is not None and len(live_rows):
        resolve_lookups(sheet, values, live_rows, reference, problems, broken)
    if sheet.kind.repairs and len(live_rows):
        # Repairs write into the rows they see (filled coordinates, padded ZIPs, resolved file paths).
        live = values.loc[live_rows].copy()
        for repair in sheet.kind.repairs:
            repaired = [p for p in repair(live, sheet.kind, where) if (p.row, p.column) not in broken]
            problems += repaired
            # A cell a repair refused is reported once, not again by the schema (as "required" when the
            # repair blanked it, or by its format when it kept the text as typed).
            field_of = {sheet.header(f): f for f in live.columns}
            broken |= {(p.row, p.column) for p in repaired if p.is_error and p.column in field_of
                       and p.row in live.index}
        for field_name in live.columns:
            values.loc[live_rows, field_name] = pd.Series(list(live[field_name]), index=live_rows, dtype=object)
    for mode in (CREATE, UPDATE, DELETE):
        rows = actions.index[actions == mode]
        if len(rows):
            problems += _schema_problems(sheet, where, _rows(values, rows), mode, broken)
    if action_col := sheet.kind.role_column(Role.ACTION):
        skipped = values.loc[actions.index[actions == SKIP], [action_col.field]]
        problems += _schema_problems(sheet, where, skipped, SKIP, broken)
    if sheet.kind.checks:
        live = _rows(values, live_rows)  # the repairs' rows: actions have not changed since
        for check in sheet.kind.checks if len(live) else ():
            problems += [p for p in check(live, sheet.kind, where) if (p.row, p.column) not in broken]
    return ValidatedSheet(sheet, values, actions, _sorted(problems))


def _rows(values: pd.DataFrame, rows: pd.Index) -> pd.DataFrame:
    """Those rows of the frame: the frame itself when they are all of it (a copy of a million-row
    frame is ~60 MB, for checks that only read)."""
    return values if len(rows) == len(values) else values.loc[rows]


def _coerce_frame(sheet: SheetInput, problems: list[Problem]) -> tuple[pd.DataFrame, set[tuple[int, str]]]:
    """Typed values per cell; cells that cannot be read become None and are reported once."""
    broken: set[tuple[int, str]] = set()
    rows = [int(r) for r in sheet.frame.index]
    frame = pd.DataFrame(index=sheet.frame.index)
    for field_name in sheet.frame.columns:
        column, header = sheet.kind.column(field_name), sheet.header(field_name)
        typed, failures = coerce_column(column, sheet.frame[field_name].tolist(), sheet.decimal)
        for position, message in failures:
            broken.add((rows[position], header))
            problems.append(Problem(sheet.file, sheet.title, rows[position], header, "type", message))
        frame[field_name] = pd.Series(typed, index=frame.index, dtype=object)
    for column in sheet.kind.columns:
        if column.field not in frame:
            frame[column.field] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame, broken


def _resolve_actions(sheet: SheetInput, values: pd.DataFrame, problems: list[Problem]) -> pd.Series:
    kind = sheet.kind
    action_col, id_col = kind.role_column(Role.ACTION), kind.role_column(Role.ID)
    blank = [None] * len(values)
    chosen = values[action_col.field].tolist() if action_col else blank
    ids = values[id_col.field].tolist() if id_col else blank
    resolved = []
    for row, action, given in zip(values.index, chosen, ids, strict=True):
        has_id = given is not None
        if action is None or action not in ACTIONS:
            # An unknown Action is reported by the schema; the row is still checked as the default.
            resolved.append(UPDATE if has_id else CREATE)
            continue
        resolved.append(action)
        named_action, named_id = sheet.header(action_col.field) if action_col else "Action", sheet.header("id")
        if action == CREATE and has_id:
            problems.append(Problem(sheet.file, sheet.title, int(row), named_id, "action",
                                    f"{named_action} is create but {named_id} is filled; clear {named_id} to create "
                                    f"a new one, or set {named_action} to update"))
        elif action in (UPDATE, DELETE) and not has_id:
            problems.append(Problem(sheet.file, sheet.title, int(row), named_id, "required",
                                    f"{named_action} is {action}, which needs the {named_id} of the existing object"))
    return pd.Series(resolved, index=values.index, dtype=object)


def _schema_problems(sheet: SheetInput, where: SheetContext, frame: pd.DataFrame, mode: str,
                     broken: set[tuple[int, str]]) -> list[Problem]:
    schema = _schema(sheet.kind, mode)
    try:
        schema.validate(frame, lazy=True, inplace=True)  # the schema only checks: no copy needed
    except SchemaErrors as errors:
        return _problems_from(sheet, where, errors.failure_cases, broken)
    return []


@cache
def _schema(kind: Kind, mode: str) -> pa.DataFrameSchema:
    columns = {}
    for column in kind.columns:
        if mode == DELETE and column.role not in (Role.ID, Role.ACTION):
            continue
        if mode == SKIP and column.role is not Role.ACTION:
            continue
        required = (mode == CREATE and column.required) or (mode == UPDATE and column.field in kind.update_requires)
        # Ref uniqueness spans every sheet of the job, so _check_refs_across_sheets checks it, not this schema.
        columns[column.field] = pa.Column(object, checks=_checks(column), nullable=not required, required=False)
    return pa.DataFrameSchema(columns, coerce=False)


def _checks(column: Column) -> list[pa.Check]:
    checks: list[pa.Check] = []
    listy = column.cell.is_list

    def each(test):
        if listy:
            return lambda v: v is None or all(test(item) for item in v)
        return lambda v: v is None or test(v)

    if column.choices and column.cell.from_choices:
        allowed = frozenset(column.choices)
        checks.append(pa.Check(each(lambda v: v in allowed), element_wise=True, name="allowed"))
    if column.minimum is not None:
        low = column.minimum
        checks.append(pa.Check(each(lambda v: v >= low), element_wise=True, name="minimum"))
    if column.maximum is not None:
        high = column.maximum
        checks.append(pa.Check(each(lambda v: v <= high), element_wise=True, name="maximum"))
    if column.max_length is not None:
        most = column.max_length
        checks.append(pa.Check(each(lambda v: len(v) <= most), element_wise=True, name="length"))
    if column.pattern:
        regex = re.compile(column.pattern)
        checks.append(pa.Check(each(lambda v: bool(regex.match(v))), element_wise=True, name="pattern"))
    return checks


def _problems_from(sheet: SheetInput, where: SheetContext, cases: pd.DataFrame,
                   broken: set[tuple[int, str]]) -> list[Problem]:
    problems = []
    for case in cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            continue
        row, field_name = int(case.index), str(case.column)
        header = sheet.header(field_name)
        if (row, header) in broken:
            continue
        column = sheet.kind.column(field_name)
        shown = where.as_typed(row, field_name, case.failure_case)
        code, message = _describe(column, header, str(case.check), case.failure_case, shown)
        check = "required" if str(case.check) == "not_nullable" else str(case.check)
        problems.append(Problem(sheet.file, sheet.title, row, header, code, message, own=column.is_own(check)))
    return problems


def _describe(column: Column, header: str, check: str, value: Any, shown: str) -> tuple[str, str]:
    if check == "not_nullable":
        return "required", f"{header} is required"
    if check == "allowed":
        bad = [v for v in value if v not in column.choices] if isinstance(value, list) else [value]
        return "allowed", f"{', '.join(map(repr, bad))} not allowed{_suggest(bad, column.choices)}; allowed: " \
                          f"{_shown(column.choices)}"
    if check == "minimum" and column.minimum is not None:
        return "range", f"{shown} is below the minimum of {format_bound(column.minimum)}"
    if check == "maximum" and column.maximum is not None:
        return "range", f"{shown} is above the maximum of {format_bound(column.maximum)}"
    if check == "length":
        return "length", f"longer than {column.max_length} characters"
    if check == "pattern":
        bad = [v for v in value if not re.match(column.pattern or "", v)] if isinstance(value, list) else [value]
        return "format", f"{', '.join(map(repr, bad))} is not {column.pattern_hint or 'in the expected format'}"
    return check, f"{value!r} failed {check}"


def _suggest(bad: list[Any], choices: tuple[str, ...]) -> str:
    guesses = []
    for value in bad:
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        if close:
            guesses.append(f"{close[0]!r} for {value!r}" if len(bad) > 1 else repr(close[0]))
    return f" (did you mean {', '.join(guesses)}?)" if guesses else ""


def _shown(choices: tuple[str, ...]) -> str:
    if len(choices) <= 25:
        return ", ".join(choices)
    return ", ".join(choices[:12]) + f", … ({len(choices)} in all: see the template's dropdown)"


def _check_refs_across_sheets(validated: list[ValidatedSheet]) -> None:
    """A Ref names one row within the whole job, so it must be unique across sheets of a kind; an ID
    too, since two rows changing one object would race (and only one could be right)."""
    for role, what in ((Role.REF, "Ref"), (Role.ID, "ID")):
        seen: dict[tuple[str, str], tuple[str, int]] = {}
        for item in validated:
            column = item.sheet.kind.role_column(role)
            if column is None:
                continue
            for row, value in item.values[column.field].items():
                if value is None:
                    continue
                key = (item.sheet.kind.name, str(value).casefold())
                if key in seen:
                    first_sheet, first_row = seen[key]
                    header = item.sheet.header(column.field)
                    item.problems.append(Problem(
                        item.sheet.file, item.sheet.title, int(row), header, "duplicate",
                        f"{header} {value!r} is already used by {first_sheet} row {first_row}; each {what} must "
                        "be unique"))
                else:
                    seen[key] = (f"{item.sheet.file} / {item.sheet.title}", int(row))


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.sheet, p.row or 0, p.column or ""))
