"""create_app: the ASGI application for the configured platform."""

from __future__ import annotations

from starlette.applications import Starlette

from bulkops.sandbox._config import SandboxConfig
from bulkops.sandbox._core import Sandbox


def create_app(config: SandboxConfig) -> Starlette:
    """A Starlette app serving `config.platform`'s API; `app.state.sandbox` is its Sandbox."""
    config.validate()
    if config.platform == "smartyads":
        from bulkops.platforms.smartyads import sandbox as smartyads

        return smartyads.build_app(Sandbox(config))
    if config.platform == "iqm":
        from bulkops.platforms.iqm import sandbox as iqm

        return iqm.build_app(iqm.IqmSandbox(config))
    raise ValueError(f"no sandbox for platform {config.platform!r}")
