"""Rate limits (headers, 429, sliding window), latency, fault injection and the request log."""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bulkops.sandbox import SANDBOX_EMAIL, SandboxConfig, running
from bulkops.sandbox._limits import SlidingWindow
from tests.sandbox.conftest import create, login

pytestmark = pytest.mark.slow


def _rate(answer: httpx.Response) -> tuple[str, str]:
    return answer.headers["X-ratelimit-limit"], answer.headers["X-ratelimit-remaining"]


def test_every_answer_carries_the_rate_headers(http, auth):
    assert _rate(http.get("/api/campaigns", headers=auth)) == ("500", "499")
    assert _rate(http.post("/api/campaigns", json={}, headers=auth)) == ("500", "498")  # 422
    assert _rate(http.get("/api/campaigns/99", headers=auth)) == ("500", "497")  # 404
    assert _rate(http.get("/api/campaigns")) == ("500", "499")  # 401: counted by address, not by user
    assert _rate(http.post("/api/users/login", json={})) == ("10", "8")  # the auth fixture logged in once


def test_past_the_limit_429_with_a_correct_retry_after():
    with running(SandboxConfig(rate_limit=3, window_s=1.0)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        answers = [http.get("/api/campaigns", headers=auth) for _ in range(3)]
        first = srv.sandbox.request_log[1].at
        assert [_rate(a) for a in answers] == [("3", "2"), ("3", "1"), ("3", "0")]
        refused = http.post("/api/campaigns", json={"type": "banner", "name": "n", "aDomain": "a.com"}, headers=auth)
        assert refused.status_code == 429 and refused.json() == {"message": "Too Many Attempts."}
        assert _rate(refused) == ("3", "0")
        retry_after = int(refused.headers["Retry-After"])
        # The oldest admission leaves the window at first + 1 s; Retry-After is that, rounded up.
        assert retry_after == max(1, math.ceil(first + 1.0 - srv.sandbox.request_log[-1].at))
        assert srv.sandbox.campaigns() == []  # a 429 does nothing
        assert http.get("/api/campaigns", headers=auth).status_code == 429  # and refusals are not counted...
        time.sleep(retry_after)
        assert http.get("/api/campaigns", headers=auth).status_code == 200  # ...so waiting as told suffices


def test_the_login_limit_is_per_address_and_apart_from_the_rest():
    with running(SandboxConfig(login_rate_limit=2, rate_limit=50)) as srv, \
            httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        http.post("/api/users/login", json={"email": SANDBOX_EMAIL, "password": "wrong"})  # failures count too
        answer = http.post("/api/users/login", json={"email": SANDBOX_EMAIL, "password": "sandbox"})
        assert answer.status_code == 429 and _rate(answer) == ("2", "0") and int(answer.headers["Retry-After"]) >= 1
        assert http.get("/api/campaigns", headers=auth).status_code == 200


def test_admitted_requests_never_exceed_the_limit_in_any_sliding_window():
    limit, window = 5, 0.5
    with running(SandboxConfig(rate_limit=limit, window_s=window)) as srv, \
            httpx.Client(base_url=srv.base_url, limits=httpx.Limits(max_connections=8)) as http:
        auth = login(http)
        deadline = time.monotonic() + 1.6

        def hammer(_: int) -> list[int]:
            statuses = []
            while time.monotonic() < deadline:
                statuses.append(http.get("/api/campaigns", headers=auth).status_code)
                time.sleep(0.01)
            return statuses

        with ThreadPoolExecutor(8) as pool:
            statuses = [s for batch in pool.map(hammer, range(8)) for s in batch]
        log = [r for r in srv.sandbox.request_log if r.path == "/api/campaigns"]
    assert statuses.count(429) > 0 and statuses.count(200) > limit  # the limit was hit, and it let traffic on
    admitted = sorted(r.at for r in log if r.status != 429)
    assert len(admitted) == statuses.count(200)
    worst = max(sum(1 for t in admitted if start <= t < start + window) for start in admitted)
    assert worst <= limit


def test_sliding_window_retry_after_is_when_the_oldest_admission_leaves():
    window = SlidingWindow(10.0)
    first = window.hit("k", 2)
    window.hit("k", 2)
    refused = window.hit("k", 2)
    assert not refused.allowed and refused.remaining == 0
    assert refused.retry_after_s == pytest.approx(first.at + 10.0 - refused.at)
    assert window.hit("other", 2).allowed  # keys are counted apart


def test_latency_is_added_and_does_not_serialise_requests():
    latency = 0.3
    with running(SandboxConfig(latency_ms=latency * 1000)) as srv, \
            httpx.Client(base_url=srv.base_url, limits=httpx.Limits(max_connections=6)) as http:
        started = time.monotonic()
        auth = login(http)
        assert time.monotonic() - started >= latency
        started = time.monotonic()
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda _: http.get("/api/campaigns", headers=auth), range(6)))
        elapsed = time.monotonic() - started
    assert all(a.status_code == 200 for a in answers)
    assert latency <= elapsed < 3 * latency  # six in a row would take 6 × latency


def test_fail_rate_one_answers_503_before_doing_anything():
    with running(SandboxConfig(fail_rate=1.0, rate_limit=10)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)  # logins are never failed
        answer = http.post("/api/campaigns", json={"type": "banner", "name": "n", "aDomain": "a.com"}, headers=auth)
        assert answer.status_code == 503 and answer.json() == {"message": "Service Unavailable"}
        assert _rate(answer) == ("10", "9")  # still counted
        assert http.get("/api/campaigns").status_code == 503  # before authentication, too
        assert srv.sandbox.campaigns() == []


def test_fail_rate_is_reproducible_with_a_seed():
    def statuses(seed: int) -> list[int]:
        with running(SandboxConfig(fail_rate=0.5, seed=seed)) as srv, httpx.Client(base_url=srv.base_url) as http:
            auth = login(http)
            return [http.get("/api/campaigns", headers=auth).status_code for _ in range(16)]

    first = statuses(7)
    assert first == statuses(7)
    assert set(first) == {200, 503}


def test_every_request_is_logged_with_its_subject(server, http):
    http.get("/api/campaigns")
    auth = login(http)
    create(http, auth)
    http.get("/api/campaigns/77", headers=auth)
    log = server.sandbox.request_log
    assert [(r.method, r.path, r.status, r.token_subject) for r in log] == [
        ("GET", "/api/campaigns", 401, None), ("POST", "/api/users/login", 200, None),
        ("POST", "/api/campaigns", 200, "18"), ("GET", "/api/campaigns/77", 404, "18")]
    assert [r.at for r in log] == sorted(r.at for r in log)
    server.sandbox.reset_request_log()
    assert server.sandbox.request_log == []
