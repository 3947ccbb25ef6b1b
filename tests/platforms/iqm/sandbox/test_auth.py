"""Login (password and refresh grants), bearer tokens, the workspace header, creative types."""

from __future__ import annotations

import base64
import re

import pytest

from bulkops.sandbox import SandboxConfig
from tests.platforms.iqm.sandbox.conftest import BASIC, DETAILS, HOST, LOGIN, OW_ID, login, login_answer

pytestmark = pytest.mark.slow

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NOT_IN_WORKSPACE = {"success": False, "errorObjects": [
    {"error": "User doesn't exist or user is not allowed to provided workspace."}]}
TYPES = "/api/v3/master/creativeTypes"


def test_login_answers_the_documented_token(http, clock):
    answer = login_answer(http)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"success", "data"} and body["success"] is True
    data = body["data"]
    assert set(data) == {"access_token", "refresh_token", "scope", "token_type", "expires_in", "owId"}
    assert UUID.match(data["access_token"]) and UUID.match(data["refresh_token"])
    assert data["access_token"] != data["refresh_token"]
    assert (data["scope"], data["token_type"], data["expires_in"], data["owId"]) == \
        ("read write", "bearer", 86400, OW_ID)


def test_the_iqm_defaults_are_24_hour_tokens_and_20_requests_a_minute_and_smartyads_keeps_its_own():
    iqm = SandboxConfig(platform="iqm")
    assert (iqm.rate_limit, iqm.token_ttl_s, iqm.window_s, iqm.creative_review_s) == (20, 86400.0, 60.0, 2.0)
    smartyads = SandboxConfig()
    assert (smartyads.rate_limit, smartyads.token_ttl_s) == (500, 3600.0)


def test_email_is_case_insensitive(http, clock):
    assert login_answer(http, email="Demo@BulkOps.test").status_code == 200


def test_refresh_grant_gives_a_new_pair_and_spends_the_refresh_token(http, clock):
    first = login_answer(http).json()["data"]
    answer = login_answer(http, grantType="refresh_token", refreshToken=first["refresh_token"], email=None,
                          password=None)
    assert answer.status_code == 200, answer.text
    second = answer.json()["data"]
    assert second["owId"] == OW_ID and second["expires_in"] == 86400
    assert {second["access_token"], second["refresh_token"]}.isdisjoint({first["access_token"], first["refresh_token"]})
    headers = {"Authorization": f"Bearer {second['access_token']}", "X-IAA-OW-ID": str(OW_ID)}
    assert http.get(TYPES, headers=headers).status_code == 200
    again = login_answer(http, grantType="refresh_token", refreshToken=first["refresh_token"])
    assert again.status_code == 400
    assert again.json() == {"success": False, "errorObjects": [{"error": "Invalid refresh token."}]}


def test_refresh_grant_needs_the_refresh_token(http, clock):
    answer = login_answer(http, grantType="refresh_token")
    assert answer.status_code == 400
    assert answer.json() == {"success": False, "errorObjects": [{"error": "refresh_token is required."}]}


def test_the_guides_refresh_route_trades_a_refresh_token(http, clock):
    first = login_answer(http).json()["data"]
    answer = http.post("/api/oauth/token", headers={"Authorization": BASIC, "X-IAA-HOST": HOST},
                       json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert data["access_token"] != first["access_token"] and data["owId"] == OW_ID
    again = http.post("/api/oauth/token", headers={"Authorization": BASIC, "X-IAA-HOST": HOST},
                      json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert again.status_code == 400  # spent


@pytest.mark.parametrize("authorization", [
    None, "Bearer x", "Basic not-base64!", "Basic " + base64.b64encode(b"sandbox-client:wrong").decode(),
    "Basic " + base64.b64encode(b"sandbox-client").decode(),
])
def test_login_needs_the_client_credentials(http, clock, authorization):
    headers = {"X-IAA-HOST": HOST} | ({"Authorization": authorization} if authorization else {})
    answer = http.post(LOGIN, json={"grantType": "password", "email": "demo@bulkops.test", "password": "sandbox"},
                       headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {"success": False, "errorObjects": [{
        "error": "Unauthorized",
        "reason": "Authorization must be Basic base64(clientId:clientSecret) of a known client."}]}


def test_login_needs_the_host_header(http, clock):
    answer = http.post(LOGIN, json={"grantType": "password", "email": "demo@bulkops.test", "password": "sandbox"},
                       headers={"Authorization": BASIC})
    assert answer.status_code == 400
    assert answer.json() == {"success": False, "errorObjects": [{"error": "X-IAA-HOST header is required."}]}


def test_login_to_another_host_is_the_documented_403(http, clock):
    answer = http.post(LOGIN, json={"grantType": "password", "email": "demo@bulkops.test", "password": "sandbox"},
                       headers={"Authorization": BASIC, "X-IAA-HOST": "app.stage.inhousebuying.com"})
    assert answer.status_code == 403 and answer.json() == NOT_IN_WORKSPACE


@pytest.mark.parametrize(("body", "error"), [
    ({"password": "wrong"}, {"error": "Invalid email or password."}),
    ({"email": "someone@bulkops.test"}, {"error": "Invalid email or password."}),
    ({"email": None}, {"error": "email is required."}),
    ({"password": ""}, {"error": "password is required."}),
    ({"grantType": None}, {"error": "grantType is required.", "reason": "Use 'password' or 'refresh_token'."}),
    ({"grantType": "client_credentials"},
     {"error": "Unsupported grantType 'client_credentials'.", "reason": "Use 'password' or 'refresh_token'."}),
])
def test_bad_login_bodies_are_400_in_the_v3_envelope(http, clock, body, error):
    answer = login_answer(http, **body)
    assert answer.status_code == 400
    assert answer.json() == {"success": False, "errorObjects": [error]}


def test_login_body_must_be_json(http, clock):
    answer = http.post(LOGIN, content=b"grant_type=password", headers={"Authorization": BASIC, "X-IAA-HOST": HOST})
    assert answer.status_code == 400
    assert answer.json() == {"success": False, "errorObjects": [{"error": "Request body must be a JSON object."}]}


def test_the_on_hold_account_gets_the_documented_400_with_data_and_error_objects(http, clock):
    answer = login_answer(http, email="demo+on-hold@bulkops.test")
    assert answer.status_code == 400
    assert answer.json() == {
        "success": False,
        "data": {"status": "On Hold",
                 "reason": "The particular account is kept on hold due to missed payment dates for last 3 months.",
                 "supportEmail": "support@iqm.com"},
        "errorObjects": [{"error": "User is not allowed to access provided customer",
                          "reason": "User is not associated with any active organization."}],
    }


def test_creative_types(http, auth):
    answer = http.get(TYPES, headers=auth)
    assert answer.status_code == 200
    assert answer.json() == {"success": True, "data": [
        {"id": 11, "label": "Image", "keyName": "image"},
        {"id": 13, "label": "HTML", "keyName": "html"},
        {"id": 14, "label": "Video", "keyName": "video"},
        {"id": 15, "label": "Native", "keyName": "native"},
        {"id": 17, "label": "Audio", "keyName": "audio"},
    ]}


@pytest.mark.parametrize(("owid"), [None, "200002", "", "abc"])
def test_a_workspace_header_that_is_not_the_tokens_is_403(http, auth, owid):
    headers = {"Authorization": auth["Authorization"]} | ({"X-IAA-OW-ID": owid} if owid is not None else {})
    answer = http.get(TYPES, headers=headers)
    assert answer.status_code == 403 and answer.json() == NOT_IN_WORKSPACE
    answer = http.get(DETAILS, params={"creativeIds": "1"}, headers=headers)  # v2 path: v2 envelope
    assert answer.status_code == 403
    assert answer.json() == {"statusCode": 403, "responseObject": {
        "errorMsg": "User doesn't exist or user is not allowed to provided workspace.", "errorCode": 403}}


def test_missing_and_unknown_tokens_are_401_in_the_paths_envelope(http, clock):
    owid = {"X-IAA-OW-ID": str(OW_ID)}
    answer = http.get(TYPES, headers=owid)
    assert answer.status_code == 401
    assert answer.json() == {"success": False, "errorObjects": [
        {"error": "Unauthorized", "reason": "Authorization bearer token is required."}]}
    answer = http.get(TYPES, headers=owid | {"Authorization": "Bearer 106adb25-37b0-4cab-8381-d682fe7cc3c8"})
    assert answer.status_code == 401
    assert answer.json() == {"success": False, "errorObjects": [
        {"error": "Unauthorized", "reason": "Invalid access token."}]}
    answer = http.get("/api/v2/cmp/campaign/1", headers=owid | {"Authorization": BASIC})
    assert answer.status_code == 401
    assert answer.json() == {"statusCode": 401, "responseObject": {
        "errorMsg": "Unauthorized Authorization bearer token is required.", "errorCode": 401}}


def test_tokens_expire_after_their_lifetime(http, clock):
    headers = login(http)
    clock.advance(86399)
    assert http.get(TYPES, headers=headers).status_code == 200
    clock.advance(1)
    answer = http.get(TYPES, headers=headers)
    assert answer.status_code == 401
    assert answer.json() == {"success": False, "errorObjects": [
        {"error": "Unauthorized", "reason": "Access token expired."}]}
    assert http.get(TYPES, headers=login(http)).status_code == 200  # logging in again is the cure


def test_unknown_routes_answer_in_the_paths_envelope(http, auth):
    answer = http.get("/api/v2/cmp/nothing", headers=auth)
    assert answer.status_code == 404
    assert answer.json() == {"statusCode": 404, "responseObject": {"errorMsg": "Not found", "errorCode": 404}}
    answer = http.get(LOGIN, headers=auth)
    assert answer.status_code == 405 and answer.headers["Allow"] == "POST"
    assert answer.json() == {"success": False, "errorObjects": [{"error": "Method Not Allowed"}]}
