"""SmartyAds creatives (sections 17 and 18 of `smartyads-dsp-api.txt`): six formats in one sheet.

The Format column picks the document's variant (18.5–18.10); each variant has its own required
columns, checked here before anything is sent. Media files are named by path (relative to the
workbook) and uploaded first; the payload carries a `FileRef` that the run swaps for the media ID.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import (
    ENTITY_COLUMNS,
    MAX_BYTES,
    MEDIA_TYPES,
    URL_HINT,
    URL_PATTERN,
    ColType,
    Column,
    FileRef,
    Kind,
    SheetContext,
    UpdateRoute,
    fill_image_size,
    has_index_html,
    located,
    media_type_of,
    parents,
    put_at,
    required_when,
    rows_of,
    sniff_matches,
    uses_slot,
)
from bulkops.platforms.smartyads import _enums as enums
from bulkops.platforms.smartyads.kinds._assign import assignment_mode, remove_needs_id

PLATFORM = "smartyads"


@dataclass(frozen=True)
class Format:
    creative_type: str
    section: str  # the owning object of width/height/clickUrl/admBody in the payload
    media: str | None  # media type of Media File, if the format has one
    needs: tuple[str, ...]  # fields required on create beyond the common ones


FORMATS: dict[str, Format] = {
    "banner-image": Format("banner", "banner", "image", ("mediaFile", "clickUrl", "width", "height")),
    "banner-tag": Format("banner", "banner", None, ("admBody", "width", "height")),
    "banner-html": Format("banner", "banner", "html", ("mediaFile", "width", "height")),
    "native": Format("native", "native", "image", ("mediaFile", "clickUrl")),
    "video": Format("video", "video", "video", ("mediaFile", "clickUrl")),
    "video-tag": Format("video", "video", None, ("admBody", "mimeType")),
}
# Which fields each format can carry at all; a filled cell outside them is a mistake worth a warning.
FORMAT_USES: dict[str, frozenset[str]] = {
    "banner-image": frozenset({"mediaFile", "clickUrl", "width", "height", "apiFramework"}),
    "banner-tag": frozenset({"admBody", "width", "height", "apiFramework"}),
    "banner-html": frozenset({"mediaFile", "width", "height", "apiFramework"}),
    "native": frozenset({"mediaFile", "logoFile", "clickUrl", "assetTitle", "assetDataDesc", "assetDataSponsored",
                         "assetCtaText", "displayUrl", "folderId"}),
    "video": frozenset({"mediaFile", "clickUrl"}),
    "video-tag": frozenset({"admBody", "mimeType"}),
}
_FORMAT_FIELDS = frozenset().union(*FORMAT_USES.values())
MRAID = {"none": 0, "mraid1": 3, "mraid2": 5, "mraid3": 6, "all": 10}


def _format_note() -> str:
    return ("banner-image: image file + click URL; banner-tag: third-party tag; banner-html: rich-media ZIP; "
            "native: image (+ logo) + click URL; video: video file + click URL; video-tag: VAST tag + MIME types.")


_COLUMNS: tuple[Column, ...] = ENTITY_COLUMNS + (
        Column("Name", "name", ColType.TEXT, "Creative name.", example="Spring banner 300x250", required=True,
               max_length=255, own=("length",), api_path="name"),
        Column("Format", "format", ColType.ENUM, _format_note(), example="banner-image", required=True,
               choices=tuple(FORMATS)),
        parents("Campaigns", "campaigns", "campaigns", "campaigns", "spring-sale"),
        assignment_mode("set of creatives of each campaign named in Campaigns"),
        Column("Bid Price", "bidPrice", ColType.NUMBER, "CPM bid for this creative.", example=1.5, required=True,
               minimum=0.01, own=("minimum",), api_path="bidPrice"),
        Column("Active", "isActive", ColType.ACTIVE,
               "active or paused (TRUE/FALSE too): pause or resume the creative. The only thing SmartyAds lets you "
               "change on an existing creative (18.11).", example="active", api_path="isActive"),
        Column("Media File", "mediaFile", ColType.FILE,
               "Path of the image, video or rich-media ZIP, relative to this workbook.", example="media/300x250.png"),
        Column("Logo File", "logoFile", ColType.FILE, "Native only: path of the logo image.", example="media/logo.png"),
        Column("Width", "width", ColType.INT, "Banner width in pixels; blank for an image: read from the file.",
               example=300, minimum=1, maximum=10000, own=("minimum", "maximum"), api_path="{section}.width"),
        Column("Height", "height", ColType.INT, "Banner height in pixels; blank for an image: read from the file.",
               example=250, minimum=1, maximum=10000, own=("minimum", "maximum"), api_path="{section}.height"),
        Column("Click URL", "clickUrl", ColType.TEXT, "Where a click goes.", example="https://shop.example.com/spring",
               max_length=2048, pattern=URL_PATTERN, pattern_hint=URL_HINT, own=("length", "pattern"),
               api_path="{section}.clickUrl"),
        Column("Tag", "admBody", ColType.TEXT, "Third-party tag (banner-tag) or VAST tag/URL (video-tag).",
               example='<script src="https://ads.example.com/tag.js"></script>', max_length=65535,
               own=("length", "syntax"), api_path="{section}.admBody"),
        # 18.9.1 says "video/mpeg, video/mp4, etc.": the list is the usual OpenRTB one, bulkops's own.
        Column("MIME Types", "mimeType", ColType.ENUM_LIST, "video-tag: MIME types the tag can serve.",
               example="video/mp4", choices=enums.VIDEO_MIME_TYPES, own=("allowed",), api_path="{section}.mimeType"),
        Column("MRAID", "apiFramework", ColType.ENUM, "Banners: rich-media API the creative needs.", example="none",
               choices=tuple(MRAID), api_path="{section}.apiFramework"),
        Column("Title", "assetTitle", ColType.TEXT, "Native: ad title.", example="Spring sale", max_length=255,
               own=("length",), api_path="{section}.assetTitle"),
        Column("Description", "assetDataDesc", ColType.TEXT, "Native: ad text.", example="Up to 50% off",
               max_length=1024, own=("length",), api_path="{section}.assetDataDesc"),
        Column("Brand", "assetDataSponsored", ColType.TEXT, "Native: brand name.", example="Example Shop",
               max_length=255, own=("length",), api_path="{section}.assetDataSponsored"),
        Column("CTA Text", "assetCtaText", ColType.TEXT, "Native: button text.", example="Shop now", max_length=64,
               own=("length",), api_path="{section}.assetCtaText"),
        Column("Display URL", "displayUrl", ColType.TEXT, "Native: URL shown in the ad.",
               example="https://shop.example.com", max_length=2048, pattern=URL_PATTERN, pattern_hint=URL_HINT,
               own=("length", "pattern"), api_path="{section}.displayUrl"),
        # The document lists no sub-categories; IAB's taxonomy is bulkops's own list.
        Column("IAB Categories", "categories", ColType.ENUM_LIST,
               "IAB categories (IAB1) or sub-categories (IAB1-1) of the ad.", example="IAB22, IAB1-1", required=True,
               choices=enums.IAB_CATEGORIES + enums.IAB_SUBCATEGORIES, own=("allowed",)),
        Column("Frequency Capping", "frequency", ColType.BOOL, "Turn frequency capping on.", example="FALSE",
               api_path="frequency"),
        Column("Frequency Type", "frequencyType", ColType.ENUM, "Count per user or per IP.", example="user",
               choices=enums.FREQUENCY_TYPES, api_path="frequencyType"),
        Column("Frequency Cap", "frequencyCap", ColType.INT, "At most this many times per period.", example=3,
               minimum=1, own=("minimum",), api_path="frequencyCap"),
        Column("Frequency Period", "frequencyPeriod", ColType.INT, "Period in days (1 to 3).", example=1, minimum=1,
               maximum=3, api_path="frequencyPeriod"),
        # 18.8.1 takes it for native creatives only (a string); 18.3.4 shows it. Its length is bulkops's own.
        Column("Folder ID", "folderId", ColType.TEXT, "Native: the folder the creative is filed in.",
               example="spring-2027", max_length=255, own=("length",), api_path="folderId"),
)


def _format_checks(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    problems: list[Problem] = []
    for row, values in rows_of(frame):
        name = values.get("format")
        if name not in FORMATS:
            continue
        spec = FORMATS[name]
        # An existing creative (with an ID) keeps its media and sizes: SmartyAds changes only Active
        # on it, so an exported row, which has no local media file, needs none of them.
        needs = () if values.get("id") is not None else spec.needs
        for field_name in needs:
            if values.get(field_name) is None:
                header = where.header(field_name)
                problems.append(where.problem(row, header, "required", f"{header} is required for {name} creatives"))
        for field_name in sorted(_FORMAT_FIELDS - FORMAT_USES[name]):
            if values.get(field_name) is not None:
                header = where.header(field_name)
                problems.append(where.problem(row, header, "ignored", f"{header} is not used by {name} creatives "
                                              "and will not be sent", warning=True))
    return problems


def _resolve_files(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    """Media paths → absolute paths that exist, of the right type; image sizes agree with the row.

    A repair (runs before the schema): it rewrites paths in place and fills a blank Width/Height
    from the image itself.
    """
    problems: list[Problem] = []
    for row in frame.index:
        name = frame.at[row, "format"]
        spec = FORMATS.get(name) if isinstance(name, str) else None
        for field_name in ("mediaFile", "logoFile"):
            text = frame.at[row, field_name]
            if text is None or spec is None:
                continue
            expected = spec.media if field_name == "mediaFile" else "image"
            path, problem = _checked_file(where, row, where.header(field_name), str(text), expected)
            if problem is not None:
                problems.append(problem)
                frame.at[row, field_name] = None
                continue
            frame.at[row, field_name] = FileRef(str(path), expected or "image")
            if field_name == "mediaFile" and spec.section == "banner" and expected == "image":
                problems += fill_image_size(frame, kind, where, row, path)
    return problems


def _checked_file(where: SheetContext, row: int, label: str, text: str,
                  expected: str | None) -> tuple[Path | None, Problem | None]:
    path = located(where, text)
    if isinstance(path, str):
        return None, where.problem(row, label, "file", path)
    actual = media_type_of(path)
    if expected is None:
        return path, None
    if actual != expected:
        allowed = ", ".join(sorted(MEDIA_TYPES[expected]))
        article = "an" if expected in ("image", "html") else "a"
        return None, where.problem(row, label, "file", f"{path.name} is not {article} {expected} file for this "
                                   f"format (expected {allowed})")
    if not sniff_matches(path, expected):
        return None, where.problem(row, label, "file", f"{path.name} does not contain what its extension says")
    if path.stat().st_size > MAX_BYTES[expected]:
        return None, where.problem(row, label, "file", f"{path.name} is larger than the "
                                   f"{_megabytes(MAX_BYTES[expected])} bulkops uploads for {expected} media")
    if expected == "html" and not has_index_html(path):
        return None, where.problem(row, label, "file", f"{path.name} has no index.html, which a rich-media ZIP needs")
    return path, None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB" if size >= 1024 * 1024 else f"{size / 1024:.3g} KB"


# The columns sent as they are, each at its declared API path (top-level, or in the format's section);
# Format, the media files and the categories take a shape of their own (creative_payload).
SENT_AS_IS: tuple[Column, ...] = tuple(c for c in _COLUMNS if c.api_path)
IN_SECTION: tuple[Column, ...] = tuple(c for c in SENT_AS_IS if uses_slot(c, "section"))
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(f.section for f in FORMATS.values()))


def creative_payload(values: Mapping[str, Any]) -> dict[str, Any]:
    """A row in the shape of 18.5–18.10 for its Format."""
    if values.get("format") not in FORMATS:
        # An update row may leave Format blank (an existing creative changes only Active, 18.11.1).
        return {c.field: values[c.field] for c in SENT_AS_IS
                if c not in IN_SECTION and c.field not in _FORMAT_FIELDS and values.get(c.field) is not None}
    spec = FORMATS[values["format"]]
    uses = FORMAT_USES[values["format"]]
    slots = {"section": spec.section}
    payload: dict[str, Any] = {"name": values["name"], "creativeType": spec.creative_type, spec.section: {}}
    for column in SENT_AS_IS:
        if column.field == "name" or ((column in IN_SECTION or column.field in _FORMAT_FIELDS)
                                      and column.field not in uses):
            continue
        value = values.get(column.field)
        if column.field == "apiFramework":
            value = MRAID[value or "none"]  # a banner always says which rich-media API it needs
        if value is not None:
            put_at(payload, column, value, slots)
    section = payload[spec.section]
    if spec.section == "native":
        section["largeImageId"] = values["mediaFile"]
        if values.get("logoFile") is not None:
            section["smallImageId"] = values["logoFile"]
    elif spec.media is not None:
        payload["mediaId"] = values["mediaFile"]
    payload.update(_categories(values.get("categories") or []))
    return payload


def _categories(codes: Sequence[str]) -> dict[str, Any]:
    categories: dict[str, bool] = {}
    sub: dict[str, list[str]] = {}
    for code in codes:
        if "-" in code:
            sub.setdefault(code.split("-", 1)[0], []).append(code)
        else:
            categories[code] = True
    out: dict[str, Any] = {}
    if categories:
        out["categories"] = categories
    if sub:
        out["subCategories"] = sub
    return out


_TAG = re.compile(r"^\s*(<|https?://)", re.IGNORECASE)


def _tag_checks(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    column = kind.column("admBody")
    return [dataclasses.replace(where.problem(row, where.header("admBody"), "format",
                                              "a tag should be HTML/JavaScript markup or a VAST URL"),
                                own=column.is_own("syntax"))
            for row, tag in frame["admBody"].items() if tag is not None and not _TAG.match(str(tag))]


CREATIVES = Kind(
    name="creatives",    appendable=True,

    sheet="Creatives",
    platform=PLATFORM,
    natural_key=("name",),
    updatable=("isActive",),
    update_route=UpdateRoute("SmartyAds' creative update, 18.11.1", ("isActive",)),
    columns=_COLUMNS,
    repairs=(_resolve_files,),
    checks=(_format_checks, _tag_checks, remove_needs_id,
            required_when("frequency", ("frequencyType", "frequencyCap", "frequencyPeriod"))),
    payload=creative_payload,
)
