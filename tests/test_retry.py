"""The retry policy: its defaults, its budget, and that the HTTP core, both clients, the engine and
the CLI all take their retries from it."""

from __future__ import annotations

import asyncio
import dataclasses

import httpx
import pytest
from click.testing import CliRunner

from bulkops._exceptions import ApiError, RunStopped
from bulkops._retry import DEFAULT_RETRY, RetryPolicy
from bulkops.cli import cli
from bulkops.platforms.iqm.client import IQMClient
from bulkops.platforms.smartyads.client import SmartyAdsClient
from tests._fakes import FakeTime
from tests.conftest import campaign
from tests.platforms.smartyads.client.conftest import Platform, campaign_json, make_client


def test_the_default_policy_is_the_documented_one():
    assert (DEFAULT_RETRY.retries, DEFAULT_RETRY.backoff_base_s, DEFAULT_RETRY.backoff_cap_s) == (6, 0.5, 30.0)
    assert DEFAULT_RETRY.statuses == {502, 503, 504}
    assert DEFAULT_RETRY.budget is None and DEFAULT_RETRY.second_tries == 6


def test_the_default_retry_budget_grows_with_the_job():
    assert DEFAULT_RETRY.budget_for(10) == DEFAULT_RETRY.min_budget == 200
    assert DEFAULT_RETRY.budget_for(40_000) == 10_000
    assert DEFAULT_RETRY.budget_for(40_003) == 10_000  # a quarter, rounded down


def test_a_budget_that_is_set_wins_and_for_job_fixes_it():
    assert RetryPolicy(budget=7).budget_for(40_000) == 7
    assert RetryPolicy(budget=0).for_job(40_000).budget == 0
    fixed = DEFAULT_RETRY.for_job(2_000)
    assert fixed.budget == 500 and dataclasses.replace(fixed, budget=None) == DEFAULT_RETRY


def test_the_policy_is_frozen_and_its_statuses_a_frozenset():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_RETRY.retries = 1  # type: ignore[misc]
    policy = RetryPolicy(statuses={500})  # type: ignore[arg-type]
    assert isinstance(policy.statuses, frozenset) and hash(policy) == hash(RetryPolicy(statuses=frozenset({500})))


def test_backoff_doubles_from_the_base_up_to_the_cap():
    policy = RetryPolicy(backoff_base_s=1.0, backoff_cap_s=10.0)
    assert [policy.backoff_ceiling(n) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_may_retry_counts_retries_after_the_first_send():
    assert [RetryPolicy(retries=2).may_retry(n) for n in range(4)] == [True, True, False, False]
    assert not RetryPolicy(retries=0).may_retry(0)


def test_only_listed_statuses_of_calls_that_may_be_repeated_are_retried():
    assert DEFAULT_RETRY.retries_status(503, replayable=True)
    assert not DEFAULT_RETRY.retries_status(503, replayable=False)  # a create's 5xx may hide a commit
    assert not DEFAULT_RETRY.retries_status(500, replayable=True)


@pytest.mark.parametrize("fields", [{"retries": -1}, {"budget": -1}, {"second_tries": -1}, {"min_budget": -1},
                                    {"backoff_base_s": 0.0}, {"backoff_base_s": 5.0, "backoff_cap_s": 1.0},
                                    {"budget_share": 1.5}])
def test_a_policy_that_makes_no_sense_is_refused(fields):
    with pytest.raises(ValueError, match="RetryPolicy"):
        RetryPolicy(**fields)


def test_both_clients_take_the_default_policy_and_no_retry_numbers_of_their_own():
    smartyads = SmartyAdsClient("http://sandbox.test", "a@b.test", "secret")
    iqm = IQMClient("http://iqm.test", "id", "secret", "a@b.test", "secret", "host.test")
    assert smartyads.retry is DEFAULT_RETRY and iqm.retry is DEFAULT_RETRY
    for client in (smartyads, iqm):
        assert not {"max_retries", "backoff_base_s", "backoff_cap_s", "retry_budget"} & set(vars(client))
    asyncio.run(smartyads.aclose())
    asyncio.run(iqm.aclose())


def _get_campaign_1(platform: Platform, retry: RetryPolicy, answers: list[httpx.Response]):
    platform.campaigns[1] = campaign_json(1)
    platform.script[("GET", "/api/campaigns/1")] = answers

    async def go():
        async with make_client(platform, retry=retry) as api:
            try:
                return await api.get_campaign(1), api.stats
            except ApiError as exc:
                return exc, api.stats

    return asyncio.run(go())


def test_the_core_retries_the_statuses_its_policy_names():
    platform = Platform()
    found, stats = _get_campaign_1(platform, RetryPolicy(statuses=frozenset({500})), [httpx.Response(500)] * 2)
    assert found.id == 1 and stats.retries == 2 and len(platform.sent("GET")) == 3

    platform = Platform()
    refused, stats = _get_campaign_1(platform, RetryPolicy(statuses=frozenset({500})), [httpx.Response(503)])
    assert isinstance(refused, ApiError) and refused.status_code == 503 and stats.retries == 0
    assert len(platform.sent("GET")) == 1


def test_a_policy_without_retries_sends_each_call_once():
    platform = Platform()
    refused, stats = _get_campaign_1(platform, RetryPolicy(retries=0), [httpx.Response(503)])
    assert refused.status_code == 503 and stats.retries == 0 and len(platform.sent("GET")) == 1


def test_429s_are_backed_off_by_the_policy_and_spend_its_budget_unless_they_say_when():
    platform, fake = Platform(), FakeTime()
    platform.campaigns[1] = campaign_json(1)

    async def go(retry: RetryPolicy):
        async with make_client(platform, fake=fake, retry=retry) as api:
            api._jitter = lambda low, high: high
            await api.login()
            started = fake.now
            await api.get_campaign(1)
            return fake.now - started

    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(429)] * 2
    assert asyncio.run(go(RetryPolicy(backoff_base_s=3.0, backoff_cap_s=4.0))) >= 3.0 + 4.0
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(429, headers={"Retry-After": "7"})] * 2
    assert asyncio.run(go(RetryPolicy(budget=0))) >= 7.0 + 7.0  # pacing: no budget spent
    platform.script[("GET", "/api/campaigns/1")] = [httpx.Response(429)]
    with pytest.raises(RunStopped, match=r"retry budget \(0 retries\)"):
        asyncio.run(go(RetryPolicy(budget=0)))


@pytest.mark.slow  # an HTTP sandbox, retried until the budget is spent
def test_the_cli_retry_budget_reaches_the_client(monkeypatch, tmp_path, write_campaigns_xlsx):
    from bulkops.sandbox import SandboxConfig, running

    monkeypatch.setenv("BULKOPS_SMARTYADS_EMAIL", "demo@bulkops.test")
    monkeypatch.setenv("BULKOPS_SMARTYADS_PASSWORD", "sandbox")
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))
    path = write_campaigns_xlsx([campaign()])
    with running(SandboxConfig(fail_rate=1.0, seed=1)) as srv:  # every request but the login: 503
        result = CliRunner().invoke(cli, ["push", str(path), "-p", "smartyads", "--base-url", srv.base_url,
                                          "-o", str(tmp_path / "r.xlsx"), "--retry-budget", "2", "--quiet"])
    assert result.exit_code == 1, result.output
    assert "retry budget (2 retries) is spent" in result.output
