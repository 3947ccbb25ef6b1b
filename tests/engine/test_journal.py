"""The account's journal itself: the questions a run asks it, and a file an earlier version made."""

from __future__ import annotations

from bulkops.engine import DONE, INTENT, Journal


def test_an_earlier_runs_creates_are_found_and_this_runs_are_each_its_own(tmp_path):
    def done(journal: Journal, key: str, object_id: int) -> None:
        journal.record(key, kind="campaigns", action="create", state=DONE, fingerprint="f", natural_key="Alpha",
                       ref="a", result_id=object_id)

    with Journal(tmp_path / "j.sqlite", scope="s") as journal:
        done(journal, "before", 41)  # recorded before any run was started: its run is none
        assert journal.created_named("campaigns", "Alpha", "mine") == []  # this journal's own work so far
        journal.start_run(inputs=["campaigns.csv"], results="out-a.xlsx")
        done(journal, "earlier", 42)
        journal.start_run(inputs=["campaigns.csv"], results="out-b.xlsx")
        done(journal, "now", 43)
        journal.record("sent", kind="campaigns", action="create", state=INTENT, fingerprint="f", natural_key="Alpha")
        assert [e.result_id for e in journal.created_named("campaigns", "Alpha", "mine")] == [42, 41]
        assert getattr(journal.created_with_ref("campaigns", "a", "mine"), "result_id", None) == 42
        assert journal.created_with_ref("campaigns", "a", "earlier") is not None  # another key's: "before"
        assert journal.pending_alike("campaigns", "Alpha", None, "mine") is None  # "sent" is this run's


def test_claimed_ids_are_those_a_finished_record_holds_among_the_ones_asked(tmp_path):
    with Journal(tmp_path / "j.sqlite", scope="s") as journal:
        for object_id in (3, 600, 1200):
            journal.record(f"k{object_id}", kind="campaigns", action="create", state=DONE, fingerprint="f",
                           result_id=object_id)
        journal.record("sent", kind="campaigns", action="create", state=INTENT, fingerprint="f", result_id=7)
        journal.record("other", kind="creatives", action="create", state=DONE, fingerprint="f", result_id=8)
        # More IDs than one statement may carry on an old SQLite: asked in parts, none lost at their seams.
        assert journal.claimed("campaigns", range(1, 1301)) == {3, 600, 1200}
        assert journal.claimed("campaigns", [7, 8, 1200, 1200]) == {1200}
        assert journal.claimed("campaigns", []) == set()
