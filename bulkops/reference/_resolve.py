"""Names to codes: a loaded dictionary (`Index`) resolves what a cell holds to the code the API takes.

A code or an alias passes as its code; a name (case, accents and surrounding spaces aside) becomes
its code; a name several entries share is ambiguous unless one of them is written exactly as typed
or it is qualified by the parent, as `Springfield (US-IL)` (or, on a line of its own,
`Springfield, US-IL`); anything else is unknown, with up to three suggestions. A row's narrowing
column (`Column.lookup_within`) keeps only the entries of the parent its value selects.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bulkops.reference._declare import Dictionary, Entry

SUGGESTIONS = 3
_QUALIFIED = (re.compile(r"^(?P<name>.+?)\s*\((?P<parent>[^()]+)\)$"),
              re.compile(r"^(?P<name>.+?),\s*(?P<parent>[^,]+)$"))


def fold(text: str) -> str:
    """A name as compared: accents dropped, case folded, spaces trimmed and runs of them made one."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Resolved:
    code: str
    entry: Entry | None = field(default=None, compare=False)  # the entry found (None: taken as a code)


@dataclass(frozen=True)
class Unknown:
    suggestions: tuple[str, ...]  # as a message shows them


@dataclass(frozen=True)
class Ambiguous:
    candidates: tuple[Entry, ...]


Resolution = Resolved | Unknown | Ambiguous


@dataclass
class Index:
    """A dictionary's loaded entries, looked up by code, alias and name. `parents`: the parent
    dictionary's index, so a qualifier may name the parent ("Springfield (Illinois)") as well as
    give its code."""

    dictionary: Dictionary
    entries: Sequence[Entry]
    parents: Index | None = None
    _seen: dict[tuple[str, str | None], Resolution] = field(default_factory=dict, repr=False)
    _shown: dict[str | None, dict[str, str]] = field(default_factory=dict, repr=False)

    @cached_property
    def _by_code(self) -> dict[str, list[Entry]]:
        return _grouped((entry.code.casefold(), entry) for entry in self.entries)

    @cached_property
    def _by_alias(self) -> dict[str, list[Entry]]:
        return _grouped((alias.casefold(), e) for e in self.entries for alias in e.aliases)

    @cached_property
    def _by_name(self) -> dict[str, list[Entry]]:
        return _grouped((fold(e.name), e) for e in self.entries)

    def _spellings(self, within: str | None) -> dict[str, str]:
        """What a suggestion may be (folded → as shown): names, codes and aliases."""
        if within in self._shown:
            return self._shown[within]
        shown = self._shown[within] = {}
        for entry in self._narrowed(self.entries, within):
            shown.setdefault(fold(entry.name), entry.name)
            for code in (entry.code, *entry.aliases):  # an alias is suggested as the entry's code
                shown.setdefault(fold(code), f"{entry.code} ({entry.name})")
        return shown

    def resolve(self, value: str, within: str | None = None) -> Resolution:
        """What the value names; repeated values are resolved once (a column repeats its countries).
        `within`: the value of the row's narrowing column (`Column.lookup_within`), which keeps only
        the entries of the parent it selects (`Dictionary.parent_of`)."""
        text = str(value).strip()
        key = (text, None if within is None else str(within).strip() or None)
        if key not in self._seen:
            self._seen[key] = self._resolve(text, key[1])
        return self._seen[key]

    def code_of(self, value: str) -> str | None:
        """The code the value resolves to, None if it is unknown or ambiguous."""
        found = self.resolve(value)
        return found.code if isinstance(found, Resolved) else None

    def entry(self, code: str) -> Entry | None:
        found = self._by_code.get(code.casefold())
        return found[0] if found else None

    def _narrowed(self, entries: Iterable[Entry], within: str | None) -> list[Entry]:
        if within is None:
            return list(entries)
        parent = self.dictionary.parent_of.get(within, within).casefold()
        return [e for e in entries if e.parent is not None and e.parent.casefold() == parent]

    def _found(self, entries: list[Entry], text: str) -> Resolution | None:
        """One entry: resolved; several: the one written exactly as typed ("Sale" and "SALE" are two
        titles of an account), else ambiguous; none: None."""
        if len(entries) > 1:
            exact = [e for e in entries if e.name == text]
            entries = exact if len(exact) == 1 else entries
        if len(entries) == 1:
            return Resolved(entries[0].code, entries[0])
        return Ambiguous(tuple(entries)) if entries else None

    def _resolve(self, text: str, within: str | None) -> Resolution:
        key = text.casefold()
        coded = _unique(self._narrowed(self._by_code.get(key, []), within))
        if coded:
            return Resolved(coded[0].code, coded[0] if len(coded) == 1 else None)
        if self.dictionary.taken_as_code and re.fullmatch(self.dictionary.taken_as_code, text):
            return Resolved(text)
        aliased = _unique(self._narrowed(self._by_alias.get(key, []), within))
        if aliased:
            return Resolved(aliased[0].code, aliased[0]) if len(aliased) == 1 else Ambiguous(tuple(aliased))
        named = self._found(_unique(self._narrowed(self._by_name.get(fold(text), []), within)), text)
        if named is not None:
            return named
        qualified = self._qualified(text, within)
        if qualified is not None:
            return qualified
        return Unknown(self._suggest(text, within))

    def _qualified(self, text: str, within: str | None) -> Resolution | None:
        """`Name (parent)` or `Name, parent`: the entry of that name within that parent."""
        for pattern in _QUALIFIED:
            match = pattern.match(text)
            if not match:
                continue
            named = _unique(self._narrowed(self._by_name.get(fold(match["name"]), []), within))
            within_parent = [e for e in named if e.parent is not None and self._is_parent(e.parent, match["parent"])]
            found = self._found(within_parent, match["name"])
            if found is not None:
                return found
        return None

    def _is_parent(self, code: str, given: str) -> bool:
        if code.casefold() == given.strip().casefold():
            return True
        return self.parents is not None and self.parents.code_of(given) == code

    def _suggest(self, text: str, within: str | None) -> tuple[str, ...]:
        spellings = self._spellings(within)
        close = difflib.get_close_matches(fold(text), list(spellings), n=SUGGESTIONS * 3, cutoff=0.6)
        return tuple(dict.fromkeys(spellings[c] for c in close))[:SUGGESTIONS]

    def describe(self, value: str, found: Unknown | Ambiguous) -> str:
        """The message for a value that does not resolve."""
        what = self.dictionary.what
        if isinstance(found, Unknown):
            guess = f" (did you mean {', '.join(repr(s) for s in found.suggestions)}?)" if found.suggestions else ""
            return f"{value!r} is not a known {what}{guess}"
        shown = "; ".join(f"{_qualify(e)} = {e.code}" for e in found.candidates[:10])
        more = f"; and {len(found.candidates) - 10} more" if len(found.candidates) > 10 else ""
        example = found.candidates[0]
        # The qualified name is offered only where it tells the candidates apart.
        alone = example.parent is not None and sum(e.parent == example.parent for e in found.candidates) == 1
        how = (f"write {_qualify(example)!r} or the code ({example.code})" if alone
               else f"write the code ({example.code})")
        return f"{value!r} names {len(found.candidates)} {what} entries: {shown}{more}; say which: {how}"


def _qualify(entry: Entry) -> str:
    return f"{entry.name} ({entry.parent})" if entry.parent is not None else entry.name


def _grouped(pairs: Iterable[tuple[str, Entry]]) -> dict[str, list[Entry]]:
    grouped: dict[str, list[Entry]] = {}
    for key, entry in pairs:
        grouped.setdefault(key, []).append(entry)
    return grouped


def _unique(entries: list[Entry]) -> list[Entry]:
    """One entry per code and parent (a dictionary read for overlapping scopes may hold one twice; two
    lists of one dictionary may number their entries alike)."""
    return list({(e.parent, e.code): e for e in entries}.values())
