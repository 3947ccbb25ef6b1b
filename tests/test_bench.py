"""The benchmark harness still runs (quick mode). No timing is asserted: figures live in bench/README.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_bench_quick_mode_prints_its_table(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from _table import FIGURES

    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick"], capture_output=True,
                          text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    table = done.stdout
    for key in ("bulkops share", "sequential share", "bulkops sustained share", "SmartyAds mixed job",
                "IQM mixed job", "account moved (--as-new)", "requests sent", "fewest allowed",
                "read+validate+plan s", "pandas read s",
                "results write s", "peak RSS MiB",
                "rerun writes", "rerun s"):
        assert key in table
    assert "(.xlsx)" in table and "(.csv)" in table
    # The closing table: one line per figure, with its target and verdict.
    assert "bulkops median [min–max]" in table and "target" in table
    lines = table.splitlines()
    for figure in FIGURES:  # every figure has its line in the closing table
        assert any(line.startswith(figure.label + "  ") for line in lines), figure.label
    rerun_writes = next(line for line in table.splitlines() if "rerun writes" in line).split()
    assert "0.000" in rerun_writes  # resuming a finished job sends no write, whatever the speed


def test_bench_only_runs_the_sections_named():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--only", "resume"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "rerun writes" in done.stdout
    assert "saturation" not in done.stdout and "mixed job" not in done.stdout


def test_bench_only_refuses_an_unknown_section():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--only", "speed"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode != 0
    assert "unknown section speed" in done.stderr


def test_the_fewest_requests_follow_the_documented_batch_sizes(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from _economy import Size, iqm_job, smartyads_job

    size = Size(campaigns=2, zips=2_400, fraud_ips=1_001)
    _, smartyads = smartyads_job(tmp_path / "s", size)
    # 1,200 ZIPs a campaign: 2 requests each; 2 x 2 images in one upload, 2 rich ZIPs in another; the
    # 1,001-item list goes as a file first; each campaign gets all three lists but the second of 2.
    # Each list is then read back once per page of 1,000 (2 pages of 1,200 ZIPs), each filter list once,
    # and the campaigns' IAB categories, which a create's answer does not show, in one page of the list.
    assert dict(smartyads.parts) == {
        "login": 1, "campaign creates": 2, "campaign category checks": 1, "media uploads": 2, "creative creates": 8,
        "creative assignments": 2, "creative assignment checks": 2, "ZIP lists": 4, "ZIP list checks": 4,
        "circle lists": 2, "circle list checks": 2, "deal lists": 2, "deal list checks": 2, "filter list creates": 4,
        "filter list checks": 3, "filter list assignments": 2, "filter list assignment checks": 2}
    _, iqm = iqm_job(tmp_path / "i", size)
    # Targeting is folded into each campaign's create; 4 creatives go in one upload and one status read;
    # one campaign-list read checks both campaigns.
    assert dict(iqm.parts) == {"login": 1, "creative types": 1, "creative uploads": 1, "creative status reads": 1,
                               "campaign creates": 2, "campaign read-backs": 1}


def test_a_migrations_fewest_adds_each_campaigns_settings_and_lists_by_their_routes(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from _economy import Size, smartyads_job
    from _migration import smartyads_account

    size = Size(campaigns=2, zips=2_400, fraud_ips=1_001)
    _, mixed = smartyads_job(tmp_path / "mixed", size)
    _, account = smartyads_account(tmp_path / "account", size)
    # Per campaign: time targeting written (2.2) and read back (2.1), the booster (10.2), the rule
    # assigned (24.2), audiences and contextual targeting written and read back (7.2 and 7.1, 9.2 and
    # 9.1); the account's rules read once (22.1); device vendors ride in the create.
    assert dict(account.parts) == {**mixed.parts, "time targeting": 4, "CTR boosters": 2,
                                   "optimization rules read": 1, "rule assignments": 2, "audience lists": 4,
                                   "contextual lists": 4}


def test_the_table_refuses_a_section_that_lacks_a_figure(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from _table import FIGURES, render

    resume = {"rerun writes": (0.0, 0.0, 0.0), "rerun s": (1.0, 1.0, 1.0), "first push s": (9.0, 9.0, 9.0)}
    assert "finished job pushed again: s" in render(FIGURES, {"resume": resume})  # other sections: not run
    for missing in resume:  # a figure's key, or its baseline's
        with pytest.raises(KeyError, match=repr(missing)):
            render(FIGURES, {"resume": {k: v for k, v in resume.items() if k != missing}})
