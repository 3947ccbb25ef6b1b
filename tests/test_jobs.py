"""The library's push job around a stopped run: rows an earlier run finished keep their IDs."""

from __future__ import annotations

from bulkops._jobs import _keep_earlier_work
from bulkops.run._journal import DONE, Journal
from bulkops.run._outcome import RowOutcome, Status
from tests.conftest import campaign
from tests.run.test_execute import plan_for


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
