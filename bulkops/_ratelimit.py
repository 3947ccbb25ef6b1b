"""One rate limiter per platform token: a sliding window kept from our own side, corrected by what
the platform says (`X-ratelimit-limit`, `X-ratelimit-remaining`, `Retry-After`).

Our own window is the guarantee: a request may go only if fewer than `limit` were sent in the last
`window_s` seconds. The headers can only make us more careful, never less. Until the first answer
has told us the platform's limit, only one request is in flight ("slow start"), so a burst of
concurrent tasks cannot overshoot a limit lower than the one we were configured with.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections import deque
from collections.abc import Awaitable, Callable

import httpx

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    def __init__(self, limit: int, window_s: float = 60.0, *, margin: int = 0, clock: Clock = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window_s = window_s
        self.margin = margin
        self._clock = clock
        self._sleep = sleep
        # Send times and arrival times differ by network jitter; a little slack keeps the platform's
        # own window from ever seeing one request too many.
        self.slack_s = min(0.25, window_s * 0.05)
        self._sent: deque[float] = deque()
        self._blocked_until = 0.0
        self._lock = asyncio.Lock()
        self._learned = asyncio.Event()

    @property
    def allowance(self) -> int:
        return max(1, self.limit - self.margin)

    async def acquire(self) -> None:
        """Wait until one more request keeps us within the limit, then count it as sent."""
        async with self._lock:  # one waiter at a time keeps the order fair and the count exact
            if self._sent and not self._learned.is_set():
                await self._learned.wait()
            while True:
                now = self._clock()
                while self._sent and self._sent[0] <= now - self.window_s - self.slack_s:
                    self._sent.popleft()
                wait = max(self._blocked_until - now, 0.0)
                if not wait and len(self._sent) >= self.allowance:
                    wait = self._sent[0] + self.window_s + self.slack_s - now
                if wait <= 0:
                    self._sent.append(now)
                    return
                await self._sleep(wait)

    def observe(self, response: httpx.Response | None) -> None:
        """Learn from an answer; None means the request got no answer (it still counts as sent)."""
        self._learned.set()
        if response is None:
            return
        limit = _int_header(response, "x-ratelimit-limit")
        if limit is not None and 0 < limit < self.limit:
            self.limit = limit
        remaining = _int_header(response, "x-ratelimit-remaining")
        if remaining is not None and remaining <= 0 and self._sent:
            # The platform counts requests we may not know of (another process, an earlier run):
            # wait for our oldest send to leave the window before the next one.
            self.block_for(self._sent[0] + self.window_s + self.slack_s - self._clock())
        if response.status_code == 429:
            self.block_for(retry_after(response) or 1.0)

    def block_for(self, seconds: float) -> None:
        if seconds > 0:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)


def retry_after(response: httpx.Response) -> float | None:
    """`Retry-After` as seconds from now: the header holds either seconds or an HTTP date."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.replace(".", "", 1).isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _int_header(response: httpx.Response, name: str) -> int | None:
    value = response.headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
