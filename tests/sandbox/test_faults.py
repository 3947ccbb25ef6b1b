"""The faults the sandbox injects on request: 429 storms, HTTP-date Retry-After, cut connections,
writes committed whose answer never arrives, and the on_commit hook tests use to kill a client."""

from __future__ import annotations

import contextlib
import email.utils
import time

import httpx
import pytest

from bulkops.sandbox import SandboxConfig, running
from bulkops.sandbox._limits import CUT, Faults
from tests.sandbox.conftest import login

pytestmark = pytest.mark.slow

CAMPAIGN = {"type": "banner", "name": "n", "aDomain": "a.com"}


def test_a_storm_refuses_the_next_requests_with_429_and_retry_after():
    config = SandboxConfig(storm_every=3, storm_length=2, storm_retry_after_s=4)
    with running(config) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)  # logins are never stormed
        answers = [http.get("/api/campaigns", headers=auth) for _ in range(8)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429, 200, 200, 200]
    assert answers[3].headers["Retry-After"] == "4"
    assert answers[3].json() == {"message": "Too Many Attempts."}


def test_retry_after_can_be_an_http_date_never_earlier_than_the_wait():
    config = SandboxConfig(rate_limit=1, window_s=30, retry_after_date=True)
    with running(config) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        http.get("/api/campaigns", headers=auth)
        refused = http.get("/api/campaigns", headers=auth)
    assert refused.status_code == 429
    when = email.utils.parsedate_to_datetime(refused.headers["Retry-After"])
    assert when.tzinfo is not None and 29 <= when.timestamp() - time.time() <= 32


def test_a_cut_connection_reaches_no_handler_and_the_client_sees_no_answer():
    with running(SandboxConfig(drop_rate=1.0)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)  # logins are never cut
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/api/campaigns", json=CAMPAIGN, headers=auth)
        assert srv.sandbox.campaigns() == []
        last = srv.sandbox.request_log[-1]
    assert (last.method, last.status, last.dropped) == ("POST", CUT, True)


def test_a_cut_is_always_an_end_of_the_answer_never_a_reset():
    # Cut while the body was still arriving, the client's kernel would at times see a reset
    # (ReadError) instead: one fault must look like one thing.
    body = {**CAMPAIGN, "name": "n" * 2000}
    with running(SandboxConfig(drop_rate=1.0)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        seen = set()
        for _ in range(200):
            try:
                http.post("/api/campaigns", json=body, headers=auth)
            except httpx.TransportError as exc:
                seen.add(type(exc))
    assert seen == {httpx.RemoteProtocolError}


def test_a_dropped_answer_comes_after_the_commit():
    with running(SandboxConfig(drop_answer_rate=1.0)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        assert http.get("/api/campaigns", headers=auth).status_code == 200  # reads are answered
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/api/campaigns", json=CAMPAIGN, headers=auth)
        assert [c["name"] for c in srv.sandbox.campaigns()] == ["n"]  # it exists all the same
        last = srv.sandbox.request_log[-1]
    assert (last.method, last.status, last.dropped) == ("POST", 200, True)


def test_a_refused_write_is_answered_even_when_answers_are_dropped():
    with running(SandboxConfig(drop_answer_rate=1.0)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        assert http.post("/api/campaigns", json={}, headers=auth).status_code == 422  # nothing was committed


def test_on_commit_hears_each_committed_write_before_its_answer():
    heard: list[tuple[str, str, int]] = []
    config = SandboxConfig(on_commit=lambda *write: heard.append(write))
    with running(config) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        http.get("/api/campaigns", headers=auth)
        created = http.post("/api/campaigns", json=CAMPAIGN, headers=auth)
        http.post("/api/campaigns", json={}, headers=auth)  # refused: not a commit
    assert created.status_code == 200
    assert heard == [("POST", "/api/campaigns", 200)]


def test_faults_are_reproducible_with_a_seed():
    def statuses(seed: int) -> list[int]:
        config = SandboxConfig(drop_rate=0.3, fail_rate=0.3, seed=seed)
        with running(config) as srv, httpx.Client(base_url=srv.base_url) as http:
            auth = login(http)
            for _ in range(20):
                with contextlib.suppress(httpx.RemoteProtocolError):
                    http.get("/api/campaigns", headers=auth)
            return [r.status for r in srv.sandbox.request_log]

    first = statuses(3)
    assert first == statuses(3)
    assert {CUT, 503, 200} <= set(first)


def test_a_seed_fixes_each_kind_of_fault_whatever_the_other_kinds_asked_in_between():
    # Concurrent requests interleave their questions in any order; the n-th "503?" must not depend
    # on how many "cut?" questions came before it, or a seed would fix nothing under concurrency.
    config = SandboxConfig(fail_rate=0.3, drop_rate=0.3, drop_answer_rate=0.3, seed=5)
    alone, mixed = Faults(config), Faults(config)
    strikes_alone = [alone.strike() for _ in range(50)]
    strikes_mixed = []
    for n in range(50):
        for _ in range(n % 3):
            mixed.drop()
            mixed.drop_answer()
        strikes_mixed.append(mixed.strike())
    assert strikes_mixed == strikes_alone and 5 <= sum(strikes_alone) <= 30


@pytest.mark.parametrize("change", [{"drop_rate": 1.5}, {"drop_answer_rate": -0.1}, {"storm_every": -1}])
def test_fault_settings_out_of_range_are_refused(change):
    with pytest.raises(ValueError):
        SandboxConfig(**change)
