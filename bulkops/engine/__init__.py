"""Running a plan: its steps in dependency order (`_graph`, built by each platform: `steps_of`), the
session with the platform (`_adapters`), the account's journal (`_journal`), the row-level machinery a
platform's steps share (`_execute`: `run_one`, `reconcile`, `record`, ...), the checks of what a
write kept (`_verify`), bulkops's own checks settled (`_own`), and the estimate of requests and time
(`_estimate`). It imports no platform: it asks the registry."""

from bulkops.engine._adapters import DEFAULT_PACE, Pace, SessionOnDemand, open_session
from bulkops.engine._estimate import Estimate, estimate
from bulkops.engine._execute import (
    Adapter,
    Finder,
    ambiguous,
    execute,
    name_locks,
    reconcile,
    record,
    record_intent,
    run_named,
    run_one,
    settled_earlier,
)
from bulkops.engine._graph import Context, Step, StepFailed
from bulkops.engine._journal import DONE, FAILED, INTENT, THIS_RUN, AccountLock, Entry, Journal
from bulkops.engine._legacy import import_legacy
from bulkops.engine._own import lenient, naming_existing, settle_against_live, settle_offline, undocumented_columns
from bulkops.engine._steps import steps_of
from bulkops.engine._verify import NOT_HELD, NotKept, Written, describe, journal_message, not_kept, not_kept_text

__all__ = [
    "DEFAULT_PACE", "DONE", "FAILED", "INTENT", "NOT_HELD", "THIS_RUN", "AccountLock", "Adapter", "Context", "Entry",
    "Estimate", "Finder", "Journal", "NotKept", "Pace", "SessionOnDemand", "Step", "StepFailed", "Written",
    "ambiguous", "describe",
    "estimate", "execute", "import_legacy", "journal_message", "lenient", "name_locks", "naming_existing", "not_kept",
    "not_kept_text", "open_session", "reconcile", "record", "record_intent", "run_named", "run_one",
    "settle_against_live", "settle_offline", "settled_earlier", "steps_of", "undocumented_columns"
]
