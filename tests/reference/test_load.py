"""Loading a job's dictionaries: parents first, each read at most once, only for the parents the job
names, from the cache where it is fresh, again with refresh, and left out (with the reason) offline."""

from __future__ import annotations

import asyncio

from bulkops.reference import Dictionary, Entry, ReferenceCache, Scope, load

COUNTRIES = [Entry("USA", "United States", aliases=("US",)), Entry("CAN", "Canada", aliases=("CA",))]
REGIONS = [Entry("US-CA", "California", "USA", ("CA",)), Entry("US-MA", "Massachusetts", "USA", ("MA",)),
           Entry("CA-QC", "Quebec", "CAN", ("QC",))]
CITIES = [Entry("4930956", "Boston", "US-MA"), Entry("6077243", "Montréal", "CA-QC")]


class Reads:
    """The platform's side: what each read was asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, frozenset[str]]] = []

    def dictionaries(self) -> dict[str, Dictionary]:
        def reader(name: str, entries: list[Entry]):
            async def read(client, scope: Scope) -> list[Entry]:
                self.asked.append((name, scope.parents))
                if not scope.parents:
                    return entries
                countries = scope.parents
                return [e for e in entries if e.parent in countries or e.parent[:2] in {c[:2] for c in countries}]
            return read

        return {"countries": Dictionary("countries", reader("countries", COUNTRIES), what="country"),
                "regions": Dictionary("regions", reader("regions", REGIONS), what="region", parent="countries"),
                "cities": Dictionary("cities", reader("cities", CITIES), what="city", parent="countries")}

    async def fetch(self, dictionary: Dictionary, scope: Scope) -> list[Entry]:
        return await dictionary.load(None, scope)


def _load(reads: Reads, named, cache=None, *, online=True, refresh=False):
    return asyncio.run(load(reads.dictionaries(), named, cache, reads.fetch if online else None, refresh=refresh,
                            offline_reason="not cached"))


def test_each_dictionary_is_read_once_parents_first_for_the_parents_named():
    reads = Reads()
    reference = _load(reads, {"countries": {"United States"}, "regions": {"Massachusetts"}, "cities": {"Boston"}})
    assert reads.asked == [("countries", frozenset()), ("regions", frozenset({"USA"})),
                           ("cities", frozenset({"USA"}))]
    assert reference.indexes["cities"].code_of("Boston") == "4930956"
    assert reference.reads == 3


def test_a_region_names_its_country_for_the_cities_read():
    reads = Reads()
    _load(reads, {"regions": {"Quebec", "California"}, "cities": {"Montreal"}})
    # No country named: regions are read for every country; cities for the countries of the regions named.
    assert reads.asked[1] == ("regions", frozenset({"USA", "CAN"}))
    assert reads.asked[2] == ("cities", frozenset({"USA", "CAN"}))


def test_a_fresh_cache_is_read_instead_and_refresh_reads_again(tmp_path):
    named = {"countries": {"USA"}, "regions": {"California"}}
    first = Reads()
    _load(first, named, ReferenceCache("a", tmp_path))
    assert len(first.asked) == 2
    second = Reads()
    reference = _load(second, named, ReferenceCache("a", tmp_path))
    assert second.asked == [] and reference.reads == 0
    assert reference.indexes["regions"].code_of("california") == "US-CA"
    third = Reads()
    _load(third, named, ReferenceCache("a", tmp_path), refresh=True)
    assert len(third.asked) == 2


def test_a_parent_the_cache_lacks_is_read_alone(tmp_path):
    _load(Reads(), {"countries": {"USA"}, "regions": {"California"}}, ReferenceCache("a", tmp_path))
    reads = Reads()
    _load(reads, {"countries": {"USA", "Canada"}, "regions": {"Quebec"}}, ReferenceCache("a", tmp_path))
    assert reads.asked == [("regions", frozenset({"CAN"}))]


def test_offline_what_the_cache_lacks_is_missing_with_the_reason(tmp_path):
    reads = Reads()
    reference = _load(reads, {"countries": {"USA"}, "cities": {"Boston"}}, ReferenceCache("a", tmp_path),
                      online=False)
    assert reads.asked == [] and reference.indexes == {}
    assert reference.missing == {"countries": "not cached", "cities": "not cached"}
