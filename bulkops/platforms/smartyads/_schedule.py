"""A campaign's time targeting (section 2) as a buyer writes it: `Mon-Fri 09:00-17:00; Sat 10:00-14:00`.

SmartyAds holds time targeting as day/hour items (`dayOfWeek` 0..6, `hour` 0..23: 2.1.3, 2.2.1), so
a schedule is a set of (day, hour) pairs; this module reads the text into that set and writes the
set back in one canonical text, so that an export pushed back unchanged compares equal.

The reading (docs/input-values.md#time-targeting):
- clauses are separated by `;` or line breaks; each is days, then hour ranges separated by commas
  (`Mon-Fri 09:00-12:00, 13:00-17:00`); days alone mean the whole day (`Sat`);
- days are English names or their usual abbreviations in any case (`mon`, `Tues`, `THURSDAY`), a
  range (`Mon-Fri`; `Fri-Mon` wraps over the weekend), a comma list (`Mon, Wed`), or `daily`;
- times are `H:MM` or `HH:MM` on the hour (SmartyAds holds whole hours); `24:00` ends a day;
- a range ending at or before its start runs past midnight into the next day (`Fri 22:00-02:00` is
  Friday 22-24 and Saturday 0-2); overlapping ranges are merged;
- `always` is no time targeting at all (the campaign runs at every hour).

`dayOfWeek` 0 is Sunday, as PHP's and Carbon's day of the week count (the document gives 0..6 only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ALWAYS", "DAY_NAMES", "Hours", "ScheduleError", "canonical", "items_of", "parse", "shifted", "text_of"]

ALWAYS = "always"
DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")  # by dayOfWeek
_WEEK_ORDER = (1, 2, 3, 4, 5, 6, 0)  # how a buyer reads a week: Monday first
_SPELLINGS = {
    0: ("sun", "sunday"), 1: ("mon", "monday"), 2: ("tue", "tues", "tuesday"),
    3: ("wed", "weds", "wednesday"), 4: ("thu", "thur", "thurs", "thursday"), 5: ("fri", "friday"),
    6: ("sat", "saturday"),
}
_DAY = {spelling: day for day, spellings in _SPELLINGS.items() for spelling in spellings}
_DASHES = re.compile(r"\s*[-\u2013\u2014]\s*")  # Excel and Word turn `-` into en and em dashes
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_TIME_RANGE = re.compile(r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$")

Hours = frozenset[tuple[int, int]]  # (dayOfWeek, hour)


class ScheduleError(ValueError):
    """Why a time-targeting text cannot be read (the message names the part)."""


def parse(text: str) -> Hours:
    """The (dayOfWeek, hour) pairs `text` names; an empty set for `always`."""
    cleaned = text.strip()
    if not cleaned:
        raise ScheduleError("is empty")
    if cleaned.casefold() == ALWAYS:
        return frozenset()
    hours: set[tuple[int, int]] = set()
    for clause in re.split(r"[;\n\r]+", cleaned):
        if clause.strip():
            hours |= _clause(clause.strip())
    if not hours:
        raise ScheduleError("names no hours")
    return frozenset(hours)


def _clause(clause: str) -> set[tuple[int, int]]:
    normal = _DASHES.sub("-", clause)
    tokens = [t for t in re.split(r"[\s,]+", normal) if t]
    at = next((i for i, t in enumerate(tokens) if t[:1].isdigit()), len(tokens))
    day_tokens, time_tokens = tokens[:at], tokens[at:]
    if not day_tokens:
        raise ScheduleError(f"{clause!r} does not start with a day (such as Mon, Mon-Fri or daily)")
    days = _days(day_tokens, clause)
    ranges = [_range(token, clause) for token in time_tokens] or [(0, 24)]
    found = set()
    for day in days:
        for start, end in ranges:
            found |= _span(day, start, end)
    return found


def _days(tokens: list[str], clause: str) -> list[int]:
    days: list[int] = []
    for token in tokens:
        word = token.casefold().rstrip(".")
        if word in ("daily", "everyday"):
            days.extend(range(7))
            continue
        if "-" in word:
            first, _, last = word.partition("-")
            start, end = _day(first, clause), _day(last.rstrip("."), clause)
            days.extend((start + step) % 7 for step in range((end - start) % 7 + 1))
            continue
        days.append(_day(word, clause))
    return days


def _day(word: str, clause: str) -> int:
    found = _DAY.get(word.casefold().rstrip("."))
    if found is None:
        raise ScheduleError(f"{word!r} in {clause!r} is not a day: write Mon, Tue, Wed, Thu, Fri, Sat, Sun "
                            "(or the whole name), a range such as Mon-Fri, or daily")
    return found


def _range(token: str, clause: str) -> tuple[int, int]:
    if not _TIME_RANGE.match(token):
        raise ScheduleError(f"{token!r} in {clause!r} is not a range of hours such as 09:00-17:00")
    first, last = token.split("-")
    start, end = _hour(first, clause), _hour(last, clause)
    if start == 24:
        raise ScheduleError(f"{token!r} in {clause!r} starts at 24:00; a range may end at 24:00, not start there")
    if start == end % 24 and not (start == 0 and end == 24):
        raise ScheduleError(f"{token!r} in {clause!r} is empty: its start and end are the same hour")
    return start, end


def _hour(text: str, clause: str) -> int:
    hours, minutes = (int(part) for part in _TIME.match(text).groups())  # type: ignore[union-attr]
    if minutes != 0:
        raise ScheduleError(f"{text} in {clause!r} is not on the hour: SmartyAds targets whole hours "
                            f"(day and hour), so write {hours:02d}:00 or {min(hours + 1, 24):02d}:00")
    if hours > 24:
        raise ScheduleError(f"{text} in {clause!r} is not a time of day (00:00 to 24:00)")
    return hours


def _span(day: int, start: int, end: int) -> set[tuple[int, int]]:
    """The hours from `start` to `end` on `day`; past midnight into the next day when `end` is not after `start`."""
    if end > start:
        return {(day, hour) for hour in range(start, end)}
    return {(day, hour) for hour in range(start, 24)} | {((day + 1) % 7, hour) for hour in range(0, end)}


def text_of(hours: Iterable[tuple[int, int]]) -> str:
    """The canonical text of a set of (dayOfWeek, hour) pairs: days Monday first, consecutive days
    with the same hours as one range, each day's hours as merged ranges; `always` for none."""
    by_day: dict[int, tuple[int, ...]] = {day: () for day in range(7)}
    for day, hour in sorted(set(hours)):
        by_day[day] += (hour,)
    clauses: list[str] = []
    run: list[int] = []
    for day in _WEEK_ORDER:
        if run and by_day[day] == by_day[run[0]]:
            run.append(day)
            continue
        if run and by_day[run[0]]:
            clauses.append(_clause_text(run, by_day[run[0]]))
        run = [day]
    if run and by_day[run[0]]:
        clauses.append(_clause_text(run, by_day[run[0]]))
    return "; ".join(clauses) or ALWAYS


def _clause_text(days: list[int], hours: tuple[int, ...]) -> str:
    named = DAY_NAMES[days[0]] if len(days) == 1 else f"{DAY_NAMES[days[0]]}-{DAY_NAMES[days[-1]]}"
    ranges, start = [], hours[0]
    for previous, hour in zip(hours, (*hours[1:], None), strict=True):
        if hour != previous + 1:
            ranges.append(f"{start:02d}:00-{previous + 1:02d}:00")
            start = hour if hour is not None else start
    return f"{named} {', '.join(ranges)}"


def canonical(text: str) -> str:
    """`text` read and written back in the one form an export writes (ScheduleError if it cannot be read)."""
    return text_of(parse(text))


def shifted(hours: Iterable[tuple[int, int]], offset: int) -> Hours:
    """The same hours seen from UTC when written at UTC`offset` (`Mon 09:00` at -5 is `Mon 14:00`)."""
    return frozenset(divmod((day * 24 + hour - offset) % 168, 24) for day, hour in hours)


def items_of(hours: Iterable[tuple[int, int]]) -> list[dict[str, int]]:
    """The request's `items` (2.2.1), in day and hour order."""
    return [{"dayOfWeek": day, "hour": hour} for day, hour in sorted(set(hours))]
