"""18 and 19: creatives in each documented variant, and their assignment to campaigns."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bulkops.platforms.smartyads.sandbox import CREATIVE, MEDIA
from bulkops.sandbox import CAMPAIGN, SandboxConfig, running
from tests._media import jpeg, mp4, png
from tests.platforms.smartyads.sandbox.test_media import html_zip, upload
from tests.sandbox.conftest import assert_refused, create

pytestmark = pytest.mark.slow

DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
CATEGORIES = {"subCategories": {"IAB1": ["IAB1-1"]}, "categories": {"IAB1": True}}
# The document's request bodies (18.5.2–18.10.2); media ids are filled in by `_body`.
BANNER_TAG = {"name": "Banner creative #3", "creativeType": "banner", "frequencyType": "user", "frequencyCap": 1,
              "frequency": 1, "frequencyPeriod": 1, "bidPrice": 0.5,
              "banner": {"apiFramework": 0, "width": 320, "height": 200,
                         "admBody": '<iframe src="url.to.script"></iframe>'}, **CATEGORIES}
BANNER_IMAGE = {"name": "Banner creative #4", "creativeType": "banner", "mediaId": "image", "frequency": 0,
                "bidPrice": 0.5, "banner": {"apiFramework": 0, "width": 320, "height": 200,
                                            "clickUrl": "http://www.deckow.biz/"}, **CATEGORIES}
BANNER_HTML = {"name": "Banner creative #5", "creativeType": "banner", "mediaId": "html", "frequency": 0,
               "bidPrice": 0.5, "banner": {"apiFramework": 3, "width": 320, "height": 200}, **CATEGORIES}
NATIVE = {"name": "Native creative #3", "creativeType": "native", "frequencyType": "user", "frequencyCap": 1,
          "frequencyPeriod": 1, "frequency": 1, "bidPrice": 0.5, "folderId": None,
          "native": {"smallImageId": "logo", "largeImageId": "image", "assetDataDesc": "Eos ut ea debitis.",
                     "assetTitle": "Et nihil.", "assetDataSponsored": "Qui et rem sit sed.",
                     "assetCtaText": "Magnam omnis.", "clickUrl": "http://cormier.com/",
                     "displayUrl": "http://schneider.net/dolorem-officia-et-et-doloribus"}, **CATEGORIES}
VIDEO_TAG = {"name": "Video creative #3", "creativeType": "video", "frequency": 0, "bidPrice": 100,
             "video": {"mimeType": ["video/mp4"], "admBody": '<iframe src="url.to.script"></iframe>'}, **CATEGORIES}
VIDEO_MEDIA = {"name": "Video creative #4", "creativeType": "video", "frequencyType": "user", "frequencyCap": 1,
               "frequencyPeriod": 1, "frequency": 1, "mediaId": "video", "bidPrice": 100,
               "video": {"clickUrl": "http://collins.com/a-sed-dolores-voluptatibus-quibusdam-iusto"}, **CATEGORIES}
GET_KEYS = ["id", "userId", "isActive", "approved", "creativeType", "name", "frequencyType", "frequency",
            "frequencyCap", "frequencyPeriod", "bidPrice", "autoresize", "adaptiveCpm", "size", "weight", "thumbnail",
            "folderId", "createdAt", "updatedAt", "pendingAt", "deletedAt", "relation", "sizes"]  # 18.2.4's order
LIST_KEYS = GET_KEYS[:21] + ["media", "relation", "status"]  # 18.1.4's and 19.1.4's order
MEDIA_KEYS = ["id", "userId", "mediaType", "originName", "name", "extension", "url", "width", "height", "weight"]


def _upload_all(client: httpx.Client, headers: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """One media of each kind the variants use: image 300x250, logo 64x64, rich-media ZIP, 640x360 video."""
    image = upload(client, "image", ("banner.png", png(300, 250)), ("logo.jpg", jpeg(64, 64)), headers=headers)
    html = upload(client, "html", ("rich.zip", html_zip("AD/index.html")), headers=headers)
    video = upload(client, "video", ("spot.mp4", mp4(640, 360, 8)), headers=headers)
    assert image.status_code == html.status_code == video.status_code == 200
    banner, logo = image.json()["data"]
    return {"image": banner, "logo": logo, "html": html.json()["data"][0], "video": video.json()["data"][0]}


def _body(template: dict[str, Any], media: dict[str, dict[str, Any]], **changes: Any) -> dict[str, Any]:
    """A copy of a document body with media names replaced by ids; `changes` set keys, dotted for sections."""
    body = copy.deepcopy(template)
    if isinstance(body.get("mediaId"), str):
        body["mediaId"] = media[body["mediaId"]]["id"]
    for field in ("smallImageId", "largeImageId"):
        if isinstance(body.get("native", {}).get(field), str):
            body["native"][field] = media[body["native"][field]]["id"]
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        target = body
        for part in path:
            target = target.setdefault(part, {})
        if value is _DROP:
            target.pop(last, None)
        else:
            target[last] = value
    return body


_DROP = object()


@pytest.fixture(scope="module")
def module_server() -> Iterator:
    with running(SandboxConfig(max_items_per_request=4)) as srv:
        yield srv


@pytest.fixture(scope="module")
def media(client) -> dict[str, dict[str, Any]]:
    return _upload_all(client)


@pytest.fixture
def mine(http, auth) -> dict[str, dict[str, Any]]:
    return _upload_all(http, auth)


def _create(http: httpx.Client, auth: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    answer = http.post("/api/creatives", json=body, headers=auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["message"] == "Creative created."
    return answer.json()["data"]


# --- 18.5–18.10: each variant, as created and as read back -------------------------------------------

def test_banner_with_a_third_party_tag(server, http, auth):
    created = _create(http, auth, BANNER_TAG)
    stamp = created["createdAt"]
    assert DATETIME.fullmatch(stamp)
    # 18.5.5: the fresh model, with isActive/approved/autoresize/adaptiveCpm/bannerType not yet read back.
    assert created == {
        "id": 1, "userId": 18, "isActive": None, "approved": None, "creativeType": "banner",
        "name": "Banner creative #3", "frequencyType": "user", "frequency": 1, "frequencyCap": 1,
        "frequencyPeriod": 1, "bidPrice": 0.5, "autoresize": None, "adaptiveCpm": None, "size": "320 x 200",
        "weight": "-", "thumbnail": None, "folderId": None, "createdAt": stamp, "updatedAt": stamp,
        "pendingAt": None, "deletedAt": None,
        "relation": {"banner": {"apiFramework": 0, "admBody": '<iframe src="url.to.script"></iframe>',
                                "bannerType": None, "clickUrl": None, "width": 320, "height": 200}},
        "sizes": []}
    assert list(created) == GET_KEYS
    stored = {**created, "isActive": 0, "approved": "pending", "autoresize": 0, "adaptiveCpm": False,
              "bidPrice": "0.50", "relation": {"banner": {**created["relation"]["banner"], "bannerType": "banner"}}}
    assert http.get("/api/creatives/1", headers=auth).json() == {"data": stored}
    assert server.sandbox.creatives() == [stored]


def test_banner_with_an_image_takes_the_images_size(server, http, auth, mine):
    created = _create(http, auth, _body(BANNER_IMAGE, mine))
    image = mine["image"]
    assert (created["size"], created["weight"]) == ("300 x 250", f"{image['weight'] / 1048576:.2f} MB")
    assert created["relation"] == {"banner": {
        "apiFramework": 0, "admBody": f'<img src="{image["url"]}" crossorigin="anonymous"/>', "bannerType": None,
        "clickUrl": "http://www.deckow.biz/", "width": 300, "height": 250}}
    assert (created["frequency"], created["frequencyType"], created["frequencyCap"]) == (0, None, None)
    assert "media" not in created and list(created) == GET_KEYS
    assert server.sandbox.creatives()[0]["relation"]["banner"]["bannerType"] == "banner"


def test_banner_with_rich_media_keeps_its_sent_size(http, auth, mine):
    created = _create(http, auth, _body(BANNER_HTML, mine))
    assert created["size"] == "320 x 200" and created["weight"] == f"{mine['html']['weight'] / 1048576:.2f} MB"
    assert created["relation"]["banner"] == {
        "apiFramework": 3, "bannerType": None, "clickUrl": None, "width": 320, "height": 200,
        "admBody": '<iframe src="/storage/AD/index.html" style="border:0; width:100%; height:100%;"></iframe>'}


def test_native(server, http, auth, mine):
    created = _create(http, auth, _body(NATIVE, mine))
    logo, image = mine["logo"], mine["image"]

    def shown(media: dict[str, Any]) -> dict[str, Any]:
        iso = media["createdAt"].replace(" ", "T") + ".000000Z"
        return {"id": media["id"], "folderId": None, "userId": 18, "width": media["width"],
                "height": media["height"], "name": media["name"], "url": media["url"], "href": None,
                "originName": media["originName"], "path": None, "extension": media["extension"],
                "mediaType": "image", "createdAt": iso, "updatedAt": iso, "deletedAt": None,
                "weight": media["weight"]}

    native = {"smallImageId": logo["id"], "largeImageId": image["id"], "smallImage": shown(logo),
              "largeImage": shown(image), **{k: v for k, v in NATIVE["native"].items() if "Id" not in k},
              "impTracker": None}
    assert created["relation"] == {"native": native}
    assert list(created["relation"]["native"]) == list(native)  # 18.8.5's order
    assert list(native["smallImage"]) == list(shown(logo))
    assert (created["size"], created["weight"], created["frequency"]) == ("300 x 250", "-", 1)
    assert server.sandbox.creatives()[0]["relation"] == {"native": native}


def test_native_without_a_logo(http, auth, mine):
    created = _create(http, auth, _body(NATIVE, mine, native__smallImageId=_DROP))
    assert created["relation"]["native"]["smallImageId"] is None
    assert created["relation"]["native"]["smallImage"] is None


def test_video_with_a_third_party_tag(server, http, auth):
    created = _create(http, auth, VIDEO_TAG)
    assert (created["size"], created["weight"], created["bidPrice"]) == ("0 x 0", "-", 100)
    video = {"admBody": '<iframe src="url.to.script"></iframe>', "mimeType": ["video/mp4"], "width": 0, "height": 0,
             "duration": 0, "clickUrl": "", "partyTagFormat": None, "apiFramework": None, "autoStoreEndCard": None,
             "autoStoreEndCardOption": None, "politicalLabelEnabled": False, "politicalTooltip": []}
    assert created["relation"] == {"video": video}  # 18.9.5
    assert list(created["relation"]["video"]) == list(video)
    # Read back (18.4.4): the database's defaults.
    stored = server.sandbox.creatives()[0]
    assert stored["relation"]["video"] == {**video, "partyTagFormat": 0, "autoStoreEndCard": 0,
                                           "autoStoreEndCardOption": "appStore"}
    assert stored["bidPrice"] == "100.00"


def test_video_with_media(http, auth, mine):
    created = _create(http, auth, _body(VIDEO_MEDIA, mine))
    clip = mine["video"]
    video = created["relation"]["video"]
    assert (created["size"], created["weight"]) == ("640 x 360", f"{clip['weight'] / 1048576:.2f} MB")
    assert {k: v for k, v in video.items() if k != "admBody"} == {
        "mimeType": ["video/mp4"], "width": 640, "height": 360, "duration": 8,
        "clickUrl": VIDEO_MEDIA["video"]["clickUrl"], "partyTagFormat": None, "apiFramework": None,
        "autoStoreEndCard": None, "autoStoreEndCardOption": None, "politicalLabelEnabled": False,
        "politicalTooltip": {"text": "", "link": "", "position": "top-left"}}
    assert video["admBody"].startswith('<?xml version="1.0" encoding="UTF-8"?>\n<VAST version="2.0">')
    for part in (f'<Creative AdID="{created["id"]}">', "<Duration>00:00:08</Duration>",
                 f"<ClickThrough><![CDATA[{VIDEO_MEDIA['video']['clickUrl']}]]></ClickThrough>",
                 f'type="video/mp4" width="640" height="360"><![CDATA[{clip["url"]}]]></MediaFile>'):
        assert part in video["admBody"]


def test_create_answers_booleans_and_price_as_sent(server, http, auth):
    created = _create(http, auth, {**VIDEO_TAG, "isActive": True, "frequency": "0", "bidPrice": "2.345"})
    assert (created["isActive"], created["frequency"], created["bidPrice"]) == (True, "0", "2.345")
    stored = server.sandbox.creatives()[0]
    assert (stored["isActive"], stored["frequency"], stored["bidPrice"]) == (1, 0, "2.35")


# --- 18.1: the list -------------------------------------------------------------------------------------

def test_list_shows_media_status_and_banner_extras(server, http, auth, mine):
    tag = _create(http, auth, BANNER_TAG)
    image = _create(http, auth, _body(BANNER_IMAGE, mine))
    native = _create(http, auth, _body(NATIVE, mine))
    body = http.get("/api/creatives", headers=auth).json()
    assert body["meta"] == {"pagination": {"total": 3, "count": 3, "per_page": 15, "current_page": 1,
                                           "total_pages": 1, "links": []}}
    rows = body["data"]
    assert [r["id"] for r in rows] == [tag["id"], image["id"], native["id"]]
    assert all(list(r) == LIST_KEYS for r in rows)
    assert [r["status"] for r in rows] == ["pending"] * 3
    assert rows[0]["media"] is None
    assert rows[1]["media"] == {k: mine["image"][k] for k in MEDIA_KEYS}
    assert rows[2]["media"]["id"] == mine["image"]["id"]  # a native's media is its large image
    assert rows[1]["relation"]["banner"] == {**server.sandbox.creatives()[1]["relation"]["banner"],
                                             "childrenCreative": None, "statusChildrenCreative": [], "main": 1}
    assert rows[2]["relation"] == server.sandbox.creatives()[2]["relation"]
    second = http.get("/api/creatives", params={"per_page": 2, "page": 2}, headers=auth).json()
    assert [r["id"] for r in second["data"]] == [native["id"]]
    assert "page=1" in second["meta"]["pagination"]["links"]["previous"]


def test_only_the_callers_creatives_are_visible(server, http, auth):
    foreign = server.sandbox.store.create(CREATIVE, "99", lambda new_id: {"id": new_id, "userId": 99})["id"]
    mine_id = _create(http, auth, BANNER_TAG)["id"]
    assert [c["id"] for c in http.get("/api/creatives", headers=auth).json()["data"]] == [mine_id]
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        answer = http.request(method, f"/api/creatives/{foreign}", json={"isActive": True}, headers=auth)
        assert answer.status_code == 404
        assert answer.json() == {"message": f"No query results for model [Creative] {foreign}"}


# --- 18.11 and 18.12 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_update_takes_only_is_active(server, http, auth, method):
    before = _create(http, auth, BANNER_TAG)
    answer = http.request(method, f"/api/creatives/{before['id']}", json={"isActive": True, "name": "Renamed",
                                                                         "bidPrice": 9}, headers=auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["message"] == "Creative updated."
    shown = answer.json()["data"]
    stored = server.sandbox.creatives()[0]
    assert shown == {**stored, "isActive": True}  # 18.11.5 answers isActive as sent
    assert (stored["isActive"], stored["name"], stored["bidPrice"]) == (1, "Banner creative #3", "0.50")
    assert http.get(f"/api/creatives/{before['id']}", headers=auth).json()["data"]["isActive"] == 1
    answer = http.request(method, f"/api/creatives/{before['id']}", json={"isActive": 0}, headers=auth)
    assert answer.json()["data"]["isActive"] == 0 and server.sandbox.creatives()[0]["isActive"] == 0


def test_update_without_a_change_keeps_updated_at(server, http, auth):
    created = _create(http, auth, BANNER_TAG)
    server.sandbox.store.put(CREATIVE, created["id"], {**server.sandbox.creatives()[0],
                                                       "updatedAt": "2020-01-01 00:00:00"})
    for body in ({}, {"isActive": False}, {"name": "ignored"}):
        answer = http.put(f"/api/creatives/{created['id']}", json=body, headers=auth)
        assert answer.status_code == 200
        assert answer.json()["data"]["updatedAt"] == "2020-01-01 00:00:00"
    answer = http.put(f"/api/creatives/{created['id']}", json={"isActive": "1"}, headers=auth)
    assert answer.json()["data"]["updatedAt"] != "2020-01-01 00:00:00"


@pytest.mark.parametrize("value", ["yes", 2, None, [True]])
def test_update_refuses_what_is_not_a_boolean(client, value):
    created = client.post("/api/creatives", json=VIDEO_TAG).json()["data"]
    assert_refused(client.put(f"/api/creatives/{created['id']}", json={"isActive": value}),
             {"isActive": ["The is active field must be true or false."]})


def test_delete_is_soft(server, http, auth):
    created = _create(http, auth, BANNER_TAG)
    answer = http.delete(f"/api/creatives/{created['id']}", headers=auth)
    assert answer.status_code == 200 and answer.json() == {}
    for method in ("GET", "PUT", "DELETE"):
        missing = http.request(method, f"/api/creatives/{created['id']}", json={"isActive": True}, headers=auth)
        assert missing.status_code == 404
        assert missing.json() == {"message": f"No query results for model [Creative] {created['id']}"}
    assert http.get("/api/creatives", headers=auth).json()["data"] == []
    assert server.sandbox.creatives() == []
    (kept,) = server.sandbox.creatives(include_deleted=True)
    assert DATETIME.fullmatch(kept["deletedAt"]) and kept["updatedAt"] == kept["deletedAt"]


@pytest.mark.parametrize("path", ["/api/creatives/999", "/api/creatives/abc"])
def test_missing_creative_is_404(http, auth, path):
    answer = http.get(path, headers=auth)
    assert answer.status_code == 404
    assert answer.json() == {"message": f"No query results for model [Creative] {path.rsplit('/', 1)[1]}"}


# --- Create rules -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("template", "changes", "key", "message"), [
    (BANNER_TAG, {"name": _DROP}, "name", "The name field is required."),
    (BANNER_TAG, {"name": "  "}, "name", "The name field is required."),
    (BANNER_TAG, {"name": 5}, "name", "The name field must be a string."),
    (BANNER_TAG, {"name": "N" * 256}, "name", "The name field must not be greater than 255 characters."),
    (BANNER_TAG, {"creativeType": _DROP}, "creativeType", "The creative type field is required."),
    (BANNER_TAG, {"creativeType": "audio"}, "creativeType", "The selected creative type is invalid."),
    (BANNER_TAG, {"creativeType": "popup"}, "creativeType", "The selected creative type is invalid."),
    (BANNER_TAG, {"bidPrice": _DROP}, "bidPrice", "The bid price field is required."),
    (BANNER_TAG, {"bidPrice": "cheap"}, "bidPrice", "The bid price field must be a number."),
    (BANNER_TAG, {"bidPrice": 0}, "bidPrice", "The bid price field must be greater than 0."),
    (BANNER_TAG, {"bidPrice": True}, "bidPrice", "The bid price field must be a number."),
    (BANNER_TAG, {"frequency": "yes"}, "frequency", "The frequency field must be true or false."),
    (BANNER_TAG, {"frequency": 2}, "frequency", "The frequency field must be true or false."),
    (BANNER_TAG, {"frequencyType": _DROP}, "frequencyType",
     "The frequency type field is required when frequency is true."),
    (BANNER_TAG, {"frequencyCap": None}, "frequencyCap", "The frequency cap field is required when frequency is true."),
    (BANNER_TAG, {"frequencyPeriod": _DROP}, "frequencyPeriod",
     "The frequency period field is required when frequency is true."),
    (BANNER_TAG, {"frequencyType": "device"}, "frequencyType", "The selected frequency type is invalid."),
    (BANNER_TAG, {"frequencyCap": 0}, "frequencyCap", "The frequency cap field must be at least 1."),
    (BANNER_TAG, {"frequencyCap": "2"}, "frequencyCap", "The frequency cap field must be an integer."),
    (BANNER_TAG, {"frequencyPeriod": 4}, "frequencyPeriod", "The frequency period field must be between 1 and 3."),
    (BANNER_TAG, {"isActive": "on"}, "isActive", "The is active field must be true or false."),
    (BANNER_TAG, {"folderId": 12}, "folderId", "The folder id field must be a string."),
    (BANNER_TAG, {"categories": _DROP, "subCategories": _DROP}, "categories",
     "The categories field is required when sub categories is not present."),
    (BANNER_TAG, {"categories": {}, "subCategories": {}}, "categories",
     "The categories field is required when sub categories is not present."),
    (BANNER_TAG, {"categories": "IAB1"}, "categories", "The categories field must be an array."),
    (BANNER_TAG, {"categories__IAB99": True}, "categories.IAB99", "The selected categories.IAB 99 is invalid."),
    (BANNER_TAG, {"categories__IAB2": "yes"}, "categories.IAB2", "The categories.IAB 2 field must be true or false."),
    (BANNER_TAG, {"categories": ["IAB1"]}, "categories.0", "The selected categories.0 is invalid."),
    (BANNER_TAG, {"subCategories__IAB1": ["IAB2-1"]}, "subCategories.IAB1.0",
     "The selected sub categories.IAB 1.0 is invalid."),
    (BANNER_TAG, {"subCategories__IAB1": ["IAB1-99"]}, "subCategories.IAB1.0",
     "The selected sub categories.IAB 1.0 is invalid."),
    (BANNER_TAG, {"subCategories__IAB1": "IAB1-1"}, "subCategories.IAB1",
     "The sub categories.IAB 1 field must be an array."),
    (BANNER_TAG, {"subCategories__IAB30": ["IAB30-1"]}, "subCategories.IAB30",
     "The selected sub categories.IAB 30 is invalid."),
    (BANNER_TAG, {"banner__width": _DROP}, "banner.width", "The banner.width field is required."),
    (BANNER_TAG, {"banner__height": 0}, "banner.height", "The banner.height field must be at least 1."),
    (BANNER_TAG, {"banner__width": "320"}, "banner.width", "The banner.width field must be an integer."),
    (BANNER_TAG, {"banner__width": 320.5}, "banner.width", "The banner.width field must be an integer."),
    (BANNER_TAG, {"banner__apiFramework": 4}, "banner.apiFramework", "The selected banner.api framework is invalid."),
    (BANNER_TAG, {"banner__admBody": _DROP}, "banner.admBody",
     "The banner.adm body field is required when media id is not present."),
    (BANNER_TAG, {"banner__admBody": ["<div>"]}, "banner.admBody", "The banner.adm body field must be a string."),
    (BANNER_TAG, {"banner__admBody": "x" * 65536}, "banner.admBody",
     "The banner.adm body field must not be greater than 65535 characters."),
    (BANNER_TAG, {"banner__clickUrl": "javascript:alert(1)"}, "banner.clickUrl",
     "The banner.click url field must be a valid URL."),
    (BANNER_IMAGE, {"banner__clickUrl": _DROP}, "banner.clickUrl", "The banner.click url field is required."),
    (BANNER_IMAGE, {"banner__clickUrl": "www.deckow.biz"}, "banner.clickUrl",
     "The banner.click url field must be a valid URL."),
    (BANNER_IMAGE, {"banner__clickUrl": "ftp://deckow.biz/"}, "banner.clickUrl",
     "The banner.click url field must be a valid URL."),
    (BANNER_IMAGE, {"mediaId": 9999}, "mediaId", "The selected media id is invalid."),
    (BANNER_IMAGE, {"mediaId": "1"}, "mediaId", "The media id field must be an integer."),
    (BANNER_IMAGE, {"mediaId": [1]}, "mediaId", "The media id field must be an integer."),
    (NATIVE, {"native__largeImageId": _DROP}, "native.largeImageId", "The native.large image id field is required."),
    (NATIVE, {"native__clickUrl": _DROP}, "native.clickUrl", "The native.click url field is required."),
    (NATIVE, {"native__clickUrl": "http://"}, "native.clickUrl", "The native.click url field must be a valid URL."),
    (NATIVE, {"native__displayUrl": "schneider.net"}, "native.displayUrl",
     "The native.display url field must be a valid URL."),
    (NATIVE, {"native__assetTitle": "T" * 256}, "native.assetTitle",
     "The native.asset title field must not be greater than 255 characters."),
    (VIDEO_TAG, {"video__mimeType": _DROP}, "video.mimeType", "The video.mime type field is required."),
    (VIDEO_TAG, {"video__mimeType": []}, "video.mimeType", "The video.mime type field is required."),
    (VIDEO_TAG, {"video__mimeType": "video/mp4"}, "video.mimeType", "The video.mime type field must be an array."),
    (VIDEO_TAG, {"video__mimeType": ["video/mp4", "video/avi"]}, "video.mimeType.1",
     "The selected video.mime type.1 is invalid."),
    (VIDEO_TAG, {"video__admBody": ""}, "video.admBody",
     "The video.adm body field is required when media id is not present."),
    (VIDEO_MEDIA, {"video__clickUrl": _DROP}, "video.clickUrl", "The video.click url field is required."),
])
def test_each_create_rule(module_server, client, media, template, changes, key, message):
    before = len(module_server.sandbox.creatives())
    assert_refused(client.post("/api/creatives", json=_body(template, media, **changes)), {key: [message]})
    assert len(module_server.sandbox.creatives()) == before


@pytest.mark.parametrize(("template", "field", "wrong", "key", "message"), [
    # Banners take an image or an HTML archive; videos a video; native images images.
    (BANNER_IMAGE, "mediaId", "video", "mediaId", "The selected media id is invalid."),
    (VIDEO_MEDIA, "mediaId", "image", "mediaId", "The selected media id is invalid."),
    (VIDEO_MEDIA, "mediaId", "html", "mediaId", "The selected media id is invalid."),
    (NATIVE, "native__largeImageId", "html", "native.largeImageId", "The selected native.large image id is invalid."),
    (NATIVE, "native__smallImageId", "video", "native.smallImageId", "The selected native.small image id is invalid."),
])
def test_media_of_the_wrong_type_is_refused(client, media, template, field, wrong, key, message):
    assert_refused(client.post("/api/creatives", json=_body(template, media, **{field: media[wrong]["id"]})),
             {key: [message]})


@pytest.mark.parametrize(("template", "field", "key", "message"), [
    (BANNER_IMAGE, "mediaId", "mediaId", "The selected media id is invalid."),
    (NATIVE, "native__largeImageId", "native.largeImageId", "The selected native.large image id is invalid."),
])
def test_another_users_media_is_refused(module_server, client, media, template, field, key, message):
    foreign = module_server.sandbox.store.create(MEDIA, "99", lambda new_id: {
        **media["image"], "id": new_id, "userId": 99})["id"]
    assert_refused(client.post("/api/creatives", json=_body(template, media, **{field: foreign})), {key: [message]})


def test_a_section_that_is_not_an_object_counts_as_empty(client, media):
    assert_refused(client.post("/api/creatives", json=_body(NATIVE, media, native="ad")), {
        "native": ["The native field must be an array."],
        "native.largeImageId": ["The native.large image id field is required."],
        "native.clickUrl": ["The native.click url field is required."]})


def test_rules_all_run_and_an_unreadable_body_is_no_input(client):
    answer = client.post("/api/creatives", content=b"name=x", headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["name", "creativeType", "bidPrice", "categories"]
    assert answer.json()["message"] == "The name field is required. (and 3 more errors)"


def test_categories_may_come_alone_or_as_sub_categories_alone(client):
    for categories in ({"categories": {"IAB1": True, "IAB22": True}}, {"subCategories": {"IAB7": ["IAB7-45"]}}):
        body = {k: v for k, v in VIDEO_TAG.items() if k not in CATEGORIES} | categories
        assert client.post("/api/creatives", json=body).status_code == 200


def test_create_needs_a_token(http):
    answer = http.post("/api/creatives", json=BANNER_TAG)
    assert answer.status_code == 401 and answer.json() == {"message": "Unauthenticated."}


# --- 19. Assignment --------------------------------------------------------------------------------------

def _assignment(campaign_id: int | str) -> str:
    return f"/api/campaigns/{campaign_id}/creatives"


def test_replace_append_remove_and_get(server, http, auth):
    campaign = create(http, auth)["id"]
    ids = [_create(http, auth, BANNER_TAG)["id"] for _ in range(4)]
    answer = http.post(_assignment(campaign), json={"ids": [ids[1], ids[0]]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Replaced."}
    assert server.sandbox.campaign_creative_ids(campaign) == [ids[0], ids[1]]
    answer = http.post(_assignment(campaign), json={"ids": [ids[2]]}, headers=auth)
    assert server.sandbox.campaign_creative_ids(campaign) == [ids[2]]
    # PATCH adds to the set: ids already there, or sent twice, are kept once.
    answer = http.patch(_assignment(campaign), json={"ids": [ids[2], ids[0], ids[0]]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Appended."}
    assert server.sandbox.campaign_creative_ids(campaign) == [ids[0], ids[2]]
    assert http.patch(_assignment(campaign), json={"ids": [ids[3]]}, headers=auth).status_code == 200
    assert server.sandbox.campaign_creative_ids(campaign) == [ids[0], ids[2], ids[3]]
    answer = http.request("DELETE", _assignment(campaign), json={"ids": [ids[2], ids[1]]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Deleted.", "deleted": True}
    assert server.sandbox.campaign_creative_ids(campaign) == [ids[0], ids[3]]
    body = http.get(_assignment(campaign), headers=auth).json()
    listed = http.get("/api/creatives", headers=auth).json()["data"]
    assert body == {"data": [listed[0], listed[3]], "meta": {"pagination": {
        "total": 2, "count": 2, "per_page": 1000, "current_page": 1, "total_pages": 1, "links": []}}}
    assert all(list(row) == LIST_KEYS for row in body["data"])  # 19.1.4's shape
    assert server.sandbox.campaign_creative_ids(create(http, auth)["id"]) == []


def test_assignments_are_per_campaign_and_a_deleted_creative_is_not_listed(server, http, auth):
    first, second = create(http, auth)["id"], create(http, auth)["id"]
    a, b = _create(http, auth, BANNER_TAG)["id"], _create(http, auth, VIDEO_TAG)["id"]
    assert http.post(_assignment(first), json={"ids": [a, b]}, headers=auth).status_code == 200
    assert http.post(_assignment(second), json={"ids": [b]}, headers=auth).status_code == 200
    assert http.delete(f"/api/creatives/{a}", headers=auth).status_code == 200
    assert [r["id"] for r in http.get(_assignment(first), headers=auth).json()["data"]] == [b]
    assert server.sandbox.campaign_creative_ids(first) == [a, b]  # kept until replaced
    assert server.sandbox.campaign_creative_ids(second) == [b]
    page = http.get(_assignment(first), params={"per_page": 1, "page": 1}, headers=auth).json()
    assert page["meta"]["pagination"]["total"] == 1 and page["meta"]["pagination"]["links"] == []


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_assignment_rules(module_server, client, method):
    campaign = client.post("/api/campaigns", json={"type": "banner", "name": "A", "aDomain": "a.example.com"})
    campaign_id = campaign.json()["data"]["id"]
    good = client.post("/api/creatives", json=BANNER_TAG).json()["data"]["id"]
    deleted = client.post("/api/creatives", json=BANNER_TAG).json()["data"]["id"]
    assert client.delete(f"/api/creatives/{deleted}").status_code == 200
    foreign = module_server.sandbox.store.create(CREATIVE, "99", lambda new_id: {"id": new_id, "userId": 99})["id"]
    url = _assignment(campaign_id)
    for body, errors in (
            ({}, {"ids": ["The ids field is required."]}),
            ({"ids": []}, {"ids": ["The ids field is required."]}),
            ({"ids": good}, {"ids": ["The ids field must be an array."]}),
            ({"ids": [good] * 5}, {"ids": ["The ids field must not have more than 4 items."]}),
            ({"ids": [good, "2", None, 99999]}, {"ids.1": ["The ids.1 field must be an integer."],
                                                 "ids.2": ["The ids.2 field is required."],
                                                 "ids.3": ["The selected ids.3 is invalid."]}),
            ({"ids": [deleted]}, {"ids.0": ["The selected ids.0 is invalid."]}),
            ({"ids": [good, foreign]}, {"ids.1": ["The selected ids.1 is invalid."]}),
            ({"ids": [True]}, {"ids.0": ["The ids.0 field must be an integer."]})):
        assert_refused(client.request(method, url, json=body), errors)
    assert module_server.sandbox.campaign_creative_ids(campaign_id) == []
    assert client.request(method, url, json={"ids": [good] * 4}).status_code == 200


ROUTES = ["GET", "POST", "PATCH", "DELETE"]


@pytest.mark.parametrize("method", ROUTES)
def test_missing_deleted_or_foreign_campaign_is_404_before_validation(server, http, auth, method):
    deleted = create(http, auth)["id"]
    assert http.delete(f"/api/campaigns/{deleted}", headers=auth).status_code == 200
    foreign = server.sandbox.store.create(CAMPAIGN, "99", lambda new_id: {"id": new_id, "userId": 99})["id"]
    for campaign in (404, deleted, foreign, "abc"):
        answer = http.request(method, _assignment(campaign), json={"ids": "bad"}, headers=auth)
        assert answer.status_code == 404
        assert answer.json() == {"message": f"No query results for model [Campaign] {campaign}"}
    assert server.sandbox.campaign_creative_ids(foreign) == []


@pytest.mark.parametrize(("method", "path"), [(m, "/api/campaigns/1/creatives") for m in ROUTES] + [
    ("GET", "/api/creatives"), ("GET", "/api/creatives/1"), ("PUT", "/api/creatives/1"),
    ("DELETE", "/api/creatives/1")])
def test_routes_need_a_token(http, method, path):
    answer = http.request(method, path, json={"ids": [1]})
    assert answer.status_code == 401 and answer.json() == {"message": "Unauthenticated."}


def test_unsupported_method_lists_the_supported_ones(http, auth):
    answer = http.put("/api/campaigns/1/creatives", json={}, headers=auth)
    assert answer.status_code == 405
    assert answer.json()["message"].startswith("The PUT method is not supported for route api/campaigns/1/creatives.")
