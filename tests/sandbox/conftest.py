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


@pytest.fixture(scope="module")
def module_server() -> Iterator[SandboxServer]:
    """One sandbox for a module whose tests each look at their own answer; a module that needs
    other settings defines its own."""
    with running(SandboxConfig()) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(module_server: SandboxServer) -> Iterator[httpx.Client]:
    """Logged in to `module_server`."""
    with httpx.Client(base_url=module_server.base_url, timeout=10) as http:
        http.headers.update(login(http))
        yield http


def assert_refused(answer: httpx.Response, errors: dict[str, list[str]]) -> None:
    """A 422 with exactly these field errors and Laravel's summary message."""
    assert answer.status_code == 422, answer.text
    first = next(iter(errors.values()))[0]
    more = sum(len(m) for m in errors.values()) - 1
    message = first if not more else f"{first} (and {more} more error{'s' if more > 1 else ''})"
    assert answer.json() == {"message": message, "errors": errors}


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
