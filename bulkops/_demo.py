"""`bulkops demo`: an embedded sandbox, the samples pushed to it, a short summary. No credentials."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bulkops import _jobs
from bulkops._config import Credentials
from bulkops._exceptions import ConfigError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEMO_SAMPLES = {"smartyads": ("smartyads-campaigns.xlsx",)}
# The sandbox's built-in account (DESIGN.md): public by design, so it may appear here.
SANDBOX_ACCOUNT = {"email": "demo@bulkops.test", "password": "sandbox"}


def run_demo(output: Path, *, quiet: bool, echo: Callable[[str], None]) -> list[_jobs.PushReport]:
    from bulkops.sandbox import SandboxConfig, running

    reports = []
    output.mkdir(parents=True, exist_ok=True)
    for platform, names in DEMO_SAMPLES.items():
        files = [_sample(name) for name in names]
        results = output / f"{platform}-results.xlsx"
        # Every demo starts a fresh sandbox, so an old journal would point at objects that are gone.
        _jobs.journal_path_for(results).unlink(missing_ok=True)
        with running(SandboxConfig(platform=platform)) as server:
            echo(f"{platform}: sandbox at {server.base_url}; pushing {', '.join(f.name for f in files)}")
            report = _jobs.push_files(files, platform, base_url=server.base_url,
                                      creds=Credentials(platform, SANDBOX_ACCOUNT), output=results,
                                      skip_invalid=True, progress=not quiet)
        for sheet, counts in report.counts.items():
            echo(f"  {sheet}: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
        echo(f"  {report.facts.requests_sent} requests; results workbook: {report.results_path}")
        reports.append(report)
    echo("The invalid rows are the sample's deliberate mistakes: open the results workbook to see why each one "
         "was refused.")
    return reports


def _sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():
        raise ConfigError(f"sample {path} is missing; run bulkops demo from a checkout of the project")
    return path
