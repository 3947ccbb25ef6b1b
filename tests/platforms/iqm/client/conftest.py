"""A scripted IQM for the client's tests: a plain handler function behind httpx.MockTransport."""

from __future__ import annotations

import base64
import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import httpx
import pytest

from bulkops._ratelimit import RateLimiter
from bulkops.platforms.iqm.client import IQMClient
from tests._fakes import FakeTime, ScriptedPlatform

CLIENT_ID = "client-7pnibkujey1ojrg"
CLIENT_SECRET = "secret-s3cr3t-value"
EMAIL = "buyer@example.org"
PASSWORD = "hunter2-very-secret"
HOST = "app.stage.inhousebuying.com"
OW_ID = 200001
TOKEN_PREFIX = "access-106adb25-"
REFRESH_PREFIX = "refresh-eac4c1f6-"
BASIC = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
BASE_URL = "http://iqm.test"

CREATIVE_TYPES = [{"id": 11, "label": "Image", "keyName": "image"},
                  {"id": 13, "label": "HTML", "keyName": "html"},
                  {"id": 14, "label": "Video", "keyName": "video"}]


def v3_error(*errors: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"success": False, "errorObjects": list(errors), **extra}


def v2_error(message: str, code: int) -> dict[str, Any]:
    return {"statusCode": code, "responseObject": {"errorMsg": message, "errorCode": code}}


def creative_json(creative_id: int, **fields: Any) -> dict[str, Any]:
    return {"creativeName": f"Creative {creative_id}", "status": "pending", "creativeId": creative_id,
            "height": 250, "width": 300, "creativeTypeId": 11, "creativeType": "image",
            "clickUrl": "https://iqm.com", "owId": OW_ID, **fields}


def multipart(request: httpx.Request) -> list[tuple[str, str | None, str, Any]]:
    """The parts of a multipart request: (field name, file name, content type, content)."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.content)
    return [(part.get_param("name", header="content-disposition"), part.get_filename(), part.get_content_type(),
             part.get_content()) for part in message.iter_parts()]


class Platform(ScriptedPlatform):
    """Login, refresh and the quick start's routes as documented; `script` overrides answers per route."""

    def __init__(self, expires_in: int = 35999) -> None:
        super().__init__()
        self.expires_in = expires_in
        self.logins = 0
        self.refreshes = 0
        self.issued = 0
        self.token: str | None = None
        self.refresh_token: str | None = None
        self.creatives: dict[int, dict[str, Any]] = {}
        self.next_creative = 148971
        self.campaigns: dict[int, dict[str, Any]] = {}
        self.next_campaign = 25859

    def expire_tokens(self) -> None:
        """The access token stops working; the refresh token still does."""
        self.token = "nobody-has-this-one"

    def revoke_refresh(self) -> None:
        self.refresh_token = "nobody-has-this-refresh-either"

    def answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v3/ua/login":
            return self._login(request)
        if request.url.path == "/api/oauth/token":
            return self._refresh(request)
        if (request.headers.get("authorization") != f"Bearer {self.token}"
                or request.headers.get("x-iaa-ow-id") != str(OW_ID)):
            return httpx.Response(401, json=v3_error({"error": "Unauthorized", "reason": "Invalid access token"}))
        return self._route(request)

    def _issue(self) -> dict[str, Any]:
        self.issued += 1
        self.token = f"{TOKEN_PREFIX}{self.issued}"
        self.refresh_token = f"{REFRESH_PREFIX}{self.issued}"
        return {"access_token": self.token, "refresh_token": self.refresh_token, "scope": "read write",
                "token_type": "bearer", "expires_in": self.expires_in}

    def _login(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if (request.headers.get("authorization") != f"Basic {BASIC}" or request.headers.get("x-iaa-host") != HOST
                or body != {"grantType": "password", "email": EMAIL, "password": PASSWORD}):
            return httpx.Response(403, json=v3_error(
                {"error": "User doesn't exist or user is not allowed to provided workspace."}))
        self.logins += 1
        return httpx.Response(200, json={"success": True, "data": {**self._issue(), "owId": OW_ID}})

    def _refresh(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if request.headers.get("authorization") != f"Basic {BASIC}" or body.get("refresh_token") != self.refresh_token:
            return httpx.Response(401, json=v3_error({"error": "invalid_grant", "reason": "Invalid refresh token"}))
        self.refreshes += 1
        data = self._issue()
        return httpx.Response(200, json={"success": True, "data": {"access_token": data["access_token"],
                                                                  "refresh_token": data["refresh_token"]}})

    def _route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/v3/master/creativeTypes":
            return httpx.Response(200, json={"success": True, "data": CREATIVE_TYPES})
        if path == "/api/v2/crt/add/image/banner/creative":
            ids = []
            for name, filename, _, _ in multipart(request):
                if name == "creativeFiles":
                    self.creatives[self.next_creative] = creative_json(self.next_creative, creativeName=filename)
                    ids.append(self.next_creative)
                    self.next_creative += 1
            return httpx.Response(201, json={"statusCode": 201, "responseObject": {
                "data": ids, "message": "Image Creative(s) Added successfully"}})
        if path == "/api/v3/crt/creatives":
            return self._add_creatives(request)
        if path == "/api/v2/crt/creatives/details":
            wanted = [int(i) for i in request.url.params["creativeIds"].split(",")]
            found = [self.creatives.get(i, creative_json(i)) for i in wanted]
            return httpx.Response(200, json={"statusCode": 200, "responseObject": found})
        if path == "/api/v2/cmp/campaigns/add":
            campaign = {"id": self.next_campaign, "owId": OW_ID, "status": "pending", **json.loads(request.content)}
            self.campaigns[self.next_campaign] = campaign
            self.next_campaign += 1
            return httpx.Response(201, json={"statusCode": 201, "responseObject": {
                "data": campaign["id"], "message": "Campaign saved successfully.", "status": "pending"}})
        if path.startswith("/api/v2/cmp/campaign/"):
            campaign_id = int(path.rsplit("/", 1)[1])
            if campaign_id not in self.campaigns:
                return httpx.Response(404, json=v2_error("Campaign not found.", 404))
            if request.method == "PATCH":
                self.campaigns[campaign_id].update(json.loads(request.content))
                return httpx.Response(200, json={"statusCode": 200, "responseObject": {
                    "data": campaign_id, "message": "Campaign updated successfully.", "status": "pending"}})
            return httpx.Response(200, json={"statusCode": 200, "responseObject": self.campaigns[campaign_id]})
        if path == "/api/v2/cmp/campaigns/update-budget":
            body = json.loads(request.content)
            modified = []
            for campaign_id in (int(i) for i in str(body["campaignIds"]).split(",")):
                campaign = self.campaigns[campaign_id]
                for theirs, ours in (("dailyBudget", "budgetDay"), ("totalBudget", "budgetTotal"),
                                     ("maxBid", "maxBid")):
                    campaign[ours] = body.get(theirs, campaign.get(ours))
                modified.append({"campaingId": campaign_id, "maxBid": campaign.get("maxBid"),
                                 "totalBudget": campaign.get("budgetTotal"), "dailyBudget": campaign.get("budgetDay")})
            return httpx.Response(200, json={"statusCode": 200, "responseObject": {
                "reason": [], "modified_data": modified, "status": True}})
        if path == "/api/v2/cmp/campaigns/update-end-date":
            body = json.loads(request.content)
            for campaign_id in (int(i) for i in str(body["campaignIds"]).split(",")):
                self.campaigns[campaign_id]["endTime"] = body["endDate"]
            return httpx.Response(200, json={"statusCode": 200, "responseObject": {"status": True}})
        if path.startswith("/api/v3/cmp/campaign/update-name/"):
            self.campaigns[int(path.rsplit("/", 1)[1])]["campaignName"] = json.loads(request.content)["campaignName"]
            return httpx.Response(200, json={"success": True, "data": {"message": "campaignName updated successfully"}})
        if path == "/api/v3/cmp/customer/campaigns/list":
            body = json.loads(request.content)
            rows = [{"id": c["id"], "name": c.get("campaignName"), "budgetDay": c.get("budgetDay"),
                     "status": c["status"]} for i, c in self.campaigns.items() if i in body["campaignIds"]]
            size = body["noOfEntries"]
            page = rows[(body["pageNo"] - 1) * size:body["pageNo"] * size]
            return httpx.Response(200, json={"success": True, "data": {"totalRecords": len(self.campaigns),
                                                                      "data": page, "filteredRecords": len(rows)}})
        return httpx.Response(404, json=v2_error("No such route", 404))

    def _add_creatives(self, request: httpx.Request) -> httpx.Response:
        """The creative guide's route: every creative added, keyed as asked."""
        if request.headers["content-type"].startswith("multipart/"):
            parts = multipart(request)
            creatives = json.loads(next(p[3] for p in parts if p[0] == "creativeRequest"))
        else:
            creatives = json.loads(request.content)
        added = {}
        for key, entry in creatives.items():
            self.creatives[self.next_creative] = creative_json(self.next_creative, creativeName=entry["creativeName"])
            added[key] = str(self.next_creative)
            self.next_creative += 1
        return httpx.Response(200, json={"success": True, "data": {"successData": added, "failedData": {}}})


def make_client(platform: Platform, *, fake: FakeTime | None = None, password: str = PASSWORD,
                limit: int = 10_000, **kwargs: Any) -> IQMClient:
    fake = fake or FakeTime()
    limiter = kwargs.pop("limiter", None) or RateLimiter(limit, 60.0, clock=fake.clock, sleep=fake.sleep)
    return IQMClient(BASE_URL, CLIENT_ID, CLIENT_SECRET, EMAIL, password, HOST,
                     transport=httpx.MockTransport(platform.handle), limiter=limiter,
                     sleep=kwargs.pop("sleep", fake.sleep), clock=kwargs.pop("clock", fake.clock), **kwargs)


@pytest.fixture
def platform() -> Platform:
    return Platform()


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()
