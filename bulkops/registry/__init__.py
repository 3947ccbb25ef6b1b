"""The registry of the platforms bulkops speaks to: each platform's folder (`bulkops/platforms/<name>/`)
by name, one line a platform in `bulkops/platforms/__init__.py`, and the `Platform` interface they implement.

Each folder's `platform` module holds its `Platform` object as `PLATFORM`; it is imported on first use, so
importing this registry (or naming the platforms for `--platform`) loads no platform. The registry
sits below every other package: it names the platforms only as strings and imports none of them
until one is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from bulkops._exceptions import ConfigError
from bulkops.platforms import PACKAGES
from bulkops.registry._platform import (
    MEDIA_URLS,
    RAW_OBJECT,
    ApiClient,
    Connection,
    Estimating,
    HeldReading,
    Platform,
    ReadState,
    ReadTouched,
    Reporting,
    SandboxParts,
    State,
    Touched,
)


class _Registry(Mapping[str, Platform]):
    """name → Platform, each platform's package imported when it is first looked up."""

    def __getitem__(self, name: str) -> Platform:
        package = PACKAGES[name]
        platform: Platform = importlib.import_module(f"{package}.platform").PLATFORM
        return platform

    def __iter__(self) -> Iterator[str]:
        return iter(PACKAGES)

    def __len__(self) -> int:
        return len(PACKAGES)


PLATFORMS: Mapping[str, Platform] = _Registry()
T = TypeVar("T")


# What a job names no platform for (an empty plan, a sandbox started without one): the first registered.
DEFAULT_PLATFORM: str = next(iter(PACKAGES))


def platform_names() -> tuple[str, ...]:
    """Every registered platform's name, in registry order, without loading any of them."""
    return tuple(PACKAGES)


def platform_label(name: str) -> str:
    """The platform's name as messages write it ("SmartyAds"); an unknown name as it is."""
    return PLATFORMS[name].label if name in PACKAGES else name


def platform_named(name: str) -> Platform:
    if name not in PACKAGES:
        raise ConfigError(f"unknown platform {name!r}; choose one of: {', '.join(PACKAGES)}")
    return PLATFORMS[name]


def offered(platform: str, command: str, part: Callable[[Platform], T | None]) -> T:
    """The platform's `part` that `command` needs (its exporter, its statistics), or a ConfigError
    naming the platforms that offer it."""
    found = part(platform_named(platform))
    if found is None:
        offering = sorted(name for name, p in PLATFORMS.items() if part(p) is not None)
        raise ConfigError(f"{command} is not available for {platform} in this version of bulkops "
                          f"(available: {', '.join(offering) or 'none'})")
    return found


__all__ = ["DEFAULT_PLATFORM", "MEDIA_URLS", "PLATFORMS", "RAW_OBJECT", "ApiClient", "Connection", "Estimating",
           "HeldReading", "Platform", "ReadState", "ReadTouched", "Reporting", "SandboxParts", "State", "Touched",
           "offered", "platform_label", "platform_named", "platform_names"]
