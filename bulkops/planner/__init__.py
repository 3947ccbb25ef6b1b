"""Planning a job: its operations and groups (`_plan`), the journal key of what each row asks
(`_keys`), the outcome of every row (`_outcome`: a plan carries the outcomes settled before sending)
and the diff against live state (`_diff`). Running the plan is the engine's."""

from bulkops.planner._diff import Diff, LiveState, apply_diff, can_diff, exact_values, read_live, reads_live, touched_by
from bulkops.planner._keys import created_from, media_key
from bulkops.planner._outcome import SUCCESS, UNCHANGED_NOTE, RowKey, RowOutcome, Status
from bulkops.planner._plan import (
    DEFAULT_ITEM_CAP,
    Group,
    Member,
    Operation,
    Plan,
    appendable_kinds,
    build_plan,
    file_refs,
    group_fingerprint,
)

__all__ = [
    "DEFAULT_ITEM_CAP", "SUCCESS", "UNCHANGED_NOTE", "Diff", "Group", "LiveState", "Member", "Operation", "Plan",
    "RowKey", "RowOutcome", "Status", "appendable_kinds", "apply_diff", "build_plan", "can_diff", "created_from",
    "exact_values", "file_refs", "group_fingerprint", "media_key", "read_live", "reads_live", "touched_by"
]
