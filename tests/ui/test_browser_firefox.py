"""`bulkops ui` in headless Firefox: the session of `test_browser.py` (a bad cell named, a good workbook
planned, pushed row by row and its results downloaded, a report run) driven through Firefox's own
remote protocol, Marionette, by Mozilla's `marionette-driver` (Selenium's Firefox needs geckodriver,
which Debian does not package). JavaScript errors are read from Firefox's console service, in the
browser's chrome context, and must be none.

Skipped, saying why, without `firefox-esr` or `marionette-driver`, CI=true included: the browser CI
requires is Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.ui._browser_flow import check_push_and_download

pytestmark = pytest.mark.slow

FIREFOX = shutil.which("firefox-esr")
START_S = 60

# The console's script errors whose source is the page's origin. An error is an nsIScriptError with
# neither the warning nor the info flag (the error flag is 0); the origin keeps out the browser's own
# messages, which a headless Firefox with no network writes too.
CONSOLE_ERRORS = """
const [origin] = arguments;
const quiet = Ci.nsIScriptError.warningFlag | Ci.nsIScriptError.infoFlag;
return (Services.console.getMessageArray() || [])
  .filter(m => m instanceof Ci.nsIScriptError && !(m.flags & quiet) && m.sourceName.startsWith(origin + "/"))
  .map(m => `${m.sourceName}:${m.lineNumber}: ${m.errorMessage}`);
"""


def _firefox_or_skip() -> None:
    if not FIREFOX:
        pytest.skip("no firefox-esr on this machine (apt-get install -y firefox-esr)")
    pytest.importorskip("marionette_driver", reason="no marionette-driver (pip install -e '.[test]')")


def _write_prefs(profile: Path, downloads: Path) -> None:
    prefs = {
        "marionette.port": 0,  # a free port, which Firefox writes to MarionetteActivePort in the profile
        "browser.download.folderList": 2,
        "browser.download.dir": str(downloads),
        "browser.download.useDownloadDir": True,
        "browser.download.always_ask_before_handling_new_types": False,
        "browser.shell.checkDefaultBrowser": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "app.update.disabledForTesting": True,
    }
    lines = [f"user_pref({_js(name)}, {_js(value)});" for name, value in prefs.items()]
    (profile / "user.js").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _js(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _marionette_port(profile: Path, firefox: subprocess.Popen) -> int:
    written = profile / "MarionetteActivePort"
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if firefox.poll() is not None:
            raise AssertionError(f"firefox-esr exited with {firefox.returncode} before Marionette listened")
        text = written.read_text().strip() if written.exists() else ""
        if text.isdigit():
            return int(text)
        time.sleep(0.1)
    raise AssertionError(f"Marionette did not listen within {START_S} s")


def _stop(firefox: subprocess.Popen) -> None:
    """The browser and every process it started (its own process group), so nothing holds the profile."""
    with suppress(ProcessLookupError):
        os.killpg(firefox.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        firefox.wait(timeout=20)
    # Whatever of the group is left: a content process, or the browser itself when it did not stop.
    with suppress(ProcessLookupError):
        os.killpg(firefox.pid, signal.SIGKILL)
    firefox.wait()


@contextmanager
def headless_firefox(downloads: Path) -> Iterator[Any]:
    """A Marionette session on a fresh headless Firefox; the browser stopped and its profile removed after."""
    from marionette_driver.marionette import Marionette

    with tempfile.TemporaryDirectory(prefix="bulkops-firefox-") as profile:
        _write_prefs(Path(profile), downloads)
        # -remote-allow-system-access lets Marionette switch to the chrome context, where the console is.
        firefox = subprocess.Popen([FIREFOX, "--headless", "--no-remote", "--marionette", "-remote-allow-system-access",
                                    "--profile", profile], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            client = Marionette(host="127.0.0.1", port=_marionette_port(Path(profile), firefox))
            client.start_session()
            try:
                yield client
            finally:
                client.delete_session()
        finally:
            _stop(firefox)


def console_errors(client: Any, address: str) -> list[str]:
    parts = urlsplit(address)
    client.set_context("chrome")
    try:
        return client.execute_script(CONSOLE_ERRORS, script_args=(f"{parts.scheme}://{parts.netloc}",))
    finally:
        client.set_context("content")


class FirefoxPage:
    """The shared session's view of a Marionette-driven Firefox (screenshots are Chromium's alone)."""

    def __init__(self, client: Any, downloads: Path) -> None:
        self.client = client
        self.downloads = downloads

    def open(self, address: str) -> None:
        self.client.navigate(address)

    def url(self) -> str:
        return self.client.get_url()

    def source(self) -> str:
        return self.client.page_source

    def find(self, by: str, value: str) -> Any:
        return self.client.find_element(by, value)

    def find_all(self, by: str, value: str) -> list[Any]:
        return self.client.find_elements(by, value)

    def set_value(self, element: Any, value: str) -> None:
        self.client.execute_script("arguments[0].value = arguments[1]", script_args=(element, value))

    def shoot(self, name: str, section: str | None = None) -> None:
        pass


@pytest.fixture
def firefox(tmp_path) -> Iterator[FirefoxPage]:
    _firefox_or_skip()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with headless_firefox(downloads) as client:
        yield FirefoxPage(client, downloads)


def test_a_buyer_checks_pushes_and_downloads_in_firefox(firefox, live_ui, write_campaigns_xlsx):
    address, server = live_ui
    check_push_and_download(firefox, address, server, write_campaigns_xlsx)

    assert console_errors(firefox.client, address) == []


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_console_check_sees_a_page_error(firefox, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<!DOCTYPE html><title>t</title><script src="broken.js"></script>')
    (site / "broken.js").write_text("not_defined_on_purpose();\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{server.server_port}/"
        firefox.open(address)
        errors = console_errors(firefox.client, address)
        other_origin = console_errors(firefox.client, f"http://127.0.0.1:{server.server_port + 1}/")
    finally:
        server.shutdown()
        server.server_close()
    assert len(errors) == 1 and "not_defined_on_purpose is not defined" in errors[0], errors
    assert other_origin == []
