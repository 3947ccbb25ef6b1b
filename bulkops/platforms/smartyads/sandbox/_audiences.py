"""SmartyAds audiences as documented: "12. Audiences" (the list 12.1, one by ID 12.2, the third-party
list 12.6, documented again as 14.1) and "7. Assign Audiences to Campaigns".

Stored: first-party audiences (kind AUDIENCE) and third-party ones (THIRD_PARTY), each in its
document's shape and with its own ID sequence (both examples start at 1), and each campaign's
assignments (CAMPAIGN_AUDIENCES, keyed by the campaign's id) as `{"items": [{"type", "id"}]}`. The
built-in account starts with a realistic set of both (`seed_audiences`): buyers assign audiences
they already have; creating them (12.3, 12.7) is not served.

Where the document is silent (decided here, tested in tests/platforms/smartyads/sandbox/test_audiences.py):
- An assignment names an audience of the caller's by its relation type: `collect` and `trade` name a
  first-party audience (12.1; a lookalike is built from one), `thirdParty` a third-party one (12.6).
  Any other ID is "The selected items.N.id is invalid."; a type outside the three is
  "The selected items.N.type is invalid.".
- A campaign holds each (type, id) once, in first-assigned order: a replace sending one twice keeps
  it once, and an append of one already there leaves it as it is (a pivot table's unique key).
- `items` is required and non-empty (`required|array`), at most `max_items_per_request` entries.
- DELETE removes the campaign's audiences whose id is in `ids`, whatever their type; `ids` absent
  or empty removes them all, as 7.4.1 says ("If empty, deletes all items").
- 7.1 pages as 12.1 does (`per_page` 100 by default, links `prev`/`next`). A third-party audience
  is shown in 7.1's shape: the fields it lacks (date range, TTL, collection type, hash tag) null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._http import authenticated, for_campaign, not_found, page_of
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.platforms.smartyads.sandbox._targeting import item_list
from bulkops.sandbox import SANDBOX_USER_ID, Store, json_body, path_id, route, sandbox_of

AUDIENCE = "audience"  # store kinds
THIRD_PARTY = "third_party_audience"
CAMPAIGN_AUDIENCES = "campaign_audiences"  # keyed by campaign id
TYPES = ("collect", "trade", "thirdParty")  # 7.1.3
PER_PAGE = 100  # per_page of the 7.1.4, 12.1.4 and 12.6.4 examples
_SEEDED_ON = "2026-02-12"

# (title, collectionType, usersTtlInDays): what a buyer's first-party audiences look like (12.1.3's types).
FIRST_PARTY: tuple[tuple[str, str, int], ...] = (
    ("Site visitors 30d", "pixel", 30), ("Cart abandoners", "pixel", 14), ("Product page viewers", "pixel", 30),
    ("Checkout starters", "pixel", 7), ("Purchasers 90d", "conversion", 90), ("Newsletter sign-ups", "conversion", 180),
    ("App installers", "conversion", 60), ("High-value customers", "conversion", 365), ("Ad clickers", "click", 30),
    ("Spring sale clickers", "click", 14), ("Impressed users 7d", "impression", 7),
    ("Video starters", "videoStart", 30), ("Video first quartile", "videoFirstQuartile", 30),
    ("Video midpoint viewers", "videoMidpoint", 30), ("Video third quartile", "videoThirdQuartile", 30),
    ("Video completers", "videoComplete", 30), ("CRM upload: loyalty members", "liveRamp", 180),
    ("CRM upload: lapsed customers", "liveRamp", 180), ("Eyeota: in-market travel", "eyeota", 30),
    ("Auto intenders", "pixel", 30), ("Returning visitors", "pixel", 60), ("Store locator users", "pixel", 30),
    ("Free trial users", "conversion", 90), ("Webinar attendees", "conversion", 120),
)
# (title, providerName, providerId, segments): third-party audiences bought from data providers (12.6).
# "Auto intenders" is also a first-party title: a name two audiences share, as real accounts have.
THIRD_PARTIES: tuple[tuple[str, str, int, int], ...] = (
    ("Auto intenders", "eyeota", 1, 5), ("Frequent travellers", "eyeota", 1, 4),
    ("Business decision makers", "liveRamp", 2, 7), ("Parents of young children", "eyeota", 1, 3),
    ("Sports enthusiasts", "eyeota", 1, 6), ("Luxury shoppers", "liveRamp", 2, 2), ("Mobile gamers", "eyeota", 1, 5),
    ("Home movers", "liveRamp", 2, 3), ("Pet owners", "eyeota", 1, 2), ("Fitness and wellness", "eyeota", 1, 4),
    ("Food and dining", "liveRamp", 2, 3), ("Tech early adopters", "eyeota", 1, 6),
    ("University students", "eyeota", 1, 2),
    ("Small business owners", "liveRamp", 2, 4), ("Green consumers", "eyeota", 1, 2),
    ("Streaming subscribers", "liveRamp", 2, 5),
)


def audience_routes() -> list[Route]:
    return [
        # Before api/audiences/{id}, which would take "third-parties" for an ID.
        route("/api/audiences/third-parties", GET=authenticated(_third_parties)),
        route("/api/audiences", GET=authenticated(_audiences)),
        route("/api/audiences/{id}", GET=authenticated(_audience)),
        route("/api/campaigns/{id}/audiences", GET=for_campaign(_assigned), POST=for_campaign(_replace),
              PATCH=for_campaign(_append), DELETE=for_campaign(_delete)),
    ]


def seed_audiences(store: Store) -> None:
    """The built-in account's audiences, once (a sandbox kept in a file has them already)."""
    owner = str(SANDBOX_USER_ID)
    if store.page(AUDIENCE, owner, 0, 1)[1] or store.page(THIRD_PARTY, owner, 0, 1)[1]:
        return
    for title, collection, ttl in FIRST_PARTY:
        store.create(AUDIENCE, owner, lambda new_id, t=title, c=collection, d=ttl: _first_party(new_id, t, c, d))
    for title, provider, provider_id, segments in THIRD_PARTIES:
        store.create(THIRD_PARTY, owner, lambda new_id, t=title, p=provider, i=provider_id, s=segments: {
            "id": new_id, "title": t, "userId": SANDBOX_USER_ID, "isActive": True, "providerList": [],
            "providerId": i, "providerName": p, "isInclude": True, "segments": s, "createdAt": _SEEDED_ON})


def _first_party(new_id: int, title: str, collection: str, ttl: int) -> dict[str, Any]:
    """A first-party audience as 12.2.4 shows one."""
    return {"id": new_id, "title": title, "userId": SANDBOX_USER_ID, "isIncludeDateRange": False, "dateFrom": None,
            "dateTo": None, "usersTtlInDays": ttl, "collectionType": collection, "hashTag": None, "allUsers": False,
            "isActive": True, "providerList": [], "providerId": None, "isInclude": True, "createdAt": _SEEDED_ON,
            "updatedAt": _SEEDED_ON}


def assigned(store: Store, campaign_id: int) -> list[dict[str, Any]]:
    """A campaign's assignments as stored: `{"type", "id"}` in first-assigned order."""
    body = store.get(CAMPAIGN_AUDIENCES, campaign_id)
    return list(body["items"]) if body else []


# --- 12. Audiences -----------------------------------------------------------------------------------

def _owned(store: Store, kind: str, subject: str) -> list[dict[str, Any]]:
    _, total = store.page(kind, subject, 0, 1)
    return store.page(kind, subject, 0, max(total, 1))[0]


async def _audiences(request: Request, subject: str) -> Response:
    rows = _owned(sandbox_of(request).store, AUDIENCE, subject)
    return page_of(request, rows, default_per_page=PER_PAGE, fractal=False)


async def _third_parties(request: Request, subject: str) -> Response:
    rows = _owned(sandbox_of(request).store, THIRD_PARTY, subject)
    return page_of(request, rows, default_per_page=PER_PAGE, fractal=False)


async def _audience(request: Request, subject: str) -> Response:
    audience_id = path_id(request)
    found = None if audience_id is None else sandbox_of(request).store.get(AUDIENCE, audience_id, owner=subject)
    if found is None:
        return not_found("Audience", request.path_params["id"])
    return JSONResponse({"data": found})


# --- 7. Audiences of a campaign ----------------------------------------------------------------------

def _shown(store: Store, entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """One assignment as 7.1.4 shows it; None when its audience is gone."""
    if entry["type"] == "thirdParty":
        found = store.get(THIRD_PARTY, entry["id"])
        if found is None:
            return None
        audience = {"id": found["id"], "title": found["title"], "userId": found["userId"],
                    "isIncludeDateRange": False, "dateFrom": None, "dateTo": None, "usersTtlInDays": None,
                    "collectionType": None, "hashTag": None, "allUsers": False, "isActive": found["isActive"],
                    "providerList": found["providerList"], "providerId": found["providerId"],
                    "isInclude": found["isInclude"], "createdAt": found["createdAt"], "updatedAt": found["createdAt"]}
    else:
        audience = store.get(AUDIENCE, entry["id"])
        if audience is None:
            return None
    return {"type": entry["type"], "audience": audience}


async def _assigned(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    store = sandbox_of(request).store
    rows = [shown for entry in assigned(store, campaign_id) if (shown := _shown(store, entry)) is not None]
    return page_of(request, rows, default_per_page=PER_PAGE, fractal=False)


def _items(request_body: Any, store: Store, subject: str, cap: int) -> tuple[list[dict[str, Any]], Errors]:
    """`items.*.id` and `items.*.type` (7.2.1, 7.3.1), each audience the caller's of that type."""
    data = request_body if isinstance(request_body, dict) else {}
    errors = Errors()
    items = item_list(data, "items", cap, errors)
    accepted: list[dict[str, Any]] = []
    for index, item in enumerate(items or []):
        entry = item if isinstance(item, dict) else {}
        id_key, type_key = f"items.{index}.id", f"items.{index}.type"
        audience_id, kind = entry.get("id"), entry.get("type")
        if kind is None or kind == "":
            errors.add(type_key, say.required(type_key))
        elif kind not in TYPES:
            errors.add(type_key, say.selected_invalid(type_key))
        if audience_id is None:
            errors.add(id_key, say.required(id_key))
        elif isinstance(audience_id, bool) or not isinstance(audience_id, int):
            errors.add(id_key, say.integer(id_key))
        elif kind in TYPES:
            stored_as = THIRD_PARTY if kind == "thirdParty" else AUDIENCE
            if store.get(stored_as, audience_id, owner=subject) is None:
                errors.add(id_key, say.selected_invalid(id_key))
            else:
                accepted.append({"type": kind, "id": audience_id})
    return accepted, errors


def _once_each(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    for entry in entries:
        seen.setdefault((entry["type"], entry["id"]), {"type": entry["type"], "id": entry["id"]})
    return list(seen.values())


async def _replace(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    return await _write(request, subject, campaign_id, append=False)


async def _append(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    return await _write(request, subject, campaign_id, append=True)


async def _write(request: Request, subject: str, campaign_id: int, *, append: bool) -> Response:
    sandbox = sandbox_of(request)
    accepted, errors = _items(await json_body(request), sandbox.store, subject, sandbox.config.max_items_per_request)
    if errors:
        return errors.response()
    # No await from here on: the read and the write cannot interleave with another request's.
    kept = assigned(sandbox.store, campaign_id) if append else []
    sandbox.store.set(CAMPAIGN_AUDIENCES, campaign_id, subject, {"items": _once_each(kept + accepted)})
    return JSONResponse({"message": "Appended." if append else "Replaced."})


async def _delete(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    sandbox = sandbox_of(request)
    body = await json_body(request)
    data = body if isinstance(body, dict) else {}
    ids = data.get("ids")
    errors = Errors()
    if ids is not None and not isinstance(ids, list):
        errors.add("ids", say.array("ids"))
    for index, value in enumerate(ids if isinstance(ids, list) else []):
        if isinstance(value, bool) or not isinstance(value, int):
            errors.add(f"ids.{index}", say.integer(f"ids.{index}"))
    if errors:
        return errors.response()
    gone = set(ids or ())
    kept = [entry for entry in assigned(sandbox.store, campaign_id) if gone and entry["id"] not in gone]
    sandbox.store.set(CAMPAIGN_AUDIENCES, campaign_id, subject, {"items": kept})
    return JSONResponse({"message": "Deleted."})
