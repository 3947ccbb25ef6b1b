"""IQM campaign status against the IQM sandbox: the export writes each campaign's Status and lists on
its Summary what no sheet holds; many campaigns are paused and resumed through the campaign guide's
Update Campaign, one request each, a run stopped half way and run again sends none twice, and a status
IQM sets itself is not sent while the rest of its row is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import bulkops
from bulkops.cli import cli
from bulkops.platforms.iqm.kinds import CAMPAIGNS
from bulkops.sandbox import CAMPAIGN
from tests.test_e2e_iqm import campaign_row
from tests.test_e2e_iqm_updates import ACCOUNT, ENV, image, job, push, rows_of, server, write_csv, writes  # noqa: F401
from tests.test_e2e_status import _unmodelled_table

pytestmark = pytest.mark.slow

NAMES = ("North", "South", "East")


@pytest.fixture
def three(server, job, tmp_path) -> list[int]:  # noqa: F811 - the fixtures
    """Three running campaigns, launched through the CLI; their IDs."""
    path = job({"campaigns": [campaign_row(ref=f"c{n}", campaignName=name) for n, name in enumerate(NAMES)],
                "creatives": [image(f"i{n}", f"c{n}") for n in range(len(NAMES))]})
    result, _ = push(path, server.base_url, "-o", str(tmp_path / "launch-results.xlsx"))
    assert result.exit_code == 0, result.output
    ids = sorted(c["id"] for c in server.sandbox.iqm_campaigns())
    for campaign_id in ids:
        _store(server, campaign_id, status="running")
    return ids


def _store(srv, campaign_id: int, **fields: object) -> None:
    stored = next(c for c in srv.sandbox.iqm_campaigns() if c["id"] == campaign_id)
    srv.sandbox.store.put(CAMPAIGN, campaign_id, {**stored, **fields})


def _statuses(srv) -> list[str]:
    return [c["status"] for c in sorted(srv.sandbox.iqm_campaigns(), key=lambda c: c["id"])]


def _status_csv(path: Path, ids: list[int], status: str) -> Path:
    return write_csv(path, ["ID", "Campaign Status"], [[str(i), status] for i in ids])


def _patches(ids: list[int]) -> list[str]:
    return [f"PATCH /api/v2/cmp/campaign/{i}" for i in ids]


def test_an_iqm_export_writes_each_campaigns_status_and_lists_what_no_sheet_holds(server, three,  # noqa: F811
                                                                                  tmp_path):
    _store(server, three[1], status="paused", dspMargin=7.5, isLocationWithOrFilter=False)
    out = tmp_path / "state.xlsx"
    result = CliRunner().invoke(cli, ["export", "-p", "iqm", "--base-url", server.base_url, "--quiet", "--json",
                                      "-o", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    assert [r["Campaign Status"] for r in rows_of(out, "Campaigns")] == ["running", "paused", "running"]
    table = _unmodelled_table(out)
    assert json.loads(result.stdout.strip().splitlines()[-1])["not_in_any_sheet"] == len(table)
    mine = {field: value for _, ref, field, value in table if ref == f"campaign-{three[1]}"}
    assert (mine["dspMargin"], mine["isLocationWithOrFilter"]) == ("7.5", "false")
    listed = {field for _, _, field, _ in table}
    assert not listed & {c.field for c in CAMPAIGNS.columns}
    assert not listed & {"owId", "uowId", "createDate", "whiteListedZipcodes", "userDealId", "schedule"}


def test_many_iqm_campaigns_pause_and_resume_one_update_each_and_a_stopped_run_repeats_none(server,  # noqa: F811
                                                                                             three, tmp_path):
    pause = _status_csv(tmp_path / "campaigns.csv", three, "paused")
    stop = bulkops.StopHandle()
    server.sandbox.reset_request_log()

    def stop_after_one(event: bulkops.Progress) -> None:
        if any(r.method == "PATCH" for r in list(server.sandbox.request_log)):
            stop.stop()

    with pytest.raises(bulkops.Interrupted):
        bulkops.push(str(pause), platform="iqm", base_url=server.base_url, credentials=ACCOUNT, concurrency=1,
                     output=str(tmp_path / "stopped.xlsx"), progress=stop_after_one, stop=stop)
    assert _statuses(server).count("paused") < len(three)
    result, summary = push(pause, server.base_url, "-o", str(tmp_path / "paused.xlsx"))
    assert result.exit_code == 0, result.output
    assert sorted(writes(server)) == sorted(_patches(three))  # each campaign once, over both runs
    assert _statuses(server) == ["paused"] * len(three)
    messages = [r["Message"] for r in rows_of(tmp_path / "paused.xlsx", "Campaigns")]
    assert sum("Campaign Status running → paused" in m for m in messages) >= 1
    assert all(m.startswith("status: paused") for m in messages), messages

    server.sandbox.reset_request_log()
    result, summary = push(pause, server.base_url, "-o", str(tmp_path / "again.xlsx"))
    assert result.exit_code == 0 and writes(server) == []
    assert summary["counts"]["Campaigns"] == {"unchanged": len(three)}

    resume = _status_csv(tmp_path / "campaigns.csv", three, "running")
    server.sandbox.reset_request_log()
    result, summary = push(resume, server.base_url, "-o", str(tmp_path / "resumed.xlsx"))
    assert result.exit_code == 0, result.output
    assert writes(server) == _patches(three)
    # The fewest requests: each campaign read once before the run, one update each, one read-back.
    assert [f"{r.method} {r.path}" for r in server.sandbox.request_log if not r.path.endswith("/login")] == [
        *(f"GET /api/v2/cmp/campaign/{i}" for i in three), *_patches(three),
        "POST /api/v3/cmp/customer/campaigns/list"]
    assert _statuses(server) == ["running"] * len(three)
    assert summary["counts"]["Campaigns"] == {"updated": len(three)}


def test_a_status_iqm_sets_itself_is_not_sent_and_the_rest_of_the_row_goes_on(server, three,  # noqa: F811
                                                                                 tmp_path):
    server.sandbox.reset_request_log()
    path = write_csv(tmp_path / "campaigns.csv", ["ID", "Campaign Status", "Max Bid"],
                     [[str(three[0]), "expired", "8"], [str(three[1]), "expired", "9.5"]])
    result, summary = push(path, server.base_url, "-o", str(tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    assert writes(server) == ["PUT /api/v2/cmp/campaigns/update-budget"]  # the bid alone, batched
    aside = ("Campaign Status expired is not sent: IQM sets it itself (it holds running); only paused or running "
             "can be asked for, to pause or resume")
    rows = rows_of(tmp_path / "r.xlsx", "Campaigns")
    assert [(r["Status"], r["Message"]) for r in rows] == [
        ("unchanged", f"status: running; {aside}"), ("updated", f"status: running; changed: Max Bid 8 → 9.5; {aside}")]
    assert _statuses(server) == ["running"] * len(three)
