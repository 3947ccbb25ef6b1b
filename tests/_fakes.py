"""Test doubles shared across test modules."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class FakeTime:
    """A clock that only moves when someone sleeps on it; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class ScriptedPlatform:
    """A platform behind httpx.MockTransport that records every request; `script` overrides answers.

    `script[(method, path)]` is a list of answers served first, one per request, in order: an
    httpx.Response, an exception to raise, or a function of the request. Subclasses answer the rest
    (`answer`), as the platform documents.
    """

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.script: dict[tuple[str, str], list[Answer]] = {}

    def sent(self, method: str | None = None, path: str | None = None) -> list[httpx.Request]:
        return [r for r in self.requests
                if (method is None or r.method == method) and (path is None or r.url.path == path)]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        """The handler as a network would run it: other tasks get a turn while a request is out."""
        await asyncio.sleep(0)
        response = self(request)
        await asyncio.sleep(0)
        return response

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.seen(request)
        answers = self.script.get((request.method, request.url.path))
        if answers:
            answer = answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer(request) if callable(answer) else answer
        return self.answer(request)

    def seen(self, request: httpx.Request) -> None:
        """Called for every request before it is answered."""

    def answer(self, request: httpx.Request) -> httpx.Response:
        raise NotImplementedError
