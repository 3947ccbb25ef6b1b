"""Where the shipped folders (samples, templates) are found: the package's copy first, else the checkout's."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import bulkops._data as data
from bulkops._exceptions import ConfigError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", data.NAMES)
def test_a_checkout_finds_its_own_folders(name):
    # The checkout's package has no copy of its own (only a build makes one), so the top-level folder is used.
    assert data.shipped_folder(name) == ROOT / name


def test_an_installed_package_finds_its_packaged_copy(monkeypatch, tmp_path):
    (tmp_path / "samples" / "media").mkdir(parents=True)
    monkeypatch.setattr(data, "files", lambda package: tmp_path)
    assert data.shipped_folder("samples") == tmp_path / "samples"
    assert data.shipped_folder("templates") == ROOT / "templates"  # no packaged copy of that one here


def test_a_package_inside_an_archive_is_a_clear_error(monkeypatch, tmp_path):
    archive = tmp_path / "bulkops.zip"
    with zipfile.ZipFile(archive, "w") as book:
        book.writestr("bulkops/_data/samples/iqm-launch.xlsx", b"")
    monkeypatch.setattr(data, "files", lambda package: zipfile.Path(archive, "bulkops/_data/"))
    with pytest.raises(ConfigError, match="inside an archive"):
        data.shipped_folder("samples")


def test_only_the_shipped_folders_are_named():
    with pytest.raises(ValueError, match="no shipped folder"):
        data.shipped_folder("bench")
