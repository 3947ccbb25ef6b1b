"""SmartyAds: its API client, kinds, steps, live-state reader and sandbox.

`PLATFORM` (the `bulkops.registry.Platform` the registry hands out) is loaded on first use: importing
a part of this folder, such as its client, does not load the rest.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "PLATFORM":
        from bulkops.platforms.smartyads._platform import PLATFORM

        return PLATFORM
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
