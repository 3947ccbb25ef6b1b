"""`bulkops demo`: an embedded sandbox, the samples pushed to it, a short summary. No credentials."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from bulkops import _jobs
from bulkops._api import push
from bulkops._config import Credentials
from bulkops._data import shipped_folder
from bulkops._exceptions import ConfigError
from bulkops._terminal import Bar
from bulkops.registry import PLATFORMS
from bulkops.sandbox import SandboxConfig, running, sandbox_account

SAMPLES = shipped_folder("samples")


def demo_samples() -> dict[str, tuple[str, ...]]:
    """Per platform, the sample workbooks pushed one after the other, each with its own results workbook."""
    return {name: p.sandbox.demo_samples for name, p in PLATFORMS.items() if p.sandbox and p.sandbox.demo_samples}


def run_demo(output: Path, *, quiet: bool, echo: Callable[[str], None]) -> list[_jobs.PushReport]:
    reports = []
    output.mkdir(parents=True, exist_ok=True)
    for platform, names in demo_samples().items():
        # Every demo starts a fresh sandbox, whose account the journal must not mix with an earlier
        # demo's (its objects are gone): the demo keeps its journal in a folder of its own.
        with running(SandboxConfig(platform=platform)) as server, tempfile.TemporaryDirectory() as state:
            echo(f"{platform}: sandbox at {server.base_url}")
            for name in names:
                reports.append(_push_sample(_sample(name), platform, server.base_url, output, quiet, echo,
                                            Path(state)))
    notes = "".join(f", and {p.sandbox.demo_note}" for p in PLATFORMS.values() if p.sandbox and p.sandbox.demo_note)
    echo(f"The invalid rows are the samples' deliberate mistakes{notes}: open the results workbooks to see why.")
    return reports


def _push_sample(sample: Path, platform: str, base_url: str, output: Path, quiet: bool,
                 echo: Callable[[str], None], state: Path) -> _jobs.PushReport:
    results = output / f"{sample.stem}-results.xlsx"
    # What an earlier version's demo left beside its results knows of a sandbox that is gone.
    results.with_name(f"{results.stem}.journal.sqlite").unlink(missing_ok=True)
    echo(f"pushing {sample.name}")
    creds = Credentials(platform, sandbox_account(platform))
    with Bar(enabled=not quiet) as bar:
        report = push(sample, platform=platform, base_url=base_url, credentials=creds, output=results,
                      skip_invalid=True, state_folder=state, progress=bar,
                      announce=lambda text: echo(f"  needs {text}"))
    for sheet, counts in report.counts.items():
        echo(f"  {sheet}: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    echo(f"  {report.facts.requests_sent} requests; results workbook: {report.results_path}")
    return report


def _sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():
        raise ConfigError(f"sample {path} is missing; reinstall bulkops (pip install) or run it from a checkout")
    return path
