"""How a platform declares one dictionary: its entries (`Entry`) and how they are read (`Dictionary`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Entry:
    """One thing a dictionary names: `code` is what the API takes, `name` what a buyer types,
    `parent` the code of the entry containing it in the parent dictionary (a region's country, a
    city's region), which tells same-named entries apart, and `aliases` other spellings taken as
    this entry (ISO alpha-2 and alpha-3 codes, say)."""

    code: str
    name: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scope:
    """What a dictionary's `load` is asked for. A dictionary without a parent is read whole (both
    fields empty), one declared in `parts` for the parts in `parents`. A dictionary with a parent is
    read for `parents`, the codes of the parent dictionary's entries the job names (or, where it
    names none, every entry read of the parent), and `parent_entries` are those entries (a city's
    read may need each region's country)."""

    parents: frozenset[str] = frozenset()
    parent_entries: tuple[Entry, ...] = ()


# Reads the entries (through the platform's logged-in client) in the fewest requests the API allows.
Load = Callable[[Any, Scope], Awaitable[list[Entry]]]


@dataclass(frozen=True)
class Dictionary:
    """One of a platform's dictionaries (`Platform.reference`, keyed by `name`).

    `parent` names the dictionary whose entries contain this one's (regions are in countries): such
    a dictionary is read, and cached, per parent code, and only for the parents a job names. `what`
    is one entry as a message says it ("country", "region", "city")."""

    name: str
    load: Load = field(compare=False)
    what: str = "value"
    parent: str | None = None
    # A pattern (matched whole): a value of this shape that no entry has is taken as a code as typed,
    # for a platform whose own checks of its codes are the authority (IQM's numeric IDs).
    taken_as_code: str | None = None
    # How long a cached copy is used (None: the cache's time to live, a week): the account's own lists
    # (its audiences, its rules) change far more often than the platform's geography.
    ttl_s: float | None = None
    # Whether refusing a value is bulkops's own check (the platform might take a code not listed, so a
    # value the platform already holds only warns) or a value that does not resolve cannot be sent at
    # all (a name where the API takes only an ID): then it is an error like any other.
    own: bool = True
    # For a column narrowed by another (`Column.lookup_within`): that column's value → the parent code
    # of the entries it selects (an audience of type `trade` is among the `collect` list's entries);
    # a value not listed selects the entries whose parent is that value.
    parent_of: Mapping[str, str] = field(default_factory=dict, compare=False)
    # The lists it is read in, as its entries' parent codes (SmartyAds' first-party and third-party
    # audiences): such a dictionary is read, and cached, per part, and only the parts the job's
    # narrowing values select (every part where a row leaves its narrowing cell blank).
    parts: tuple[str, ...] = ()
    # Its entries are the account's own objects (its audiences, its rules), not data every account
    # shares: `push --as-new` warns on a cell of such a column holding an ID, since in the account
    # pushed to the ID may name another object (a name is looked up there).
    of_account: bool = False
