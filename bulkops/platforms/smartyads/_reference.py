"""SmartyAds' geo dictionaries (section 15) as reference data: the campaign's Countries, Regions and
Cities columns take names, sent as the codes the validation list asks for (countries' `iso3`,
regions' `state_iso2`, cities' `geoname_id`).

Countries are read whole (one request, 15.1); regions and cities for the countries the job names
(one request each, 15.2 and 15.3, every country in it). A code the platform gives as several joined
by a vertical bar (the validation list says it may) is taken as its first, the others as aliases.
"""

from __future__ import annotations

from typing import Any

from bulkops.reference import Dictionary, Entry, Scope


def _codes(given: str) -> tuple[str, tuple[str, ...]]:
    parts = [part.strip() for part in str(given).split("|") if part.strip()]
    return (parts[0], tuple(parts[1:])) if parts else (str(given), ())


async def _countries(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(row.country_iso3, row.country_name, aliases=(row.country_iso2,) if row.country_iso2 else ())
            for row in await client.list_countries()]


async def _regions(client: Any, scope: Scope) -> list[Entry]:
    entries = []
    for row in await client.list_regions(scope.parents):
        code, others = _codes(row.state_iso2)
        # `US-CA` is also known by its part after the dash, as 15.2.4's example writes it.
        short = tuple(alias.split("-", 1)[1] for alias in (code, *others) if "-" in alias)
        entries.append(Entry(code, row.state, parent=row.country_iso3, aliases=(*others, *short)))
    return entries


async def _cities(client: Any, scope: Scope) -> list[Entry]:
    entries = []
    for row in await client.list_cities(scope.parents):
        code, others = _codes(row.geoname_id)
        entries.append(Entry(code, row.city_name, parent=row.state_iso2 or row.country_iso3, aliases=others))
    return entries


REFERENCE: dict[str, Dictionary] = {
    "countries": Dictionary("countries", _countries, what="country"),
    "regions": Dictionary("regions", _regions, what="region", parent="countries"),
    "cities": Dictionary("cities", _cities, what="city", parent="countries"),
}
