"""SmartyAds' geo dictionaries (section 15): countries, regions of countries, cities of countries.

`GeoMixin` is part of `SmartyAdsClient`. Every call is a read, so it may be repeated. Regions and
cities are asked for every selected country (and region) in one request.
"""

from __future__ import annotations

from collections.abc import Iterable

from bulkops.platforms.smartyads.client._core import ClientCore
from bulkops.platforms.smartyads.client._models import City, Country, Region

__all__ = ["COUNTRIES_PER_PAGE", "GeoMixin"]

COUNTRIES_PER_PAGE = 300  # 15.1.4's example: every country on one page
_GEO_PATH = "/api/geo"


class GeoMixin(ClientCore):
    """The client's geo dictionary reads (see `SmartyAdsClient`)."""


    async def list_countries(self) -> list[Country]:
        """Every page of GET api/geo/countries (15.1): one request for the whole list."""
        return await self._every_page(f"{_GEO_PATH}/countries", Country, COUNTRIES_PER_PAGE)

    async def list_regions(self, countries: Iterable[str]) -> list[Region]:
        """GET api/geo/regions?selectedCountries=USA,CAN (15.2): the regions of those countries (ISO3)."""
        params = {"selectedCountries": ",".join(sorted(set(countries)))}
        return self._many_of(await self._call("GET", f"{_GEO_PATH}/regions", params=params), Region)

    async def list_cities(self, countries: Iterable[str], regions: Iterable[str] = ()) -> list[City]:
        """GET api/geo/cities?selectedCountries=USA&selectedRegions=US-CA (15.3): the cities of those
        countries, of those regions only when any are given."""
        params = {"selectedCountries": ",".join(sorted(set(countries)))}
        chosen = ",".join(sorted(set(regions)))
        if chosen:
            params["selectedRegions"] = chosen
        return self._many_of(await self._call("GET", f"{_GEO_PATH}/cities", params=params), City)
