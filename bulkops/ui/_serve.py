"""Serving the app: a socket on 127.0.0.1, uvicorn without its access log (a URL may carry the
token), the address printed and opened in the browser, the app's folder removed at exit."""

from __future__ import annotations

import shutil
import socket
import webbrowser
from collections.abc import Callable

import uvicorn

from bulkops._exceptions import ConfigError
from bulkops.ui._app import UiConfig, create_app

HOST = "127.0.0.1"


def serve_ui(*, platform: str | None, base_url: str | None, port: int, open_browser: bool, demo: bool,
             announce: Callable[[str], None]) -> None:
    """Serve until Ctrl-C. The address printed carries the app's token; whoever has it may use the app."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as refused:
        sock.close()
        raise ConfigError(f"cannot listen on {HOST}:{port} ({refused.strerror}); choose another --port, "
                          "or --port 0 for any free one") from None
    sock.listen(128)  # connections wait in the backlog from now on, so the address works once printed
    bound = sock.getsockname()[1]
    config = UiConfig(hosts=(f"{HOST}:{bound}", f"localhost:{bound}"), platform=platform, base_url=base_url,
                      demo=demo)
    app = create_app(config)
    url = f"http://{HOST}:{bound}/?token={config.token}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    announce(f"bulkops ui is at {url}")
    announce("Keep this address to yourself (it lets whoever has it push to your accounts); Ctrl-C stops the app.")
    if open_browser:
        webbrowser.open(url)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        shutil.rmtree(app.state.folder, ignore_errors=True)  # the lifespan's work, if it never ran
