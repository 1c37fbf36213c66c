"""Revocation policy as data (`data/revocations.json`), by edition: how long a badge or plate
may be kept after a suspension or revocation takes effect, the council's target for making an
NR3S entry, how long NR3S entries are kept, and the cross-border referral period."""

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from licensing.policy import in_force_on

DATA_FILE = Path(__file__).parent / "data" / "revocations.json"


@dataclass(frozen=True)
class RevocationPolicy:
    edition: str
    effective_from: dt.date
    badge_return_days: int
    nr3s_entry_working_days: int
    nr3s_retention_years: int
    referral_working_days: int


@cache
def editions():
    raw = json.loads(DATA_FILE.read_text())["editions"]
    return tuple(sorted(
        (RevocationPolicy(r["edition"], dt.date.fromisoformat(r["effective_from"]), int(r["badge_return_days"]),
                          int(r["nr3s_entry_working_days"]), int(r["nr3s_retention_years"]),
                          int(r["referral_working_days"])) for r in raw),
        key=lambda p: p.effective_from))


def policy_on(day):
    """The edition in force on `day` (the earliest edition for days before all of them)."""
    return in_force_on(editions(), day)
