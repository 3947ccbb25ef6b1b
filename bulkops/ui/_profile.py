"""Credentials as the CLI finds them (the environment, else the 0600 profile), and the form's way of
putting them into the profile once. Their values are never shown: the page learns only where they
come from, or which fields are missing."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bulkops._config import credentials, load_profile, profile_path
from bulkops._exceptions import ConfigError
from bulkops.registry import platform_named

SECRET_WORDS = ("password", "secret")


@dataclass(frozen=True)
class Field:
    name: str  # the login's field (email, password, client_id, ...)
    variable: str  # its environment variable
    secret: bool  # shown as a password input


@dataclass(frozen=True)
class Found:
    """Where the platform's credentials come from: `source` is "environment", "profile" or "" (not
    found: `why` says what is missing, `fields` what the form asks for)."""

    source: str
    why: str
    fields: tuple[Field, ...]
    profile: str  # the profile file's path, for the page to name


def login_fields(platform: str) -> tuple[Field, ...]:
    names = platform_named(platform).connection.credential_env
    return tuple(Field(name, variable, any(w in name for w in SECRET_WORDS)) for name, variable in names.items())


def found(platform: str) -> Found:
    fields = login_fields(platform)
    path = str(profile_path())
    try:
        credentials(platform)
    except ConfigError as missing:
        return Found("", str(missing), fields, path)
    from_env = all(os.environ.get(f.variable) for f in fields)
    return Found("environment" if from_env else "profile", "", fields, path)


def save_to_profile(platform: str, given: Mapping[str, str]) -> Path:
    """The platform's table of the profile set to `given` (every login field), the other tables kept;
    written mode 0600 from the start, replacing the file in one step."""
    fields = login_fields(platform)
    missing = [f.name for f in fields if not given.get(f.name, "").strip()]
    if missing:
        raise ConfigError(f"fill in {', '.join(missing)}")
    path = profile_path()
    profile = load_profile(path)  # refuses a profile others can read, as every command does
    table = dict(profile.get(platform, {}))
    table.update({f.name: given[f.name].strip() for f in fields})
    profile[platform] = table
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fresh = path.with_name(f".{path.name}.new")
    fresh.unlink(missing_ok=True)
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(_toml(profile))
    os.replace(fresh, path)
    return path


def _toml(profile: Mapping[str, object]) -> str:
    """A profile as TOML: tables of plain values (what a profile holds). JSON's string escapes are
    TOML's basic-string escapes."""
    lines: list[str] = []
    for name, table in profile.items():
        if not isinstance(table, Mapping):
            raise ConfigError(f"{profile_path()}: {name} is not a table; edit the file by hand")
        lines.append(f"[{_key(name)}]")
        for key, value in table.items():
            if isinstance(value, bool):
                shown = "true" if value else "false"
            elif isinstance(value, int | float | str):
                shown = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)
            else:
                raise ConfigError(f"{profile_path()}: [{name}] {key} is not a plain value; edit the file by hand")
            lines.append(f"{_key(key)} = {shown}")
        lines.append("")
    return "\n".join(lines)


def _key(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() and name.isascii() else json.dumps(name)
