"""bulkops: spreadsheets in, ad platform out.

    import bulkops
    report = bulkops.validate("launch.xlsx", platform="smartyads")
    result = bulkops.push("launch.xlsx", platform="smartyads")

The functions and their reports are described in docs/python-api.md. `import bulkops` stays light:
the jobs (and pandas, openpyxl, httpx behind them) are imported when one is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bulkops._exceptions import (
    AccountBusy,
    ApiError,
    AuthError,
    BulkopsError,
    ConfigError,
    InputError,
    Interrupted,
    PlatformError,
    RateLimitedError,
    RunStopped,
    TransportError,
)
from bulkops._problems import Problem, Severity

if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers and editors
    from bulkops import sandbox
    from bulkops._api import Options, aexport, apush, areport, export, plan, push, report, validate
    from bulkops._control import Progress, StopHandle
    from bulkops._jobs import PlanSummary, PushReport, RowResult, ValidationReport
    from bulkops.exporter import ExportReport
    from bulkops.reporting import ReportResult

__version__ = "0.1.0"

# name → the module that defines it, imported on first use
_LAZY = {
    "validate": "bulkops._api", "plan": "bulkops._api", "push": "bulkops._api", "apush": "bulkops._api",
    "export": "bulkops._api", "aexport": "bulkops._api", "Options": "bulkops._api",
    "Progress": "bulkops._control", "StopHandle": "bulkops._control",
    "ValidationReport": "bulkops._jobs", "PlanSummary": "bulkops._jobs", "PushReport": "bulkops._jobs",
    "RowResult": "bulkops._jobs", "ExportReport": "bulkops.exporter",
    "report": "bulkops._api", "areport": "bulkops._api", "ReportResult": "bulkops.reporting",
}


def __getattr__(name: str) -> Any:
    if name == "sandbox":
        return importlib.import_module("bulkops.sandbox")
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # once: later lookups are plain attribute reads
        return value
    raise AttributeError(f"module 'bulkops' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY, "sandbox"])


__all__ = [
    "AccountBusy", "ApiError", "AuthError", "BulkopsError", "ConfigError", "ExportReport", "InputError",
    "Interrupted", "Options", "PlanSummary", "PlatformError", "Problem", "Progress", "PushReport", "RateLimitedError",
    "RowResult", "RunStopped", "Severity", "StopHandle", "TransportError", "ValidationReport", "__version__",
    "aexport", "apush", "export", "plan", "push", "sandbox", "validate", "areport", "report", "ReportResult"
]
