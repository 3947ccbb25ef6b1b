"""bulkops benchmarks: one command, one table.   python bench/run.py [--quick] [--runs N] [--only NAME,…]

Each figure is the median of --runs runs (default 5) with min and max, beside a baseline measured
in the same run. Nothing here is a test: tests never assert timings. Sections (--only):

  saturation  push N campaigns to a sandbox with rate limit L per window W and latency d; report two
              shares of L/W, both judged against ≥ 0.95 (arrivals counted at the sandbox): the run
              average (the first window's burst excluded) and the sustained rate (W / the median
              time for one of the limit's places to come round); and the 429s. Baseline: a
              sequential hand-written client.
  economy     a mixed job (creatives with media, 20,000 ZIPs across campaigns, circles, deals, filter
              lists) pushed to each platform's sandbox: requests counted in the sandbox's log ÷ the
              fewest the documented batch capabilities allow (bench/_economy.py works that out); and
              the same job moved into an empty account with export --media and push --as-new, the new
              account's requests ÷ the same fewest (bench/_migration.py).
  local       read + validate + plan of a 100,000-row Geo ZIP sheet, .xlsx and .csv, and writing its
              results workbook. Baseline: pandas.read_excel(dtype=str) (read_csv for the CSV) and
              DataFrame.to_excel of the same data.
  memory      peak RSS of a 1,000,000-row CSV Geo ZIP job through validate and plan, in a fresh
              interpreter (BULKOPS_MAX_ROWS raised for it). Baseline: pandas.read_csv(dtype=str).
  resume      a finished 10,000-row job pushed again: write requests sent (at the sandbox), and time.
              Baseline: the first push of the same job.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import openpyxl

# Run as a script (`python bench/run.py`), this folder is on sys.path: its modules are siblings.
from _economy import FULL, QUICK, bench_economy
from _local import bench_local, bench_memory
from _migration import bench_migration
from _sandbox import CREDENTIALS, Logged, SandboxProcess, fresh_state
from _table import FIGURES, Medians, render

from bulkops import _jobs
from bulkops.engine import Pace
from bulkops.io import read_files
from bulkops.kinds import kind_named
from bulkops.planner import build_plan
from bulkops.sandbox import sandbox_account
from bulkops.validation import validate_sheets

SECTIONS = ("saturation", "economy", "local", "memory", "resume")
ROW = {"name": None, "type": "banner", "aDomain": "example.com", "dateStart": "2027-03-01",
       "dateEnd": "2027-03-31", "isDesktopWeb": "yes", "isMobileApp": "yes", "contentCategories": "IAB1, IAB3",
       "userAgeMin": 18, "userAgeMax": 50, "connectionTypes": "wifi, cellular_4g", "OS": "Android 13.0, iOS",
       "browser": "Chrome", "deviceLanguage": "en", "geoCountries": "USA", "spentDailyLimit": 200,
       "spentTotalLimit": 5000, "budgetUse": "pacer", "frequency": "yes", "frequencyType": "user",
       "frequencyCap": 3, "frequencyPeriod": 1}


def campaigns_workbook(path: Path, count: int, prefix: str = "c") -> Path:
    kind = kind_named("smartyads", "campaigns")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(kind.sheet)
    sheet.append([c.label for c in kind.columns])
    for i in range(count):
        values = {**ROW, "ref": f"{prefix}{i}", "name": f"Campaign {prefix}{i}"}
        sheet.append([values.get(c.field) for c in kind.columns])
    book.save(path)
    return path


# -- saturation ---------------------------------------------------------------------------------

def steady_share(log: list[Logged], limit: int, window: float) -> float:
    """Arrival rate after the first window's burst, as a share of limit/window."""
    arrivals = sorted(r.at for r in log if not r.path.endswith("/login"))
    if len(arrivals) <= limit + 1:
        return float("nan")
    return (len(arrivals) - 1 - limit) / (arrivals[-1] - arrivals[0]) * window / limit


def sustained_share(log: list[Logged], limit: int, window: float) -> float:
    """The rate a client keeps up, as a share of limit/window: the window ÷ the median time between
    an arrival and the `limit`-th after it (how long one of the limit's places takes to come round).
    Unlike `steady_share`, a short run's last, half-spread burst does not weigh on it."""
    arrivals = sorted(r.at for r in log if not r.path.endswith("/login"))
    cycles = sorted(arrivals[i + limit] - arrivals[i] for i in range(len(arrivals) - limit))
    return window / cycles[len(cycles) // 2] if cycles else float("nan")


def push_bulkops(path: Path, base_url: str, out: Path, window: float, limit: int | None = None, *,
                 state: Path) -> _jobs.PushReport:
    """`state`: the folder of the account's journal (see fresh_state)."""
    return _jobs.push_files([path], "smartyads", base_url=base_url, creds=CREDENTIALS["smartyads"],
                            output=out, pace=Pace(limit, window), state_folder=state)


def push_sequential(path: Path, base_url: str) -> None:
    """What a hand-written script does: log in, then one request after another."""
    sheet = validate_sheets(read_files([path], "smartyads"))
    plan = build_plan(sheet, skip_invalid=False)
    with httpx.Client(base_url=base_url, timeout=30) as http:
        token = http.post("/api/users/login", json=sandbox_account("smartyads")).json()["access_token"]
        for op in plan.operations:
            while http.post("/api/campaigns", json=op.payload,
                            headers={"Authorization": f"Bearer {token}"}).status_code == 429:
                time.sleep(1)


def bench_saturation(n: int, limit: int, window: float, latency_ms: float, tmp: Path) -> dict[str, float]:
    path = tmp / "sat.xlsx"
    if not path.exists():
        campaigns_workbook(path, n)
    figures: dict[str, float] = {}
    for name, run in (("bulkops", lambda url: push_bulkops(path, url, tmp / "sat-results.xlsx", window,
                                                           state=fresh_state(tmp))),
                      ("sequential", lambda url: push_sequential(path, url))):
        for stale in tmp.glob("sat-results*"):
            stale.unlink()
        with SandboxProcess(rate_limit=limit, window_s=window, latency_ms=latency_ms) as sandbox:
            run(sandbox.base_url)
            log = sandbox.finish()
        figures[f"{name} share"] = steady_share(log, limit, window)
        figures[f"{name} sustained share"] = sustained_share(log, limit, window)
        figures[f"{name} 429s"] = sum(1 for r in log if r.status == 429)
    return figures


# -- resume -------------------------------------------------------------------------------------

def bench_resume(n: int, tmp: Path) -> dict[str, float]:
    path = tmp / "resume.xlsx"
    if not path.exists():
        campaigns_workbook(path, n, prefix="z")
    out = tmp / "resume-results.xlsx"
    for stale in tmp.glob("resume-results*"):
        stale.unlink()
    state = fresh_state(tmp)  # one journal for both pushes, as one account has
    # The first push sets the scene: no rate limit on either side, so it measures bulkops alone.
    with SandboxProcess(rate_limit=1_000_000) as sandbox:
        started = time.perf_counter()
        push_bulkops(path, sandbox.base_url, out, 60.0, limit=1_000_000, state=state)
        first_s = time.perf_counter() - started
        mark = time.monotonic()  # the sandbox logs time.monotonic(), one clock for the whole machine
        started = time.perf_counter()
        push_bulkops(path, sandbox.base_url, out, 60.0, state=state)
        again_s = time.perf_counter() - started
        log = sandbox.finish()
    writes = sum(1 for r in log if r.at >= mark and r.method != "GET" and not r.path.endswith("/login"))
    return {"first push s": first_s, "rerun s": again_s, "rerun writes": writes}


# -- the run ------------------------------------------------------------------------------------

def median_of(runs: int, measure: Callable[[], dict[str, float]]) -> Medians:
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        for key, value in measure().items():
            samples.setdefault(key, []).append(value)
    return {k: (statistics.median(v), min(v), max(v)) for k, v in samples.items()}


def sections(quick: bool) -> list[tuple[str, str, Callable[[Path], dict[str, float]]]]:
    sat = dict(n=40, limit=10, window=1.0, latency_ms=150) if quick else dict(n=300, limit=60, window=6.0,
                                                                               latency_ms=150)
    mixed = QUICK if quick else FULL
    local_rows = 2_000 if quick else 100_000
    memory_rows = 20_000 if quick else 1_000_000
    resume_rows = 300 if quick else 10_000
    mixed_label = (f"{mixed.campaigns} campaigns, {mixed.zips:,} ZIPs, creatives with media, circles, deals, "
                   "filter lists")
    return [
        ("saturation", f"saturation: {sat['n']} campaigns, L={sat['limit']}/{sat['window']:g}s "
                       f"(= {sat['limit'] * 60 / sat['window']:.0f}/min), d={sat['latency_ms']:g} ms",
         lambda tmp: bench_saturation(tmp=tmp, **sat)),
        ("economy-smartyads", f"economy: SmartyAds mixed job, {mixed_label}",
         lambda tmp: bench_economy("smartyads", mixed, tmp)),
        ("economy-iqm", f"economy: IQM mixed job, {mixed_label}", lambda tmp: bench_economy("iqm", mixed, tmp)),
        ("economy-migration-smartyads", f"economy: SmartyAds account moved with push --as-new, {mixed_label}",
         lambda tmp: bench_migration("smartyads", mixed, tmp)),
        ("economy-migration-iqm", f"economy: IQM account moved with push --as-new, {mixed_label}",
         lambda tmp: bench_migration("iqm", mixed, tmp)),
        ("local-xlsx", f"local: Geo ZIP sheet, {local_rows:,} rows (.xlsx)", lambda tmp: bench_local(local_rows,
                                                                                                     "xlsx", tmp)),
        ("local-csv", f"local: Geo ZIP sheet, {local_rows:,} rows (.csv)", lambda tmp: bench_local(local_rows,
                                                                                                   "csv", tmp)),
        ("memory", f"memory: {memory_rows:,}-row CSV Geo ZIP job through validate and plan",
         lambda tmp: bench_memory(memory_rows, tmp)),
        ("resume", f"resume: finished {resume_rows:,}-row job pushed again", lambda tmp: bench_resume(resume_rows,
                                                                                                       tmp)),
    ]


def chosen(only: str | None) -> set[str]:
    if not only:
        return set(SECTIONS)
    names = {name.strip() for name in only.split(",") if name.strip()}
    unknown = names - set(SECTIONS)
    if unknown:
        raise SystemExit(f"--only: unknown section {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: proves the harness works")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--only", metavar="NAME[,NAME]", help=f"run only these sections: {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    wanted = chosen(args.only)
    runs = args.runs or (1 if args.quick else 5)
    print(f"bulkops bench — {platform.machine()}, {mp.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"median of {runs} run(s) [min–max]", flush=True)
    results: dict[str, Medians] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, label, measure in sections(args.quick):
            if name.split("-")[0] not in wanted:
                continue
            print(label, flush=True)
            work = Path(folder) / name
            work.mkdir()
            results[name] = median_of(runs, lambda m=measure, w=work: m(w))
            for key, (median, low, high) in results[name].items():
                print(f"    {key:<30} {median:>10.3f}  [{low:.3f}–{high:.3f}]", flush=True)
    print(flush=True)
    print(render(FIGURES, results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
