"""The quick start's image upload (multipart, several files, metadata keyed by file, images only), file
limits, review, details."""

from __future__ import annotations

import httpx
import pytest

from bulkops.platforms.iqm.sandbox._creatives import AUDIO, CREATIVE, IMAGE, VIDEO, file_problem
from bulkops.sandbox import SandboxConfig, running
from tests.platforms.iqm.sandbox.conftest import (
    DETAILS,
    OW_ID,
    PNG,
    UPLOAD,
    approved,
    details,
    login,
    upload,
    upload_answer,
)

pytestmark = pytest.mark.slow

KB, MB = 1024, 1024 * 1024
REJECTION = "Rejected in review: the creative name carries the sandbox's [reject] marker."


def _error(message: str, code: int = 400) -> dict:
    return {"statusCode": code, "responseObject": {"errorMsg": message, "errorCode": code}}


def test_several_files_with_metadata_answer_the_documented_201(http, auth, clock, server):
    files = [("8a9ab848-b302-40a6-bea1-17f7aca6f362.png", PNG), ("banner.gif", b"GIF89a" + b"\0" * 10),
             ("photo.jpg", b"\xff\xd8\xff")]
    metadata = {
        "8a9ab848-b302-40a6-bea1-17f7aca6f362": {"originalFileName": "Screenshot 2023-12-28 at 2.51.28 PM.png",
                                                 "creativeName": "Creative", "clickUrl": "https://iqm.com",
                                                 "width": 408, "height": 364},
        "banner.gif": {"creativeName": "Banner"},  # the full file name is accepted as key too
        "photo": {"creativeName": "Photo", "clickUrl": "https://shop.example.com",
                  "pixelUrl": "https://px.example.com/p.gif"},
    }
    answer = upload_answer(http, auth, files, metadata)
    assert answer.status_code == 201
    assert answer.json() == {"statusCode": 201, "responseObject": {
        "data": [1, 2, 3], "message": "Image Creative(s) Added successfully"}}
    first, second, third = details(http, auth, "1,2,3")
    assert first == {
        "creativeName": "Creative", "status": "pending", "creativeId": 1, "height": 364, "width": 408,
        "duration": None, "creativeTypeId": 11, "creativeType": "image", "clickUrl": "https://iqm.com",
        "creativeCardSource": None, "creativeSource": "https://sandbox.bulkops.test/creatives/200001/1.png",
        "creativeSourceURL": None, "pixelUrls": None, "createdOn": 1_800_000_000, "modifiedDate": 1_800_000_000,
        "uowId": 9216, "owId": OW_ID, "userName": "Bulkops Demo", "adPlacement": None, "remarks": None,
        "xmlType": None, "xmlVersion": None, "rejectionReason": None, "userEmail": "demo@bulkops.test",
        "organizationName": "Bulkops Sandbox", "campaigns": [], "previewFlag": 1,
        "nativeCreativeAttributes": None, "isEditAccess": True, "isApprovalAccess": False,
    }
    assert (second["creativeName"], second["creativeTypeId"], second["creativeType"], second["width"]) == \
        ("Banner", 11, "image", None)
    assert (third["creativeName"], third["creativeTypeId"], third["clickUrl"], third["pixelUrls"]) == \
        ("Photo", 11, "https://shop.example.com", "https://px.example.com/p.gif")
    assert [c["creativeId"] for c in server.sandbox.iqm_creatives()] == [1, 2, 3]


@pytest.mark.parametrize(("name", "content"), [
    ("spot.mp4", b"\0\0\0\x18ftypmp42"), ("spot.mov", b"\0\0\0\x14ftypqt  "), ("jingle.mp3", b"ID3"),
    ("tag.html", b"<div>ad</div>"), ("spot.xml", b'<VAST version="4.0"></VAST>'),
])
def test_the_image_route_refuses_every_other_creative_type(http, auth, server, name, content):
    stem = name.rpartition(".")[0]
    answer = upload_answer(http, auth, [("ok.png", PNG), (name, content)],
                           {"ok": {"creativeName": "Ok"}, stem: {"creativeName": stem}})
    assert answer.status_code == 400
    message = answer.json()["responseObject"]["errorMsg"]
    assert message.startswith(f"File {name} is not an image file; allowed: JPG, JPEG, PNG, GIF.")
    assert "other creatives go to POST /api/v3/crt/creatives" in message
    assert server.sandbox.iqm_creatives() == []  # nothing of the request is stored


@pytest.mark.parametrize(("ext", "limit", "words"), [
    ("jpg", 2 * MB, "2MB"), ("jpeg", 2 * MB, "2MB"), ("png", 2 * MB, "2MB"), ("gif", 750 * KB, "750KB")])
def test_image_limits_over_http(http, auth, server, ext, limit, words):
    assert upload(http, auth, "At the limit", ext=ext, content=b"\0" * limit) == [1]
    answer = upload_answer(http, auth, [(f"big.{ext.upper()}", b"\0" * (limit + 1))],
                           {"big": {"creativeName": "Big"}})
    assert answer.status_code == 400
    message = f"File big.{ext.upper()} is {limit + 1} bytes; the limit for {ext.upper()} is {words}."
    assert answer.json() == _error(message)
    assert len(server.sandbox.iqm_creatives()) == 1


@pytest.mark.parametrize(("ext", "limit", "words"), [
    ("mov", 400 * MB, "400MB"), ("mp4", 400 * MB, "400MB"), ("mp3", 100 * MB, "100MB"), ("wav", 100 * MB, "100MB"),
    ("ogg", 100 * MB, "100MB"), ("mpeg", 100 * MB, "100MB"), ("png", 2 * MB, "2MB"), ("gif", 750 * KB, "750KB")])
def test_every_documented_limit_at_its_boundary(ext, limit, words):
    # Sizes only: hundreds of megabytes over loopback would make the suite slow for nothing.
    assert file_problem(f"a.{ext}", limit) is None
    assert file_problem(f"a.{ext}", limit + 1) == \
        f"File a.{ext} is {limit + 1} bytes; the limit for {ext.upper()} is {words}."


@pytest.mark.parametrize("name", ["a.bmp", "a.htm", "noextension", ".png", "a.png.exe"])
def test_other_formats_are_refused(http, auth, name):
    assert file_problem(name, 1) == (f"File {name} is not a supported format; allowed: "
                                     "JPG, JPEG, PNG, GIF, MOV, MP4, MP3, WAV, OGG, MPEG.")
    answer = upload_answer(http, auth, [(name, PNG)], {name.rpartition(".")[0]: {"creativeName": "X"}})
    expected = f"File {name} is not an image file; allowed: JPG, JPEG, PNG, GIF."
    assert answer.status_code == 400 and answer.json()["responseObject"]["errorMsg"].startswith(expected)


@pytest.mark.parametrize(("name", "kind", "expected"), [
    ("a.png", IMAGE, None), ("a.mp4", VIDEO, None), ("a.MP3", AUDIO, None),
    ("a.mp4", IMAGE, "File a.mp4 is not an image file; allowed: JPG, JPEG, PNG, GIF."),
    ("a.png", AUDIO, "File a.png is not an audio file; allowed: MP3, WAV, OGG, MPEG."),
])
def test_a_file_is_judged_against_the_type_it_is_sent_as(name, kind, expected):
    assert file_problem(name, 1, kind) == expected


def test_one_bad_file_refuses_the_whole_request(http, auth, server):
    answer = upload_answer(http, auth, [("ok.png", PNG), ("big.gif", b"\0" * (750 * KB + 1))],
                           {"ok": {"creativeName": "Ok"}, "big": {"creativeName": "Big"}})
    assert answer.status_code == 400
    assert server.sandbox.iqm_creatives() == []


@pytest.mark.parametrize(("metadata", "message"), [
    ({}, "creativeImageMetadata has no entry for file a.png."),
    ({"other": {"creativeName": "X"}}, "creativeImageMetadata has no entry for file a.png."),
    ({"a": "name"}, "creativeImageMetadata has no entry for file a.png."),
    ({"a": {}}, "creativeName is required for file a.png."),
    ({"a": {"creativeName": " "}}, "creativeName is required for file a.png."),
    ({"a": {"creativeName": 5}}, "creativeName is required for file a.png."),
    ({"a": {"creativeName": "X", "clickUrl": 3}}, "clickUrl must be a string for file a.png."),
    ({"a": {"creativeName": "X", "originalFileName": []}}, "originalFileName must be a string for file a.png."),
    ({"a": {"creativeName": "X", "width": "408"}}, "width must be a positive integer for file a.png."),
    ({"a": {"creativeName": "X", "height": 0}}, "height must be a positive integer for file a.png."),
    ("[]", "creativeImageMetadata must be a JSON object."),
    ("{not json", "creativeImageMetadata must be a JSON object."),
])
def test_metadata_is_validated(http, auth, metadata, message):
    answer = upload_answer(http, auth, [("a.png", PNG)], metadata)
    assert answer.status_code == 400 and answer.json() == _error(message)


def test_the_form_needs_files_and_metadata(http, auth, server):
    answer = http.post(UPLOAD, headers=auth, json={"creativeFiles": "a.png"})
    assert answer.status_code == 400
    assert answer.json() == _error("Request must be multipart/form-data with creativeFiles and creativeImageMetadata.")
    answer = http.post(UPLOAD, headers=auth, data={"creativeImageMetadata": "{}"}, files=[("other", ("a.png", PNG))])
    assert answer.status_code == 400 and answer.json() == _error("creativeFiles is required.")
    answer = http.post(UPLOAD, headers=auth, files=[("creativeFiles", ("a.png", PNG))])
    assert answer.status_code == 400 and answer.json() == _error("creativeImageMetadata is required.")
    files = [(f"f{i}.png", PNG) for i in range(server.sandbox.config.max_files_per_upload + 1)]
    answer = upload_answer(http, auth, files, {f"f{i}": {"creativeName": "X"} for i in range(len(files))})
    assert answer.status_code == 400 and answer.json() == _error("At most 10 creativeFiles per request.")


def test_a_new_creative_is_pending_until_its_review_ends_then_running(http, auth, clock):
    (creative_id,) = upload(http, auth, "Spring Sale")
    clock.advance(1.999)
    (shown,) = details(http, auth, str(creative_id))
    assert (shown["status"], shown["rejectionReason"], shown["modifiedDate"]) == ("pending", None, 1_800_000_000)
    clock.advance(0.001)
    (shown,) = details(http, auth, str(creative_id))
    assert (shown["status"], shown["rejectionReason"], shown["modifiedDate"]) == ("running", None, 1_800_000_002)


def test_the_reject_marker_rejects_with_a_reason_after_review(http, auth, clock):
    ids = upload(http, auth, "Spring Sale [reject]", "Fine")
    assert [c["status"] for c in details(http, auth, "1,2")] == ["pending", "pending"]
    clock.advance(2)
    rejected, fine = details(http, auth, ",".join(map(str, ids)))
    assert (rejected["status"], rejected["rejectionReason"]) == ("rejected", REJECTION)
    assert (fine["status"], fine["rejectionReason"]) == ("running", None)


def test_the_review_delay_is_a_knob():
    with running(SandboxConfig(platform="iqm", creative_review_s=0)) as srv, \
            httpx.Client(base_url=srv.base_url) as http:
        headers = login(http)
        upload(http, headers, "Now")
        assert details(http, headers, "1")[0]["status"] == "running"


def test_details_answer_in_the_order_asked_and_leave_out_unknown_and_foreign_ids(http, auth, clock, server):
    approved(http, auth, clock, "A", "B")
    server.sandbox.store.create(CREATIVE, "200002", lambda new_id: {"creativeId": new_id})  # another workspace
    assert [c["creativeId"] for c in details(http, auth, "2,1,3,99,2")] == [2, 1]


@pytest.mark.parametrize("ids", [None, "", "a", "1,,2", "1;2", "-1"])
def test_details_need_comma_separated_ids(http, auth, ids):
    params = {} if ids is None else {"creativeIds": ids}
    answer = http.get(DETAILS, params=params, headers=auth)
    assert answer.status_code == 400
    assert answer.json() == _error("creativeIds must be a string of comma separated creative ids.")


def test_details_page_at_most_1000_rows(http, auth, clock, server):
    for _ in range(1001):
        server.sandbox.store.create(CREATIVE, str(OW_ID), lambda new_id: {
            "creativeName": f"C{new_id}", "creativeId": new_id, "_reviewAt": 0.0})
    ids = ",".join(str(i) for i in range(1, 1002))
    page = details(http, auth, ids)
    assert [c["creativeId"] for c in page] == list(range(1, 1001))
    assert [c["creativeId"] for c in details(http, auth, ids, pageNo=2)] == [1001]
    assert len(details(http, auth, ids, noOfEntries=5000)) == 1000  # capped, not refused
    assert [c["creativeId"] for c in details(http, auth, ids, pageNo=3, noOfEntries=10)] == list(range(21, 31))
    answer = http.get(DETAILS, params={"creativeIds": "1", "pageNo": "0"}, headers=auth)
    assert answer.status_code == 400 and answer.json() == _error("pageNo and noOfEntries must be positive integers.")
