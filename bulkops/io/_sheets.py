"""Which sheets of a workbook bulkops reads, and what it says of the others: no sheet is left out
in silence.

- A sheet named after a kind (its sheet name or kind name, ignoring case, spaces and punctuation:
  `Geo ZIP`, `geo zip`, `geo-zip`) is read.
- bulkops's own sheets (`Instructions`, `Summary`, `Lists`) are passed over without a word, unless
  their header row is a kind's columns (a buyer's sheet that happens to bear such a name).
- A sheet whose name starts with `#` is the buyer's own, kept out on purpose: listed as ignored.
- A sheet whose name is close to a kind's is an error, since its rows would silently not be sent
  (Excel's copy `Geo ZIP (2)`, Google's `Copy of Campaigns`, `Geo Zip1`, `ZIPs`, a typo): see
  `close_kind` for the rule. So is a sheet whose header row is a kind's columns (`Sheet1` with
  ZIP, Country, Campaign, Include): see `kind_by_columns`.
- Any other sheet is listed as ignored (a warning).
- A results workbook's Summary sheet lists the sheets bulkops wrote, each with its kind; a sheet
  listed there is read as that kind, even under a numbered title (`Geo ZIP (2)`: two inputs' Geo ZIP
  sheets gathered in one workbook), and one listed in a way bulkops never writes is an error (see
  `written_sheets`). A copy made later is not listed, so it is an error as above.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulkops._exceptions import ConfigError
from bulkops._problems import Problem, Severity
from bulkops.kinds import Kind, is_blank, kind_named, kinds_for

# Sheets bulkops writes that are not input.
SUMMARY_SHEET = "Summary"  # first in a results workbook: facts of the run, then each sheet written
AUXILIARY_SHEETS = ("Instructions", SUMMARY_SHEET, "Lists")
SHEET_HEADER, KIND_HEADER = "Sheet", "Kind"  # the head of the Summary's table of the sheets written
# Columns the results workbook adds; read back, they describe an earlier run rather than input.
STATUS_HEADER = "Status"
MESSAGE_HEADER = "Message"
PLAN_HEADER = "Plan"  # what `plan -o` adds: what a push would do with the row
OLD_ID_HEADER = "Old ID"  # what `push --as-new` adds beside the ID column: the ID the row was read with
OUTPUT_HEADERS = (STATUS_HEADER, MESSAGE_HEADER, PLAN_HEADER, OLD_ID_HEADER)
NOTE_MARK = "#"  # a sheet (or header) starting with it is the buyer's own, never read
UNREAD_SHEET = "unread-sheet"  # a sheet that looks like a kind's but is not read: an error
IGNORED_SHEET = "ignored-sheet"  # any other sheet not read: a warning

_COPY_OF = re.compile(r"^copy\s+of\s+")  # Google Sheets' (and older Excel's) copies
_COPY_MARK = re.compile(r"[\s_-]*(?:\(\d+\)|copy)$")  # Excel's "Geo ZIP (2)", "Geo ZIP - Copy"
_AUXILIARY = {"".join(ch for ch in name.casefold() if ch.isalnum()) for name in AUXILIARY_SHEETS}
_TYPO_MIN = 5  # names shorter than this are not matched with a letter out of place (too many near misses)
_NUMBERED = re.compile(r"(.*\S) \(([1-9][0-9]*)\)")  # how bulkops (and Excel) number a repeated title


@dataclass
class Written:
    """What a results workbook's Summary sheet says of the sheets bulkops wrote into it: those read
    as the kind it gives them, those refused with the reason (listed in a way bulkops never writes),
    and those listed that the workbook no longer has (by their kind)."""

    kinds: dict[str, Kind] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    absent: dict[str, Kind] = field(default_factory=dict)

    def kind_of(self, platform: str, title: str) -> Kind | None:
        """The kind a sheet of this title holds in this workbook, or None when it is not read."""
        if title in self.refused:
            return None
        return self.kinds.get(title) or kind_for_sheet(platform, title)


def normalise_header(text: Any) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def kind_for_sheet(platform: str, title: str) -> Kind | None:
    """The kind a sheet of this name holds, or None when bulkops does not read it."""
    if is_auxiliary(title) or title.lstrip().startswith(NOTE_MARK):
        return None
    try:
        return kind_named(platform, title)
    except ConfigError:
        return None


def is_auxiliary(title: str) -> bool:
    return normalise_header(title) in _AUXILIARY


def numbered(title: str) -> tuple[str, int | None]:
    """`Geo ZIP (2)` → ('Geo ZIP', 2); any other title → (the title, None)."""
    match = _NUMBERED.fullmatch(title)
    return (title, None) if match is None else (match.group(1), int(match.group(2)))


def written_sheets(platform: str, summary: Iterable[Sequence[Any]], titles: Sequence[str]) -> Written:
    """What the rows of a workbook's Summary sheet say of the sheets bulkops wrote (`titles`: the
    workbook's sheets). bulkops lists each sheet it writes in a table headed `Sheet`, `Kind`; a sheet
    listed there is read as that kind when bulkops could have written it so: under the kind's own
    sheet name, or under a name it reads as that kind numbered as bulkops numbers a repeated title
    (`Geo ZIP (2)`). Anything else listed (another kind than the name says, a kind that does not
    exist, one title given two kinds, a name bulkops never gives a sheet) means the Summary or the
    sheet was edited: the sheet is refused rather than read one way or another. A workbook without
    that table (not a results workbook, or one an earlier version wrote) lists nothing."""
    written = Written()
    listed: dict[str, list[Any]] = {}
    for title, kind_cell in _listed(summary):
        listed.setdefault(title, []).append(kind_cell)
    present = set(titles)
    for title, kind_cells in listed.items():
        kind, why = _listed_kind(platform, title, kind_cells)
        if title not in present:
            if kind is not None:
                written.absent[title] = kind
        elif kind is None:
            written.refused[title] = why
        else:
            written.kinds[title] = kind
    return written


def _listed(summary: Iterable[Sequence[Any]]) -> Iterable[tuple[str, Any]]:
    """(title, kind cell) of each row of the Summary's table of sheets: from the row after its head
    to the first row without a title."""
    rows = iter(summary)
    for cells in rows:
        if [_text(c) for c in cells[:2]] == [SHEET_HEADER, KIND_HEADER]:
            break
    for cells in rows:
        title = cells[0] if cells else None
        if not isinstance(title, str) or not title.strip():
            return
        yield title, cells[1] if len(cells) > 1 else None


def _text(cell: Any) -> str | None:
    return cell.strip() if isinstance(cell, str) else None


def _listed_kind(platform: str, title: str, kind_cells: list[Any]) -> tuple[Kind | None, str]:
    """The kind a listed sheet is read as, or None and why it is not read."""
    names = list(dict.fromkeys(_text(c) or "" for c in kind_cells))
    if len(names) > 1:
        return None, f"the Summary sheet lists it more than once, as {' and '.join(map(repr, names))}"
    if not names[0]:
        return None, "the Summary sheet lists it with no kind"
    try:
        kind = kind_named(platform, names[0])
    except ConfigError:
        return None, f"the Summary sheet lists it as {names[0]!r}, which is not a kind bulkops knows for {platform}"
    plain, number = numbered(title)
    said = kind_for_sheet(platform, title) or (kind_for_sheet(platform, plain) if number and number > 1 else None)
    if said is kind:
        return kind, ""
    if said is not None:
        return None, f"the Summary sheet lists it as {names[0]!r}, but its name says {said.name!r}"
    return None, (f"the Summary sheet lists it as {names[0]!r}, but bulkops names a sheet of that kind "
                  f"{kind.sheet!r}, or {kind.sheet + ' (2)'!r} and so on")


def unread_problems(path: Path, platform: str, titles: Sequence[str],
                    header_rows: Callable[[list[str]], dict[str, Sequence[Any]]],
                    written: Written | None = None) -> list[Problem]:
    """What to say of each sheet in `titles` that bulkops does not read: an error for one that looks
    like a kind's (by its name, else by its header row, which `header_rows` reads for the titles it
    is given) or that the Summary sheet lists in a way bulkops never writes (`written`), a warning for
    any other; nothing for bulkops's own sheets."""
    written = written or Written()
    problems: dict[str, Problem] = {}
    unclear, auxiliary = [], []
    for title in titles:
        if title in written.refused:
            problems[title] = _refused(path, title, written.refused[title])
            continue
        if written.kind_of(platform, title) is not None:
            continue
        if is_auxiliary(title):
            auxiliary.append(title)  # passed over in silence, unless its header row is a kind's
            continue
        if title.lstrip().startswith(NOTE_MARK):
            problems[title] = _ignored(path, title, "its name starts with #")
        elif (kind := close_kind(platform, title)) is not None:
            problems[title] = _unread(path, title, kind, titles, f"did you mean {kind.sheet!r}?", written)
        else:
            unclear.append(title)
    headers = header_rows(unclear + auxiliary) if unclear or auxiliary else {}
    for title in unclear + auxiliary:
        match = kind_by_columns(platform, headers.get(title, ()))
        if match is not None and title in auxiliary and _dropdown_lists(platform, headers.get(title, ())):
            match = None  # the template's own Lists sheet: a column of choices per enumerated field
        if match is None:
            if title in unclear:
                problems[title] = _ignored(path, title, "it is not a sheet bulkops reads")
        else:
            kind, names = match
            problems[title] = _unread(path, title, kind, titles,
                                      f"its columns ({', '.join(names)}) are those of {kind.sheet!r}.", written)
    return [problems[t] for t in titles if t in problems]


def close_kind(platform: str, title: str) -> Kind | None:
    """The kind whose sheet name `title` is close to. Both names are first reduced to a core: in
    lower case; without a leading "Copy of", a trailing "(2)" or "Copy"; letters and digits only;
    without trailing digits, then without a trailing "s". The title is close when its core is the
    kind's core, or the core of the kind's last word(s) (`ZIPs` for `Geo ZIP`, `Items` for `Filter
    List Items`), or (for cores of 5 letters or more) the kind's core with one letter added,
    missing, changed or swapped with its neighbour (`Campagins`)."""
    core = _core(title)
    if not core:
        return None
    for kind in kinds_for(platform):
        if core in _short_cores(kind.sheet):
            return kind
    for kind in kinds_for(platform):
        target = _core(kind.sheet)
        if len(target) >= _TYPO_MIN and _one_edit_apart(core, target):
            return kind
    return None


def kind_by_columns(platform: str, cells: Sequence[Any]) -> tuple[Kind, list[str]] | None:
    """The kind whose columns a header row names, with the headers that matched: at least two of
    them, and more than half of the row's headers (blank ones, notes starting with # and the
    results workbook's output columns left out). The kind with most matches wins."""
    headers = [str(c).strip() for c in cells if not is_blank(c)]
    headers = [h for h in headers if not h.startswith(NOTE_MARK) and h not in OUTPUT_HEADERS]
    best: tuple[Kind, list[str]] | None = None
    for kind in kinds_for(platform):
        known = {normalise_header(n) for column in kind.columns for n in (column.label, column.field)}
        matched = list(dict.fromkeys(h for h in headers if normalise_header(h) in known))
        if len(matched) >= 2 and len(matched) * 2 > len(headers) and (best is None or len(matched) > len(best[1])):
            best = (kind, matched)
    return best


def _dropdown_lists(platform: str, cells: Sequence[Any]) -> bool:
    """Whether a header row is what the template's Lists sheet holds: the API fields of enumerated
    columns, one per column of choices."""
    enumerated = {column.field for kind in kinds_for(platform) for column in kind.columns if column.choices}
    headers = [str(c).strip() for c in cells if not is_blank(c)]
    return bool(headers) and all(header in enumerated for header in headers)


def _core(name: str) -> str:
    text = _COPY_MARK.sub("", _COPY_OF.sub("", name.casefold().strip()))
    letters = normalise_header(text).rstrip("0123456789")
    return letters[:-1] if letters.endswith("s") else letters


def _short_cores(sheet: str) -> set[str]:
    """The cores of a kind's sheet name and of each run of its last words: `Filter List Items` →
    filterlistitem, listitem, item."""
    words = sheet.split()
    return {_core(" ".join(words[at:])) for at in range(len(words))}


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether one letter added, removed, changed, or swapped with its neighbour turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:at] + long[at + 1:] == short for at in range(len(long)))


def _unread(path: Path, title: str, kind: Kind, titles: Sequence[str], why: str, written: Written) -> Problem:
    if kind.sheet in titles:  # the right name is taken: the rows belong in that sheet
        remedy = f"move its rows into sheet {kind.sheet!r} to push them"
    else:
        remedy = f"rename it to {kind.sheet!r} to push it"
    gone = [t for t, k in written.absent.items() if k is kind]
    if gone:  # a sheet bulkops wrote has been renamed, perhaps to this: its own name reads it again
        remedy = (f"the Summary sheet lists a sheet {gone[0]!r} that this workbook no longer has: if this is it, "
                  f"give it back that name; else {remedy}")
    return Problem(path.name, title, None, None, UNREAD_SHEET,
                   f"sheet {title!r} is not read: {why} {remedy[0].upper()}{remedy[1:]}, or start its name "
                   "with # to keep it out of the job")


def _refused(path: Path, title: str, why: str) -> Problem:
    return Problem(path.name, title, None, None, UNREAD_SHEET,
                   f"sheet {title!r} is not read: {why}. Put back what bulkops wrote on the Summary sheet (its "
                   "line for this sheet), or start the sheet's name with # to keep it out of the job")


def _ignored(path: Path, title: str, why: str) -> Problem:
    return Problem(path.name, title, None, None, IGNORED_SHEET, f"sheet {title!r} ignored ({why})",
                   Severity.WARNING)
