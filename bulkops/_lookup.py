"""The job layer's part of reference data: which dictionaries a job's lookup columns need, loaded from
the account's on-disk cache, and (for the commands that log in) read from the platform where the
cache lacks them. Validation receives them loaded (`bulkops.validation.validate_sheets(reference=)`).
docs/reference-data.md says it for users."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bulkops._config import Credentials
from bulkops._exceptions import ConfigError
from bulkops._sync import run_sync
from bulkops.engine import Pace, open_session
from bulkops.reference import Dictionary, Entry, Narrowed, Reference, ReferenceCache, Scope, load
from bulkops.registry import platform_named
from bulkops.validation import SheetInput, lookup_narrowing, lookup_values

NOT_CACHED = ("no fresh copy is cached for this account: plan and push read it from the platform, and so does "
              "validate --refresh-reference")
NO_ACCOUNT = "no credentials say which account's cached copy to use"


def reference_for(sheets: Sequence[SheetInput], platform: str, *, base_url: str,
                  creds: Credentials | Callable[[], Credentials] | None, account_of: Callable[[Credentials], str],
                  pace: Pace, online: bool, refresh: bool = False, folder: Path | None = None) -> Reference | None:
    """The dictionaries the sheets' lookup columns name, loaded once for the run. `online`: read what
    the cache lacks from the platform (logging in for it); otherwise the cache alone is used.
    `refresh`: read from the platform even what the cache holds (with `online` only). None: the
    platform has no dictionaries."""
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
        return run_sync(load(dictionaries, named, None, None, offline_reason=NO_ACCOUNT, narrowed=narrowed))
    cache = ReferenceCache(account_of(given), folder)
    if not online:
        return run_sync(load(dictionaries, named, cache, None, offline_reason=NOT_CACHED, narrowed=narrowed))
    return run_sync(_load_online(dictionaries, named, narrowed, cache, platform, base_url, given, pace, refresh))


async def _load_online(dictionaries: dict[str, Dictionary] | Any, named: dict[str, set[str]], narrowed: Narrowed,
                       cache: ReferenceCache, platform: str, base_url: str, creds: Credentials, pace: Pace,
                       refresh: bool) -> Reference:
    """Logs in only if a dictionary is to be read, and once for all of them."""
    async with contextlib.AsyncExitStack() as stack:
        sessions: list[Any] = []

        async def fetch(dictionary: Dictionary, scope: Scope) -> list[Entry]:
            if not sessions:
                sessions.append(await stack.enter_async_context(open_session(platform, base_url, creds, pace)))
            return await dictionary.load(sessions[0].client, scope)

        reference = await load(dictionaries, named, cache, fetch, refresh=refresh, narrowed=narrowed)
        reference.requests = sessions[0].requests_sent if sessions else 0  # a push counts them with its own
        return reference
