"""Test doubles shared across test modules."""

from __future__ import annotations

import asyncio


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
