"""Faithful local stand-ins for the platforms' APIs, served over real HTTP on 127.0.0.1.

Platform-neutral parts: _config (knobs, built-in account), _limits (rate limits, latency, faults,
the guard middleware), _log, _tokens (JWT), _store (SQLite), _core (the Sandbox object), _server
(uvicorn). Each platform's own routes and rules are in its folder, `bulkops/platforms/<name>/sandbox`.
"""

from bulkops.sandbox._app import create_app
from bulkops.sandbox._config import SANDBOX_EMAIL, SANDBOX_PASSWORD, SandboxConfig
from bulkops.sandbox._core import Sandbox
from bulkops.sandbox._log import LoggedRequest
from bulkops.sandbox._server import SandboxServer, running, sandbox_account, serve

__all__ = ["SANDBOX_EMAIL", "SANDBOX_PASSWORD", "LoggedRequest", "Sandbox", "SandboxConfig", "SandboxServer",
           "create_app", "running", "sandbox_account", "serve"]
