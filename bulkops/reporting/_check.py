"""The platform's totals against the sum of its rows: a report says where they disagree rather than
hiding it. Rates (CTR, win rate, eCPM) are not sums, so only summed metrics are compared."""

from __future__ import annotations

from bulkops.reporting._model import Metric, Number, Statistics

MONEY_TOLERANCE = 0.005  # half a cent: the platform rounds each row's spend, not only the total


def row_sums(stats: Statistics) -> dict[str, Number]:
    """Each summed metric's sum over the rows (money rounded to the platform's 8 decimals)."""
    sums: dict[str, Number] = {}
    for metric in stats.metrics:
        if metric.summed:
            total = sum(row.values.get(metric.key) or 0 for row in stats.rows)
            sums[metric.key] = round(total, 8) if metric.style == "money" else total
    return sums


def disagreements(stats: Statistics) -> list[str]:
    """One sentence per summed metric whose rows do not add up to the platform's total."""
    sums = row_sums(stats)
    said = []
    for metric in stats.metrics:
        if metric.key not in sums or stats.totals.get(metric.key) is None:
            continue
        if not _agree(metric, sums[metric.key], stats.totals[metric.key]):
            said.append(f"{metric.label}: the rows add up to {_shown(metric, sums[metric.key])}, "
                        f"the platform's total is {_shown(metric, stats.totals[metric.key])}")
    return said


def _agree(metric: Metric, summed: Number, total: Number) -> bool:
    if metric.style == "money":
        return abs(summed - total) <= MONEY_TOLERANCE
    return summed == total


def _shown(metric: Metric, value: Number) -> str:
    return f"{value:,.2f}" if metric.style == "money" else f"{value:,}"
