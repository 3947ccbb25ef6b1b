"""Reference data: a platform's dictionaries (countries, regions, cities, operating systems, ...),
so that a buyer may type a name where the API takes a code.

How a platform declares a dictionary, and how a column uses it:

    from bulkops.reference import Dictionary, Entry, Scope

    async def _countries(client, scope: Scope) -> list[Entry]:
        rows = await client.list_countries()           # the fewest requests the API allows
        return [Entry(code=r.iso3, name=r.name, aliases=(r.iso2,)) for r in rows]

    async def _regions(client, scope: Scope) -> list[Entry]:
        rows = await client.list_regions(sorted(scope.parents))   # only the countries the job names
        return [Entry(code=r.code, name=r.name, parent=r.country) for r in rows]

    PLATFORM = Platform(..., reference={
        "countries": Dictionary("countries", _countries, what="country"),
        "regions": Dictionary("regions", _regions, what="region", parent="countries"),
    })

    Column("Countries", "geoCountries", ColType.LIST, "...", lookup="countries")

`Entry.code` is what the API takes and what is sent; `Entry.name` is what a buyer types; `parent` is
the code of the containing entry in the `Dictionary.parent` dictionary (a region's country), which
tells same-named entries apart ("Springfield (US-IL)"); `aliases` are other spellings taken as that
entry (ISO codes). A `Column` with `lookup="<dictionary name>"` is checked against that dictionary:
a code or an alias passes as the code, a name (case, accents and surrounding spaces aside) becomes
its code, anything else is an error with suggestions, and an ambiguous name an error listing the
candidates. A dictionary with a `parent` is read only for the parent codes a job names. A
dictionary's `taken_as_code` (a pattern) takes a value of that shape as a code as typed, listed or
not (IQM's numeric IDs, which IQM checks), and values of that shape alone read nothing.

Among entries whose names differ only in case, the one written exactly as typed is meant. An entry's
`parent` may also be the list it is in (SmartyAds' first-party and third-party audiences, numbered
apart): a column declared `lookup_within="<field>"` resolves each row within the entries of the
parent that field's value selects (`Dictionary.parent_of` maps a value to a parent, `trade` →
`collect`; a value not listed is the parent itself), and a blank cell of that field is filled with
the parent of the entry found; declared in `Dictionary.parts`, those parents are the lists it is
read in, each read (and cached) only when a row's narrowing value selects it or is blank.
`Dictionary.ttl_s` keeps a dictionary's cached copy for less than the cache's week (the account's
own lists, which change as it is worked on). `Dictionary.own=False`
makes a value that does not resolve an error like any other, rather than bulkops's own check that
only warns where the platform holds the value (a name where the API takes only IDs).

The network is read only by the job layer (plan and push log in; `validate` uses the on-disk cache
per account); validation receives the dictionaries already loaded. docs/reference-data.md tells
users how names are looked up, the cache and its time to live, and `--refresh-reference`.
"""

from bulkops.reference._cache import CACHE_VARIABLE, TTL_S, ReferenceCache, cache_dir
from bulkops.reference._declare import Dictionary, Entry, Load, Scope
from bulkops.reference._load import Fetch, Narrowed, Reference, load, needed
from bulkops.reference._resolve import Ambiguous, Index, Resolved, Unknown, fold

__all__ = ["CACHE_VARIABLE", "TTL_S", "Ambiguous", "Dictionary", "Entry", "Fetch", "Index", "Load", "Narrowed",
           "Reference", "ReferenceCache", "Resolved", "Scope", "Unknown", "cache_dir", "fold", "load", "needed"]
