"""Request economy: a mixed job pushed to each platform's sandbox, its requests counted at the
sandbox's log, beside the fewest requests the API allows for the same job.

The fewest is worked out here from the documented batch capabilities, independently of bulkops's
own estimate (`bulkops/planner/_estimate.py`), so that an extra request bulkops believes necessary
still shows. Where the documents give no number, the sandbox's caps (which stand in for the
platform: `SandboxConfig`) are used:

- both: one login for the whole job (the reads of reference data before it is validated included);
- SmartyAds, as each measure starts with an empty cache (`cold_cache`), as an account's first push
  does: one read of the country dictionary (15.1 answers it whole), which checks the campaigns'
  Countries (`FIRST_PUSH_READS`);
- SmartyAds: one media upload per media type per up to FILES files ("Array of files to upload");
  one create per campaign, creative and filter list (a filter list carries its items; a list longer
  than ITEMS goes as a stored file first, `POST api/parsefile`, so two); per campaign, one request per
  up to ITEMS items of each list it has (ZIPs, circles, deals, creative and filter-list assignments).
  Every write is checked against what the platform holds: campaign and creative creates answer the
  object (11.3.4, 18.5.5–18.10.5), so they need no read, except that a campaign create's answer
  shows its IAB categories blank (11.3.5 answers `contentCategories: []` and
  `contentCategoriesIsInclude: null` to a create that sent two): the campaigns that send them are read
  back from the campaign list (11.1), one request per page of PAGE (the account starts empty, so the
  list holds the job's campaigns alone); a filter list's create answers its
  `listCount` but not its items (20.3.4), so each list is read once (20.2, no pages); a campaign's
  lists answer only a message ("Replaced.", 5.2.4, 6.2.4, 8.3.4, 19.2, 21.2), so after its last
  write each is read once per page of PAGE items (their GET routes' per_page; deals from
  `deals-all`, 8.2, one answer);
- IQM: one creative-types read (the quick start shows no usable type IDs, so the name → ID map is
  read once); one upload per up to FILES creatives of any type (the creative guide's Add New Creative
  takes a map of creatives with their files); one status read per up to 1,000 creatives
  ("creativeIds", at most 1K rows a page) — the review must be read at least once, and the sandbox
  here approves at once so that one read suffices; its answer shows each creative, so checking what
  IQM kept of them costs nothing more; one create per campaign with all its targeting inside, whose
  answer carries the status but not the campaign; so one read-back per up to LIST_PAGE campaigns of
  the campaign guide's "Get List of Campaigns with Filters" (at most 500 a page) checks what IQM kept.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import zipcodes
from _sandbox import CREDENTIALS, Logged, SandboxProcess, cold_cache, fresh_state

from bulkops import _jobs
from bulkops.engine import Pace
from bulkops.io import write_filled
from bulkops.planner import SUCCESS
from bulkops.platforms.iqm.client import LIST_PAGE
from bulkops.sandbox import SandboxConfig

FILES = SandboxConfig().max_files_per_upload  # neither document gives a number
ITEMS = SandboxConfig().max_items_per_request
PAGE = 1000  # per_page of the examples of a campaign's lists (5.1.4, 6.1.4, 8.1.4, 19.1.4)
IQM_STATUS_IDS = 1000  # "The maximum data size per page is 1K rows."
FAST = 1_000_000  # a rate limit that never binds: economy is about counts, not pace


@dataclass(frozen=True)
class Size:
    campaigns: int
    zips: int  # across all campaigns
    fraud_ips: int  # items of the longest filter list (over ITEMS: sent as a file)


FULL = Size(campaigns=8, zips=20_000, fraud_ips=1_500)
QUICK = Size(campaigns=3, zips=2_500, fraud_ips=1_200)


@dataclass
class Minimum:
    """The fewest requests, by what they are for (the keys are only labels)."""

    parts: Counter = field(default_factory=Counter)

    def add(self, what: str, requests: int) -> None:
        self.parts[what] += requests

    @property
    def total(self) -> int:
        return sum(self.parts.values())

    def on_first_push(self, platform: str) -> Minimum:
        """These fewest on an account's first push, whose cache holds no reference data yet (each
        measure starts so: `cold_cache`): plus the dictionaries the job's names are checked against."""
        return Minimum(self.parts + Counter(FIRST_PUSH_READS[platform]))


# Reference data an account's first push reads (docs/reference-data.md; the cache keeps it a week):
# SmartyAds' country dictionary (15.1, one answer), which checks the mixed job's Countries. IQM's
# job names its country by ID, which is taken as typed and reads nothing.
FIRST_PUSH_READS = {"smartyads": {"country dictionary": 1}, "iqm": {}}


def lists(items: int) -> int:
    """Requests for one parent's list of `items` items, ITEMS a request."""
    return math.ceil(items / ITEMS)


def pages(items: int) -> int:
    """Reads of every page of a list of `items` items (an empty list is one page)."""
    return max(1, math.ceil(items / PAGE))


# -- the jobs -------------------------------------------------------------------------------------

def us_zips(count: int | None = None) -> list[str]:
    """The first `count` (default: all) standard US ZIPs that have coordinates, in order; both the
    mixed jobs here and the Geo ZIP sheets of `_local` take their ZIPs from it."""
    codes = sorted(z["zip_code"] for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD" and z["lat"])
    return codes[:count]


def png(width: int, height: int, seed: int) -> bytes:
    """A real PNG whose colour makes every file's bytes its own."""
    import struct

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rgb = bytes(((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256))
    raw = b"".join(b"\x00" + rgb * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def rich_zip(seed: int) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", f"<!doctype html><html><body>creative {seed}</body></html>")
    return buffer.getvalue()


SMARTYADS_CAMPAIGN = {
    "type": "banner", "aDomain": "shop.example.com", "dateStart": "2027-09-01", "dateEnd": "2027-10-31",
    "isDesktopWeb": "yes", "isMobileWeb": "yes", "isSmartphone": "yes", "geoCountries": "USA",
    "spentDailyLimit": 300, "spentTotalLimit": 12000, "budgetUse": "pacer", "contentCategories": "IAB3, IAB23",
    "contentCategoriesIsInclude": "exclude"}
SIZES = [(300, 250), (728, 90), (320, 50), (160, 600)]


def smartyads_job(folder: Path, size: Size) -> tuple[Path, Minimum]:
    """Campaigns with image, rich-media and tag creatives (media files), ZIPs, circles, deals and
    filter lists, tied together by Ref; and the fewest requests the API allows for it."""
    sheets, minimum = smartyads_sheets(folder, size)
    return write_filled(folder / "mixed-smartyads.xlsx", "smartyads", sheets), minimum


def smartyads_sheets(folder: Path, size: Size) -> tuple[dict[str, list[dict]], Minimum]:
    """The mixed job's rows by kind (its media files written in `folder`), and their fewest requests."""
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    refs = [f"sa-{n}" for n in range(size.campaigns)]
    minimum = Minimum()
    minimum.add("login", 1)
    campaigns = [{**SMARTYADS_CAMPAIGN, "ref": ref, "name": f"Bench mixed {ref}"} for ref in refs]
    minimum.add("campaign creates", len(campaigns))
    minimum.add("campaign category checks", pages(len(campaigns)))  # 11.1, as 11.3.5 does not show them
    creatives, images, zips_files = [], 0, 0
    per_campaign_creatives: Counter = Counter()
    for n, ref in enumerate(refs):
        for k, (w, h) in enumerate(SIZES[:2]):
            name = f"img-{n}-{k}.png"
            (media / name).write_bytes(png(w, h, n * 10 + k))
            creatives.append({"ref": f"{ref}-img{k}", "name": f"Image {n}/{k}", "format": "banner-image",
                              "campaigns": ref, "bidPrice": 1.2, "mediaFile": f"media/{name}",
                              "clickUrl": "https://shop.example.com/a", "categories": "IAB22"})
            images += 1
        (media / f"rich-{n}.zip").write_bytes(rich_zip(n))
        creatives.append({"ref": f"{ref}-rich", "name": f"Rich {n}", "format": "banner-html", "campaigns": ref,
                          "bidPrice": 1.6, "mediaFile": f"media/rich-{n}.zip", "width": 300, "height": 250,
                          "apiFramework": "mraid2", "categories": "IAB22"})
        zips_files += 1
        creatives.append({"ref": f"{ref}-tag", "name": f"Tag {n}", "format": "banner-tag", "campaigns": ref,
                          "bidPrice": 0.9, "width": 300, "height": 250, "categories": "IAB22",
                          "admBody": f'<script src="https://ads.example.com/serve.js?c={n}"></script>'})
        per_campaign_creatives[ref] += 4
    minimum.add("media uploads", math.ceil(images / FILES) + math.ceil(zips_files / FILES))
    minimum.add("creative creates", len(creatives))
    minimum.add("creative assignments", sum(lists(c) for c in per_campaign_creatives.values()))
    minimum.add("creative assignment checks", sum(pages(c) for c in per_campaign_creatives.values()))

    zips = _spread(us_zips(size.zips), refs)
    geo_zip = [{"campaign": ref, "zip": code, "iso2": "US"} for ref, codes in zips.items() for code in codes]
    minimum.add("ZIP lists", sum(lists(len(codes)) for codes in zips.values()))
    minimum.add("ZIP list checks", sum(pages(len(codes)) for codes in zips.values()))
    circles = [{"campaign": ref, "lat": 40.0 + k, "lng": -74.0 - k, "radius": 2 + k, "unit": "km"}
               for ref in refs for k in range(3)]
    minimum.add("circle lists", len(refs) * lists(3))
    minimum.add("circle list checks", len(refs) * pages(3))
    deals = [{"campaign": ref, "dealId": f"PMP-{n}-{k}", "bidPrice": 5} for n, ref in enumerate(refs) for k in range(2)]
    minimum.add("deal lists", len(refs) * lists(2))
    minimum.add("deal list checks", len(refs))  # deals-all: one answer, however many

    filter_lists = [
        {"ref": "safe", "title": "Bench brand-safe", "type": "domain", "isInclude": "include",
         "campaigns": ", ".join(refs)},
        {"ref": "apps", "title": "Bench blocked apps", "type": "bundles", "isInclude": "exclude",
         "campaigns": ", ".join(refs[::2])},
        {"ref": "ips", "title": "Bench fraud IPs", "type": "ipAdresses", "isInclude": "exclude",
         "campaigns": ", ".join(refs)},
    ]
    items = ([{"filterList": "safe", "item": f"site{k}.example.com"} for k in range(20)]
             + [{"filterList": "apps", "item": f"com.example.app{k}"} for k in range(7)]
             + [{"filterList": "ips", "item": f"198.18.{k // 250}.{k % 250 + 1}"} for k in range(size.fraud_ips)])
    lengths = Counter(i["filterList"] for i in items)
    minimum.add("filter list creates", sum(1 if lengths[f["ref"]] <= ITEMS else 2 for f in filter_lists))
    minimum.add("filter list checks", len(filter_lists))  # 20.2 shows the items, in one answer
    assigned = Counter(ref for f in filter_lists for ref in f["campaigns"].split(", "))
    minimum.add("filter list assignments", sum(lists(n) for n in assigned.values()))
    minimum.add("filter list assignment checks", sum(pages(n) for n in assigned.values()))

    return {"campaigns": campaigns, "creatives": creatives, "geo-zip": geo_zip, "geo-gps": circles, "deals": deals,
            "filter-lists": filter_lists, "filter-list-items": items}, minimum


IQM_CAMPAIGN = {
    "advertiserDomain": "https://shop.example.com", "maxBid": 8, "budgetDay": 50, "budgetTotal": 1500,
    "startTime": "2027-10-01 00:00", "endTime": "2027-10-31 23:59", "tz": "America/New_York", "timezone": 433,
    "ioId": 2695, "countryId": "30100001", "isAgreementChecked": "TRUE", "deviceType": "13, 15, 11, 12",
    "trafficType": "11, 12", "exchanges": "55, 61, 58"}
VAST = ('<VAST version="4.0"><Ad id="b{n}"><InLine><AdSystem>bench</AdSystem><AdTitle>Spot {n}</AdTitle>'
        '<Creatives><Creative><Linear><Duration>00:00:15</Duration></Linear></Creative></Creatives>'
        '</InLine></Ad></VAST>')


def iqm_job(folder: Path, size: Size) -> tuple[Path, Minimum]:
    """The IQM equivalent: image campaigns with image files, video campaigns with VAST tags, each
    with its ZIPs, circles, deals and filter-list items (all folded into the campaign)."""
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    refs = [f"iqm-{n}" for n in range(size.campaigns)]
    campaigns, creatives = [], []
    for n, ref in enumerate(refs):
        video = n % 2 == 1
        campaigns.append({**IQM_CAMPAIGN, "ref": ref, "campaignName": f"Bench mixed {ref}",
                          "creativeType": "video" if video else "image"})
        for k in range(2):
            row = {"ref": f"{ref}-c{k}", "creativeName": f"Creative {n}/{k}", "campaigns": ref,
                   "clickUrl": "https://shop.example.com/a"}
            if video:
                row |= {"format": "vast", "tag": VAST.format(n=n * 10 + k)}
            else:
                name = f"iqm-{n}-{k}.png"
                (media / name).write_bytes(png(*SIZES[k], 500 + n * 10 + k))
                row |= {"format": "image", "file": f"media/{name}"}
            creatives.append(row)
    zips = _spread(us_zips(size.zips), refs)
    geo_zip = [{"campaign": ref, "zip": code} for ref, codes in zips.items() for code in codes]
    circles = [{"campaign": ref, "latitude": 40.0 + k, "longitude": -74.0 - k, "radius": 1 + k,
                "address": f"Place {k}"} for ref in refs for k in range(3)]
    deals = [{"campaign": ref, "dealId": str(5000 + n * 10 + k)} for n, ref in enumerate(refs) for k in range(2)]
    filters = [{"campaign": ref, "type": kind, "value": value} for ref in refs for kind, value in
               (("domain", "news.example.com"), ("ip", "203.0.113.7"), ("inventory-group", "3301"))]
    minimum = Minimum()
    minimum.add("login", 1)
    minimum.add("creative types", 1)
    minimum.add("creative uploads", math.ceil(len(creatives) / FILES))
    minimum.add("creative status reads", math.ceil(len(creatives) / IQM_STATUS_IDS))
    minimum.add("campaign creates", len(campaigns))
    minimum.add("campaign read-backs", math.ceil(len(campaigns) / LIST_PAGE))
    path = write_filled(folder / "mixed-iqm.xlsx", "iqm", {
        "campaigns": campaigns, "creatives": creatives, "geo-zip": geo_zip, "geo-gps": circles, "deals": deals,
        "filter-lists": filters})
    return path, minimum


def _spread(codes: Sequence[str], refs: Sequence[str]) -> dict[str, list[str]]:
    """The ZIPs shared out between the campaigns in even runs (each campaign's its own)."""
    per = math.ceil(len(codes) / len(refs))
    return {ref: list(codes[i * per:(i + 1) * per]) for i, ref in enumerate(refs)}


# -- the measure ----------------------------------------------------------------------------------

def push_counted(platform: str, path: Path, out: Path) -> tuple[list[Logged], _jobs.PushReport]:
    config = {"platform": platform, "rate_limit": FAST}
    if platform == "iqm":
        config["creative_review_s"] = 0.0
    with SandboxProcess(**config) as sandbox, cold_cache(out.parent):
        report = _jobs.push_files([path], platform, base_url=sandbox.base_url, creds=CREDENTIALS[platform],
                                  output=out, pace=Pace(FAST, 60.0), approval_timeout_s=60.0,
                                  state_folder=fresh_state(out.parent))
        log = sandbox.finish()
    return log, report


_NUMBER = re.compile(r"/\d+")
_BUILT: dict[Path, tuple[Path, Minimum]] = {}


def bench_economy(platform: str, size: Size, folder: Path) -> dict[str, float]:
    """`folder`: this section's own work folder (bench/run.py gives each platform's section one)."""
    show = folder not in _BUILT  # where the requests went, said once
    if show:  # one workbook for all the runs
        _BUILT[folder] = (smartyads_job if platform == "smartyads" else iqm_job)(folder, size)
    path, minimum = _BUILT[folder]
    minimum = minimum.on_first_push(platform)
    for stale in folder.glob("results*"):
        stale.unlink()
    log, report = push_counted(platform, path, folder / "results.xlsx")
    failed = [f"{o.status}: {o.message}" for o in report.outcomes.values() if o.status not in SUCCESS]
    if failed:  # a job that did not go through would make a small count look economical
        raise RuntimeError(f"the mixed {platform} job did not go through: {failed[:3]}")
    if show:
        print(f"    fewest: {dict(minimum.parts)}", flush=True)
        print(f"    sent:   {dict(sorted(routes(log).items()))}", flush=True)
    return {"requests sent": len(log), "fewest allowed": minimum.total, "429s": sum(1 for r in log if r.status == 429)}


def routes(log: Sequence[Logged]) -> Counter:
    """Requests per method and route (IDs folded), to say where requests beyond the fewest went."""
    return Counter(r.method + " " + _NUMBER.sub("/{id}", r.path) for r in log)
