"""Request economy of a migration: the mixed job of `_economy` pushed into one sandbox (the old
account), exported from it with `export --media`, and that export pushed with `push --as-new` into a
second, empty sandbox (the new account). The requests the second push sends are counted in the new
sandbox's log, beside the fewest the API allows for creating the same objects there: the mixed job's
fewest (`_economy`), since moving an account is creating everything it holds, parents first.

What no answer of SmartyAds shows, and so no export can carry, is typed into the export before the
push, as a buyer would: each creative's IAB categories and an HTML creative's archive (its media URL is
the archive's index.html). IQM's export carries all of the job.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from _economy import FAST, Minimum, Size, iqm_job, smartyads_job
from _sandbox import CREDENTIALS, SandboxProcess, fresh_state

import bulkops
from bulkops import _jobs
from bulkops.engine import Pace
from bulkops.planner import SUCCESS

_BUILT: dict[Path, tuple[Path, Minimum]] = {}


def bench_migration(platform: str, size: Size, folder: Path) -> dict[str, float]:
    show = folder not in _BUILT
    if show:
        _BUILT[folder] = (smartyads_job if platform == "smartyads" else iqm_job)(folder, size)
    job, minimum = _BUILT[folder]
    for stale in [*folder.glob("old*.xlsx"), *folder.glob("new*.xlsx")]:
        stale.unlink()
    config = {"platform": platform, "rate_limit": FAST}
    if platform == "iqm":
        config.update(creative_review_s=0.0, media_origin=None)  # files served where the sandbox says they are
    exported = folder / "old-account.xlsx"
    with SandboxProcess(**config) as old:
        _push(platform, job, old.base_url, folder / "old-results.xlsx", as_new=False)
        bulkops.export(platform, base_url=old.base_url, credentials=CREDENTIALS[platform], output=exported,
                       media=True, rate_limit=FAST)
        old.finish()
    if platform == "smartyads":
        _type_what_no_answer_shows(exported, job)
    with SandboxProcess(**config) as new:
        _push(platform, exported, new.base_url, folder / "new-results.xlsx", as_new=True)
        log = new.finish()
    if show:
        print(f"    fewest: {minimum.total}", flush=True)
    return {"requests sent": len(log), "fewest allowed": minimum.total, "429s": sum(1 for r in log if r.status == 429)}


def _push(platform: str, path: Path, base_url: str, out: Path, *, as_new: bool) -> None:
    report = _jobs.push_files([path], platform, base_url=base_url, creds=CREDENTIALS[platform], output=out,
                              pace=Pace(FAST, 60.0), approval_timeout_s=60.0, state_folder=fresh_state(out.parent),
                              as_new=as_new)
    failed = [f"{o.status}: {o.message}" for o in report.outcomes.values() if o.status not in SUCCESS]
    if failed:  # a job that did not go through would make a small count look economical
        raise RuntimeError(f"the {platform} migration did not go through: {failed[:3]}")


def _type_what_no_answer_shows(exported: Path, job: Path) -> None:
    """Each creative's IAB categories and an HTML creative's archive, from the job it was made from."""
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
    book.save(exported)
