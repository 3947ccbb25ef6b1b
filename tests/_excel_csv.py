"""CSV files as spreadsheet programs save them, byte for byte.

Excel's plain "CSV" in German, French, Spanish or Italian settings: cp1252 bytes, `;` between fields,
',' as the decimal mark, CRLF line ends, a field quoted only when it holds the separator, a quote or a
line break. In English settings the same with `,`; "Unicode text" is tab-separated UTF-16.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path


def write_excel_csv(path: Path, rows: Sequence[Sequence[object]], *, separator: str = ";",
                    encoding: str = "cp1252") -> Path:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=separator, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerows(
        [["" if cell is None else str(cell) for cell in row] for row in rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path
