"""Service of notices as data (`data/service.json`): when a notice given by hand, by first-class
post or by e-mail (with the holder's consent) is deemed served. Appeal periods run from the
deemed service date, and an immediate decision takes effect on it."""

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from licensing.policy import in_force_on
from licensing.policy.working_days import add_working_days, is_working_day

DATA_FILE = Path(__file__).parent / "data" / "service.json"


@dataclass(frozen=True)
class ServiceMethod:
    key: str
    label: str
    days_after: int
    count: str  # "calendar" or "working"
    needs_consent: bool
    source: str


@dataclass(frozen=True)
class Edition:
    edition: str
    effective_from: dt.date
    methods: dict


def _edition(raw):
    methods = {key: ServiceMethod(key=key, label=m["label"], days_after=int(m["days_after"]), count=m["count"],
                                  needs_consent=bool(m["needs_consent"]), source=m["source"])
               for key, m in raw["methods"].items()}
    return Edition(edition=raw["edition"], effective_from=dt.date.fromisoformat(raw["effective_from"]),
                   methods=methods)


@cache
def editions():
    raw = json.loads(DATA_FILE.read_text())["editions"]
    return tuple(sorted((_edition(e) for e in raw), key=lambda e: e.effective_from))


def methods(on=None):
    return in_force_on(editions(), on or dt.date.today()).methods


def choices(on=None):
    """(key, label) pairs for a form's "how the notice is given" field."""
    return [(key, m.label) for key, m in methods(on).items()]


def method(key, on=None):
    try:
        return methods(on)[key]
    except KeyError:
        raise ValueError(f"Unknown method of service {key!r}") from None


def deemed_served_on(key, given_on):
    """The day a notice handed over, posted or sent on `given_on` by method `key` is deemed served."""
    rule = method(key, given_on)
    if rule.count == "calendar":
        return given_on + dt.timedelta(days=rule.days_after)
    if rule.days_after == 0:
        return given_on if is_working_day(given_on) else add_working_days(given_on, 1)
    return add_working_days(given_on, rule.days_after)
