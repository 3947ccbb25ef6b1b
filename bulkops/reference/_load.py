"""Loading a job's dictionaries: from the account's cache where it holds a fresh copy, else through
`fetch` (the job layer's read over the logged-in client), each dictionary at most once a run.

Which dictionaries: those the job's lookup columns name, and their parents. A dictionary read in
parts (`Dictionary.parts`) is read for the parts the rows' narrowing values select. A dictionary with a
parent is read for the parent codes the job names (a country column's codes; the parents of what
the job names in an earlier dictionary of the same parent, so a region names its country for the
cities' read), or where the job names none, for every entry of the parent.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field

from bulkops.reference._cache import ReferenceCache
from bulkops.reference._declare import Dictionary, Entry, Scope
from bulkops.reference._resolve import Index

# Reads a dictionary from the platform (the job logs in on the first call); None: no network.
Fetch = Callable[[Dictionary, Scope], Awaitable[list[Entry]]]


@dataclass
class Reference:
    """A job's dictionaries as loaded (name → Index), and those it names that could not be loaded
    (name → why), whose values are left as typed."""

    indexes: dict[str, Index] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    reads: int = 0  # dictionaries read from the platform this run (not from the cache)
    requests: int = 0  # requests sent for them, the login included (set by the job layer, which logs in)


def needed(dictionaries: Mapping[str, Dictionary], named: Mapping[str, Collection[str]]) -> list[str]:
    """The dictionaries to load, parents first, in declaration order otherwise."""
    order: list[str] = []

    def add(name: str) -> None:
        if name in order or name not in dictionaries:
            return
        parent = dictionaries[name].parent
        if parent is not None:
            add(parent)
        order.append(name)

    for name in dictionaries:
        if any(not _taken_as_code(dictionaries[name], value) for value in named.get(name, ())):
            add(name)
    return order


def _taken_as_code(dictionary: Dictionary, value: str) -> bool:
    """A value the dictionary takes as a code without looking (`Dictionary.taken_as_code`): it alone
    needs no read."""
    return dictionary.taken_as_code is not None and re.fullmatch(dictionary.taken_as_code, value.strip()) is not None


# Per dictionary of a narrowed column, each value with its row's narrowing value (None: blank).
Narrowed = Mapping[str, Collection[tuple[str, str | None]]]


async def load(dictionaries: Mapping[str, Dictionary], named: Mapping[str, Collection[str]],
               cache: ReferenceCache | None, fetch: Fetch | None, *, refresh: bool = False,
               offline_reason: str = "", narrowed: Narrowed | None = None) -> Reference:
    """The job's dictionaries. `named`: per dictionary, the values the job's columns hold. `refresh`:
    read from the platform even what the cache holds. `offline_reason`: why, without `fetch`, what
    the cache lacks is not read. `narrowed`: which parts of a dictionary read in `parts` the job needs
    (None: every part)."""
    reference = Reference()
    for name in needed(dictionaries, named):
        dictionary = dictionaries[name]
        parent = reference.indexes.get(dictionary.parent) if dictionary.parent else None
        if dictionary.parent and parent is None:
            reference.missing[name] = reference.missing.get(dictionary.parent, offline_reason)
            continue
        if dictionary.parts:
            wanted = _parts_wanted(dictionary, None if narrowed is None else narrowed.get(name))
            entries = await _scoped(reference, dictionary, None, wanted, cache, fetch, refresh)
        elif parent is None:
            entries = await _whole(reference, dictionary, cache, fetch, refresh)
        else:
            parents = _parents_named(reference, dictionaries, dictionary, named, parent)
            entries = await _scoped(reference, dictionary, parent, parents, cache, fetch, refresh)
        if entries is None:
            reference.missing[name] = offline_reason
        else:
            reference.indexes[name] = Index(dictionary, entries, parents=parent)
    for name, dictionary in dictionaries.items():
        if named.get(name) and name not in reference.indexes and name not in reference.missing:
            reference.indexes[name] = Index(dictionary, [])  # every value taken as a code: nothing to read
    if cache is not None and reference.reads:
        cache.save()
    return reference


async def _whole(reference: Reference, dictionary: Dictionary, cache: ReferenceCache | None, fetch: Fetch | None,
                 refresh: bool) -> list[Entry] | None:
    cached = None if refresh or cache is None else cache.whole(dictionary.name, dictionary.ttl_s)
    if cached is not None:
        return cached
    if fetch is None:
        return None
    entries = await fetch(dictionary, Scope())
    reference.reads += 1
    if cache is not None:
        cache.store(dictionary.name, None, entries)
    return entries


def _parts_wanted(dictionary: Dictionary, pairs: Collection[tuple[str, str | None]] | None) -> frozenset[str]:
    """The parts the values not taken as codes are looked up in: those their narrowing values
    select, or every part where one is blank (or names no part)."""
    every = frozenset(dictionary.parts)
    if pairs is None:
        return every
    wanted: set[str] = set()
    for value, within in pairs:
        if _taken_as_code(dictionary, value):
            continue
        part = None if within is None else dictionary.parent_of.get(within, within)
        if part not in every:
            return every
        wanted.add(part)
    return frozenset(wanted)


async def _scoped(reference: Reference, dictionary: Dictionary, parent: Index | None, parents: frozenset[str],
                  cache: ReferenceCache | None, fetch: Fetch | None, refresh: bool) -> list[Entry] | None:
    entries, lacking = (([], parents) if refresh or cache is None
                        else cache.scoped(dictionary.name, parents, dictionary.ttl_s))
    if not lacking:
        return entries
    if fetch is None:
        return None  # a part of it only would call names of the other parents unknown
    scope = Scope(lacking, () if parent is None else
                  tuple(e for code in sorted(lacking) if (e := parent.entry(code)) is not None))
    read = await fetch(dictionary, scope)
    reference.reads += 1
    if cache is not None:
        cache.store(dictionary.name, lacking, read)
    return [*entries, *read]


def _parents_named(reference: Reference, dictionaries: Mapping[str, Dictionary], dictionary: Dictionary,
                   named: Mapping[str, Collection[str]], parent: Index) -> frozenset[str]:
    codes = {code for value in named.get(parent.dictionary.name, ()) if (code := parent.code_of(value))}
    for sibling, index in reference.indexes.items():
        if dictionaries[sibling].parent != dictionary.parent:
            continue
        for value in named.get(sibling, ()):
            code = index.code_of(value)
            entry = index.entry(code) if code else None
            if entry is not None and entry.parent is not None:
                codes.add(entry.parent)
    return frozenset(codes) or frozenset(e.code for e in parent.entries)
