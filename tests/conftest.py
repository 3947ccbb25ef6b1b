from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from bulkops.io import write_filled
from bulkops.sandbox import SandboxConfig, SandboxServer, running


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(rows: Sequence[Sequence[object]], name: str = "campaigns.csv") -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
        return path

    return write


@pytest.fixture
def write_workbook(tmp_path: Path) -> Callable[..., Path]:
    """A real multi-sheet template, filled in by kind name and API field: {"geo-zip": [{...}, ...]}."""

    def write(sheets: dict[str, Sequence[dict[str, object]]], name: str = "job.xlsx",
              platform: str = "smartyads") -> Path:
        return write_filled(tmp_path / name, platform, sheets)

    return write


@pytest.fixture
def write_campaigns_xlsx(write_workbook: Callable[..., Path]) -> Callable[..., Path]:
    """A real Campaigns template, filled in by field name; values are written as given (dates, numbers...)."""

    def write(rows: Sequence[dict[str, object]], name: str = "campaigns.xlsx") -> Path:
        return write_workbook({"campaigns": rows}, name)

    return write


# The sandbox's built-in account (README, "Credentials"), as a buyer would set it in the environment.
ACCOUNT = {"BULKOPS_SMARTYADS_EMAIL": "demo@bulkops.test", "BULKOPS_SMARTYADS_PASSWORD": "sandbox"}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """The sandbox account in the environment and no profile file: what a CLI run sees."""
    for key, value in ACCOUNT.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))
    return dict(os.environ)


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    """A SmartyAds sandbox on 127.0.0.1 for one test."""
    with running(SandboxConfig()) as srv:
        yield srv


def campaign(**overrides: object) -> dict[str, object]:
    """A valid SmartyAds campaign row (by API field), with overrides."""
    row: dict[str, object] = {"ref": "c1", "name": "Campaign One", "type": "banner", "aDomain": "example.com",
                              "dateStart": "2027-03-01", "dateEnd": "2027-03-31"}
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


@pytest.fixture(autouse=True)
def state_folder(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test keeps bulkops's journals in a folder of its own, never in the real home folder."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("BULKOPS_STATE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def reference_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test keeps its reference data cache in a folder of its own, never in the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("BULKOPS_CACHE_DIR", str(folder))
    return folder
