"""The kinds of things a workbook can hold, per platform: declared once, used everywhere."""

from __future__ import annotations

from bulkops._exceptions import ConfigError
from bulkops.kinds._declare import ACTIONS, APPEND, REMOVE, REPLACE, ColType, Column, Kind, Role, SheetContext
from bulkops.platforms import platform_named, platform_names

KIND_NAMES: tuple[str, ...] = ("campaigns", "creatives", "geo-zip", "geo-gps", "deals", "filter-lists",
                               "filter-list-items")


PLATFORMS: tuple[str, ...] = platform_names()  # every registered platform's name (`bulkops.platforms`)


def kinds_for(platform: str) -> tuple[Kind, ...]:
    return platform_named(platform).kinds


def kind_named(platform: str, name: str) -> Kind:
    for kind in kinds_for(platform):
        if name in (kind.name, kind.sheet) or _norm(name) in (_norm(kind.name), _norm(kind.sheet)):
            return kind
    available = ", ".join(k.name for k in kinds_for(platform))
    raise ConfigError(f"{platform} has no kind {name!r} yet; available: {available}")


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


__all__ = ["ACTIONS", "APPEND", "KIND_NAMES", "PLATFORMS", "REMOVE", "REPLACE", "ColType", "Column", "Kind", "Role",
           "SheetContext", "kind_named", "kinds_for"]
