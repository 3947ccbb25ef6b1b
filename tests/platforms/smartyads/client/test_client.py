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
from bulkops._http import lifetime_of
from bulkops._ratelimit import RateLimiter
from bulkops._retry import RetryPolicy
from bulkops.platforms.smartyads.client import Campaign, SmartyAdsClient
from tests.platforms.smartyads.client.conftest import (
    EMAIL,
    PASSWORD,
    TOKEN_PREFIX,
    Platform,
    campaign_json,
    instant,
    make_client,
)

# -- auth -----------------------------------------------------------------------------------------


def test_login_sends_json_credentials_and_calls_carry_the_bearer_token(platform):
    platform.campaigns[8] = campaign_json(8)

    async def go():
        async with make_client(platform) as api:
            await api.login()
            return await api.get_campaign(8)

    assert asyncio.run(go()).id == 8
    login, get = platform.requests
    assert (login.method, login.url.path) == ("POST", "/api/users/login")
    assert login.headers["content-type"] == "application/json"
    assert login.headers["accept"] == "application/json"
    assert "authorization" not in login.headers
    assert json.loads(login.content) == {"email": EMAIL, "password": PASSWORD}
    assert get.headers["authorization"] == f"Bearer {TOKEN_PREFIX}1"
    assert get.headers["accept"] == "application/json"


def test_login_is_lazy_and_happens_once_for_concurrent_first_calls(platform):
    platform.campaigns[1] = campaign_json(1)

    async def go():
        async with make_client(platform) as api:
            assert platform.requests == []  # opening the client sends nothing
            await asyncio.gather(*(api.get_campaign(1) for _ in range(10)))
            return api.stats

    stats = asyncio.run(go())
    assert platform.logins == 1 and stats.relogins == 0
    assert len(platform.sent("GET")) == 10


def test_expired_token_means_one_relogin_however_many_tasks_saw_it(platform):
    platform.campaigns[1] = campaign_json(1)

    async def go():
        async with make_client(platform) as api:
            await api.get_campaign(1)
            platform.expire_tokens()
            campaigns = await asyncio.gather(*(api.get_campaign(1) for _ in range(20)))
            return campaigns, api.stats

    campaigns, stats = asyncio.run(go())
    assert len(campaigns) == 20
    assert platform.logins == 2 and stats.relogins == 1
    assert all(r.headers["authorization"] == f"Bearer {TOKEN_PREFIX}2" for r in platform.sent("GET")[-20:])


def test_a_second_401_after_a_fresh_login_fails_the_call_not_the_run(platform):
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(401, json={"message": "Unauthenticated."})] * 2

    async def go():
        async with make_client(platform) as api:
            await api.get_campaign(1)

    with pytest.raises(ApiError, match="Unauthenticated") as caught:  # the login worked: credentials are good
        asyncio.run(go())
    assert caught.value.status_code == 401
    assert platform.logins == 2 and len(platform.sent("GET")) == 2


@pytest.mark.parametrize(("expires_in", "seconds"), [("60", 60.0), (3600, 3600.0), ("1.5", 1.5), (None, None),
                                                     ("soon", None), ("0", None), (True, None), ("inf", None)])
def test_the_login_lifetime_is_read_in_seconds_and_only_when_it_is_a_positive_number(expires_in, seconds):
    assert lifetime_of(expires_in) == seconds


UNAUTHENTICATED = {"message": "Unauthenticated."}


def refused_after(fake, seconds: float):
    """An answer that comes `seconds` after its request was queued: a 401, the token having aged."""

    def answer(request: httpx.Request) -> httpx.Response:
        fake.now += seconds
        return httpx.Response(401, json=UNAUTHENTICATED)

    return answer


def get_campaign_1(platform, fake):
    async def go():
        async with make_client(platform, fake=fake) as api:
            return await api.get_campaign(1), api.stats

    return asyncio.run(go())


def test_a_token_that_ran_out_while_its_request_waited_is_renewed_not_called_refused(platform, fake):
    # The login says the token lives 60 s. The second token is refused 40 s after it was taken
    # (a queue behind a 429 storm, backoffs): that is expiry, and a third login makes the call work.
    platform.campaigns[1] = campaign_json(1)
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(401, json=UNAUTHENTICATED),
                                                    refused_after(fake, 40)]
    campaign, stats = get_campaign_1(platform, fake)
    assert campaign.id == 1
    assert platform.logins == 3 and stats.relogins == 2 and len(platform.sent("GET")) == 3


def test_tokens_that_keep_running_out_end_the_call_after_a_bounded_number_of_logins(platform, fake):
    platform.script[("GET", "/api/campaigns/1")] = [refused_after(fake, 40)] * 20
    with pytest.raises(ApiError, match="Unauthenticated") as caught:
        get_campaign_1(platform, fake)
    assert caught.value.status_code == 401
    assert platform.logins == 6 and len(platform.sent("GET")) == 6


def test_without_a_lifetime_in_the_login_a_refused_new_token_fails_the_call(platform, fake):
    platform.script[("POST", "/api/users/login")] = [
        httpx.Response(200, json={"access_token": f"{TOKEN_PREFIX}{n}", "token_type": "bearer"}) for n in (1, 2)]
    platform.script[("GET", "/api/campaigns/1")] = [refused_after(fake, 4000)] * 2
    with pytest.raises(ApiError, match="refused a fresh token"):
        get_campaign_1(platform, fake)
    assert len(platform.sent("POST", "/api/users/login")) == 2 and len(platform.sent("GET")) == 2


@pytest.mark.parametrize("answer", [
    httpx.Response(401, json={"message": "These credentials do not match our records."}),
    httpx.Response(422, json={"message": "These credentials do not match our records.",
                              "errors": {"email": ["These credentials do not match our records."]}}),
])
def test_refused_credentials_are_an_auth_error_with_the_servers_words(platform, answer):
    platform.script[("POST", "/api/users/login")] = [answer]

    async def go():
        async with make_client(platform) as api:
            await api.get_campaign(1)

    with pytest.raises(AuthError) as caught:
        asyncio.run(go())
    assert "These credentials do not match our records." in str(caught.value)
    assert caught.value.exit_code == 3


def test_refused_credentials_are_asked_once_not_once_per_waiting_task(platform):
    async def go():
        async with make_client(platform, password="wrong-password-123") as api:
            return await asyncio.gather(*(api.get_campaign(1) for _ in range(20)), return_exceptions=True)

    results = asyncio.run(go())
    assert all(isinstance(r, AuthError) for r in results)
    assert len(platform.sent("POST", "/api/users/login")) == 1


def test_a_login_answer_without_a_token_is_an_auth_error(platform):
    platform.script[("POST", "/api/users/login")] = [httpx.Response(200, json={"token_type": "bearer"})]

    async def go():
        async with make_client(platform) as api:
            await api.login()

    with pytest.raises(AuthError, match="no access token"):
        asyncio.run(go())


def test_logout_forgets_the_token_and_the_next_call_logs_in_again(platform):
    platform.campaigns[1] = campaign_json(1)

    async def go():
        async with make_client(platform) as api:
            await api.get_campaign(1)
            await api.logout()
            await api.logout()  # nothing to do
            await api.get_campaign(1)
            return api.stats

    stats = asyncio.run(go())
    logout, = platform.sent("POST", "/api/logout")
    assert logout.headers["authorization"] == f"Bearer {TOKEN_PREFIX}1"
    assert platform.logins == 2 and stats.relogins == 0


def test_logout_with_an_expired_token_is_quietly_done(platform):
    async def go():
        async with make_client(platform) as api:
            await api.login()
            platform.expire_tokens()
            await api.logout()
            return api._token

    assert asyncio.run(go()) is None
    assert platform.logins == 1


# -- campaigns --------------------------------------------------------------------------------------


def test_iter_campaigns_reads_every_page():
    platform = Platform(campaigns=5)

    async def go():
        async with make_client(platform) as api:
            return [c.id async for c in api.iter_campaigns(per_page=2)]

    assert asyncio.run(go()) == [1, 2, 3, 4, 5]
    lists = platform.sent("GET", "/api/campaigns")
    assert [(r.url.params["page"], r.url.params["per_page"]) for r in lists] == [("1", "2"), ("2", "2"), ("3", "2")]


def test_list_campaigns_gives_items_and_pagination():
    platform = Platform(campaigns=3)

    async def go():
        async with make_client(platform) as api:
            return await api.list_campaigns(page=2, per_page=2)

    page = asyncio.run(go())
    assert [c.id for c in page.items] == [3]
    assert (page.pagination.total, page.pagination.count, page.pagination.per_page,
            page.pagination.current_page, page.pagination.total_pages) == (3, 1, 2, 2, 2)


def test_a_list_without_pagination_is_one_page(platform):
    platform.script[("GET", "/api/campaigns")] = [httpx.Response(200, json={"data": [campaign_json(1)]})]

    async def go():
        async with make_client(platform) as api:
            return [c.id async for c in api.iter_campaigns()]

    assert asyncio.run(go()) == [1]
    assert len(platform.sent("GET", "/api/campaigns")) == 1


def test_create_get_update_delete_paths_and_bodies(platform):
    async def go():
        async with make_client(platform) as api:
            created = await api.create_campaign({"type": "banner", "name": "New Campaign", "aDomain": "x.com"})
            fetched = await api.get_campaign(created.id)
            updated = await api.update_campaign(created.id, {"name": "Renamed", "OS": ["iOS"]})
            await api.delete_campaign(created.id)
            return created, fetched, updated

    created, fetched, updated = asyncio.run(go())
    assert isinstance(created, Campaign) and created.name == "New Campaign" and fetched.id == created.id
    assert updated.name == "Renamed" and updated.OS == ["iOS"]
    calls = [(r.method, r.url.path, json.loads(r.content) if r.content else None) for r in platform.requests[1:]]
    assert calls == [
        ("POST", "/api/campaigns", {"type": "banner", "name": "New Campaign", "aDomain": "x.com"}),
        ("GET", f"/api/campaigns/{created.id}", None),
        ("PATCH", f"/api/campaigns/{created.id}", {"name": "Renamed", "OS": ["iOS"]}),
        ("DELETE", f"/api/campaigns/{created.id}", None),
    ]
    assert all(r.headers["content-type"] == "application/json" for r in platform.requests[1:] if r.content)


def test_an_update_without_a_name_keeps_the_current_name():
    platform = Platform(campaigns=1)

    async def go():
        async with make_client(platform) as api:
            return await api.update_campaign(1, {"OSIsInclude": False})

    assert asyncio.run(go()).name == "Campaign 1"
    get, patch = platform.requests[1:]
    assert (get.method, patch.method) == ("GET", "PATCH")
    assert json.loads(patch.content) == {"OSIsInclude": False, "name": "Campaign 1"}


def test_deleting_a_missing_campaign_is_a_404_api_error(platform):
    async def go():
        async with make_client(platform) as api:
            await api.delete_campaign(404)

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert caught.value.status_code == 404
    assert caught.value.message == "No query results for model [Campaign] 404"


# -- errors -----------------------------------------------------------------------------------------


def test_validation_error_carries_the_platforms_words_per_field(platform):
    platform.script[("POST", "/api/campaigns")] = [httpx.Response(422, json={
        "message": "The selected type is invalid. (and 1 more error)",
        "errors": {"type": ["The selected type is invalid."], "OS.1": ["The selected OS.1 is invalid."]}})]

    async def go():
        async with make_client(platform) as api:
            await api.create_campaign({"type": "x"})

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    error = caught.value
    assert error.status_code == 422
    assert error.message == "The selected type is invalid.; The selected OS.1 is invalid."
    assert error.field_errors == {"type": ["The selected type is invalid."], "OS.1": ["The selected OS.1 is invalid."]}
    assert str(error.request) == "POST http://sandbox.test/api/campaigns"
    assert len(platform.sent("POST", "/api/campaigns")) == 1  # a 422 is final


@pytest.mark.parametrize("body,expected", [
    (b"<html><body>I'm a teapot</body></html>", "HTTP 418 I'm a teapot: <html><body>I'm a teapot</body></html>"),
    (b"", "HTTP 418 I'm a teapot"),
    (b"  \n ", "HTTP 418 I'm a teapot"),
    (b'{"message": "No query results for model [Campaign] 5"}', "No query results for model [Campaign] 5"),
    (b'{"message": ["not", "a", "string"]}', 'HTTP 418 I\'m a teapot: {"message": ["not", "a", "string"]}'),
    (b'{"errors": "not an object", "message": "Bad."}', "Bad."),
    (b'{"errors": {"name": []}, "message": "Bad."}', "Bad."),
    (b'["a", "list"]', 'HTTP 418 I\'m a teapot: ["a", "list"]'),
    (b"line one\n\n   line two", "HTTP 418 I'm a teapot: line one line two"),
    (b"x" * 1000, "HTTP 418 I'm a teapot: " + "x" * 300 + "…"),
    (b"\xff\xfe\x00garbage", None),
])
def test_weird_error_bodies_never_crash(platform, body, expected):
    platform.script[("GET", "/api/campaigns/5")] = [httpx.Response(418, content=body)]

    async def go():
        async with make_client(platform) as api:
            await api.get_campaign(5)

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert caught.value.status_code == 418
    if expected is None:
        assert caught.value.message.startswith("HTTP 418 I'm a teapot") and len(caught.value.message) <= 330
    else:
        assert caught.value.message == expected


@pytest.mark.parametrize("answer", [
    httpx.Response(200, content=b"<html>ok</html>"),
    httpx.Response(200, json=["no", "envelope"]),
    httpx.Response(200, json={"data": {"name": "no id"}}),
    httpx.Response(200, json={"data": None}),
    httpx.Response(200, json={}),
])
def test_a_2xx_that_cannot_be_read_is_an_api_error_for_reads(platform, answer):
    platform.script[("GET", "/api/campaigns/5")] = [answer]

    async def go():
        async with make_client(platform) as api:
            await api.get_campaign(5)

    with pytest.raises(ApiError, match="unexpected body") as caught:
        asyncio.run(go())
    assert caught.value.status_code == 200


@pytest.mark.parametrize("answer", [
    httpx.Response(200, json={"data": "nope"}),
    httpx.Response(200, json={"data": [{"id": "x"}]}),
    httpx.Response(200, json={"data": [], "meta": {"pagination": {"total": "many"}}}),
])
def test_a_list_that_cannot_be_read_is_an_api_error(platform, answer):
    platform.script[("GET", "/api/campaigns")] = [answer]

    async def go():
        async with make_client(platform) as api:
            await api.list_campaigns()

    with pytest.raises(ApiError, match="unexpected body"):
        asyncio.run(go())


def test_a_2xx_to_a_create_that_cannot_be_read_may_have_created_it(platform):
    platform.script[("POST", "/api/campaigns")] = [httpx.Response(201, content=b"Created, probably")]

    async def go():
        async with make_client(platform) as api:
            await api.create_campaign({"name": "x"})

    with pytest.raises(TransportError, match="may have been created") as caught:
        asyncio.run(go())
    assert caught.value.maybe_sent is True


# -- retries ----------------------------------------------------------------------------------------


def test_429_with_retry_after_seconds_is_retried_even_for_a_create(platform, fake):
    platform.script[("POST", "/api/campaigns")] = [
        httpx.Response(429, headers={"Retry-After": "7"}, json={"message": "Too Many Attempts."})]

    async def go():
        async with make_client(platform, fake=fake) as api:
            await api.login()
            started = fake.now
            campaign = await api.create_campaign({"name": "x"})
            return campaign, fake.now - started, api.stats

    campaign, waited, stats = asyncio.run(go())
    assert campaign.name == "x"
    assert waited >= 7.0
    assert stats.responses_429 == 1 and stats.retries == 1
    assert len(platform.sent("POST", "/api/campaigns")) == 2


def test_429_with_an_http_date_waits_until_then(platform, fake):
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    platform.script[("POST", "/api/campaigns")] = [httpx.Response(429, headers={"Retry-After": date})]

    async def go():
        async with make_client(platform, fake=fake) as api:
            await api.login()
            started = fake.now
            await api.create_campaign({"name": "x"})
            return fake.now - started

    assert 28.0 <= asyncio.run(go()) <= 31.0


def test_429_without_retry_after_backs_off(platform, fake):
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(429)] * 3
    platform.campaigns[1] = campaign_json(1)

    async def go():
        async with make_client(platform, fake=fake, retry=RetryPolicy(backoff_base_s=2.0)) as api:
            api._jitter = lambda low, high: high  # no luck involved: the full backoff every time
            await api.login()
            started = fake.now
            await api.get_campaign(1)
            return fake.now - started, api.stats

    waited, stats = asyncio.run(go())
    assert waited >= 2.0 + 4.0 + 8.0
    assert stats.responses_429 == 3


def test_a_429_holds_back_every_task_not_just_the_refused_one(platform, fake):
    platform.campaigns[1] = campaign_json(1)
    platform.clock = fake.clock
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(429, headers={"Retry-After": "10"})]

    async def go():
        # The client's own sleep takes no time: only the shared limiter can make anyone wait.
        async with make_client(platform, fake=fake, sleep=instant) as api:
            await api.login()
            await asyncio.gather(*(api.get_campaign(1) for _ in range(5)))

    asyncio.run(go())
    gets = [at for at, r in zip(platform.sent_at, platform.requests, strict=True) if r.method == "GET"]
    refused_at, after = gets[0], gets[1:]
    assert len(after) == 5 and all(at >= refused_at + 10.0 for at in after)


def test_429_forever_is_a_rate_limited_error(platform):
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(429, headers={"Retry-After": "1"})] * 10

    async def go():
        async with make_client(platform, retry=RetryPolicy(retries=2)) as api:
            try:
                await api.get_campaign(1)
            finally:
                assert api.stats.responses_429 == 3

    with pytest.raises(RateLimitedError) as caught:
        asyncio.run(go())
    assert str(caught.value.request) == "GET http://sandbox.test/api/campaigns/1"
    assert len(platform.sent("GET")) == 3


@pytest.mark.parametrize("method,status", [("GET", 503), ("PATCH", 502), ("DELETE", 504)])
def test_502_503_504_are_retried_for_get_patch_delete(method, status):
    platform = Platform(campaigns=1)
    platform.script[(method, "/api/campaigns/1")] = [httpx.Response(status), httpx.Response(status)]

    async def go():
        async with make_client(platform) as api:
            if method == "GET":
                await api.get_campaign(1)
            elif method == "PATCH":
                await api.update_campaign(1, {"name": "y"})
            else:
                await api.delete_campaign(1)
            return api.stats

    stats = asyncio.run(go())
    assert len(platform.sent(method, "/api/campaigns/1")) == 3 and stats.retries == 2


def test_503_on_a_create_is_an_api_error_and_not_repeated(platform):
    platform.script[("POST", "/api/campaigns")] = [httpx.Response(503, text="Service Unavailable")]

    async def go():
        async with make_client(platform) as api:
            await api.create_campaign({"name": "x"})

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert caught.value.status_code == 503
    assert len(platform.sent("POST", "/api/campaigns")) == 1


def test_a_5xx_that_never_ends_is_an_api_error_after_the_retries():
    platform = Platform(campaigns=1)
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(503)] * 10

    async def go():
        async with make_client(platform, retry=RetryPolicy(retries=3)) as api:
            await api.get_campaign(1)

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert caught.value.status_code == 503 and len(platform.sent("GET")) == 4


def test_connect_error_is_retried_even_for_a_create(platform):
    platform.script[("POST", "/api/campaigns")] = [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")]

    async def go():
        async with make_client(platform) as api:
            return await api.create_campaign({"name": "x"}), api.stats

    campaign, stats = asyncio.run(go())
    assert campaign.name == "x" and stats.retries == 2
    assert len(platform.sent("POST", "/api/campaigns")) == 3


def test_a_server_that_cannot_be_reached_is_a_transport_error_never_sent(platform):
    platform.script[("POST", "/api/campaigns")] = [httpx.ConnectError("refused")] * 10

    async def go():
        async with make_client(platform, retry=RetryPolicy(retries=3)) as api:
            await api.create_campaign({"name": "x"})

    with pytest.raises(TransportError) as caught:
        asyncio.run(go())
    assert caught.value.maybe_sent is False
    assert len(platform.sent("POST", "/api/campaigns")) == 4


@pytest.mark.parametrize("failure", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"),
                                     httpx.ReadError("reset")])
def test_a_lost_answer_to_a_create_is_ambiguous_and_not_repeated(platform, failure):
    platform.script[("POST", "/api/campaigns")] = [failure]

    async def go():
        async with make_client(platform) as api:
            await api.create_campaign({"name": "x"})

    with pytest.raises(TransportError) as caught:
        asyncio.run(go())
    assert caught.value.maybe_sent is True
    assert type(failure).__name__ in caught.value.message
    assert len(platform.sent("POST", "/api/campaigns")) == 1


def test_a_lost_answer_to_a_read_is_retried():
    platform = Platform(campaigns=1)
    platform.script[("GET", "/api/campaigns/1")] = [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("eof")]

    async def go():
        async with make_client(platform) as api:
            return await api.get_campaign(1)

    assert asyncio.run(go()).id == 1
    assert len(platform.sent("GET")) == 3


def test_backoff_is_capped_exponential_with_full_jitter(platform, fake):
    platform.script[("GET", "/api/campaigns/1")] = [httpx.ConnectError("refused")] * 6
    platform.campaigns[1] = campaign_json(1)
    bounds: list[float] = []

    def jitter(low: float, high: float) -> float:
        bounds.append(high)
        assert low == 0.0
        return high / 2

    async def go():
        retry = RetryPolicy(backoff_base_s=1.0, backoff_cap_s=10.0)
        async with make_client(platform, fake=fake, retry=retry) as api:
            api._jitter = jitter
            await api.get_campaign(1)

    asyncio.run(go())
    assert bounds == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert fake.sleeps[-6:] == [b / 2 for b in bounds]


def test_every_request_goes_through_the_limiter(platform, fake):
    class Spy(RateLimiter):
        acquired = observed = 0

        async def acquire(self):
            Spy.acquired += 1
            return await super().acquire()

        def observe(self, response, ticket=None):
            Spy.observed += 1
            super().observe(response, ticket)

    platform.campaigns[1] = campaign_json(1)
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(429), httpx.ReadError("x"), httpx.Response(503)]
    limiter = Spy(10_000, 60.0, clock=fake.clock, sleep=fake.sleep)

    async def go():
        async with make_client(platform, fake=fake, limiter=limiter) as api:
            await api.get_campaign(1)
            await api.create_campaign({"name": "x"})
            await api.list_campaigns()
            return api.stats

    stats = asyncio.run(go())
    assert Spy.acquired == Spy.observed == stats.requests_sent - 1  # all but the login, which has its own
    assert stats.sent_by_method == {"POST": 2, "GET": 5}


def test_a_cancelled_first_request_does_not_stall_the_others(platform, fake):
    platform.campaigns[1] = campaign_json(1)
    limiter = RateLimiter(100, 60.0, clock=fake.clock, sleep=fake.sleep)  # slow start on

    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    class Hanging(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.first = True

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path == "/api/campaigns/1" and self.first:
                self.first = False
                return await hang(request)
            return await httpx.MockTransport(platform).handle_async_request(request)

    async def go():
        api = SmartyAdsClient("http://sandbox.test", EMAIL, PASSWORD, transport=Hanging(), limiter=limiter,
                              sleep=fake.sleep)
        async with api:
            stuck = asyncio.create_task(api.get_campaign(1))
            await asyncio.sleep(0.01)
            stuck.cancel()
            return await asyncio.wait_for(api.get_campaign(1), timeout=2)

    assert asyncio.run(go()).id == 1


def test_each_request_is_logged_at_debug_with_method_path_status(platform, caplog):
    platform.campaigns[1] = campaign_json(1)

    async def go():
        async with make_client(platform) as api:
            await api.get_campaign(1)

    with caplog.at_level(logging.DEBUG, logger="bulkops.platforms.smartyads.client"):
        asyncio.run(go())
    lines = [r.getMessage() for r in caplog.records if r.name == "bulkops.platforms.smartyads.client"]
    assert lines[0].startswith("POST /api/users/login -> 200 in ")
    assert lines[1].startswith("GET /api/campaigns/1 -> 200 in ")


# -- secrets ----------------------------------------------------------------------------------------


def test_secrets_never_appear_in_errors_reprs_or_debug_logs(caplog):
    """Every error path, with a server that quotes the password and the token back."""
    platform = Platform(campaigns=1)
    failures: list[BaseException] = []
    tattle = f"you sent {PASSWORD} and {TOKEN_PREFIX}1"

    def quoting(status: int):
        def answer(request: httpx.Request) -> httpx.Response:
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            return httpx.Response(status, text=f"{tattle} / {token}")
        return answer

    platform.script.update({
        ("GET", "/api/campaigns/1"): [quoting(500), httpx.Response(422, json={"message": tattle, "errors": {
            "name": [tattle]}}), httpx.Response(200, text=tattle)] + [httpx.Response(429)] * 3,
        ("POST", "/api/campaigns"): [httpx.ReadError(tattle), httpx.Response(503, text=tattle),
                                     httpx.Response(200, text=tattle)],
        ("PATCH", "/api/campaigns/1"): [httpx.ConnectError(tattle)] * 3,
        ("DELETE", "/api/campaigns/1"): [httpx.Response(401, text=tattle)] * 2,
    })

    async def go():
        async with make_client(platform, retry=RetryPolicy(retries=2)) as api:
            calls = [lambda: api.get_campaign(1)] * 4 + [lambda: api.create_campaign({"name": "x"})] * 3 + [
                lambda: api.update_campaign(1, {"name": "y"}), lambda: api.delete_campaign(1)]
            for call in calls:
                try:
                    await call()
                except Exception as exc:  # noqa: BLE001 - collecting every error path on purpose
                    failures.append(exc)
            stats = repr(api) + repr(api.stats) + repr(api.limiter)
        # Refused logins: 401 with the password quoted, then a 500 debug page echoing the form.
        # (These clients never held a token, so only the password can be quoted back to them.)
        quoted = f"you sent {PASSWORD}"
        for answer in (httpx.Response(401, json={"message": quoted}), httpx.Response(500, text=quoted)):
            platform.script[("POST", "/api/users/login")] = [answer]
            async with make_client(platform) as api:
                try:
                    await api.get_campaign(1)
                except Exception as exc:  # noqa: BLE001
                    failures.append(exc)
        return stats

    with caplog.at_level(logging.DEBUG):
        stats = asyncio.run(go())
    kinds = [type(f).__name__ for f in failures]
    assert kinds == ["ApiError", "ApiError", "ApiError", "RateLimitedError", "TransportError", "ApiError",
                     "TransportError", "TransportError", "ApiError", "AuthError", "ApiError"]
    everything = stats + caplog.text + " ".join(
        f"{f!s} {f!r} {getattr(f, 'field_errors', '')} {getattr(f, 'body', '')} {getattr(f, 'request', '')!r}"
        for f in failures)
    for secret in (PASSWORD, TOKEN_PREFIX, "Bearer", "authorization", "Authorization"):
        at = everything.find(secret)
        assert at == -1, everything[max(0, at - 200):at + 40]
    assert "[redacted]" in everything  # the server's words survive, minus the secrets


def test_a_payload_that_cannot_be_sent_raises_before_using_a_slot(platform, fake):
    platform.campaigns[1] = campaign_json(1)

    async def go():
        async with make_client(platform, fake=fake, limit=100) as api:
            with pytest.raises(TypeError):
                await api.create_campaign({"name": "x", "when": object()})
            # The first slot went to nobody; the next call must neither wait nor hang in slow start.
            return await asyncio.wait_for(api.get_campaign(1), timeout=2), api.stats

    campaign, stats = asyncio.run(go())
    assert campaign.id == 1 and stats.sent_by_method == {"POST": 1, "GET": 1}  # the login and the get


def test_the_run_wide_retry_budget_stops_every_call_once_spent(platform):
    """Retries count across calls: past the budget the run stops (RunStopped), however many retries
    each call would still be allowed."""
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(503, json={"message": "down"})] * 3
    platform.script[("GET", "/api/campaigns/2")] = [httpx.Response(503, json={"message": "down"})] * 10
    failures: list[Exception] = []

    async def go():
        async with make_client(platform, retry=RetryPolicy(retries=5, budget=4)) as api:
            for campaign_id in (1, 2):
                try:
                    await api.get_campaign(campaign_id)
                except Exception as exc:  # noqa: BLE001
                    failures.append(exc)
            assert api.stats.retries == 5

    asyncio.run(go())
    # Campaign 1: three retries, within the budget, then the platform's own answer (no such campaign).
    assert [type(f).__name__ for f in failures] == ["ApiError", "RunStopped"]
    assert failures[0].status_code == 404
    assert "retry budget (4 retries)" in str(failures[1])
    assert len(platform.sent("GET")) == 3 + 1 + 2  # campaign 1: three 503s and its answer; campaign 2: two


def test_429s_with_retry_after_are_pacing_and_spend_no_retry_budget(platform):
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(429, headers={"Retry-After": "0"})] * 3

    async def go():
        async with make_client(platform, retry=RetryPolicy(retries=5, budget=1)) as api:
            with pytest.raises(ApiError) as caught:  # the platform's own answer at last: no such campaign
                await api.get_campaign(1)
            assert caught.value.status_code == 404
            assert api.stats.responses_429 == 3

    asyncio.run(go())
