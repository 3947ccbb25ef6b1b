"""SmartyAds' live state as rows of its kinds: for `export` (the whole account or some campaigns) and
for the live diff of `plan` and `push` (exactly the objects and lists a job touches).

Every page of every list is read; per campaign its creatives, ZIPs, circles, deals (`deals-all`),
filter lists, audiences (7.1) and contextual targeting (9.1); each filter list with its items
(`GET api/filterlist/{id}`). Refs are made from the platform's IDs (`campaign-12`, `creative-7`,
`filter-list-3`), so they are stable from one export to the next and unique in the job. What the
answers cannot give back is left blank: a creative's media files (they are on the platform, not on
this computer) and its IAB categories (no answer shows them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops.kinds import Kind, fields_of, item_key, typed, value_at, values_at
from bulkops.platforms.smartyads._audience_verbs import ASSIGNED_KINDS, assigned_rows
from bulkops.platforms.smartyads._live_settings import RULES, campaign_settings, unique_rule_names
from bulkops.platforms.smartyads._routes import CAMPAIGN_ROUTES, CREATIVE_ROUTES, FILTER_LIST_ROUTES, LIST_ROUTES, Route
from bulkops.platforms.smartyads.kinds import (
    CAMPAIGNS,
    CREATIVES,
    DEALS,
    FILTER_LIST_ITEMS,
    FILTER_LISTS,
    FORMAT_USES,
    FORMATS,
    GEO_GPS,
    GEO_ZIP,
    IN_SECTION,
    MRAID,
    SECTIONS,
    SENT_AS_IS,
    SETTING_FIELDS,
    is_default_setting,
)
from bulkops.registry import MEDIA_URLS, RAW_OBJECT, State, Touched

REF_PREFIX = {"campaigns": "campaign", "creatives": "creative", "filter-lists": "filter-list"}
# What of an object as read is no setting the export's Summary must list (`Platform.not_settings`):
# bookkeeping (the owner, timestamps, counters), and what another sheet or column holds under another
# shape: a creative's uploaded media and what is measured from it (its Media File column: the file is
# on the platform, and a native creative's images are its files), its type (the Format column), a
# filter list's items (the Filter List Items sheet).
_STAMPS = ("userId", "createdAt", "updatedAt", "deletedAt")
NOT_SETTINGS: dict[str, tuple[str, ...]] = {
    "campaigns": _STAMPS,
    "creatives": (*_STAMPS, "pendingAt", "media", "media.*", "thumbnail", "size", "weight", "sizes",
                  "creativeType", "relation.*.id", "relation.*.creativeId", "relation.*.createdAt",
                  "relation.*.updatedAt", "relation.*.smallImage*", "relation.*.largeImage*"),
    "filter-lists": (*_STAMPS, "listCount", "items"),
}
_PER_PAGE = 1000  # the largest page the document shows; fewer requests for a big account
_IN_FLIGHT = 8  # per-campaign reads at once (the rate limiter still sets the pace)
_MISSING = object()
_MRAID_NAME = {number: name for name, number in MRAID.items()}
_ANY_FORMAT = frozenset().union(*FORMAT_USES.values())  # fields only some formats carry (a native's folderId)
_CAMPAIGN_LISTS = ("creatives", "filter-lists", "geo-zip", "geo-gps", "deals", *ASSIGNED_KINDS)


def ref_for(kind_name: str, object_id: int) -> str:
    return f"{REF_PREFIX[kind_name]}-{object_id}"


class _Reader:
    """The client, with each answer's requests reported to `progress` and a bound on reads at once."""

    def __init__(self, client, progress: Callable[[int], None], exported: Iterable[str], *,
                 tolerant: bool = False) -> None:
        self.client = client
        self.tolerant = tolerant
        self.progress = progress
        self.exported = set(exported)
        self._seen = client.stats.requests_sent
        self._gate = asyncio.Semaphore(_IN_FLIGHT)

    async def call(self, method: Route, *args: Any) -> Any:
        async with self._gate:
            result = await method(self.client)(*args)
        self._tick()
        return result

    async def every(self, method: Route) -> list[Any]:
        found = []
        async for item in method(self.client)(per_page=_PER_PAGE):
            found.append(item)
            self._tick()
        self._tick()
        return found

    async def each(self, method: Route, ids: Iterable[int]) -> dict[int, Any]:
        """`method(id)` for each ID; with `tolerant`, an ID the platform cannot answer for (404: gone,
        or any refusal) is left out rather than failing the whole read."""
        ids = sorted(set(ids))
        answers = await asyncio.gather(*(self._one(method, i) for i in ids))
        return {i: answer for i, answer in zip(ids, answers, strict=True) if answer is not _MISSING}

    async def _one(self, method: Route, object_id: int) -> Any:
        if not self.tolerant:
            return await self.call(method, object_id)
        try:
            return await self.call(method, object_id)
        except PlatformError:
            self._tick()
            return _MISSING

    def _tick(self) -> None:
        now = self.client.stats.requests_sent
        if now > self._seen:
            self.progress(now - self._seen)
            self._seen = now

    def parent(self, kind_name: str, object_id: int) -> str:
        """A parent's Ref when its kind is in the export, else its ID (a Ref would name nothing)."""
        return ref_for(kind_name, object_id) if kind_name in self.exported else str(object_id)


async def read_state(client, kinds: Sequence[Kind], campaign_ids: Sequence[int] | None,
                     progress: Callable[[int], None]) -> State:
    """The account (or `campaign_ids` and what they use) as rows of `kinds`; see `bulkops.exporter`."""
    names = {k.name for k in kinds}
    reader = _Reader(client, progress, names)
    if campaign_ids is None:
        campaigns = await reader.every(CAMPAIGN_ROUTES.every)
    else:
        campaigns = list((await reader.each(CAMPAIGN_ROUTES.get, campaign_ids)).values())
    ids = [c.id for c in campaigns]
    lists = await _campaign_lists(reader, ids, names & set(_CAMPAIGN_LISTS))
    state: State = {name: [] for name in names}
    if "campaigns" in names:
        state["campaigns"] = [campaign_row(c) | {RAW_OBJECT: c.model_dump()} for c in campaigns]
        await _with_settings(reader, state["campaigns"])
    if "creatives" in names:
        every = await reader.every(CREATIVE_ROUTES.every) if campaign_ids is None else \
            [c for found in lists["creatives"].values() for c in found]
        state["creatives"] = _with_raw(_creative_rows(reader, every, lists["creatives"]), every)
    if names & {"filter-lists", "filter-list-items"}:
        if campaign_ids is None:
            list_ids = [fl.id for fl in await reader.every(FILTER_LIST_ROUTES.every)]
        else:
            list_ids = sorted({i for found in lists["filter-lists"].values() for i in found})
        full = await reader.each(FILTER_LIST_ROUTES.get, list_ids)
        _filter_list_rows(reader, state, full, lists["filter-lists"], names)
        state["filter-lists"] = _with_raw(state["filter-lists"], full.values())
    _target_rows(reader, state, lists, names)
    assigned_rows(state, lists, names, lambda campaign_id: reader.parent("campaigns", campaign_id))
    return state


def _with_raw(rows: list[dict[str, Any]], objects: Iterable[Any]) -> list[dict[str, Any]]:
    """Each row with its object as read (`RAW_OBJECT`), for the Summary's list of what no sheet holds."""
    by_id = {o.id: o for o in objects}
    return [row | {RAW_OBJECT: by_id[row["id"]].model_dump()} if row.get("id") in by_id else row for row in rows]


async def read_touched(client, touched: Touched, progress: Callable[[int], None]) -> State:
    """Exactly what a job touches, for the live diff: the objects its rows name by ID, and the lists
    of the parents it sends lists for. Parent columns hold the parents' IDs (as text)."""
    # A job may name an object that is gone: the diff then leaves its row to the platform to answer.
    # Parents are named by ID here: the diff reads no more than it must, so a parent's row may be absent.
    reader = _Reader(client, progress, (), tolerant=True)
    state: State = {}
    campaigns = await reader.each(CAMPAIGN_ROUTES.get, touched.ids.get("campaigns", ()))
    state["campaigns"] = [campaign_row(c) for c in campaigns.values()]
    await _with_settings(reader, state["campaigns"], touched.filled.get("campaigns", {}))
    lists: dict[str, dict[int, Any]] = {}
    for kind_name in _CAMPAIGN_LISTS:
        lists[kind_name] = await _campaign_lists_of(reader, kind_name, touched.lists.get(kind_name, ()))
        if kind_name in touched.lists:  # a list that could not be read is not known to be empty
            touched.lists[kind_name] &= set(lists[kind_name])
    creatives = [c for found in lists["creatives"].values() for c in found]
    if touched.ids.get("creatives"):
        wanted = touched.ids["creatives"]
        creatives += [c for c in await reader.every(CREATIVE_ROUTES.every) if c.id in wanted]
    state["creatives"] = _creative_rows(reader, creatives, lists["creatives"])
    list_ids = set(touched.ids.get("filter-lists", ())) | set(touched.lists.get("filter-list-items", ()))
    full = await reader.each(FILTER_LIST_ROUTES.get, list_ids)
    if "filter-list-items" in touched.lists:
        touched.lists["filter-list-items"] &= set(full)
    _filter_list_rows(reader, state, full, lists["filter-lists"], {"filter-lists", "filter-list-items"})
    # Lists assigned to a campaign but not read in full: their rows say only where they are assigned.
    shown = {row["id"] for row in state["filter-lists"]}
    for list_id in sorted({i for found in lists["filter-lists"].values() for i in found} - shown):
        state["filter-lists"].append({"id": list_id, "ref": ref_for("filter-lists", list_id),
                                      "campaigns": _assigned_to(reader, list_id, lists["filter-lists"])})
    _target_rows(reader, state, lists, {"geo-zip", "geo-gps", "deals"}, records=True)
    assigned_rows(state, lists, ASSIGNED_KINDS, lambda campaign_id: reader.parent("campaigns", campaign_id))
    return state


async def _with_settings(reader: _Reader, rows: list[dict[str, Any]],
                         filled: Mapping[int, Mapping[str, Any]] | None = None) -> None:
    """Each campaign row with its settings (time targeting, CTR booster, rule: their own routes): for an
    export, those that differ from a new campaign's (no time targeting, booster off, no rule); for the
    live diff, those the job's row of the campaign fills."""
    if filled is None:
        wanted = {row["id"]: SETTING_FIELDS for row in rows}
        names = unique_rule_names(await reader.every(RULES)) if rows else set()
        found = await campaign_settings(reader.call, wanted, unique_names=names)
    else:
        wanted = {row["id"]: tuple(filled.get(row["id"], ())) for row in rows}
        spelling = {cid: payload.get("optimizationRule") for cid, payload in filled.items()}
        found = await campaign_settings(reader.call, wanted, spelling=spelling)
    for row in rows:
        settings = found.get(row["id"], {})
        if filled is None:  # a new campaign's own settings stay blank: pushed back, nothing is read for them
            settings = {k: v for k, v in settings.items() if not is_default_setting(k, v)}
        row.update(settings)


async def _campaign_lists(reader: _Reader, ids: Sequence[int], wanted: set[str]) -> dict[str, dict[int, Any]]:
    return {kind_name: (await _campaign_lists_of(reader, kind_name, ids) if kind_name in wanted else {})
            for kind_name in _CAMPAIGN_LISTS}


async def _campaign_lists_of(reader: _Reader, kind_name: str, ids: Iterable[int]) -> dict[int, Any]:
    return await reader.each(LIST_ROUTES[kind_name].read, ids)


# -- rows ---------------------------------------------------------------------------------------

def campaign_row(campaign) -> dict[str, Any]:
    return {"ref": ref_for("campaigns", campaign.id), "id": campaign.id, "action": None,
            **fields_of(CAMPAIGNS, campaign.model_dump())}


def format_of(creative) -> str:
    """The Format a creative was made with, from its type and its media (list answers carry it)."""
    media_type = creative.media.mediaType if creative.media is not None else None
    if creative.creativeType == "native":
        return "native"
    if creative.creativeType == "video":
        return "video" if media_type else "video-tag"
    return {"image": "banner-image", "html": "banner-html"}.get(media_type or "", "banner-tag")


def creative_row(creative, campaigns: Sequence[str]) -> dict[str, Any]:
    name = format_of(creative)
    uses = FORMAT_USES[name]
    slots = {"section": f"relation.{FORMATS[name].section}"}
    # The format's own fields only: an image banner's admBody is the platform's <img> wrapper, not input.
    source = {c.field: value_at(creative, c, slots) for c in SENT_AS_IS
              if (c not in IN_SECTION and c.field not in _ANY_FORMAT) or c.field in uses}
    framework = source.pop("apiFramework", None)
    row = {"ref": ref_for("creatives", creative.id), "id": creative.id, "action": None,
           **fields_of(CREATIVES, source)}
    row.update(format=name, campaigns=list(campaigns) or None, mode=None, mediaFile=None, logoFile=None,
               categories=None)
    if "apiFramework" in uses:
        row["apiFramework"] = _MRAID_NAME.get(framework or 0, "none")
    urls = media_urls(creative)
    if urls:
        row[MEDIA_URLS] = urls
    return row


def media_urls(creative) -> dict[str, str]:
    """Where the creative's files are (`export --media`): an image's or a video's media, a native's large
    image and logo (18.3.4's largeImage and smallImage). An HTML creative's media URL is its archive's
    index.html, not the archive a create uploads, so it is not given."""
    urls: dict[str, str] = {}
    media = creative.media
    if media is not None and media.url and media.mediaType in ("image", "video") and creative.creativeType != "native":
        urls["mediaFile"] = media.url
    native = (creative.relation or {}).get("native") or {}
    for image, field_name in (("largeImage", "mediaFile"), ("smallImage", "logoFile")):
        url = (native.get(image) or {}).get("url")
        if creative.creativeType == "native" and url:
            urls[field_name] = url
    return urls


# -- a write's answer, and what was sent, in the same values (for checking what the platform kept) ---

_KINDS = {"campaigns": CAMPAIGNS, "creatives": CREATIVES, "filter-lists": FILTER_LISTS}


def answer_values(kind_name: str, answer: Any) -> dict[str, Any]:
    """The fields a create's or update's answer shows (those it carries, no others), typed as an
    export types them. A creative's format fields are read from its `relation` section."""
    kind = _KINDS[kind_name]
    dump = getattr(answer, "model_dump", None)
    source = dump(exclude_unset=True) if dump is not None else dict(vars(answer))
    if kind_name == "creatives":
        source = _flat_creative(source)
    return {c.field: typed(c, source[c.field]) for c in kind.fields if c.field in source}


def sent_values(kind_name: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """What a payload sent, as the same typed values (the inverse of the kind's payload mapping)."""
    kind = _KINDS[kind_name]
    source = _flat_creative(payload) if kind_name == "creatives" else dict(payload)
    fields = {c.field: c for c in kind.fields}
    return {name: typed(fields[name], value) for name, value in source.items() if name in fields}


def _flat_creative(source: Mapping[str, Any]) -> dict[str, Any]:
    """A creative's top-level fields with those of its format's section (`banner`, `native`, `video`,
    or `relation.<type>` in an answer), MRAID as its name."""
    flat = values_at(source, [c for c in SENT_AS_IS if c not in IN_SECTION], {})
    sections = source.get("relation") or source
    section = next((s for s in SECTIONS if isinstance(sections.get(s), dict)), None)
    if section is not None:
        flat.update(values_at(sections, IN_SECTION, {"section": section}))
    if "apiFramework" in flat:
        flat["apiFramework"] = _MRAID_NAME.get(flat["apiFramework"] or 0, "none")
    return flat


def live_item_keys(kind_name: str, items: Iterable[Any]) -> set[str]:
    """The keys (`item_key`) of a campaign's ZIPs, circles or deals as read, each in the payload its
    kind would send for the exported row: what `item_key` of a member's payload is compared with."""
    kind, convert = {"geo-zip": (GEO_ZIP, _zip_row), "geo-gps": (GEO_GPS, _circle_row),
                     "deals": (DEALS, _deal_row)}[kind_name]
    assert kind.payload is not None
    return {item_key(kind.payload(convert(kind, item))) for item in items}


def _assigned_to(reader: _Reader, object_id: int, by_campaign: Mapping[int, Any]) -> list[str] | None:
    found = [reader.parent("campaigns", cid) for cid, items in sorted(by_campaign.items())
             if object_id in {getattr(i, "id", i) for i in items}]
    return found or None


def _creative_rows(reader: _Reader, creatives: Iterable[Any], by_campaign: Mapping[int, Any]) -> list[dict]:
    unique = {c.id: c for c in creatives}
    return [creative_row(c, _assigned_to(reader, c.id, by_campaign) or []) for _, c in sorted(unique.items())]


def _filter_list_rows(reader: _Reader, state: State, full: Mapping[int, Any], by_campaign: Mapping[int, Any],
                      names: set[str]) -> None:
    state.setdefault("filter-lists", [])
    for list_id, found in sorted(full.items()):
        if "filter-lists" in names:
            state["filter-lists"].append({
                "ref": ref_for("filter-lists", list_id), "id": list_id, "action": None,
                **fields_of(FILTER_LISTS, found.model_dump()),
                "campaigns": _assigned_to(reader, list_id, by_campaign), "mode": None})
        if "filter-list-items" in names:
            parent = reader.parent("filter-lists", list_id)
            state.setdefault("filter-list-items", []).extend(
                {"filterList": parent, "item": typed(FILTER_LIST_ITEMS.column("item"), item), "mode": None}
                for item in found.items)


def _target_rows(reader: _Reader, state: State, lists: Mapping[str, Mapping[int, Any]], names: set[str], *,
                 records: bool = False) -> None:
    """`records`: each deal row keeps its record's ID as `record` (no column: a remove deletes by it)."""
    for kind, convert in ((GEO_ZIP, _zip_row), (GEO_GPS, _circle_row), (DEALS, _deal_row)):
        if kind.name not in names:
            continue
        rows = state.setdefault(kind.name, [])
        for campaign_id, items in sorted(lists.get(kind.name, {}).items()):
            parent = reader.parent("campaigns", campaign_id)
            rows.extend({"campaign": parent, **convert(kind, item), "mode": None} |
                        ({"record": item.id} if records and kind is DEALS else {}) for item in items)


def _zip_row(kind: Kind, item) -> dict[str, Any]:
    return {f: typed(kind.column(f), getattr(item, f)) for f in ("zip", "iso2", "lat", "lng")} | {
        "include": item.include is not False}


def _circle_row(kind: Kind, item) -> dict[str, Any]:
    # SmartyAds keeps kilometres (bulkops sends them; see docs/smartyads.md), so the export says km.
    return {f: typed(kind.column(f), getattr(item, f)) for f in ("lat", "lng", "radius")} | {
        "unit": "km", "include": item.include is not False}


def _deal_row(kind: Kind, item) -> dict[str, Any]:
    return {"dealId": typed(kind.column("dealId"), item.dealId), "bidPrice": typed(kind.column("bidPrice"),
                                                                                 item.bidPrice)}


def deal_row(item) -> dict[str, Any]:
    """A deal record (8.2) as an exported row's values."""
    return _deal_row(DEALS, item)
