"""What the page shows, made from the API's reports: the problems table, each sheet's first rows with
the bad cells marked, and the plan. Plain values for the templates; nothing here is HTML."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulkops import Problem

FIRST_ROWS = 20  # rows of each sheet shown from the top
PROBLEM_ROWS = 50  # rows with a problem shown beyond those, at most
CELL_CHARS = 80  # a cell's text is cut past this


@dataclass(frozen=True)
class ProblemLine:
    file: str
    sheet: str
    row: int | None
    column: str | None
    severity: str
    message: str


@dataclass
class Cell:
    text: str
    problems: list[str] = field(default_factory=list)  # messages of the problems of this cell

    @property
    def severity(self) -> str:
        return "error" if any(p.startswith("error") for p in self.problems) else "warning" if self.problems else ""


@dataclass
class GridRow:
    number: int | None  # the spreadsheet's row number; None for the "rows left out" marker
    cells: list[Cell]


@dataclass
class SheetGrid:
    file: str
    title: str
    headers: list[Cell]
    rows: list[GridRow]
    total_rows: int


@dataclass
class CheckView:
    files: list[str]
    rows: int
    problems: list[ProblemLine]
    grids: list[SheetGrid]
    errors: int
    failure: str = ""  # the files could not be read at all (InputError's message)

    @property
    def ok(self) -> bool:
        return not self.failure and not self.errors


def check_view(report: Any, names: Mapping[Path, str]) -> CheckView:
    """A `bulkops.validate` report as the page shows it; `names` gives each stored file the name the
    user's file had (messages name files as the user knows them)."""
    by_stored = {p.name: shown for p, shown in names.items()}
    problems = [_line(p, by_stored) for p in report.problems]
    grids = [_grid(v.sheet, [p for p in v.problems], by_stored) for v in report.validated]
    return CheckView(files=list(names.values()), rows=report.rows, problems=problems, grids=grids,
                     errors=len(report.errors))


def failed_view(message: str, names: Mapping[Path, str]) -> CheckView:
    for stored, shown in names.items():
        message = message.replace(str(stored), shown).replace(stored.name, shown)
    return CheckView(files=list(names.values()), rows=0, problems=[], grids=[], errors=1, failure=message)


def _line(problem: Problem, names: Mapping[str, str]) -> ProblemLine:
    file = Path(problem.file).name
    return ProblemLine(names.get(file, file), problem.sheet, problem.row, problem.column, str(problem.severity),
                       problem.message)


def _grid(sheet: Any, problems: Sequence[Problem], names: Mapping[str, str]) -> SheetGrid:
    fields = sorted(sheet.positions, key=sheet.positions.get)
    labels = [sheet.headers.get(f) or sheet.header(f) for f in fields]
    at = _problems_at(problems)
    headers = [Cell(label, at.pop((1, label), [])) for label in labels]
    numbers = list(sheet.frame.index)
    shown = _rows_shown(numbers, {row for row, _ in at if row is not None and row > 1})
    rows: list[GridRow] = []
    last = 1
    for number in shown:
        if number > last + 1 and rows:
            rows.append(GridRow(None, []))
        record = sheet.frame.loc[number]
        whole_row = at.get((number, None), [])
        rows.append(GridRow(number, [Cell(_text(record[f]), at.get((number, label), []) + whole_row)
                                     for f, label in zip(fields, labels, strict=True)]))
        last = number
    if numbers and shown and shown[-1] != numbers[-1]:
        rows.append(GridRow(None, []))
    return SheetGrid(names.get(sheet.path.name, sheet.path.name), sheet.title, headers, rows, len(numbers))


def _problems_at(problems: Iterable[Problem]) -> dict[tuple[int | None, str | None], list[str]]:
    at: dict[tuple[int | None, str | None], list[str]] = {}
    for problem in problems:
        at.setdefault((problem.row, problem.column), []).append(f"{problem.severity}: {problem.message}")
    return at


def _rows_shown(numbers: Sequence[int], with_problems: set[int]) -> list[int]:
    first = list(numbers[:FIRST_ROWS])
    later = sorted(n for n in with_problems if n not in set(first))[:PROBLEM_ROWS]
    return sorted({*first, *later} & set(numbers))


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"


@dataclass
class PlanLine:
    sheet: str
    counts: list[tuple[str, int]]
    changes: list[tuple[int, str, list[str]]]  # row, verdict, "Label: old → new"


@dataclass
class PlanView:
    lines: list[PlanLine]
    requests: int
    time: str
    live: bool
    offline_reason: str
    ok: bool
    removals: list[str]


ORDER = ("create", "update", "delete", "replace", "append", "remove", "unchanged", "skip", "fail", "fix (invalid)")


def plan_view(summary: Any) -> PlanView:
    diff = summary.diff
    lines = []
    for sheet_no, item in enumerate(summary.validated):
        counts = summary.sheets.get(item.sheet.title, {})
        ordered = sorted(counts.items(), key=lambda pair: ORDER.index(pair[0]) if pair[0] in ORDER else 99)
        changes = [(row, verdict.verdict, [str(c) for c in verdict.changes] or ([verdict.note] if verdict.note else []))
                   for (number, row), verdict in sorted((diff.rows if diff else {}).items())
                   if number == sheet_no and verdict.verdict in ("update", "delete", "fail")]
        lines.append(PlanLine(item.sheet.title, ordered, changes))
    return PlanView(lines, summary.requests, duration(summary.seconds), summary.live, summary.offline_reason,
                    summary.ok, [str(r) for r in (diff.removals if diff else [])])


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
