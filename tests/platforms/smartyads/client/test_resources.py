"""Media, creatives, geo targeting, deals and filter lists against plain handler functions.

Answers are the document's own examples (sections 5, 6, 8, 17-21); each test checks what went out
(method, path, JSON body or multipart fields) and what the client made of the answer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from email import policy
from email.parser import BytesParser
from typing import Any

import httpx
import pytest

from bulkops._exceptions import ApiError, TransportError
from bulkops.platforms.smartyads.client import (
    Creative,
    Deal,
    FilterList,
    GeoCircle,
    GeoZip,
    Media,
    ParsedFile,
    SmartyAdsClient,
)
from tests.platforms.smartyads.client.conftest import Platform, make_client

CID = 7  # the campaign every campaign route below is about
Handler = Callable[[httpx.Request], httpx.Response]

# -- the document's examples ------------------------------------------------------------------------

IMAGE = {"id": 20, "userId": 96, "mediaType": "image", "originName": "test-image.png", "name": "test-image.png",
         "extension": "png", "url": "/storage/test-image.png", "width": 10, "height": 10, "weight": 91,
         "createdAt": "2026-02-12 16:34:58", "updatedAt": "2026-02-12 16:34:58"}  # 17.1.5
VIDEO = {"id": 21, "userId": 97, "mediaType": "video", "originName": "test-video.mp4", "name": "test-video.mp4",
         "extension": "mp4", "url": "/storage/test-video.mp4", "width": 320, "height": 240, "weight": 5312,
         "mimeType": "video/quicktime", "bitrate": 201493, "duration": 0, "durationTime": "00:00:00",
         "playtime": "00:00:00", "createdAt": "2026-02-12 16:34:58", "updatedAt": "2026-02-12 16:34:58"}  # 17.2.5
HTML = {"id": 22, "userId": 98, "mediaType": "html", "originName": "test-html.zip", "name": "TEST/index.html",
        "extension": "zip", "url": "/storage/TEST/index.html", "width": 0, "height": 0, "weight": 0,
        "createdAt": "2026-02-12 16:34:58", "updatedAt": "2026-02-12 16:34:58"}  # 17.3.5
PARSED = {"message": "success", "items": ["test.com"], "fileName": "1770914098_test-filter.csv",
          "countItems": 0}  # 17.4.4


def creative_json(creative_id: int, **fields: Any) -> dict[str, Any]:
    """A creative as 18.1.4 lists it (its first, banner, entry)."""
    return {"id": creative_id, "userId": 74, "isActive": 0, "approved": "pending", "creativeType": "banner",
            "name": f"Banner creative #{creative_id}", "frequencyType": "ip", "frequency": 0, "frequencyCap": 4,
            "frequencyPeriod": 1, "bidPrice": "16.46", "autoresize": 0, "adaptiveCpm": False, "size": "365 x 281",
            "weight": "0.37 MB", "thumbnail": None, "folderId": None, "createdAt": "2026-02-12 16:34:53",
            "updatedAt": "2026-02-12 16:34:53", "pendingAt": None, "deletedAt": None,
            "media": {"id": 8, "userId": 74, "mediaType": "image", "originName": "video.mp4",
                      "name": "74_c40085229064044ad4aa104f7b1723ca.mp4", "extension": "mp4",
                      "url": "http://rempel.com//74_c40085229064044ad4aa104f7b1723ca.mp4", "width": 395,
                      "height": 244, "weight": 388628},
            "relation": {"banner": {"apiFramework": 0, "admBody": "<a href=\"http://x.org\"></a>",
                                    "bannerType": "banner", "clickUrl": "http://kreiger.com/", "width": 365,
                                    "height": 281, "childrenCreative": None, "statusChildrenCreative": [],
                                    "main": 1}},
            "status": "pending", **fields}


CREATED_CREATIVE = {  # 18.5.5: nulls where the list has values, a number for bidPrice
    "id": 14, "userId": 78, "isActive": None, "approved": None, "creativeType": "banner", "name": "Banner creative #3",
    "frequencyType": "user", "frequency": 1, "frequencyCap": 1, "frequencyPeriod": 1, "bidPrice": 0.5,
    "autoresize": None, "adaptiveCpm": None, "size": "320 x 200", "weight": "-", "thumbnail": None, "folderId": None,
    "createdAt": "2026-02-12 16:34:54", "updatedAt": "2026-02-12 16:34:54", "pendingAt": None, "deletedAt": None,
    "relation": {"banner": {"apiFramework": 0, "admBody": "<iframe src=\"url.to.script\"></iframe>",
                            "bannerType": None, "clickUrl": None, "width": 320, "height": 200}},
    "sizes": []}
CIRCLE = {"lat": 50.4501, "lng": 30.5234, "radius": 10, "include": True}  # 5.1.4
ZIP = {"lat": 50.4501, "lng": 30.5234, "zip": "01001", "iso2": "UA", "countryName": "Ukraine", "include": True}
DEAL = {"id": 1, "campaignId": CID, "dealId": "DEAL-1", "bidPrice": "1.00", "createdAt": "2026-02-12 16:34:51",
        "updatedAt": "2026-02-12 16:34:51"}  # 8.2.4
FILTER_LIST = {"id": 123, "userId": 10, "isInclude": True, "title": "Test Filter list #4", "items": ["a", "b", "c"],
               "type": "domain", "createdAt": "2026-02-12 16:34:56", "updatedAt": "2026-02-12 16:34:56"}  # 20.2.4
CREATED_LIST = {"id": 321, "userId": 10, "isInclude": True, "listCount": 5, "title": "Test Filter list #5",
                "type": "ipAdresses", "createdAt": "2026-02-12 16:34:56", "updatedAt": "2026-02-12 16:34:56"}


def listed(list_id: int, **fields: Any) -> dict[str, Any]:
    """A filter list as 20.1.4 lists it: no items."""
    return {"id": list_id, "userId": 10, "isInclude": False, "title": f"Test Filter list #{list_id}",
            "type": "ipAdresses", "createdAt": "2026-02-12 16:34:55", "updatedAt": "2026-02-12 16:34:55", **fields}


# -- the fake platform ------------------------------------------------------------------------------


class Dsp(Platform):
    """The conftest platform (logins, tokens, `script`) plus `routes[(method, path)]`: a plain function
    of the request that answers every time (after any scripted answers), behind the token check."""

    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[tuple[str, str], Handler] = {}

    def _route(self, request: httpx.Request) -> httpx.Response:
        handler = self.routes.get((request.method, request.url.path))
        if handler is not None:
            return handler(request)
        return super()._route(request)

    def calls(self) -> list[tuple[str, str, Any]]:
        """(method, path, JSON body or None) of every request but the logins."""
        return [(r.method, r.url.path, json.loads(r.content) if r.content else None) for r in self.requests
                if r.url.path != "/api/users/login"]


def answer(body: Any, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, json=body)


def paged(rows: list[Any], *, server_per_page: int | None = None, links: Any = None) -> Handler:
    """`rows` a page at a time; `server_per_page` ignores the asked per_page, as a capped server does."""

    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        size = server_per_page or int(request.url.params.get("per_page", "15"))
        items = rows[(page - 1) * size:page * size]
        pages = max(1, -(-len(rows) // size))
        return httpx.Response(200, json={"data": items, "meta": {"pagination": {
            "total": len(rows), "count": len(items), "per_page": size, "current_page": page, "total_pages": pages,
            "links": {"prev": None, "next": None} if links is None else links}}})

    return handle


def documented(platform: Dsp) -> Dsp:
    """Every route answering its example from the document."""
    base = f"/api/campaigns/{CID}"
    platform.routes.update({
        ("POST", "/api/media-asset/upload/image"): answer({"message": "MediaAsset created.", "data": [IMAGE]}),
        ("POST", "/api/media-asset/upload/video"): answer({"message": "MediaAsset created.", "data": [VIDEO]}),
        ("POST", "/api/media-asset/upload/html"): answer({"message": "MediaAsset created.", "data": [HTML]}),
        ("POST", "/api/parsefile"): answer(PARSED),
        ("GET", "/api/creatives"): paged([creative_json(8), creative_json(9)]),
        ("POST", "/api/creatives"): answer({"message": "Creative created.", "data": CREATED_CREATIVE}),
        ("GET", "/api/creatives/14"): answer({"data": creative_json(14)}),
        ("PUT", "/api/creatives/14"): answer({"message": "Creative updated.",
                                              "data": creative_json(14, isActive=True)}),
        ("DELETE", "/api/creatives/14"): answer({}),
        ("GET", f"{base}/creatives"): paged([creative_json(1)]),
        ("POST", f"{base}/creatives"): answer({"message": "Replaced."}),
        ("PATCH", f"{base}/creatives"): answer({"message": "Appended."}),
        ("DELETE", f"{base}/creatives"): answer({"message": "Deleted.", "deleted": True}),
        ("GET", f"{base}/geo-targeting"): paged([CIRCLE]),
        ("POST", f"{base}/geo-targeting"): answer({"message": "Replaced."}),
        ("PATCH", f"{base}/geo-targeting"): answer({"message": "Appended."}),
        ("DELETE", f"{base}/geo-targeting"): answer({"message": "Deleted."}),
        ("GET", f"{base}/geo-targeting-zip-code"): paged([ZIP]),
        ("POST", f"{base}/geo-targeting-zip-code"): answer({"message": "Replaced."}),
        ("PATCH", f"{base}/geo-targeting-zip-code"): answer({"message": "Appended."}),
        ("DELETE", f"{base}/geo-targeting-zip-code"): answer({"message": "Deleted."}),
        ("GET", f"{base}/deals-all"): answer({"data": [DEAL]}),
        ("POST", f"{base}/deals"): answer({"message": "Replaced."}),
        ("DELETE", f"{base}/deals"): answer({"message": "Deleted."}),
        ("GET", "/api/filterlist"): paged([listed(1), listed(2)], links=[]),
        ("POST", "/api/filterlist"): answer({"message": "Created", "data": CREATED_LIST}),
        ("GET", "/api/filterlist/123"): answer({"data": FILTER_LIST}),
        ("PUT", "/api/filterlist/123"): answer({"message": "Updated", "data": {**CREATED_LIST, "id": 123}}),
        ("DELETE", "/api/filterlist/123"): answer({"message": "Deleted", "deleted": True}),
        ("GET", f"{base}/filterlists"): paged([{"filterList": {"id": 1, "title": "Test Filter list #1", "items": []}}],
                                              links=[]),
        ("POST", f"{base}/filterlists"): answer({"message": "Replaced."}),
        ("DELETE", f"{base}/filterlists"): answer({"message": "Deleted."}),
    })
    return platform


@pytest.fixture
def dsp() -> Dsp:
    return documented(Dsp())


def run(platform: Dsp, call: Callable[[SmartyAdsClient], Any], **client_options: Any) -> Any:
    async def go():
        async with make_client(platform, **client_options) as api:
            return await call(api)

    return asyncio.run(go())


def form_parts(request: httpx.Request) -> list[tuple[str | None, str | None, str, bytes]]:
    """(field name, file name, content type, content) of each part of a multipart body."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.default).parsebytes(head + request.content)
    assert message.is_multipart()
    return [(part.get_param("name", header="content-disposition"), part.get_filename(), part.get_content_type(),
             part.get_payload(decode=True)) for part in message.iter_parts()]


# -- media (17) -------------------------------------------------------------------------------------


@pytest.mark.parametrize("media_type,example", [("image", IMAGE), ("video", VIDEO), ("html", HTML)])
def test_upload_media_sends_every_file_in_one_multipart_request(dsp, media_type, example):
    files = [("a.png", b"\x89PNG first", "image/png"), ("b.mp4", b"second \x00 file", "video/mp4")]
    dsp.routes[("POST", f"/api/media-asset/upload/{media_type}")] = answer(
        {"message": "MediaAsset created.", "data": [example, {**example, "id": example["id"] + 100}]})

    media = run(dsp, lambda api: api.upload_media(media_type, files))

    upload, = dsp.sent("POST", f"/api/media-asset/upload/{media_type}")
    assert upload.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert form_parts(upload) == [("media_assets[]", "a.png", "image/png", b"\x89PNG first"),
                                  ("media_assets[]", "b.mp4", "video/mp4", b"second \x00 file")]
    assert all(isinstance(m, Media) for m in media)
    assert [m.id for m in media] == [example["id"], example["id"] + 100]
    assert (media[0].mediaType, media[0].originName, media[0].url) == (media_type, example["originName"],
                                                                        example["url"])


def test_an_uploaded_video_keeps_its_video_fields(dsp):
    video, = run(dsp, lambda api: api.upload_media("video", [("v.mp4", b"v", "video/mp4")]))
    assert (video.mimeType, video.bitrate, video.durationTime, video.playtime) == (
        "video/quicktime", 201493, "00:00:00", "00:00:00")


def test_upload_media_refuses_an_unknown_type_and_sends_nothing_for_no_files(dsp):
    with pytest.raises(ValueError, match="image, video, html"):
        run(dsp, lambda api: api.upload_media("audio", [("a.mp3", b"x", "audio/mpeg")]))
    assert run(dsp, lambda api: api.upload_media("image", [])) == []
    assert dsp.requests == []


def test_parse_filter_file_posts_the_file_as_multipart_field_file(dsp):
    parsed = run(dsp, lambda api: api.parse_filter_file("items.csv", b"test.com\nexample.org\n"))

    request, = dsp.sent("POST", "/api/parsefile")
    assert form_parts(request) == [("file", "items.csv", "text/csv", b"test.com\nexample.org\n")]
    assert isinstance(parsed, ParsedFile)
    assert (parsed.fileName, parsed.items, parsed.countItems) == ("1770914098_test-filter.csv", ["test.com"], 0)


# -- creatives (18) ---------------------------------------------------------------------------------


def test_creatives_create_get_update_delete_paths_and_bodies(dsp):
    payload = {"name": "Banner creative #3", "creativeType": "banner", "bidPrice": 0.5,
               "banner": {"width": 320, "height": 200, "admBody": "<iframe></iframe>"},
               "categories": {"IAB1": True}, "subCategories": {"IAB1": ["IAB1-1"]}}

    async def go(api):
        created = await api.create_creative(payload)
        fetched = await api.get_creative(created.id)
        updated = await api.update_creative(created.id, {"isActive": True})
        await api.delete_creative(created.id)
        return created, fetched, updated

    created, fetched, updated = run(dsp, go)
    assert dsp.calls() == [("POST", "/api/creatives", payload), ("GET", "/api/creatives/14", None),
                           ("PUT", "/api/creatives/14", {"isActive": True}), ("DELETE", "/api/creatives/14", None)]
    assert all(r.headers["content-type"] == "application/json" for r in dsp.requests if r.content)
    assert isinstance(created, Creative)
    # 18.5.5 answers nulls and a numeric bidPrice; the list answers 0/1 and text.
    assert (created.id, created.creativeType, created.isActive, created.bidPrice) == (14, "banner", None, "0.5")
    assert (fetched.isActive, fetched.bidPrice, fetched.frequency, fetched.media.id) == (False, "16.46", False, 8)
    assert fetched.relation["banner"]["width"] == 365
    assert updated.isActive is True


def test_iter_creatives_reads_every_page(dsp):
    dsp.routes[("GET", "/api/creatives")] = paged([creative_json(i) for i in range(1, 6)])

    ids = run(dsp, lambda api: _collect(api.iter_creatives(per_page=2)))

    assert ids == [1, 2, 3, 4, 5]
    pages = [(r.url.params["page"], r.url.params["per_page"]) for r in dsp.sent("GET", "/api/creatives")]
    assert pages == [("1", "2"), ("2", "2"), ("3", "2")]


def test_list_creatives_gives_one_page_and_its_pagination(dsp):
    page = run(dsp, lambda api: api.list_creatives(page=1, per_page=15))
    assert [c.name for c in page.items] == ["Banner creative #8", "Banner creative #9"]
    assert (page.pagination.total, page.pagination.total_pages) == (2, 1)


def test_deleting_a_creative_that_is_gone_is_a_404(dsp):
    dsp.script[("DELETE", "/api/creatives/14")] = [
        httpx.Response(404, json={"message": "No query results for model [Creative] 14"})]

    with pytest.raises(ApiError) as caught:
        run(dsp, lambda api: api.delete_creative(14))
    assert caught.value.status_code == 404 and "No query results" in caught.value.message


# -- creatives of a campaign (19) -------------------------------------------------------------------


def test_campaign_creatives_get_every_page_and_replace_append_remove_by_ids(dsp):
    dsp.routes[("GET", f"/api/campaigns/{CID}/creatives")] = paged([creative_json(i) for i in (1, 2, 3)],
                                                                   server_per_page=2)

    async def go(api):
        found = await api.get_campaign_creatives(CID)
        await api.replace_campaign_creatives(CID, [2, 3])
        await api.append_campaign_creatives(CID, [5])
        await api.remove_campaign_creatives(CID, [7])
        return found

    found = run(dsp, go)
    assert [c.id for c in found] == [1, 2, 3]
    path = f"/api/campaigns/{CID}/creatives"
    assert [c for c in dsp.calls() if c[0] != "GET"] == [
        ("POST", path, {"ids": [2, 3]}), ("PATCH", path, {"ids": [5]}), ("DELETE", path, {"ids": [7]})]
    assert [r.url.params["page"] for r in dsp.sent("GET", path)] == ["1", "2"]
    assert dsp.sent("DELETE", path)[0].headers["content-type"] == "application/json"


# -- GEO targeting (5, 6) ---------------------------------------------------------------------------

GEO = [  # noun, path, one item as sent, one row as answered, the model
    ("geo_circles", "geo-targeting", {"lat": 50.4501, "lng": 30.5234, "radius": 10, "include": True}, CIRCLE,
     GeoCircle),
    ("geo_zips", "geo-targeting-zip-code",
     {"lat": 50.4501, "lng": 30.5234, "zip": "01001", "iso2": "UA", "include": True}, ZIP, GeoZip),
]


@pytest.mark.parametrize("noun,sub,item,row,model", GEO)
def test_geo_get_follows_every_page(dsp, noun, sub, item, row, model):
    rows = [{**row, "lat": float(n)} for n in range(5)]
    dsp.routes[("GET", f"/api/campaigns/{CID}/{sub}")] = paged(rows, server_per_page=2)

    found = run(dsp, lambda api: getattr(api, f"get_{noun}")(CID))

    assert all(isinstance(f, model) for f in found)
    assert [f.lat for f in found] == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert [r.url.params["page"] for r in dsp.sent("GET", f"/api/campaigns/{CID}/{sub}")] == ["1", "2", "3"]


def test_geo_rows_read_as_documented(dsp):
    circles, zips = run(dsp, lambda api: asyncio.gather(api.get_geo_circles(CID), api.get_geo_zips(CID)))
    assert circles == [GeoCircle(lat=50.4501, lng=30.5234, radius=10.0, include=True)]
    assert zips[0].model_dump() == {"zip": "01001", "iso2": "UA", "lat": 50.4501, "lng": 30.5234, "include": True,
                                    "countryName": "Ukraine"}


def test_a_geo_list_without_pagination_is_one_page(dsp):
    dsp.routes[("GET", f"/api/campaigns/{CID}/geo-targeting")] = answer({"data": [CIRCLE, CIRCLE]})
    assert len(run(dsp, lambda api: api.get_geo_circles(CID))) == 2
    assert len(dsp.sent("GET")) == 1


@pytest.mark.parametrize("noun,sub,item,row,model", GEO)
def test_geo_replace_posts_append_patches_delete_deletes(dsp, noun, sub, item, row, model):
    other = {**item, "include": False}

    async def go(api):
        assert await getattr(api, f"replace_{noun}")(CID, [item, other]) is None
        await getattr(api, f"append_{noun}")(CID, [other])
        await getattr(api, f"delete_{noun}")(CID)

    run(dsp, go)
    path = f"/api/campaigns/{CID}/{sub}"
    assert dsp.calls() == [("POST", path, {"items": [item, other]}), ("PATCH", path, {"items": [other]}),
                           ("DELETE", path, {"message": "Deleted."})]  # 5.4.2 / 6.4.2, as documented


# -- deals (8) --------------------------------------------------------------------------------------


def test_deals_read_all_at_once_replace_and_delete_by_record_id(dsp):
    dsp.routes[("GET", f"/api/campaigns/{CID}/deals-all")] = answer(
        {"data": [DEAL, {**DEAL, "id": 2, "dealId": "DEAL-2", "bidPrice": 1.5}]})

    async def go(api):
        deals = await api.get_deals(CID)
        await api.replace_deals(CID, [{"dealId": "DEAL-1", "bidPrice": "1.00"}])
        await api.delete_deals(CID, [d.id for d in deals])
        return deals

    deals = run(dsp, go)
    assert all(isinstance(d, Deal) for d in deals)
    assert [(d.id, d.campaignId, d.dealId, d.bidPrice) for d in deals] == [(1, CID, "DEAL-1", "1.00"),
                                                                           (2, CID, "DEAL-2", "1.5")]
    assert dsp.calls() == [("GET", f"/api/campaigns/{CID}/deals-all", None),
                           ("POST", f"/api/campaigns/{CID}/deals", {"deals": [{"dealId": "DEAL-1",
                                                                               "bidPrice": "1.00"}]}),
                           ("DELETE", f"/api/campaigns/{CID}/deals", {"deals": [{"id": 1}, {"id": 2}]})]


# -- filter lists (20, 21) --------------------------------------------------------------------------


def test_filter_lists_create_get_replace_delete_paths_and_bodies(dsp):
    create = {"title": "Test Filter list #5", "type": "ipAdresses", "isInclude": True,
              "items": ["31.172.51.49", "10.175.11.90"]}
    replace = {"title": "Test FilterList #7", "isInclude": True, "fileName": "1770914098_test-filter.csv"}

    async def go(api):
        created = await api.create_filter_list(create)
        fetched = await api.get_filter_list(123)
        replaced = await api.replace_filter_list(123, replace)
        await api.delete_filter_list(123)
        return created, fetched, replaced

    created, fetched, replaced = run(dsp, go)
    assert dsp.calls() == [("POST", "/api/filterlist", create), ("GET", "/api/filterlist/123", None),
                           ("PUT", "/api/filterlist/123", replace), ("DELETE", "/api/filterlist/123", None)]
    assert all(isinstance(f, FilterList) for f in (created, fetched, replaced))
    assert (created.id, created.type, created.listCount, created.items) == (321, "ipAdresses", 5, [])
    assert (fetched.title, fetched.isInclude, fetched.items) == ("Test Filter list #4", True, ["a", "b", "c"])
    assert replaced.id == 123


def test_iter_filter_lists_reads_every_page(dsp):
    dsp.routes[("GET", "/api/filterlist")] = paged([listed(i) for i in range(1, 4)], links=[])

    titles = run(dsp, lambda api: _collect(api.iter_filter_lists(per_page=2), "title"))

    assert titles == ["Test Filter list #1", "Test Filter list #2", "Test Filter list #3"]
    assert [r.url.params["page"] for r in dsp.sent("GET", "/api/filterlist")] == ["1", "2"]


def test_campaign_filter_lists_are_ids_from_every_page_and_are_sent_as_documented(dsp):
    nested = [{"filterList": {"id": i, "title": f"Test Filter list #{i}", "items": []}} for i in (1, 2, 3)]
    dsp.routes[("GET", f"/api/campaigns/{CID}/filterlists")] = paged(nested, server_per_page=2, links=[])

    async def go(api):
        ids = await api.get_campaign_filter_lists(CID)
        await api.replace_campaign_filter_lists(CID, [4, 5])
        await api.remove_campaign_filter_lists(CID, [7])
        return ids

    assert run(dsp, go) == [1, 2, 3]
    path = f"/api/campaigns/{CID}/filterlists"
    assert [c for c in dsp.calls() if c[0] != "GET"] == [("POST", path, {"items": [{"id": 4}, {"id": 5}]}),
                                                         ("DELETE", path, {"ids": [7]})]
    assert len(dsp.sent("GET", path)) == 2


def test_an_assignment_answer_without_filterlist_is_an_unexpected_body(dsp):
    dsp.routes[("GET", f"/api/campaigns/{CID}/filterlists")] = answer({"data": [{"id": 1}]})

    with pytest.raises(ApiError, match="unexpected body: filterList: Field required"):
        run(dsp, lambda api: api.get_campaign_filter_lists(CID))


# -- what is repeated after a lost answer -------------------------------------------------------------

FILE = [("a.png", b"png", "image/png")]
# (method, path, call): calls that add something, so a lost answer must not be sent again.
NOT_REPLAYABLE = [
    ("POST", "/api/media-asset/upload/image", lambda api: api.upload_media("image", FILE)),
    ("POST", "/api/media-asset/upload/html", lambda api: api.upload_media("html", FILE)),
    ("POST", "/api/creatives", lambda api: api.create_creative({"name": "x"})),
    ("POST", "/api/filterlist", lambda api: api.create_filter_list({"title": "x"})),
    ("PATCH", f"/api/campaigns/{CID}/creatives", lambda api: api.append_campaign_creatives(CID, [5])),
    ("PATCH", f"/api/campaigns/{CID}/geo-targeting", lambda api: api.append_geo_circles(CID, [CIRCLE])),
    ("PATCH", f"/api/campaigns/{CID}/geo-targeting-zip-code", lambda api: api.append_geo_zips(CID, [ZIP])),
]
# Calls whose repetition leaves the same state.
REPLAYABLE = [
    ("POST", "/api/parsefile", lambda api: api.parse_filter_file("f.csv", b"a.com\n")),
    ("GET", "/api/creatives/14", lambda api: api.get_creative(14)),
    ("PUT", "/api/creatives/14", lambda api: api.update_creative(14, {"isActive": False})),
    ("DELETE", "/api/creatives/14", lambda api: api.delete_creative(14)),
    ("GET", f"/api/campaigns/{CID}/creatives", lambda api: api.get_campaign_creatives(CID)),
    ("POST", f"/api/campaigns/{CID}/creatives", lambda api: api.replace_campaign_creatives(CID, [1])),
    ("DELETE", f"/api/campaigns/{CID}/creatives", lambda api: api.remove_campaign_creatives(CID, [1])),
    ("GET", f"/api/campaigns/{CID}/geo-targeting", lambda api: api.get_geo_circles(CID)),
    ("POST", f"/api/campaigns/{CID}/geo-targeting", lambda api: api.replace_geo_circles(CID, [CIRCLE])),
    ("DELETE", f"/api/campaigns/{CID}/geo-targeting", lambda api: api.delete_geo_circles(CID)),
    ("POST", f"/api/campaigns/{CID}/geo-targeting-zip-code", lambda api: api.replace_geo_zips(CID, [ZIP])),
    ("DELETE", f"/api/campaigns/{CID}/geo-targeting-zip-code", lambda api: api.delete_geo_zips(CID)),
    ("GET", f"/api/campaigns/{CID}/deals-all", lambda api: api.get_deals(CID)),
    ("POST", f"/api/campaigns/{CID}/deals", lambda api: api.replace_deals(CID, [{"dealId": "D", "bidPrice": "1"}])),
    ("DELETE", f"/api/campaigns/{CID}/deals", lambda api: api.delete_deals(CID, [1])),
    ("PUT", "/api/filterlist/123", lambda api: api.replace_filter_list(123, {"items": ["a.com"]})),
    ("DELETE", "/api/filterlist/123", lambda api: api.delete_filter_list(123)),
    ("POST", f"/api/campaigns/{CID}/filterlists", lambda api: api.replace_campaign_filter_lists(CID, [1])),
    ("DELETE", f"/api/campaigns/{CID}/filterlists", lambda api: api.remove_campaign_filter_lists(CID, [1])),
]


def _ids_of(calls: list[tuple[str, str, Any]]) -> list[str]:
    return [f"{method} {path}" for method, path, _ in calls]


@pytest.mark.parametrize("method,path,call", NOT_REPLAYABLE, ids=_ids_of(NOT_REPLAYABLE))
def test_a_lost_answer_to_a_call_that_adds_is_ambiguous_and_not_repeated(dsp, method, path, call):
    dsp.script[(method, path)] = [httpx.ReadTimeout("slow")]

    with pytest.raises(TransportError) as caught:
        run(dsp, call)
    assert caught.value.maybe_sent is True and "ReadTimeout" in caught.value.message
    assert len(dsp.sent(method, path)) == 1


@pytest.mark.parametrize("method,path,call", NOT_REPLAYABLE, ids=_ids_of(NOT_REPLAYABLE))
def test_a_503_to_a_call_that_adds_is_an_api_error_and_not_repeated(dsp, method, path, call):
    dsp.script[(method, path)] = [httpx.Response(503, text="Service Unavailable")]

    with pytest.raises(ApiError) as caught:
        run(dsp, call)
    assert caught.value.status_code == 503
    assert len(dsp.sent(method, path)) == 1


@pytest.mark.parametrize("method,path,call", REPLAYABLE, ids=_ids_of(REPLAYABLE))
def test_a_lost_answer_or_a_503_to_a_repeatable_call_is_sent_again(dsp, method, path, call):
    dsp.script[(method, path)] = [httpx.ReadTimeout("slow"), httpx.Response(503)]

    async def go(api):
        await call(api)
        return api.stats

    stats = run(dsp, go)
    sent = dsp.sent(method, path)
    assert len(sent) == 3 and stats.retries == 2
    if path == "/api/parsefile":  # each multipart body has its own boundary: compare the parts
        assert len({repr(form_parts(r)) for r in sent}) == 1
    else:
        assert len({r.content for r in sent}) == 1


def test_connect_error_is_retried_even_for_an_upload(dsp):
    dsp.script[("POST", "/api/media-asset/upload/image")] = [httpx.ConnectError("refused")]

    media = run(dsp, lambda api: api.upload_media("image", FILE))

    assert [m.id for m in media] == [20]
    assert [form_parts(r) for r in dsp.sent("POST", "/api/media-asset/upload/image")] == [
        [("media_assets[]", "a.png", "image/png", b"png")]] * 2


def test_an_unreadable_2xx_to_an_append_may_have_appended(dsp):
    dsp.script[("PATCH", f"/api/campaigns/{CID}/geo-targeting")] = [httpx.Response(200, text="<html>OK</html>")]

    with pytest.raises(TransportError, match="may have been done") as caught:
        run(dsp, lambda api: api.append_geo_circles(CID, [CIRCLE]))
    assert caught.value.maybe_sent is True


def test_an_unreadable_2xx_to_an_upload_may_have_created(dsp):
    dsp.script[("POST", "/api/media-asset/upload/video")] = [httpx.Response(200, json={"message": "ok"})]

    with pytest.raises(TransportError, match="may have been created") as caught:
        run(dsp, lambda api: api.upload_media("video", FILE))
    assert caught.value.maybe_sent is True


# -- validation errors ------------------------------------------------------------------------------

REFUSED = [  # (method, path, call, field)
    ("POST", "/api/creatives", lambda api: api.create_creative({"name": ""}), "name"),
    ("PUT", "/api/filterlist/123", lambda api: api.replace_filter_list(123, {"items": ["x"]}), "items.0"),
    ("POST", f"/api/campaigns/{CID}/geo-targeting-zip-code",
     lambda api: api.replace_geo_zips(CID, [{**ZIP, "iso2": "XX"}]), "items.0.iso2"),
    ("PATCH", f"/api/campaigns/{CID}/geo-targeting", lambda api: api.append_geo_circles(CID, [CIRCLE]),
     "items.0.radius"),
    ("POST", f"/api/campaigns/{CID}/deals", lambda api: api.replace_deals(CID, [{"dealId": "D"}]),
     "deals.0.bidPrice"),
    ("POST", f"/api/campaigns/{CID}/filterlists", lambda api: api.replace_campaign_filter_lists(CID, [99]),
     "items.0.id"),
    ("POST", "/api/media-asset/upload/image", lambda api: api.upload_media("image", FILE), "media_assets.0"),
    ("POST", "/api/parsefile", lambda api: api.parse_filter_file("f.csv", b""), "file"),
]


@pytest.mark.parametrize("method,path,call,field", REFUSED, ids=[f"{m} {p}" for m, p, _, _ in REFUSED])
def test_a_422_is_an_api_error_with_the_platforms_words(dsp, method, path, call, field):
    message = f"The {field} field is invalid."
    dsp.script[(method, path)] = [httpx.Response(422, json={"message": message, "errors": {field: [message]}})]

    with pytest.raises(ApiError) as caught:
        run(dsp, call)
    assert caught.value.status_code == 422
    assert caught.value.message == message
    assert caught.value.field_errors == {field: [message]}
    assert len(dsp.sent(method, path)) == 1


# -- helpers ----------------------------------------------------------------------------------------


async def _collect(items: Any, attribute: str = "id") -> list[Any]:
    return [getattr(item, attribute) async for item in items]
