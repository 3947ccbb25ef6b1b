"""Names in a job's cells, looked up through the account's own lists before anything is planned or sent:
an audience by its title (12.1 first-party, 12.6 third-party), a contextual targeting rule by its name
(13.1).

Each list is read once per run, every page of it at the largest page size, and only when a row names
something by name (`read_dictionary` is the one place a list is read, so that a reference cache can
stand in front of it). A name that is not in the list, or that several entries share, is a problem
of its row, with the closest names as suggestions: the job is then held as for any invalid row, and
nothing is sent. A name found once becomes its ID in the row's values (an audience's type, when the
row leaves it blank, is the list it was found in), so the plan, the live diff and the journal see
IDs only.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bulkops._problems import Problem
from bulkops.platforms.smartyads.kinds import AUDIENCES, CONTEXTUAL, named_id

FIRST_PARTY, THIRD_PARTY, CONTEXTUAL_RULES = "first-party audiences", "third-party audiences", "contextual targeting"
# What each list's entries are when the row's type is blank (7.1's relation types); rules have none.
_TYPE_OF_LIST = {FIRST_PARTY: "collect", THIRD_PARTY: "thirdParty"}
# The lists an audience row's type may be found in: collect and trade name a first-party audience.
_LISTS_OF_TYPE = {"collect": (FIRST_PARTY,), "trade": (FIRST_PARTY,), "thirdParty": (THIRD_PARTY,),
                  None: (FIRST_PARTY, THIRD_PARTY)}
_SUGGESTIONS = 3


@dataclass(frozen=True)
class Entry:
    """One entry of a list: its ID, its name as the platform writes it, and the list it is in."""

    id: int
    name: str
    source: str


async def read_dictionary(client: Any, source: str) -> list[Entry]:
    """Every entry of one of the account's lists (`FIRST_PARTY`, `THIRD_PARTY`, `CONTEXTUAL_RULES`)."""
    if source == FIRST_PARTY:
        return [Entry(a.id, a.title, source) for a in await client.every_audience()]
    if source == THIRD_PARTY:
        return [Entry(a.id, a.title, source) for a in await client.every_third_party_audience()]
    if source == CONTEXTUAL_RULES:
        return [Entry(r.id, r.name, source) for r in await client.every_contextual_target()]
    raise ValueError(f"no such list: {source!r}")


def _named_rows(validated: Sequence[Any]) -> list[tuple[Any, int, str, str | None]]:
    """(sheet, row, name, the row's type) of each live row naming an audience or a rule by name."""
    found = []
    for item in validated:
        kind = item.sheet.kind
        if kind.name not in (AUDIENCES.name, CONTEXTUAL.name):
            continue
        field_name = "audience" if kind.name == AUDIENCES.name else "target"
        invalid = item.invalid_rows
        for row, value in item.values[field_name].items():
            name = named_id(value)
            if isinstance(name, str) and row not in invalid and item.actions[row] not in ("delete", "skip"):
                kind_value = item.values.at[row, "type"] if kind.name == AUDIENCES.name else None
                found.append((item, int(row), name, kind_value))
    return found


def _lists_for(item: Any, kind_value: str | None) -> tuple[str, ...]:
    return _LISTS_OF_TYPE[kind_value] if item.sheet.kind.name == AUDIENCES.name else (CONTEXTUAL_RULES,)


class NameLookup:
    """SmartyAds' `Platform.names`: which jobs name something by name, and their lookup."""

    def wanted(self, validated: Sequence[Any]) -> bool:
        return bool(_named_rows(validated))

    async def resolve(self, client: Any, validated: Sequence[Any]) -> None:
        """Each name becomes its ID in the row's values, or a problem of its row (see the module)."""
        named = _named_rows(validated)
        sources = dict.fromkeys(s for item, _, _, kind_value in named for s in _lists_for(item, kind_value))
        lists = {source: await read_dictionary(client, source) for source in sources}
        for item, row, name, kind_value in named:
            entries = [e for source in _lists_for(item, kind_value) for e in lists[source]]
            problem = _settle_row(item, row, name, kind_value, entries)
            if problem is not None:
                item.problems.append(problem)


def _settle_row(item: Any, row: int, name: str, kind_value: str | None, entries: Sequence[Entry]) -> Problem | None:
    is_audience = item.sheet.kind.name == AUDIENCES.name
    field_name = "audience" if is_audience else "target"
    header = item.sheet.header(field_name)
    matches = [e for e in entries if _folded(e.name) == _folded(name)]
    exact = [e for e in matches if e.name == name]
    if len(matches) > 1 and len(exact) == 1:
        matches = exact  # "Sale" and "SALE" are two titles; the one written exactly is meant
    noun = "audience" if is_audience else "contextual targeting rule"
    where = ("first-party or third-party audience" if kind_value is None else
             "third-party audience" if kind_value == "thirdParty" else "first-party audience") if is_audience \
        else "contextual targeting rule"

    def problem(code: str, message: str) -> Problem:
        return Problem(item.sheet.file, item.sheet.title, row, header, code, message)

    if not matches:
        return problem("unknown-name", f"{header} {name!r}: no {where} of this account is named so"
                       f"{_suggestions(name, entries)}")
    if len(matches) > 1:
        listed = ", ".join(f"{e.id} ({e.source})" if is_audience else str(e.id) for e in matches)
        how = "write its ID" + (", or set the Type" if is_audience and kind_value is None and
                                len({e.source for e in matches}) > 1 else "")
        return problem("ambiguous-name", f"{header} {name!r} names {len(matches)} {noun}s ({listed}): {how}")
    found = matches[0]
    item.values.at[row, field_name] = str(found.id)
    if is_audience and kind_value is None:
        item.values.at[row, "type"] = _TYPE_OF_LIST[found.source]
    return None


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _suggestions(name: str, entries: Iterable[Entry]) -> str:
    by_folded: dict[str, str] = {}
    for entry in entries:
        by_folded.setdefault(_folded(entry.name), entry.name)
    close = difflib.get_close_matches(_folded(name), list(by_folded), n=_SUGGESTIONS, cutoff=0.6)
    if not close:
        return " (and none is close)"
    return "; did you mean " + " or ".join(repr(by_folded[c]) for c in close) + "?"


NAMES = NameLookup()

__all__ = ["CONTEXTUAL_RULES", "FIRST_PARTY", "NAMES", "THIRD_PARTY", "Entry", "NameLookup", "read_dictionary"]
