"""Licence terms as data (`data/licence_terms.json`): the standard term proposed at grant and the
maximum the law or the council allows, per licence type."""

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from licensing.policy import in_force_on

DATA_FILE = Path(__file__).parent / "data" / "licence_terms.json"


@dataclass(frozen=True)
class Term:
    licence_type: str
    standard_years: int
    maximum_years: int
    source: str


@dataclass(frozen=True)
class Edition:
    edition: str
    effective_from: dt.date
    terms: dict


def _edition(raw):
    terms = {key: Term(licence_type=key, standard_years=int(t["standard_years"]),
                       maximum_years=int(t["maximum_years"]), source=t["source"]) for key, t in raw["terms"].items()}
    return Edition(edition=raw["edition"], effective_from=dt.date.fromisoformat(raw["effective_from"]), terms=terms)


@cache
def editions():
    raw = json.loads(DATA_FILE.read_text())["editions"]
    return tuple(sorted((_edition(e) for e in raw), key=lambda e: e.effective_from))


def term_for(licence_type, on=None):
    return in_force_on(editions(), on or dt.date.today()).terms[getattr(licence_type, "value", licence_type)]


def add_years(day, years):
    """`day` moved on by whole years (29 February becomes 28 February)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def standard_expiry(licence_type, starts_on):
    """The expiry proposed for a licence starting on `starts_on`: the day before the standard term ends."""
    return add_years(starts_on - dt.timedelta(days=1), term_for(licence_type, starts_on).standard_years)


def latest_expiry(licence_type, starts_on, right_to_work_until=None):
    """The latest expiry allowed: the end of the maximum term, and never after the right-to-work end."""
    latest = add_years(starts_on - dt.timedelta(days=1), term_for(licence_type, starts_on).maximum_years)
    return min(latest, right_to_work_until) if right_to_work_until else latest
