"""A push's events as pages follow them: kept within a bound however long the push runs, every one
sent while nothing has gone."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bulkops.ui._session import PushRun


async def _followed(run: PushRun, start: int) -> list[tuple[int, str, str]]:
    return [event async for event in run.follow(start)]


def test_a_long_push_keeps_only_the_latest_progress_and_a_bounded_number_of_events(tmp_path: Path):
    async def scenario() -> tuple[PushRun, list[tuple[int, str, str]], list[tuple[int, str, str]]]:
        run = PushRun(tmp_path / "results.xlsx", keep=200)
        for second in range(100_000):  # a push of hours, its progress line sent four times a second
            run.add("progress", f"<p>{second} requests done.</p>")
            if second % 1000 == 0:
                run.add("rows", f"<tr><td>{second}</td></tr>")
        late = asyncio.create_task(_followed(run, 7))  # a page that reconnects after event 6
        await asyncio.sleep(0)
        run.add("finished", "<p>Done.</p>")
        run.finish()
        return run, await late, await _followed(run, 0)

    run, reconnected, reopened = asyncio.run(scenario())
    assert len(run.events) <= 200
    progress = [html for _, name, html in reconnected if name == "progress"]
    assert progress == ["<p>99999 requests done.</p>"]  # the latest line, not every one it missed
    rows = [html for _, name, html in reconnected if name == "rows"]
    assert rows == [f"<tr><td>{s}</td></tr>" for s in range(1000, 100_000, 1000)]  # the first came before 7
    assert reconnected[-1][1:] == ("finished", "<p>Done.</p>")
    numbers = [number for number, _, _ in reconnected]
    assert numbers == sorted(numbers) and numbers[0] >= 7  # numbered as sent, so a later reconnect resumes
    assert reopened == [(1, "rows", "<tr><td>0</td></tr>"), *reconnected]


def test_past_the_bound_the_oldest_events_go(tmp_path: Path):
    async def scenario() -> list[tuple[int, str, str]]:
        run = PushRun(tmp_path / "results.xlsx", keep=3)
        for number in range(10):
            run.add("rows", f"<tr><td>{number}</td></tr>")
        run.finish()
        return await _followed(run, 0)

    assert [number for number, _, _ in asyncio.run(scenario())] == [7, 8, 9]


def test_within_the_bound_a_page_is_sent_every_event(tmp_path: Path):
    async def scenario() -> list[tuple[int, str, str]]:
        run = PushRun(tmp_path / "results.xlsx", keep=10)
        for number in range(5):
            run.add("progress", f"<p>{number}</p>")
        run.finish()
        return await _followed(run, 2)

    assert [number for number, _, _ in asyncio.run(scenario())] == [2, 3, 4]
