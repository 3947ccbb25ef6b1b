"""Validation reads any sheet that gives what `SheetInput` declares, not only io's reader's."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import Decimals, Kind, kind_named
from bulkops.validation import CREATE, validate_sheets


@dataclass
class PlainSheet:
    path: Path
    title: str
    kind: Kind
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    decimal: Decimals | None = None

    @property
    def file(self) -> str:
        return self.path.name

    def header(self, field_name: str) -> str:
        return self.kind.column(field_name).label


def test_a_sheet_from_elsewhere_is_validated_like_a_read_one(tmp_path):
    kind = kind_named("smartyads", "geo-zip")
    frame = pd.DataFrame({"campaign": ["12", "12"], "zip": [2134, "ABCDEFGHIJKLMNOPQ"], "iso2": ["US", "GB"]},
                         index=[2, 3], dtype=object)
    (checked,) = validate_sheets([PlainSheet(tmp_path / "zips.xlsx", "Geo ZIP", kind, frame)])
    assert checked.values.at[2, "zip"] == "02134"
    assert list(checked.actions) == [CREATE, CREATE]
    errors = [(p.row, p.column, p.code) for p in checked.problems if p.is_error]
    assert errors == [(3, "Latitude", "required"), (3, "ZIP", "length")]
