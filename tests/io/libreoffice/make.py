"""Makes the workbooks beside this file the way LibreOffice saves them (LibreOffice Calc 7.4).

Each is a bulkops template filled in with openpyxl (TRUE/FALSE as real boolean cells, as a buyer
types them), then opened and saved by LibreOffice:

    soffice --headless --convert-to xlsx --outdir OUT in.xlsx

which re-saves it as LibreOffice writes every .xlsx: each boolean cell becomes a constant formula
with its value (`<c r="F2" s="0" t="b"><f aca="false">TRUE()</f><v>1</v></c>`), and each formula
keeps the value LibreOffice calculated. Needs LibreOffice (`apt-get install -y
libreoffice-calc-nogui`); run `python -m tests.io.libreoffice.make` to make them again.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl

from bulkops.io import write_filled

HERE = Path(__file__).resolve().parent

CAMPAIGNS = [
    {"ref": "north", "name": "North", "type": "banner", "aDomain": "shop.example.com", "dateStart": "2027-03-01",
     "dateEnd": "2027-03-31", "isTablet": False, "isSmartphone": True, "frequency": True, "frequencyType": "user",
     "frequencyCap": 3, "frequencyPeriod": 1},
    {"ref": "south", "name": "South", "type": "video", "aDomain": "shop.example.com", "dateStart": "2027-03-01",
     "dateEnd": "2027-03-31", "isTablet": True, "isSmartphone": False, "isRewarded": True},
]
ZIPS = [
    {"campaign": "north", "zip": "02134", "iso2": "US", "include": True},
    {"campaign": "north", "zip": "10001", "iso2": "US", "include": False},
    {"campaign": "south", "zip": "60601", "iso2": "US", "include": True},
]


def booleans(folder: Path) -> Path:
    """A job of two campaigns and their ZIPs whose flags are boolean cells."""
    return write_filled(folder / "booleans.xlsx", "smartyads", {"campaigns": CAMPAIGNS, "geo-zip": ZIPS})


def formulas(folder: Path) -> Path:
    """One campaign whose Daily Spend Limit is a formula (=B2*2 of a notes column holding 150, so it
    shows 300) and whose Tablet cell is a formula that is not a constant (=1=1, showing TRUE)."""
    path = write_filled(folder / "formulas.xlsx", "smartyads", {"campaigns": CAMPAIGNS[:1]})
    book = openpyxl.load_workbook(path)
    sheet = book["Campaigns"]
    column = {cell.value: cell.column_letter for cell in sheet[1]}
    notes = sheet.max_column + 1
    sheet.cell(row=1, column=notes, value="# base")
    sheet.cell(row=2, column=notes, value=150)
    base = sheet.cell(row=2, column=notes).column_letter
    sheet[f"{column['Daily Spend Limit']}2"] = f"={base}2*2"
    sheet[f"{column['Tablet']}2"] = "=1=1"
    book.save(path)
    return path


def sheets(folder: Path) -> Path:
    """The boolean job with a copy of its Geo ZIP sheet, named as Excel names a copy (`Geo ZIP (2)`),
    and a sheet of the buyer's own notes."""
    path = booleans(folder)
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book["Geo ZIP"])
    copy.title = "Geo ZIP (2)"
    copy["B2"] = "94103"
    book.create_sheet("My notes")["A1"] = "call the agency on Monday"
    path = folder / "sheets.xlsx"
    book.save(path)
    return path


def saved_by_libreoffice(source: Path, target_folder: Path) -> Path:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", out, str(source)],
                       check=True, capture_output=True, timeout=300)
        target = target_folder / source.name
        shutil.copyfile(Path(out) / source.name, target)
        return target


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        for build in (booleans, formulas, sheets):
            folder = Path(work) / build.__name__
            folder.mkdir()
            print(saved_by_libreoffice(build(folder), HERE))


if __name__ == "__main__":
    main()
