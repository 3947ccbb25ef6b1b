"""A small report built by hand, as a platform's read answers it."""

from __future__ import annotations

import datetime as dt

from bulkops.reporting import BIDS, CLICKS, CTR, IMPRESSIONS, SPEND, Statistics, StatRow

METRICS = (BIDS, IMPRESSIONS, CLICKS, SPEND, CTR)
DAY1, DAY2 = dt.date(2026, 2, 10), dt.date(2026, 2, 11)


def row(day: dt.date, campaign: int, name: str, impressions: int, clicks: int, spend: float) -> StatRow:
    return StatRow(day=day, campaign_id=campaign, campaign_name=name,
                   values={"bids": impressions * 5, "impressions": impressions, "clicks": clicks, "spend": spend,
                           "ctr": round(clicks / impressions * 100, 6)})


def statistics(*, total_impressions: int | None = None) -> Statistics:
    rows = [row(DAY2, 2, "=HYPERLINK(\"http://x\")", 2000, 30, 4.5),
            row(DAY1, 1, "UA | Pay Master | US", 52963, 1711, 229.50605086),
            row(DAY1, 2, "=HYPERLINK(\"http://x\")", 1000, 10, 1.25)]
    totals = {"bids": 279815, "impressions": 55963 if total_impressions is None else total_impressions,
              "clicks": 1751, "spend": 235.25605086, "ctr": 1.5}
    return Statistics(METRICS, rows, totals, pages=1)
