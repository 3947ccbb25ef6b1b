"""The SmartyAds client against plain handler functions (httpx.MockTransport), as httpx tests itself."""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import time

import httpx
import pytest

from bulkops._exceptions import ApiError, AuthError, RateLimitedError, TransportError
from bulkops._ratelimit import RateLimiter
from bulkops.smartyads import SmartyAdsClient

PASSWORD = "hunter2-very-secret"
CAMPAIGN = {"id": 9, "name": "New Campaign", "type": "banner", "aDomain": "example.com", "spentDailyLimit": 200}


class Platform:
    """A scripted platform: `script` maps (method, path) to a list of answers served in order."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.logins = 0
        self.token = "token-1"
        self.script: dict[tuple[str, str], list[httpx.Response | Exception]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        key = (request.method, request.url.path)
        if key == ("POST", "/api/users/login"):
            body = json.loads(request.content)
            if body["password"] != PASSWORD:
                return httpx.Response(401, json={"message": "Invalid credentials."})
            self.logins += 1
            self.token = f"token-{self.logins}"
            return httpx.Response(200, json={"access_token": self.token, "token_type": "bearer", "expires_in": "60"})
        answers = self.script.get(key)
        if answers:
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
            if isinstance(answer, Exception):
                raise answer
            return answer
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return httpx.Response(401, json={"message": "Unauthenticated."})
        return httpx.Response(200, json={"data": CAMPAIGN})


async def no_sleep(_: float) -> None:
    return None


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def client(platform: Platform, password: str = PASSWORD, fake: FakeTime | None = None, **kwargs) -> SmartyAdsClient:
    fake = fake or FakeTime()
    limiter = RateLimiter(10_000, 60.0, clock=fake.clock, sleep=fake.sleep)
    return SmartyAdsClient("http://sandbox.test", "a@b.c", password, transport=httpx.MockTransport(platform),
                           limiter=limiter, sleep=no_sleep, **kwargs)


def run(coro):
    return asyncio.run(coro)


def test_lazy_login_then_bearer_token_and_json_body():
    platform = Platform()

    async def go():
        async with client(platform) as api:
            return await api.create_campaign({"name": "New Campaign", "type": "banner"})

    campaign = run(go())
    assert campaign.id == 9 and campaign.spentDailyLimit == 200
    login, create = platform.requests
    assert login.url.path == "/api/users/login"
    assert create.headers["authorization"] == "Bearer token-1"
    assert create.headers["content-type"] == "application/json"
    assert json.loads(create.content) == {"name": "New Campaign", "type": "banner"}


def test_every_page_is_read():
    platform = Platform()

    def page(n: int) -> httpx.Response:
        items = [dict(CAMPAIGN, id=n * 10 + i) for i in range(2)]
        return httpx.Response(200, json={"data": items, "meta": {"pagination": {
            "total": 6, "count": 2, "per_page": 2, "current_page": n, "total_pages": 3, "links": []}}})

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/campaigns":
            return page(int(request.url.params["page"]))
        return platform(request)

    async def go():
        api = SmartyAdsClient("http://x", "a@b.c", PASSWORD, transport=httpx.MockTransport(handler), sleep=no_sleep)
        async with api:
            return [c.id async for c in api.iter_campaigns(per_page=2)]

    assert run(go()) == [10, 11, 20, 21, 30, 31]


def test_update_and_delete_paths():
    platform = Platform()

    async def go():
        async with client(platform) as api:
            await api.update_campaign(9, {"name": "x"})
            await api.delete_campaign(9)

    run(go())
    assert [(r.method, r.url.path) for r in platform.requests[1:]] == [
        ("PATCH", "/api/campaigns/9"), ("DELETE", "/api/campaigns/9")]


def test_validation_error_carries_the_platforms_words():
    platform = Platform()
    platform.script[("POST", "/api/campaigns")] = [httpx.Response(422, json={
        "message": "The selected type is invalid. (and 1 more error)",
        "errors": {"type": ["The selected type is invalid."], "OS.1": ["The selected OS.1 is invalid."]}})]

    async def go():
        async with client(platform) as api:
            await api.create_campaign({"type": "x"})

    with pytest.raises(ApiError) as caught:
        run(go())
    assert caught.value.status_code == 422
    assert caught.value.message == "The selected type is invalid.; The selected OS.1 is invalid."
    assert caught.value.field_errors["OS.1"] == ["The selected OS.1 is invalid."]
    assert str(caught.value.request) == "POST http://sandbox.test/api/campaigns"


@pytest.mark.parametrize("body,expected", [
    (b"<html>Bad Gateway</html>", "HTTP 418 I'm a teapot: <html>Bad Gateway</html>"),
    (b"", "HTTP 418 I'm a teapot"),
    (b'{"message": "No query results for model [Campaign] 5"}', "No query results for model [Campaign] 5"),
    (b"x" * 1000, "HTTP 418 I'm a teapot: " + "x" * 300 + "…"),
])
def test_weird_error_bodies_never_crash(body, expected):
    platform = Platform()
    platform.script[("GET", "/api/campaigns/5")] = [httpx.Response(418, content=body)]

    async def go():
        async with client(platform) as api:
            await api.get_campaign(5)

    with pytest.raises(ApiError) as caught:
        run(go())
    assert caught.value.message == expected


def test_expired_token_means_one_relogin_however_many_tasks_saw_it():
    platform = Platform()

    async def go():
        async with client(platform) as api:
            await api.get_campaign(1)
            platform.token = "rotated"  # every token we hold is now refused
            await asyncio.gather(*(api.get_campaign(i) for i in range(20)))
            return api.stats.relogins

    assert run(go()) == 1
    assert platform.logins == 2


def test_refused_credentials_are_an_auth_error_without_the_password():
    platform = Platform()

    async def go():
        async with client(platform, password="wrong-password-123") as api:
            await api.get_campaign(1)

    with pytest.raises(AuthError) as caught:
        run(go())
    assert "Invalid credentials." in str(caught.value)
    assert "wrong-password-123" not in str(caught.value) + repr(caught.value)


def test_429_is_retried_for_every_method_after_retry_after():
    platform = Platform()
    date = email.utils.formatdate(time.time() + 2, usegmt=True)
    platform.script[("POST", "/api/campaigns")] = [
        httpx.Response(429, headers={"Retry-After": "1"}, json={"message": "Too Many Attempts."}),
        httpx.Response(429, headers={"Retry-After": date}, json={"message": "Too Many Attempts."}),
        httpx.Response(200, json={"data": CAMPAIGN}),
    ]

    fake = FakeTime()

    async def go():
        async with client(platform, fake=fake) as api:
            return await api.create_campaign({"name": "x"}), api.stats

    campaign, stats = run(go())
    assert campaign.id == 9 and stats.responses_429 == 2
    assert fake.now >= 1 + 1  # waited out Retry-After in seconds, then the HTTP date (about 2 s ahead)


def test_429_forever_is_a_rate_limited_error():
    platform = Platform()
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(429, json={"message": "Too Many Attempts."})]

    async def go():
        async with client(platform, max_retries=2) as api:
            await api.get_campaign(1)

    with pytest.raises(RateLimitedError):
        run(go())


def test_503_is_retried_for_reads_but_not_for_creates():
    platform = Platform()
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(503), httpx.Response(200, json={"data": CAMPAIGN})]
    platform.script[("POST", "/api/campaigns")] = [httpx.Response(503), httpx.Response(200, json={"data": CAMPAIGN})]

    async def go():
        async with client(platform) as api:
            assert (await api.get_campaign(1)).id == 9
            await api.create_campaign({"name": "x"})

    with pytest.raises(ApiError) as caught:
        run(go())
    assert caught.value.status_code == 503
    assert sum(1 for r in platform.requests if r.method == "POST" and r.url.path == "/api/campaigns") == 1


def test_connect_error_is_retried_even_for_a_create():
    platform = Platform()
    platform.script[("POST", "/api/campaigns")] = [httpx.ConnectError("refused"),
                                                   httpx.Response(200, json={"data": CAMPAIGN})]

    async def go():
        async with client(platform) as api:
            return await api.create_campaign({"name": "x"})

    assert run(go()).id == 9


def test_read_timeout_on_a_create_is_ambiguous_and_not_repeated():
    platform = Platform()
    platform.script[("POST", "/api/campaigns")] = [httpx.ReadTimeout("slow"),
                                                   httpx.Response(200, json={"data": CAMPAIGN})]

    async def go():
        async with client(platform) as api:
            await api.create_campaign({"name": "x"})

    with pytest.raises(TransportError) as caught:
        run(go())
    assert caught.value.maybe_sent is True


def test_secrets_never_appear_in_errors_or_debug_logs(caplog):
    platform = Platform()
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(500, json={"message": "boom"})]
    platform.script[("POST", "/api/campaigns")] = [httpx.ReadError("reset")]
    failures: list[BaseException] = []

    async def go():
        async with client(platform) as api:
            for call in (api.get_campaign(1), api.create_campaign({"name": "x"})):
                try:
                    await call
                except Exception as exc:  # noqa: BLE001 - collecting every error path on purpose
                    failures.append(exc)
            failures.append(repr(api))  # type: ignore[arg-type]

    with caplog.at_level(logging.DEBUG):
        run(go())
    text = " ".join(str(f) + repr(f) for f in failures) + caplog.text
    assert len(failures) == 3
    for secret in (PASSWORD, "token-1", "Bearer"):
        assert secret not in text
