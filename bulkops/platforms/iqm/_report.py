"""IQM statistics for `bulkops report`: the Reports API guide's "Execute a Report"
(`POST /api/v3/ra/report/execute`), run without saving a report, every page.

Grouped by day, it asks a daily report (`requestType` 1, a `date` on each row); otherwise an
aggregated one (2). Campaign and creative are the guide's `campaign` and `creative` dimensions.
Pages hold 1,000 rows (`noOfEntries`, the most the quick start allows), so a report takes one
request per 1,000 rows. The answer's `total` is kept as the platform's own totals."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

from bulkops.platforms.iqm.client import REPORT_PAGE_ROWS, IQMClient, ReportPage
from bulkops.reporting import BIDS, CLICKS, CTR, ECPM, IMPRESSIONS, SPEND, AnswerKeys, ReportQuery, Statistics

DAILY, AGGREGATED = 1, 2  # the guide's requestType
DIMENSIONS = {"campaign": "campaign", "creative": "creative"}  # the report's dimension → the guide's filter
# Columns asked for, per dimension (the guide's response properties; creativeId and creativeName as
# campaignId and campaignName are), then the metrics.
DIMENSION_COLUMNS = {"day": ("date",), "campaign": ("campaignId", "campaignName"),
                     "creative": ("creativeId", "creativeName")}
FIELDS = {"bidImpressions": BIDS, "impressions": IMPRESSIONS, "clicks": CLICKS, "spent": SPEND, "CTR": CTR,
          "eCPM": ECPM}
ANSWER = AnswerKeys("date", "campaignId", "campaignName", "creativeId", "creativeName", FIELDS)
METRICS = (BIDS, IMPRESSIONS, CLICKS, SPEND, CTR, ECPM)
TIMEZONE_NAME = "UTC"


def execute_request(query: ReportQuery, page: int, rows: int = REPORT_PAGE_ROWS) -> dict[str, Any]:
    """One page's request: the days as epoch milliseconds (the first at 00:00, the last to 23:59:59.999 UTC)."""
    dimensions = [{"filter": DIMENSIONS[name]} for name in query.by if name in DIMENSIONS]
    columns = [column for name in query.by for column in DIMENSION_COLUMNS[name]] + list(FIELDS)
    return {"dimensions": json.dumps(dimensions, separators=(",", ":")), "columns": columns,
            "requestType": DAILY if "day" in query.by else AGGREGATED, "reportAggregated": "0",
            "startDate": _epoch_ms(query.start), "endDate": _epoch_ms(query.end + dt.timedelta(days=1)) - 1,
            "timezoneName": TIMEZONE_NAME, "sortBy": f"+{columns[0]}", "pageNo": page, "noOfEntries": rows}


async def read_statistics(client: IQMClient, query: ReportQuery, progress: Callable[[int, int | None], None],
                          *, rows_on_page: int = REPORT_PAGE_ROWS) -> Statistics:
    """Every page of the report: the first says how many rows there are, then each further page once."""
    first = await client.execute_report(execute_request(query, 1, rows_on_page))
    pages = max(1, math.ceil(first.totalRecords / rows_on_page))
    progress(1, pages)
    rows = [ANSWER.row(item) for item in first.data]
    for page in range(2, pages + 1):
        answer: ReportPage = await client.execute_report(execute_request(query, page, rows_on_page))
        rows += [ANSWER.row(item) for item in answer.data]
        progress(page, pages)
    return Statistics(METRICS, rows, ANSWER.values(first.total), pages)


def _epoch_ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)



