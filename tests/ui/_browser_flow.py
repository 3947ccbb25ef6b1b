"""A buyer's session in `bulkops ui`, written once for every browser the tests drive.

Selenium (Chromium) and marionette-driver (Firefox) find elements with the same WebDriver locator
strategies ("id", "css selector", ...) and their elements share `text`, `get_attribute`, `click`,
`send_keys` and `find_elements`; what differs (opening a page, setting a field, screenshots, where
downloads land) is the small `Page` protocol each test implements."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import openpyxl

from bulkops.sandbox import SandboxServer
from tests._stats import stock_smartyads
from tests.conftest import campaign

ID = "id"
CSS = "css selector"
XPATH = "xpath"
TAG = "tag name"
WAIT_S = 30


class Page(Protocol):
    downloads: Path

    def open(self, address: str) -> None: ...
    def url(self) -> str: ...
    def source(self) -> str: ...
    def find(self, by: str, value: str) -> Any: ...
    def find_all(self, by: str, value: str) -> list[Any]: ...
    def set_value(self, element: Any, value: str) -> None: ...
    def shoot(self, name: str, section: str | None = None) -> None: ...


def wait_for(condition: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {WAIT_S} s for {what}")


def _button(label: str) -> str:
    return f"//button[normalize-space()='{label}']"


def check_push_and_download(page: Page, address: str, server: SandboxServer,
                            write_campaigns_xlsx: Callable[..., Path]) -> None:
    """A bad cell named, a good workbook planned and pushed row by row, its results downloaded, a report run."""
    bad = write_campaigns_xlsx([campaign(), campaign(ref="c2", name="Two", type="billboard")], name="bad.xlsx")
    good = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(3)], name="good.xlsx")
    page.open(address)
    assert "token=" not in page.url()  # the address loses the token once it is a cookie
    assert "Credentials for smartyads: from the environment" in page.source()
    page.shoot("1-start")

    page.find(ID, "files").send_keys(str(bad))
    problem = wait_for(lambda: page.find_all(CSS, "table.problems tbody tr.error"), "the problem's row")[0]
    cells = [td.text for td in problem.find_elements(TAG, "td")]
    assert cells[:5] == ["bad.xlsx", "Campaigns", "3", "Type", "error"] and "billboard" in cells[5]
    marked = page.find(CSS, "table.sheet td.error")
    assert marked.text.startswith("billboard") and "billboard" in marked.get_attribute("title")
    page.shoot("2-problems", "check")

    page.find(ID, "files").send_keys(str(good))
    wait_for(lambda: "good.xlsx: 3 rows" in page.find(ID, "check").text, "the good file's check")
    assert not page.find_all(CSS, "table.problems")
    page.find(XPATH, _button("4. Plan")).click()
    wait_for(lambda: "3 create" in page.find(ID, "plan").text, "the plan")
    page.shoot("3-plan", "plan")

    page.find(XPATH, _button("5. Push")).click()
    wait_for(lambda: "Every row was done" in page.find(ID, "push").text, "the push's end")
    statuses = [tr.find_elements(TAG, "td")[2].text for tr in page.find_all(CSS, "#live-rows tr")]
    assert statuses == ["created"] * 3
    assert not page.find_all(XPATH, _button("Cancel"))  # nothing left to cancel
    page.shoot("4-pushed", "push")

    page.find(CSS, "#finished a.download").click()
    # A browser writes a download under a temporary name first; the .xlsx is there once it is complete.
    results = wait_for(lambda: list(page.downloads.glob("*.xlsx")), "the results workbook")[0]
    sheet = wait_for(lambda: _workbook_or_none(results), "the results workbook written whole")["Campaigns"]
    status = [c.value for c in sheet[1]].index("Status")
    assert [row[status].value for row in sheet.iter_rows(min_row=2)] == ["created"] * 3

    stock_smartyads(server, campaigns=2, creatives_each=2)  # campaigns with creatives deliver, and are counted
    for field, day in (("report-from", "2026-03-01"), ("report-to", "2026-03-06")):
        page.set_value(page.find(ID, field), day)
    page.find(XPATH, _button("Report")).click()
    wait_for(lambda: "rows from 2026-03-01 to 2026-03-06" in page.find(ID, "report").text, "the report")
    page.shoot("5-report", "step-account")


def _workbook_or_none(path: Path) -> openpyxl.Workbook | None:
    try:
        return openpyxl.load_workbook(path)
    except (zipfile.BadZipFile, OSError, EOFError):  # still being written: empty, or a truncated zip
        return None
