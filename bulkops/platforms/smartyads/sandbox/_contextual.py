"""SmartyAds contextual targeting as documented: "13. Contextual Targeting" (the list 13.1, one by ID
13.2) and "9. Assign Contextual Targeting to Campaigns".

Stored: the rules (kind CONTEXTUAL, in 13.2's shape without `campaigns`) and each campaign's mapped
rule IDs (CAMPAIGN_CONTEXTUAL, keyed by the campaign's id). A rule's `campaigns` (13.1, 13.2) is
made from those mappings when it is read, so the two routes always agree. The built-in account starts
with a realistic set of rules (`seed_contextual`); creating them (13.3) is not served.

Where the document is silent (decided here, tested in tests/platforms/smartyads/sandbox/test_contextual.py):
- `targetIds` is required and non-empty (`required|array`), at most `max_items_per_request` entries;
  each must be one of the caller's rules ("The selected targetIds.N is invalid.").
- A campaign holds each rule once, in first-mapped order; an append of one already mapped leaves it.
- The append (9.3) answers "Replaced.", exactly as 9.3.5 shows.
- DELETE takes the one field 9.4.1 documents, `deleted` (required, a boolean): true removes every
  rule of the campaign and answers {"deleted": true}; false removes nothing and answers
  {"deleted": false}. The document gives no way to remove some rules only.
- 9.1 answers every ID in one `data` array, without pagination, as 9.1.4 shows.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._http import authenticated, for_campaign, not_found, page_of
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.platforms.smartyads.sandbox._targeting import item_list
from bulkops.sandbox import SANDBOX_USER_ID, Store, json_body, path_id, route, sandbox_of

CONTEXTUAL = "contextual_target"  # store kinds
CAMPAIGN_CONTEXTUAL = "campaign_contextual"  # keyed by campaign id
PER_PAGE = 1000  # per_page of the 13.1.4 example
_SEEDED_AT = "2026-02-12 16:34:52"

# (name, type, rule, keyword groups, IAB categories). "Sports news" is a web rule and an in-app one:
# a name two rules share, as real accounts have.
RULES: tuple[tuple[str, str, str, tuple[tuple[str, ...], ...], tuple[str, ...]], ...] = (
    ("Sports news", "web", "include", (("football", "basketball", "tennis"), ("match report",)), ("IAB17",)),
    ("Sports news", "inApp", "include", (("live score", "fixtures"),), ("IAB17",)),
    ("Finance and investing", "web", "include", (("stocks", "etf", "mortgage"),), ("IAB13",)),
    ("Travel planning", "web", "include", (("flights", "hotel deals", "city break"),), ("IAB20",)),
    ("Automotive reviews", "web", "include", (("test drive", "suv", "electric car"),), ("IAB2",)),
    ("Recipes and cooking", "web", "include", (("recipe", "baking"),), ("IAB8",)),
    ("Tech gadgets", "web", "include", (("smartphone", "laptop", "headphones"),), ("IAB19",)),
    ("Parenting", "web", "include", (("toddler", "school run"),), ("IAB6",)),
    ("Health and fitness", "inApp", "include", (("workout", "running", "yoga"),), ("IAB7",)),
    ("Mobile gaming", "inApp", "include", (("puzzle", "strategy game"),), ("IAB9-30",)),
    ("Real estate", "web", "include", (("apartment", "for sale"),), ("IAB21",)),
    ("Fashion", "web", "include", (("sneakers", "dresses"),), ("IAB18",)),
    ("Higher education", "web", "include", (("university", "scholarship"),), ("IAB5",)),
    ("Entertainment news", "web", "include", (("premiere", "box office"),), ("IAB1",)),
    ("Home and garden", "web", "include", (("diy", "garden tools"),), ("IAB10",)),
    ("Music streaming", "inApp", "include", (("playlist", "new album"),), ("IAB1-6",)),
    ("Weather", "inApp", "include", (("forecast", "storm warning"),), ()),
    ("Brand safety: tragedy", "web", "exclude", (("shooting", "earthquake", "crash"),), ()),
    ("Brand safety: adult", "web", "exclude", (), ("IAB25", "IAB26")),
    ("Brand safety: politics", "web", "exclude", (("election", "referendum"),), ("IAB11",)),
)


def contextual_routes() -> list[Route]:
    return [
        route("/api/contextual-targeting", GET=authenticated(_rules)),
        route("/api/contextual-targeting/{id}", GET=authenticated(_rule)),
        route("/api/campaigns/{id}/contextual-targeting", GET=for_campaign(_mapped), POST=for_campaign(_replace),
              PATCH=for_campaign(_append), DELETE=for_campaign(_delete)),
    ]


def seed_contextual(store: Store) -> None:
    """The built-in account's contextual targeting rules, once (a sandbox kept in a file has them)."""
    owner = str(SANDBOX_USER_ID)
    if store.page(CONTEXTUAL, owner, 0, 1)[1]:
        return
    for name, kind, rule, keywords, categories in RULES:
        store.create(CONTEXTUAL, owner, lambda new_id, n=name, k=kind, r=rule, w=keywords, c=categories: {
            "id": new_id, "name": n, "type": k, "rule": r, "userId": SANDBOX_USER_ID,
            "keywords": [list(group) for group in w], "iabCategories": list(c),
            "keywordsCount": sum(len(group) for group in w) + len(c), "createdAt": _SEEDED_AT,
            "updatedAt": _SEEDED_AT})


def mapped(store: Store, campaign_id: int) -> list[int]:
    """The rule IDs mapped to a campaign, in first-mapped order."""
    body = store.get(CAMPAIGN_CONTEXTUAL, campaign_id)
    return list(body["ids"]) if body else []


def _with_campaigns(store: Store, rule: dict[str, Any]) -> dict[str, Any]:
    """A rule as 13.1 and 13.2 show it: with the IDs of the campaigns it is mapped to."""
    campaigns = sorted(body["campaignId"] for body in store.all(CAMPAIGN_CONTEXTUAL) if rule["id"] in body["ids"])
    shown = {k: v for k, v in rule.items() if k not in ("createdAt", "updatedAt")}
    return {**shown, "campaigns": campaigns, "createdAt": rule["createdAt"], "updatedAt": rule["updatedAt"]}


async def _rules(request: Request, subject: str) -> Response:
    store = sandbox_of(request).store
    _, total = store.page(CONTEXTUAL, subject, 0, 1)
    rows = [_with_campaigns(store, rule) for rule in store.page(CONTEXTUAL, subject, 0, max(total, 1))[0]]
    return page_of(request, rows, default_per_page=PER_PAGE, fractal=False)


async def _rule(request: Request, subject: str) -> Response:
    store = sandbox_of(request).store
    rule_id = path_id(request)
    found = None if rule_id is None else store.get(CONTEXTUAL, rule_id, owner=subject)
    if found is None:
        return not_found("ContextualTargeting", request.path_params["id"])
    return JSONResponse({"data": _with_campaigns(store, found)})


async def _mapped(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    return JSONResponse({"data": mapped(sandbox_of(request).store, campaign_id)})


async def _replace(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    return await _write(request, subject, campaign_id, append=False)


async def _append(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    return await _write(request, subject, campaign_id, append=True)


async def _write(request: Request, subject: str, campaign_id: int, *, append: bool) -> Response:
    sandbox = sandbox_of(request)
    body = await json_body(request)
    data = body if isinstance(body, dict) else {}
    errors = Errors()
    values = item_list(data, "targetIds", sandbox.config.max_items_per_request, errors)
    accepted: list[int] = []
    for index, value in enumerate(values or []):
        key = f"targetIds.{index}"
        if value is None:
            errors.add(key, say.required(key))
        elif isinstance(value, bool) or not isinstance(value, int):
            errors.add(key, say.integer(key))
        elif sandbox.store.get(CONTEXTUAL, value, owner=subject) is None:
            errors.add(key, say.selected_invalid(key))
        else:
            accepted.append(value)
    if errors:
        return errors.response()
    kept = mapped(sandbox.store, campaign_id) if append else []
    ids = list(dict.fromkeys(kept + accepted))
    sandbox.store.set(CAMPAIGN_CONTEXTUAL, campaign_id, subject, {"campaignId": campaign_id, "ids": ids})
    return JSONResponse({"message": "Replaced."})  # 9.2.5 and 9.3.5 alike


async def _delete(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    sandbox = sandbox_of(request)
    body = await json_body(request)
    deleted = body.get("deleted") if isinstance(body, dict) else None
    if deleted is None:
        return _refused("deleted", say.required("deleted"))
    if not isinstance(deleted, bool):
        return _refused("deleted", say.boolean("deleted"))
    if deleted:
        sandbox.store.set(CAMPAIGN_CONTEXTUAL, campaign_id, subject, {"campaignId": campaign_id, "ids": []})
    return JSONResponse({"deleted": deleted})


def _refused(key: str, message: str) -> Response:
    errors = Errors()
    errors.add(key, message)
    return errors.response()
