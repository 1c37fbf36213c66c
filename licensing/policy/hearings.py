"""Hearing policy as data: notice period, evidence deadline and appeal period, by edition."""

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from licensing.policy import in_force_on

DATA_FILE = Path(__file__).parent / "data" / "hearings.json"


@dataclass(frozen=True)
class HearingPolicy:
    edition: str
    effective_from: dt.date
    notice_working_days: int
    evidence_deadline_working_days_before: int
    appeal_days: int


@cache
def editions():
    raw = json.loads(DATA_FILE.read_text())["editions"]
    return tuple(sorted(
        (HearingPolicy(r["edition"], dt.date.fromisoformat(r["effective_from"]), int(r["notice_working_days"]),
                       int(r["evidence_deadline_working_days_before"]), int(r["appeal_days"])) for r in raw),
        key=lambda p: p.effective_from))


def policy_on(day):
    """The edition in force on `day` (the earliest edition for days before all of them)."""
    return in_force_on(editions(), day)
