"""End to end, every SmartyAds kind in one job: the CLI pushing multi-sheet workbooks to the sandbox,
asserting what the sandbox stored, how many requests it took, and what the results workbook says."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
import zipcodes

from bulkops.sandbox import SandboxConfig, running
from tests._media import html_zip, mp4, png
from tests.conftest import campaign
from tests.test_e2e import push

pytestmark = pytest.mark.slow


@pytest.fixture
def media(tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    folder.mkdir()
    for w, h in [(300, 250), (728, 90), (1200, 627), (100, 100)]:
        (folder / f"{w}x{h}.png").write_bytes(png(w, h))
    (folder / "rich.zip").write_bytes(html_zip())
    (folder / "spot.mp4").write_bytes(mp4(640, 360, 15))
    return folder


def sheet_rows(path: Path, title: str) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path)[title]
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, (c.value for c in row), strict=False)) for row in sheet.iter_rows(min_row=2)
            if any(c.value is not None for c in row)]


def requests_to(server, suffix: str) -> list[str]:
    return [r.method for r in server.sandbox.request_log if r.path.endswith(suffix)]


def ids_by_name(objects: list[dict], key: str = "name") -> dict[str, int]:
    return {o[key]: o["id"] for o in objects}


def us_zip(code: str) -> tuple[float, float]:
    [found] = zipcodes.matching(code)
    return float(found["lat"]), float(found["long"])


JOB = {
    "campaigns": [campaign(ref="c1", name="North"), campaign(ref="c2", name="South", type="native")],
    "creatives": [
        {"ref": "b1", "name": "Banner 300x250", "format": "banner-image", "campaigns": "c1, c2", "bidPrice": 1.5,
         "mediaFile": "media/300x250.png", "clickUrl": "https://shop.example.com/a", "categories": "IAB22"},
        {"ref": "b2", "name": "Banner 728x90", "format": "banner-image", "campaigns": "c1", "bidPrice": 1.2,
         "mediaFile": "media/728x90.png", "clickUrl": "https://shop.example.com/b", "categories": "IAB22, IAB18-1"},
        {"ref": "t1", "name": "Tag 300x250", "format": "banner-tag", "campaigns": "c2", "bidPrice": 0.9,
         "width": 300, "height": 250, "admBody": "<script src=\"https://ads.example.com/t.js\"></script>",
         "categories": "IAB22"},
        {"ref": "h1", "name": "Rich 300x250", "format": "banner-html", "campaigns": "c1", "bidPrice": 2,
         "mediaFile": "media/rich.zip", "width": 300, "height": 250, "apiFramework": "mraid2",
         "categories": "IAB22"},
        {"ref": "n1", "name": "Native card", "format": "native", "campaigns": "c2", "bidPrice": 1.1,
         "mediaFile": "media/1200x627.png", "logoFile": "media/100x100.png", "clickUrl": "https://shop.example.com/n",
         "assetTitle": "Autumn", "assetDataDesc": "New range", "assetDataSponsored": "Shop",
         "assetCtaText": "Buy", "displayUrl": "https://shop.example.com", "categories": "IAB22"},
        {"ref": "v1", "name": "VAST 30s", "format": "video-tag", "campaigns": "c2", "bidPrice": 8,
         "admBody": "https://ads.example.com/vast.xml", "mimeType": "video/mp4", "categories": "IAB22"},
        {"ref": "v2", "name": "Spot 15s", "format": "video", "campaigns": "c2", "bidPrice": 9,
         "mediaFile": "media/spot.mp4", "clickUrl": "https://shop.example.com/v", "categories": "IAB22"},
    ],
    "geo-zip": [
        {"campaign": "c1", "zip": "02134", "iso2": "US"},
        {"campaign": "c1", "zip": 1001, "iso2": "US"},  # typed as a number: restored to 01001
        {"campaign": "c1", "zip": "10001", "iso2": "US", "include": "exclude"},
        {"campaign": "c2", "zip": "M5V 3L9", "iso2": "CA", "lat": 43.6426, "lng": -79.3871},
    ],
    "geo-gps": [
        {"campaign": "c1", "lat": 40.758, "lng": -73.9855, "radius": 2, "unit": "km"},
        {"campaign": "c1", "lat": 41.8781, "lng": -87.6298, "radius": 1, "unit": "mi", "include": "exclude"},
    ],
    "deals": [
        {"campaign": "c2", "dealId": "PMP-1", "bidPrice": 12.5},
        {"campaign": "c2", "dealId": "00417", "bidPrice": 9.75},
    ],
    "filter-lists": [
        {"ref": "safe", "title": "Safe domains", "type": "domain", "isInclude": "include", "campaigns": "c1, c2"},
        {"ref": "ips", "title": "Bad IPs", "type": "ipAdresses", "isInclude": "exclude", "campaigns": "c2"},
    ],
    "filter-list-items": [
        {"filterList": "safe", "item": "news.example.com"},
        {"filterList": "safe", "item": "weather.example.org"},
        {"filterList": "ips", "item": "198.51.100.7"},
        {"filterList": "ips", "item": "2001:db8::1"},
    ],
}


def test_one_workbook_creates_everything_and_the_sandbox_holds_exactly_it(env, server, write_workbook, media,
                                                                          tmp_path):
    out = tmp_path / "r.xlsx"
    result, summary = push(write_workbook(JOB), server.base_url, "-o", str(out))
    assert result.exit_code == 0, result.output
    sandbox = server.sandbox
    campaigns = ids_by_name(sandbox.campaigns())
    creatives = ids_by_name(sandbox.creatives())
    lists = {fl["title"]: fl for fl in sandbox.filter_lists()}
    c1, c2 = campaigns["North"], campaigns["South"]
    assert set(creatives) == {c["name"] for c in JOB["creatives"]}

    assert sorted(sandbox.campaign_creative_ids(c1)) == sorted(
        creatives[n] for n in ("Banner 300x250", "Banner 728x90", "Rich 300x250"))
    assert sorted(sandbox.campaign_creative_ids(c2)) == sorted(
        creatives[n] for n in ("Banner 300x250", "Tag 300x250", "Native card", "VAST 30s", "Spot 15s"))

    def zips(cid):
        return [(z["zip"], z["iso2"], round(z["lat"], 4), round(z["lng"], 4), z["include"])
                for z in sandbox.campaign_zips(cid)]

    lat, lng = us_zip("02134")
    lat2, lng2 = us_zip("01001")
    lat3, lng3 = us_zip("10001")
    assert zips(c1) == [("02134", "US", round(lat, 4), round(lng, 4), True),
                        ("01001", "US", round(lat2, 4), round(lng2, 4), True),
                        ("10001", "US", round(lat3, 4), round(lng3, 4), False)]
    assert zips(c2) == [("M5V 3L9", "CA", 43.6426, -79.3871, True)]

    # Miles become kilometres, to the metre.
    circles = [(c["lat"], c["lng"], c["radius"], c["include"]) for c in sandbox.campaign_circles(c1)]
    assert circles == [(40.758, -73.9855, 2.0, True), (41.8781, -87.6298, 1.609, False)]
    assert sandbox.campaign_circles(c2) == []

    assert sorted((d["dealId"], float(d["bidPrice"])) for d in sandbox.campaign_deals(c2)) == [
        ("00417", 9.75), ("PMP-1", 12.5)]
    assert sandbox.campaign_deals(c1) == []

    assert sorted(lists["Safe domains"]["items"]) == ["news.example.com", "weather.example.org"]
    assert lists["Safe domains"]["type"] == "domain" and lists["Safe domains"]["isInclude"] is True
    assert sorted(lists["Bad IPs"]["items"]) == ["198.51.100.7", "2001:db8::1"]
    assert lists["Bad IPs"]["isInclude"] is False
    assert sandbox.campaign_filter_list_ids(c1) == [lists["Safe domains"]["id"]]
    assert sorted(sandbox.campaign_filter_list_ids(c2)) == sorted(fl["id"] for fl in lists.values())

    # Media: four images in one upload, the ZIP and the video in one more each.
    assert sorted(m["mediaType"] for m in sandbox.media()) == ["html"] + ["image"] * 4 + ["video"]
    assert sorted(r.path for r in sandbox.request_log if "/media-asset/" in r.path) == [
        "/api/media-asset/upload/html", "/api/media-asset/upload/image", "/api/media-asset/upload/video"]
    [spot] = [c for c in sandbox.creatives() if c["name"] == "Spot 15s"]
    [video] = [m for m in sandbox.media() if m["mediaType"] == "video"]
    shown = spot["relation"]["video"]
    assert f"<![CDATA[{video['url']}]]>" in shown["admBody"]  # the sandbox's VAST names the uploaded file
    assert (shown["width"], shown["height"], shown["duration"]) == (640, 360, 15)

    # Every row of every sheet has its outcome; entity rows have their ID.
    for title in ("Campaigns", "Creatives", "Filter Lists"):
        rows = sheet_rows(out, title)
        assert {r["Status"] for r in rows} == {"created"}, rows
        assert all(isinstance(r["ID"], int) for r in rows)
    for title in ("Geo ZIP", "Geo GPS", "Deals", "Filter List Items"):
        assert {r["Status"] for r in sheet_rows(out, title)} == {"created"}, title
    [repaired] = [r for r in sheet_rows(out, "Geo ZIP") if r["ZIP"] == 1001]  # the cell as the user typed it
    assert "leading zero" in repaired["Message"]
    assert summary["counts"]["Geo ZIP"] == {"created": 4}

    # The same push again, and a push of the results workbook (whose rows now have IDs), send no write.
    for again in (write_workbook(JOB), out):
        before = len(sandbox.request_log)
        result, _ = push(again, server.base_url, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert [f"{r.method} {r.path}" for r in sandbox.request_log[before:] if r.method != "GET"
                and not r.path.endswith("/login")] == []


def zip_rows(count: int, campaign_ref: str = "c1") -> list[dict[str, object]]:
    codes = sorted(z["zip_code"] for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD" and z["lat"])
    return [{"campaign": campaign_ref, "zip": code, "iso2": "US"} for code in codes[:count]]


def test_2500_zips_for_one_campaign_take_three_requests(env, server, write_workbook, tmp_path):
    rows = zip_rows(2500)
    path = write_workbook({"campaigns": [campaign(ref="c1")], "geo-zip": rows})
    result, summary = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    [cid] = [c["id"] for c in server.sandbox.campaigns()]
    # Three writes, then the list read back a page of 1,000 at a time to check what it holds.
    assert requests_to(server, f"/campaigns/{cid}/geo-targeting-zip-code") == ["POST", "PATCH", "PATCH", "GET",
                                                                              "GET", "GET"]
    assert [z["zip"] for z in server.sandbox.campaign_zips(cid)] == [r["zip"] for r in rows]
    assert summary["counts"]["Geo ZIP"] == {"created": 2500}


def test_item_cap_is_configurable_on_both_sides(env, write_workbook, tmp_path):
    rows = zip_rows(250)
    with running(SandboxConfig(max_items_per_request=100)) as srv:
        path = write_workbook({"campaigns": [campaign(ref="c1")], "geo-zip": rows})
        result, _ = push(path, srv.base_url, "-o", str(tmp_path / "r.xlsx"), "--item-cap", "100")
        assert result.exit_code == 0, result.output
        [cid] = [c["id"] for c in srv.sandbox.campaigns()]
        # The read that checks them goes by pages of 1,000, whatever the item cap.
        assert requests_to(srv, f"/campaigns/{cid}/geo-targeting-zip-code") == ["POST", "PATCH", "PATCH", "GET"]
        assert len(srv.sandbox.campaign_zips(cid)) == 250


def test_a_list_over_the_cap_the_platform_refuses_fails_its_rows_with_the_platform_message(
        env, write_workbook, tmp_path):
    with running(SandboxConfig(max_items_per_request=100)) as srv:
        path = write_workbook({"campaigns": [campaign(ref="c1")], "geo-zip": zip_rows(150)})
        out = tmp_path / "r.xlsx"
        result, summary = push(path, srv.base_url, "-o", str(out), "--item-cap", "1000")
        assert result.exit_code == 1, result.output
        assert summary["counts"]["Geo ZIP"] == {"failed": 150}
        assert "100" in sheet_rows(out, "Geo ZIP")[0]["Message"]


def test_append_adds_to_what_the_campaign_has(env, server, write_workbook, tmp_path):
    first = write_workbook({"campaigns": [campaign(ref="c1")], "geo-zip": zip_rows(3)}, name="first.xlsx")
    assert push(first, server.base_url, "-o", str(tmp_path / "r1.xlsx"))[0].exit_code == 0
    [cid] = [c["id"] for c in server.sandbox.campaigns()]
    more = [{"campaign": cid, "zip": "02134", "iso2": "US"}, *[dict(r, campaign=cid) for r in zip_rows(1)]]
    second = write_workbook({"geo-zip": more}, name="second.xlsx")
    result, summary = push(second, server.base_url, "-o", str(tmp_path / "r2.xlsx"), "--append", "geo-zip")
    assert result.exit_code == 0, result.output
    # The row already there is not sent twice (append reads the list first).
    assert [z["zip"] for z in server.sandbox.campaign_zips(cid)] == [r["zip"] for r in zip_rows(3)] + ["02134"]
    assert summary["counts"]["Geo ZIP"] == {"created": 1, "unchanged": 1}


def test_replace_is_the_default_and_the_sheet_is_the_whole_truth(env, server, write_workbook, tmp_path):
    first = write_workbook({"campaigns": [campaign(ref="c1")], "geo-zip": zip_rows(3)}, name="first.xlsx")
    assert push(first, server.base_url, "-o", str(tmp_path / "r1.xlsx"))[0].exit_code == 0
    [cid] = [c["id"] for c in server.sandbox.campaigns()]
    second = write_workbook({"geo-zip": [{"campaign": cid, "zip": "02134", "iso2": "US"}]}, name="second.xlsx")
    assert push(second, server.base_url, "-o", str(tmp_path / "r2.xlsx"))[0].exit_code == 0
    assert [z["zip"] for z in server.sandbox.campaign_zips(cid)] == ["02134"]


def test_a_long_filter_list_travels_as_a_file(env, write_workbook, tmp_path):
    items = [f"198.18.{n // 250}.{n % 250 + 1}" for n in range(250)]
    job = {"filter-lists": [{"ref": "ips", "title": "Many IPs", "type": "ipAdresses", "isInclude": "exclude"}],
           "filter-list-items": [{"filterList": "ips", "item": ip} for ip in items]}
    with running(SandboxConfig(max_items_per_request=100)) as srv:
        result, _ = push(write_workbook(job), srv.base_url, "-o", str(tmp_path / "r.xlsx"), "--item-cap", "100")
        assert result.exit_code == 0, result.output
        [stored] = srv.sandbox.filter_lists()
        assert sorted(stored["items"]) == sorted(items)
        writes = [f"{r.method} {r.path}" for r in srv.sandbox.request_log if r.method != "GET"
                  and not r.path.endswith("/login")]
    assert writes == ["POST /api/parsefile", "POST /api/filterlist"]


def test_children_of_an_invalid_campaign_are_skipped_with_the_reason(env, server, write_workbook, tmp_path):
    job = {"campaigns": [campaign(ref="good", name="Good"), campaign(ref="bad", name="Bad", type="billboard")],
           "geo-zip": [{"campaign": "good", "zip": "02134", "iso2": "US"},
                       {"campaign": "bad", "zip": "01001", "iso2": "US"}]}
    out = tmp_path / "r.xlsx"
    result, _ = push(write_workbook(job), server.base_url, "-o", str(out), "--skip-invalid")
    assert result.exit_code == 0, result.output
    good, bad = sheet_rows(out, "Geo ZIP")
    assert good["Status"] == "created"
    assert bad["Status"] == "skipped" and "row 3" in bad["Message"] and "invalid" in bad["Message"]
    assert len(server.sandbox.campaigns()) == 1


def test_a_platform_refusal_fails_the_rows_of_that_list_only(env, server, write_workbook, tmp_path):
    job = {"campaigns": [campaign(ref="c1")],
           "geo-zip": [{"campaign": 999999, "zip": "02134", "iso2": "US"},
                       {"campaign": "c1", "zip": "01001", "iso2": "US"}]}
    out = tmp_path / "r.xlsx"
    result, _ = push(write_workbook(job), server.base_url, "-o", str(out))
    assert result.exit_code == 1, result.output
    missing, fine = sheet_rows(out, "Geo ZIP")
    assert missing["Status"] == "failed" and "999999" in missing["Message"]
    assert fine["Status"] == "created"


def test_a_killed_push_resumes_at_the_next_chunk_without_duplicates(env, write_workbook, tmp_path):
    rows = zip_rows(1000)
    path = write_workbook({"campaigns": [campaign(ref="c1")], "geo-zip": rows})
    out = tmp_path / "r.xlsx"
    command = [sys.executable, "-m", "bulkops", "push", str(path), "-p", "smartyads", "-o", str(out), "--quiet",
               "--item-cap", "100"]
    with running(SandboxConfig(latency_ms=80)) as srv:
        process = subprocess.Popen([*command, "--base-url", srv.base_url], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while len([m for m in requests_to(srv, "/geo-targeting-zip-code") if m == "PATCH"]) < 3 \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        sent_before = len(requests_to(srv, "/geo-targeting-zip-code"))
        assert 4 <= sent_before < 10
        finished = subprocess.run([*command, "--base-url", srv.base_url], env=env, capture_output=True, text=True)
        assert finished.returncode == 0, finished.stderr
        [cid] = [c["id"] for c in srv.sandbox.campaigns()]
        # PATCH appends without de-duplicating: a chunk sent twice would show here.
        assert [z["zip"] for z in srv.sandbox.campaign_zips(cid)] == [r["zip"] for r in rows]
        again = requests_to(srv, "/geo-targeting-zip-code")[sent_before:]
    assert "POST" not in [m for m in again if m != "GET"]  # the first chunk is never replaced again
    assert len([m for m in again if m == "PATCH"]) <= 10 - sent_before + 1
    assert {r["Status"] for r in sheet_rows(out, "Geo ZIP")} == {"created"}


def test_items_with_commas_and_quotes_survive_the_file_route(env, write_workbook, tmp_path):
    items = ["https://a.example.com/p?x=1,2", 'https://b.example.com/"q"', "https://c.example.com/"]
    job = {"filter-lists": [{"ref": "u", "title": "URLs", "type": "urls", "isInclude": "exclude"}],
           "filter-list-items": [{"filterList": "u", "item": url} for url in items]}
    with running(SandboxConfig()) as srv:
        result, _ = push(write_workbook(job), srv.base_url, "-o", str(tmp_path / "r.xlsx"), "--item-cap", "2")
        assert result.exit_code == 0, result.output
        [stored] = srv.sandbox.filter_lists()
    assert stored["items"] == items


def test_an_upload_the_platform_refuses_fails_its_creatives_and_the_push(env, write_workbook, media, tmp_path):
    rows = [{"ref": f"b{n}", "name": f"Banner {n}", "format": "banner-image", "bidPrice": 1,
             "mediaFile": f"media/{size}.png", "clickUrl": "https://shop.example.com", "categories": "IAB22"}
            for n, size in enumerate(["300x250", "728x90", "1200x627"])]
    out = tmp_path / "r.xlsx"
    with running(SandboxConfig(max_files_per_upload=2)) as srv:
        result, summary = push(write_workbook({"creatives": rows}), srv.base_url, "-o", str(out))
        assert srv.sandbox.creatives() == []
    assert result.exit_code == 1, result.output
    assert summary["counts"] == {"Creatives": {"failed": 3}}
    assert all("uploading" in r["Message"] for r in sheet_rows(out, "Creatives"))


def test_one_file_named_by_several_rows_and_spellings_is_uploaded_once(env, server, write_workbook, media, tmp_path):
    rows = [{"ref": f"b{n}", "name": f"Banner {n}", "format": "banner-image", "bidPrice": 1, "mediaFile": path,
             "clickUrl": "https://shop.example.com", "categories": "IAB22"}
            for n, path in enumerate(["media/300x250.png", "media/../media/300x250.png", str(media / "300x250.png")])]
    result, _ = push(write_workbook({"creatives": rows}), server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    [uploaded] = server.sandbox.media()
    assert {c["relation"]["banner"]["admBody"] for c in server.sandbox.creatives()} == {
        f'<img src="{uploaded["url"]}" crossorigin="anonymous"/>'}
