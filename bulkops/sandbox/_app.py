"""create_app: the ASGI application for the configured platform."""

from __future__ import annotations

from starlette.applications import Starlette

from bulkops.registry import platform_named
from bulkops.sandbox._config import SandboxConfig


def create_app(config: SandboxConfig) -> Starlette:
    """A Starlette app serving `config.platform`'s API; `app.state.sandbox` is its Sandbox."""
    config.validate()
    parts = platform_named(config.platform).sandbox
    if parts is None:
        raise ValueError(f"no sandbox for platform {config.platform!r}")
    app: Starlette = parts.app(config)
    return app
