"""`export --media`'s saving of files: names made by bulkops (never the platform's), sizes bounded,
nothing overwritten, what could not be saved said per row."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from bulkops.exporter._media import media_folder, save_media
from bulkops.kinds import MAX_BYTES
from bulkops.registry import MEDIA_URLS
from tests._media import png

FILES = {"/storage/a.png": png(10, 10),
         "/cdn/big.png": b"\x89PNG" + b"0" * (MAX_BYTES["image"] + 1), "/storage/page.php": b"<?php"}


def _served(request: httpx.Request) -> httpx.Response:
    data = FILES.get(request.url.raw_path.decode())
    return httpx.Response(200, content=data) if data is not None else httpx.Response(404)


def _save(state, folder: Path, relative_to: Path):
    done: list[int] = []
    saved = asyncio.run(save_media(state, folder, relative_to, "https://api.example.com/", done.append,
                                   transport=httpx.MockTransport(_served)))
    return saved, done


def test_files_are_saved_under_names_bulkops_makes_and_named_in_their_rows(tmp_path):
    workbook = tmp_path / "state.xlsx"
    folder = media_folder(workbook, as_csv=False)
    rows = [{"ref": "creative-7", "id": 7, MEDIA_URLS: {"mediaFile": "/storage/a.png", "logoFile": "/storage/a.png"}},
            {"ref": "../../creative-8", "id": 8, MEDIA_URLS: {"mediaFile": "/storage/a.png"}}]
    saved, done = _save({"creatives": rows}, folder, tmp_path)
    assert folder == tmp_path / "state-media"
    assert rows[0]["mediaFile"] == "state-media/creative-7.png"
    assert rows[0]["logoFile"] == "state-media/creative-7-logo.png"
    assert (tmp_path / rows[0]["mediaFile"]).read_bytes() == png(10, 10)
    # A Ref (or anything the platform gives) never steers a file out of the folder.
    assert rows[1]["mediaFile"] == "state-media/creative-8.png"
    assert sorted(p.name for p in folder.iterdir()) == ["creative-7-logo.png", "creative-7.png", "creative-8.png"]
    assert len(done) == 3


def test_big_files_odd_types_and_missing_ones_are_not_saved_and_said(tmp_path):
    rows = [{"ref": "creative-1", MEDIA_URLS: {"mediaFile": "https://cdn.example.com/cdn/big.png"}},
            {"ref": "creative-2", MEDIA_URLS: {"mediaFile": "/storage/page.php"}},
            {"ref": "creative-3", MEDIA_URLS: {"mediaFile": "/storage/gone.png"}},
            {"ref": "creative-4", MEDIA_URLS: {"mediaFile": "file:///etc/passwd.png"}}]
    saved, _ = _save({"creatives": rows}, tmp_path / "m", tmp_path)
    reasons = dict(saved.missed)
    assert "larger than 10 MB" in reasons["creative-1"]
    assert ".php is not a media file" in reasons["creative-2"]
    assert "answered 404" in reasons["creative-3"]
    assert "not a web address" in reasons["creative-4"]
    assert not any("mediaFile" in row for row in rows)
    assert not list((tmp_path / "m").iterdir())


def test_an_existing_file_is_never_overwritten(tmp_path):
    folder = tmp_path / "state-media"
    folder.mkdir()
    (folder / "creative-7.png").write_bytes(b"someone else's file")
    (folder / "creative-9.png").write_bytes(png(10, 10))
    rows = [{"ref": "creative-7", MEDIA_URLS: {"mediaFile": "/storage/a.png"}},
            {"ref": "creative-9", MEDIA_URLS: {"mediaFile": "/storage/a.png"}}]
    saved, _ = _save({"creatives": rows}, folder, tmp_path)
    assert (folder / "creative-7.png").read_bytes() == b"someone else's file"
    assert rows[0]["mediaFile"] == "state-media/creative-7-2.png"
    assert rows[1]["mediaFile"] == "state-media/creative-9.png"  # the same bytes: used as they are
    assert (saved.written, saved.kept) == (1, 1)


def test_a_csv_exports_media_go_inside_its_folder(tmp_path):
    assert media_folder(tmp_path / "state", as_csv=True) == tmp_path / "state" / "media"


def test_a_reason_names_the_file_without_the_signature_its_address_carries(tmp_path):
    """A storage URL's query may be a signature that lets anyone fetch the file: the reasons, which the
    export's Summary and its JSON show, name the file without it."""
    rows = [{"ref": "creative-1", MEDIA_URLS: {"mediaFile": "https://user:pw@cdn.example.com/gone.png"
                                                             "?X-Amz-Signature=s3cr3t&X-Amz-Credential=AKIA1#top"}}]
    saved, _ = _save({"creatives": rows}, tmp_path / "m", tmp_path)
    [(ref, reason)] = saved.missed
    assert ref == "creative-1" and "answered 404 for https://cdn.example.com/gone.png" in reason
    assert not any(secret in reason for secret in ("s3cr3t", "AKIA1", "pw", "user"))
