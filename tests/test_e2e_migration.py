"""A whole account moved into another with `export --media` and `push --as-new`, then the two accounts'
stored state compared field by field, through the sandboxes' stores.

Two sandboxes stand for the two accounts (each has the one built-in account; their base URLs differ, so
they are two accounts to bulkops, with a journal each). The comparison is generic: every kind the
store holds and every field of every object is compared, IDs mapped old → new and timestamps left
out, so a setting added to a kind is compared as soon as the sandbox stores it. What the comparison
has to know is declared once, below: which store kind an object kind is stored as, and which fields
hold another object's ID.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops.cli import cli
from bulkops.sandbox import SandboxConfig, running
from tests.test_e2e_kinds import JOB, media  # noqa: F401 - media is a fixture

pytestmark = pytest.mark.slow

# Which store kind holds the objects of each of the workbook's entity kinds, and which object kind's
# IDs key every other store kind (a store kind not named is a campaign's list, keyed by its campaign).
ENTITIES = {"campaigns": "campaign", "creatives": "creative", "filter-lists": "filter_list"}
KEYED_BY = {"campaign": "campaign", "creative": "creative", "creative_extras": "creative",
            "filter_list": "filter_list", "filter_list_items": "filter_list", "media": "media",
            "media-bytes": "media"}
# Fields that hold another object's ID, wherever they are; dicts under these keys are that object;
# `ids` lists of these store kinds hold that kind's IDs.
ID_FIELDS = {"campaignId": "campaign", "creativeId": "creative", "filterListId": "filter_list",
             "mediaId": "media", "smallImageId": "media", "largeImageId": "media"}
OBJECTS = {"media": "media", "smallImage": "media", "largeImage": "media"}
ID_LISTS = {"campaign_creatives": "creative", "campaign_filter_lists": "filter_list"}
# Text the platform writes quoting an object's ID (a video creative's VAST names its creative).
QUOTED_IDS = {re.compile(r'AdID="(\d+)"'): "creative"}
# Not compared: when things happened, and the name a media file was uploaded under (an export names
# the files it saves by their rows' Refs); the files themselves are compared, byte for byte.
IGNORED = {"originName"}

Ids = dict[str, dict[int, int]]  # store kind -> new ID -> old ID


@pytest.fixture
def accounts() -> Iterator[tuple[Any, Any]]:
    with running(SandboxConfig()) as first, running(SandboxConfig()) as second:
        yield first, second


def _cli(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--quiet", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def _fill_what_no_answer_shows(path: Path, folder: Path) -> None:
    """What SmartyAds' answers never show, so no export can carry: a creative's IAB categories, and an
    HTML creative's archive (its media URL is the archive's index.html). The buyer types them in."""
    book = openpyxl.load_workbook(path)
    sheet = book["Creatives"]
    heads = [c.value for c in sheet[1]]
    typed = {c["name"]: c for c in JOB["creatives"]}
    for row in sheet.iter_rows(min_row=2):
        name = row[heads.index("Name")].value
        row[heads.index("IAB Categories")].value = typed[name]["categories"]
        if row[heads.index("Format")].value == "banner-html":
            row[heads.index("Media File")].value = str((folder / "rich.zip").relative_to(path.parent))
    book.save(path)


def test_an_account_moved_with_export_media_and_push_as_new_holds_the_same_state(accounts, env, write_workbook,
                                                                                   media, tmp_path):  # noqa: F811
    source, target = accounts
    seeded = _cli("push", str(write_workbook(JOB)), "-p", "smartyads", "--base-url", source.base_url,
                  "-o", str(tmp_path / "seed-results.xlsx"))
    assert seeded["exit_code"] == 0
    exported = _cli("export", "-p", "smartyads", "--base-url", source.base_url, "--media",
                    "-o", str(tmp_path / "a.xlsx"))
    assert exported["media"]["saved"] == 5 and not exported["media"]["not_saved"]  # the HTML archive is not given
    _fill_what_no_answer_shows(tmp_path / "a.xlsx", media)
    moved = _cli("push", str(tmp_path / "a.xlsx"), "-p", "smartyads", "--base-url", target.base_url, "--as-new",
                 "-o", str(tmp_path / "b-results.xlsx"))
    assert moved["exit_code"] == 0, moved
    ids = _ids_from_results(tmp_path / "b-results.xlsx")
    assert ids["campaign"] and ids["creative"] and ids["filter_list"]
    _assert_same_state(source.sandbox.store.dump(), target.sandbox.store.dump(), ids)

    # Pushed again (as a stopped run is finished): the journal knows every row by its old ID, so
    # nothing is created twice, and what the lists hold already is not sent again.
    logged = len(target.sandbox.request_log)
    again = _cli("push", str(tmp_path / "a.xlsx"), "-p", "smartyads", "--base-url", target.base_url, "--as-new",
                 "-o", str(tmp_path / "b-again.xlsx"))
    assert again["exit_code"] == 0
    writes = [f"{r.method} {r.path}" for r in target.sandbox.request_log[logged:]
              if r.method != "GET" and not r.path.endswith("/login")]
    assert writes == []
    _assert_same_state(source.sandbox.store.dump(), target.sandbox.store.dump(), ids)


def _ids_from_results(path: Path) -> Ids:
    """new → old per store kind, read from the results workbook: the ID column holds the new ID, the
    Message starts with the old one."""
    book = openpyxl.load_workbook(path)
    ids: Ids = {}
    for kind, stored in ENTITIES.items():
        sheet = book[next(title for title in book.sheetnames if title.lower().replace(" ", "-") == kind)]
        heads = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            message = str(row[heads.index("Message")] or "")
            assert message.startswith("old ID "), message
            old = int(message.removeprefix("old ID ").split(";")[0])
            ids.setdefault(stored, {})[int(row[heads.index("ID")])] = old
    return ids


def _assert_same_state(before: Mapping[str, dict[int, Any]], after: Mapping[str, dict[int, Any]], ids: Ids) -> None:
    ids = {**ids, "media": _media_by_bytes(before, after)}
    renamed = _media_names(before, after, ids["media"])
    assert set(before) == set(after), (set(before) ^ set(after))
    for kind in sorted(before):
        keyed_by = KEYED_BY.get(kind, "campaign")
        old = {key: _normal(body, kind, {}, {}) for key, body in before[kind].items()}
        new = {ids[keyed_by][key]: _normal(body, kind, ids, renamed) for key, body in after[kind].items()}
        for key in old:
            assert new.get(key) == old[key], (kind, key, _differences(old[key], new.get(key)))
        assert new.keys() == old.keys(), kind


def _differences(old: Any, new: Any, at: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        return [d for k in old.keys() | new.keys() for d in _differences(old.get(k), new.get(k), f"{at}.{k}")]
    return [] if old == new else [f"{at}: {old!r} → {new!r}"]


def _media_by_bytes(before: Mapping[str, dict[int, Any]], after: Mapping[str, dict[int, Any]]) -> dict[int, int]:
    """new → old media, the same file's bytes."""
    old_by_bytes = {body["data"]: key for key, body in before.get("media-bytes", {}).items()}
    return {key: old_by_bytes[body["data"]] for key, body in after.get("media-bytes", {}).items()}


def _media_names(before: Mapping[str, dict[int, Any]], after: Mapping[str, dict[int, Any]],
                 media: dict[int, int]) -> dict[str, str]:
    """A new media's stored name and URL → the old one's: text quoting them (an image's admBody) then compares."""
    renamed: dict[str, str] = {}
    for key, body in after.get("media", {}).items():
        old = before["media"][media[key]]
        renamed[body["url"]], renamed[body["name"]] = old["url"], old["name"]
    return renamed


def _normal(value: Any, kind: str, ids: Ids, renamed: Mapping[str, str], key: str = "") -> Any:
    """The body in the old account's terms: IDs mapped (nothing mapped for the old account itself),
    media names renamed, timestamps and ignored fields dropped, an object's own item IDs left out."""
    if isinstance(value, dict):
        own = OBJECTS.get(key) or (KEYED_BY.get(kind) if not key else None)
        return {k: _id(v, own, ids) if k == "id" and own else _normal(v, kind, ids, renamed, k)
                for k, v in value.items() if not k.endswith("At") and k not in IGNORED
                and not (k == "id" and not own)}
    if isinstance(value, list):
        if key == "ids" and kind in ID_LISTS:
            return sorted(_id(v, ID_LISTS[kind], ids) for v in value)
        return [_normal(v, kind, ids, renamed, key if key in OBJECTS else "") for v in value]
    if key in ID_FIELDS and isinstance(value, int):
        return _id(value, ID_FIELDS[key], ids)
    if isinstance(value, str):
        for new, old in sorted(renamed.items(), key=lambda pair: -len(pair[0])):
            value = value.replace(new, old)
        for pattern, quoted in QUOTED_IDS.items():
            value = pattern.sub(lambda found, q=quoted: found[0].replace(found[1], str(_id(int(found[1]), q, ids))),
                                value)
    return value


def _id(value: Any, kind: str | None, ids: Ids) -> Any:
    if kind is None or not ids or value is None:
        return value
    return ids[kind][value]
