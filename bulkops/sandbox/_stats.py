"""Deterministic delivery for the sandboxes' statistics: the same seed, campaign, creative and day
always give the same numbers, in realistic ratios (wins ≤ bids, impressions ≤ wins, clicks ≤
impressions, spend in dollars at a CPM between $0.30 and $4.50)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

MAX_DAYS = 3660  # ten years: a longer range is refused (the answer would be unbounded)


@dataclass(frozen=True)
class Delivery:
    bids: int
    wins: int
    impressions: int
    clicks: int
    spend: float  # dollars, 8 decimals as the platforms answer


def delivery(seed: int, campaign_id: int, creative_id: int, day: dt.date) -> Delivery:
    # A text seed is hashed by SHA-512 (random's version 2): stable across runs and machines.
    rng = random.Random(f"{seed}:{campaign_id}:{creative_id}:{day.isoformat()}")
    bids = rng.randint(100_000, 2_000_000)
    wins = int(bids * rng.uniform(0.03, 0.30))
    impressions = int(wins * rng.uniform(0.90, 1.0))
    clicks = int(impressions * rng.uniform(0.003, 0.035))
    spend = round(impressions / 1000 * rng.uniform(0.30, 4.50), 8)
    return Delivery(bids, wins, impressions, clicks, spend)


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def grouped(rows: Iterable[dict[str, Any]], keys: Sequence[str], summed: Sequence[str]) -> list[dict[str, Any]]:
    """One row per distinct value of `keys`, its `summed` fields added up (the first row's other
    fields kept), in the order the groups first appear."""
    sums: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        held = sums.get(key)
        if held is None:
            sums[key] = dict(row)
        else:
            for name in summed:
                held[name] += row[name]
    return list(sums.values())
