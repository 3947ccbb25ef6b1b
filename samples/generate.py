"""Regenerate the sample workbooks that `bulkops demo` pushes:  python samples/generate.py

`smartyads-campaigns.xlsx`: campaigns as media buyers really type them: yes/no and TRUE/FALSE, Excel
date cells and ISO dates, lists on several lines, enum values in any case. The last rows carry real
mistakes on purpose, so the demo shows how invalid rows come back.

`smartyads-launch.xlsx`: a launch in one workbook: campaigns with their creatives (real image files
in `media/`), thousands of ZIP targets, GPS circles, deals, audiences and contextual targeting by
name, and filter lists, tied together by Ref.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path

import zipcodes

from bulkops.io._template import write_filled

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
    rows = [{f: v for f, v in zip(FIELDS, values, strict=True) if v != ""} for values in GOOD + MISTAKES]
    return fill(path, {"campaigns": rows})


def fill(path: Path, sheets: dict[str, list[dict]], platform: str = "smartyads") -> Path:
    """A blank template of these kinds with the rows written in, by kind name and API field."""
    return write_filled(path, platform, sheets)


# --- the launch workbook ---------------------------------------------------------------------------

LAUNCH_CAMPAIGNS = [
    {"ref": "launch-display", "name": "Autumn Launch — Display", "type": "banner", "aDomain": "shop.example.com",
     "dateStart": "2027-09-01", "dateEnd": "2027-10-31", "isDesktopWeb": "yes", "isMobileWeb": "yes",
     "isSmartphone": "yes", "geoCountries": "USA", "spentDailyLimit": 300, "spentTotalLimit": 12000,
     "budgetUse": "pacer"},
    {"ref": "launch-northeast", "name": "Autumn Launch — Northeast ZIPs", "type": "banner",
     "aDomain": "shop.example.com", "dateStart": "2027-09-01", "dateEnd": "2027-10-31", "isMobileApp": "yes",
     "isSmartphone": "yes", "isTablet": "yes", "geoCountries": "USA", "spentDailyLimit": 150,
     "spentTotalLimit": 6000, "budgetUse": "fast"},
    {"ref": "launch-native", "name": "Autumn Launch — Native near stores", "type": "native",
     "aDomain": "shop.example.com", "dateStart": "2027-09-01", "dateEnd": "2027-11-30", "isMobileWeb": "yes",
     "isSmartphone": "yes", "geoCountries": "USA", "spentDailyLimit": 100, "spentTotalLimit": 5000,
     "budgetUse": "pacer"},
    {"ref": "launch-video", "name": "Autumn Launch — Video PMP", "type": "video", "aDomain": "shop.example.com",
     "dateStart": "2027-09-15", "dateEnd": "2027-10-15", "isDesktopWeb": "yes", "isTablet": "yes",
     "geoCountries": "USA, CAN", "spentDailyLimit": 500, "spentTotalLimit": 15000, "budgetUse": "pacer"},
]

BANNER_SIZES = [(300, 250), (728, 90), (320, 50), (160, 600), (300, 600), (970, 250)]
TAG = '<script src="https://ads.example.com/serve.js?size={w}x{h}"></script>'


def launch_creatives() -> list[dict]:
    rows = []
    for number, (w, h) in enumerate(BANNER_SIZES, start=1):
        rows.append({"ref": f"banner-{w}x{h}", "name": f"Autumn banner {w}x{h}", "format": "banner-image",
                     "campaigns": "launch-display" + (", launch-northeast" if number <= 3 else ""),
                     "bidPrice": 1.2, "mediaFile": f"media/autumn-{w}x{h}.png",
                     "clickUrl": "https://shop.example.com/autumn", "categories": "IAB22, IAB18-1"})
    for w, h in [(300, 250), (728, 90)]:
        rows.append({"ref": f"tag-{w}x{h}", "name": f"Partner tag {w}x{h}", "format": "banner-tag",
                     "campaigns": "launch-northeast", "bidPrice": 0.9, "width": w, "height": h,
                     "admBody": TAG.format(w=w, h=h), "categories": "IAB22"})
    rows.append({"ref": "html-300x250", "name": "Autumn rich media 300x250", "format": "banner-html",
                 "campaigns": "launch-display", "bidPrice": 1.6, "mediaFile": "media/autumn-rich.zip",
                 "width": 300, "height": 250, "apiFramework": "mraid2", "categories": "IAB22"})
    for number, title in enumerate(["Autumn is here", "New in store"], start=1):
        rows.append({"ref": f"native-{number}", "name": f"Native card {number}", "format": "native",
                     "campaigns": "launch-native", "bidPrice": 1.1, "mediaFile": "media/native-1200x627.png",
                     "logoFile": "media/logo-100x100.png", "clickUrl": f"https://shop.example.com/stores?c={number}",
                     "assetTitle": title, "assetDataDesc": "Find the autumn range near you",
                     "assetDataSponsored": "Example Shop", "assetCtaText": "Find a store",
                     "displayUrl": "https://shop.example.com", "categories": "IAB22"})
    rows.append({"ref": "vast-30s", "name": "Autumn 30s VAST", "format": "video-tag", "campaigns": "launch-video",
                 "bidPrice": 8.5, "admBody": "https://ads.example.com/vast/autumn-30s.xml",
                 "mimeType": "video/mp4, video/webm", "categories": "IAB22"})
    return rows


def launch_zips() -> list[dict]:
    """2,500 Northeast ZIPs (most with leading zeros) for one campaign; coordinates left for bulkops to fill."""
    codes = sorted(z["zip_code"] for z in zipcodes.list_all()
                   if z["zip_code"][0] in "01" and z["zip_code_type"] == "STANDARD" and z["lat"])
    chosen = [c for c in codes if c != "02134"][:2499]
    rows = [{"campaign": "launch-northeast", "zip": code, "iso2": "US"} for code in chosen]
    # Typed as a number, as Excel does: bulkops restores the leading zero and says so.
    rows.append({"campaign": "launch-northeast", "zip": 2134, "iso2": "US"})
    # A few excluded ZIPs for the display campaign, one outside the US with its coordinates given.
    rows += [{"campaign": "launch-display", "zip": code, "iso2": "US", "include": "exclude"}
             for code in ("10001", "10002", "94103")]
    rows.append({"campaign": "launch-display", "zip": "M5V 3L9", "iso2": "CA", "lat": 43.6426, "lng": -79.3871,
                 "include": "exclude"})
    return rows


LAUNCH_CIRCLES = [
    {"campaign": "launch-native", "lat": 40.7580, "lng": -73.9855, "radius": 2, "unit": "mi"},
    {"campaign": "launch-native", "lat": 41.8781, "lng": -87.6298, "radius": 3, "unit": "km"},
    {"campaign": "launch-native", "lat": 34.0522, "lng": -118.2437, "radius": 5, "unit": "km"},
    {"campaign": "launch-native", "lat": 29.7604, "lng": -95.3698, "radius": 1.5, "unit": "mi"},
    {"campaign": "launch-native", "lat": 47.6062, "lng": -122.3321, "radius": 4, "unit": "km"},
    {"campaign": "launch-native", "lat": 40.7484, "lng": -73.9857, "radius": 0.5, "unit": "km", "include": "exclude"},
]

LAUNCH_DEALS = [
    {"campaign": "launch-video", "dealId": "SA-PMP-AUTUMN-01", "bidPrice": 12.5},
    {"campaign": "launch-video", "dealId": "SA-PMP-AUTUMN-02", "bidPrice": 10},
    {"campaign": "launch-video", "dealId": "00417", "bidPrice": 9.75},  # a numeric-looking ID stays text
    {"campaign": "launch-display", "dealId": "SA-PG-DISPLAY", "bidPrice": 3.2},
]

# By title and name, as the account lists them (the sandbox's built-in account has these).
LAUNCH_AUDIENCES = [
    {"campaign": "launch-display", "audience": "Cart abandoners"},
    {"campaign": "launch-display", "audience": "Purchasers 90d", "type": "trade"},
    {"campaign": "launch-video", "audience": "Frequent travellers"},
]

LAUNCH_CONTEXTUAL = [
    {"campaign": "launch-video", "target": "Travel planning"},
    {"campaign": "launch-video", "target": "Brand safety: tragedy"},
]

LAUNCH_FILTER_LISTS = [
    {"ref": "brand-safe", "title": "Autumn brand-safe domains", "type": "domain", "isInclude": "include",
     "campaigns": "launch-display, launch-native"},
    {"ref": "blocked-apps", "title": "Autumn blocked apps", "type": "bundles", "isInclude": "exclude",
     "campaigns": "launch-video"},
    {"ref": "fraud-ips", "title": "Known fraud IPs", "type": "ipAdresses", "isInclude": "exclude",
     "campaigns": "launch-display, launch-northeast, launch-native, launch-video"},
]


def launch_filter_items() -> list[dict]:
    domains = [f"{name}.example.{tld}" for name in ("news", "weather", "recipes", "sports", "travel", "autos",
                                                   "finance", "garden", "books", "music")
               for tld in ("com", "org")]
    bundles = [f"com.example.{name}" for name in ("flashlight", "cleaner", "vpnfree", "coins", "wallpaper")]
    bundles += ["id1234567890", "id2345678901"]
    # More than one request carries: bulkops sends this list as a file (api/parsefile).
    ips = [f"198.18.{n // 250}.{n % 250 + 1}" for n in range(1500)]
    return ([{"filterList": "brand-safe", "item": d} for d in domains]
            + [{"filterList": "blocked-apps", "item": b} for b in bundles]
            + [{"filterList": "fraud-ips", "item": ip} for ip in ips])


def build_launch(path: Path) -> Path:
    media = path.parent / "media"
    media.mkdir(exist_ok=True)
    for w, h in BANNER_SIZES + [(1200, 627), (100, 100)]:
        name = {(1200, 627): "native-1200x627.png", (100, 100): "logo-100x100.png"}.get((w, h), f"autumn-{w}x{h}.png")
        (media / name).write_bytes(png(w, h, (0xD9, 0x6B, 0x1E)))
    (media / "autumn-rich.zip").write_bytes(html_zip())
    return fill(path, {"campaigns": LAUNCH_CAMPAIGNS, "creatives": launch_creatives(), "geo-zip": launch_zips(),
                       "geo-gps": LAUNCH_CIRCLES, "deals": LAUNCH_DEALS, "audiences": LAUNCH_AUDIENCES,
                       "contextual": LAUNCH_CONTEXTUAL, "filter-lists": LAUNCH_FILTER_LISTS,
                       "filter-list-items": launch_filter_items()})


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real, solid-colour PNG, written without an imaging library."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def html_zip() -> bytes:
    """A rich-media creative: a ZIP with index.html at its root, as SmartyAds asks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # A fixed date keeps the file byte-identical from one regeneration to the next.
        info = zipfile.ZipInfo("index.html", date_time=(2027, 1, 1, 0, 0, 0))
        archive.writestr(info, "<!doctype html><html><body style=\"margin:0\"><a href=\"%%CLICK_URL%%\">"
                               "<div style=\"width:300px;height:250px;background:#d96b1e\">Autumn</div></a>"
                               "</body></html>")
    return buffer.getvalue()


# --- the IQM workbook ------------------------------------------------------------------------------

_IQM_COMMON = {"advertiserDomain": "https://shop.example.com", "maxBid": 8, "budgetDay": 50, "budgetTotal": 1500,
               "startTime": "2027-10-01 00:00", "endTime": "2027-10-31 23:59", "tz": "America/New_York",
               "timezone": 433, "ioId": 2695, "countryId": "30100001", "isAgreementChecked": "TRUE",
               "deviceType": "13, 15, 11, 12", "trafficType": "11, 12", "exchanges": "55, 61, 58"}
IQM_CAMPAIGNS = [
    {"ref": "iqm-autumn", "campaignName": "Autumn Sale (IQM)", "creativeType": "image",
     "schedule": "Mon-Fri 07:00-22:00; Sat-Sun 09:00-23:00", **_IQM_COMMON},
    {"ref": "iqm-autumn-video", "campaignName": "Autumn Sale video (IQM)", "creativeType": "video",
     **_IQM_COMMON, "maxBid": 14},
    {"ref": "iqm-rejected", "campaignName": "Review test (IQM)", "creativeType": "image", **_IQM_COMMON},
]
VAST = ('<VAST version="4.0"><Ad id="autumn"><InLine><AdSystem>bulkops</AdSystem><AdTitle>Autumn</AdTitle>'
        '<Impression><![CDATA[https://track.example.com/i]]></Impression><Creatives><Creative><Linear>'
        '<Duration>00:00:15</Duration><MediaFiles><MediaFile delivery="progressive" type="video/mp4" width="640" '
        'height="360"><![CDATA[https://cdn.example.com/autumn.mp4]]></MediaFile></MediaFiles></Linear></Creative>'
        '</Creatives></InLine></Ad></VAST>')
IQM_CREATIVES = [
    {"ref": "iqm-300x250", "creativeName": "Autumn 300x250", "format": "image", "campaigns": "iqm-autumn",
     "file": "media/autumn-300x250.png", "clickUrl": "https://shop.example.com/autumn"},
    {"ref": "iqm-728x90", "creativeName": "Autumn 728x90", "format": "image", "campaigns": "iqm-autumn",
     "file": "media/autumn-728x90.png", "clickUrl": "https://shop.example.com/autumn"},
    {"ref": "iqm-vast", "creativeName": "Autumn 15s VAST", "format": "vast", "campaigns": "iqm-autumn-video",
     "tag": VAST, "clickUrl": "https://shop.example.com/autumn"},
    # The sandbox rejects a creative whose name carries [reject]: its campaign is skipped with the reason.
    {"ref": "iqm-review", "creativeName": "Autumn 320x50 [reject]", "format": "image", "campaigns": "iqm-rejected",
     "file": "media/autumn-320x50.png", "clickUrl": "https://shop.example.com/autumn"},
]
IQM_CIRCLES = [
    {"campaign": "iqm-autumn", "latitude": 42.3601, "longitude": -71.0589, "radius": 2, "address": "Boston, MA"},
    {"campaign": "iqm-autumn", "latitude": 40.7128, "longitude": -74.006, "radius": 1.5, "address": "New York, NY"},
]
IQM_DEALS = [{"campaign": "iqm-autumn", "dealId": "5012"}, {"campaign": "iqm-autumn", "dealId": "7781",
                                                             "dealKind": "group"}]
IQM_FILTERS = [
    {"campaign": "iqm-autumn", "type": "domain", "value": "news.example.com"},
    {"campaign": "iqm-autumn", "type": "domain", "value": "weather.example.com"},
    {"campaign": "iqm-autumn", "type": "ip", "value": "203.0.113.7", "include": "exclude"},
    {"campaign": "iqm-autumn", "type": "inventory-group", "value": "3301"},
    {"campaign": "iqm-autumn-video", "type": "package", "value": "com.example.tv", "include": "exclude"},
]


def iqm_zips() -> list[dict]:
    """Boston-area ZIPs, leading zeros and all."""
    return [{"campaign": "iqm-autumn", "zip": f"0{2101 + n}"} for n in range(120)] + \
           [{"campaign": "iqm-autumn", "zip": "02467", "include": "exclude"}]


def build_iqm(path: Path) -> Path:
    return fill(path, {"campaigns": IQM_CAMPAIGNS, "creatives": IQM_CREATIVES, "geo-zip": iqm_zips(),
                       "geo-gps": IQM_CIRCLES, "deals": IQM_DEALS, "filter-lists": IQM_FILTERS}, platform="iqm")


if __name__ == "__main__":
    print(build(HERE / "smartyads-campaigns.xlsx"))
    print(build_launch(HERE / "smartyads-launch.xlsx"))
    print(build_iqm(HERE / "iqm-launch.xlsx"))
