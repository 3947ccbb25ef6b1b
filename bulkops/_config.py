"""Credentials and connection settings: from the environment or a profile file, never from argv.

Profile file: `$BULKOPS_PROFILE`, else `~/.config/bulkops/profile.toml`; TOML with one table per
platform, e.g. `[smartyads]` with `email`, `password` and optionally `base_url`; `[iqm]` with
`client_id`, `client_secret`, `email`, `password`, `host` and optionally `base_url`. It must not be
readable by others (mode 0600), like an SSH key.
"""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bulkops._exceptions import ConfigError
from bulkops.registry import platform_named


@dataclass(frozen=True)
class Credentials:
    platform: str
    values: Mapping[str, str] = field(repr=False)

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def __repr__(self) -> str:  # never show a secret, even in a debugger or a traceback
        return f"Credentials(platform={self.platform!r}, fields={sorted(self.values)})"


def profile_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("BULKOPS_PROFILE") or Path.home() / ".config" / "bulkops" / "profile.toml")


def load_profile(path: Path) -> dict:
    if not path.exists():
        return {}
    mode = path.stat().st_mode
    if sys.platform != "win32" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{path} can be read by other users (mode {stat.S_IMODE(mode):o}); "
                          f"run: chmod 600 {path}")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def credentials(platform: str, env: Mapping[str, str] | None = None) -> Credentials:
    env = os.environ if env is None else env
    names = platform_named(platform).connection.credential_env
    values = {key: env[var] for key, var in names.items() if env.get(var)}
    if len(values) < len(names):
        section = load_profile(profile_path(env)).get(platform, {})
        for key in names:
            values.setdefault(key, section.get(key) or "")
    missing = [names[key] for key in names if not values.get(key)]
    if missing:
        raise ConfigError(f"missing {platform} credentials: set {', '.join(missing)} in the environment, "
                          f"or put them in the [{platform}] table of {profile_path(env)} (mode 0600)")
    return Credentials(platform, values)


def given_credentials(platform: str, values: Mapping[str, str]) -> Credentials:
    """Credentials a caller hands in (the Python API's `credentials=`): the fields the platform's login
    needs, each one required; other keys are refused, so that a typo is not silently ignored."""
    names = platform_named(platform).connection.credential_env
    unknown = sorted(set(values) - set(names))
    missing = [key for key in names if not values.get(key)]
    if unknown or missing:
        raise ConfigError(f"{platform} credentials take {', '.join(names)}"
                          + (f"; missing: {', '.join(missing)}" if missing else "")
                          + (f"; not known: {', '.join(unknown)}" if unknown else ""))
    return Credentials(platform, {key: str(values[key]) for key in names})


def base_url(platform: str, given: str | None, env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    if given:
        return given.rstrip("/")
    section = load_profile(profile_path(env)).get(platform, {})
    default = platform_named(platform).connection.default_base_url
    return str(section.get("base_url") or default).rstrip("/")
