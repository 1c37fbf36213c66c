"""Working-day arithmetic: weekends and English bank holidays (with substitute days) are not
working days. Pure functions of dates."""

import datetime as dt
from functools import cache

import holidays


@cache
def _bank_holidays(year):
    return frozenset(holidays.UK(subdiv="ENG", years=year).keys())


def is_working_day(day):
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start, count):
    """The date `count` working days after `start` (before it when negative); `start` itself
    is not counted."""
    step = 1 if count >= 0 else -1
    day, remaining = start, abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def end_of_working_days_beginning_with(start, count):
    """The last day of a period of `count` working days beginning with `start` (the statutory
    wording of, e.g., s.5 of the 2022 Act): `start` counts as the first day when it is a
    working day; otherwise the period begins on the next working day."""
    if count < 1:
        raise ValueError("a period has at least one working day")
    return add_working_days(start, count - 1 if is_working_day(start) else count)
