from __future__ import annotations

import asyncio

import httpx

from bulkops._ratelimit import RateLimiter, retry_after


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def answer(status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers)


def test_never_more_than_the_limit_in_any_window_under_heavy_concurrency():
    fake = FakeTime()
    limiter = RateLimiter(50, 60.0, clock=fake.clock, sleep=fake.sleep)
    sent: list[float] = []

    async def one():
        await limiter.acquire()
        sent.append(fake.now)
        limiter.observe(answer())

    async def go():
        await asyncio.gather(*(one() for _ in range(200)))

    asyncio.run(go())
    assert len(sent) == 200
    window = 60.0
    assert max(sum(1 for t in sent if s <= t < s + window) for s in sent) <= 50
    # ...and it is not needlessly slow: four windows' worth takes about three windows of waiting.
    assert fake.now - 1000.0 < 3 * (window + limiter.slack_s) + 1


def test_slow_start_until_the_first_answer():
    fake = FakeTime()
    limiter = RateLimiter(100, 1.0, clock=fake.clock, sleep=fake.sleep)
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


def test_a_lower_limit_from_headers_is_adopted_a_higher_one_ignored():
    limiter = RateLimiter(500, 60.0)
    limiter.observe(answer(**{"X-ratelimit-limit": "20"}))
    assert limiter.limit == 20
    limiter.observe(answer(**{"X-ratelimit-limit": "900"}))
    assert limiter.limit == 20


def test_retry_after_blocks_everyone():
    fake = FakeTime()
    limiter = RateLimiter(100, 60.0, clock=fake.clock, sleep=fake.sleep)

    async def go():
        await limiter.acquire()
        limiter.observe(answer(429, **{"Retry-After": "7"}))
        await limiter.acquire()

    asyncio.run(go())
    assert fake.now >= 1007.0


def test_retry_after_as_seconds_or_http_date():
    assert retry_after(answer(429, **{"Retry-After": "3"})) == 3.0
    assert 0 <= retry_after(answer(429, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) < 1
    assert retry_after(answer(429)) is None
    assert retry_after(answer(429, **{"Retry-After": "soon"})) is None
