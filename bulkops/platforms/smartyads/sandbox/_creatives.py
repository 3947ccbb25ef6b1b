"""SmartyAds creatives as documented: "18. Creatives" and "19. Assign Creatives to Campaigns" (and,
through `_smartyads_media`, "17.1–17.3" media uploads, which creatives name by id).

Stored: each creative in the shape GET api/creatives/{id} answers (18.2–18.4; kind CREATIVE,
soft-deleted by DELETE); beside it (CREATIVE_EXTRAS, keyed by the creative's id) what the answers
do not show but the list does or the platform keeps: the 18.1 `media` object and the categories;
each campaign's creative ids (CAMPAIGN_CREATIVES, keyed by the campaign's id).

The variant of a create (18.5–18.10) follows from `creativeType` and `mediaId`: a banner with a
mediaId is an image banner (18.6) or a rich-media banner (18.7) by the media's type, without one a
third-party tag (18.5); a video with a mediaId is 18.10, without one 18.9; native is 18.8.

Where the document is silent (decided here, tested in tests/sandbox/test_creatives.py):
- Answers keep the document's three shapes: create/get/update answer 18.2–18.4's (no `media`, a
  `sizes: []`); the list (18.1) and a campaign's list (19.1) add `media` (null for tag creatives; a
  native's large image) after `deletedAt`, banners' `childrenCreative`/`statusChildrenCreative`/
  `main`, and `status` (the approval status), and drop `sizes`.
- A create answers as the platform's fresh model does (18.5.5–18.10.5): isActive, frequency and
  bidPrice as sent (null when not sent), approved/autoresize/adaptiveCpm/bannerType and video's
  partyTagFormat/autoStoreEndCard/autoStoreEndCardOption null. What is stored, and answered by GET
  afterwards, has the defaults the GET examples show: isActive 0, approved "pending", autoresize 0,
  adaptiveCpm false, bannerType "banner", partyTagFormat 0, autoStoreEndCard 0,
  autoStoreEndCardOption "appStore"; bidPrice as a DECIMAL column gives it back ("0.50"); frequency
  0/1. `size` and `weight` are derived as the examples show: an image banner's and a video's size is
  the media's (the banner's sent width/height give way, as in 18.6.5); weight is the media's bytes
  in MB ("0.35 MB"), "-" for tag and native creatives.
- Rules, each field reported once (as if `bail`): name `required|string|max:255`; creativeType one
  of banner/native/video (audio is listed but has no documented body, so it is refused); bidPrice
  `required|numeric|gt:0`; frequency/isActive Laravel booleans (true/false/1/0/"1"/"0": the
  examples send 1 and 0); frequencyType/Cap/Period `required_if:frequency,true`, type user/ip, cap
  an integer >= 1, period 1–3; integers are JSON integers; width/height integers >= 1; click and
  display URLs http(s) (`url`); tags `string|max:65535`; apiFramework one of 0/3/5/6/10;
  video.mimeType a non-empty array of known video MIME types. `categories` is an object of IAB
  tier-1 codes to booleans and `subCategories` an object of tier-1 codes to arrays of their own
  sub-category codes ("IAB1" → ["IAB1-1"]); one of them must be non-empty (`required_without`).
  A media id must be an integer naming the caller's media of the variant's type (image for image
  banners and native images; image or html for banner's mediaId; video for video) — else "The
  selected media id is invalid." (`exists` with the owner and type in its query).
- The update route takes PUT and PATCH (the heading says PATCH, the example PUT) and reads only
  isActive (optional boolean); other fields are ignored, as validated() drops them. updatedAt
  changes only when isActive does (Eloquent saves nothing that is not dirty). The answer shows
  isActive as sent (18.11.5 answers `true`); GET gives it back as 0/1.
- Assignment keeps a set of ids, answered in id order; POST replaces it, PATCH adds to it (no
  duplicates), DELETE takes ids out. `ids` is `required|array|max:{config.max_items_per_request}`
  and each `ids.N` must be a live creative of the caller's, for all three ("The selected ids.3 is
  invalid."). A creative deleted later stays in the stored set but is no longer listed by GET.
  19.1 is paged like 18.1 with its example's per_page of 1000.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.platforms.smartyads._enums import (
    API_FRAMEWORKS,
    FREQUENCY_TYPES,
    IAB_CATEGORIES,
    IAB_SUBCATEGORIES,
    VIDEO_MIME_TYPES,
)
from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._http import (
    authenticated,
    bound,
    for_campaign,
    now,
    owned_ids,
    page_of,
    paginated,
)
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.platforms.smartyads.sandbox._media import find_media, media_routes
from bulkops.platforms.smartyads.sandbox._targeting import item_list, number, present, string_field
from bulkops.sandbox import Store, json_body, json_object, route, sandbox_of

CREATIVE = "creative"  # store kinds
CREATIVE_EXTRAS = "creative_extras"
CAMPAIGN_CREATIVES = "campaign_creatives"
a_creative = bound(CREATIVE, "Creative")  # routes of one creative (`api/creatives/{id}`)
SUPPORTED_TYPES = ("banner", "native", "video")
ASSIGNED_PER_PAGE = 1000  # 19.1.4's per_page
MAX_TAG = 65535  # a TEXT column
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


def creative_routes() -> list[Route]:
    return [
        *media_routes(),
        route("/api/creatives", GET=authenticated(_list), POST=authenticated(_create)),
        route("/api/creatives/{id}", GET=a_creative(_get), PUT=a_creative(_update), PATCH=a_creative(_update),
              DELETE=a_creative(_delete)),
        route("/api/campaigns/{id}/creatives", GET=for_campaign(_assigned), POST=for_campaign(_replace),
              PATCH=for_campaign(_append), DELETE=for_campaign(_remove)),
    ]


def assigned_ids(store: Store, campaign_id: int) -> list[int]:
    """A campaign's stored creative ids, sorted ([] when none were ever assigned)."""
    body = store.get(CAMPAIGN_CREATIVES, campaign_id)
    return list(body["ids"]) if body else []


# --- Field rules ----------------------------------------------------------------------------------

def boolish(value: Any) -> bool | None:
    """Laravel's `boolean`: true/false, 1/0, "1"/"0"; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | str) and value in (0, 1, "0", "1"):
        return value in (1, "1")
    return None


def _bool_field(data: Mapping[str, Any], key: str, errors: Errors) -> tuple[bool, Any] | None:
    """(the boolean, the value as sent), or None when absent or invalid (with an error for the latter)."""
    raw = data.get(key)
    if raw is None:
        if key in data:
            errors.add(key, say.boolean(key))
        return None
    value = boolish(raw)
    if value is None:
        errors.add(key, say.boolean(key))
        return None
    return value, raw


def _int_field(section: Mapping[str, Any], key: str, field: str, errors: Errors, *, required: bool,
               low: int = 1, high: int | None = None) -> int | None:
    value = section.get(field)
    if value is None:
        if required:
            errors.add(key, say.required(key))
        elif field in section:
            errors.add(key, say.integer(key))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(key, say.integer(key))
    elif high is not None and not low <= value <= high:
        errors.add(key, say.between(key, low, high))
    elif value < low:
        errors.add(key, say.at_least(key, low))
    else:
        return value
    return None


def _url_field(section: Mapping[str, Any], key: str, field: str, errors: Errors, *, required: bool) -> str | None:
    value = present(section.get(field))
    if value is None:
        if required:
            errors.add(key, say.required(key))
        return None
    if not isinstance(value, str):
        errors.add(key, say.string(key))
    elif len(value) > 2048:
        errors.add(key, say.max_characters(key, 2048))
    elif not _URL.fullmatch(value):
        errors.add(key, say.url(key))
    else:
        return value
    return None


def _tag_field(section: Mapping[str, Any], key: str, errors: Errors, *, without: str) -> str | None:
    """`required_without:{without}|string|max:65535`; the tag as sent (only trimmed)."""
    value = present(section.get("admBody"))
    if value is None:
        errors.add(key, say.required_without(key, without))
        return None
    if not isinstance(value, str):
        errors.add(key, say.string(key))
    elif len(value) > MAX_TAG:
        errors.add(key, say.max_characters(key, MAX_TAG))
    else:
        return value
    return None


def _media_field(section: Mapping[str, Any], key: str, field: str, store: Store, subject: str, errors: Errors,
                 types: tuple[str, ...], *, required: bool = True) -> dict[str, Any] | None:
    value = section.get(field)
    if value is None:
        if required:
            errors.add(key, say.required(key))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(key, say.integer(key))
        return None
    media = find_media(store, value, subject)
    if media is None or media["mediaType"] not in types:
        errors.add(key, say.selected_invalid(key))
        return None
    return media


def _section(data: Mapping[str, Any], key: str, errors: Errors) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add(key, say.array(key))
        return {}
    return value


def _keyed(data: Mapping[str, Any], key: str, errors: Errors) -> dict[str, Any] | None:
    """An object (PHP array) field by key; a JSON list is an array keyed 0, 1, ..."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if not isinstance(value, dict):
        errors.add(key, say.array(key))
        return None
    return value


def _categories(data: Mapping[str, Any], errors: Errors) -> tuple[dict[str, bool], dict[str, list[str]]]:
    categories = _keyed(data, "categories", errors)
    sub_categories = _keyed(data, "subCategories", errors)
    if not categories and not sub_categories:
        if not errors.has("categories") and not errors.has("subCategories"):
            errors.add("categories", say.required_without("categories", "subCategories"))
        return {}, {}
    kept: dict[str, bool] = {}
    for code, value in (categories or {}).items():
        key = f"categories.{code}"
        if code not in IAB_CATEGORIES:
            errors.add(key, say.selected_invalid(key))
        elif (flag := boolish(value)) is None:
            errors.add(key, say.boolean(key))
        else:
            kept[code] = flag
    kept_sub: dict[str, list[str]] = {}
    for code, values in (sub_categories or {}).items():
        key = f"subCategories.{code}"
        if code not in IAB_CATEGORIES:
            errors.add(key, say.selected_invalid(key))
            continue
        if not isinstance(values, list):
            errors.add(key, say.array(key))
            continue
        bad = False
        for index, sub in enumerate(values):
            if not isinstance(sub, str) or sub not in IAB_SUBCATEGORIES or not sub.startswith(f"{code}-"):
                errors.add(f"{key}.{index}", say.selected_invalid(f"{key}.{index}"))
                bad = True
        if not bad:
            kept_sub[code] = list(dict.fromkeys(values))
    return kept, kept_sub


# --- 18.5–18.10: validation, then the stored creative ----------------------------------------------

def _validate(body: Any, store: Store, subject: str) -> tuple[dict[str, Any], Errors]:
    """The accepted values of a create, and the errors if any."""
    data: Mapping[str, Any] = body if isinstance(body, dict) else {}
    errors = Errors()
    v: dict[str, Any] = {
        "name": string_field(data, "name", "name", errors),
        "creativeType": string_field(data, "creativeType", "creativeType", errors, allowed=SUPPORTED_TYPES)}
    price = present(data.get("bidPrice"))
    if price is None:
        errors.add("bidPrice", say.required("bidPrice"))
    elif (amount := number(price)) is None:
        errors.add("bidPrice", say.numeric("bidPrice"))
    elif amount <= 0:
        errors.add("bidPrice", say.greater_than("bidPrice", 0))
    else:
        v["bidPrice"], v["bidPriceSent"] = amount, price
    v["frequency"] = _bool_field(data, "frequency", errors)
    v["isActive"] = _bool_field(data, "isActive", errors)
    frequency_on = v["frequency"] is not None and v["frequency"][0]
    for key in ("frequencyType", "frequencyCap", "frequencyPeriod"):
        if frequency_on and present(data.get(key)) is None:
            errors.add(key, say.required_if(key, "frequency", "true"))
            v[key] = None
        elif key == "frequencyType":
            v[key] = string_field(data, key, key, errors, required=False, nullable=True, allowed=FREQUENCY_TYPES)
        else:
            v[key] = _int_field(data, key, key, errors, required=False,
                                high=3 if key == "frequencyPeriod" else None)
    v["folderId"] = string_field(data, "folderId", "folderId", errors, required=False, nullable=True)
    v["categories"], v["subCategories"] = _categories(data, errors)
    creative_type = v["creativeType"]
    if creative_type in SUPPORTED_TYPES:
        section = _section(data, creative_type, errors)
        {"banner": _banner, "native": _native, "video": _video}[creative_type](data, section, store, subject,
                                                                               errors, v)
    return v, errors


def _banner(data: Mapping[str, Any], section: Mapping[str, Any], store: Store, subject: str, errors: Errors,
            v: dict[str, Any]) -> None:
    v["width"] = _int_field(section, "banner.width", "width", errors, required=True)
    v["height"] = _int_field(section, "banner.height", "height", errors, required=True)
    api = section.get("apiFramework")
    if api is not None and (isinstance(api, bool) or api not in API_FRAMEWORKS):
        errors.add("banner.apiFramework", say.selected_invalid("banner.apiFramework"))
    v["apiFramework"] = api if api is not None else 0
    media = None
    if data.get("mediaId") is None:
        v["admBody"] = _tag_field(section, "banner.admBody", errors, without="mediaId")
    else:
        media = _media_field(data, "mediaId", "mediaId", store, subject, errors, ("image", "html"))
    v["media"] = media
    image = media is not None and media["mediaType"] == "image"
    v["clickUrl"] = _url_field(section, "banner.clickUrl", "clickUrl", errors, required=image)


def _native(data: Mapping[str, Any], section: Mapping[str, Any], store: Store, subject: str, errors: Errors,
            v: dict[str, Any]) -> None:
    v["smallImage"] = _media_field(section, "native.smallImageId", "smallImageId", store, subject, errors,
                                   ("image",), required=False)
    v["largeImage"] = _media_field(section, "native.largeImageId", "largeImageId", store, subject, errors,
                                   ("image",))
    for field in ("assetDataDesc", "assetTitle", "assetDataSponsored", "assetCtaText"):
        v[field] = string_field(section, f"native.{field}", field, errors, required=False, nullable=True)
    v["clickUrl"] = _url_field(section, "native.clickUrl", "clickUrl", errors, required=True)
    v["displayUrl"] = _url_field(section, "native.displayUrl", "displayUrl", errors, required=False)


def _video(data: Mapping[str, Any], section: Mapping[str, Any], store: Store, subject: str, errors: Errors,
           v: dict[str, Any]) -> None:
    if data.get("mediaId") is not None:
        v["media"] = _media_field(data, "mediaId", "mediaId", store, subject, errors, ("video",))
        v["clickUrl"] = _url_field(section, "video.clickUrl", "clickUrl", errors, required=True)
        return
    v["media"] = None
    v["admBody"] = _tag_field(section, "video.admBody", errors, without="mediaId")
    types = section.get("mimeType")
    if types is None or types == []:
        errors.add("video.mimeType", say.required("video.mimeType"))
    elif not isinstance(types, list):
        errors.add("video.mimeType", say.array("video.mimeType"))
    else:
        for index, mime in enumerate(types):
            if mime not in VIDEO_MIME_TYPES:
                errors.add(f"video.mimeType.{index}", say.selected_invalid(f"video.mimeType.{index}"))
        v["mimeType"] = list(dict.fromkeys(types))


def _megabytes(media: Mapping[str, Any]) -> str:
    return f"{media['weight'] / 1048576:.2f} MB"


def _native_image(media: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A media as 18.3.4's smallImage/largeImage show it (ISO timestamps, href/path/folderId)."""
    if media is None:
        return None

    def iso(stamp: str) -> str:
        return stamp.replace(" ", "T") + ".000000Z"

    return {"id": media["id"], "folderId": None, "userId": media["userId"], "width": media["width"],
            "height": media["height"], "name": media["name"], "url": media["url"], "href": None,
            "originName": media["originName"], "path": None, "extension": media["extension"],
            "mediaType": media["mediaType"], "createdAt": iso(media["createdAt"]), "updatedAt": iso(media["updatedAt"]),
            "deletedAt": None, "weight": media["weight"]}


def _vast(creative_id: int, media: Mapping[str, Any], click_url: str) -> str:
    """The VAST the platform writes for a video made from media (18.10.5's admBody)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<VAST version="2.0">\n <Ad id="[HASH]">\n  <InLine>\n'
        "   <AdSystem>DSP</AdSystem>\n   <AdTitle>Smartyads</AdTitle>\n   <Description>RTB</Description>\n"
        f'   <Creatives>\n    <Creative AdID="{creative_id}">\n     <Linear>\n'
        f"      <Duration>{media['durationTime']}</Duration>\n"
        f"      <VideoClicks>\n       <ClickThrough><![CDATA[{click_url}]]></ClickThrough>\n      </VideoClicks>\n"
        f'      <MediaFiles>\n       <MediaFile delivery="progressive" type="{media["mimeType"]}" '
        f'width="{media["width"]}" height="{media["height"]}"><![CDATA[{media["url"]}]]></MediaFile>\n'
        "      </MediaFiles>\n     </Linear>\n    </Creative>\n   </Creatives>\n  </InLine>\n </Ad>\n</VAST>")


def _relation(creative_id: int, v: Mapping[str, Any]) -> tuple[dict[str, Any], str, str, dict[str, Any] | None]:
    """(relation, size, weight, the 18.1 media) of a creative being made."""
    media = v.get("media")
    if v["creativeType"] == "banner":
        width, height = v["width"], v["height"]
        if media is None:
            tag = v["admBody"]
        elif media["mediaType"] == "image":
            width, height = media["width"], media["height"]
            tag = f'<img src="{media["url"]}" crossorigin="anonymous"/>'
        else:
            tag = f'<iframe src="{media["url"]}" style="border:0; width:100%; height:100%;"></iframe>'
        banner = {"apiFramework": v["apiFramework"], "admBody": tag, "bannerType": "banner",
                  "clickUrl": v["clickUrl"], "width": width, "height": height}
        return ({"banner": banner}, f"{width} x {height}", _megabytes(media) if media else "-",
                _media_view(media))
    if v["creativeType"] == "native":
        small, large = v["smallImage"], v["largeImage"]
        native = {"smallImageId": small["id"] if small else None, "largeImageId": large["id"],
                  "smallImage": _native_image(small), "largeImage": _native_image(large),
                  **{f: v[f] for f in ("assetDataDesc", "assetTitle", "assetDataSponsored", "assetCtaText",
                                       "clickUrl", "displayUrl")},
                  "impTracker": None}
        return {"native": native}, f"{large['width']} x {large['height']}", "-", _media_view(large)
    stored_defaults = {"partyTagFormat": 0, "apiFramework": None, "autoStoreEndCard": 0,
                       "autoStoreEndCardOption": "appStore", "politicalLabelEnabled": False}
    if media is None:
        video = {"admBody": v["admBody"], "mimeType": v["mimeType"], "width": 0, "height": 0, "duration": 0,
                 "clickUrl": "", **stored_defaults, "politicalTooltip": []}
        return {"video": video}, "0 x 0", "-", None
    video = {"admBody": _vast(creative_id, media, v["clickUrl"]), "mimeType": [media["mimeType"]],
             "width": media["width"], "height": media["height"], "duration": media["duration"],
             "clickUrl": v["clickUrl"], **stored_defaults,
             "politicalTooltip": {"text": "", "link": "", "position": "top-left"}}
    return {"video": video}, f"{media['width']} x {media['height']}", _megabytes(media), _media_view(media)


def _media_view(media: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A media as 18.1.4's `media` shows it."""
    if media is None:
        return None
    return {k: media[k] for k in ("id", "userId", "mediaType", "originName", "name", "extension", "url", "width",
                                  "height", "weight")}


def _price(amount: float) -> str:
    return str(Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _new_creative(creative_id: int, user_id: int, v: Mapping[str, Any], stamp: str,
                  extras: dict[str, Any]) -> dict[str, Any]:
    relation, size, weight, media = _relation(creative_id, v)
    extras.update(media=media, categories=v["categories"], subCategories=v["subCategories"])
    return {
        "id": creative_id, "userId": user_id, "isActive": int(v["isActive"][0]) if v["isActive"] else 0,
        "approved": "pending", "creativeType": v["creativeType"], "name": v["name"],
        "frequencyType": v["frequencyType"], "frequency": int(bool(v["frequency"] and v["frequency"][0])),
        "frequencyCap": v["frequencyCap"], "frequencyPeriod": v["frequencyPeriod"], "bidPrice": _price(v["bidPrice"]),
        "autoresize": 0, "adaptiveCpm": False, "size": size, "weight": weight, "thumbnail": None,
        "folderId": v["folderId"], "createdAt": stamp, "updatedAt": stamp, "pendingAt": None, "deletedAt": None,
        "relation": relation, "sizes": []}


def _as_created(stored: Mapping[str, Any], v: Mapping[str, Any]) -> dict[str, Any]:
    """The create answer: the fresh model, before the database's defaults are read back."""
    shown = copy.deepcopy(dict(stored))
    shown.update(isActive=v["isActive"][1] if v["isActive"] else None, approved=None, autoresize=None,
                 adaptiveCpm=None, bidPrice=v["bidPriceSent"], frequency=v["frequency"][1] if v["frequency"] else None)
    relation = shown["relation"]
    if "banner" in relation:
        relation["banner"]["bannerType"] = None
    if "video" in relation:
        relation["video"].update(partyTagFormat=None, autoStoreEndCard=None, autoStoreEndCardOption=None)
    return shown


def listed(store: Store, creative: Mapping[str, Any]) -> dict[str, Any]:
    """A stored creative as 18.1.4 and 19.1.4 list it."""
    extras = store.get(CREATIVE_EXTRAS, creative["id"]) or {}
    shown: dict[str, Any] = {}
    for key, value in creative.items():
        if key == "sizes":
            continue
        if key == "relation":
            shown["media"] = extras.get("media")
            value = copy.deepcopy(value)
            if "banner" in value:
                value["banner"].update(childrenCreative=None, statusChildrenCreative=[], main=1)
        shown[key] = value
    shown["status"] = creative["approved"]
    return shown


# --- 18. Creatives --------------------------------------------------------------------------------

async def _list(request: Request, subject: str) -> Response:
    answer = paginated(request, CREATIVE, subject)
    body = json.loads(bytes(answer.body))
    store = sandbox_of(request).store
    body["data"] = [listed(store, creative) for creative in body["data"]]
    return JSONResponse(body)


async def _get(request: Request, subject: str, creative_id: int, found: dict[str, Any]) -> Response:
    return JSONResponse({"data": found})


async def _create(request: Request, subject: str) -> Response:
    sandbox = sandbox_of(request)
    values, errors = _validate(await json_body(request), sandbox.store, subject)
    if errors:
        return errors.response()
    stamp = now()
    extras: dict[str, Any] = {}
    stored = sandbox.store.create(CREATIVE, subject,
                                  lambda new_id: _new_creative(new_id, int(subject), values, stamp, extras))
    sandbox.store.set(CREATIVE_EXTRAS, stored["id"], subject, extras)
    return JSONResponse({"message": "Creative created.", "data": _as_created(stored, values)})


async def _update(request: Request, subject: str, creative_id: int, found: dict[str, Any]) -> Response:
    errors = Errors()
    active = _bool_field(await json_object(request), "isActive", errors)
    if errors:
        return errors.response()
    shown = found
    if active is not None:
        if found["isActive"] != int(active[0]):
            found.update(isActive=int(active[0]), updatedAt=now())
            sandbox_of(request).store.put(CREATIVE, creative_id, found)
        shown = {**found, "isActive": active[1]}
    return JSONResponse({"message": "Creative updated.", "data": shown})


async def _delete(request: Request, subject: str, creative_id: int, found: dict[str, Any]) -> Response:
    stamp = now()
    found.update(deletedAt=stamp, updatedAt=stamp)
    sandbox_of(request).store.put(CREATIVE, creative_id, found, deleted=True)  # a soft delete
    return JSONResponse({})


# --- 19. Assign Creatives to Campaigns ------------------------------------------------------------

async def _assigned(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    store = sandbox_of(request).store
    found = (store.get(CREATIVE, creative_id, owner=subject) for creative_id in assigned_ids(store, campaign_id))
    rows = [listed(store, creative) for creative in found if creative is not None]
    return page_of(request, rows, default_per_page=ASSIGNED_PER_PAGE, fractal=True)


async def _replace(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    return await _assign(request, subject, campaign_id, "replace")


async def _append(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    return await _assign(request, subject, campaign_id, "append")


async def _remove(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    return await _assign(request, subject, campaign_id, "remove")


async def _assign(request: Request, subject: str, campaign_id: int, how: str) -> Response:
    sandbox = sandbox_of(request)
    errors = Errors()
    values = item_list(await json_object(request), "ids", sandbox.config.max_items_per_request, errors) or []
    ids = owned_ids(values, lambda i: f"ids.{i}", lambda v: v, sandbox.store, CREATIVE, subject, errors)
    if errors:
        return errors.response()
    # No await from here on: the read and the write cannot interleave with another request's.
    current = set(assigned_ids(sandbox.store, campaign_id))
    kept = ids if how == "replace" else current | ids if how == "append" else current - ids
    sandbox.store.set(CAMPAIGN_CREATIVES, campaign_id, subject, {"ids": sorted(kept)})
    if how == "remove":
        return JSONResponse({"message": "Deleted.", "deleted": True})
    return JSONResponse({"message": "Replaced." if how == "replace" else "Appended."})
