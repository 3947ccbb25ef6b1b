"""IQM's rate limit: 20 requests per window per access token, 429 past it in the path's envelope."""

from __future__ import annotations

import time

import httpx
import pytest

from bulkops.sandbox import SandboxConfig, running
from tests.platforms.iqm.sandbox.conftest import DETAILS, login

pytestmark = pytest.mark.slow

TYPES = "/api/v3/master/creativeTypes"


def test_past_20_requests_a_window_is_429_per_token():
    with running(SandboxConfig(platform="iqm", window_s=2.0)) as srv, httpx.Client(base_url=srv.base_url) as http:
        assert srv.sandbox.config.rate_limit == 20  # IQM's documented default
        auth = login(http)
        answers = [http.get(TYPES, headers=auth) for _ in range(20)]
        assert [a.status_code for a in answers] == [200] * 20
        assert "X-ratelimit-limit" not in answers[0].headers  # the document names no rate headers
        refused = http.get(TYPES, headers=auth)
        assert refused.status_code == 429
        retry_after = int(refused.headers["Retry-After"])
        assert retry_after in (1, 2)  # the oldest admission leaves the 2 s window within 2 s
        reason = f"The rate limit is 20 requests per 2 s; retry after {retry_after} s."
        assert refused.json() == {"success": False, "errorObjects": [{"error": "Too many requests", "reason": reason}]}
        v2 = http.get(DETAILS, params={"creativeIds": "1"}, headers=auth)
        assert v2.status_code == 429
        v2_retry = int(v2.headers["Retry-After"])
        assert v2.json() == {"statusCode": 429, "responseObject": {
            "errorMsg": f"Too many requests The rate limit is 20 requests per 2 s; retry after {v2_retry} s.",
            "errorCode": 429}}
        assert srv.sandbox.request_log[-1].status == 429 and srv.sandbox.request_log[-1].token_subject == "200001"
        other = login(http)  # another token has its own budget
        assert http.get(TYPES, headers=other).status_code == 200
        time.sleep(v2_retry)
        assert http.get(TYPES, headers=auth).status_code == 200  # waiting as told suffices


def test_logins_count_per_address_under_the_same_limit():
    with running(SandboxConfig(platform="iqm", rate_limit=2, window_s=30.0)) as srv, \
            httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        login(http)
        answer = http.post("/api/v3/ua/login", json={})
        assert answer.status_code == 429 and int(answer.headers["Retry-After"]) >= 1
        assert http.get(TYPES, headers=auth).status_code == 200  # calls with a token have their own bucket


def test_the_fault_knob_answers_503_in_the_paths_envelope():
    with running(SandboxConfig(platform="iqm", fail_rate=1.0)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)  # logins are never struck
        answer = http.get(TYPES, headers=auth)
        assert answer.status_code == 503
        assert answer.json() == {"success": False, "errorObjects": [{"error": "Service unavailable"}]}
        answer = http.get(DETAILS, params={"creativeIds": "1"}, headers=auth)
        assert answer.json() == {"statusCode": 503, "responseObject": {
            "errorMsg": "Service unavailable", "errorCode": 503}}
