"""Every validation rule of the SmartyAds Creatives sheet, with the row and column it is reported on."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from bulkops._jobs import ValidationReport, validate_files
from bulkops.kinds import MAX_BYTES
from bulkops.platforms.smartyads.kinds._creatives import FORMATS, FileRef, creative_payload
from tests._media import gif, html_zip, jpeg, png
from tests.conftest import campaign
from tests.kinds._reports import errors as sheet_errors
from tests.kinds._reports import values as sheet_values
from tests.kinds._reports import warnings as sheet_warnings

SHEET = "Creatives"
errors = partial(sheet_errors, sheet=SHEET)
warnings = partial(sheet_warnings, sheet=SHEET)
values = partial(sheet_values, sheet=SHEET)


@pytest.fixture
def media(tmp_path: Path) -> Path:
    """Files beside the workbook (the fixture writes workbooks into tmp_path)."""
    folder = tmp_path / "media"
    folder.mkdir()
    (folder / "300x250.png").write_bytes(png(300, 250))
    (folder / "728x90.gif").write_bytes(gif(728, 90))
    (folder / "320x50.jpg").write_bytes(jpeg(320, 50))
    (folder / "png-inside.gif").write_bytes(png(300, 250))
    (folder / "text.png").write_bytes(b"this is not an image at all")
    (folder / "rich.zip").write_bytes(html_zip())
    (folder / "not-a-zip.zip").write_bytes(b"<html>plain text, not an archive</html>")
    (folder / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
    (folder / "notes.mp4").write_bytes(b"a text file that someone renamed")
    (folder / "no-index.zip").write_bytes(html_zip(index=False))
    return folder


# A minimal valid row of each format (media paths relative to the workbook).
VALID: dict[str, dict[str, object]] = {
    "banner-image": {"mediaFile": "media/300x250.png", "clickUrl": "https://shop.example.com/spring"},
    "banner-tag": {"admBody": '<script src="https://ads.example.com/tag.js"></script>', "width": 300, "height": 250},
    "banner-html": {"mediaFile": "media/rich.zip", "width": 300, "height": 250},
    "native": {"mediaFile": "media/300x250.png", "clickUrl": "https://shop.example.com"},
    "video": {"mediaFile": "media/clip.mp4", "clickUrl": "https://shop.example.com"},
    "video-tag": {"admBody": "https://vast.example.com/vast.xml", "mimeType": "video/mp4"},
}


def creative(format_name: str = "banner-image", **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {"name": "Spring", "format": format_name, "bidPrice": 1.5, "categories": "IAB1"}
    row.update(VALID[format_name])
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def validate(write_workbook, rows, **sheets) -> ValidationReport:
    return validate_files([write_workbook({**sheets, "creatives": rows})], "smartyads")








@pytest.mark.parametrize("format_name", list(FORMATS))
def test_a_complete_row_of_each_format_has_no_problems(write_workbook, media, format_name):
    report = validate(write_workbook, [creative(format_name)])
    assert report.problems == []


@pytest.mark.parametrize("format_name,labels", [
    ("banner-image", ["Click URL", "Height", "Media File", "Width"]),
    ("banner-tag", ["Height", "Tag", "Width"]),
    ("banner-html", ["Height", "Media File", "Width"]),
    ("native", ["Click URL", "Media File"]),
    ("video", ["Click URL", "Media File"]),
    ("video-tag", ["MIME Types", "Tag"]),
])
def test_each_format_requires_its_own_columns(write_workbook, format_name, labels):
    bare = {"name": "Spring", "format": format_name, "bidPrice": 1.5, "categories": "IAB1"}
    found = errors(validate(write_workbook, [bare]))
    assert found == [(2, label, "required", f"{label} is required for {format_name} creatives") for label in labels]


@pytest.mark.parametrize("field,label", [("name", "Name"), ("format", "Format"), ("bidPrice", "Bid Price"),
                                         ("categories", "IAB Categories")])
def test_columns_every_creative_needs(write_workbook, media, field, label):
    found = errors(validate(write_workbook, [creative(**{field: None})]))
    if field == "format":  # without a Format no format rule applies
        assert found == [(2, "Format", "required", "Format is required")]
    else:
        assert found == [(2, label, "required", f"{label} is required")]


def test_an_unknown_format(write_workbook, media):
    [(row, column, code, message)] = errors(validate(write_workbook, [creative(format="banner-video")]))
    assert (row, column, code) == (2, "Format", "allowed")
    assert message.startswith("'banner-video' not allowed")


@pytest.mark.parametrize("format_name,field,value,label", [
    ("banner-image", "assetTitle", "Spring sale", "Title"),
    ("banner-image", "admBody", "<div>tag</div>", "Tag"),
    ("banner-tag", "mediaFile", "media/300x250.png", "Media File"),
    ("native", "apiFramework", "mraid2", "MRAID"),
    ("video", "width", 640, "Width"),
    ("video-tag", "clickUrl", "https://shop.example.com", "Click URL"),
    ("banner-html", "displayUrl", "https://shop.example.com", "Display URL"),
])
def test_a_column_the_format_does_not_use_is_a_warning(write_workbook, media, format_name, field, value, label):
    report = validate(write_workbook, [creative(format_name, **{field: value})])
    assert errors(report) == []
    assert warnings(report) == [(2, label, "ignored", f"{label} is not used by {format_name} creatives and "
                                 "will not be sent")]


def test_an_unused_column_is_not_sent(write_workbook, media):
    report = validate(write_workbook, [creative("video", width=640, assetTitle="x")])
    payload = creative_payload(values(report))
    assert payload["video"] == {"clickUrl": "https://shop.example.com"}


def test_a_missing_media_file_is_named_as_typed(write_workbook, media):
    found = errors(validate(write_workbook, [creative(mediaFile="media/nothing.png", width=300, height=250)]))
    assert found == [(2, "Media File", "file", "no file at 'media/nothing.png' (paths are relative to the workbook)")]


def test_media_paths_are_relative_to_the_workbook_not_the_working_directory(write_workbook, media, tmp_path,
                                                                            monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    report = validate(write_workbook, [creative()])
    assert report.problems == []
    assert values(report)["mediaFile"] == FileRef(str((media / "300x250.png").resolve()), "image")


def test_a_missing_logo_file(write_workbook, media):
    found = errors(validate(write_workbook, [creative("native", logoFile="media/logo.png")]))
    assert found == [(2, "Logo File", "file", "no file at 'media/logo.png' (paths are relative to the workbook)")]


@pytest.mark.parametrize("format_name,path,message", [
    ("banner-image", "media/rich.zip", "rich.zip is not an image file for this format (expected .gif, .jpeg, "
                                       ".jpg, .png)"),
    ("banner-html", "media/300x250.png", "300x250.png is not an html file for this format (expected .zip)"),
    ("native", "media/clip.mp4", "clip.mp4 is not an image file for this format"),
    ("video", "media/300x250.png", "300x250.png is not a video file for this format (expected .mov, .mp4, .webm)"),
])
def test_a_file_of_the_wrong_type_for_the_format(write_workbook, media, format_name, path, message):
    found = errors(validate(write_workbook, [creative(format_name, mediaFile=path, width=300, height=250)]))
    assert [(r, c, code) for r, c, code, _ in found] == [(2, "Media File", "file")]
    assert found[0][3].startswith(message)


@pytest.mark.parametrize("path", ["media/png-inside.gif", "media/text.png", "media/not-a-zip.zip", "media/notes.mp4"])
def test_content_that_disagrees_with_the_extension(write_workbook, media, path):
    format_name = {".zip": "banner-html", ".mp4": "video"}.get(Path(path).suffix, "banner-image")
    found = errors(validate(write_workbook, [creative(format_name, mediaFile=path, width=300, height=250)]))
    name = Path(path).name
    assert found == [(2, "Media File", "file", f"{name} does not contain what its extension says")]


def test_a_rich_media_zip_needs_an_index_html(write_workbook, media):
    found = errors(validate(write_workbook, [creative("banner-html", mediaFile="media/no-index.zip", width=300,
                                                      height=250)]))
    assert found == [(2, "Media File", "file", "no-index.zip has no index.html, which a rich-media ZIP needs")]


def test_a_file_over_the_size_bound_is_refused_before_anything_is_read(write_workbook, media, monkeypatch):
    monkeypatch.setitem(MAX_BYTES, "image", 100)
    found = errors(validate(write_workbook, [creative(mediaFile="media/300x250.png", width=300, height=250)]))
    assert found == [(2, "Media File", "file",
                      "300x250.png is larger than the 0.0977 KB bulkops uploads for image media")]


def test_a_refused_file_is_reported_once_not_also_as_required(write_workbook, media):
    found = errors(validate(write_workbook, [creative(mediaFile="media/gone.png", width=300, height=250)]))
    assert [(r, c, code) for r, c, code, _ in found] == [(2, "Media File", "file")]


@pytest.mark.parametrize("path,width,height,bad", [
    ("media/300x250.png", 320, 250, [("Width", 320)]),
    ("media/728x90.gif", 728, 60, [("Height", 60)]),
    ("media/320x50.jpg", 300, 250, [("Height", 250), ("Width", 300)]),
])
def test_width_and_height_must_match_the_image(write_workbook, media, path, width, height, bad):
    found = errors(validate(write_workbook, [creative(mediaFile=path, width=width, height=height)]))
    name = Path(path).name
    size = name.split(".")[0]
    assert found == [(2, label, "size", f"{label} is {typed} but {name} is {size} pixels") for label, typed in bad]


@pytest.mark.parametrize("path,size", [("media/300x250.png", (300, 250)), ("media/728x90.gif", (728, 90)),
                                       ("media/320x50.jpg", (320, 50))])
def test_blank_width_and_height_are_read_from_the_image(write_workbook, media, path, size):
    report = validate(write_workbook, [creative(mediaFile=path)])
    assert report.problems == []
    typed = values(report)
    assert (typed["width"], typed["height"]) == size
    payload = creative_payload(typed)
    assert payload["banner"] == {"width": size[0], "height": size[1], "clickUrl": "https://shop.example.com/spring",
                                 "apiFramework": 0}
    assert payload["mediaId"] == FileRef(str((media / Path(path).name).resolve()), "image")


def test_only_the_blank_one_is_filled(write_workbook, media):
    report = validate(write_workbook, [creative(width=300)])
    assert report.problems == []
    assert (values(report)["width"], values(report)["height"]) == (300, 250)


@pytest.mark.parametrize("field,label,format_name,url", [
    ("clickUrl", "Click URL", "banner-image", "shop.example.com"),
    ("clickUrl", "Click URL", "video", "ftp://shop.example.com"),
    ("clickUrl", "Click URL", "native", "https://shop example.com"),
    ("displayUrl", "Display URL", "native", "https://"),
    ("displayUrl", "Display URL", "native", "www.shop.example.com"),
])
def test_urls_must_be_web_addresses(write_workbook, media, field, label, format_name, url):
    found = errors(validate(write_workbook, [creative(format_name, **{field: url})]))
    assert found == [(2, label, "format", f"{url!r} is not a web address starting with http:// or https://")]


@pytest.mark.parametrize("codes,bad", [("IAB1, IAB99", "'IAB99'"), ("IAB1-1, IAB1-99", "'IAB1-99'"),
                                       ("IAB22, iab3-1, Sports", "'Sports'")])
def test_unknown_iab_categories_and_sub_categories(write_workbook, media, codes, bad):
    [(row, column, code, message)] = errors(validate(write_workbook, [creative(categories=codes)]))
    assert (row, column, code) == (2, "IAB Categories", "allowed")
    assert message.startswith(f"{bad} not allowed")


def test_categories_and_sub_categories_in_the_payload(write_workbook, media):
    report = validate(write_workbook, [creative(categories="IAB22, iab1-1, IAB1-2")])
    assert report.problems == []
    payload = creative_payload(values(report))
    assert payload["categories"] == {"IAB22": True}
    assert payload["subCategories"] == {"IAB1": ["IAB1-1", "IAB1-2"]}


def test_video_tag_mime_types(write_workbook, media):
    found = errors(validate(write_workbook, [creative("video-tag", mimeType="video/mp4, video/avi")]))
    [(row, column, code, message)] = found
    assert (row, column, code) == (2, "MIME Types", "allowed")
    assert message.startswith("'video/avi' not allowed")
    report = validate(write_workbook, [creative("video-tag", mimeType="video/mp4\nVIDEO/WEBM")])
    assert report.problems == []
    assert values(report)["mimeType"] == ["video/mp4", "video/webm"]


@pytest.mark.parametrize("choice,sent", [(None, 0), ("none", 0), ("mraid1", 3), ("MRAID2", 5), ("mraid3", 6),
                                         ("all", 10)])
def test_mraid_choices_and_what_is_sent(write_workbook, media, choice, sent):
    report = validate(write_workbook, [creative(apiFramework=choice)])
    assert report.problems == []
    assert creative_payload(values(report))["banner"]["apiFramework"] == sent


def test_an_unknown_mraid_choice(write_workbook, media):
    [(row, column, code, message)] = errors(validate(write_workbook, [creative(apiFramework="mraid4")]))
    assert (row, column, code) == (2, "MRAID", "allowed")
    assert message.startswith("'mraid4' not allowed (did you mean 'mraid3'?)")


@pytest.mark.parametrize("format_name,tag", [("banner-tag", "hello world"), ("banner-tag", "document.write('ad')"),
                                             ("video-tag", "www.ads.example.com/vast.xml"),
                                             ("video-tag", "ftp://ads.example.com/vast.xml")])
def test_a_tag_must_be_markup_or_a_url(write_workbook, format_name, tag):
    found = errors(validate(write_workbook, [creative(format_name, admBody=tag)]))
    assert found == [(2, "Tag", "format", "a tag should be HTML/JavaScript markup or a VAST URL")]


def test_frequency_capping_on_requires_type_cap_and_period(write_workbook, media):
    found = errors(validate(write_workbook, [creative(frequency="yes", frequencyCap=3)]))
    assert found == [(2, label, "required", f"{label} is required when Frequency Capping is on")
                     for label in ("Frequency Period", "Frequency Type")]
    full = creative(frequency="yes", frequencyType="ip", frequencyCap=3, frequencyPeriod=2)
    assert validate(write_workbook, [full]).problems == []
    assert validate(write_workbook, [creative(frequency="no")]).problems == []


@pytest.mark.parametrize("field,label,value,message", [
    ("frequencyPeriod", "Frequency Period", 4, "4 is above the maximum of 3"),
    ("frequencyCap", "Frequency Cap", 0, "0 is below the minimum of 1"),
])
def test_frequency_ranges(write_workbook, media, field, label, value, message):
    row = creative(frequency="yes", frequencyType="user", frequencyCap=3, frequencyPeriod=1) | {field: value}
    assert errors(validate(write_workbook, [row])) == [(2, label, "range", message)]


@pytest.mark.parametrize("bid,message", [(0, "0 is below the minimum of 0.01"),
                                         (-1.5, "-1.5 is below the minimum of 0.01")])
def test_bid_price_must_be_above_zero(write_workbook, media, bid, message):
    assert errors(validate(write_workbook, [creative(bidPrice=bid)])) == [(2, "Bid Price", "range", message)]


def test_campaigns_by_ref_on_another_sheet_and_by_id(write_workbook, media):
    rows = [creative(campaigns="c1"), creative(name="Two", campaigns="c1, 77"), creative(name="Three", campaigns="77")]
    report = validate(write_workbook, rows, campaigns=[campaign()])
    assert report.problems == []
    assert values(report, row=3)["campaigns"] == ["c1", "77"]


def test_campaigns_naming_an_unknown_ref(write_workbook, media):
    report = validate(write_workbook, [creative(), creative(name="Two", campaigns="c1, spring")],
                      campaigns=[campaign()])
    assert errors(report) == [(3, "Campaigns", "reference",
                               "'spring' is neither the Ref of a campaigns row in this job nor an ID")]


def test_a_campaign_ref_on_another_workbook_of_the_job(write_workbook, media):
    campaigns = write_workbook({"campaigns": [campaign(ref="Spring-Sale")]}, name="campaigns.xlsx")
    creatives = write_workbook({"creatives": [creative(campaigns="spring-sale")]}, name="creatives.xlsx")
    assert validate_files([campaigns, creatives], "smartyads").problems == []
    alone = validate_files([creatives], "smartyads")
    assert [(p.row, p.column, p.code) for p in alone.errors] == [(2, "Campaigns", "reference")]
