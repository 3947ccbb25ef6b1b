"""Faithful local stand-ins for the platforms' APIs, served over real HTTP on 127.0.0.1.

Platform-neutral parts: _config (knobs, built-in account), _limits (rate limits, latency, faults,
the guard middleware), _log, _tokens (JWT), _store (SQLite), _core (the Sandbox object), _server
(uvicorn). Each platform's own routes and rules are in its folder, `bulkops/platforms/<name>/sandbox`.
"""

from bulkops.sandbox._app import create_app
from bulkops.sandbox._config import SANDBOX_EMAIL, SANDBOX_PASSWORD, SANDBOX_USER_ID, SandboxConfig
from bulkops.sandbox._core import CAMPAIGN, Sandbox
from bulkops.sandbox._http import (
    Endpoint,
    Part,
    bearer,
    form_parts,
    json_body,
    json_object,
    path_id,
    positive_int,
    route,
    sandbox_of,
)
from bulkops.sandbox._limits import Admission, GuardMiddleware
from bulkops.sandbox._log import LoggedRequest
from bulkops.sandbox._server import SandboxServer, running, sandbox_account, serve
from bulkops.sandbox._stats import MAX_DAYS, Delivery, delivery, grouped
from bulkops.sandbox._stats import days as stat_days
from bulkops.sandbox._store import Store

__all__ = [
    "CAMPAIGN", "SANDBOX_EMAIL", "SANDBOX_PASSWORD", "SANDBOX_USER_ID", "Admission", "Endpoint", "GuardMiddleware",
    "LoggedRequest", "Part", "Sandbox", "SandboxConfig", "SandboxServer", "Store", "bearer", "create_app",
    "form_parts", "json_body", "json_object", "path_id", "positive_int", "route", "running", "sandbox_account",
    "sandbox_of", "serve"
]
__all__ += ["MAX_DAYS", "Delivery", "delivery", "grouped", "stat_days"]
