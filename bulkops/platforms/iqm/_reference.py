"""IQM's dictionaries (`Platform.reference`): its master data, read through the client's Master API
calls (IQM's Master API guide), so that a buyer may type "United States", "Texas", "Android" or
"Verizon Wireless" where a campaign field takes IQM's ID.

Every entry's code is IQM's ID as text (what the campaign fields hold, comma-separated); names are
IQM's; aliases are the other spellings IQM's lists give: a country's ISO alpha-2 code (US), a state's
postal abbreviation (TX), an exchange's `urlName` (magnite), a time zone's label. States and carriers
are read per country (their `parent`), for the countries the job names: the states of all of them in
one request (`parentSegmentIds`), the carriers one request per country (IQM lists carriers per country).
"""

from __future__ import annotations

from typing import Any

from bulkops.platforms.iqm.kinds import (
    CARRIERS,
    COUNTRIES,
    DEVICE_TYPES,
    EXCHANGES,
    OPERATING_SYSTEMS,
    STATES,
    TIME_ZONES,
)
from bulkops.reference import Dictionary, Entry, Scope


def _aliases(*spellings: str | None, name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for s in spellings if s and s.strip() and s.strip() != name))


async def _countries(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(c.id), c.name, aliases=_aliases(c.abbreviation, name=c.name)) for c in await client.countries()]


def _country_ids(scope: Scope) -> list[int]:
    return sorted({int(code) for code in scope.parents if code.strip().isdigit()})


async def _states(client: Any, scope: Scope) -> list[Entry]:
    states = await client.states(_country_ids(scope))
    return [Entry(str(s.id), s.name, parent=str(s.parentId) if s.parentId is not None else None,
                  aliases=_aliases(s.abbreviation, name=s.name)) for s in states]


async def _carriers(client: Any, scope: Scope) -> list[Entry]:
    entries = []
    for country in _country_ids(scope):
        entries += [Entry(str(c.id), c.name, parent=str(country)) for c in await client.carriers(country)]
    return entries


async def _operating_systems(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(o.id), o.name) for o in await client.operating_systems()]


async def _device_types(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(t.id), t.name) for t in await client.device_types()]


async def _exchanges(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(e.id), e.name, aliases=_aliases(getattr(e, "urlName", None), name=e.name))
            for e in await client.exchanges()]


async def _time_zones(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(z.id), z.name or z.label or str(z.id), aliases=_aliases(z.label, name=z.name or ""))
            for z in await client.time_zones()]


REFERENCE: dict[str, Dictionary] = {
    COUNTRIES: Dictionary(COUNTRIES, _countries, what="country"),
    STATES: Dictionary(STATES, _states, what="state", parent=COUNTRIES),
    CARRIERS: Dictionary(CARRIERS, _carriers, what="carrier", parent=COUNTRIES),
    OPERATING_SYSTEMS: Dictionary(OPERATING_SYSTEMS, _operating_systems, what="operating system"),
    DEVICE_TYPES: Dictionary(DEVICE_TYPES, _device_types, what="device type"),
    EXCHANGES: Dictionary(EXCHANGES, _exchanges, what="exchange"),
    TIME_ZONES: Dictionary(TIME_ZONES, _time_zones, what="time zone"),
}
