"""`bulkops ui` in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`), driven
by Selenium, against a live `bulkops ui` on 127.0.0.1 pushing to a sandbox. A workbook with a bad cell
shows the cell named; a good one is pushed, its rows' statuses arrive, the results workbook downloads,
and the browser's console has no error.

Without a browser the test is skipped, saying why, except under CI=true, where a missing browser fails
the run. With BULKOPS_UI_SCREENSHOTS=FOLDER it saves the screenshots docs/ui.md shows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from bulkops.sandbox import SandboxConfig, SandboxServer, running
from tests._stats import stock_smartyads
from tests.conftest import campaign

pytestmark = pytest.mark.slow

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
WAIT_S = 30


def _browser_or_skip() -> None:
    if BROWSER and DRIVER:
        return
    missing = "chromium" if not BROWSER else "chromium-driver"
    why = f"no {missing} on this machine (apt-get install -y chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {why}: the browser test must run in CI")
    pytest.skip(why)


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


@pytest.fixture
def live_ui(tmp_path) -> Iterator[tuple[str, SandboxServer]]:
    """`bulkops ui` as a user starts it, on a sandbox; yields the address it printed, and the sandbox."""
    with running(SandboxConfig(latency_ms=150)) as server:
        env = {**os.environ, "BULKOPS_SMARTYADS_EMAIL": server.credentials["email"],
               "BULKOPS_SMARTYADS_PASSWORD": server.credentials["password"],
               "BULKOPS_PROFILE": str(tmp_path / "no-profile.toml")}
        app = subprocess.Popen([sys.executable, "-m", "bulkops", "ui", "--platform", "smartyads", "--base-url",
                                server.base_url, "--port", "0", "--no-browser"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        try:
            line = app.stdout.readline()
            assert line.startswith("bulkops ui is at http://127.0.0.1:"), line + app.stderr.read()
            yield line.split(" at ", 1)[1].strip(), server
        finally:
            app.terminate()
            app.wait(timeout=30)


def _wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {WAIT_S} s for {what}")


def _shoot(chrome, name: str, section: str | None = None) -> None:
    """The page (or one section of it) as docs/ui.md shows it, when BULKOPS_UI_SCREENSHOTS names a folder."""
    from selenium.webdriver.common.by import By

    folder = os.environ.get("BULKOPS_UI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = str(Path(folder) / f"{name}.png")
        if section:
            element = chrome.find_element(By.ID, section)
            chrome.execute_script("arguments[0].scrollIntoView()", element)
            element.screenshot(path)
        else:
            chrome.save_screenshot(path)


def test_a_buyer_checks_pushes_and_downloads_in_the_browser(driver, live_ui, write_campaigns_xlsx):
    from selenium.webdriver.common.by import By

    bad = write_campaigns_xlsx([campaign(), campaign(ref="c2", name="Two", type="billboard")], name="bad.xlsx")
    good = write_campaigns_xlsx([campaign(ref=f"c{i}", name=f"Campaign {i}") for i in range(3)], name="good.xlsx")
    address, server = live_ui
    driver.get(address)
    assert "token=" not in driver.current_url  # the address loses the token once it is a cookie
    assert "Credentials for smartyads: from the environment" in driver.page_source
    _shoot(driver, "1-start")

    driver.find_element(By.ID, "files").send_keys(str(bad))
    problem = _wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "table.problems tbody tr.error"),
                        "the problem's row")[0]
    cells = [td.text for td in problem.find_elements(By.TAG_NAME, "td")]
    assert cells[:5] == ["bad.xlsx", "Campaigns", "3", "Type", "error"] and "billboard" in cells[5]
    marked = driver.find_element(By.CSS_SELECTOR, "table.sheet td.error")
    assert marked.text.startswith("billboard") and "billboard" in marked.get_attribute("title")
    _shoot(driver, "2-problems", "check")

    driver.find_element(By.ID, "files").send_keys(str(good))
    _wait_for(lambda: "good.xlsx: 3 rows" in driver.find_element(By.ID, "check").text, "the good file's check")
    assert not driver.find_elements(By.CSS_SELECTOR, "table.problems")
    driver.find_element(By.XPATH, "//button[normalize-space()='4. Plan']").click()
    _wait_for(lambda: "3 create" in driver.find_element(By.ID, "plan").text, "the plan")
    _shoot(driver, "3-plan", "plan")

    driver.find_element(By.XPATH, "//button[normalize-space()='5. Push']").click()
    _wait_for(lambda: "Every row was done" in driver.find_element(By.ID, "push").text, "the push's end")
    statuses = [tr.find_elements(By.TAG_NAME, "td")[2].text
                for tr in driver.find_elements(By.CSS_SELECTOR, "#live-rows tr")]
    assert statuses == ["created"] * 3
    assert not driver.find_elements(By.XPATH, "//button[normalize-space()='Cancel']")  # nothing left to cancel
    _shoot(driver, "4-pushed", "push")

    driver.find_element(By.CSS_SELECTOR, "#finished a.download").click()
    results = _wait_for(lambda: [p for p in driver.downloads.glob("*.xlsx")], "the results workbook")[0]
    sheet = openpyxl.load_workbook(results)["Campaigns"]
    status = [c.value for c in sheet[1]].index("Status")
    assert [row[status].value for row in sheet.iter_rows(min_row=2)] == ["created"] * 3

    stock_smartyads(server, campaigns=2, creatives_each=2)  # campaigns with creatives deliver, and are counted
    for field, day in (("report-from", "2026-03-01"), ("report-to", "2026-03-06")):
        driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, field), day)
    driver.find_element(By.XPATH, "//button[normalize-space()='Report']").click()
    _wait_for(lambda: "rows from 2026-03-01 to 2026-03-06" in driver.find_element(By.ID, "report").text, "the report")
    _shoot(driver, "5-report", "step-account")

    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
