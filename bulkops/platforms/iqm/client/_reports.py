"""IQM's Reports API guide, "Execute a Report": `POST /api/v3/ra/report/execute`, one page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict

EXECUTE_PATH = "/api/v3/ra/report/execute"
REPORT_PAGE_ROWS = 1000  # the quick start's "The maximum data size per page is 1K rows"


class ReportPage(BaseModel):
    """`data` of the answer: the rows of this page, the whole report's `total` and `totalRecords`."""

    model_config = ConfigDict(extra="allow")

    total: dict[str, Any]
    data: list[dict[str, Any]]
    totalRecords: int  # noqa: N815 (the API's own name)


class ReportRoutes:
    """Mixed into IQMClient: needs its `_call`, `_payload` and `_unusable`."""

    _call: Any
    _payload: Any
    _unusable: Any

    async def execute_report(self, body: Mapping[str, Any]) -> ReportPage:
        """One page of a report run without saving it (the guide's request schema, no `id`). A read:
        repeating it changes nothing."""
        response = await self._call("POST", EXECUTE_PATH, json=dict(body), replayable=True)
        payload = self._payload(response)
        try:
            return ReportPage.model_validate(payload)
        except pydantic.ValidationError as exc:
            raise self._unusable(response, exc, maybe_done=False) from None
