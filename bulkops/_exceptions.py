"""Every error bulkops raises, in one tree.

    BulkopsError
    ├── InputError              the user's files cannot be used (exit 2); nothing was sent
    ├── ConfigError             usage, configuration or credentials are missing or wrong (exit 3)
    │   ├── AuthError           the platform refused the credentials (exit 3)
    │   └── AccountBusy         another push to the same account is running (exit 3); nothing was done
    ├── RunStopped              the run stopped before the end, resumably: the retry budget ran out (exit 1)
    │   └── Interrupted         the caller stopped it (Ctrl-C, `StopHandle.stop`); every row has its status (exit 130)
    └── PlatformError           the platform answered with an error, or could not be reached
        ├── TransportError      no usable answer: connection refused, dropped, timed out
        ├── RateLimitedError    429 after the retries the caller allowed
        └── ApiError            a non-2xx answer; carries status, message and field errors

Platform errors carry the request and (where there was one) the response, as httpx does, so a
caller can show the server's own words. They never carry credentials: the request kept here is
stripped of its Authorization header and body before it is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in a type: `import bulkops` stays light (no HTTP stack)
    import httpx

__all__ = [
    "AccountBusy",
    "ApiError",
    "AuthError",
    "BulkopsError",
    "ConfigError",
    "InputError",
    "Interrupted",
    "PlatformError",
    "RateLimitedError",
    "RunStopped",
    "TransportError",
    "RequestInfo",
]


class BulkopsError(Exception):
    """Base of every error bulkops raises on purpose."""

    exit_code: int = 1


class InputError(BulkopsError):
    """The input files cannot be read or are not a job bulkops can run."""

    exit_code = 2


class ConfigError(BulkopsError):
    """Usage, configuration or credentials are missing or wrong."""

    exit_code = 3


class AuthError(ConfigError):
    """The platform refused the credentials."""


class AccountBusy(ConfigError):
    """Another push to the same account holds its journal: nothing was sent, no file was written."""


class RunStopped(BulkopsError):
    """The run stopped sending before the end (the platform kept failing until the run's retry budget
    was spent). Every row still gets a status; running the same push again goes on where it stopped."""

    exit_code = 1


class Interrupted(RunStopped):
    """The caller asked the run to stop (Ctrl-C in the CLI, `bulkops.StopHandle.stop` from Python): the
    requests in flight were answered and journaled, every row has its status in the results workbook,
    and running the same push again finishes it."""

    exit_code = 130


@dataclass(frozen=True)
class RequestInfo:
    """What we keep of a request for error messages: method and URL, never headers or body."""

    method: str
    url: str

    @classmethod
    def of(cls, request: httpx.Request) -> RequestInfo:
        return cls(method=request.method, url=str(request.url.copy_with(query=None)))

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


class PlatformError(BulkopsError):
    """The platform could not do what was asked."""

    def __init__(self, message: str, *, request: RequestInfo | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class TransportError(PlatformError):
    """No usable answer arrived.

    `maybe_sent` is False only when the request provably never reached the server (the
    connection was refused or could not be opened), which is the one case where a create may be
    retried blindly.
    """

    def __init__(self, message: str, *, request: RequestInfo | None = None, maybe_sent: bool = True):
        super().__init__(message, request=request)
        self.maybe_sent = maybe_sent


class RateLimitedError(PlatformError):
    """The platform kept answering 429 after every retry the caller allowed."""


@dataclass
class _ErrorDetail:
    status_code: int
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    body: object = None


class ApiError(PlatformError):
    """The platform answered with a non-2xx status.

    `message` is the platform's own message, made readable; `field_errors` maps API field names
    to the platform's complaints about them (Laravel's 422 `errors` object, for example).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        request: RequestInfo | None = None,
        field_errors: dict[str, list[str]] | None = None,
        body: object = None,
    ) -> None:
        super().__init__(message, request=request)
        self.status_code = status_code
        self.field_errors = dict(field_errors or {})
        self.body = body

    def __str__(self) -> str:
        return f"{self.status_code}: {self.message}"
