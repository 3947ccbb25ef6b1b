"""The on-disk cache: one file per account, a time to live, a damaged file read again, mode 0600,
and nothing secret in it or in its name."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from bulkops.reference import CACHE_VARIABLE, Entry, ReferenceCache, cache_dir

ENTRIES = [Entry("USA", "United States", aliases=("US",)), Entry("CAN", "Canada")]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_stored_dictionary_is_read_back_by_the_same_account_only(tmp_path):
    ReferenceCache("account-a", tmp_path).store("countries", None, ENTRIES)
    first = ReferenceCache("account-a", tmp_path)
    first.store("countries", None, ENTRIES)
    first.save()
    assert ReferenceCache("account-a", tmp_path).whole("countries") == ENTRIES
    assert ReferenceCache("account-b", tmp_path).whole("countries") is None


def test_an_entry_older_than_the_time_to_live_is_read_again(tmp_path):
    clock = Clock()
    cache = ReferenceCache("a", tmp_path, ttl_s=60, clock=clock)
    cache.store("countries", None, ENTRIES)
    cache.save()
    clock.now += 59
    assert ReferenceCache("a", tmp_path, ttl_s=60, clock=clock).whole("countries") == ENTRIES
    clock.now += 2
    assert ReferenceCache("a", tmp_path, ttl_s=60, clock=clock).whole("countries") is None


def test_scoped_parts_say_which_parents_they_lack(tmp_path):
    cache = ReferenceCache("a", tmp_path)
    cache.store("regions", frozenset({"USA"}), [Entry("US-CA", "California", "USA")])
    entries, lacking = cache.scoped("regions", frozenset({"USA", "CAN"}))
    assert entries == [Entry("US-CA", "California", "USA")] and lacking == {"CAN"}
    assert cache.scoped("regions", frozenset({"USA"}))[1] == frozenset()


@pytest.mark.parametrize("content", [b"{not json", b"\x00\xff\xfe", b'{"format": 1, "dictionaries": {"x": [1]}}',
                                     b'{"format": 99}', b"[]"])
def test_a_damaged_file_is_ignored_and_replaced(tmp_path, content):
    cache = ReferenceCache("a", tmp_path)
    cache.path.write_bytes(content)
    assert cache.whole("countries") is None
    cache.store("countries", None, ENTRIES)
    cache.save()
    assert ReferenceCache("a", tmp_path).whole("countries") == ENTRIES


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_file_is_mode_0600_in_a_folder_only_its_owner_opens(tmp_path):
    folder = tmp_path / "new" / "cache"
    cache = ReferenceCache("a", folder)
    cache.store("countries", None, ENTRIES)
    cache.save()
    assert stat.S_IMODE(os.stat(cache.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert [p.name for p in folder.iterdir()] == [cache.path.name]  # no temporary file left


def test_the_cache_folder_follows_the_environment(tmp_path):
    assert cache_dir({CACHE_VARIABLE: str(tmp_path)}) == tmp_path
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "bulkops"
    assert cache_dir({}).name == "bulkops"


def test_a_dictionary_may_keep_its_copy_for_less_than_the_cache_does(tmp_path):
    now = [1000.0]
    cache = ReferenceCache("acct", tmp_path, clock=lambda: now[0])
    cache.store("rules", None, [Entry("4", "Keep winners")])
    now[0] += 60 * 15
    assert cache.whole("rules") == [Entry("4", "Keep winners")]  # the cache's week
    assert cache.whole("rules", ttl_s=60 * 15) is None  # the dictionary's own quarter of an hour
    assert cache.whole("rules", ttl_s=60 * 15 + 1) == [Entry("4", "Keep winners")]
