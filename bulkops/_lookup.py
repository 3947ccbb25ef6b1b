"""The job layer's part of reference data: which dictionaries a job's lookup columns need, loaded from
the account's on-disk cache, and (for the commands that log in) read from the platform where the
cache lacks them. Validation receives them loaded (`bulkops.validation.validate_sheets(reference=)`).
docs/reference-data.md says it for users."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bulkops._config import Credentials
from bulkops._exceptions import ConfigError
from bulkops._sync import run_sync
from bulkops.engine import Pace, SessionOnDemand
from bulkops.reference import Dictionary, Entry, Narrowed, Reference, ReferenceCache, Scope, load
from bulkops.registry import platform_named
from bulkops.validation import SheetInput, lookup_narrowing, lookup_values

NOT_CACHED = ("no fresh copy is cached for this account: plan and push read it from the platform, and so does "
              "validate --refresh-reference")
NO_ACCOUNT = "no credentials say which account's cached copy to use"


def reference_for(sheets: Sequence[SheetInput], platform: str, *, base_url: str,
                  creds: Credentials | Callable[[], Credentials] | None, account_of: Callable[[Credentials], str],
                  pace: Pace, online: bool, refresh: bool = False, folder: Path | None = None) -> Reference | None:
    """`reference_loaded` from synchronous code, in a session of its own when it must log in
    (`validate --refresh-reference`)."""
    return run_sync(reference_loaded(sheets, platform, base_url=base_url, creds=creds, account_of=account_of,
                                     pace=pace, online=online, refresh=refresh, folder=folder))


async def reference_loaded(sheets: Sequence[SheetInput], platform: str, *, base_url: str,
                           creds: Credentials | Callable[[], Credentials] | None,
                           account_of: Callable[[Credentials], str], pace: Pace, online: bool, refresh: bool = False,
                           folder: Path | None = None, session: SessionOnDemand | None = None) -> Reference | None:
    """The dictionaries the sheets' lookup columns name, loaded once for the run. `online`: read what
    the cache lacks from the platform (logging in for it); otherwise the cache alone is used.
    `refresh`: read from the platform even what the cache holds (with `online` only). `session`: the
    job's own session, shared so that the job logs in once (None: one of its own, closed after the
    reads). None: the platform has no dictionaries."""
    dictionaries = platform_named(platform).reference
    if not dictionaries:
        return None
    named, narrowed = lookup_values(sheets), lookup_narrowing(sheets)
    if not any(named.get(name) for name in dictionaries):
        return Reference()
    try:
        given = creds() if callable(creds) else creds
    except ConfigError:
        given = None
    if given is None:
        return await load(dictionaries, named, None, None, offline_reason=NO_ACCOUNT, narrowed=narrowed)
    cache = ReferenceCache(account_of(given), folder)
    if not online:
        return await load(dictionaries, named, cache, None, offline_reason=NOT_CACHED, narrowed=narrowed)
    if session is not None:
        return await _load_online(dictionaries, named, narrowed, cache, session, refresh)
    async with SessionOnDemand(platform, base_url, given, pace) as own:
        return await _load_online(dictionaries, named, narrowed, cache, own, refresh)


async def _load_online(dictionaries: dict[str, Dictionary] | Any, named: dict[str, set[str]], narrowed: Narrowed,
                       cache: ReferenceCache, session: SessionOnDemand, refresh: bool) -> Reference:
    """Logs in (opens the session) only if a dictionary is to be read, and once for all of them."""
    before = session.requests_sent

    async def fetch(dictionary: Dictionary, scope: Scope) -> list[Entry]:
        return await dictionary.load((await session.get()).client, scope)

    reference = await load(dictionaries, named, cache, fetch, refresh=refresh, narrowed=narrowed)
    reference.requests = session.requests_sent - before  # the login too, when the reads opened the session
    return reference
