"""`bulkops export` as a library function: log in, read the live state (paced and retried like a
push), write the workbook or the CSVs."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bulkops._config import Credentials
from bulkops._control import ProgressCallback, counting
from bulkops._sync import run_sync
from bulkops.engine import DEFAULT_PACE, Pace, open_session
from bulkops.exporter._media import MediaSaved, media_folder, save_media
from bulkops.exporter._unmodelled import Unmodelled, unmodelled
from bulkops.kinds import Kind, kind_named, kinds_for
from bulkops.registry import ReadState, State, offered, platform_named


@dataclass
class ExportReport:
    platform: str
    base_url: str
    paths: list[Path]
    counts: dict[str, int]  # sheet → rows
    requests_sent: int = 0
    responses_429: int = 0
    duration_s: float = 0.0
    started_at: str = ""
    kinds: list[str] = field(default_factory=list)
    media: MediaSaved | None = None  # with `media`: the files saved beside the export
    unmodelled: int = 0  # fields of the objects read that no sheet holds (listed on the Summary)
    unmodelled_path: Path | None = None  # a CSV export's list of them, beside the CSVs


def exporter_for(platform: str) -> ReadState:
    return offered(platform, "export", lambda p: p.read_state)


def export_account(platform: str, *, base_url: str, creds: Credentials | Callable[[], Credentials],
                   **settings) -> ExportReport:
    """`export_job`, to the end, from synchronous code (inside a running event loop too)."""
    return run_sync(export_job(platform, base_url=base_url, creds=creds, offload=False, **settings))


async def export_job(platform: str, *, base_url: str, creds: Credentials | Callable[[], Credentials],
                     output: Path | None = None, kinds: Sequence[str] = (), campaign_ids: Sequence[int] | None = None,
                     as_csv: bool = False, progress: ProgressCallback | None = None, pace: Pace = DEFAULT_PACE,
                     offload: bool = True, media: bool = False) -> ExportReport:
    """Read the account (or `campaign_ids` and what they use) and write it in the template format:
    `output` is a workbook (default `PLATFORM-state.xlsx`), or with `as_csv` a folder of CSVs.
    `progress` hears the reads as they are answered; `offload`: write the files in a worker thread,
    so that the caller's event loop stays free. `media`: save the creatives' files beside the export
    (`bulkops.exporter._media`) and name them in their file columns."""
    read_state = exporter_for(platform)
    chosen = _kinds(platform, kinds)
    creds = creds() if callable(creds) else creds
    started, clock = dt.datetime.now(dt.UTC), time.monotonic()
    report = ExportReport(platform, base_url, [], {}, started_at=started.isoformat(timespec="seconds"),
                          kinds=[k.name for k in chosen])
    more = counting(progress, "export")  # one count: the reads, then the files saved
    state = await _read(read_state, platform, base_url, creds, pace, chosen, campaign_ids, more, report)
    if media:
        target = Path(output or (f"{platform}-state" if as_csv else f"{platform}-state.xlsx")).resolve()
        report.media = await save_media(state, media_folder(target, as_csv), target if as_csv else target.parent,
                                        base_url, more)
    report.duration_s = time.monotonic() - clock
    report.counts = {k.sheet: len(state.get(k.name, ())) for k in chosen}
    left = unmodelled(chosen, state, platform_named(platform).not_settings)
    report.unmodelled = len(left)
    write = asyncio.to_thread if offload else _now
    report.paths = await write(_write, platform, base_url, chosen, state, output, as_csv, campaign_ids, report, left)
    return report


async def _now(work: Callable[..., list[Path]], *args: object) -> list[Path]:
    return work(*args)


def _write(platform: str, base_url: str, chosen: Sequence[Kind], state: State, output: Path | None, as_csv: bool,
           campaign_ids: Sequence[int] | None, report: ExportReport, left: Sequence[Unmodelled]) -> list[Path]:
    from bulkops.exporter._write import write_csvs, write_unmodelled, write_workbook

    if as_csv:
        folder = Path(output or f"{platform}-state")
        written = write_csvs(chosen, state, folder)
        report.unmodelled_path = write_unmodelled(left, folder) if left else None
        return written
    facts = [("Platform", platform), ("Base URL", base_url), ("Command", "export"),
             ("Exported at", report.started_at), ("Campaigns asked for", _asked(campaign_ids)),
             ("Requests sent", report.requests_sent), ("429 answers met", report.responses_429),
             *_media_facts(report.media)]
    return [write_workbook(chosen, state, Path(output or f"{platform}-state.xlsx"), facts, left)]


def _media_facts(saved: MediaSaved | None) -> list[tuple[str, object]]:
    if saved is None:
        return []
    facts: list[tuple[str, object]] = [("Media folder", saved.folder.name),
                                       ("Media files saved", saved.written + saved.kept)]
    if saved.missed:
        facts.append(("Media not saved", "; ".join(f"{ref}: {why}" for ref, why in saved.missed)))
    return facts


def _asked(campaign_ids: Sequence[int] | None) -> str:
    return "all" if campaign_ids is None else ", ".join(map(str, campaign_ids))


def _kinds(platform: str, names: Sequence[str]) -> tuple[Kind, ...]:
    available = kinds_for(platform)
    if not names or "all" in names:
        return available
    wanted = {kind_named(platform, name).name for name in names}
    return tuple(k for k in available if k.name in wanted)


async def _read(read_state, platform: str, base_url: str, creds: Credentials, pace: Pace, kinds: Sequence[Kind],
                campaign_ids: Sequence[int] | None, more: Callable[[int], None], report: ExportReport) -> State:
    async with open_session(platform, base_url, creds, pace) as session:
        try:
            return await read_state(session.client, kinds, campaign_ids, more)
        finally:
            report.requests_sent = session.requests_sent
            report.responses_429 = session.responses_429

