"""IQM creatives: image, video, audio, HTML, VAST and DAAST, each added through the creative guide's
"Add New Creative" (`POST /api/v3/crt/creatives`, see `bulkops.platforms.iqm.client._creatives` and docs/iqm.md):
images, videos and audio as the files named here, HTML markup and VAST/DAAST documents as the source
the Tag cell holds. The documented size limits and formats are checked here, before anything is sent,
and so is what the route cannot take: a pixel URL is kept for images only (the guide has `pixelUrl` in
`imageDetails` alone), and an audio creative has no width or height.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import (
    URL_HINT,
    URL_PATTERN,
    ColType,
    Column,
    Kind,
    SheetContext,
    entity_columns_without_delete,
    fill_image_size,
    located,
    parents,
    rows_of,
    sniff_matches,
)
from bulkops.platforms.iqm.client import FILE_LIMITS

PLATFORM = "iqm"
_KB, _MB = 1024, 1024 * 1024
# "File requirements for creative file" (iqm-api.md): extension → (largest size, format); the sizes
# are the client's, which checks them again before an upload.
_FORMAT_OF = {**dict.fromkeys((".jpg", ".jpeg", ".png", ".gif"), "image"), **dict.fromkeys((".mov", ".mp4"), "video"),
              **dict.fromkeys((".mp3", ".wav", ".ogg", ".mpeg"), "audio")}
FILE_RULES: dict[str, tuple[int, str]] = {ext: (FILE_LIMITS[ext], _FORMAT_OF[ext]) for ext in FILE_LIMITS}
FILE_FORMATS = ("image", "video", "audio")
TAG_FORMATS = ("html", "vast", "daast")
FORMATS = FILE_FORMATS + TAG_FORMATS
# The campaign Creative Type each format belongs to (IQM types: image, html, video, audio).
CREATIVE_TYPE_OF = {"image": "image", "video": "video", "audio": "audio", "html": "html", "vast": "video",
                    "daast": "audio"}
TAG_LIMIT = 1 * _MB  # an HTML tag or VAST/DAAST document larger than this is a mistake, not an ad
_XML_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(VAST|DAAST)\b", re.IGNORECASE | re.DOTALL)

# Which checks are bulkops's own (`Column.own`): the quick start ("File requirements for creative
# file") and the creative guide's Add New Creative give the formats and file sizes, what each format
# sends (a file, or HTML, VAST or DAAST source) and the details each takes (`pixelUrl` in
# `imageDetails` alone; an HTML creative's width and height). Lengths, URL shapes, size ranges, a
# tag's shape and an image's click URL being required are bulkops's own. A row with an ID sends
# nothing of the creative, so its own-check errors are only warnings (`bulkops.platforms.iqm._live`).
_COLUMNS: tuple[Column, ...] = entity_columns_without_delete(
    "the creative is used as it is (bulkops does not change or delete an existing creative).") + (
    Column("Name", "creativeName", ColType.TEXT, "Creative name.", example="Spring 300x250", required=True,
           max_length=255, own=("length",)),
    Column("Format", "format", ColType.ENUM,
           "image, video, audio: a File; html: an HTML tag; vast / daast: VAST or DAAST XML in Tag.",
           example="image", required=True, choices=FORMATS),
    parents("Campaigns", "campaigns", "campaigns", "campaigns", "spring-sale"),
    Column("File", "file", ColType.FILE,
           "Path of the image (JPG/PNG ≤ 2 MB, GIF ≤ 750 KB), video (MP4/MOV ≤ 400 MB) or audio "
           "(MP3/WAV/OGG/MPEG ≤ 100 MB), relative to this workbook.", example="media/spring-300x250.png"),
    Column("Tag", "tag", ColType.TEXT, "html: the HTML tag; vast / daast: the XML document.",
           example='<div><a href="https://shop.example.com"><img src="https://cdn.example.com/a.png"></a></div>',
           max_length=TAG_LIMIT, own=("length", "syntax")),
    Column("Click URL", "clickUrl", ColType.TEXT, "Where a click goes.", example="https://shop.example.com/spring",
           max_length=2048, pattern=URL_PATTERN, pattern_hint=URL_HINT, own=("required", "length", "pattern")),
    Column("Pixel URL", "pixelUrl", ColType.TEXT, "Impression tracking pixel; image creatives only.", example=None,
           max_length=2048, pattern=URL_PATTERN, pattern_hint=URL_HINT, own=("length", "pattern")),
    Column("Width", "width", ColType.INT, "Width in pixels (not for audio); blank for an image: read from the file.",
           example=300, minimum=1, maximum=10000, own=("minimum", "maximum")),
    Column("Height", "height", ColType.INT, "Height in pixels; blank for an image: read from the file.",
           example=250, minimum=1, maximum=10000, own=("minimum", "maximum")),
)


def _resolve_files(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    """File cells → absolute paths of files that exist, in a documented format and size; an image's
    blank Width/Height filled from the image (a repair: it runs before the schema)."""
    problems: list[Problem] = []
    header = where.header("file")
    for row in frame.index:
        text, name = frame.at[row, "file"], frame.at[row, "format"]
        if text is None or name not in FILE_FORMATS:
            continue
        path = located(where, str(text))
        why = path if isinstance(path, str) else _file_problem(path, name)
        if why is not None:
            problems.append(where.problem(row, header, "file", why))
            frame.at[row, "file"] = None
            continue
        assert isinstance(path, Path)
        frame.at[row, "file"] = str(path)
        if name == "image":
            problems += fill_image_size(frame, kind, where, row, path)
    return problems


def _file_problem(path: Path, format_name: str) -> str | None:
    rule = FILE_RULES.get(path.suffix.casefold())
    if rule is None or rule[1] != format_name:
        allowed = ", ".join(sorted(e for e, (_, f) in FILE_RULES.items() if f == format_name))
        article = "a" if format_name == "video" else "an"
        return f"{path.name} is not {article} {format_name} file IQM takes (expected {allowed})"
    if not _sniffed(path, format_name):
        return f"{path.name} does not contain what its extension says"
    limit = rule[0]
    if path.stat().st_size > limit:
        return f"{path.name} is {path.stat().st_size:,} bytes; IQM takes at most {_size(limit)} for " \
               f"{path.suffix.upper().lstrip('.')} files"
    return None


def _sniffed(path: Path, format_name: str) -> bool:
    if format_name != "audio":
        return sniff_matches(path, format_name)
    with path.open("rb") as handle:
        head = handle.read(12)
    return (head.startswith((b"ID3", b"OggS", b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"))
            or (head[:4] == b"RIFF" and head[8:12] == b"WAVE") or (len(head) > 1 and head[0] == 0xFF
                                                                   and head[1] & 0xE0 == 0xE0))


def _size(limit: int) -> str:
    return f"{limit // _MB} MB" if limit >= _MB else f"{limit // _KB} KB"


def _format_rules(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    problems: list[Problem] = []
    for row, values in rows_of(frame):
        name = values.get("format")
        if name not in FORMATS or values.get("id") is not None:
            continue  # an existing creative is used as it is: nothing of it is sent
        problems += _needs(row, values, kind, where, name)
    return problems


def _needs(row: Any, values: Mapping[str, Any], kind: Kind, where: SheetContext, name: str) -> list[Problem]:
    needed = ["file"] if name in FILE_FORMATS else ["tag"]
    needed += ["clickUrl"] if name == "image" else []
    needed += ["width", "height"] if name == "html" else []
    problems = [_marked(kind, f, "required", where.problem(row, where.header(f), "required",
                                                           f"{where.header(f)} is required for {name} creatives"))
                for f in needed if values.get(f) is None]
    tag = values.get("tag")
    if tag is not None and name in ("vast", "daast"):
        match = _XML_ROOT.match(tag)
        if not match or match.group(1).lower() != name:
            problems.append(_marked(kind, "tag", "syntax", where.problem(
                row, where.header("tag"), "format", f"a {name} creative's {where.header('tag')} must be a "
                f"{name.upper()} XML document (<{name.upper()} ...>)")))
    elif tag is not None and name == "html" and "<" not in tag:
        problems.append(_marked(kind, "tag", "syntax", where.problem(
            row, where.header("tag"), "format", f"an html creative's {where.header('tag')} must be HTML markup")))
    if values.get("pixelUrl") is not None and name != "image":
        header = where.header("pixelUrl")
        problems.append(where.problem(row, header, "allowed", f"IQM keeps a {header} for image creatives only, not "
                                      f"for {name} creatives"))
    unused = ["tag" if name in FILE_FORMATS else "file"] + (["width", "height"] if name == "audio" else [])
    for field_name in (f for f in unused if values.get(f) is not None):
        header = where.header(field_name)
        problems.append(where.problem(row, header, "ignored", f"{header} is not used by {name} creatives and will "
                                      "not be sent", warning=True))
    return problems


def _marked(kind: Kind, field_name: str, check: str, problem: Problem) -> Problem:
    """The problem marked as bulkops's own when the column's declaration says this check is."""
    return dataclasses.replace(problem, own=kind.column(field_name).is_own(check))


def creative_payload(values: Mapping[str, Any]) -> dict[str, Any]:
    """What the upload needs: the file (or tag) and the creative's fields (only those filled: a row with
    an ID may leave the create-time cells blank). An audio creative's size is not sent."""
    unsent = ("width", "height") if values.get("format") == "audio" else ()
    return {field_name: values[field_name] for field_name in ("format", "creativeName", "file", "tag", "clickUrl",
                                                               "pixelUrl", "width", "height")
            if values.get(field_name) is not None and field_name not in unsent}


CREATIVES = Kind(
    name="creatives",
    appendable=True,
    sheet="Creatives",
    platform=PLATFORM,
    natural_key=("creativeName",),
    columns=_COLUMNS,
    repairs=(_resolve_files,),
    checks=(_format_rules,),
    payload=creative_payload,
)
