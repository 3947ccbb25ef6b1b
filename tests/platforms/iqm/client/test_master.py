"""The IQM client's master data reads (IQM's Master API guide): against the sandbox, each list in
one request; against a scripted IQM, every page of a long list, pages of 1,000 rows."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bulkops.platforms.iqm.client import PAGE_SIZE, IQMClient
from bulkops.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, SandboxConfig, running
from tests.platforms.iqm.client.conftest import make_client

STATE = "/api/v3/master/segment/state"
US, INDIA = 30100001, 30100002


@pytest.mark.slow
def test_each_list_is_one_request_against_the_sandbox():
    async def read(base_url: str) -> tuple[dict, int]:
        async with IQMClient(base_url, "sandbox-client", "sandbox-secret", SANDBOX_EMAIL, SANDBOX_PASSWORD,
                             "sandbox.bulkops.test") as api:
            await api.login()
            before = api.stats.requests_sent
            found = {"countries": await api.countries(), "states": await api.states([US, INDIA]),
                     "device types": await api.device_types(), "os": await api.operating_systems(),
                     "exchanges": await api.exchanges(), "carriers": await api.carriers(US),
                     "time zones": await api.time_zones()}
            return found, api.stats.requests_sent - before

    with running(SandboxConfig(platform="iqm", rate_limit=10_000)) as srv:
        found, requests = asyncio.run(read(srv.base_url))
    assert requests == 7
    countries = {c.id: c for c in found["countries"]}
    assert len(countries) == 249 and (countries[US].name, countries[US].abbreviation) == ("United States", "US")
    assert {s.parentId for s in found["states"]} == {US, INDIA}
    assert ("Texas", "TX") in {(s.name, s.abbreviation) for s in found["states"]}
    assert [t.name for t in found["device types"]][:2] == ["Mobile", "Desktop"]
    assert len(found["os"]) == 28 and found["os"][0].name == "Android"
    assert {e.name for e in found["exchanges"]} >= {"Magnite", "PubMatic"}
    assert found["carriers"][0].name == "AT&T Mobility" and len(found["carriers"]) == 32
    assert any(z.name == "America/New_York" and z.id == 433 for z in found["time zones"])


def state_page(request: httpx.Request, count: int) -> httpx.Response:
    body = json.loads(request.content)
    page, size = body["pageNo"], body["noOfEntries"]
    rows = [{"id": 30200000 + i, "name": f"State {i}", "abbreviation": f"S{i}", "parentId": US}
            for i in range((page - 1) * size + 1, min(page * size, count) + 1)]
    return httpx.Response(200, json={"success": True, "data": {"data": rows, "totalRecords": count,
                                                               "filteredRecords": count}})


def test_a_long_list_is_read_a_thousand_rows_a_page(platform):
    platform.script[("POST", STATE)] = [lambda r: state_page(r, 2500)] * 3

    async def go():
        async with make_client(platform) as api:
            return await api.states([US])

    states = asyncio.run(go())
    assert len(states) == 2500 and states[-1].name == "State 2500"
    bodies = [json.loads(r.content) for r in platform.sent("POST", STATE)]
    assert bodies == [{"pageNo": n, "noOfEntries": PAGE_SIZE, "sortBy": "+id", "parentSegmentIds": [US]}
                      for n in (1, 2, 3)]


def test_no_country_asks_nothing(platform):
    async def go():
        async with make_client(platform) as api:
            return await api.states([])

    assert asyncio.run(go()) == [] and platform.sent("POST", STATE) == []
