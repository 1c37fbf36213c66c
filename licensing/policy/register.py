"""Register rules as versioned policy data (see `data/register.json`).

The edition in force on a date is the one with the latest `effective_from` on or before it,
so a decision can always be explained by the rules of its day.
"""

import datetime as dt
import pathlib
from dataclasses import dataclass

from licensing.policy import from_record, in_force_on, load_editions

DATA_FILE = pathlib.Path(__file__).parent / "data" / "register.json"


@dataclass(frozen=True)
class RegisterRules:
    edition: str
    title: str
    effective_from: dt.date
    driver_minimum_age_years: int
    nr3s_search_window_days: int
    check_due_soon_days: int


def _edition(raw):
    return from_record(RegisterRules, raw)


def editions(path=DATA_FILE):
    return load_editions(path, _edition)


def rules_on(on_date, path=DATA_FILE):
    """The rules in force on `on_date` (the earliest edition for dates before any)."""
    return in_force_on(editions(path), on_date)


def age_on(date_of_birth, on_date):
    """Whole years between a date of birth and `on_date`."""
    before_birthday = (on_date.month, on_date.day) < (date_of_birth.month, date_of_birth.day)
    return on_date.year - date_of_birth.year - before_birthday
