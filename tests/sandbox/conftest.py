from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bulkops.sandbox import SANDBOX_EMAIL, SANDBOX_PASSWORD, SandboxConfig, SandboxServer, running

VALID = {"type": "banner", "name": "Spring Sale", "aDomain": "shop.example.com"}


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with running(SandboxConfig()) as srv:
        yield srv


@pytest.fixture
def http(server: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        yield client


def login(client: httpx.Client) -> dict[str, str]:
    """Authorization headers for a fresh token of the built-in account."""
    answer = client.post("/api/users/login", json={"email": SANDBOX_EMAIL, "password": SANDBOX_PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
def auth(http: httpx.Client) -> dict[str, str]:
    return login(http)


def create(client: httpx.Client, headers: dict[str, str], **fields: object) -> dict:
    answer = client.post("/api/campaigns", json={**VALID, **fields}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]
