"""What the platform kept of a write, against what was sent: one comparison and one wording for
every platform's steps (nothing here knows a platform).

Values are compared in the coercer's value space (`bulkops.kinds.same`, the conversion an
export uses), so a number the platform gives back as text, a date with a time, or a list in another
order is what was sent. A field the platform did not keep fails its row with
"Daily Spend Limit: sent 150, the platform kept 100"; a list item it does not hold after the write
fails that item's row with NOT_HELD.

The journal keeps a write whose answer showed a field not kept as done (the object exists: a create
is never made twice), with its message starting with NOT_KEPT_MARK; a later run of the same job
reports it again, failed, instead of sending the same write blindly (see `_execute.settled_earlier`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bulkops.kinds import Kind, same, shown

NOT_HELD = "sent, but the platform does not hold it"
NOT_KEPT_MARK = "not kept: "  # how the journal tells a write the platform answered but did not keep


@dataclass(frozen=True)
class NotKept:
    """One field the platform's answer shows with another value than the one sent."""

    field: str
    sent: Any
    kept: Any


@dataclass(frozen=True)
class Written:
    """A create's or update's answer, checked: the object's ID and the fields it did not keep."""

    id: int
    not_kept: tuple[NotKept, ...] = ()


def written(result: Any, object_id: int | None = None) -> Written:
    """An adapter's answer to a create or update as a `Written`: adapters that check nothing return
    the new ID (a create) or None (an update of `object_id`)."""
    if isinstance(result, Written):
        return result
    if isinstance(result, int) and not isinstance(result, bool):
        return Written(result)
    assert object_id is not None, "an update's answer needs the ID it was sent for"
    return Written(object_id)


def not_kept(kind: Kind, sent: Mapping[str, Any], kept: Mapping[str, Any]) -> tuple[NotKept, ...]:
    """Each field of `sent` (typed values by API field) that `kept` (the answer, typed the same way)
    shows with another value. A field the answer does not show at all cannot be checked: skipped."""
    return tuple(NotKept(name, value, kept[name]) for name, value in sent.items()
                 if value is not None and name in kept and not same(kind, name, kept[name], value))


def describe(misses: tuple[NotKept, ...], header: Callable[[str], str]) -> str:
    """"Daily Spend Limit: sent 150, the platform kept 100", one clause per field, named as the
    user's header reads."""
    return "; ".join(f"{header(m.field)}: sent {shown(m.sent)}, the platform kept {shown(m.kept)}" for m in misses)


def journal_message(text: str) -> str:
    return f"{NOT_KEPT_MARK}{text}"


def not_kept_text(message: str | None) -> str | None:
    """The not-kept text of a journal message, or None when the write was kept."""
    if message and message.startswith(NOT_KEPT_MARK):
        return message[len(NOT_KEPT_MARK):]
    return None
