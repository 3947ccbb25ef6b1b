"""The per-token rate limiter, on a fake clock: time moves only when the limiter sleeps."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulkops._ratelimit import RateLimiter, retry_after
from tests._fakes import FakeTime


def answer(status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers)


def most_in_any_window(sent: list[float], window: float) -> int:
    return max((sum(1 for t in sent if s <= t < s + window) for s in sent), default=0)


def limiter_on(fake: FakeTime, limit: int, window_s: float = 60.0, **kwargs) -> RateLimiter:
    return RateLimiter(limit, window_s, clock=fake.clock, sleep=fake.sleep, **kwargs)


def test_never_more_than_the_limit_in_any_window_under_200_concurrent_acquires():
    fake = FakeTime()
    limiter = limiter_on(fake, 50)
    sent: list[float] = []

    async def one():
        ticket = await limiter.acquire()
        sent.append(fake.now)
        limiter.observe(answer(), ticket)  # answered at once: time moves only in the limiter

    async def go():
        await asyncio.gather(*(one() for _ in range(200)))

    asyncio.run(go())
    assert len(sent) == 200
    assert most_in_any_window(sent, 60.0) == 50
    # ...and not needlessly slow: four windows' worth takes about three windows of waiting.
    assert fake.now - 1000.0 < 3 * (60.0 + limiter.slack_s) + 1


def test_a_request_counts_from_its_answer_not_its_send():
    # The platform counts a request when it arrives, which may be as late as our receiving the
    # answer; counting from the send let jitter put one request too many into its window.
    fake = FakeTime()
    limiter = limiter_on(fake, 2, 10.0, slow_start=False)

    async def go():
        first = await limiter.acquire()
        second = await limiter.acquire()
        fake.now += 3.0  # the first answer is slow
        limiter.observe(answer(), first)
        limiter.observe(answer(), second)
        await limiter.acquire()
        return fake.now

    assert asyncio.run(go()) == pytest.approx(1000.0 + 3.0 + 10.0 + limiter.slack_s)


def test_a_full_window_in_flight_waits_for_an_answer_not_for_the_clock():
    fake = FakeTime()
    limiter = limiter_on(fake, 2, 60.0, slow_start=False)
    order: list[str] = []

    async def answer_later(ticket):
        await asyncio.sleep(0)
        order.append("answered")
        limiter.observe(answer(), ticket)

    async def go():
        first = await limiter.acquire()
        await limiter.acquire()
        pending = asyncio.create_task(answer_later(first))
        await limiter.acquire()  # both in flight: polls until the first answer, then a window from it
        order.append("third sent")
        await pending

    asyncio.run(go())
    assert order == ["answered", "third sent"]
    assert fake.now >= 1000.0 + 60.0


def test_without_slow_start_and_without_observe_the_window_still_holds():
    fake = FakeTime()
    limiter = limiter_on(fake, 7, 10.0, slow_start=False)
    sent: list[float] = []

    async def one():
        await limiter.acquire()
        sent.append(fake.now)

    async def go():
        await asyncio.gather(*(one() for _ in range(200)))

    asyncio.run(go())
    assert len(sent) == 200 and most_in_any_window(sent, 10.0) == 7


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(1, 12), margin=st.integers(0, 3), window=st.sampled_from([1.0, 10.0, 60.0]),
       gaps=st.lists(st.floats(0, 5, allow_nan=False), min_size=1, max_size=60))
def test_property_no_window_ever_holds_more_than_limit_minus_margin(limit, margin, window, gaps):
    fake = FakeTime()
    limiter = limiter_on(fake, limit, window, margin=margin)
    sent: list[float] = []

    async def go():
        for gap in gaps:  # requests arriving at arbitrary times, one after another
            fake.now += gap
            await limiter.acquire()
            sent.append(fake.now)
            limiter.observe(answer())

    asyncio.run(go())
    assert most_in_any_window(sent, window) <= max(1, limit - margin)


def test_margin_keeps_a_few_requests_unused():
    fake = FakeTime()
    limiter = limiter_on(fake, 10, 60.0, margin=2)
    assert limiter.allowance == 8

    async def go():
        for _ in range(9):
            await limiter.acquire()
            limiter.observe(answer())

    asyncio.run(go())
    assert fake.now >= 1060.0  # the ninth waited for the first to leave the window


def test_slow_start_until_the_first_answer():
    fake = FakeTime()
    limiter = limiter_on(fake, 100, 1.0)
    order: list[str] = []

    async def first():
        await limiter.acquire()
        order.append("first sent")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        order.append("first answered")
        limiter.observe(answer(**{"X-ratelimit-limit": "3"}))

    async def other():
        await limiter.acquire()
        order.append("other sent")

    async def go():
        await asyncio.gather(first(), other())

    asyncio.run(go())
    assert order == ["first sent", "first answered", "other sent"]
    assert limiter.limit == 3


def test_no_answer_at_all_also_ends_slow_start():
    fake = FakeTime()
    limiter = limiter_on(fake, 100)

    async def go():
        await limiter.acquire()
        limiter.observe(None)  # the first request failed without an answer
        await asyncio.wait_for(limiter.acquire(), timeout=1)

    asyncio.run(go())


@pytest.mark.parametrize("name", ["X-ratelimit-limit", "x-ratelimit-limit", "X-RateLimit-Limit"])
def test_a_lower_limit_from_headers_is_adopted_a_higher_one_ignored(name):
    limiter = RateLimiter(500, 60.0)
    limiter.observe(answer(**{name: "20"}))
    assert limiter.limit == 20
    limiter.observe(answer(**{name: "900"}))
    limiter.observe(answer(**{name: "0"}))
    limiter.observe(answer(**{name: "lots"}))
    assert limiter.limit == 20


def test_the_adopted_lower_limit_paces_what_follows():
    fake = FakeTime()
    limiter = limiter_on(fake, 500, 60.0)
    sent: list[float] = []

    async def go():
        for _ in range(12):
            await limiter.acquire()
            sent.append(fake.now)
            limiter.observe(answer(**{"X-RateLimit-Limit": "5"}))

    asyncio.run(go())
    assert most_in_any_window(sent, 60.0) == 5


def test_remaining_zero_waits_for_the_oldest_send_to_leave_the_window():
    fake = FakeTime()
    limiter = limiter_on(fake, 500, 60.0)

    async def go():
        await limiter.acquire()  # at 1000
        limiter.observe(answer())
        fake.now += 5
        await limiter.acquire()  # at 1005
        # Someone else (another process on the same token) used the rest of the window:
        limiter.observe(answer(**{"X-ratelimit-limit": "500", "X-ratelimit-remaining": "0"}))
        await limiter.acquire()

    asyncio.run(go())
    assert 1060.0 <= fake.now <= 1061.0


def test_remaining_above_the_margin_does_not_wait():
    fake = FakeTime()
    limiter = limiter_on(fake, 500, 60.0)

    async def go():
        await limiter.acquire()
        limiter.observe(answer(**{"x-ratelimit-remaining": "1"}))
        await limiter.acquire()

    asyncio.run(go())
    assert fake.now == 1000.0


def test_retry_after_blocks_everyone():
    fake = FakeTime()
    limiter = limiter_on(fake, 100, 60.0)
    sent: list[float] = []

    async def one():
        await limiter.acquire()
        sent.append(fake.now)

    async def go():
        await limiter.acquire()
        limiter.observe(answer(429, **{"Retry-After": "7"}))
        await asyncio.gather(*(one() for _ in range(10)))

    asyncio.run(go())
    assert len(sent) == 10 and min(sent) >= 1007.0


def test_a_429_without_retry_after_still_pauses_everyone_briefly():
    fake = FakeTime()
    limiter = limiter_on(fake, 100, 60.0)

    async def go():
        await limiter.acquire()
        limiter.observe(answer(429))
        await limiter.acquire()

    asyncio.run(go())
    assert fake.now >= 1001.0


def test_block_for_extends_but_never_shortens():
    fake = FakeTime()
    limiter = limiter_on(fake, 100, 60.0)

    async def go():
        limiter.block_for(30)
        limiter.block_for(5)
        limiter.block_for(-3)
        await limiter.acquire()

    asyncio.run(go())
    assert fake.now == 1030.0


def test_a_block_that_arrives_while_waiting_is_honoured():
    fake = FakeTime()
    limiter = limiter_on(fake, 1, 10.0, slow_start=False)
    times: list[float] = []

    async def waiter():
        await limiter.acquire()
        times.append(fake.now)

    async def go():
        await limiter.acquire()  # the window is now full until 1010 (+ slack)
        task = asyncio.create_task(waiter())
        await asyncio.sleep(0)
        limiter.block_for(50)  # a 429 seen by another request meanwhile
        await task

    asyncio.run(go())
    assert times[0] >= 1050.0


@pytest.mark.parametrize("value,expected", [
    ("3", 3.0), (" 120 ", 120.0), ("1.5", 1.5), ("0", 0.0), ("-4", 0.0),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: go now
    ("soon", None), ("", None), ("inf", None), ("nan", None),
])
def test_retry_after_as_seconds_or_http_date(value, expected):
    assert retry_after(answer(429, **{"Retry-After": value})) == expected


def test_retry_after_http_date_in_the_future():
    future = email.utils.formatdate(time.time() + 90, usegmt=True)
    assert 88 <= retry_after(answer(429, **{"retry-after": future})) <= 91
    no_zone = email.utils.formatdate(time.time() + 90).replace("+0000", "-0000")
    assert 88 <= retry_after(answer(429, **{"Retry-After": no_zone})) <= 91
    assert retry_after(answer(429)) is None


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"limit": 5, "window_s": 0}, {"limit": 5, "margin": -1}])
def test_nonsense_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        RateLimiter(**kwargs)


def test_slow_start_gives_up_after_one_window_if_nobody_reports_back():
    limiter = RateLimiter(5, 0.05)  # real time, a 50 ms window

    async def go():
        await limiter.acquire()  # ...and never observe()
        await asyncio.wait_for(limiter.acquire(), timeout=2)

    asyncio.run(go())
