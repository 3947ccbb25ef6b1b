"""The kinds of things a workbook can hold, per platform: declared once, used everywhere.

This package is the declaration machinery every other layer reads: columns and kinds (`_declare`),
the column types, each described once (`_celltypes`: from a cell, from the API, to a cell, Excel
format, dropdown), the reading of typed cells (`_coerce`, `_numbers`, `_formula`), typed values
compared and shown (`_values`), payloads and their fingerprints (`_payload`), nested API fields by
path (`_paths`), and the rules kinds share (`_common`, `_postcodes`, `_files`).
"""

from __future__ import annotations

from bulkops._exceptions import ConfigError
from bulkops.kinds._celltypes import CELL_TYPES, TEXT_FORMAT, CellType, ColType, list_cell
from bulkops.kinds._coerce import CellError, Text, coerce, coerce_column, is_blank, raw_items, split_list
from bulkops.kinds._common import (
    ENTITY_COLUMNS,
    ID_MAX,
    URL_HINT,
    URL_PATTERN,
    coordinate,
    entity_columns_without_delete,
    id_number,
    is_id,
    limit,
    mode,
    ordered,
    parent,
    parents,
    required_when,
)
from bulkops.kinds._declare import (
    ACTIONS,
    APPEND,
    REMOVE,
    REPLACE,
    Column,
    ItemCheck,
    Kind,
    Role,
    SheetContext,
    UpdateRoute,
    format_bound,
    own_rule,
    rows_of,
)
from bulkops.kinds._files import (
    MAX_BYTES,
    MEDIA_TYPES,
    MEDIA_VARIABLE,
    FileRef,
    fill_image_size,
    has_index_html,
    located,
    media_anywhere,
    media_confined,
    media_type_of,
    sniff_matches,
)
from bulkops.kinds._formula import Formula, constant_of
from bulkops.kinds._numbers import Decimals, NotANumber, as_typed, chosen, for_separator, read_number
from bulkops.kinds._paths import path_keys, put_at, uses_slot, value_at, values_at
from bulkops.kinds._payload import fingerprint, payload_of
from bulkops.kinds._postcodes import is_repair, kept_as_held, read_postcode, repair_postcodes
from bulkops.kinds._values import exact, exact_list, fields_of, item_key, same, shown, typed
from bulkops.registry import platform_named, platform_names

PLATFORMS: tuple[str, ...] = platform_names()  # every registered platform's name (`bulkops.registry`)


def kinds_for(platform: str) -> tuple[Kind, ...]:
    return platform_named(platform).kinds


def kind_names() -> tuple[str, ...]:
    """Every kind's name any registered platform declares: registry order, then each platform's
    declaration order, each name once. It loads every platform (so call it when the names are needed)."""
    return tuple(dict.fromkeys(kind.name for platform in platform_names() for kind in kinds_for(platform)))


def kind_named(platform: str, name: str) -> Kind:
    for kind in kinds_for(platform):
        if name in (kind.name, kind.sheet) or _norm(name) in (_norm(kind.name), _norm(kind.sheet)):
            return kind
    available = ", ".join(k.name for k in kinds_for(platform))
    raise ConfigError(f"{platform} has no kind {name!r} yet; available: {available}")


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


__all__ = [
    "ACTIONS", "APPEND", "CELL_TYPES", "ENTITY_COLUMNS", "ID_MAX", "MAX_BYTES", "MEDIA_TYPES",
    "MEDIA_VARIABLE", "PLATFORMS", "REMOVE", "REPLACE", "TEXT_FORMAT", "URL_HINT", "URL_PATTERN", "CellError",
    "CellType", "ColType", "Column", "Decimals", "FileRef", "Formula", "ItemCheck", "Kind", "NotANumber", "Role",
    "SheetContext", "Text", "UpdateRoute",
    "as_typed", "chosen", "coerce", "coerce_column", "constant_of", "coordinate", "entity_columns_without_delete",
    "exact", "exact_list", "fields_of", "fill_image_size", "fingerprint", "for_separator", "format_bound",
    "has_index_html", "id_number", "is_blank", "is_id", "is_repair", "item_key", "kept_as_held", "kind_named",
    "kind_names", "kinds_for", "limit", "list_cell", "located", "media_anywhere", "media_confined", "media_type_of",
    "mode", "ordered", "own_rule",
    "parent", "parents", "path_keys", "payload_of", "put_at", "raw_items", "read_number", "read_postcode",
    "repair_postcodes", "required_when", "rows_of", "same", "shown", "sniff_matches", "split_list", "typed",
    "uses_slot", "value_at", "values_at",
]
