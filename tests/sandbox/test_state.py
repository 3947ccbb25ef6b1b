"""State in a SQLite file survives a restart: campaigns, soft deletes and the id sequence."""

from __future__ import annotations

import httpx
import pytest

from bulkops.sandbox import SandboxConfig, create_app, running
from tests.sandbox.conftest import create, login

pytestmark = pytest.mark.slow


def test_state_persists_across_restarts(tmp_path):
    state = str(tmp_path / "sandbox.sqlite")
    with running(SandboxConfig(state_path=state)) as srv, httpx.Client(base_url=srv.base_url) as http:
        old = login(http)
        first, second = create(http, old, name="A")["id"], create(http, old, name="B")["id"]
        assert http.delete(f"/api/campaigns/{second}", headers=old).status_code == 200
    with running(SandboxConfig(state_path=state)) as srv, httpx.Client(base_url=srv.base_url) as http:
        assert http.get("/api/campaigns", headers=old).status_code == 401  # tokens die with the process
        auth = login(http)
        assert [c["name"] for c in http.get("/api/campaigns", headers=auth).json()["data"]] == ["A"]
        assert http.get(f"/api/campaigns/{second}", headers=auth).status_code == 404
        assert create(http, auth, name="C")["id"] == second + 1
        assert [c["id"] for c in srv.sandbox.campaigns(include_deleted=True)] == [first, second, second + 1]


def test_memory_state_starts_empty(server):
    with running(server.sandbox.config) as other:
        assert other.sandbox.campaigns() == []


@pytest.mark.parametrize("change", [{"platform": "facebook"}, {"rate_limit": 0}, {"fail_rate": 1.5}, {"window_s": 0}])
def test_bad_configs_are_refused(change):
    with pytest.raises(ValueError):
        SandboxConfig(**change)
    config = SandboxConfig()
    for key, value in change.items():
        setattr(config, key, value)  # the CLI sets fields after construction
    with pytest.raises(ValueError):
        create_app(config)
