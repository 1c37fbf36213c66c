"""Retention periods per record type, as versioned policy data (`data/retention.json`).

The edition in force on a date is the one with the latest `effective_from` on or before it.
`action` says what the retention job does once a record's period has passed: `anonymise`,
`delete`, or `review` (kept for an officer to decide; the job never purges these)."""

import datetime as dt
import pathlib
from dataclasses import dataclass

from licensing.policy import in_force_on, load_editions

DATA_FILE = pathlib.Path(__file__).parent / "data" / "retention.json"
ACTIONS = ("anonymise", "delete", "review")


@dataclass(frozen=True)
class Period:
    record_type: str
    years: int
    action: str
    nr3s_hold: bool = True  # kept while the holder has an NR3S entry within its 11 years

    def expired_before(self, today):
        """Records dated before this day have passed their period on `today`."""
        try:
            return today.replace(year=today.year - self.years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - self.years, day=28)


@dataclass(frozen=True)
class RetentionEdition:
    effective_from: dt.date
    periods: dict


def _edition(raw):
    periods = {}
    for name, spec in raw["periods"].items():
        if spec["action"] not in ACTIONS or int(spec["years"]) < 1:
            raise ValueError(f"retention period for {name} is not well formed")
        periods[name] = Period(name, int(spec["years"]), spec["action"], bool(spec.get("nr3s_hold", True)))
    return RetentionEdition(dt.date.fromisoformat(raw["effective_from"]), periods)


def periods_on(day):
    """The retention periods in force on `day`, keyed by record type."""
    editions = load_editions(DATA_FILE, _edition)
    if day < editions[0].effective_from:
        raise ValueError(f"no retention policy in force on {day}")
    return in_force_on(editions, day).periods
