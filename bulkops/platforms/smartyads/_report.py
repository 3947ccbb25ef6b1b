"""SmartyAds statistics for `bulkops report`: `POST api/statistic` (section 3.1), every page.

`groupBy` comes from the report's dimensions (day → `YMD`, campaign → `campaignId`, creative →
`creativeId`); every documented `agregatedFields` is asked for; `rowsOnPage` is the documented
maximum, 50,000, so a report takes the fewest requests: one per 50,000 rows. The answer's `totals`
are kept as the platform's own (its CTR and win rate there are the average of the rows' rates, as
3.1.5 shows, not clicks over impressions)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from bulkops.platforms.smartyads.client import ROWS_ON_PAGE_MAX, SmartyAdsClient, StatisticPage
from bulkops.reporting import (
    BIDS,
    CLICKS,
    CTR,
    IMPRESSIONS,
    SPEND,
    WIN_RATE,
    WINS,
    AnswerKeys,
    ReportQuery,
    Statistics,
)

GROUP_BY = {"day": "YMD", "campaign": "campaignId", "creative": "creativeId"}
# agregatedFields (3.1.1's example, in its order) → the report's metrics, in the workbook's column order.
FIELDS = {"bids": BIDS, "wins": WINS, "impressions": IMPRESSIONS, "clicks": CLICKS, "dspSpend": SPEND,
          "winrate": WIN_RATE, "ctr": CTR}
ANSWER = AnswerKeys("YMD", "campaignId", "campaignId_dict", "creativeId", "creativeId_dict", FIELDS)
METRICS = (BIDS, WINS, IMPRESSIONS, CLICKS, SPEND, WIN_RATE, CTR)


def statistic_request(query: ReportQuery, page: int, rows_on_page: int = ROWS_ON_PAGE_MAX) -> dict[str, Any]:
    """The body of one page's request, ordered by the first dimension so that pages do not overlap."""
    group = [GROUP_BY[name] for name in query.by]
    return {"from": query.start.isoformat(), "to": query.end.isoformat(), "groupBy": group,
            "agregatedFields": list(FIELDS), "orderField": group[0], "orderDir": "asc", "page": page,
            "rowsOnPage": rows_on_page}


async def read_statistics(client: SmartyAdsClient, query: ReportQuery, progress: Callable[[int, int | None], None],
                          *, rows_on_page: int = ROWS_ON_PAGE_MAX) -> Statistics:
    """Every page of the report: the first says how many rows there are, then each further page once."""
    first = await client.statistic(statistic_request(query, 1, rows_on_page))
    pages = _pages(first)
    progress(1, pages)
    rows = [ANSWER.row(item) for item in first.data]
    for page in range(2, pages + 1):
        answer = await client.statistic(statistic_request(query, page, rows_on_page))
        rows += [ANSWER.row(item) for item in answer.data]
        progress(page, pages)
    return Statistics(METRICS, rows, ANSWER.values(first.totals), pages)


def _pages(answer: StatisticPage) -> int:
    per_page = answer.pagination.per_page or len(answer.data) or 1
    return max(1, math.ceil(answer.pagination.total / per_page))



