"""What the Creatives and Filter Lists sheets share as assignments to campaigns: `Mode` `remove` takes an
existing creative (filter list) off the campaigns its row names (19.4, 21.3); the object itself stays."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import APPEND, REMOVE, REPLACE, Column, Kind, SheetContext, mode

__all__ = ["assignment_mode", "remove_needs_id"]


def assignment_mode(what: str) -> Column:
    """The Mode column of a sheet whose rows are assigned to campaigns: replace, append or remove."""
    return mode(what, (REPLACE, APPEND, REMOVE))


def remove_needs_id(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    """A row that removes its object from campaigns names an existing one, by ID: a new one is on none."""
    if "mode" not in frame.columns or "id" not in frame.columns:
        return []
    header, noun = where.header("mode"), kind.sheet[:-1].lower()
    return [where.problem(row, where.header("id"), "required", f"{header} remove takes an existing {noun} off its "
                          f"campaigns: fill its ID")
            for row in frame.index[(frame["mode"] == REMOVE) & frame["id"].isna()]]
