"""Make the LibreOffice-written inputs of tests/io/test_results_ids.py: a filled Campaigns
template saved by LibreOffice Calc as it is, and the same with its ID column deleted in Calc.

Run with the Python that has LibreOffice's `uno` module (not the project's venv), after writing the
filled template with the venv:

    .ci/bootstrap python -c "from tests.io.test_results_ids import filled_template as f; f('/tmp/filled.xlsx')"
    /usr/bin/python3 tests/io/data/libreoffice.py /tmp/filled.xlsx tests/io/data
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

PORT = 2099


def _property(name: str, value: object) -> PropertyValue:
    found = PropertyValue()
    found.Name, found.Value = name, value
    return found


def _desktop():
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            context = resolver.resolve(f"uno:socket,host=127.0.0.1,port={PORT};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:  # noqa: BLE001 - LibreOffice is still starting
            time.sleep(0.5)
    raise SystemExit("LibreOffice did not start")


def _save(desktop, source: Path, target: Path, *, delete_id: bool) -> None:
    book = desktop.loadComponentFromURL(source.resolve().as_uri(), "_blank", 0, (_property("Hidden", True),))
    if delete_id:
        book.Sheets.getByName("Campaigns").Columns.removeByIndex(1, 1)  # column B: ID
    book.storeToURL(target.resolve().as_uri(), (_property("FilterName", "Calc MS Excel 2007 XML"),))
    book.close(True)


def main(source: str, folder: str) -> None:
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore",
                               f"--accept=socket,host=127.0.0.1,port={PORT};urp;"])
    try:
        desktop = _desktop()
        _save(desktop, Path(source), Path(folder) / "campaigns-libreoffice.xlsx", delete_id=False)
        _save(desktop, Path(source), Path(folder) / "campaigns-libreoffice-no-id.xlsx", delete_id=True)
    finally:
        office.terminate()


if __name__ == "__main__":
    main(*sys.argv[1:])
