"""Export: an account's live state, read through the platform's API, written in the template format.

A platform plugs in with its `Platform.read_state` (see docs/platforms.md), where

    async def read_state(client, kinds: Sequence[Kind], campaign_ids: Sequence[int] | None,
                         progress: Callable[[int], None]) -> dict[str, list[dict[str, Any]]]

- `client` is the platform's logged-in client (what `bulkops.engine.open_session` yields as
  `session.client`), so the rate limiter and the retries of push apply to these reads too;
- `kinds` are the kinds to read (`Kind.name`: "campaigns", "geo-zip", ...); `campaign_ids` limits the
  export to those campaigns (None: the whole account);
- `progress(n)` is called with the number of requests just made (the progress bar's steps);
- the answer is, per `Kind.name`, rows as `{Column.field: value}`, each value the Python value the
  coercer (`bulkops.kinds.coerce`) yields for that column's type after validation: str, int,
  float, bool, `datetime.date` / `datetime.datetime`, `list[str]` for list columns, None for blank.
  Role columns too: `id` and `ref` of entity rows, the parent column holding the parent's Ref (or
  its ID as text when the parent kind is not exported), `mode` (usually None: replace).

A row may also carry `bulkops.registry.MEDIA_URLS`: {file column's field: URL of the file on the
platform}, which `export --media` saves beside the export (`_media.py`); the writer ignores it.
An entity row may also carry the platform's object as read under `RAW_OBJECT` (`bulkops.registry`):
the export lists on its Summary every field of it that no column of the kind declares and that the
platform does not name in `Platform.not_settings` (`_unmodelled`).

Refs must be stable (the same object gets the same Ref in every export) and unique within the job.
The writer (`bulkops.exporter._write`) turns those values into cells, one function per column type.
"""

from __future__ import annotations

from bulkops.exporter._job import ExportReport, export_job, exporter_for
from bulkops.exporter._media import MediaSaved
from bulkops.registry import ReadState, State

__all__ = [
    "ExportReport", "MediaSaved", "ReadState", "State", "export_job", "exporter_for"
]
