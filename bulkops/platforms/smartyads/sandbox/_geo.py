"""Geo dictionaries (section 15): countries (15.1, paginated, 300 a page as the example shows),
regions of the selected countries (15.2) and cities of the selected countries, optionally of the
selected regions (15.3).

The data (geo/*.tsv) is every ISO 3166-1 country, the top-level ISO 3166-2 subdivisions of a dozen
countries and the cities of the United States and Canada with at least 15,000 inhabitants, with
their GeoNames IDs (geo/generate.py says where it comes from). A region's `state_iso2` is
its ISO 3166-2 code, `US-CA`, as the validation list's example (`selectedRegions=US-CA`) writes it;
`selectedRegions` also takes the code's part after the dash within the selected countries (`CA`,
as 15.3.1's example does).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._http import authenticated, page_of
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.sandbox import route

COUNTRIES_PER_PAGE = 300  # 15.1.4's example pagination


@cache
def _table(name: str) -> tuple[dict[str, str], ...]:
    text = resources.files(__package__).joinpath("geo", name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines(), delimiter="\t"))


def countries() -> list[dict[str, Any]]:
    return [{"id": number, **row} for number, row in enumerate(_table("countries.tsv"), start=1)]


def regions() -> tuple[dict[str, str], ...]:
    return _table("regions.tsv")


@cache
def cities() -> tuple[dict[str, str], ...]:
    names = {row["state_iso2"]: row["state"] for row in regions()}
    return tuple({"country_iso3": row["country_iso3"], "state": names[row["state_iso2"]],
                  "state_iso2": row["state_iso2"], "city_name": row["city_name"], "geoname_id": row["geoname_id"]}
                 for row in _table("cities.tsv"))


def geo_routes() -> list[Route]:
    return [route("/api/geo/countries", GET=authenticated(_countries)),
            route("/api/geo/regions", GET=authenticated(_regions)),
            route("/api/geo/cities", GET=authenticated(_cities))]


async def _countries(request: Request, subject: str) -> Response:
    return page_of(request, countries(), default_per_page=COUNTRIES_PER_PAGE, fractal=False)


def _selected(request: Request, key: str) -> set[str]:
    return {part.strip().upper() for part in request.query_params.get(key, "").split(",") if part.strip()}


def _required_countries(request: Request) -> set[str] | Response:
    selected = _selected(request, "selectedCountries")
    if not selected:
        errors = Errors()
        errors.add("selectedCountries", say.required("selectedCountries"))
        return errors.response()
    return selected


def _first(rows: list[dict[str, str]], chosen: set[str], field: str) -> list[dict[str, str]]:
    """The chosen ones moved to the top, as `selectedRegions`/`selectedCities` ask (15.2, 15.3)."""
    return [r for r in rows if r[field].upper() in chosen] + [r for r in rows if r[field].upper() not in chosen]


async def _regions(request: Request, subject: str) -> Response:
    countries_asked = _required_countries(request)
    if isinstance(countries_asked, Response):
        return countries_asked
    rows = [dict(r) for r in regions() if r["country_iso3"] in countries_asked]
    return JSONResponse({"data": _first(rows, _selected(request, "selectedRegions"), "state_iso2")})


async def _cities(request: Request, subject: str) -> Response:
    countries_asked = _required_countries(request)
    if isinstance(countries_asked, Response):
        return countries_asked
    wanted = _selected(request, "selectedRegions")
    rows = [dict(r) for r in cities() if r["country_iso3"] in countries_asked
            and (not wanted or r["state_iso2"] in wanted or r["state_iso2"].split("-", 1)[-1] in wanted)]
    return JSONResponse({"data": _first(rows, _selected(request, "selectedCities"), "geoname_id")})
