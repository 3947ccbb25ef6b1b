"""Local throughput and memory: a Geo ZIP sheet (kind `geo-zip`, sheet "Geo ZIP") read, validated and
planned, and its results workbook written, beside pandas doing the same reading and writing.

The sheet has the four columns a buyer fills (Campaign, ZIP, Country, Include); Latitude and
Longitude are left blank, so bulkops fills them from its offline US ZIP data as a real job would.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
from _economy import us_zips

from bulkops.kinds import kind_named

CAMPAIGN_IDS = 100  # the rows are shared between this many existing campaigns (by ID), 1,000 or more each
HEADER = ["Campaign", "ZIP", "Country", "Include"]
ROOT = Path(__file__).resolve().parent.parent


def geo_zip_rows(count: int):
    codes = us_zips()
    per = -(-count // CAMPAIGN_IDS)
    for i in range(count):
        # Each campaign's ZIPs are distinct; a campaign's share never exceeds the US list.
        yield [str(9000 + i // per), codes[(i % per) % len(codes)], "US", "exclude" if i % 50 == 0 else "include"]


def geo_zip_xlsx(path: Path, count: int) -> Path:
    if path.exists():
        return path
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(kind_named("smartyads", "geo-zip").sheet)
    sheet.append(HEADER)
    for row in geo_zip_rows(count):
        sheet.append(row)
    book.save(path)
    return path


def geo_zip_csv(path: Path, count: int) -> Path:
    """Named after the kind (`geo-zip.csv`), as the reader tells a CSV's kind from its name."""
    if path.exists():
        return path
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(geo_zip_rows(count))
    return path


def bench_local(rows: int, fmt: str, folder: Path) -> dict[str, float]:
    """`folder`: this section's own work folder (bench/run.py gives each section one)."""
    import pandas as pd

    from bulkops.io import ResultRow, RunFacts, read_files, write_results
    from bulkops.planner import build_plan
    from bulkops.validation import validate_sheets

    path = geo_zip_xlsx(folder / "geo-zip.xlsx", rows) if fmt == "xlsx" else geo_zip_csv(folder / "geo-zip.csv", rows)
    started = time.perf_counter()
    sheets = read_files([path], "smartyads")
    read_s = time.perf_counter() - started
    plan = build_plan(validate_sheets(sheets), skip_invalid=False)
    total_s = time.perf_counter() - started
    if len(plan.rows) != rows:
        raise RuntimeError(f"the plan speaks for {len(plan.rows)} of {rows} Geo ZIP rows: the sheet has invalid rows")
    outcomes = {row: ResultRow("created", "sent with campaign") for row in plan.rows}
    started = time.perf_counter()
    write_results(sheets, outcomes, RunFacts("smartyads", "bench"), folder / "results.xlsx")
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    frame = pd.read_excel(path, dtype=str) if fmt == "xlsx" else pd.read_csv(path, dtype=str, keep_default_na=False)
    pandas_read_s = time.perf_counter() - started
    started = time.perf_counter()
    frame.to_excel(folder / "pandas.xlsx", index=False)
    pandas_write_s = time.perf_counter() - started
    return {"read s": read_s, "read+validate+plan s": total_s, "results write s": write_s,
            "pandas read s": pandas_read_s, "pandas write s": pandas_write_s}


# -- memory: each measure in a fresh interpreter, so that its peak RSS is this job's alone ----------

_MEASURE = """
import json, sys
from pathlib import Path
path, which = Path(sys.argv[1]), sys.argv[2]
if which == "bulkops":
    from bulkops.planner._plan import build_plan
    from bulkops.validation import validate_sheets
    from bulkops.io import read_files
    plan = build_plan(validate_sheets(read_files([path], "smartyads")), skip_invalid=False)
    rows = len(plan.rows)
else:
    import pandas as pd
    rows = len(pd.read_csv(path, dtype=str, keep_default_na=False))
# VmHWM is this process's own peak, not ru_maxrss: that would be at least the forking parent's (Linux
# carries the high-water mark across fork and exec), i.e. the harness's own size.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rows": rows, "peak_kib": peak}))
"""


def peak_rss_mib(path: Path, which: str, rows: int) -> float:
    env = {**os.environ, "BULKOPS_MAX_ROWS": str(max(rows, 1_000_000) + 1)}
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(path), which], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the {which} memory run failed: {done.stderr.strip()[-2000:]}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    if answer["rows"] != rows:
        raise RuntimeError(f"the {which} memory run saw {answer['rows']} of {rows} rows")
    return answer["peak_kib"] / 1024  # /proc reports KiB


def bench_memory(rows: int, folder: Path) -> dict[str, float]:
    path = geo_zip_csv(folder / "geo-zip.csv", rows)
    return {"peak RSS MiB": peak_rss_mib(path, "bulkops", rows),
            "pandas read_csv peak RSS MiB": peak_rss_mib(path, "pandas", rows)}
