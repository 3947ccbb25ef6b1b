"""Time targeting as buyers type it (section 2 holds day/hour items): reading, errors, the canonical text."""

from __future__ import annotations

import pytest

from bulkops.platforms.smartyads._schedule import (
    ScheduleError,
    canonical,
    items_of,
    parse,
    shifted,
    text_of,
)

WEEKDAYS_9_TO_5 = "Mon-Fri 09:00-17:00"


@pytest.mark.parametrize("typed", [
    "Mon-Fri 09:00-17:00",
    "mon-fri 9:00-17:00",
    "MON-FRI 09:00 - 17:00",
    "Monday-Friday 09:00-17:00",
    "Mon–Fri 09:00–17:00",  # Excel's autocorrected en dashes
    "Mon, Tue, Wed, Thu, Fri 09:00-17:00",
    "Mon-Wed 09:00-17:00; Thu-Fri 09:00-17:00",
    "Mon-Fri 09:00-12:00, 12:00-17:00",
    "Mon-Fri 09:00-13:00, 11:00-17:00",  # overlaps are merged
    "Tues 09:00-17:00\nMon 09:00-17:00; weds 09:00-17:00; Thurs. 09:00-17:00; fri 09:00-17:00",
])
def test_spellings_of_the_same_week(typed: str) -> None:
    assert canonical(typed) == WEEKDAYS_9_TO_5
    assert len(parse(typed)) == 5 * 8


@pytest.mark.parametrize(("typed", "written"), [
    ("Mon-Fri 09:00-17:00; Sat 10:00-14:00", "Mon-Fri 09:00-17:00; Sat 10:00-14:00"),
    ("Sat", "Sat 00:00-24:00"),
    ("daily", "Mon-Sun 00:00-24:00"),
    ("Daily 08:00-20:00", "Mon-Sun 08:00-20:00"),
    ("Fri 22:00-02:00", "Fri 22:00-24:00; Sat 00:00-02:00"),
    ("Sun 23:00-01:00", "Mon 00:00-01:00; Sun 23:00-24:00"),
    ("Fri-Mon 10:00-11:00", "Mon 10:00-11:00; Fri-Sun 10:00-11:00"),
    ("Mon 00:00-24:00", "Mon 00:00-24:00"),
    ("Mon 09:00-10:00, 14:00-15:00", "Mon 09:00-10:00, 14:00-15:00"),
    ("always", "always"),
    ("ALWAYS", "always"),
])
def test_canonical_text(typed: str, written: str) -> None:
    assert canonical(typed) == written
    assert canonical(written) == written  # what an export writes reads back as itself


@pytest.mark.parametrize(("typed", "says"), [
    ("Mon 09:30-17:00", "09:30 in 'Mon 09:30-17:00' is not on the hour: SmartyAds targets whole hours"),
    ("Mon 09:00-17:15", "write 17:00 or 18:00"),
    ("Funday 09:00-10:00", "'funday' in 'Funday 09:00-10:00' is not a day"),
    ("09:00-17:00", "does not start with a day"),
    ("Mon 9-17", "'9-17' in 'Mon 9-17' is not a range of hours such as 09:00-17:00"),
    ("Mon 09:00", "is not a range of hours"),
    ("Mon 10:00-10:00", "is empty: its start and end are the same hour"),
    ("Mon 24:00-02:00", "may end at 24:00, not start there"),
    ("Mon 25:00-26:00", "25:00 in 'Mon 25:00-26:00' is not a time of day"),
    ("", "is empty"),
    (" ; ", "names no hours"),
])
def test_errors_say_what_is_wrong(typed: str, says: str) -> None:
    with pytest.raises(ScheduleError, match=None) as caught:
        parse(typed)
    assert says in str(caught.value)


def test_day_numbers_start_at_sunday() -> None:
    assert items_of(parse("Sun 00:00-01:00; Sat 23:00-24:00")) == [{"dayOfWeek": 0, "hour": 0},
                                                                 {"dayOfWeek": 6, "hour": 23}]


def test_every_hour_of_the_week_round_trips() -> None:
    week = {(day, hour) for day in range(7) for hour in range(24)}
    for drop in [(1, 0), (0, 23), (3, 12)]:
        hours = week - {drop}
        assert parse(text_of(hours)) == hours


def test_shift_to_utc_wraps_around_the_week() -> None:
    assert text_of(shifted(parse("Mon 09:00-17:00"), -5)) == "Mon 14:00-22:00"
    assert text_of(shifted(parse("Mon 01:00-02:00"), 3)) == "Sun 22:00-23:00"
    assert text_of(shifted(parse("Sat 22:00-24:00"), -4)) == "Sun 02:00-04:00"
