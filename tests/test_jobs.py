"""The library's push job: rows an earlier run finished keep their IDs; where the account's journal
lives and how an account is named."""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path

import pytest

from bulkops._config import Credentials
from bulkops._jobs import _keep_earlier_work, account_scope, journal_path_for, state_dir
from bulkops.engine import DONE, Journal
from bulkops.planner import RowOutcome, Status
from tests.conftest import campaign
from tests.engine.test_execute import plan_for


def test_a_stopped_run_still_shows_what_an_earlier_run_created(write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([campaign(ref="a", name="Alpha"), campaign(ref="b", name="Beta")])
    plan = plan_for(path)
    alpha, beta = plan.operations
    with Journal(tmp_path / "j.sqlite", scope="test") as journal:
        journal.record(alpha.key, kind="campaigns", action="create", state=DONE, fingerprint=alpha.fingerprint,
                       natural_key=alpha.natural_key, result_id=41)
        outcomes = {alpha.row_key: RowOutcome(Status.NOT_RUN, "not sent: interrupted"),
                    beta.row_key: RowOutcome(Status.NOT_RUN, "not sent: interrupted")}
        _keep_earlier_work(plan, journal, outcomes)
    assert (outcomes[alpha.row_key].status, outcomes[alpha.row_key].id) == (Status.CREATED, 41)
    assert outcomes[beta.row_key].status is Status.NOT_RUN


# -- where the journal lives ----------------------------------------------------------------------

def smartyads(email: str = "demo@bulkops.test") -> Credentials:
    return Credentials("smartyads", {"email": email, "password": "never-stored"})


def iqm(host: str = "sandbox.bulkops.test", email: str = "demo@bulkops.test") -> Credentials:
    return Credentials("iqm", {"client_id": "c", "client_secret": "s", "email": email, "password": "p", "host": host})


def test_the_state_folder_is_bulkops_state_dir_else_xdg_state_home_else_local_state(tmp_path):
    home = {"HOME": str(tmp_path)}
    assert state_dir({"BULKOPS_STATE_DIR": "/x/state", "XDG_STATE_HOME": "/y", **home}) == Path("/x/state")
    assert state_dir({"XDG_STATE_HOME": "/y", **home}) == Path("/y/bulkops")
    assert state_dir({"BULKOPS_STATE_DIR": "", "XDG_STATE_HOME": "", **home}) == Path.home() / ".local/state/bulkops"


def test_tests_never_touch_the_real_state_folder(state_folder):
    assert state_dir() == state_folder and Path.home() not in state_folder.parents


def test_an_account_is_its_platform_base_url_and_login_identity_and_nothing_else():
    scope = account_scope("smartyads", "https://dsp-api.smartyads.com", smartyads())
    assert scope == account_scope("smartyads", "https://DSP-api.smartyads.com/", smartyads("Demo@BulkOps.test"))
    assert scope == account_scope("smartyads", "https://dsp-api.smartyads.com",
                                  Credentials("smartyads", {"email": "demo@bulkops.test", "password": "other"}))
    others = {account_scope("smartyads", "https://dsp-api.smartyads.com", smartyads("other@bulkops.test")),
              account_scope("smartyads", "http://127.0.0.1:8900", smartyads()),
              account_scope("iqm", "https://dsp-api.smartyads.com", iqm()),
              account_scope("iqm", "https://dsp-api.smartyads.com", iqm(host="other.example"))}
    assert scope not in others and len(others) == 4
    assert re.fullmatch(r"[0-9a-f]{32}", scope)  # a digest: no email, no part of a credential


def test_the_journal_is_private_to_its_owner(tmp_path):
    folder = tmp_path / "state" / "bulkops"
    path = journal_path_for(account_scope("smartyads", "http://127.0.0.1:1", smartyads()), folder)
    with Journal(path, scope="s") as journal:
        journal.start_run(inputs=["campaigns.csv"], results="out.xlsx")
        journal.record("k", kind="campaigns", action="create", state=DONE, fingerprint="f", result_id=1)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.name.startswith("journal-") and b"demo@bulkops.test" not in path.read_bytes()


def test_a_row_settled_from_an_earlier_run_names_it(tmp_path):
    with Journal(tmp_path / "j.sqlite", scope="s") as journal:
        first = journal.start_run(inputs=["/jobs/campaigns.csv"], results="/out/out-a.xlsx",
                                  started_at=dt.datetime(2026, 12, 6, 14, 2, tzinfo=dt.UTC))
        local = dt.datetime(2026, 12, 6, 14, 2, tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
        assert journal.run_label(first) == f"{local}, campaigns.csv → out-a.xlsx"


def test_a_state_folder_bulkops_cannot_write_is_a_clear_error_and_nothing_is_sent(tmp_path, monkeypatch):
    from bulkops._exceptions import ConfigError
    from bulkops._jobs import push_files

    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    path = tmp_path / "campaigns.csv"
    path.write_text("Name,Type,Advertiser Domain\nAlpha,banner,a.example.com\n")
    sent = []
    monkeypatch.setattr("bulkops._jobs._run", lambda *a, **k: sent.append(1))
    with pytest.raises(ConfigError, match="BULKOPS_STATE_DIR"):
        push_files([path], "smartyads", base_url="http://127.0.0.1:9", creds=smartyads(),
                   state_folder=blocked / "state")
    assert sent == [] and (tmp_path / "campaigns-results.xlsx").exists()  # every row still has its status
