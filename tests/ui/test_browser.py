"""`bulkops ui` in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`), driven
by Selenium, against a live `bulkops ui` on 127.0.0.1 pushing to a sandbox. A workbook with a bad cell
shows the cell named; a good one is pushed, its rows' statuses arrive, the results workbook downloads,
and the browser's console has no error. The session itself is in `_browser_flow.py`, shared with the
Firefox run (`test_browser_firefox.py`).

Without a browser the test is skipped, saying why, except under CI=true, where a missing browser fails
the run. With BULKOPS_UI_SCREENSHOTS=FOLDER it saves the screenshots docs/ui.md shows."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui._browser_flow import ID, check_push_and_download

pytestmark = pytest.mark.slow

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _browser_or_skip() -> None:
    if BROWSER and DRIVER:
        return
    missing = "chromium" if not BROWSER else "chromium-driver"
    why = f"no {missing} on this machine (apt-get install -y chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {why}: the browser test must run in CI")
    pytest.skip(why)


class ChromiumPage:
    """The shared session's view of a Selenium-driven Chromium."""

    def __init__(self, chrome: Any, downloads: Path) -> None:
        self.chrome = chrome
        self.downloads = downloads

    def open(self, address: str) -> None:
        self.chrome.get(address)

    def url(self) -> str:
        return self.chrome.current_url

    def source(self) -> str:
        return self.chrome.page_source

    def find(self, by: str, value: str) -> Any:
        return self.chrome.find_element(by, value)

    def find_all(self, by: str, value: str) -> list[Any]:
        return self.chrome.find_elements(by, value)

    def set_value(self, element: Any, value: str) -> None:
        self.chrome.execute_script("arguments[0].value = arguments[1]", element, value)

    def shoot(self, name: str, section: str | None = None) -> None:
        """The page (or one section of it) as docs/ui.md shows it, when BULKOPS_UI_SCREENSHOTS names a folder."""
        folder = os.environ.get("BULKOPS_UI_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            path = str(Path(folder) / f"{name}.png")
            if section:
                element = self.find(ID, section)
                self.chrome.execute_script("arguments[0].scrollIntoView()", element)
                element.screenshot(path)
            else:
                self.chrome.save_screenshot(path)


@pytest.fixture
def driver(tmp_path) -> Iterator:
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1100,1300"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
    chrome.downloads = downloads
    try:
        yield chrome
    finally:
        chrome.quit()


def test_a_buyer_checks_pushes_and_downloads_in_the_browser(driver, live_ui, write_campaigns_xlsx):
    address, server = live_ui
    check_push_and_download(ChromiumPage(driver, driver.downloads), address, server, write_campaigns_xlsx)

    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
