"""Regenerate the blank templates committed under templates/ (a test fails when they drift):

    python -m bulkops._regen_templates [TEMPLATES_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from bulkops._data import shipped_folder
from bulkops.io import write_csv_template, write_template
from bulkops.kinds import PLATFORMS, kinds_for

TEMPLATES = shipped_folder("templates")


def regenerate(root: Path = TEMPLATES) -> list[Path]:
    written = []
    for platform in PLATFORMS:
        kinds = kinds_for(platform)
        written.append(write_template(kinds, root / platform / "all.xlsx"))
        for kind in kinds:
            written.append(write_template((kind,), root / platform / f"{kind.name}.xlsx"))
            written.append(write_csv_template(kind, root / platform / f"{kind.name}.csv"))
    return written


if __name__ == "__main__":
    for path in regenerate(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES):
        print(path)
