"""The sandbox's fixtures (a SmartyAds sandbox on 127.0.0.1, a client, a login), shared with tests/sandbox/."""

from tests.sandbox.conftest import auth, client, http, module_server, server

__all__ = ["auth", "client", "http", "module_server", "server"]
