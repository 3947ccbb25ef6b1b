"""What every platform client shares: one HTTP exchange paced by a rate limiter, retried only when
that is safe, counted, logged without secrets. Platform clients add their auth and their routes.

How often, how long and which statuses come from the client's `RetryPolicy` (bulkops._retry);
which failures may be retried at all is decided here, by what the failure proves:
- 429: the platform refused before doing anything, so every method is retried after Retry-After
  (or a backoff when it gives none), and every task on the limiter waits, not only the one refused.
- Connection could not be opened: the request never left, so every method is retried.
- Any other transport failure, or a status the policy retries (502/503/504): retried only when
  repeating the call changes nothing (`replayable`); otherwise it raises (`TransportError.maybe_sent`,
  or `ApiError` with the 5xx status) and the caller looks before doing it again.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pydantic

from bulkops._answers import status_line
from bulkops._exceptions import (
    ApiError,
    ConfigError,
    PlatformError,
    RateLimitedError,
    RequestInfo,
    RunStopped,
    TransportError,
)
from bulkops._ratelimit import RateLimiter, Ticket, retry_after
from bulkops._retry import RetryPolicy

__all__ = ["HttpCore", "RequestStats", "lifetime_of"]

# The request provably never reached the server: no connection was opened (or none was free).
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_REDACTED = "[redacted]"
_MIN_SECRET_CHARS = 4  # scrubbing a 1-3 character "secret" out of every message would mangle them

Authorize = Callable[[httpx.Request], None]
Send = Callable[[], Awaitable[tuple[httpx.Response, int]]]
Renew = Callable[[int], Awaitable[None]]

# Re-logins one call may cause after 401s. Each after the first needs the refused token to have
# aged past half its life, so the bound only stops a loop, it does not decide a row.
_RENEWALS_PER_CALL = 5


def lifetime_of(expires_in: object) -> float | None:
    """A token answer's `expires_in`, in seconds as both platforms document it (SmartyAds sends it
    as a string in its example); None when it is missing or not a positive finite number."""
    if isinstance(expires_in, bool):
        return None
    try:
        seconds = float(expires_in)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return seconds if 0 < seconds < float("inf") else None


@dataclass
class RequestStats:
    """What a client has done so far; read it for a run's summary."""

    requests_sent: int = 0  # every HTTP request that went out, logins and retries included
    responses_429: int = 0
    retries: int = 0  # requests sent again after a 429, a 5xx or a transport failure
    relogins: int = 0  # logins because the platform refused a token (not the first, lazy one)
    refreshes: int = 0  # successful token refreshes (platforms with refresh tokens)
    sent_by_method: Counter[str] = field(default_factory=Counter)


class HttpCore:
    """The sending half of a platform client. Subclasses set `platform` (for messages), say which
    secrets to scrub (`_secrets`) and build their calls on `_send_paced`."""

    platform = "the platform"

    def __init__(self, base_url: str, *, log: logging.Logger, transport: httpx.AsyncBaseTransport | None,
                 timeout: float, retry: RetryPolicy, sleep: Callable[[float], Awaitable[None]],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), transport=transport, timeout=timeout,
                                       headers={"Accept": "application/json"})
        self._log = log
        # Replaced whole (it is frozen) when a run fixes its budget: `retry.for_job(...)`.
        self.retry = retry
        self._sleep = sleep
        self._jitter: Callable[[float, float], float] = random.uniform
        self._token: str | None = None
        self._old_tokens: set[str] = set()
        # Bumped on every new token: a task that saw a 401 under generation g gets a new token only
        # if nobody has since g, so twenty tasks refused at once cause one login.
        self._generation = 0
        # When the current token was taken, and how long the platform said it lasts (None: unknown).
        self._clock = clock
        self._token_taken_at: float | None = None
        self._token_lifetime_s: float | None = None
        self.stats = RequestStats()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._http.base_url)!r})"

    async def __aenter__(self):  # noqa: ANN204 - returns the subclass
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- secrets --------------------------------------------------------------------------------

    def _secrets(self) -> Iterable[str | None]:
        """Everything to scrub from quoted text; subclasses add their credentials."""
        return (self._token, *self._old_tokens)

    def _redact(self, text: str) -> str:
        # Longest first, so that a secret containing another is scrubbed whole.
        for secret in sorted((s for s in self._secrets() if s and len(s) >= _MIN_SECRET_CHARS), key=len,
                             reverse=True):
            text = text.replace(secret, _REDACTED)
        return text

    def _forget_token(self) -> None:
        if self._token is not None:
            self._old_tokens.add(self._token)  # still scrubbed from any text that quotes it
        self._token = None

    def _take_token(self, token: str, lifetime_s: float | None) -> None:
        """A new token is current: a new generation, aged from now."""
        self._forget_token()
        self._token = token
        self._token_taken_at = self._clock()
        self._token_lifetime_s = lifetime_s
        self._generation += 1

    def _refused_young(self, generation: int) -> bool:
        """The token of `generation` was refused before half its life: the platform will not take
        it, and another login would not help. A token that has lived longer may simply have run
        out while its request waited (a queue behind a 429 storm, backoffs), so it is renewed.

        Its age is counted from when its login was answered, which is never more than its true age
        by more than the login's own latency; half its life leaves room for that.
        """
        if generation != self._generation or self._token_taken_at is None:
            return False  # an older token: a newer one exists, try that
        if self._token_lifetime_s is None:
            return True  # no lifetime to age by: a current token refused is refused
        return self._clock() - self._token_taken_at < self._token_lifetime_s / 2

    async def _authenticated(self, send: Send, renew: Renew) -> httpx.Response:
        """`send` until it is not refused with a 401, renewing the token (`renew`, single flight)
        between tries. A young token refused fails the call: the login worked, so the credentials
        are good, and the call (its row) fails, not the run."""
        response, generation = await send()
        for _ in range(_RENEWALS_PER_CALL):
            if response.status_code != 401:
                return response
            await renew(generation)
            response, generation = await send()
            if response.status_code == 401 and self._refused_young(generation):
                break
        if response.status_code != 401:
            return response
        raise ApiError(f"{self.platform} refused a fresh token: {self._redact(self._message_of(response))}",
                       status_code=401, request=RequestInfo.of(response.request))

    # -- answers --------------------------------------------------------------------------------

    def _message_of(self, response: httpx.Response) -> str:
        """What the platform said in a failed answer; clients read their own error envelopes."""
        return status_line(response)

    def _unusable(self, response: httpx.Response, why: Exception, *, maybe_done: bool | None = None) -> PlatformError:
        """A 2xx we cannot read. After a POST (or any call that must not be repeated blindly:
        `maybe_done`) the change may well have been made, so the caller must look."""
        reason = _reason(why)
        request = RequestInfo.of(response.request)
        if maybe_done is None:
            maybe_done = response.request.method == "POST"
        if maybe_done:
            what = "created" if response.request.method == "POST" else "done"
            return TransportError(self._redact(f"{self.platform} answered {status_line(response)} but the answer "
                                               f"could not be read ({reason}); it may have been {what}"),
                                  request=request, maybe_sent=True)
        return ApiError(self._redact(f"{self.platform} answered {status_line(response)} with an unexpected body: "
                                     f"{reason}"), status_code=response.status_code, request=request)

    # -- sending --------------------------------------------------------------------------------

    async def _send_paced(self, method: str, path: str, *, limiter: RateLimiter, authorize: Authorize,
                          replayable: bool | None = None, **kwargs: Any) -> tuple[httpx.Response, int]:
        """Send with pacing and retries; the answer and the token generation it was sent with.

        `authorize` adds the credentials just before each attempt, so a retry carries the newest token.
        """
        if replayable is None:
            replayable = method != "POST"
        attempt = 0
        while True:
            # Built before the wait, so a payload that cannot be sent costs no slot.
            request = self._http.build_request(method, path, **kwargs)
            ticket = await limiter.acquire()
            generation = self._generation
            authorize(request)
            try:
                response = await self._transmit(request, limiter, ticket)
            except _NEVER_SENT as exc:
                if not self.retry.may_retry(attempt):
                    raise TransportError(f"cannot reach {self.platform}: {self._describe(exc)}",
                                         request=RequestInfo.of(request), maybe_sent=False) from None
                await self._backoff(attempt, request, exc)
            except httpx.UnsupportedProtocol:
                raise ConfigError(f"not an http(s) URL: {RequestInfo.of(request).url}") from None
            except httpx.RequestError as exc:
                if not replayable or not self.retry.may_retry(attempt):
                    raise TransportError(f"no answer from {self.platform}: {self._describe(exc)}",
                                         request=RequestInfo.of(request), maybe_sent=True) from None
                await self._backoff(attempt, request, exc)
            else:
                if response.status_code == 429:
                    self._after_429(response, attempt, limiter)
                elif (self.retry.retries_status(response.status_code, replayable=replayable)
                      and self.retry.may_retry(attempt)):
                    await self._backoff(attempt, request, response)
                else:
                    return response, generation
            attempt += 1

    async def _transmit(self, request: httpx.Request, limiter: RateLimiter, ticket: Ticket) -> httpx.Response:
        """One HTTP exchange: counted, logged (no headers, no body, no query) and shown to the limiter."""
        self.stats.requests_sent += 1
        self.stats.sent_by_method[request.method] += 1
        started = time.perf_counter()
        response: httpx.Response | None = None
        try:
            response = await self._http.send(request)
        except Exception as exc:
            self._log.debug("%s %s -> %s after %.3fs", request.method, request.url.path, type(exc).__name__,
                            time.perf_counter() - started)
            raise
        finally:
            limiter.observe(response, ticket)  # in `finally`: even a cancelled request must end slow start
        self._log.debug("%s %s -> %s in %.3fs", request.method, request.url.path, response.status_code,
                        time.perf_counter() - started)
        return response

    def _after_429(self, response: httpx.Response, attempt: int, limiter: RateLimiter) -> None:
        self.stats.responses_429 += 1
        if not self.retry.may_retry(attempt):
            raise RateLimitedError(f"{self.platform} kept answering 429 Too Many Requests after {attempt + 1} "
                                   "attempts", request=RequestInfo.of(response.request))
        delay = retry_after(response)
        if delay is None:
            delay = self._backoff_delay(attempt)
            self._spend_retry()
        else:
            # The platform said when to come back: that is pacing, not failing, so the run's budget
            # is not spent (the policy's retries still bound each call).
            self.stats.retries += 1
        # The platform's window is the token's, not this task's: everyone waits (in acquire()).
        limiter.block_for(delay)
        self._log.debug("%s %s -> 429; every request waits %.3fs", response.request.method,
                        response.request.url.path, delay)

    async def _backoff(self, attempt: int, request: httpx.Request, cause: object) -> None:
        delay = self._backoff_delay(attempt)
        self._spend_retry()
        what = cause.status_code if isinstance(cause, httpx.Response) else type(cause).__name__
        self._log.debug("%s %s -> %s; retrying in %.3fs", request.method, request.url.path, what, delay)
        await self._sleep(delay)

    def _spend_retry(self) -> None:
        self.stats.retries += 1
        budget = self.retry.budget
        if budget is not None and self.stats.retries > budget:
            raise RunStopped(f"{self.platform} kept failing, and the run's retry budget ({budget} retries) "
                             "is spent; run the same push again to go on where it stopped")

    def _backoff_delay(self, attempt: int) -> float:
        # Full jitter below the policy's ceiling: spreads retrying clients apart.
        return self._jitter(0.0, self.retry.backoff_ceiling(attempt))

    def _describe(self, exc: Exception) -> str:
        text = str(exc)
        return self._redact(type(exc).__name__ + (f": {text}" if text else ""))


def _reason(exc: Exception) -> str:
    """A short account of why a body could not be read; pydantic's own text quotes whole inputs."""
    if isinstance(exc, pydantic.ValidationError):
        parts = [f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:3]]
        return "; ".join(parts)
    if isinstance(exc, KeyError):
        return f"no {exc.args[0]!r} in it"
    if isinstance(exc, (TypeError, AttributeError)):
        return "it does not have the documented shape"
    return str(exc)
