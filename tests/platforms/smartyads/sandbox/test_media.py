"""17.1–17.3: media uploads, multipart `media_assets[]`, judged by their bytes."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import httpx
import pytest

from bulkops.platforms.smartyads.sandbox import MEDIA
from bulkops.sandbox import SandboxConfig, running
from tests._media import gif, jpeg, mp4, png, webm
from tests.sandbox.conftest import assert_refused, login

pytestmark = pytest.mark.slow

DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
IMAGE_KEYS = ["id", "userId", "mediaType", "originName", "name", "extension", "url", "width", "height", "weight",
              "createdAt", "updatedAt"]  # 17.1.5's order (17.3.5's too)
VIDEO_KEYS = IMAGE_KEYS[:10] + ["mimeType", "bitrate", "duration", "durationTime", "playtime", "createdAt",
                                "updatedAt"]  # 17.2.5's order


# --- Real files, made byte by byte ------------------------------------------------------------------

def html_zip(index: str | None = "TEST/index.html") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("TEST/style.css", "body { margin: 0 }")
        if index:
            archive.writestr(index, "<html><body>Ad</body></html>")
    return buffer.getvalue()


def upload(client: httpx.Client, media_type: str, *files: tuple[str, bytes], field: str = "media_assets[]",
           headers: dict[str, str] | None = None) -> httpx.Response:
    parts = [(field, (name, content, "application/octet-stream")) for name, content in files]
    return client.post(f"/api/media-asset/upload/{media_type}", files=parts, headers=headers)


# --- Fixtures -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def module_server() -> Iterator:
    with running(SandboxConfig(max_files_per_upload=3)) as srv:
        yield srv


# --- 17.1 Image ---------------------------------------------------------------------------------------

def test_images_of_each_format_are_stored_with_their_size(server, http, auth):
    answer = upload(http, "image", ("test-image.png", png(10, 10)), ("Banner.GIF", gif(300, 250)),
                    ("photo.jpeg", jpeg(728, 90)), headers=auth)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["message"] == "MediaAsset created." and len(body["data"]) == 3
    first = body["data"][0]
    stamp = first["createdAt"]
    assert DATETIME.fullmatch(stamp)
    assert first == {"id": 1, "userId": 18, "mediaType": "image", "originName": "test-image.png",
                     "name": "test-image.png", "extension": "png", "url": "/storage/test-image.png", "width": 10,
                     "height": 10, "weight": len(png(10, 10)), "createdAt": stamp, "updatedAt": stamp}
    assert [list(m) for m in body["data"]] == [IMAGE_KEYS] * 3
    assert [(m["id"], m["extension"], m["width"], m["height"]) for m in body["data"]] == [
        (1, "png", 10, 10), (2, "gif", 300, 250), (3, "jpeg", 728, 90)]
    assert server.sandbox.media() == body["data"]


def test_ids_keep_counting_across_uploads_and_routes(server, http, auth):
    assert upload(http, "image", ("a.png", png(1, 1)), headers=auth).json()["data"][0]["id"] == 1
    assert upload(http, "video", ("b.mp4", mp4(2, 2, 1)), headers=auth).json()["data"][0]["id"] == 2
    assert upload(http, "html", ("c.zip", html_zip()), headers=auth).json()["data"][0]["id"] == 3
    assert [m["mediaType"] for m in server.sandbox.media()] == ["image", "video", "html"]


def test_content_decides_not_the_name(client):
    """As Laravel's `mimes` (finfo): a PNG named .gif is an image; the extension stays the client's."""
    answer = upload(client, "image", ("renamed.gif", png(4, 3)), ("no-extension", jpeg(5, 6)))
    assert answer.status_code == 200
    assert [(m["extension"], m["width"], m["height"]) for m in answer.json()["data"]] == [("gif", 4, 3),
                                                                                          ("jpg", 5, 6)]


def test_indexed_fields_are_an_array_too(client):
    answer = upload(client, "image", ("a.png", png(2, 2)), field="media_assets[0]")
    assert answer.status_code == 200 and answer.json()["data"][0]["width"] == 2


# --- 17.2 Video ---------------------------------------------------------------------------------------

def test_video_size_duration_and_mime_type_are_read(server, http, auth):
    content = mp4(640, 360, 8)
    answer = upload(http, "video", ("test-video.mp4", content), headers=auth)
    assert answer.status_code == 200, answer.text
    media = answer.json()["data"][0]
    assert list(media) == VIDEO_KEYS
    stamp = media["createdAt"]
    assert media == {"id": 1, "userId": 18, "mediaType": "video", "originName": "test-video.mp4",
                     "name": "test-video.mp4", "extension": "mp4", "url": "/storage/test-video.mp4", "width": 640,
                     "height": 360, "weight": len(content), "mimeType": "video/mp4",
                     "bitrate": len(content) * 8 // 8, "duration": 8, "durationTime": "00:00:08",
                     "playtime": "00:00:08", "createdAt": stamp, "updatedAt": stamp}
    assert server.sandbox.media() == [media]


def test_quicktime_and_webm(client):
    answer = upload(client, "video", ("clip.mp4", mp4(320, 240, 3725, brand=b"qt  ")), ("clip.webm", webm()))
    assert answer.status_code == 200, answer.text
    mov, web = answer.json()["data"]
    # As 17.2.5: the extension is the client's, the MIME type the bytes'.
    assert (mov["extension"], mov["mimeType"], mov["width"], mov["height"]) == ("mp4", "video/quicktime", 320, 240)
    assert (mov["duration"], mov["durationTime"]) == (3725, "01:02:05")
    assert (web["mimeType"], web["width"], web["height"], web["duration"], web["bitrate"]) == (
        "video/webm", 0, 0, 0, 0)


# --- 17.3 HTML ----------------------------------------------------------------------------------------

def test_html_zip_is_named_by_its_index(client):
    content = html_zip()
    answer = upload(client, "html", ("test-html.zip", content))
    assert answer.status_code == 200, answer.text
    media = answer.json()["data"][0]
    assert list(media) == IMAGE_KEYS
    assert {k: media[k] for k in IMAGE_KEYS[2:10]} == {
        "mediaType": "html", "originName": "test-html.zip", "name": "TEST/index.html", "extension": "zip",
        "url": "/storage/TEST/index.html", "width": 0, "height": 0, "weight": len(content)}


def test_the_shallowest_index_names_an_html_media(client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ad/extra/index.html", "<p>deep</p>")
        archive.writestr("ad/INDEX.HTML", "<p>top</p>")
    answer = upload(client, "html", ("ad.zip", buffer.getvalue()))
    assert answer.status_code == 200 and answer.json()["data"][0]["name"] == "ad/INDEX.HTML"


# --- Refusals -----------------------------------------------------------------------------------------

IMAGE_TYPES = "The media assets.0 field must be a file of type: png, jpg, jpeg, gif."


@pytest.mark.parametrize(("media_type", "name", "content", "message"), [
    ("image", "x.png", b"not an image at all", IMAGE_TYPES),
    ("image", "x.png", b"", IMAGE_TYPES),
    ("image", "x.png", png(3, 3)[:16], IMAGE_TYPES),  # a PNG cut before its size
    ("image", "x.jpg", b"\xff\xd8\xff\xe0" + bytes(20), IMAGE_TYPES),  # a JPEG without a frame header
    ("image", "x.png", mp4(2, 2, 1), IMAGE_TYPES),
    ("image", "x.zip", html_zip(), IMAGE_TYPES),
    ("video", "x.mp4", png(2, 2), "The media assets.0 field must be a file of type: mp4, mov, webm."),
    ("video", "x.mp4", b"\x00\x00\x00\x18ftyp", "The media assets.0 field must be a file of type: mp4, mov, webm."),
    ("video", "x.webm", b"\x1a\x45\xdf\xa3\x93\x42\x82\x88matroska",
     "The media assets.0 field must be a file of type: mp4, mov, webm."),
    ("html", "x.zip", png(2, 2), "The media assets.0 field must be a file of type: zip."),
    ("html", "x.zip", b"PK\x03\x04 broken archive", "The media assets.0 field must be a file of type: zip."),
    ("html", "x.zip", html_zip(index=None), "The media assets.0 field must be a file of type: zip."),
])
def test_bytes_that_are_not_the_routes_type_are_refused(module_server, client, media_type, name, content, message):
    before = len(module_server.sandbox.media())
    assert_refused(upload(client, media_type, (name, content)), {"media_assets.0": [message]})
    assert len(module_server.sandbox.media()) == before


def test_one_bad_file_refuses_the_whole_upload(module_server, client):
    before = len(module_server.sandbox.media())
    answer = upload(client, "image", ("good.png", png(2, 2)), ("bad.png", b"GIF87a"), ("good.gif", gif(1, 1)))
    assert_refused(answer, {"media_assets.1": [
        "The media assets.1 field must be a file of type: png, jpg, jpeg, gif."]})
    assert len(module_server.sandbox.media()) == before


def test_more_files_than_the_cap_are_refused(module_server, client):
    before = len(module_server.sandbox.media())
    answer = upload(client, "image", *[(f"{n}.png", png(1, 1)) for n in range(4)])
    assert_refused(answer, {"media_assets": ["The media assets field must not have more than 3 items."]})
    assert len(module_server.sandbox.media()) == before
    assert upload(client, "image", *[(f"{n}.png", png(1, 1)) for n in range(3)]).status_code == 200


def test_default_cap_is_ten():
    with running(SandboxConfig()) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        answer = upload(http, "image", *[(f"{n}.png", png(1, 1)) for n in range(11)], headers=auth)
        assert answer.json()["errors"] == {"media_assets": ["The media assets field must not have more than 10 items."]}
        assert upload(http, "image", *[(f"{n}.png", png(1, 1)) for n in range(10)], headers=auth).status_code == 200


def test_missing_field_bare_field_and_plain_values(client):
    assert_refused(client.post("/api/media-asset/upload/image", json={"media_assets": ["x"]}),
             {"media_assets": ["The media assets field is required."]})
    assert_refused(client.post("/api/media-asset/upload/image", files=[("file", ("a.png", png(1, 1)))]),
             {"media_assets": ["The media assets field is required."]})
    # A bare `media_assets` part is one value to PHP, not an array (a second file would replace it).
    assert_refused(upload(client, "image", ("a.png", png(1, 1)), ("b.png", png(1, 1)), field="media_assets"),
             {"media_assets": ["The media assets field must be an array."]})
    assert_refused(client.post("/api/media-asset/upload/image", data={"media_assets[]": "text"},
                         files=[("other", ("a.png", png(1, 1)))]),
             {"media_assets.0": ["The media assets.0 field must be a file."]})
    assert_refused(upload(client, "image", ("a.png", b"nope"), field="media_assets[7]"),
             {"media_assets.7": ["The media assets.7 field must be a file of type: png, jpg, jpeg, gif."]})


def test_media_is_the_callers(module_server, client):
    module_server.sandbox.store.create(MEDIA, "99", lambda new_id: {"id": new_id, "userId": 99})
    mine = upload(client, "image", ("mine.png", png(1, 1))).json()["data"][0]
    assert mine["userId"] == 18
    assert {m["userId"] for m in module_server.sandbox.media()} == {18, 99}


@pytest.mark.parametrize("media_type", ["image", "video", "html"])
def test_uploads_need_a_token(http, media_type):
    answer = upload(http, media_type, ("a.png", png(1, 1)))
    assert answer.status_code == 401 and answer.json() == {"message": "Unauthenticated."}


def test_uploads_are_post_only(http, auth):
    answer = http.get("/api/media-asset/upload/image", headers=auth)
    assert answer.status_code == 405


# --- The stored files, served at their URLs ----------------------------------------------------------

def test_every_url_handed_out_serves_its_file_with_no_login(client):
    first, other = png(10, 10), png(20, 20)
    stored = upload(client, "image", ("banner.png", first)).json()["data"][0]
    again = upload(client, "image", ("banner.png", first)).json()["data"][0]  # the same bytes: the same URL
    clash = upload(client, "image", ("banner.png", other)).json()["data"][0]
    page = upload(client, "html", ("ad.zip", html_zip())).json()["data"][0]
    assert (stored["url"], again["url"]) == ("/storage/banner.png", "/storage/banner.png")
    assert clash["url"] == f"/storage/{clash['id']}_banner.png"
    anonymous = httpx.Client(base_url=str(client.base_url))
    assert anonymous.get(stored["url"]).content == first
    assert anonymous.get(clash["url"]).content == other
    served = anonymous.get(page["url"])
    assert served.status_code == 200 and served.text == "<html><body>Ad</body></html>"
    assert anonymous.get("/storage/nothing.png").status_code == 404
