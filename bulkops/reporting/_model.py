"""What a statistics report is, whatever the platform: the query, the metrics, the rows and the
platform's own totals. A platform's reader (`Platform.reporting`) answers a `ReportQuery` with a
`Statistics`; the writers and the check of the totals read only these types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bulkops._exceptions import ConfigError

DIMENSIONS = ("day", "campaign", "creative")  # what `--by` may name, in the order rows are keyed

Number = int | float


@dataclass(frozen=True)
class Metric:
    """One measured column. `style`: "count", "money" or "percent" (the platform's percent number,
    3.2 for 3.2 %). `summed`: the platform's total is the sum of its rows, so the two are compared."""

    key: str
    label: str
    style: str
    summed: bool


BIDS = Metric("bids", "Bids", "count", True)
WINS = Metric("wins", "Wins", "count", True)
IMPRESSIONS = Metric("impressions", "Impressions", "count", True)
CLICKS = Metric("clicks", "Clicks", "count", True)
SPEND = Metric("spend", "Spend", "money", True)
WIN_RATE = Metric("winrate", "Win Rate", "percent", False)
CTR = Metric("ctr", "CTR", "percent", False)
ECPM = Metric("ecpm", "eCPM", "money", False)


@dataclass(frozen=True)
class ReportQuery:
    """The days `start` to `end` (both included), grouped by `by` (a subset of DIMENSIONS, in that order)."""

    start: dt.date
    end: dt.date
    by: tuple[str, ...]


@dataclass
class StatRow:
    """One row of a report: the dimensions asked for (the others None) and the metrics' values."""

    day: dt.date | None = None
    campaign_id: int | None = None
    campaign_name: str | None = None
    creative_id: int | None = None
    creative_name: str | None = None
    values: dict[str, Number] = field(default_factory=dict)


@dataclass(frozen=True)
class AnswerKeys:
    """Where a platform's statistics answer keeps a row's dimensions (its own key names) and, in
    `fields`, which answer key holds which metric."""

    day: str
    campaign_id: str
    campaign_name: str
    creative_id: str
    creative_name: str
    fields: Mapping[str, Metric]

    def row(self, item: Mapping[str, Any]) -> StatRow:
        """One row of the answer: a day as its ISO date (a time after it ignored), IDs only when whole
        numbers above 0, names only when not blank, and the metrics that hold numbers."""
        day = item.get(self.day)
        return StatRow(day=dt.date.fromisoformat(str(day)[:10]) if day else None,
                       campaign_id=_answer_id(item.get(self.campaign_id)),
                       campaign_name=_answer_text(item.get(self.campaign_name)),
                       creative_id=_answer_id(item.get(self.creative_id)),
                       creative_name=_answer_text(item.get(self.creative_name)), values=self.values(item))

    def values(self, item: Mapping[str, Any]) -> dict[str, Number]:
        """The metrics of a row (or of the answer's totals) that hold numbers, by metric key."""
        values: dict[str, Number] = {}
        for name, metric in self.fields.items():
            value = item.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                values[metric.key] = int(value) if metric.style == "count" else float(value)
        return values


def _answer_id(value: Any) -> int | None:
    return int(value) if isinstance(value, int | str) and str(value).isdigit() and int(value) > 0 else None


def _answer_text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


@dataclass
class Statistics:
    """A platform's whole answer: every page's rows, its own totals, and the pages it took."""

    metrics: tuple[Metric, ...]
    rows: list[StatRow]
    totals: dict[str, Number]
    pages: int = 0


class ReadStatistics(Protocol):
    """A platform's read of its statistics: every page, `progress(done, total)` after each page."""

    async def __call__(self, client: Any, query: ReportQuery,
                       progress: Callable[[int, int | None], None]) -> Statistics: ...


def report_query(start: dt.date | str, end: dt.date | str, by: Sequence[str] | str) -> ReportQuery:
    """A checked query: dates (ISO text or dates), `start` not after `end`, `by` known dimensions."""
    first, last = _day(start, "from"), _day(end, "to")
    if first > last:
        raise ConfigError(f"the report's start ({first}) is after its end ({last})")
    names = [n.strip().lower() for n in (by.split(",") if isinstance(by, str) else by) if n.strip()]
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown or not names:
        named = ", ".join(unknown) or "nothing"
        raise ConfigError(f"--by takes {', '.join(DIMENSIONS)} (comma-separated), not {named}")
    return ReportQuery(first, last, tuple(d for d in DIMENSIONS if d in names))


def _day(value: dt.date | str, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(f"--{name} takes a date as YYYY-MM-DD, not {str(value)[:30]!r}") from None
