"""The answer of `POST api/statistic` (sections 3.1 and 3.2): `data` rows, `totals` and `pagination`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

STATISTIC_PATH = "/api/statistic"
ROWS_ON_PAGE_MAX = 50_000  # "rowsOnPage ... (min:10, max:50000)"
ROWS_ON_PAGE_MIN = 10


class StatisticPagination(BaseModel):
    model_config = ConfigDict(extra="allow")

    page: int
    per_page: int
    total: int


class StatisticPage(BaseModel):
    """One page: its rows as sent (keys are the request's `groupBy` and `agregatedFields`, with
    `campaignId_dict` / `creativeId_dict` for names) and the whole report's totals."""

    model_config = ConfigDict(extra="allow")

    status: str | None = None
    data: list[dict[str, Any]]
    totals: dict[str, Any]
    pagination: StatisticPagination
