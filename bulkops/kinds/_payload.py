"""Typed row values → API payload, by the kind's declaration."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from bulkops.kinds._declare import Kind, Role


def payload_of(kind: Kind, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every filled field of the row, in the API's form. Blank cells are not sent (docs/decisions.md),
    nor read-only ones (`Column.read_only`: the platform sets them)."""
    payload: dict[str, Any] = {}
    for column in kind.columns:
        if column.role is not Role.FIELD or column.read_only:
            continue
        value = values.get(column.field)
        if value is None:
            continue
        payload[column.field] = value.isoformat() if isinstance(value, dt.date) else value
    return payload


def fingerprint(payload: Mapping[str, Any]) -> str:
    """A stable digest of what a row asks for, to recognise work already done in an earlier run."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
