"""The platforms bulkops speaks to, one folder each, registered here by name: one line a platform.

Each folder's package exposes its `Platform` object as `PLATFORM`; it is imported on first use, so
importing this registry (or naming the platforms for `--platform`) loads no platform.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from bulkops._exceptions import ConfigError
from bulkops.platforms._platform import (
    ApiClient,
    Connection,
    Estimating,
    HeldReading,
    Platform,
    ReadState,
    ReadTouched,
    SandboxParts,
    State,
    Touched,
)

# name → the package holding it. Adding a platform: a new folder beside these, and one line here.
_PACKAGES: dict[str, str] = {
    "smartyads": "bulkops.platforms.smartyads",
    "iqm": "bulkops.platforms.iqm",
}


class _Registry(Mapping[str, Platform]):
    """name → Platform, each platform's package imported when it is first looked up."""

    def __getitem__(self, name: str) -> Platform:
        package = _PACKAGES[name]
        platform: Platform = importlib.import_module(package).PLATFORM
        return platform

    def __iter__(self) -> Iterator[str]:
        return iter(_PACKAGES)

    def __len__(self) -> int:
        return len(_PACKAGES)


PLATFORMS: Mapping[str, Platform] = _Registry()


def platform_names() -> tuple[str, ...]:
    """Every registered platform's name, in registry order, without loading any of them."""
    return tuple(_PACKAGES)


def platform_label(name: str) -> str:
    """The platform's name as messages write it ("SmartyAds"); an unknown name as it is."""
    return PLATFORMS[name].label if name in _PACKAGES else name


def platform_named(name: str) -> Platform:
    if name not in _PACKAGES:
        raise ConfigError(f"unknown platform {name!r}; choose one of: {', '.join(_PACKAGES)}")
    return PLATFORMS[name]


__all__ = ["PLATFORMS", "ApiClient", "Connection", "Estimating", "HeldReading", "Platform", "ReadState", "ReadTouched",
           "SandboxParts", "State", "Touched", "platform_label",
           "platform_named", "platform_names"]
