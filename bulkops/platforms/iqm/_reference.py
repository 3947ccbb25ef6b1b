"""IQM's dictionaries (`Platform.reference`): its master data, read through the client's Master API
calls (IQM's Master API guide), so that a buyer may type "United States", "Texas", "Android" or
"Verizon Wireless" where a campaign field takes IQM's ID.

Every entry's code is IQM's ID as text (what the campaign fields hold, comma-separated); names are
IQM's; aliases are the other spellings IQM's lists give: a country's ISO alpha-2 code (US), a state's
postal abbreviation (TX), an exchange's `urlName` (magnite). States and carriers are read per country
(their `parent`), for the countries the job names: the states of all of them in one request
(`parentSegmentIds`), the carriers one request per country (IQM lists carriers per country).

A whole number is IQM's ID as typed, whether or not the list holds it (`taken_as_code`): IQM checks
its own IDs, and its documents do not agree on every list (the campaign guide's example campaign
targets device types 11, 12, 13 and 15, which the Master API's device type list does not hold), so
an ID a campaign takes today is never refused by bulkops. Anything else is a name, looked up.
"""

from __future__ import annotations

from typing import Any

from bulkops._exceptions import ApiError, InputError
from bulkops.platforms.iqm.kinds import CARRIERS, COUNTRIES, DEVICE_TYPES, EXCHANGES, OPERATING_SYSTEMS, STATES
from bulkops.reference import Dictionary, Entry, Scope

IQM_ID = r"[0-9]+"
# Carriers are read one request per country. A job naming carriers by name but no country would read
# every country's (249 requests, 12 minutes at IQM's 20 a minute): past this many, it is refused.
CARRIER_COUNTRIES_MAX = 20


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
    countries = _country_ids(scope)
    if len(countries) > CARRIER_COUNTRIES_MAX:
        raise InputError(f"carriers named by name are looked up in their campaign's country, one request per "
                         f"country, and this job would read {len(countries)} countries' carriers: fill the Country "
                         f"ID column of the rows that name carriers, or give the carriers' IDs")
    entries = []
    for country in countries:
        try:
            carriers = await client.carriers(country)
        except ApiError as exc:
            if exc.status_code != 404:
                raise
            carriers = []  # an ID IQM does not know as a country: it has no carriers to name
        entries += [Entry(str(c.id), c.name, parent=str(country)) for c in carriers]
    return entries


async def _operating_systems(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(o.id), o.name) for o in await client.operating_systems()]


async def _device_types(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(t.id), t.name) for t in await client.device_types()]


async def _exchanges(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(e.id), e.name, aliases=_aliases(getattr(e, "urlName", None), name=e.name))
            for e in await client.exchanges()]


REFERENCE: dict[str, Dictionary] = {
    COUNTRIES: Dictionary(COUNTRIES, _countries, what="country", taken_as_code=IQM_ID),
    STATES: Dictionary(STATES, _states, what="state", parent=COUNTRIES, taken_as_code=IQM_ID),
    CARRIERS: Dictionary(CARRIERS, _carriers, what="carrier", parent=COUNTRIES, taken_as_code=IQM_ID),
    OPERATING_SYSTEMS: Dictionary(OPERATING_SYSTEMS, _operating_systems, what="operating system",
                                  taken_as_code=IQM_ID),
    DEVICE_TYPES: Dictionary(DEVICE_TYPES, _device_types, what="device type", taken_as_code=IQM_ID),
    EXCHANGES: Dictionary(EXCHANGES, _exchanges, what="exchange", taken_as_code=IQM_ID),
}
