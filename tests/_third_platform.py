"""A made-up third platform, registered for one test: what adding a platform's folder and its line in
`bulkops.platforms.PACKAGES` does, without the folder. It borrows the first platform's connection and
steps and declares one kind of its own, `banners`, that no other platform has."""

from __future__ import annotations

import sys
import types
from dataclasses import replace

import pytest

NAME = "adbridge"
LABEL = "AdBridge"
PACKAGE = "tests._third_platform_package"
NEW_KIND = "banners"


def register(monkeypatch: pytest.MonkeyPatch) -> None:
    from bulkops.platforms import PACKAGES
    from bulkops.registry import PLATFORMS, platform_names

    first = PLATFORMS[platform_names()[0]]
    campaigns = next(kind for kind in first.kinds if kind.name == "campaigns")
    kinds = (replace(campaigns, platform=NAME),
             replace(campaigns, name=NEW_KIND, sheet="Banners", platform=NAME, appendable=True))
    module = types.ModuleType(f"{PACKAGE}.platform")
    module.PLATFORM = replace(first, name=NAME, label=LABEL, kinds=kinds)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(PACKAGES, NAME, PACKAGE)
