"""A browser's view of `bulkops ui` through starlette's test client: it opens the printed address, keeps
the cookies, and sends the CSRF header and Origin as htmx in the page does."""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its test client; httpx (bulkops's own HTTP library) still works.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from bulkops.ui import UiConfig, create_app

HOST = "127.0.0.1:8765"
ORIGIN = f"http://{HOST}"


class Browser:
    def __init__(self, client: TestClient, config: UiConfig) -> None:
        self.client, self.config = client, config
        self.seen: list[str] = []  # every answer, headers and body, for the secrets check
        self.csrf = ""

    def open(self) -> str:
        first = self.client.get(f"/?token={self.config.token}", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/"
        page = self.get("/")
        self.csrf = re.search(r'"x-csrf-token": "([^"]+)"', page.text).group(1)
        return page.text

    def get(self, path: str):
        return self._keep(self.client.get(path))

    def post(self, path: str, data: dict | None = None, files=None, headers: dict | None = None):
        sent = {"x-csrf-token": self.csrf, "origin": ORIGIN, "hx-request": "true", **(headers or {})}
        return self._keep(self.client.post(path, data=data, files=files, headers=sent))

    def upload(self, *paths: Path):
        files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
        return self.post("/files", files=files)

    def events(self, last_id: str | None = None) -> list[tuple[str, str]]:
        """The push's server-sent events, to the end of the push (after event `last_id`, as a page
        that reconnects asks for them)."""
        found: list[tuple[str, str]] = []
        asked = {"last-event-id": last_id} if last_id is not None else {}
        with self.client.stream("GET", "/push/events", headers=asked) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            name, data = "", []
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    name = line[len("event: "):]
                elif line.startswith("data: "):
                    data.append(line[len("data: "):])
                elif not line and name:
                    found.append((name, "\n".join(data)))
                    self.seen.append("\n".join(data))
                    name, data = "", []
        return found

    def _keep(self, response):
        self.seen.append(f"{response.headers}\n{response.text}")
        return response


@contextlib.contextmanager
def browsing(**settings) -> Iterator[Browser]:
    config = UiConfig(hosts=(HOST,), **settings)
    app = create_app(config)
    with TestClient(app, base_url=ORIGIN) as client:
        yield Browser(client, config)
    assert not app.state.folder.exists(), "the app's folder is removed when it stops"
