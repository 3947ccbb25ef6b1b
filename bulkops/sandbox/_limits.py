"""Platform-neutral traffic shaping: sliding-window rate limits, latency, fault injection, and the
ASGI middleware that applies them (and logs every request) in front of a platform's routes.

A platform supplies a `GuardPolicy`: which bucket a request counts against, and how its own API
words a 429 or a 503. Everything else here is shared by every sandboxed platform.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging
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

from bulkops.sandbox._config import SandboxConfig
from bulkops.sandbox._log import LoggedRequest, RequestLog

CLIENT_CLOSED = 499  # the request log's status for a client that left before its request was read
CUT = 444  # the request log's status for a connection the sandbox cut before the handler (nginx's word)
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


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
    """The sandbox's injected faults, each decided by its own seeded coin shared by concurrent
    handlers. Separate coins keep one kind of fault from shifting another's: the n-th request asked
    "503?" gets the same answer for a seed however the 503, cut and dropped-answer questions of
    concurrent requests interleave, so a seed fixes at least the faults of the first requests."""

    def __init__(self, config: SandboxConfig) -> None:
        self.rate = config.fail_rate
        self.drop_rate = config.drop_rate
        self.drop_answer_rate = config.drop_answer_rate
        self.storm_every = config.storm_every
        self.storm_length = config.storm_length
        self.storm_retry_after_s = config.storm_retry_after_s
        self.retry_after_date = config.retry_after_date
        self.on_commit = config.on_commit
        self._coins = {kind: random.Random(None if config.seed is None else f"{config.seed}:{kind}")
                       for kind in ("strike", "drop", "drop_answer")}
        self._lock = threading.Lock()
        self._counted = 0  # faultable requests seen, for storms
        self._storm_left = 0

    def _coin(self, kind: str, rate: float) -> bool:
        if rate <= 0.0:
            return False
        with self._lock:
            return self._coins[kind].random() < rate

    def strike(self) -> bool:
        """Answer 503 before doing anything."""
        return self._coin("strike", self.rate)

    def drop(self) -> bool:
        """Cut the connection before the handler sees the request."""
        return self._coin("drop", self.drop_rate)

    def drop_answer(self) -> bool:
        """Cut the connection after the handler committed, before its answer leaves."""
        return self._coin("drop_answer", self.drop_answer_rate)

    def storming(self) -> bool:
        """Is this request inside a 429 storm? Storms start after every `storm_every` requests."""
        if self.storm_every <= 0 or self.storm_length <= 0:
            return False
        with self._lock:
            if self._storm_left > 0:
                self._storm_left -= 1
                return True
            self._counted += 1
            if self._counted % self.storm_every == 0:
                self._storm_left = self.storm_length
            return False

    def retry_after(self, seconds: int) -> str:
        """The Retry-After value: seconds, or the HTTP date that many seconds from now (rounded up, so
        that a client reading the date never comes back early)."""
        if not self.retry_after_date:
            return str(seconds)
        when = dt.datetime.fromtimestamp(math.ceil(time.time()) + seconds, dt.UTC)
        return email.utils.format_datetime(when, usegmt=True)


async def _drain(receive: Receive) -> None:
    """Read the request's body to its end, unhandled."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return


class ConnectionCut(Exception):
    """Raised after the status line to make uvicorn close the socket: the client sees a dropped
    connection, not an answer."""


class _QuietCuts(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionCut))


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
        uvicorn_log = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, _QuietCuts) for f in uvicorn_log.filters):
            uvicorn_log.addFilter(_QuietCuts())  # a cut is the fault asked for, not a server error

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
        faults = self.traffic.faults
        is_write = scope["method"] in _WRITES

        def record(status: int, dropped: bool = False) -> None:
            nonlocal logged
            if not logged:
                logged = True
                self.traffic.log.add(LoggedRequest(decision.at, scope["method"], scope["path"], status,
                                                   admission.subject, dropped))

        async def send_logged(message: Message) -> None:
            # Log when the status line goes out, before the body: a client that has read the answer
            # must find its request in the log.
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
                status = message["status"]
                committed = is_write and status < 400 and admission.faultable
                if committed and faults.on_commit is not None:
                    faults.on_commit(scope["method"], scope["path"], status)
                if committed and faults.drop_answer():
                    record(status, dropped=True)
                    await send(message)
                    raise ConnectionCut
                record(status)
            await send(message)

        async def refuse(retry_s: float) -> None:
            retry = max(1, math.ceil(retry_s))
            response = self.policy.too_many(retry)
            response.headers.update({"Retry-After": faults.retry_after(retry),
                                     "X-RateLimit-Reset": str(int(time.time()) + retry)})
            await response(scope, receive, send_logged)

        try:
            if self.traffic.latency_s > 0:
                await asyncio.sleep(self.traffic.latency_s)
            if not decision.allowed:
                await refuse(decision.retry_after_s)
            elif admission.faultable and faults.storming():
                await refuse(faults.storm_retry_after_s)
            elif admission.faultable and faults.drop():
                # The body is read first: closing while it is still arriving makes the client's
                # kernel see a reset instead of an end, at random, and the fault must be one thing.
                await _drain(receive)
                record(CUT, dropped=True)
                await send({"type": "http.response.start", "status": 200, "headers": []})
                raise ConnectionCut
            elif admission.faultable and faults.strike():
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
