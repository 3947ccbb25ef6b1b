"""bulkops benchmarks: one command, one table.   python bench/run.py [--quick] [--runs N]

Each figure is the median of --runs runs (default 5) with min and max, beside a baseline measured
in the same run. Nothing here is a test: tests never assert timings.

  saturation  push N campaigns to a sandbox with rate limit L per window W and latency d; report the
              steady request rate as a share of L/W (arrivals counted at the sandbox, the first
              window's burst excluded) and the 429s. Baseline: a sequential hand-written client.
  economy     requests sent ÷ the fewest the API allows for the same job (one create per campaign).
  local       read + validate + plan of a large Campaigns sheet, and writing its results workbook.
              Baseline: pandas.read_excel / DataFrame.to_excel of the same file.
  resume      pushing a finished job again: write requests sent, and time.
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

from bulkops import _jobs
from bulkops._config import Credentials
from bulkops.kinds import kind_named
from bulkops.run._adapters import Pace
from bulkops.run._plan import build_plan
from bulkops.validate import validate_sheets
from bulkops.workbook._read import read_files
from bulkops.workbook._results import RunFacts, write_results

ACCOUNT = {"email": "demo@bulkops.test", "password": "sandbox"}
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


# -- a sandbox in its own process, so that it does not share the GIL with the client -----------

def _serve(config_kwargs: dict, ready, stop, report) -> None:
    from bulkops.sandbox import SandboxConfig, running

    with running(SandboxConfig(**config_kwargs)) as server:
        ready.put(server.base_url)
        stop.wait()
        report.put([(r.at, r.path, r.status) for r in server.sandbox.request_log])


class SandboxProcess:
    def __init__(self, **config) -> None:
        context = mp.get_context("spawn")
        self.ready, self.report, self.stop = context.Queue(), context.Queue(), context.Event()
        self.process = context.Process(target=_serve, args=(config, self.ready, self.stop, self.report), daemon=True)

    def __enter__(self) -> SandboxProcess:
        self.process.start()
        self.base_url = self.ready.get(timeout=30)
        return self

    def finish(self) -> list[tuple[float, str, int]]:
        self.stop.set()
        log = self.report.get(timeout=30)
        self.process.join(timeout=10)
        return log

    def __exit__(self, *exc: object) -> None:
        if self.process.is_alive():
            self.process.kill()


def steady_share(log: list[tuple[float, str, int]], limit: int, window: float) -> float:
    """Arrival rate after the first window's burst, as a share of limit/window."""
    arrivals = sorted(at for at, path, _ in log if not path.endswith("/login"))
    if len(arrivals) <= limit + 1:
        return float("nan")
    return (len(arrivals) - 1 - limit) / (arrivals[-1] - arrivals[0]) * window / limit


def push_bulkops(path: Path, base_url: str, out: Path, window: float, limit: int | None = None) -> _jobs.PushReport:
    return _jobs.push_files([path], "smartyads", base_url=base_url, creds=Credentials("smartyads", ACCOUNT),
                            output=out, progress=False, pace=Pace(limit, window))


def push_sequential(path: Path, base_url: str) -> None:
    """What a hand-written script does: log in, then one request after another."""
    sheet = validate_sheets(read_files([path], "smartyads"))
    plan = build_plan(sheet, skip_invalid=False)
    with httpx.Client(base_url=base_url, timeout=30) as http:
        token = http.post("/api/users/login", json=ACCOUNT).json()["access_token"]
        for op in plan.operations:
            while http.post("/api/campaigns", json=op.payload,
                            headers={"Authorization": f"Bearer {token}"}).status_code == 429:
                time.sleep(1)


def bench_saturation(n: int, limit: int, window: float, latency_ms: float, tmp: Path) -> dict[str, float]:
    path = campaigns_workbook(tmp / "sat.xlsx", n)
    figures: dict[str, float] = {}
    for name, run in (("bulkops", lambda url: push_bulkops(path, url, tmp / "sat-results.xlsx", window)),
                      ("sequential", lambda url: push_sequential(path, url))):
        for stale in tmp.glob("sat-results*"):
            stale.unlink()
        with SandboxProcess(rate_limit=limit, window_s=window, latency_ms=latency_ms) as sandbox:
            report = run(sandbox.base_url)
            log = sandbox.finish()
        figures[f"{name} share"] = steady_share(log, limit, window)
        figures[f"{name} 429s"] = sum(1 for _, _, status in log if status == 429)
        if report is not None:
            writes = sum(1 for _, p, s in log if p == "/api/campaigns" and s != 429)
            figures["economy"] = (writes + 1) / (n + 1)  # the fewest: one create per campaign and one login
    return figures


def bench_local(rows: int, tmp: Path) -> dict[str, float]:
    import pandas as pd

    path = campaigns_workbook(tmp / "local.xlsx", rows)
    started = time.perf_counter()
    sheets = read_files([path], "smartyads")
    read_s = time.perf_counter() - started
    validated = validate_sheets(sheets)
    plan = build_plan(validated, skip_invalid=False)
    total_s = time.perf_counter() - started
    outcomes = {op.row_key: _created(i) for i, op in enumerate(plan.operations)}
    started = time.perf_counter()
    write_results(sheets, outcomes, RunFacts("smartyads", "bench"), tmp / "local-results.xlsx")
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    frame = pd.read_excel(path, dtype=str)
    pandas_read_s = time.perf_counter() - started
    started = time.perf_counter()
    frame.to_excel(tmp / "pandas.xlsx", index=False)
    pandas_write_s = time.perf_counter() - started
    return {"read s": read_s, "read+validate+plan s": total_s, "results write s": write_s,
            "pandas read s": pandas_read_s, "pandas write s": pandas_write_s}


def _created(i: int):
    from bulkops.run._outcome import RowOutcome, Status

    return RowOutcome(Status.CREATED, "", i + 1)


def bench_resume(n: int, tmp: Path) -> dict[str, float]:
    path = campaigns_workbook(tmp / "resume.xlsx", n, prefix="z")
    out = tmp / "resume-results.xlsx"
    for stale in tmp.glob("resume-results*"):
        stale.unlink()
    # The first push only sets the scene: no rate limit on either side, so it is quick.
    with SandboxProcess(rate_limit=1_000_000) as sandbox:
        push_bulkops(path, sandbox.base_url, out, 60.0, limit=1_000_000)
        started = time.perf_counter()
        push_bulkops(path, sandbox.base_url, out, 60.0)
        again_s = time.perf_counter() - started
        log = sandbox.finish()
    creates = sum(1 for _, p, s in log if p == "/api/campaigns" and s == 200)
    return {"rerun s": again_s, "rerun writes": creates - n}


def median_of(runs: int, measure: Callable[[], dict[str, float]]) -> dict[str, tuple[float, float, float]]:
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        for key, value in measure().items():
            samples.setdefault(key, []).append(value)
    return {k: (statistics.median(v), min(v), max(v)) for k, v in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run: proves the harness works")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 5)
    sat = dict(n=60, limit=20, window=2.0, latency_ms=150) if args.quick else dict(n=300, limit=60, window=6.0,
                                                                                    latency_ms=150)
    local_rows = 2_000 if args.quick else 20_000
    resume_rows = 300 if args.quick else 10_000
    print(f"bulkops bench — {platform.machine()}, {mp.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"median of {runs} run(s) [min–max]", flush=True)
    sections = [
        (f"saturation: {sat['n']} campaigns, L={sat['limit']}/{sat['window']:g}s "
         f"(= {sat['limit'] * 60 / sat['window']:.0f}/min), d={sat['latency_ms']:g} ms",
         lambda tmp: bench_saturation(tmp=tmp, **sat)),
        (f"local: Campaigns sheet, {local_rows:,} rows x 44 columns", lambda tmp: bench_local(local_rows, tmp)),
        (f"resume: finished {resume_rows:,}-row job pushed again", lambda tmp: bench_resume(resume_rows, tmp)),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for label, measure in sections:
            print(label, flush=True)
            for key, (median, low, high) in median_of(runs, lambda m=measure: m(Path(folder))).items():
                print(f"    {key:<24} {median:>10.3f}  [{low:.3f}–{high:.3f}]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
