"""Regenerate the sample workbooks that `bulkops demo` pushes:  python samples/generate.py

The rows are what media buyers really type: yes/no and TRUE/FALSE, Excel date cells and ISO dates,
lists on several lines, enum values in any case. The last rows carry real mistakes on purpose, so
the demo shows how invalid rows come back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from bulkops.kinds import kind_named
from bulkops.workbook._template import write_template

HERE = Path(__file__).resolve().parent

GOOD = [
    # Ref, Name, Type, Domain, Start, End, Desktop, App, MobileWeb, Phone, Tablet, IAB, Conn, OS, Browsers, Countries,
    # DailySpend, TotalSpend, Budget, Freq, FreqType, Cap, Period
    ("spring-banner", "Spring Sale — Banner", "banner", "shop.example.com", dt.date(2027, 3, 1), "2027-03-31",
     "yes", "yes", "yes", "yes", "no", "IAB1, IAB3", "wifi\ncellular_4g", "Android 13.0, iOS", "Chrome, Safari",
     "USA, CAN", 200, 5000, "pacer", "TRUE", "user", 3, 1),
    ("spring-video", "Spring Sale — Video", "Video", "shop.example.com", dt.date(2027, 3, 1), dt.date(2027, 4, 15),
     "TRUE", "FALSE", "TRUE", "TRUE", "TRUE", "IAB1", "wifi", "", "", "USA", 350, 9000, "fast", "no", "", "", ""),
    ("summer-native", "Summer Native Push", "native", "summer.example.org", "2027-06-01", "2027-08-31",
     1, 1, 1, 1, 0, "IAB17, IAB19", "", "android 14.0\nios 18.0", "", "GBR, IRL", 120, 4000, "Pacer",
     "yes", "ip", 5, 2),
    ("audio-drive", "Drive-time Audio", "audio", "radio.example.net", "2027-05-01", "2027-05-31",
     "no", "yes", "no", "yes", "no", "", "cellular_all", "", "", "USA", 80, 1500, "pacer", "", "", "", ""),
    ("retarget-q2", "Retargeting Q2", "banner", "shop.example.com", "2027-04-01", "2027-06-30",
     "yes", "yes", "yes", "yes", "yes", "IAB22", "wifi, ethernet", "Windows 11, Mac OS 14.0", "Chrome, Edge",
     "USA", 60, 2000, "fast", "TRUE", "user", 2, 3),
    ("brand-ctv", "Brand Awareness Europe", "video", "brand.example.eu", "2027-02-01", "2027-12-31",
     "no", "no", "no", "no", "yes", "IAB3, IAB4", "", "", "", "DEU, FRA, ESP, ITA", 500, 50000, "pacer",
     "no", "", "", ""),
    ("app-installs", "App Installs LATAM", "banner", "app.example.com", "2027-03-15", "2027-05-15",
     "no", "yes", "no", "yes", "yes", "IAB19", "cellular_all", "Android", "", "MEX, BRA, ARG", 150, 6000, "fast",
     "yes", "user", 4, 1),
    ("back-to-school", "Back to School", "native", "school.example.com", "2027-08-01", "2027-09-15",
     "yes", "yes", "yes", "yes", "yes", "IAB5", "", "", "", "USA", 220, 7000, "pacer", "no", "", "", ""),
]

MISTAKES = [
    # Frequency capping on, but no type/cap/period; dates the wrong way round.
    ("holiday-bad-dates", "Holiday Teaser", "banner", "shop.example.com", "2027-12-20", "2027-12-01",
     "yes", "yes", "yes", "yes", "no", "IAB1", "wifi", "", "", "USA", 100, 1000, "pacer", "yes", "", "", ""),
    # An OS the platform does not know, a connection type misspelt, an American date.
    ("gadgets-typos", "Gadgets Promo", "banner", "gadgets.example.com", "03/01/2027", "2027-03-31",
     "yes", "maybe", "yes", "yes", "no", "IAB19", "wi-fi", "Windows 12", "", "US", 100, 1000, "even", "", "", "", ""),
    # Missing name and domain; a negative budget.
    ("no-name", "", "video", "", "2027-03-01", "2027-03-31",
     "yes", "yes", "yes", "yes", "no", "", "", "", "", "", -50, 1000, "pacer", "", "", "", ""),
]

FIELDS = ["ref", "name", "type", "aDomain", "dateStart", "dateEnd", "isDesktopWeb", "isMobileApp", "isMobileWeb",
          "isSmartphone", "isTablet", "contentCategories", "connectionTypes", "OS", "browser", "geoCountries",
          "spentDailyLimit", "spentTotalLimit", "budgetUse", "frequency", "frequencyType", "frequencyCap",
          "frequencyPeriod"]


def build(path: Path) -> Path:
    kind = kind_named("smartyads", "campaigns")
    write_template((kind,), path)
    book = openpyxl.load_workbook(path)
    sheet = book[kind.sheet]
    column_of = {col.field: number for number, col in enumerate(kind.columns, start=1)}
    for row_number, values in enumerate(GOOD + MISTAKES, start=2):
        for field_name, value in zip(FIELDS, values, strict=True):
            if value == "":
                continue
            cell = sheet.cell(row=row_number, column=column_of[field_name], value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    book.save(path)
    return path


if __name__ == "__main__":
    print(build(HERE / "smartyads-campaigns.xlsx"))
