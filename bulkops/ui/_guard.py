"""Who may talk to the local web app, and what every answer carries.

The app listens on 127.0.0.1, but any page the browser has open can send requests there, so: the
URL printed at start carries a random token (as Jupyter's does); the first visit with it turns it
into an HttpOnly, SameSite=Strict cookie and a session of its own; a request with neither is refused.
A state-changing request is a POST from this app's own origin carrying the session's CSRF token in a
header (htmx sends it on every request). The Host header must name the app itself, which a DNS
rebinding page cannot make it do. Every answer carries a strict Content-Security-Policy (no inline
script, no framing) and is never cached.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Callable, Mapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_COOKIE = "bulkops_ui"
SESSION_COOKIE = "bulkops_ui_session"
CSRF_HEADER = "x-csrf-token"

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    # "same-origin", not "no-referrer": with no-referrer a browser sends `Origin: null` on POSTs.
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}


class Guard:
    """The app's token and the hosts it answers to; `sessions` makes and finds a session by its id."""

    def __init__(self, token: str, hosts: tuple[str, ...], sessions: SessionStore) -> None:
        self.token = token
        self.hosts = hosts
        self.sessions = sessions

    def token_ok(self, given: str | None) -> bool:
        return given is not None and secrets.compare_digest(given.encode(), self.token.encode())


class SessionStore:
    """Sessions by id; `make` is how a new one is built (the app gives each a folder of its own)."""

    def __init__(self, make: Callable[[str], Any]) -> None:
        self._make = make
        self._by_id: dict[str, Any] = {}

    def new(self) -> tuple[str, Any]:
        session_id = secrets.token_urlsafe(24)
        self._by_id[session_id] = self._make(session_id)
        return session_id, self._by_id[session_id]

    def get(self, session_id: str | None) -> Any | None:
        return self._by_id.get(session_id) if session_id else None

    def all(self) -> list[Any]:
        return list(self._by_id.values())


def refused_page(status: int, why: str) -> bytes:
    text = html.escape(why)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>bulkops: refused</title>"
            f"</head><body><main><h1>Refused ({status})</h1><p role=\"alert\">{text}</p></main></body></html>"
            ).encode()


class GuardMiddleware:
    """Checks every HTTP request as the module's docstring says, before the app sees it, and adds the
    security headers to every answer, the app's and the refusals alike."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        headers = _headers(scope)
        if headers.get("host", "") not in self.guard.hosts:
            await _refuse(send, 403, "This address is not the bulkops app's own (unknown Host).")
            return
        cookies = _cookies(headers)
        query_token = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token") or [None])[0]
        if scope["method"] == "GET" and query_token is not None:
            await self._enter(scope, send, query_token)
            return
        if not self.guard.token_ok(cookies.get(TOKEN_COOKIE)):
            await _refuse(send, 403, "Open bulkops ui with the address it printed (it carries the app's token).")
            return
        session = self.guard.sessions.get(cookies.get(SESSION_COOKIE))
        if session is None and scope["method"] == "GET" and scope["path"] == "/":
            await _redirect(send, "/", _new_session_cookie(self.guard))
            return
        if session is None:
            await _refuse(send, 403, "No session: open the app's address again.")
            return
        if scope["method"] not in ("GET", "HEAD"):
            why = _post_refusal(scope, headers, session.csrf)
            if why:
                await _refuse(send, 403, why)
                return
        scope.setdefault("state", {})["session"] = session
        await self.app(scope, receive, send)

    async def _enter(self, scope: Scope, send: Send, token: str) -> None:
        """The printed address: the token becomes a cookie, and the address loses it (history, screen)."""
        if not self.guard.token_ok(token) or scope["path"] != "/":
            await _refuse(send, 403, "This token is not the app's: open the address bulkops ui printed.")
            return
        token_cookie = f"{TOKEN_COOKIE}={self.guard.token}; HttpOnly; SameSite=Strict; Path=/"
        await _redirect(send, "/", token_cookie, _new_session_cookie(self.guard))


def _post_refusal(scope: Scope, headers: Mapping[str, str], csrf: str) -> str | None:
    if scope["method"] != "POST":
        return "Only GET and POST are used here."
    origin = headers.get("origin") or _origin_of(headers.get("referer", ""))
    if origin != f"http://{headers['host']}":
        return "A request from another site (or with no Origin) may not change anything here."
    given = headers.get(CSRF_HEADER, "")
    if not given or not secrets.compare_digest(given.encode(), csrf.encode()):
        return "The request lacks this page's form token: reload the page and try again."
    return None


def _origin_of(referer: str) -> str | None:
    parts = urlsplit(referer)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _new_session_cookie(guard: Guard) -> str:
    session_id, _ = guard.sessions.new()
    return f"{SESSION_COOKIE}={session_id}; HttpOnly; SameSite=Strict; Path=/"


def _headers(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}


def _cookies(headers: Mapping[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is as good as none
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def _with_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            kept = [(n, v) for n, v in message.get("headers", []) if n.decode("latin-1").lower()
                    not in SECURITY_HEADERS]
            message["headers"] = kept + [(n.encode(), v.encode()) for n, v in SECURITY_HEADERS.items()]
        await send(message)

    return sending


async def _refuse(send: Send, status: int, why: str) -> None:
    body = refused_page(status, why)
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, *cookies: str) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0")]
    headers += [(b"set-cookie", cookie.encode()) for cookie in cookies]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
