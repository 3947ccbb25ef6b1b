"""A campaign's audiences (7) and contextual targeting (9) as the run's verbs, and as rows of the
Audiences and Contextual sheets (export and the live diff).

An item is named by a key: `(audience id, type)` for an audience, `(rule id,)` for a rule. Each verb
reads what a campaign holds as keys and writes lists of keys, choosing the route: replace (7.2, 9.2),
append (7.3, 9.3), or for a removal the route that takes off exactly those items (see `remove`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from bulkops.kinds import typed
from bulkops.platforms.smartyads.client import LIST_PAGE_SIZE
from bulkops.platforms.smartyads.kinds import AUDIENCES, CONTEXTUAL

Key = tuple[Any, ...]
ASSIGNED_KINDS = (AUDIENCES.name, CONTEXTUAL.name)


def _pages(count: int) -> int:
    return max(1, -(-count // LIST_PAGE_SIZE))


class CampaignAudiences:
    """The audiences of a campaign (7), keyed `(id, type)`."""

    kind_name = AUDIENCES.name

    def __init__(self, client: Any) -> None:
        self.client = client

    @staticmethod
    def key(payload: Mapping[str, Any]) -> Key:
        return (payload["audience"], payload.get("type"))

    @staticmethod
    def sendable(payload: Mapping[str, Any]) -> bool:
        return isinstance(payload.get("audience"), int)

    @staticmethod
    def removes(payload: Mapping[str, Any], held: Key) -> bool:
        """Whether a remove row takes off a held item: its ID, and its type unless the row leaves it blank."""
        return held[0] == payload["audience"] and payload.get("type") in (None, held[1])

    async def held(self, campaign_id: int) -> tuple[list[Key], int]:
        """What the campaign holds (7.1, every page), and the requests the read took."""
        found = await self.client.get_campaign_audiences(campaign_id)
        return [(entry.audience.id, entry.type) for entry in found], _pages(len(found))

    @staticmethod
    def reads(count: int) -> int:
        return _pages(count)

    async def replace(self, campaign_id: int, keys: Sequence[Key]) -> None:
        await self.client.replace_campaign_audiences(campaign_id, _items(keys))

    async def append(self, campaign_id: int, keys: Sequence[Key]) -> None:
        await self.client.append_campaign_audiences(campaign_id, _items(keys))

    async def remove(self, campaign_id: int, gone: Sequence[Key], remaining: Sequence[Key]) -> None:
        """7.4 deletes by audience ID whatever the type, and a first-party and a third-party audience
        may share an ID: when an ID removed is also held under another type that stays, the campaign's
        list is replaced by what remains (7.2) instead."""
        ids = sorted({key[0] for key in gone})
        if any(key[0] in ids for key in remaining):
            await self.replace(campaign_id, remaining)
        else:
            await self.client.remove_campaign_audiences(campaign_id, ids)


class CampaignContextual:
    """The contextual targeting rules of a campaign (9), keyed `(id,)`."""

    kind_name = CONTEXTUAL.name

    def __init__(self, client: Any) -> None:
        self.client = client

    @staticmethod
    def key(payload: Mapping[str, Any]) -> Key:
        return (payload["target"],)

    @staticmethod
    def sendable(payload: Mapping[str, Any]) -> bool:
        return isinstance(payload.get("target"), int)

    @staticmethod
    def removes(payload: Mapping[str, Any], held: Key) -> bool:
        return held[0] == payload["target"]

    async def held(self, campaign_id: int) -> tuple[list[Key], int]:
        """What the campaign holds (9.1: one answer), and 1 request."""
        return [(i,) for i in await self.client.get_campaign_contextual(campaign_id)], 1

    @staticmethod
    def reads(count: int) -> int:
        return 1

    async def replace(self, campaign_id: int, keys: Sequence[Key]) -> None:
        await self.client.replace_campaign_contextual(campaign_id, [key[0] for key in keys])

    async def append(self, campaign_id: int, keys: Sequence[Key]) -> None:
        await self.client.append_campaign_contextual(campaign_id, [key[0] for key in keys])

    async def remove(self, campaign_id: int, gone: Sequence[Key], remaining: Sequence[Key]) -> None:
        """9.4 removes every rule of the campaign (no IDs are documented): the rules that stay are
        sent as a replace (9.2); only when none stays is 9.4 used."""
        if remaining:
            await self.replace(campaign_id, remaining)
        else:
            await self.client.delete_campaign_contextual(campaign_id)


def _items(keys: Iterable[Key]) -> list[dict[str, Any]]:
    return [{"id": key[0], "type": key[1]} for key in keys]


def assigned_verbs(client: Any) -> dict[str, Any]:
    return {AUDIENCES.name: CampaignAudiences(client), CONTEXTUAL.name: CampaignContextual(client)}


# -- rows (export, live diff) -------------------------------------------------------------------

def audience_row(entry: Any) -> dict[str, Any]:
    """An assigned audience (7.1) as an Audiences row's values: by ID (a title may be shared)."""
    return {"audience": typed(AUDIENCES.column("audience"), entry.audience.id), "type": entry.type}


def contextual_row(rule_id: int) -> dict[str, Any]:
    return {"target": typed(CONTEXTUAL.column("target"), rule_id)}


def assigned_rows(state: dict[str, list[dict[str, Any]]], lists: Mapping[str, Mapping[int, Any]],
                  names: Iterable[str], parent: Callable[[int], str]) -> None:
    """The Audiences and Contextual rows of the campaigns read (`lists`: kind → campaign ID → what 7.1
    or 9.1 answered), each naming its campaign as `parent` does."""
    for kind_name, row_of in ((AUDIENCES.name, audience_row), (CONTEXTUAL.name, contextual_row)):
        if kind_name not in names:
            continue
        rows = state.setdefault(kind_name, [])
        for campaign_id, items in sorted(lists.get(kind_name, {}).items()):
            rows.extend({"campaign": parent(campaign_id), **row_of(item), "mode": None} for item in items)
