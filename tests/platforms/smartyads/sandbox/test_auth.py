"""1. Authorization: login, logout, and the 401s of every other route."""

from __future__ import annotations

import base64
import hashlib
import json
import time

import httpx
import pytest

from bulkops.sandbox import SANDBOX_EMAIL, SandboxConfig, running
from tests.sandbox.conftest import login

pytestmark = pytest.mark.slow


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_login_answers_a_jwt_shaped_like_the_documents(http):
    answer = http.post("/api/users/login", json={"email": SANDBOX_EMAIL, "password": "sandbox"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == "3600"
    header = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[0] + "=="))
    assert header == {"typ": "JWT", "alg": "HS256"}
    claims = _claims(body["access_token"])
    assert set(claims) == {"iss", "iat", "exp", "nbf", "jti", "sub", "prv"}
    assert claims["sub"] == "18" and claims["exp"] - claims["iat"] == 3600 and claims["nbf"] == claims["iat"]
    assert claims["iss"].endswith("/api/users/login")
    assert claims["prv"] == hashlib.sha1(b"App\\Models\\User").hexdigest()  # the document's value
    assert (answer.headers["X-ratelimit-limit"], answer.headers["X-ratelimit-remaining"]) == ("10", "9")


def test_two_logins_give_different_tokens(http):
    assert login(http) != login(http)


def test_wrong_credentials_are_401(http):
    for body in ({"email": SANDBOX_EMAIL, "password": "nope"}, {"email": "x@bulkops.test", "password": "sandbox"}):
        answer = http.post("/api/users/login", json=body)
        assert answer.status_code == 401
        assert answer.json() == {"message": "Invalid credentials."}


def test_login_without_fields_is_422(http):
    answer = http.post("/api/users/login", json={"email": "  "})
    assert answer.status_code == 422
    assert answer.json() == {"message": "The email field is required. (and 1 more error)", "errors": {
        "email": ["The email field is required."], "password": ["The password field is required."]}}
    assert http.post("/api/users/login", content=b"not json").status_code == 422


def test_routes_need_a_valid_bearer_token(http, auth):
    token = auth["Authorization"].removeprefix("Bearer ")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": f"Bearer {forged}"},
                    {"Authorization": f"Basic {token}"}):
        answer = http.get("/api/campaigns", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json() == {"message": "Unauthenticated."}
    assert http.get("/api/campaigns", headers=auth).status_code == 200


def test_a_token_from_another_sandbox_is_refused(http):
    with running(SandboxConfig()) as other, httpx.Client(base_url=other.base_url) as client:
        foreign = login(client)
    assert http.get("/api/campaigns", headers=foreign).status_code == 401


def test_tokens_expire():
    with running(SandboxConfig(token_ttl_s=0.4)) as srv, httpx.Client(base_url=srv.base_url) as client:
        answer = client.post("/api/users/login", json={"email": SANDBOX_EMAIL, "password": "sandbox"})
        assert answer.json()["expires_in"] == "0.4"
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        assert client.get("/api/campaigns", headers=headers).status_code == 200
        time.sleep(0.5)
        answer = client.get("/api/campaigns", headers=headers)
        assert answer.status_code == 401 and answer.json() == {"message": "Unauthenticated."}
        assert client.get("/api/campaigns", headers=login(client)).status_code == 200


def test_logout_ends_that_token_only(http, auth):
    other = login(http)
    answer = http.post("/api/logout", json={}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Successfully logged out"}
    assert http.get("/api/campaigns", headers=auth).status_code == 401
    assert http.post("/api/logout", json={}, headers=auth).status_code == 401
    assert http.get("/api/campaigns", headers=other).status_code == 200
