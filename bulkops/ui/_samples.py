"""The samples the demo stages: each platform's demo workbooks, as `bulkops demo` pushes them."""

from __future__ import annotations

from pathlib import Path

from bulkops._data import shipped_folder
from bulkops._exceptions import ConfigError
from bulkops.registry import PLATFORMS


def sample_paths(platform: str) -> list[Path]:
    """The platform's demo workbooks as one job (the files of one job may name each other's rows)."""
    parts = PLATFORMS[platform].sandbox
    names = parts.demo_samples if parts else ()
    if not names:
        raise ConfigError(f"{platform} has no demo samples")
    paths = [shipped_folder("samples") / name for name in names]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise ConfigError(f"sample {missing[0]} is missing; reinstall bulkops (pip install) or run it from a checkout")
    return paths
