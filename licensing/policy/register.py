"""Register rules as versioned policy data (see `data/register.json`).

The edition in force on a date is the one with the latest `effective_from` on or before it,
so a decision can always be explained by the rules of its day.
"""

import datetime as dt
import functools
import json
import pathlib
from dataclasses import dataclass

DATA_FILE = pathlib.Path(__file__).parent / "data" / "register.json"


@dataclass(frozen=True)
class RegisterRules:
    edition: str
    title: str
    effective_from: dt.date
    driver_minimum_age_years: int
    nr3s_search_window_days: int
    check_due_soon_days: int


@functools.cache
def editions(path=DATA_FILE):
    raw = json.loads(pathlib.Path(path).read_text())
    result = [
        RegisterRules(
            edition=e["edition"],
            title=e["title"],
            effective_from=dt.date.fromisoformat(e["effective_from"]),
            driver_minimum_age_years=int(e["driver_minimum_age_years"]),
            nr3s_search_window_days=int(e["nr3s_search_window_days"]),
            check_due_soon_days=int(e["check_due_soon_days"]),
        )
        for e in raw["editions"]
    ]
    return tuple(sorted(result, key=lambda e: e.effective_from))


def rules_on(on_date, path=DATA_FILE):
    """The rules in force on `on_date` (the earliest edition for dates before any)."""
    current = editions(path)[0]
    for edition in editions(path):
        if edition.effective_from <= on_date:
            current = edition
    return current


def age_on(date_of_birth, on_date):
    """Whole years between a date of birth and `on_date`."""
    before_birthday = (on_date.month, on_date.day) < (date_of_birth.month, date_of_birth.day)
    return on_date.year - date_of_birth.year - before_birthday
