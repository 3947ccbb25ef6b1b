"""Laravel's validation answers: the error bag, its 422 envelope and the framework's wording.

SmartyAds documents no error bodies; its tokens and pagination are a Laravel application's, so the
sandbox answers as one would (docs/sandbox.md, docs/decisions.md).
"""

from __future__ import annotations

import re

from starlette.responses import JSONResponse

# Digits stay with the word they follow, as Str::snake leaves them ("iso2" → "iso2", not "iso 2").
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+\d*|\d+")


def attribute(key: str) -> str:
    """The displayable name Laravel puts in messages: `userAgeMax` → "user age max", `OS.2` → "OS.2".

    Laravel snake-cases the key; acronyms are kept whole here ("OS is include", not "o s is
    include"), which reads as the document's field names do.
    """
    return ".".join(" ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in _WORD.findall(part)) or part
                    for part in key.split("."))


class Errors:
    """Messages by field key, in the order the rules ran (Laravel's MessageBag)."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.by_key.setdefault(key, []).append(message)

    def has(self, key: str) -> bool:
        return key in self.by_key

    def __bool__(self) -> bool:
        return bool(self.by_key)

    def message(self) -> str:
        """Laravel's summary: the first message, then "(and N more errors)"."""
        messages = [m for ms in self.by_key.values() for m in ms]
        more = len(messages) - 1
        if more <= 0:
            return messages[0]
        return f"{messages[0]} (and {more} more error{'s' if more > 1 else ''})"

    def response(self) -> JSONResponse:
        return JSONResponse({"message": self.message(), "errors": self.by_key}, 422)


# Laravel 10+ wording (lang/en/validation.php), with the attribute already made displayable.
def required(key: str) -> str:
    return f"The {attribute(key)} field is required."


def required_if(key: str, other: str, value: str) -> str:
    return f"The {attribute(key)} field is required when {attribute(other)} is {value}."


def boolean(key: str) -> str:
    return f"The {attribute(key)} field must be true or false."


def integer(key: str) -> str:
    return f"The {attribute(key)} field must be an integer."


def string(key: str) -> str:
    return f"The {attribute(key)} field must be a string."


def array(key: str) -> str:
    return f"The {attribute(key)} field must be an array."


def email(key: str) -> str:
    return f"The {attribute(key)} field must be a valid email address."


def at_least(key: str, minimum: int) -> str:
    return f"The {attribute(key)} field must be at least {minimum}."


def between(key: str, low: int, high: int) -> str:
    return f"The {attribute(key)} field must be between {low} and {high}."


def max_characters(key: str, maximum: int) -> str:
    return f"The {attribute(key)} field must not be greater than {maximum} characters."


def selected_invalid(key: str) -> str:
    return f"The selected {attribute(key)} is invalid."


def date_format(key: str, fmt: str) -> str:
    return f"The {attribute(key)} field must match the format {fmt}."


def after_or_equal(key: str, other: str) -> str:
    return f"The {attribute(key)} field must be a date after or equal to {attribute(other)}."


def gte_field(key: str, other: str) -> str:
    return f"The {attribute(key)} field must be greater than or equal to {attribute(other)}."


def numeric(key: str) -> str:
    return f"The {attribute(key)} field must be a number."


def greater_than(key: str, value: int) -> str:
    return f"The {attribute(key)} field must be greater than {value}."


def max_items(key: str, maximum: int) -> str:
    return f"The {attribute(key)} field must not have more than {maximum} items."


def required_without(key: str, other: str) -> str:
    return f"The {attribute(key)} field is required when {attribute(other)} is not present."


def url(key: str) -> str:
    return f"The {attribute(key)} field must be a valid URL."


def file(key: str) -> str:
    return f"The {attribute(key)} field must be a file."


def mimes(key: str, extensions: tuple[str, ...]) -> str:
    return f"The {attribute(key)} field must be a file of type: {', '.join(extensions)}."
