"""SmartyAds' reference data: the geo dictionaries (section 15), for the campaign's Countries, Regions
and Cities columns, sent as the codes the validation list asks for (countries' `iso3`, regions'
`state_iso2`, cities' `geoname_id`); and the account's own lists, for the columns that name one of
its objects by ID or by name: audiences (12.1 first-party, 12.6 third-party; an entry's parent is the
audience Type its list stands for, so the row's Type narrows the lookup and a blank Type is filled),
contextual targeting rules (13.1) and optimization rules (22.1).

Countries are read whole (one request, 15.1); regions and cities for the countries the job names
(one request each, 15.2 and 15.3, every country in it). A code the platform gives as several joined
by a vertical bar (the validation list says it may) is taken as its first, the others as aliases.
The account's lists are read whole, every page at the largest page size (the audiences only in the
lists the rows' Types select), and kept for
`ACCOUNT_LIST_TTL_S` only (they change as the account is worked on); an ID (digits) is taken as
typed and reads nothing, and a name that does not resolve is an error (the API takes only IDs).
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


# The audience Type (7.1) each list's entries stand for; `trade` (a lookalike) is built on a first-party one.
FIRST_PARTY, THIRD_PARTY = "collect", "thirdParty"
ACCOUNT_LIST_TTL_S = 15 * 60.0  # a plan and the push after it read each list once
_ID = r"[0-9]+"
_PAGE = 1000  # the largest page the lists' routes take


async def _audiences(client: Any, scope: Scope) -> list[Entry]:
    """The lists the rows' Types select (`scope.parents`): 12.1 for collect and trade, 12.6 for thirdParty."""
    entries = []
    if FIRST_PARTY in scope.parents:
        entries += [Entry(str(a.id), a.title, parent=FIRST_PARTY) for a in await client.every_audience()]
    if THIRD_PARTY in scope.parents:
        entries += [Entry(str(a.id), a.title, parent=THIRD_PARTY) for a in await client.every_third_party_audience()]
    return entries


async def _contextual(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(rule.id), rule.name) for rule in await client.every_contextual_target()]


async def _rules(client: Any, scope: Scope) -> list[Entry]:
    return [Entry(str(rule.id), rule.name) async for rule in client.iter_optimization_rules(per_page=_PAGE)]


def _account_list(name: str, load: Any, what: str, *, taken_as_code: str = _ID,
                  parent_of: dict[str, str] | None = None, parts: tuple[str, ...] = ()) -> Dictionary:
    return Dictionary(name, load, what=what, taken_as_code=taken_as_code, ttl_s=ACCOUNT_LIST_TTL_S, own=False,
                      parent_of=parent_of or {}, parts=parts, of_account=True)


REFERENCE: dict[str, Dictionary] = {
    "countries": Dictionary("countries", _countries, what="country"),
    "regions": Dictionary("regions", _regions, what="region", parent="countries"),
    "cities": Dictionary("cities", _cities, what="city", parent="countries"),
    "audiences": _account_list("audiences", _audiences, "audience", parent_of={"trade": FIRST_PARTY},
                               parts=(FIRST_PARTY, THIRD_PARTY)),
    "contextual-rules": _account_list("contextual-rules", _contextual, "contextual targeting rule"),
    # `none` (no rule) is the column's own word, sent as the removal of the campaign's rule.
    "optimization-rules": _account_list("optimization-rules", _rules, "optimization rule",
                                        taken_as_code=rf"{_ID}|(?i:none)"),
}
