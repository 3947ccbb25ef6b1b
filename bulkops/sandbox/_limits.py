"""Platform-neutral traffic shaping: sliding-window rate limits, latency, fault injection, and the
ASGI middleware that applies them (and logs every request) in front of a platform's routes.

A platform supplies a `GuardPolicy`: which bucket a request counts against, and how its own API
words a 429 or a 503. Everything else here is shared by every sandboxed platform.
"""

from __future__ import annotations

import asyncio
import math
import random
import threading
import time
from collections import deque
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bulkops.sandbox._log import LoggedRequest, RequestLog

CLIENT_CLOSED = 499  # the request log's status for a client that left before its request was read


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after_s: float  # 0 when allowed
    at: float  # the monotonic time the decision was taken (the admission time when allowed)


class SlidingWindow:
    """Admit a request iff fewer than `limit` requests were admitted under its key in the last
    `window_s` seconds. A refused request is not counted (as Laravel's throttle does not count
    429s), so any interval of `window_s` seconds holds at most `limit` admissions."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._admitted: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int) -> Decision:
        with self._lock:
            # Read the clock under the lock so admission times are in the same order as admissions.
            now = time.monotonic()
            times = self._admitted.setdefault(key, deque())
            while times and times[0] <= now - self.window_s:
                times.popleft()
            if len(times) < limit:
                times.append(now)
                return Decision(True, limit - len(times), 0.0, now)
            # A place frees when enough of the oldest admissions have left the window: with n
            # counted and room for `limit`, the (n - limit + 1)-th oldest must leave.
            frees_at = times[len(times) - limit] + self.window_s
            return Decision(False, 0, max(frees_at - now, 0.0), now)


class Faults:
    """A seeded coin for fail_rate, shared by concurrent handlers."""

    def __init__(self, rate: float, seed: int | None) -> None:
        self.rate = rate
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def strike(self) -> bool:
        if self.rate <= 0.0:
            return False
        with self._lock:
            return self._random.random() < self.rate


@dataclass(frozen=True)
class Admission:
    """What the platform says about one request before anything else happens to it."""

    key: str  # the rate-limit bucket
    limit: int
    faultable: bool  # may fail_rate strike it (not logins)
    subject: str | None  # the authenticated token's subject, for handlers and the log


class GuardPolicy(Protocol):
    def admission(self, request: Request) -> Admission: ...

    def rate_headers(self, limit: int, remaining: int) -> dict[str, str]: ...

    def too_many(self, retry_after: int) -> Response: ...

    def unavailable(self) -> Response: ...


@dataclass
class Traffic:
    """The shared, per-sandbox state the guard works with."""

    window: SlidingWindow
    faults: Faults
    log: RequestLog
    latency_s: float


class GuardMiddleware:
    """Rate limit → latency → fault → the app; rate headers on every answer; every request logged.

    Pure ASGI (not BaseHTTPMiddleware) so that the headers reach every answer, including the
    router's own 404/405, and the body streams through untouched.
    """

    def __init__(self, app: ASGIApp, *, traffic: Traffic, policy: GuardPolicy) -> None:
        self.app = app
        self.traffic = traffic
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        admission = self.policy.admission(Request(scope))
        state: MutableMapping[str, Any] = scope.setdefault("state", {})
        state["subject"] = admission.subject  # handlers read it instead of checking the token again
        decision = self.traffic.window.hit(admission.key, admission.limit)
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                   for k, v in self.policy.rate_headers(admission.limit, decision.remaining).items()]
        logged = False

        def record(status: int) -> None:
            nonlocal logged
            if not logged:
                logged = True
                self.traffic.log.add(LoggedRequest(decision.at, scope["method"], scope["path"], status,
                                                   admission.subject))

        async def send_logged(message: Message) -> None:
            # Log when the status line goes out, before the body: a client that has read the answer
            # must find its request in the log.
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
                record(message["status"])
            await send(message)

        try:
            if self.traffic.latency_s > 0:
                await asyncio.sleep(self.traffic.latency_s)
            if not decision.allowed:
                retry = max(1, math.ceil(decision.retry_after_s))
                response = self.policy.too_many(retry)
                response.headers.update({"Retry-After": str(retry), "X-RateLimit-Reset": str(int(time.time()) + retry)})
                await response(scope, receive, send_logged)
            elif admission.faultable and self.traffic.faults.strike():
                await self.policy.unavailable()(scope, receive, send_logged)
            else:
                try:
                    await self.app(scope, receive, send_logged)
                except ClientDisconnect:
                    # The client went away before its body arrived: nobody to answer, nothing done.
                    # Logged as nginx does (499) rather than raised as a server error.
                    record(CLIENT_CLOSED)
        finally:
            record(500)  # only if nothing was answered: the app raised
