"""The IQM client against plain handler functions (httpx.MockTransport), as the SmartyAds tests do."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest

from bulkops._exceptions import ApiError, AuthError, ConfigError, InputError, RateLimitedError, TransportError
from bulkops._ratelimit import RateLimiter
from bulkops._retry import RetryPolicy
from bulkops.platforms.iqm.client import Campaign, CampaignCreated, CreativeType, IQMClient
from tests.platforms.iqm.client.conftest import (
    BASIC,
    CLIENT_ID,
    CLIENT_SECRET,
    CREATIVE_TYPES,
    EMAIL,
    HOST,
    OW_ID,
    PASSWORD,
    REFRESH_PREFIX,
    TOKEN_PREFIX,
    Platform,
    make_client,
    multipart,
    v2_error,
    v3_error,
)

TYPES = "/api/v3/master/creativeTypes"
UPLOAD = "/api/v2/crt/add/image/banner/creative"
DETAILS = "/api/v2/crt/creatives/details"
ADD = "/api/v2/cmp/campaigns/add"
LOGIN = "/api/v3/ua/login"
REFRESH = "/api/oauth/token"

# -- auth -----------------------------------------------------------------------------------------


def test_login_sends_basic_client_credentials_host_and_password_grant(platform):
    async def go():
        async with make_client(platform) as api:
            await api.creative_types()
            return api.ow_id

    assert asyncio.run(go()) == OW_ID
    login, get = platform.requests
    assert (login.method, login.url.path) == ("POST", LOGIN)
    assert login.headers["authorization"] == "Basic Y2xpZW50LTdwbmlia3VqZXkxb2pyZzpzZWNyZXQtczNjcjN0LXZhbHVl"
    assert login.headers["authorization"] == f"Basic {BASIC}"
    assert login.headers["x-iaa-host"] == HOST
    assert login.headers["content-type"] == "application/json"
    assert "x-iaa-ow-id" not in login.headers
    assert json.loads(login.content) == {"grantType": "password", "email": EMAIL, "password": PASSWORD}
    assert (get.method, get.url.path) == ("GET", TYPES)
    assert get.headers["authorization"] == f"Bearer {TOKEN_PREFIX}1"
    assert get.headers["x-iaa-ow-id"] == "200001"
    assert get.headers["accept"] == "application/json"


def test_every_call_after_login_carries_bearer_and_owid(platform):
    async def go():
        async with make_client(platform) as api:
            await api.creative_types()
            created = await api.create_campaign({"campaignName": "x"})
            await api.get_campaign(created.id)
            await api.creative_statuses([1])
            await api.upload_creatives([("a.png", b"png", "image/png")])

    asyncio.run(go())
    later = platform.requests[1:]
    assert [r.url.path for r in later] == [TYPES, ADD, "/api/v2/cmp/campaign/25859", DETAILS, UPLOAD]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN_PREFIX}1" for r in later)
    assert all(r.headers["x-iaa-ow-id"] == str(OW_ID) for r in later)


def test_login_is_lazy_and_happens_once_for_concurrent_first_calls(platform):
    async def go():
        async with make_client(platform) as api:
            assert platform.requests == []
            await asyncio.gather(*(api.creative_statuses([i]) for i in range(10)))
            return api.stats

    stats = asyncio.run(go())
    assert platform.logins == 1 and stats.relogins == 0 and stats.refreshes == 0
    assert len(platform.sent("GET", DETAILS)) == 10


def test_token_is_refreshed_shortly_before_it_expires_without_waiting_for_a_401(fake):
    platform = Platform(expires_in=3600)

    async def go():
        async with make_client(platform, fake=fake, refresh_margin_s=300) as api:
            await api.creative_statuses([1])
            fake.now += 3600 - 301  # still more than the margin left: no refresh
            await api.creative_statuses([2])
            fake.now += 2  # now inside the last 300 s
            await api.creative_statuses([3])
            return api.stats

    stats = asyncio.run(go())
    assert [r.url.path for r in platform.requests] == [LOGIN, DETAILS, DETAILS, REFRESH, DETAILS]
    refresh = platform.requests[3]
    assert refresh.headers["authorization"] == f"Basic {BASIC}"
    assert refresh.headers["x-iaa-host"] == HOST
    assert json.loads(refresh.content) == {"grantType": "refresh_token", "grant_type": "refresh_token",
                                           "refresh_token": f"{REFRESH_PREFIX}1"}
    assert platform.requests[4].headers["authorization"] == f"Bearer {TOKEN_PREFIX}2"
    assert platform.requests[4].headers["x-iaa-ow-id"] == str(OW_ID)  # kept: the refresh gives no owId
    assert (platform.logins, platform.refreshes, stats.refreshes, stats.relogins) == (1, 1, 1, 0)


def test_a_refreshed_token_keeps_the_logins_lifetime_and_is_refreshed_again(fake):
    platform = Platform(expires_in=1000)

    async def go():
        async with make_client(platform, fake=fake, refresh_margin_s=100) as api:
            await api.creative_statuses([1])
            fake.now += 950
            await api.creative_statuses([2])  # refresh 1 (the answer has no expires_in)
            fake.now += 850
            await api.creative_statuses([3])  # 850 s into a 1000 s token: not yet
            fake.now += 60
            await api.creative_statuses([4])  # 910 s: refresh 2

    asyncio.run(go())
    assert [r.url.path for r in platform.requests] == [LOGIN, DETAILS, REFRESH, DETAILS, DETAILS, REFRESH, DETAILS]
    assert json.loads(platform.requests[5].content)["refresh_token"] == f"{REFRESH_PREFIX}2"


def test_a_401_means_one_refresh_however_many_tasks_saw_it(platform):
    async def go():
        async with make_client(platform) as api:
            await api.creative_statuses([1])
            platform.expire_tokens()
            results = await asyncio.gather(*(api.creative_statuses([i]) for i in range(20)))
            return results, api.stats

    results, stats = asyncio.run(go())
    assert [r[0].creativeId for r in results] == list(range(20))
    assert platform.logins == 1 and platform.refreshes == 1
    assert stats.refreshes == 1 and stats.relogins == 0
    assert len(platform.sent("POST", REFRESH)) == 1
    gets = platform.sent("GET", DETAILS)
    assert len(gets) == 1 + 20 + 20
    assert all(r.headers["authorization"] == f"Bearer {TOKEN_PREFIX}2" for r in gets[-20:])


def test_a_refused_refresh_falls_back_to_a_full_login(platform):
    async def go():
        async with make_client(platform) as api:
            await api.creative_statuses([1])
            platform.expire_tokens()
            platform.revoke_refresh()
            await asyncio.gather(*(api.creative_statuses([i]) for i in range(5)))
            return api.stats

    stats = asyncio.run(go())
    assert [r.url.path for r in platform.requests[:2]] == [LOGIN, DETAILS]
    assert len(platform.sent("POST", REFRESH)) == 1
    assert len(platform.sent("POST", LOGIN)) == 2
    assert platform.refreshes == 0 and platform.logins == 2
    assert stats.refreshes == 0 and stats.relogins == 1
    assert all(r.headers["authorization"] == f"Bearer {TOKEN_PREFIX}2" for r in platform.sent("GET")[-5:])


def test_a_second_401_after_a_fresh_token_fails_the_call_not_the_run(platform):
    refused = httpx.Response(401, json=v3_error({"error": "Unauthorized", "reason": "Token is not valid"}))
    platform.script[("GET", "/api/v2/cmp/campaign/1")] = [refused, refused]

    async def go():
        async with make_client(platform) as api:
            await api.get_campaign(1)

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert caught.value.message == "IQM refused a fresh token: Unauthorized: Token is not valid"
    assert caught.value.status_code == 401
    assert platform.refreshes == 1 and len(platform.sent("GET")) == 2


def test_a_token_that_ran_out_while_its_request_waited_is_renewed_not_called_refused(platform, fake):
    # The refreshed token is refused 20,000 s into its 35,999 s life: it ran out while its request
    # waited, so it is renewed once more and the call goes through.
    platform.campaigns[1] = {"id": 1, "owId": OW_ID, "status": "running", "campaignName": "Wave"}
    refused = httpx.Response(401, json=v3_error({"error": "Unauthorized", "reason": "Token is not valid"}))

    def after_a_long_wait(request: httpx.Request) -> httpx.Response:
        fake.now += 20_000
        return refused

    platform.script[("GET", "/api/v2/cmp/campaign/1")] = [refused, after_a_long_wait]

    async def go():
        async with make_client(platform, fake=fake) as api:
            return await api.get_campaign(1), api.stats

    campaign, stats = asyncio.run(go())
    assert campaign.id == 1
    assert stats.refreshes == 2 and len(platform.sent("GET")) == 3


def test_refused_credentials_are_an_auth_error_asked_once_for_every_waiting_task(platform):
    async def go():
        async with make_client(platform, password="wrong-password-123") as api:
            return await asyncio.gather(*(api.creative_types() for _ in range(5)),
                                        *(api.get_campaign(1) for _ in range(5)), return_exceptions=True)

    results = asyncio.run(go())
    assert all(isinstance(r, AuthError) for r in results)
    assert {str(r) for r in results} == {
        "IQM refused the login: User doesn't exist or user is not allowed to provided workspace."}
    assert results[0].exit_code == 3
    assert len(platform.requests) == 1


def test_login_of_an_account_on_hold_says_so_with_what_data_says(platform):
    platform.script[("POST", LOGIN)] = [httpx.Response(400, json={
        "success": False,
        "data": {"status": "On Hold",
                 "reason": "The particular account is kept on hold due to missed payment dates for last 3 months.",
                 "supportEmail": "support@iqm.com"},
        "errorObjects": [{"error": "User is not allowed to access provided customer",
                          "reason": "User is not associated with any active organization."}]})]

    async def go():
        async with make_client(platform) as api:
            await api.creative_types()

    with pytest.raises(AuthError) as caught:
        asyncio.run(go())
    assert str(caught.value) == (
        "IQM refused the login: the IQM account is on hold (status: On Hold; reason: The particular account is kept "
        "on hold due to missed payment dates for last 3 months.; supportEmail: support@iqm.com); User is not "
        "allowed to access provided customer: User is not associated with any active organization.")


def test_a_call_answered_with_the_on_hold_400_is_an_api_error_saying_so(platform):
    platform.script[("POST", ADD)] = [httpx.Response(400, json={
        "success": False,
        "data": {"status": "On Hold", "reason": "Missed payments.", "supportEmail": "support@iqm.com"},
        "errorObjects": [{"error": "User is not allowed to access provided customer"}]})]

    async def go():
        async with make_client(platform) as api:
            await api.create_campaign({"campaignName": "x"})

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert caught.value.status_code == 400
    assert caught.value.message == ("the IQM account is on hold (status: On Hold; reason: Missed payments.; "
                                    "supportEmail: support@iqm.com); User is not allowed to access provided customer")
    assert len(platform.sent("POST", ADD)) == 1


def test_a_login_answer_without_token_or_owid_is_an_auth_error(platform):
    platform.script[("POST", LOGIN)] = [
        httpx.Response(200, json={"success": True, "data": {"token_type": "bearer"}}),
        httpx.Response(200, json={"success": True, "data": {"access_token": "abcdef", "refresh_token": "x"}})]

    messages: list[str] = []

    async def go():
        async with make_client(platform) as api:
            for _ in range(2):
                with pytest.raises(AuthError) as caught:
                    await api.login()
                messages.append(str(caught.value))

    asyncio.run(go())
    assert messages == ["IQM answered the login with HTTP 200 OK but no access token",
                        "IQM answered the login with HTTP 200 OK but no owId"]


def test_from_env_reads_the_five_variables_and_names_only_the_missing_ones():
    env = {"BULKOPS_IQM_CLIENT_ID": CLIENT_ID, "BULKOPS_IQM_CLIENT_SECRET": CLIENT_SECRET,
           "BULKOPS_IQM_EMAIL": EMAIL, "BULKOPS_IQM_PASSWORD": PASSWORD, "BULKOPS_IQM_HOST": HOST}
    api = IQMClient.from_env("http://iqm.test", env=env)
    assert repr(api) == "IQMClient(base_url='http://iqm.test')"
    asyncio.run(api.aclose())
    with pytest.raises(ConfigError) as caught:
        IQMClient.from_env(env={**env, "BULKOPS_IQM_PASSWORD": " ", "BULKOPS_IQM_HOST": ""})
    assert str(caught.value) == ("IQM credentials missing from the environment: BULKOPS_IQM_PASSWORD, "
                                 "BULKOPS_IQM_HOST")


def test_the_default_limiter_is_iqms_documented_20_a_minute():
    api = IQMClient("http://iqm.test", CLIENT_ID, CLIENT_SECRET, EMAIL, PASSWORD, HOST)
    assert (api.limiter.limit, api.limiter.window_s) == (20, 60.0)
    asyncio.run(api.aclose())


# -- creative types, upload, statuses -----------------------------------------------------------------


def test_creative_types_are_asked_once_per_client(platform):
    async def go():
        async with make_client(platform) as api:
            first = await api.creative_types()
            second = await api.creative_types()
            third, fourth = await asyncio.gather(api.creative_types(), api.creative_types())
            first.clear()  # the caller's copy: the cache is not touched
            return await api.creative_types(), second, third

    latest, second, third = asyncio.run(go())
    assert len(platform.sent("GET", TYPES)) == 1
    assert latest == second == third == [CreativeType.model_validate(t) for t in CREATIVE_TYPES]
    assert [(t.id, t.label, t.keyName) for t in latest] == [(11, "Image", "image"), (13, "HTML", "html"),
                                                            (14, "Video", "video")]


def test_upload_sends_every_file_under_creative_files_with_metadata_keyed_by_file(platform):
    async def go():
        async with make_client(platform) as api:
            return await api.upload_creatives(
                [("banner 300x250.png", b"\x89PNG-one", "image/png"), ("sky.jpg", b"\xff\xd8jpeg", None)],
                {"banner 300x250.png": {"creativeName": "Spring banner", "clickUrl": "https://iqm.com",
                                        "width": 300, "height": 250}})

    uploaded = asyncio.run(go())
    assert uploaded.ids == [148971, 148972]
    assert uploaded.message == "Image Creative(s) Added successfully"
    assert uploaded.files == ["banner 300x250.png", "sky.jpg"]
    upload, = platform.sent("POST", UPLOAD)
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = multipart(upload)
    assert [p[0] for p in parts] == ["creativeImageMetadata", "creativeFiles", "creativeFiles"]
    metadata = json.loads(parts[0][3])
    keys = list(metadata)
    assert len(keys) == 2 and len(set(keys)) == 2
    assert metadata[keys[0]] == {"originalFileName": "banner 300x250.png", "creativeName": "Spring banner",
                                 "clickUrl": "https://iqm.com", "width": 300, "height": 250}
    assert metadata[keys[1]] == {"originalFileName": "sky.jpg", "creativeName": "sky"}
    assert parts[1][1:] == (f"{keys[0]}.png", "image/png", b"\x89PNG-one")
    assert parts[2][1:] == (f"{keys[1]}.jpg", "image/jpeg", b"\xff\xd8jpeg")


@pytest.mark.parametrize("files,metadata,expected", [
    ([("a.gif", b"x" * (750 * 1024 + 1), "image/gif")], {},
     "cannot upload these creatives: 'a.gif' is 768,001 bytes; IQM takes at most 768,000 for .gif files"),
    ([("a.png", b"x" * (2 * 1024 * 1024 + 1), None)], {},
     "cannot upload these creatives: 'a.png' is 2,097,153 bytes; IQM takes at most 2,097,152 for .png files"),
    ([("a.png", b"1", None), ("a.png", b"2", None)], {}, "cannot upload these creatives: 'a.png' is sent twice"),
    ([("a.png", b"1", None)], {"b.png": {}},
     "cannot upload these creatives: metadata for 'b.png', which is not among the files"),
])
def test_an_upload_that_cannot_succeed_is_refused_before_anything_is_sent(platform, files, metadata, expected):
    async def go():
        async with make_client(platform) as api:
            await api.upload_creatives(files, metadata)

    with pytest.raises(InputError) as caught:
        asyncio.run(go())
    assert str(caught.value) == expected
    assert platform.requests == []


def test_creative_statuses_go_many_ids_per_request_in_batches(platform):
    async def go():
        async with make_client(platform, status_batch_size=2) as api:
            return await api.creative_statuses([5, 6, 7, 6, 8, 9])

    found = asyncio.run(go())
    assert [c.creativeId for c in found] == [5, 6, 7, 8, 9]
    assert [(c.status, c.creativeName, c.width) for c in found[:1]] == [("pending", "Creative 5", 300)]
    gets = platform.sent("GET", DETAILS)
    assert [r.url.query for r in gets] == [b"creativeIds=5,6", b"creativeIds=7,8", b"creativeIds=9"]


def test_the_default_status_batch_is_200_ids(platform):
    async def go():
        async with make_client(platform) as api:
            return await api.creative_statuses(range(1, 402))

    assert len(asyncio.run(go())) == 401
    assert [len(r.url.params["creativeIds"].split(",")) for r in platform.sent("GET", DETAILS)] == [200, 200, 1]


def test_no_ids_means_no_request(platform):
    async def go():
        async with make_client(platform) as api:
            return await api.creative_statuses([]), await api.upload_creatives([])

    statuses, uploaded = asyncio.run(go())
    assert statuses == [] and uploaded.ids == [] and platform.requests == []


# -- campaigns --------------------------------------------------------------------------------------


def test_create_and_get_campaign_paths_bodies_and_models(platform):
    payload = {"campaignName": "Test Campaign", "maxBid": 10, "budgetTotal": 100, "startTime": 1703794800,
               "timezone": 433, "creativeType": 11, "isAgreementChecked": True, "creativeIds": "148971",
               "countryId": "30100001"}

    async def go():
        async with make_client(platform) as api:
            created = await api.create_campaign(payload)
            return created, await api.get_campaign(created.id)

    created, campaign = asyncio.run(go())
    assert created == CampaignCreated(id=25859, message="Campaign saved successfully.", status="pending")
    assert isinstance(campaign, Campaign)
    assert (campaign.id, campaign.campaignName, campaign.status, campaign.maxBid, campaign.creativeIds,
            campaign.countryId, campaign.owId) == (25859, "Test Campaign", "pending", 10.0, "148971", "30100001",
                                                   OW_ID)
    assert campaign.model_extra == {"isAgreementChecked": True}
    add, = platform.sent("POST", ADD)
    assert add.headers["content-type"] == "application/json"
    assert json.loads(add.content) == payload
    get, = platform.sent("GET")
    assert get.url.path == "/api/v2/cmp/campaign/25859"


# -- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status,body,expected", [
    (400, v2_error("Invalid arguments audience ids!", 412), "Invalid arguments audience ids! (error code 412)"),
    (412, v2_error("Invalid arguments audience ids!", 412), "Invalid arguments audience ids!"),
    (500, v2_error("Internal server error", 500), "Internal server error"),
    (403, v3_error({"error": "User doesn't exist or user is not allowed to provided workspace."}),
     "User doesn't exist or user is not allowed to provided workspace."),
    (422, v3_error({"error": "Invalid value", "reason": "maxBid must be positive"}, {"error": "Too long"}),
     "Invalid value: maxBid must be positive; Too long"),
    (400, v3_error({"error": "Bad request"}, data={"campaignId": 7, "ok": False}),
     "Bad request; details: campaignId: 7"),
    (418, b"<html>teapot</html>", "HTTP 418 I'm a teapot: <html>teapot</html>"),
    (418, b"", "HTTP 418 I'm a teapot"),
    (418, b'["a", "list"]', 'HTTP 418 I\'m a teapot: ["a", "list"]'),
    (418, b"x" * 1000, "HTTP 418 I'm a teapot: " + "x" * 300 + "…"),
])
def test_both_error_envelopes_become_readable_api_errors(platform, status, body, expected):
    answer = httpx.Response(status, content=body) if isinstance(body, bytes) else httpx.Response(status, json=body)
    platform.script[("POST", ADD)] = [answer]

    async def go():
        async with make_client(platform, retry=RetryPolicy(retries=0)) as api:
            await api.create_campaign({"campaignName": "x"})

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert caught.value.status_code == status
    assert caught.value.message == expected
    assert str(caught.value.request) == "POST http://iqm.test/api/v2/cmp/campaigns/add"


def test_field_named_error_objects_become_field_errors(platform):
    platform.script[("POST", ADD)] = [httpx.Response(422, json=v3_error(
        {"error": "must be positive", "field": "maxBid"}, {"error": "is required", "field": "timezone"}))]

    async def go():
        async with make_client(platform) as api:
            await api.create_campaign({})

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert caught.value.field_errors == {"maxBid": ["must be positive"], "timezone": ["is required"]}
    assert caught.value.message == "must be positive; is required"


@pytest.mark.parametrize("body,expected", [
    ({"success": False, "errorObjects": [{"error": "Not allowed"}]}, "Not allowed"),
    ({"statusCode": 412, "responseObject": {"errorMsg": "Invalid creative type", "errorCode": 412}},
     "Invalid creative type (error code 412)"),
])
def test_a_2xx_whose_envelope_says_it_failed_is_an_api_error(platform, body, expected):
    platform.script[("GET", TYPES)] = [httpx.Response(200, json=body)]

    async def go():
        async with make_client(platform) as api:
            await api.creative_types()

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert (caught.value.status_code, caught.value.message) == (200, expected)


@pytest.mark.parametrize("answer", [
    httpx.Response(200, content=b"<html>ok</html>"),
    httpx.Response(200, json={"statusCode": 200, "responseObject": {"campaignName": "no id"}}),
    httpx.Response(200, json={"statusCode": 200}),
])
def test_a_read_whose_2xx_cannot_be_read_is_an_api_error(platform, answer):
    platform.script[("GET", "/api/v2/cmp/campaign/5")] = [answer]

    async def go():
        async with make_client(platform) as api:
            await api.get_campaign(5)

    with pytest.raises(ApiError, match="unexpected body") as caught:
        asyncio.run(go())
    assert caught.value.status_code == 200


@pytest.mark.parametrize("path,answer", [
    (ADD, httpx.Response(201, content=b"Created, probably")),
    (ADD, httpx.Response(201, json={"statusCode": 201, "responseObject": {"message": "saved"}})),
    (UPLOAD, httpx.Response(201, json={"statusCode": 201, "responseObject": {"data": "many"}})),
])
def test_a_2xx_to_a_create_that_cannot_be_read_may_have_created_it(platform, path, answer):
    platform.script[("POST", path)] = [answer]

    async def go():
        async with make_client(platform) as api:
            if path == ADD:
                await api.create_campaign({"campaignName": "x"})
            else:
                await api.upload_creatives([("a.png", b"png", None)])

    with pytest.raises(TransportError, match="may have been created") as caught:
        asyncio.run(go())
    assert caught.value.maybe_sent is True
    assert len(platform.sent("POST", path)) == 1


# -- retries ----------------------------------------------------------------------------------------


def test_429_with_retry_after_is_honoured_even_for_a_create(platform, fake):
    platform.script[("POST", ADD)] = [httpx.Response(429, headers={"Retry-After": "7"},
                                                     json=v3_error({"error": "Too many requests"}))]

    async def go():
        async with make_client(platform, fake=fake) as api:
            await api.login()
            started = fake.now
            created = await api.create_campaign({"campaignName": "x"})
            return created, fake.now - started, api.stats

    created, waited, stats = asyncio.run(go())
    assert created.id == 25859
    assert waited >= 7.0
    assert stats.responses_429 == 1 and stats.retries == 1
    assert len(platform.sent("POST", ADD)) == 2


def test_429_forever_is_a_rate_limited_error(platform):
    platform.script[("GET", TYPES)] = [httpx.Response(429, headers={"Retry-After": "1"})] * 10

    async def go():
        async with make_client(platform, retry=RetryPolicy(retries=2)) as api:
            await api.creative_types()

    with pytest.raises(RateLimitedError) as caught:
        asyncio.run(go())
    assert str(caught.value) == "IQM kept answering 429 Too Many Requests after 3 attempts"
    assert len(platform.sent("GET", TYPES)) == 3


@pytest.mark.parametrize("failure", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"),
                                     httpx.ReadError("reset")])
def test_a_lost_answer_to_a_create_or_an_upload_is_not_sent_again(platform, failure):
    platform.script[("POST", ADD)] = [failure]
    platform.script[("POST", UPLOAD)] = [failure]
    errors: list[TransportError] = []

    async def go():
        async with make_client(platform) as api:
            for call in (lambda: api.create_campaign({"campaignName": "x"}),
                         lambda: api.upload_creatives([("a.png", b"png", None)])):
                try:
                    await call()
                except TransportError as exc:
                    errors.append(exc)

    asyncio.run(go())
    assert [e.maybe_sent for e in errors] == [True, True]
    assert all(type(failure).__name__ in e.message for e in errors)
    assert len(platform.sent("POST", ADD)) == 1 and len(platform.sent("POST", UPLOAD)) == 1


def test_503_on_a_create_is_an_api_error_and_not_repeated(platform):
    platform.script[("POST", ADD)] = [httpx.Response(503, text="Service Unavailable")]

    async def go():
        async with make_client(platform) as api:
            await api.create_campaign({"campaignName": "x"})

    with pytest.raises(ApiError) as caught:
        asyncio.run(go())
    assert caught.value.status_code == 503 and len(platform.sent("POST", ADD)) == 1


def test_a_lost_answer_or_a_503_to_a_read_is_retried(platform):
    platform.script[("GET", TYPES)] = [httpx.ReadTimeout("slow"), httpx.Response(503)]

    async def go():
        async with make_client(platform) as api:
            return await api.creative_types(), api.stats

    types, stats = asyncio.run(go())
    assert len(types) == 3 and stats.retries == 2 and len(platform.sent("GET", TYPES)) == 3


def test_connect_error_is_retried_even_for_an_upload(platform):
    platform.script[("POST", UPLOAD)] = [httpx.ConnectError("refused")]

    async def go():
        async with make_client(platform) as api:
            return await api.upload_creatives([("a.png", b"png", None)])

    assert asyncio.run(go()).ids == [148971]
    assert len(platform.sent("POST", UPLOAD)) == 2


def test_every_request_goes_through_the_limiter(platform, fake):
    class Spy(RateLimiter):
        acquired = observed = 0

        async def acquire(self):
            Spy.acquired += 1
            return await super().acquire()

        def observe(self, response, ticket=None):
            Spy.observed += 1
            super().observe(response, ticket)

    platform.script[("GET", TYPES)] = [httpx.Response(429), httpx.ReadError("x")]
    limiter = Spy(10_000, 60.0, clock=fake.clock, sleep=fake.sleep)

    async def go():
        async with make_client(platform, fake=fake, limiter=limiter) as api:
            await api.creative_types()
            await api.create_campaign({"campaignName": "x"})
            return api.stats

    stats = asyncio.run(go())
    assert Spy.acquired == Spy.observed == stats.requests_sent == 5
    assert stats.sent_by_method == {"POST": 2, "GET": 3}


def test_each_request_is_logged_at_debug_with_method_path_status_and_no_query(platform, caplog):
    async def go():
        async with make_client(platform) as api:
            await api.creative_statuses([1, 2])

    with caplog.at_level(logging.DEBUG, logger="bulkops.platforms.iqm.client"):
        asyncio.run(go())
    lines = [r.getMessage() for r in caplog.records if r.name == "bulkops.platforms.iqm.client"]
    assert lines[0].startswith("POST /api/v3/ua/login -> 200 in ")
    assert lines[1].startswith("GET /api/v2/crt/creatives/details -> 200 in ")
    assert len(lines) == 2


# -- secrets ----------------------------------------------------------------------------------------


def test_credentials_and_tokens_never_appear_in_errors_reprs_or_logs(caplog):
    """Every error path, with a server that quotes every secret back."""
    platform = Platform()
    failures: list[BaseException] = []
    tattle = f"you sent {CLIENT_ID}:{CLIENT_SECRET} {EMAIL} {PASSWORD} {BASIC} {TOKEN_PREFIX}1 {REFRESH_PREFIX}1"

    def quoting(status: int):
        def answer(request: httpx.Request) -> httpx.Response:
            credential = request.headers.get("authorization", "").split(" ", 1)[-1]
            return httpx.Response(status, text=f"{tattle} / {credential}")
        return answer

    platform.script.update({
        ("GET", TYPES): [quoting(500), httpx.Response(422, json=v3_error({"error": tattle, "field": tattle})),
                         httpx.Response(200, text=tattle)] + [httpx.Response(429)] * 3,
        ("POST", ADD): [httpx.ReadError(tattle), httpx.Response(503, text=tattle), httpx.Response(201, text=tattle),
                        httpx.Response(400, json=v2_error(tattle, 400))],
        ("GET", DETAILS): [httpx.ConnectError(tattle)] * 3,
        ("GET", "/api/v2/cmp/campaign/1"): [httpx.Response(401, text=tattle)] * 2,
    })

    async def go():
        async with make_client(platform, retry=RetryPolicy(retries=2)) as api:
            calls = [api.creative_types] * 4 + [lambda: api.create_campaign({"campaignName": "x"})] * 4 + [
                lambda: api.creative_statuses([1]), lambda: api.get_campaign(1)]
            for call in calls:
                try:
                    await call()
                except Exception as exc:  # noqa: BLE001 - collecting every error path on purpose
                    failures.append(exc)
            stats = repr(api) + repr(api.stats) + repr(api.limiter)
        # Refused logins: these clients never held a token, so only the credentials can be quoted back.
        quoted = f"you sent {CLIENT_ID}:{CLIENT_SECRET} {EMAIL} {PASSWORD} {BASIC}"
        for answer in (httpx.Response(403, json=v3_error({"error": quoted})), httpx.Response(500, text=quoted)):
            platform.script[("POST", LOGIN)] = [answer]
            async with make_client(platform) as api:
                try:
                    await api.creative_types()
                except Exception as exc:  # noqa: BLE001
                    failures.append(exc)
        return stats

    with caplog.at_level(logging.DEBUG):
        stats = asyncio.run(go())
    kinds = [type(f).__name__ for f in failures]
    assert kinds == ["ApiError", "ApiError", "ApiError", "RateLimitedError", "TransportError", "ApiError",
                     "TransportError", "ApiError", "TransportError", "ApiError", "AuthError", "ApiError"]
    everything = stats + caplog.text + " ".join(
        f"{f!s} {f!r} {getattr(f, 'field_errors', '')} {getattr(f, 'body', '')} {getattr(f, 'request', '')!r}"
        for f in failures)
    for secret in (CLIENT_ID, CLIENT_SECRET, EMAIL, PASSWORD, BASIC, TOKEN_PREFIX, REFRESH_PREFIX, "Bearer",
                   "Basic", "authorization", "Authorization"):
        at = everything.find(secret)
        assert at == -1, everything[max(0, at - 200):at + 40]
    assert "[redacted]" in everything
