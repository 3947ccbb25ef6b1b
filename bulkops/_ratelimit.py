"""One rate limiter per platform token: a sliding window kept from our own side, corrected by what
the platform says (`X-ratelimit-limit`, `X-ratelimit-remaining`, `Retry-After`).

Our own window is the guarantee: a request may go only if fewer than `limit - margin` were sent in
the last `window_s` seconds. The headers can only make us more careful, never less. Until the first
answer has told us the platform's limit, only one request is in flight ("slow start"), so a burst of
concurrent tasks cannot overshoot a limit lower than the one we were configured with.

Protocol: call `acquire()` before every request and `observe(response)` after it (`observe(None)`
when no answer came). Slow start waits for that first `observe` (at most one window, in real time);
pass `slow_start=False` if you cannot promise it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

import httpx

__all__ = ["Clock", "RateLimiter", "Sleep", "retry_after"]

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    def __init__(self, limit: int, window_s: float = 60.0, *, margin: int = 0, slow_start: bool = True,
                 clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if window_s <= 0:
            raise ValueError("window_s must be positive")
        if margin < 0:
            raise ValueError("margin must not be negative")
        self.limit = limit
        self.window_s = window_s
        self.margin = margin
        self._clock = clock
        self._sleep = sleep
        # Send times and the platform's arrival times differ by network jitter; a little slack keeps
        # the platform's own window from ever seeing one request too many.
        self.slack_s = min(0.25, window_s * 0.01)
        self._sent: deque[float] = deque()
        self._blocked_until = 0.0
        self._lock = asyncio.Lock()
        self._learned = asyncio.Event()
        if not slow_start:
            self._learned.set()

    def __repr__(self) -> str:
        return f"RateLimiter(limit={self.limit}, window_s={self.window_s}, margin={self.margin})"

    @property
    def allowance(self) -> int:
        """Requests we allow ourselves per window: the limit less the safety margin (at least one)."""
        return max(1, self.limit - self.margin)

    async def acquire(self) -> None:
        """Wait until one more request keeps us within the limit, then count it as sent."""
        async with self._lock:  # one waiter at a time keeps the order fair (FIFO) and the count exact
            if self._sent and not self._learned.is_set():
                await self._first_answer()
            while True:
                wait = self._wait_needed(self._clock())
                if wait <= 0:
                    self._sent.append(self._clock())
                    return
                # Re-check after sleeping: a 429 or a lower limit may have arrived meanwhile.
                await self._sleep(wait)

    async def _first_answer(self) -> None:
        try:
            # Real time on purpose: a caller that never calls observe() must not hang us forever.
            await asyncio.wait_for(self._learned.wait(), timeout=self.window_s)
        except TimeoutError:
            self._learned.set()  # no word within a whole window: stop waiting for it

    def _wait_needed(self, now: float) -> float:
        while self._sent and self._sent[0] <= now - self.window_s - self.slack_s:
            self._sent.popleft()
        wait = self._blocked_until - now
        if len(self._sent) >= self.allowance:
            # The (len - allowance + 1)-th oldest send must leave the window; usually the oldest.
            leaving = self._sent[len(self._sent) - self.allowance]
            wait = max(wait, leaving + self.window_s + self.slack_s - now)
        return wait

    def observe(self, response: httpx.Response | None) -> None:
        """Learn from an answer; None means the request got no answer (it still counts as sent)."""
        self._learned.set()
        if response is None:
            return
        limit = _int_header(response, "x-ratelimit-limit")
        if limit is not None and 0 < limit < self.limit:
            self.limit = limit
        remaining = _int_header(response, "x-ratelimit-remaining")
        if remaining is not None and remaining <= self.margin:
            # The platform counts requests we may not know of (another process, an earlier run):
            # wait for our oldest send to leave the window before the next one.
            oldest = self._sent[0] if self._sent else self._clock()
            self.block_for(oldest + self.window_s + self.slack_s - self._clock())
        if response.status_code == 429:
            delay = retry_after(response)
            self.block_for(1.0 if delay is None else delay)

    def block_for(self, seconds: float) -> None:
        """Nobody sends for `seconds` from now (a 429's Retry-After); never shortens a longer block."""
        if seconds > 0:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)


def retry_after(response: httpx.Response) -> float | None:
    """`Retry-After` as seconds from now: the header holds either seconds or an HTTP date.

    None when the header is absent or unreadable; an HTTP date in the past gives 0.
    """
    value = (response.headers.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:  # "inf" or "nan" would block forever or confuse every comparison: treat as unreadable
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" or no zone: HTTP dates are always GMT
        when = when.replace(tzinfo=dt.UTC)
    return max(when.timestamp() - time.time(), 0.0)


def _int_header(response: httpx.Response, name: str) -> int | None:
    value = response.headers.get(name)  # httpx headers are case-insensitive
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None
