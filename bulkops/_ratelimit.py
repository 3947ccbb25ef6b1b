"""One rate limiter per platform token: a sliding window kept from our own side, corrected by what
the platform says (`X-ratelimit-limit`, `X-ratelimit-remaining`, `Retry-After`).

Our own window is the guarantee: a request may go only if fewer than `limit - margin` may have
reached the platform in the last `window_s` seconds. A request reaches the platform somewhere between
our send and its answer, so an answered request counts from its answer and an unanswered one counts
as arriving now; counting from the send alone let network jitter put one request too many into the
platform's window. The headers can only make us more careful, never less. Until the first
answer has told us the platform's limit, only one request is in flight ("slow start"), so a burst of
concurrent tasks cannot overshoot a limit lower than the one we were configured with.

Protocol: `ticket = await acquire()` before every request and `observe(response, ticket)` after it
(`observe(None, ticket)` when no answer came). Slow start waits for that first `observe` (at most
one window, in real time); pass `slow_start=False` if you cannot promise it.
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

__all__ = ["Clock", "RateLimiter", "Sleep", "Ticket", "retry_after"]

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class Ticket:
    """One request's place in the window: when it was sent and, once answered, when the answer came."""

    __slots__ = ("answered_at", "sent_at")

    def __init__(self, sent_at: float) -> None:
        self.sent_at = sent_at
        self.answered_at: float | None = None

    def latest_arrival(self, now: float, longest_flight: float) -> float:
        """The latest moment the platform may have counted this request.

        A request never answered (its `observe` was skipped) is taken to have arrived at most
        `longest_flight` after it was sent, so a missing answer slows us down but never stalls us.
        """
        if self.answered_at is not None:
            return self.answered_at
        return min(now, self.sent_at + longest_flight)

    def in_flight(self, now: float, longest_flight: float) -> bool:
        return self.answered_at is None and now < self.sent_at + longest_flight


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
        self._poll_s = min(0.05, window_s * 0.01)
        self._sent: deque[Ticket] = deque()
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

    async def acquire(self) -> Ticket:
        """Wait until one more request keeps us within the limit, then count it as sent."""
        async with self._lock:  # one waiter at a time keeps the order fair (FIFO) and the count exact
            if self._sent and not self._learned.is_set():
                await self._first_answer()
            while True:
                wait = self._wait_needed(self._clock())
                if wait <= 0:
                    ticket = Ticket(self._clock())
                    self._sent.append(ticket)
                    return ticket
                # Re-check after sleeping: a 429 or a lower limit may have arrived meanwhile.
                await self._sleep(wait)

    async def _first_answer(self) -> None:
        try:
            # Real time on purpose: a caller that never calls observe() must not hang us forever.
            await asyncio.wait_for(self._learned.wait(), timeout=self.window_s)
        except TimeoutError:
            self._learned.set()  # no word within a whole window: stop waiting for it

    def _wait_needed(self, now: float) -> float:
        flight = self.window_s  # far beyond any HTTP timeout we use
        horizon = now - self.window_s - self.slack_s
        while self._sent and self._sent[0].latest_arrival(now, flight) <= horizon:
            self._sent.popleft()
        # Answers come back out of order, so an older ticket may outlive a newer one: keep only
        # those still inside the window, ordered by when each may have arrived (answered first on a tie).
        inside = sorted((t for t in self._sent if t.latest_arrival(now, flight) > horizon),
                        key=lambda t: (t.latest_arrival(now, flight), t.in_flight(now, flight)))
        wait = self._blocked_until - now
        if len(inside) >= self.allowance:
            leaving = inside[len(inside) - self.allowance]
            if leaving.in_flight(now, flight):
                # Its answer, not the clock, frees the slot; look again shortly.
                wait = max(wait, min(self._poll_s, leaving.sent_at + flight - now))
            else:
                wait = max(wait, leaving.latest_arrival(now, flight) + self.window_s + self.slack_s - now)
        return wait

    def observe(self, response: httpx.Response | None, ticket: Ticket | None = None) -> None:
        """Learn from an answer; None means the request got no answer (it still counts as sent).

        Without a ticket the oldest unanswered request is taken as the one answered.
        """
        self._learned.set()
        self._answered(ticket)
        if response is None:
            return
        limit = _int_header(response, "x-ratelimit-limit")
        if limit is not None and 0 < limit < self.limit:
            self.limit = limit
        remaining = _int_header(response, "x-ratelimit-remaining")
        if remaining is not None and remaining <= self.margin:
            # The platform counts requests we may not know of (another process, an earlier run):
            # wait for our oldest send to leave the window before the next one.
            now = self._clock()
            oldest = min((t.latest_arrival(now, self.window_s) for t in self._sent), default=now)
            self.block_for(oldest + self.window_s + self.slack_s - now)
        if response.status_code == 429:
            delay = retry_after(response)
            self.block_for(1.0 if delay is None else delay)

    def _answered(self, ticket: Ticket | None) -> None:
        if ticket is None:
            ticket = next((t for t in self._sent if t.answered_at is None), None)
        if ticket is not None and ticket.answered_at is None:
            ticket.answered_at = self._clock()

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
