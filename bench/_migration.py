"""Request economy of a migration: the mixed job of `_economy` pushed into one sandbox (the old
account), exported from it with `export --media`, and that export pushed with `push --as-new` into a
second, empty sandbox (the new account). The requests the second push sends are counted in the new
sandbox's log, beside the fewest the API allows for creating the same objects there: the mixed job's
fewest (`_economy`), since moving an account is creating everything it holds, parents first.

On SmartyAds the old account's campaigns also hold every campaign setting and list the sheets model
beyond the mixed job's, and the fewest counts them from the documented routes:

- time targeting: one replace (2.2) a campaign, and one read (2.1) to check it, as 2.2 answers only a
  message; the CTR booster: one `POST` (10.2) a campaign, which answers the booster's record; the
  optimization rule: the account's rules read once (22.1, one page: the export names each rule by
  name, and the new account holds them), then one assignment (24.2) a campaign, which answers the
  relation; device vendors travel in the campaign's create (11.3), so cost nothing;
- audiences and contextual targeting: one replace a campaign (7.2, 9.2) and one read of the list to
  check it (7.1, 9.1), as both answer only a message. The export names them by ID, so nothing is
  looked up.

The rules are the account's (22.3 makes them; no sheet does): each sandbox is given them before its
push, as a buyer makes them in the new account first, and those requests are not counted.

What no answer of SmartyAds shows, and so no export can carry, is typed into the export before the
push, as a buyer would: each creative's IAB categories, an HTML creative's archive (its media URL is
the archive's index.html) and each campaign's device vendors. IQM's export carries all of the job.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import openpyxl
from _economy import FAST, Minimum, Size, iqm_job, smartyads_sheets
from _sandbox import CREDENTIALS, SandboxProcess, cold_cache, fresh_state

import bulkops
from bulkops import _jobs
from bulkops.engine import Pace
from bulkops.io import write_filled
from bulkops.planner import SUCCESS
from bulkops.sandbox import sandbox_account

_BUILT: dict[Path, tuple[Path, Minimum]] = {}


def bench_migration(platform: str, size: Size, folder: Path) -> dict[str, float]:
    show = folder not in _BUILT
    if show:
        _BUILT[folder] = (smartyads_account if platform == "smartyads" else iqm_job)(folder, size)
    job, minimum = _BUILT[folder]
    minimum = minimum.on_first_push(platform)
    for stale in [*folder.glob("old*.xlsx"), *folder.glob("new*.xlsx")]:
        stale.unlink()
    config = {"platform": platform, "rate_limit": FAST}
    if platform == "iqm":
        config.update(creative_review_s=0.0, media_origin=None)  # files served where the sandbox says they are
    exported = folder / "old-account.xlsx"
    with SandboxProcess(**config) as old:
        _make_rules(platform, old.base_url)
        _push(platform, job, old.base_url, folder / "old-results.xlsx", as_new=False)
        bulkops.export(platform, base_url=old.base_url, credentials=CREDENTIALS[platform], output=exported,
                       media=True, rate_limit=FAST)
        old.finish()
    if platform == "smartyads":
        _type_what_no_answer_shows(exported, job)
    with SandboxProcess(**config) as new:
        made = _make_rules(platform, new.base_url)
        _push(platform, exported, new.base_url, folder / "new-results.xlsx", as_new=True)
        log = new.finish()[made:]  # the push's requests, not those that made the account's rules
    if show:
        print(f"    fewest: {minimum.total}", flush=True)
    return {"requests sent": len(log), "fewest allowed": minimum.total, "429s": sum(1 for r in log if r.status == 429)}


def _push(platform: str, path: Path, base_url: str, out: Path, *, as_new: bool) -> None:
    with cold_cache(out.parent):
        report = _jobs.push_files([path], platform, base_url=base_url, creds=CREDENTIALS[platform], output=out,
                                  pace=Pace(FAST, 60.0), approval_timeout_s=60.0,
                                  state_folder=fresh_state(out.parent), as_new=as_new)
    failed = [f"{o.status}: {o.message}" for o in report.outcomes.values() if o.status not in SUCCESS]
    if failed:  # a job that did not go through would make a small count look economical
        raise RuntimeError(f"the {platform} migration did not go through: {failed[:3]}")


def _type_what_no_answer_shows(exported: Path, job: Path) -> None:
    """Each creative's IAB categories, an HTML creative's archive and each campaign's device vendors,
    from the job it was made from."""
    source = openpyxl.load_workbook(job)["Creatives"]
    heads = [c.value for c in source[1]]
    typed = {row[heads.index("Name")]: row for row in source.iter_rows(min_row=2, values_only=True)}
    book = openpyxl.load_workbook(exported)
    sheet = book["Creatives"]
    columns = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        made_from = typed[row[columns.index("Name")].value]
        row[columns.index("IAB Categories")].value = made_from[heads.index("IAB Categories")]
        if row[columns.index("Format")].value == "banner-html":
            row[columns.index("Media File")].value = made_from[heads.index("Media File")]
    source, sheet = openpyxl.load_workbook(job)["Campaigns"], book["Campaigns"]
    heads, columns = [c.value for c in source[1]], [c.value for c in sheet[1]]
    vendors = {row[heads.index("Name")]: row[heads.index("Device Vendors")]
               for row in source.iter_rows(min_row=2, values_only=True)}
    for row in sheet.iter_rows(min_row=2):
        row[columns.index("Device Vendors")].value = vendors[row[columns.index("Name")].value]
    book.save(exported)


RULE_NAME = "Bench pause weak sources"
RULE = {"name": RULE_NAME, "timeRange": "last_day", "then": "blacklist_source", "targetFilterListId": 1,
        "conditions": [{"condition": "when", "action": "dspSpend", "comparison": ">", "value": "10"}]}


def smartyads_account(folder: Path, size: Size) -> tuple[Path, Minimum]:
    """The mixed job with every campaign setting and list the sheets model, and its fewest (above)."""
    sheets, minimum = smartyads_sheets(folder, size)
    refs = [campaign["ref"] for campaign in sheets["campaigns"]]
    for campaign in sheets["campaigns"]:
        campaign.update(timeTargeting="Mon-Fri 09:00-17:00; Sat 10:00-14:00", timeZone=-5, ctrBooster=True,
                        optimizationRule=RULE_NAME, deviceVendor="apple, samsung")
    minimum.add("time targeting", len(refs) * 2)  # 2.2, then 2.1
    minimum.add("CTR boosters", len(refs))  # 10.2
    minimum.add("optimization rules read", 1)  # 22.1
    minimum.add("rule assignments", len(refs))  # 24.2
    sheets["audiences"] = [{"campaign": ref, "audience": title} for ref in refs
                           for title in ("Cart abandoners", "Frequent travellers")]
    minimum.add("audience lists", len(refs) * 2)  # 7.2, then 7.1
    sheets["contextual"] = [{"campaign": ref, "target": name} for ref in refs
                            for name in ("Travel planning", "Fashion")]
    minimum.add("contextual lists", len(refs) * 2)  # 9.2, then 9.1
    return write_filled(folder / "mixed-smartyads-account.xlsx", "smartyads", sheets), minimum


def _make_rules(platform: str, base_url: str) -> int:
    """The account's optimization rules, made as a buyer makes them (22.3); the requests it took."""
    if platform != "smartyads":
        return 0
    account = sandbox_account(platform)
    with httpx.Client(base_url=base_url) as http:
        token = http.post("/api/users/login", json={"email": account["email"], "password": account["password"]})
        headers = {"Authorization": f"Bearer {token.raise_for_status().json()['access_token']}"}
        http.post("/api/optimization-rule", json=RULE, headers=headers).raise_for_status()
    return 2
