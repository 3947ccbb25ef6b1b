"""The one table at the end: each benchmark figure beside its baseline from the same run, the ratio
between them, the target and whether the median meets it."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Medians = dict[str, tuple[float, float, float]]  # key → (median, min, max)
FASTER = "baseline ÷ bulkops"  # times: above 1, bulkops is the faster
SHARE = "bulkops ÷ baseline"


@dataclass(frozen=True)
class Figure:
    label: str
    section: str
    key: str
    baseline: str | None  # a key of the same section, measured in the same run
    ratio: str | None  # FASTER, SHARE or None
    target: str
    met: Callable[[float, float | None], bool] | None  # (median, ratio) → met; None: no target

    def ratio_of(self, value: float, base: float | None) -> float | None:
        if base is None or self.ratio is None:
            return None
        top, bottom = (base, value) if self.ratio == FASTER else (value, base)
        return top / bottom if bottom else math.inf


FIGURES = (
    Figure("rate reached ÷ L (steady)", "saturation", "bulkops share", "sequential share", SHARE, "≥ 0.95",
           lambda v, r: v >= 0.95),
    Figure("rate kept up ÷ L (sustained)", "saturation", "bulkops sustained share", "sequential sustained share",
           SHARE, "≥ 0.95", lambda v, r: v >= 0.95),
    Figure("429s during the push", "saturation", "bulkops 429s", "sequential 429s", None, "0", lambda v, r: v == 0),
    Figure("SmartyAds mixed job: requests", "economy-smartyads", "requests sent", "fewest allowed", SHARE,
           "ratio 1.00", lambda v, r: r is not None and r <= 1.0),
    Figure("IQM mixed job: requests", "economy-iqm", "requests sent", "fewest allowed", SHARE, "ratio 1.00",
           lambda v, r: r is not None and r <= 1.0),
    Figure("SmartyAds account moved (--as-new): requests", "economy-migration-smartyads", "requests sent",
           "fewest allowed", SHARE, "ratio 1.00", lambda v, r: r is not None and r <= 1.0),
    Figure("IQM account moved (--as-new): requests", "economy-migration-iqm", "requests sent", "fewest allowed",
           SHARE, "ratio 1.00", lambda v, r: r is not None and r <= 1.0),
    Figure("Geo ZIP .xlsx: read+validate+plan s", "local-xlsx", "read+validate+plan s", "pandas read s", FASTER,
           "< 3 s, ratio ≥ 3", lambda v, r: v < 3 and r is not None and r >= 3),
    Figure("Geo ZIP .xlsx: results workbook s", "local-xlsx", "results write s", "pandas write s", FASTER, "< 5 s",
           lambda v, r: v < 5),
    Figure("Geo ZIP .csv: read+validate+plan s", "local-csv", "read+validate+plan s", "pandas read s", FASTER,
           "—", None),
    Figure("Geo ZIP .csv: results workbook s", "local-csv", "results write s", "pandas write s", FASTER, "< 5 s",
           lambda v, r: v < 5),
    Figure("CSV job through validate+plan: peak RSS MiB", "memory", "peak RSS MiB", "pandas read_csv peak RSS MiB",
           SHARE, "< 1024 MiB", lambda v, r: v < 1024),
    Figure("finished job pushed again: writes", "resume", "rerun writes", None, None, "0", lambda v, r: v == 0),
    Figure("finished job pushed again: s", "resume", "rerun s", "first push s", FASTER, "< 5 s", lambda v, r: v < 5),
)


def _number(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    return f"{value:,.0f}" if value == int(value) and abs(value) >= 1 else f"{value:.3f}"


def _ratio(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.2g}"  # a small ratio keeps two digits that say something


def render(figures: tuple[Figure, ...], results: Mapping[str, Medians]) -> str:
    """One line per figure of each section that ran (a key of `results`). A section that ran but
    lacks a figure's key or its baseline's key raises KeyError, so a renamed key cannot drop a
    figure from the table unseen."""
    header = ("figure", "bulkops median [min–max]", "baseline median", "ratio", "target", "met")
    rows = [header]
    for figure in figures:
        if figure.section not in results:
            continue  # not run (--only)
        found = results[figure.section]
        for key in (figure.key, figure.baseline):
            if key is not None and key not in found:
                raise KeyError(f"figure {figure.label!r}: section {figure.section!r} ran but measured no "
                               f"{key!r} (it measured {', '.join(map(repr, found)) or 'nothing'})")
        median, low, high = found[figure.key]
        base = found[figure.baseline][0] if figure.baseline else None
        ratio = figure.ratio_of(median, base)
        verdict = "—" if figure.met is None else ("met" if figure.met(median, ratio) else "missed")
        rows.append((figure.label, f"{_number(median)} [{_number(low)}–{_number(high)}]",
                     "—" if base is None else _number(base), _ratio(ratio),
                     figure.target, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append(f"ratio: times are {FASTER} (above 1: bulkops is faster); counts, shares and memory are {SHARE}.")
    return "\n".join(lines)
