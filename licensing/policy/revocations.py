"""Revocation policy as data (`data/revocations.json`), by edition: how long a badge or plate
may be kept after a suspension or revocation takes effect, the council's target for making an
NR3S entry, how long NR3S entries are kept, and the cross-border referral period."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from licensing.policy import from_record, in_force_on, load_editions

DATA_FILE = Path(__file__).parent / "data" / "revocations.json"


@dataclass(frozen=True)
class RevocationPolicy:
    edition: str
    effective_from: dt.date
    badge_return_days: int
    nr3s_entry_working_days: int
    nr3s_retention_years: int
    referral_working_days: int


def _edition(raw):
    return from_record(RevocationPolicy, raw)


def editions():
    return load_editions(DATA_FILE, _edition)


def policy_on(day):
    """The edition in force on `day` (the earliest edition for days before all of them)."""
    return in_force_on(editions(), day)
