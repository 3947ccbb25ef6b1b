"""The creative guide's Add New Creative (`POST /api/v3/crt/creatives`): every type, several in one
request, as JSON or multipart (the map in a `creativeRequest` part or query parameter), each creative
judged alone, the answer's successData / failedData, and what the reads show afterwards."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.platforms.iqm.sandbox.conftest import ADD_CREATIVES, PNG, add, add_answer, details

pytestmark = pytest.mark.slow

MP4 = b"\0\0\0\x18ftypmp42"
MP3 = b"ID3\x04"
VAST = '<?xml version="1.0"?><VAST version="4.0"><Ad id="a"/></VAST>'
DAAST = '<!-- audio --><DAAST version="1.0"><Ad id="r"/></DAAST>'
HTML = "<a href=https://iqm.com/political><img src=https://cdn.example/w24-728x90.jpg></a>"


def entry(name: str, type_id: int, source_type: str, **fields: object) -> dict[str, object]:
    return {"creativeName": name, "platformCreativeTypeId": type_id, "creativeSourceType": source_type, **fields}


def test_the_guides_html_sample_as_a_json_body(http, auth, clock, server):
    sample = {"H001": {"creativeName": "html", "externalCreativeId": "google_421_dcm_435",
                       "platformCreativeTypeId": 13, "creativeSourceType": "HTML", "creativeSource": HTML,
                       "clickUrl": "www.example.com", "htmlDetails": {"creativeWidth": 500, "creativeHeight": 1200}}}
    answer = add_answer(http, auth, sample)
    assert answer.status_code == 200
    assert answer.json() == {"success": True, "data": {"successData": {"H001": "1"}, "failedData": {}}}
    (shown,) = details(http, auth, "1")
    assert (shown["creativeName"], shown["creativeTypeId"], shown["creativeType"], shown["creativeSource"],
            shown["width"], shown["height"], shown["clickUrl"], shown["status"]) == (
        "html", 13, "html", HTML, 500, 1200, "www.example.com", "pending")
    clock.advance(2.0)
    assert details(http, auth, "1")[0]["status"] == "running"  # reviewed like an image


def test_every_type_goes_in_one_multipart_request(http, auth, clock, server):
    creatives = {
        "i": entry("Banner", 11, "FILE", clickUrl="https://shop.example/a",
                   imageDetails={"pixelUrl": "https://px.example/p.gif", "creativeWidth": 300, "creativeHeight": 250}),
        "v": entry("Clip", 14, "FILE", videoDetails={"creativeWidth": 640, "creativeHeight": 360, "duration": 15}),
        "a": entry("Jingle", 17, "FILE", audioDetails={"duration": 30}),
        "x": entry("Spot", 14, "VAST_XML", creativeSource=VAST, clickUrl="https://shop.example/v"),
        "d": entry("Radio", 17, "DAAST_XML", creativeSource=DAAST),
        "h": entry("Tag", 13, "HTML", creativeSource=HTML, htmlDetails={"creativeWidth": 728, "creativeHeight": 90}),
    }
    ids = add(http, auth, creatives, files=[("i.png", PNG), ("v.mp4", MP4), ("a.mp3", MP3)])
    assert list(ids) == list(creatives)
    shown = {c["creativeName"]: c for c in details(http, auth, ",".join(map(str, ids.values())))}
    assert {name: (c["creativeTypeId"], c["width"], c["height"], c["duration"]) for name, c in shown.items()} == {
        "Banner": (11, 300, 250, None), "Clip": (14, 640, 360, 15), "Jingle": (17, None, None, 30),
        "Spot": (14, None, None, None), "Radio": (17, None, None, None), "Tag": (13, 728, 90, None)}
    assert shown["Banner"]["pixelUrls"] == "https://px.example/p.gif"
    assert shown["Banner"]["creativeSource"] == f"https://sandbox.bulkops.test/creatives/200001/{ids['i']}.png"
    assert (shown["Spot"]["creativeSource"], shown["Radio"]["creativeSource"]) == (VAST, DAAST)
    rows = {r["creativeName"]: r for r in http.post("/api/v3/crt/creatives/list", json={}, headers=auth)
            .json()["data"]["filteredList"]}
    assert {name: r["creativeSourceType"] for name, r in rows.items()} == {
        "Banner": "file", "Clip": "file", "Jingle": "file", "Spot": "vast-xml", "Radio": "vast-xml", "Tag": "HTML"}


def test_the_map_may_be_a_query_parameter_beside_the_files(http, auth, server):
    creatives = {"k": entry("Photo", 11, "FILE")}
    answer = http.post(ADD_CREATIVES, headers=auth, params={"creativeRequest": json.dumps(creatives)},
                       files=[("creativeFiles", ("k.png", PNG, "image/png"))])
    assert answer.status_code == 200 and answer.json()["data"]["successData"] == {"k": "1"}


def test_a_file_may_be_named_by_its_creative_source(http, auth, server):
    ids = add(http, auth, {"k": entry("Photo", 11, "FILE", creativeSource="holiday.png")},
              files=[("holiday.png", PNG)])
    assert details(http, auth, str(ids["k"]))[0]["creativeName"] == "Photo"


@pytest.mark.parametrize(("creative", "why"), [
    (entry("No file", 11, "FILE"), "Creative file missing. Please attach the required file."),
    (entry("Wrong file", 11, "FILE", creativeSource="v.mp4"),
     "File v.mp4 is not an image file; allowed: JPG, JPEG, PNG, GIF."),
    (entry("Image as audio", 17, "FILE", creativeSource="i.png"),
     "File i.png is not an audio file; allowed: MP3, WAV, OGG, MPEG."),
    (entry("", 11, "FILE"), "creativeName is required."),
    (entry("Native", 15, "FILE"), "platformCreativeTypeId 15 is not 11 (image), 13 (HTML), 14 (video) or 17 (audio)."),
    (entry("Text type", "eleven", "FILE"),
     "platformCreativeTypeId 'eleven' is not 11 (image), 13 (HTML), 14 (video) or 17 (audio)."),
    (entry("VAST image", 11, "VAST_XML", creativeSource=VAST),
     "creativeSourceType 'VAST_XML' is not one of FILE, URL for an image creative."),
    (entry("DAAST video", 14, "DAAST_XML", creativeSource=DAAST),
     "creativeSourceType 'DAAST_XML' is not one of FILE, URL, VAST_URL, VAST_XML for a video creative."),
    (entry("VAST as DAAST", 17, "DAAST_XML", creativeSource=VAST), "creativeSource must be a DAAST document."),
    (entry("RSS as VAST", 14, "VAST_XML", creativeSource="<rss/>"), "creativeSource must be a VAST document."),
    (entry("No markup", 13, "HTML", creativeSource="just text", htmlDetails={"creativeWidth": 1, "creativeHeight": 1}),
     "creativeSource must be HTML markup."),
    (entry("No size", 13, "HTML", creativeSource=HTML),
     "htmlDetails.creativeWidth and creativeHeight are required for an HTML creative."),
    (entry("Zero size", 14, "VAST_XML", creativeSource=VAST, videoDetails={"creativeWidth": 0}),
     "videoDetails.creativeWidth must be a positive whole number."),
    (entry("Bad URL", 14, "VAST_URL", creativeSource="ftp://x"), "creativeSource must be an http(s) URL."),
    (entry("Bad click", 14, "VAST_XML", creativeSource=VAST, clickUrl=5), "clickUrl must be a string."),
    (entry("Big tag", 13, "HTML", creativeSource="<b>" + "x" * 1024 * 1024,
           htmlDetails={"creativeWidth": 1, "creativeHeight": 1}), "creativeSource is larger than 1 MB."),
])
def test_each_creative_is_judged_alone_and_a_refused_one_beside_a_good_one(http, auth, server, creative, why):
    good = entry("Good", 14, "VAST_XML", creativeSource=VAST)
    answer = add_answer(http, auth, {"ok": good, "bad": creative}, files=[("v.mp4", MP4), ("i.png", PNG)])
    assert answer.status_code == 200
    assert answer.json() == {"success": True, "data": {"successData": {"ok": "1"}, "failedData": {"bad": why}}}
    assert [c["creativeName"] for c in server.sandbox.iqm_creatives()] == ["Good"]


def test_a_file_over_its_limit_is_refused():
    from bulkops.platforms.iqm.sandbox._creative_add import _fields_of
    from bulkops.platforms.iqm.sandbox._creatives import FILE_RULES
    from bulkops.sandbox import Part

    limit = FILE_RULES["gif"][0]
    files = {"k.gif": Part("k.gif", b"\0" * (limit + 1))}
    assert _fields_of("k", entry("Big", 11, "FILE"), files) == \
        f"File k.gif is {limit + 1} bytes; the limit for GIF is 750KB."


@pytest.mark.parametrize("body", [b"[1, 2]", b"{}", b"not json", b'"text"'])
def test_a_body_that_is_no_map_of_creatives_is_a_400_in_the_v3_envelope(http, auth, server, body):
    answer = http.post(ADD_CREATIVES, headers={**auth, "Content-Type": "application/json"}, content=body)
    assert answer.status_code == 400
    assert answer.json() == {"success": False, "errorObjects": [
        {"error": "creativeRequest must be a JSON object of creatives by key."}]}
    assert server.sandbox.iqm_creatives() == []


def test_at_most_ten_creatives_a_request(http, auth, server):
    creatives = {f"k{n}": entry(f"C{n}", 14, "VAST_XML", creativeSource=VAST) for n in range(11)}
    answer = add_answer(http, auth, creatives)
    assert answer.status_code == 400
    assert answer.json()["errorObjects"] == [{"error": "At most 10 creatives per request."}]
    assert server.sandbox.iqm_creatives() == []


def test_the_route_needs_a_token_and_the_workspace(http, auth):
    assert http.post(ADD_CREATIVES, json={}).status_code == 401
    assert http.post(ADD_CREATIVES, json={}, headers={**auth, "X-IAA-OW-ID": "1"}).status_code == 403


def test_every_file_named_is_served_at_its_path_with_no_login(http, auth, server):
    ids = add(http, auth, {"i": entry("Banner", 11, "FILE", imageDetails={"creativeWidth": 300, "creativeHeight": 250}),
                           "v": entry("Clip", 14, "FILE", videoDetails={"creativeWidth": 640, "creativeHeight": 360,
                                                                         "duration": 15})},
              files=[("i.png", PNG), ("v.mp4", MP4)])
    shown = {c["creativeName"]: c for c in details(http, auth, ",".join(map(str, ids.values())))}
    anonymous = httpx.Client(base_url=server.base_url)
    for name, content in (("Banner", PNG), ("Clip", MP4)):
        path = httpx.URL(shown[name]["creativeSource"]).path  # the default names sandbox.bulkops.test
        answer = anonymous.get(path)
        assert answer.status_code == 200 and answer.content == content, name
    assert anonymous.get(f"/creatives/999/{ids['i']}.png").status_code == 404  # another workspace's path
    assert anonymous.get(f"/creatives/200001/{ids['i']}.mp4").status_code == 404  # not the URL it was given
