from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import httpx
import pytest

from bulkops.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, SandboxConfig, SandboxServer, running

BASIC = "Basic " + base64.b64encode(b"sandbox-client:sandbox-secret").decode()
HOST = "sandbox.bulkops.test"
OW_ID = 200001
LOGIN = "/api/v3/ua/login"
UPLOAD = "/api/v2/crt/add/image/banner/creative"
DETAILS = "/api/v2/crt/creatives/details"
ADD = "/api/v2/cmp/campaigns/add"
ADD_CREATIVES = "/api/v3/crt/creatives"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64

# The document's campaign request, verbatim except creativeIds (the sandbox's creative), the dates
# (kept, they are epoch seconds with end after start) and campaignType, which its table requires and
# its example leaves out.
CAMPAIGN = {
    "campaignName": "Test Campaign", "campaignType": 1, "maxBid": 10, "budgetTotal": 100, "startTime": 1703794800,
    "endTime": 1704614400, "timezone": 433, "budgetDay": 10, "creativeType": 11, "isAgreementChecked": True,
    "ioId": 2695, "countryId": "30100001", "creativeIds": "1", "isAdvanceAudioVideoTargeted": False,
    "advertiserDomain": "https://iqm.com", "totalBudgetPacing": False, "deviceType": "13,15,11,12",
    "trafficType": "11,12", "isTvAd": False, "bidOptimization": True, "bidPacing": True, "publisherAdCategory": "",
    "impressionCapping": 0, "exchanges": "55,61,58,41,39,47,59,1,54,56,45,16,11,37,57,50,46,53,60",
    "maxDayImpressions": 0, "budgetTypeId": 1, "totalImpressions": 0, "maxDayClicks": 0, "totalClicks": 0,
    "maxDayConversions": 0, "totalConversions": 0, "prebidAudienceSegmentIdList": [],
}


class Clock:
    """A clock tests move by hand; installed as the sandbox's clock."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    # A roomy limit: the rate limit has its own tests.
    with running(SandboxConfig(platform="iqm", rate_limit=10_000)) as srv:
        yield srv


@pytest.fixture
def clock(server: SandboxServer) -> Clock:
    fake = Clock()
    server.sandbox.clock = fake  # type: ignore[attr-defined]
    return fake


@pytest.fixture
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client


def login_answer(client: httpx.Client, **body: object) -> httpx.Response:
    fields = {"grantType": "password", "email": SANDBOX_EMAIL, "password": SANDBOX_PASSWORD, **body}
    return client.post(LOGIN, json=fields, headers={"Authorization": BASIC, "X-IAA-HOST": HOST})


def login(client: httpx.Client) -> dict[str, str]:
    answer = login_answer(client)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['data']['access_token']}", "X-IAA-OW-ID": str(OW_ID)}


@pytest.fixture
def auth(http: httpx.Client, clock: Clock) -> dict[str, str]:
    return login(http)


def upload_answer(client: httpx.Client, headers: dict[str, str], files: list[tuple[str, bytes]],
                  metadata: object) -> httpx.Response:
    parts = [("creativeFiles", (name, content, "application/octet-stream")) for name, content in files]
    text = metadata if isinstance(metadata, str) else json.dumps(metadata)
    return client.post(UPLOAD, headers=headers, files=parts, data={"creativeImageMetadata": text})


def upload(client: httpx.Client, headers: dict[str, str], *names: str, ext: str = "png",
           content: bytes = PNG) -> list[int]:
    """Upload one file per creative name; the new ids in order."""
    files = [(f"file{i}.{ext}", content) for i in range(len(names))]
    metadata = {f"file{i}": {"creativeName": name} for i, name in enumerate(names)}
    answer = upload_answer(client, headers, files, metadata)
    assert answer.status_code == 201, answer.text
    return answer.json()["responseObject"]["data"]


def add_answer(client: httpx.Client, headers: dict[str, str], creatives: dict[str, dict],
               files: list[tuple[str, bytes]] = ()) -> httpx.Response:
    """The creative guide's Add New Creative: the map as JSON, or beside its files as multipart."""
    if not files:
        return client.post(ADD_CREATIVES, headers=headers, json=creatives)
    parts = [("creativeFiles", (name, content, "application/octet-stream")) for name, content in files]
    return client.post(ADD_CREATIVES, headers=headers, files=parts, data={"creativeRequest": json.dumps(creatives)})


def add(client: httpx.Client, headers: dict[str, str], creatives: dict[str, dict],
        files: list[tuple[str, bytes]] = ()) -> dict[str, int]:
    """Add creatives on the creative guide's route; the new ids by key (every one must be added)."""
    answer = add_answer(client, headers, creatives, files)
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert data["failedData"] == {}, data
    return {key: int(value) for key, value in data["successData"].items()}


def details(client: httpx.Client, headers: dict[str, str], ids: str, **params: object) -> list[dict]:
    answer = client.get(DETAILS, params={"creativeIds": ids, **params}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["statusCode"] == 200
    return answer.json()["responseObject"]


def approved(client: httpx.Client, headers: dict[str, str], clock: Clock, *names: str, ext: str = "png") -> list[int]:
    """Upload creatives and let their review end."""
    ids = upload(client, headers, *names, ext=ext)
    clock.advance(2.0)
    return ids
