"""A report's query: dates and dimensions checked before any login, from Python and from the CLI."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

import bulkops
from bulkops import ConfigError
from bulkops.cli import cli
from bulkops.reporting import ReportQuery, report_query


def test_dimensions_come_in_one_order_whatever_order_they_are_named():
    assert report_query("2026-03-01", dt.date(2026, 3, 2), "creative, DAY") == ReportQuery(
        dt.date(2026, 3, 1), dt.date(2026, 3, 2), ("day", "creative"))


def test_a_bad_query_is_refused_before_any_login():
    with pytest.raises(ConfigError, match="--by takes day, campaign, creative"):
        bulkops.report("smartyads", start="2026-03-01", end="2026-03-02", by="hour", base_url="http://127.0.0.1:9")
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        bulkops.report("iqm", start="01/03/2026", end="2026-03-02", base_url="http://127.0.0.1:9")


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-03-07", "--to", "2026-03-01"], "the report's start (2026-03-07) is after its end"),
    (["--from", "2026-03-01", "--to", "2026-03-07", "--by", "week"], "--by takes day, campaign, creative"),
    (["--from", "7.3.2026", "--to", "2026-03-07"], "--from takes a date as YYYY-MM-DD"),
])
def test_usage_errors_exit_3(args, message, monkeypatch, tmp_path):
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))
    result = CliRunner().invoke(cli, ["report", "-p", "smartyads", *args, "--base-url", "http://127.0.0.1:9"])
    assert result.exit_code == 3 and message in result.output


