"""HS256 JWTs shaped like tymon/jwt-auth's (the document's tokens): iss, iat, exp, nbf, jti, sub, prv.

Stdlib only. The signing key is random per process, so tokens never outlive the sandbox that
issued them (a restarted sandbox answers 401 and the client logs in again, as after expiry).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import string
import threading
import time
from typing import Any

# tymon/jwt-auth puts sha1 of the user model's class name in `prv`; this is the document's value.
_PRV = hashlib.sha1(b"App\\Models\\User").hexdigest()
_HEADER = {"typ": "JWT", "alg": "HS256"}
_JTI_ALPHABET = string.ascii_letters + string.digits


class Tokens:
    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._key = secrets.token_bytes(32)
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def issue(self, subject: int | str, issuer: str) -> str:
        now = time.time()
        iat = int(now)
        # Whole-second lifetimes give integer claims, as the platform's do; a fractional one (tests)
        # keeps its precision, which RFC 7519 NumericDate allows, rather than expiring early.
        exp: float = iat + int(self.ttl_s) if float(self.ttl_s).is_integer() else round(now + self.ttl_s, 3)
        claims = {"iss": issuer, "iat": iat, "exp": exp, "nbf": iat,
                  "jti": "".join(secrets.choice(_JTI_ALPHABET) for _ in range(16)), "sub": str(subject), "prv": _PRV}
        signing_input = f"{_b64(json.dumps(_HEADER, separators=(',', ':')).encode())}." \
                        f"{_b64(json.dumps(claims, separators=(',', ':')).encode())}"
        return f"{signing_input}.{self._sign(signing_input)}"

    def claims(self, token: str) -> dict[str, Any] | None:
        """The claims of a genuine, current, not logged-out token; None for anything else."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        if not hmac.compare_digest(parts[2].encode(), self._sign(f"{parts[0]}.{parts[1]}").encode()):
            return None
        try:
            header = json.loads(_unb64(parts[0]))
            claims = json.loads(_unb64(parts[1]))
        except ValueError:
            return None
        if not isinstance(claims, dict) or header != _HEADER:
            return None
        now = time.time()
        exp, nbf = claims.get("exp"), claims.get("nbf")
        if not isinstance(exp, int | float) or now >= exp or not isinstance(nbf, int | float) or now < nbf:
            return None
        with self._lock:
            if claims.get("jti") in self._revoked:
                return None
        return claims

    def revoke(self, token: str) -> None:
        claims = self.claims(token)
        if claims is not None:
            with self._lock:
                self._revoked.add(str(claims.get("jti")))

    def _sign(self, signing_input: str) -> str:
        return _b64(hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
