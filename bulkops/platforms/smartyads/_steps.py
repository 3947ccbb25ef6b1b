"""SmartyAds' verbs per kind, behind the run's adapter protocol (`_execute.Adapter`) and
the steps' list verbs (`_steps.py`).

Everything platform-shaped lives here: which route replaces and which appends, what identifies an
item, how a long filter list travels (by file when one request cannot carry it).
"""

from __future__ import annotations

import asyncio
import csv
import io
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bulkops.engine import Adapter, NotKept, Written, not_kept
from bulkops.kinds import APPEND, REPLACE, item_key, kind_named
from bulkops.platforms.smartyads._audience_verbs import assigned_verbs
from bulkops.platforms.smartyads._export import answer_values, live_item_keys, sent_values
from bulkops.platforms.smartyads._routes import ENTITY_ROUTES, LIST_ROUTES, Route, routes_for
from bulkops.platforms.smartyads._settings_steps import Settings
from bulkops.platforms.smartyads.client import LIST_PAGE_SIZE

__all__ = ["LIST_PAGE_SIZE", "UNSHOWN_BY_CREATE", "Entities", "sends_unshown", "verbs_for"]

# Fields a create's answer is documented not to show, by kind: 11.3.5 answers the create of 11.3.2,
# which sent two IAB categories, excluded, with `contentCategories: []` and
# `contentCategoriesIsInclude: null`. A create's answer is not judged on them; the campaign list
# (11.1), which shows them, is read back instead, a page for many campaigns, when a create sent them.
UNSHOWN_BY_CREATE: dict[str, tuple[str, ...]] = {"campaigns": ("contentCategories", "contentCategoriesIsInclude")}


def sends_unshown(kind_name: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a create's payload its answer does not show, with their values as sent: what
    the read-back checks (nothing when the create sends none of them)."""
    return {name: payload[name] for name in UNSHOWN_BY_CREATE.get(kind_name, ())
            if payload.get(name) is not None and payload.get(name) != []}


class Entities(Adapter):
    """Create, update, delete and find by name one kind of object (`campaigns`, `creatives`,
    `filter-lists`), through the kind's declared routes (`_routes.ENTITY_ROUTES`): a kind without
    them is refused here. Names are read once per run, when needed.

    A create's and an update's answer carries the object (11.3.4, 11.4.4, 18.5.5–18.11.4, 20.3.4,
    20.4.4): what it shows of each field sent is compared with what was sent (`Written.not_kept`)."""

    def __init__(self, client, kind_name: str) -> None:
        self.client = client
        self.routes = routes_for(ENTITY_ROUTES, kind_name)
        self.kind_name = kind_name
        self._by_name: dict[str, list[int]] | None = None
        self._read_at = 0.0  # time.monotonic() when the listing in _by_name started
        self._highest = 0  # the highest ID any listing or create of this run has shown
        self._reading = asyncio.Lock()  # one listing at a time: many lost creates share one read

    async def create(self, payload: dict) -> Written:
        return self._made(await self.routes.create(self.client)(payload), payload)

    def _made(self, created: Any, sent: dict) -> Written:
        """What a create answered, checked (but for the fields its answer is documented not to show);
        its ID raises the run's highest ID of the kind."""
        self._highest = max(self._highest, created.id)
        unshown = UNSHOWN_BY_CREATE.get(self.kind_name, ())
        return self._checked(created, {k: v for k, v in sent.items() if k not in unshown})

    def _checked(self, answer: Any, sent: dict) -> Written:
        kind = kind_named("smartyads", self.kind_name)
        return Written(answer.id, not_kept(kind, sent_values(self.kind_name, sent),
                                           answer_values(self.kind_name, answer)))

    async def listed(self, ids: Iterable[int]) -> tuple[dict[int, Any], int]:
        """The objects of `ids` as the kind's list route shows them (11.1 for campaigns), and the
        requests the read took: LIST_PAGE_SIZE a page, the first page and then from the last page
        back (the list is in ID order, 11.1.4, so what this run made is on the last pages) until
        every one was seen."""
        wanted, found = set(ids), {}
        read = self.routes.page(self.client)
        first = await read(page=1, per_page=LIST_PAGE_SIZE)
        reads = 1
        pages_left = list(range(first.pagination.total_pages, 1, -1))
        items = first.items
        while True:
            found.update({item.id: item for item in items if item.id in wanted})
            if wanted <= set(found) or not pages_left:
                return found, reads
            items = (await read(page=pages_left.pop(0), per_page=LIST_PAGE_SIZE)).items
            reads += 1

    def kept_unshown(self, payload: Mapping[str, Any], listed: Any) -> tuple[NotKept, ...]:
        """What of a create's fields its answer did not show the listed object shows otherwise (a
        field the list leaves out too is not judged)."""
        kind = kind_named("smartyads", self.kind_name)
        return not_kept(kind, sent_values(self.kind_name, sends_unshown(self.kind_name, payload)),
                        answer_values(self.kind_name, listed))

    def highest_listed(self) -> int:
        """The highest ID of this kind this run has seen (0 before any): a create's watermark."""
        return self._highest

    async def update(self, object_id: int, payload: dict) -> Written:
        return self._checked(await self.routes.update(self.client)(object_id, payload), payload)

    async def delete(self, object_id: int) -> None:
        await self.routes.delete(self.client)(object_id)

    async def find(self, natural_key: str, newer_than: float = 0.0) -> list[int]:
        """IDs named `natural_key`, from a listing started after `newer_than`: a listing read before a
        create was sent cannot show what the create made."""
        async with self._reading:
            if self._by_name is None or self._read_at <= newer_than:
                started = time.monotonic()
                by_name: dict[str, list[int]] = {}
                async for obj in self.routes.every(self.client)():
                    by_name.setdefault(getattr(obj, self.routes.name_field), []).append(obj.id)
                    self._highest = max(self._highest, obj.id)
                self._by_name, self._read_at = by_name, started
        return list(self._by_name.get(natural_key, []))


class FilterLists(Entities):
    """A list travels with its items: inline when one request carries them, else as a file."""

    def __init__(self, client, item_cap: int) -> None:
        super().__init__(client, "filter-lists")
        self.item_cap = item_cap

    async def create(self, payload: dict) -> Written:
        body = {"isInclude": True, **payload}  # required by the API; blank on create means include
        return self._made(await self.client.create_filter_list(await self._carried(body)), body)

    async def update(self, object_id: int, payload: dict) -> Written:
        body = dict(payload)
        body.pop("type", None)  # PUT takes title, isInclude and items (20.4.1); the type is fixed
        if "items" not in body:
            # PUT replaces the whole list: without items it would empty it, so send what is there.
            body["items"] = (await self.client.get_filter_list(object_id)).items
        return self._checked(await self.client.replace_filter_list(object_id, await self._carried(body)), body)

    async def items(self, list_id: int) -> list[str]:
        """The list's items (20.2: one answer, no pages)."""
        return list((await self.client.get_filter_list(list_id)).items)

    async def replace_items(self, list_id: int, items: Sequence[str]) -> None:
        await self.client.replace_filter_list(list_id, await self._carried({"items": list(items)}))

    async def _carried(self, payload: dict) -> dict:
        items = payload.get("items")
        if items is None or len(items) <= self.item_cap:
            return payload
        # Too many for one request, and there is no append route: the file route takes any length.
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([str(item)] for item in items)  # quoted: URLs hold commas
        body = text.getvalue().encode()
        parsed = await self.client.parse_filter_file("items.csv", body)
        return {k: v for k, v in payload.items() if k != "items"} | {"fileName": parsed.fileName}


class Media:
    def __init__(self, client) -> None:
        self.client = client

    async def upload(self, media_type: str, paths: Sequence[str]) -> list[int]:
        files = [(Path(p).name, Path(p).read_bytes(), _content_type(p)) for p in paths]
        return [m.id for m in await self.client.upload_media(media_type, files)]


def _content_type(path: str) -> str:
    suffix = Path(path).suffix.casefold()
    return {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
            ".zip": "application/zip", ".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm"
            }.get(suffix, "application/octet-stream")


# What names an item of a campaign's list with an append route: an item already there with these is
# not sent again by an append.
TARGET_IDENTITY: dict[str, tuple[str, ...]] = {"geo-zip": ("zip", "iso2", "include"),
                                               "geo-gps": ("lat", "lng", "radius", "include")}


def target_key(kind_name: str, item: Mapping[str, Any]) -> tuple:
    """An item of a campaign's ZIPs or circles (a payload, or an item as read) by what names it."""
    return tuple(_norm(item.get(f)) for f in TARGET_IDENTITY[kind_name])


# The campaign lists each verb class sends, of those `_routes.LIST_ROUTES` declares.
TARGET_LISTS = {name: LIST_ROUTES[name] for name in ("geo-zip", "geo-gps")}
ASSIGNED = {name: LIST_ROUTES[name] for name in ("creatives", "filter-lists")}


class TargetList:
    """A campaign's list with replace (POST), append (PATCH) and read (GET) routes: ZIPs (`geo-zip`),
    circles (`geo-gps`). A kind without them is refused here."""

    def __init__(self, client, kind_name: str) -> None:
        self.client = client
        self.routes = routes_for(TARGET_LISTS, kind_name)
        if self.routes.append is None:
            raise ValueError(f"SmartyAds has no append route for {kind_name!r}")
        self._append: Route = self.routes.append
        self.kind_name = kind_name  # also how the list's items read back

    async def held(self, campaign_id: int) -> tuple[set[str], int]:
        """What the campaign's list holds, every page of it: the `item_key` of each item, and the
        requests the read took."""
        found = await self.routes.read(self.client)(campaign_id)
        return live_item_keys(self.kind_name, found), pages(len(found))

    @staticmethod
    def sent_key(item: Mapping[str, Any]) -> str:
        return item_key(item)

    async def send(self, campaign_id: int, items: Sequence[Mapping[str, Any]], how: str) -> None:
        sending = self.routes.replace if how == REPLACE else self._append
        await sending(self.client)(campaign_id, list(items))

    async def current(self, campaign_id: int) -> set[tuple]:
        found = await self.routes.read(self.client)(campaign_id)
        return {self.key(item.model_dump()) for item in found}

    def key(self, item: Mapping[str, Any]) -> tuple:
        return target_key(self.kind_name, item)


class Deals:
    """Deals replace (POST) and delete only: append and remove read the list first."""

    def __init__(self, client) -> None:
        self.client = client

    async def replace(self, campaign_id: int, deals: Sequence[Mapping[str, Any]]) -> None:
        await self.client.replace_deals(campaign_id, list(deals))

    async def current(self, campaign_id: int) -> list[Any]:
        return list(await self.client.get_deals(campaign_id))

    async def held(self, campaign_id: int) -> tuple[set[str], int]:
        """The `item_key` of each deal of the campaign (8.2, `deals-all`: one answer), and 1 request."""
        return live_item_keys("deals", await self.current(campaign_id)), 1

    @staticmethod
    def sent_key(item: Mapping[str, Any]) -> str:
        return item_key(item)

    async def delete(self, campaign_id: int, record_ids: Sequence[int]) -> None:
        await self.client.delete_deals(campaign_id, list(record_ids))


class Assignments:
    """Which creatives / filter lists a campaign uses: `what` is `creatives` or `filter-lists` (any
    other is refused here)."""

    def __init__(self, client, what: str) -> None:
        self.client = client
        self.routes = routes_for(ASSIGNED, what)
        self.what = what

    async def send(self, campaign_id: int, ids: Sequence[int], how: str, present: Iterable[int] = ()) -> None:
        """`present`: what the campaign holds before this append (filter lists have no append route:
        the union is sent), as the caller knows it."""
        if self.routes.append is not None:
            sending = self.routes.replace if how == REPLACE else self.routes.append
            await sending(self.client)(campaign_id, list(ids))
            return
        if how == APPEND:
            ids = sorted(set(ids) | set(present))
        await self.routes.replace(self.client)(campaign_id, list(ids))

    async def remove(self, campaign_id: int, ids: Sequence[int]) -> None:
        """Take these off the campaign (19.4, 21.3: DELETE with their IDs); they stay on the platform."""
        assert self.routes.remove is not None
        await self.routes.remove(self.client)(campaign_id, list(ids))

    async def current(self, campaign_id: int) -> set[int]:
        found = await self.routes.read(self.client)(campaign_id)
        # The client reads a campaign's creatives as objects, its filter lists as their IDs.
        return {c.id for c in found} if self.what == "creatives" else set(found)

    async def held(self, campaign_id: int) -> tuple[set[int], int]:
        """The IDs assigned to the campaign, every page of them, and the requests the read took."""
        found = await self.current(campaign_id)
        return found, pages(len(found))


def pages(count: int) -> int:
    """Requests a read of every page of a list of `count` items takes (an empty list is one page)."""
    return max(1, -(-count // LIST_PAGE_SIZE))


def _norm(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.casefold()
    return value


def verbs_for(client, item_cap: int) -> dict[str, Any]:
    return {
        "campaigns": Entities(client, "campaigns"),
        "creatives": Entities(client, "creatives"),
        "filter-lists": FilterLists(client, item_cap),
        "media": Media(client),
        "geo-zip": TargetList(client, "geo-zip"),
        "geo-gps": TargetList(client, "geo-gps"),
        "deals": Deals(client),
        "assign-creatives": Assignments(client, "creatives"),
        "assign-filter-lists": Assignments(client, "filter-lists"),
        **assigned_verbs(client),  # audiences, contextual
        "campaign-settings": Settings(client),
    }
